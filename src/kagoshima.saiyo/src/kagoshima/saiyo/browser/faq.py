"""よくある質問: every FAQ of the folder grouped by category, open/close without JavaScript.

The list and its FAQPage JSON-LD (``structured_data.viewlet``) read the same entries, computed
once per request by ``faq_entries``: the FAQs from the catalog (titles and categories from the
brains), each answer's HTML from Plone's RAM cache, keyed by the FAQ's path and modification
date, the catalog's change counter (a moved link target changes the resolved links), the site's
URL and whether the visitor is logged in. Only on a miss is the FAQ woken and its answer
transformed (``output_relative_to``), so an unchanged FAQ list wakes no FAQ at all.
"""

from dataclasses import dataclass
from kagoshima.saiyo.vocabularies import editable_terms
from kagoshima.saiyo.vocabularies import term_title
from plone import api
from plone.memoize import ram
from Products.CMFCore.utils import getToolByName
from Products.Five.browser import BrowserView
from zope.annotation.interfaces import IAnnotations


FAQ_CATEGORIES = "kagoshima.saiyo.FaqCategories"
_REQUEST_KEY = "kagoshima.saiyo.faq_entries"


@dataclass(frozen=True)
class FaqEntry:
    id: str
    title: str
    category: str
    answer_html: str

    def getId(self):
        return self.id

    def Title(self):
        return self.title


def _answer_key(method, brain, catalog_counter, site_url, anonymous):
    return (brain.getPath(), str(brain.modified), catalog_counter, site_url, anonymous)


@ram.cache(_answer_key)
def _answer_html(brain, catalog_counter, site_url, anonymous) -> str:
    faq = brain.getObject()
    answer = getattr(faq, "answer", None)
    return answer.output_relative_to(faq) if answer is not None else ""


def faq_entries(folder, request) -> list[FaqEntry]:
    """The FAQs below ``folder`` in page order: by category in the order of the category list, then by position."""
    memo = IAnnotations(request)
    key = f"{_REQUEST_KEY}:{'/'.join(folder.getPhysicalPath())}"
    if key in memo:
        return memo[key]
    brains = api.content.find(context=folder, portal_type="FAQ", sort_on="getObjPositionInParent")
    order = {token: index for index, (token, _label) in enumerate(editable_terms(FAQ_CATEGORIES))}
    brains = sorted(brains, key=lambda brain: order.get(brain.faq_category or "", len(order)))
    counter = getToolByName(folder, "portal_catalog").getCounter()
    site_url = api.portal.get().absolute_url()
    anonymous = api.user.is_anonymous()
    entries = [
        FaqEntry(
            id=brain.getId,
            title=brain.Title,
            category=brain.faq_category or "",
            answer_html=_answer_html(brain, counter, site_url, anonymous),
        )
        for brain in brains
    ]
    memo[key] = entries
    return entries


class FaqListView(BrowserView):
    def groups(self):
        """[{"token", "title", "faqs": [FaqEntry]}] in the order of the category list."""
        by_category = {}
        for entry in faq_entries(self.context, self.request):
            by_category.setdefault(entry.category, []).append(entry)
        return [
            {
                "token": token or "other",
                "title": term_title(FAQ_CATEGORIES, token) or "その他",
                "faqs": faqs,
            }
            for token, faqs in by_category.items()
        ]

    @staticmethod
    def answer_html(item):
        return item.answer_html


class FaqView(BrowserView):
    """One FAQ: the question is the page title, the answer follows."""

    @property
    def category_label(self):
        return term_title("kagoshima.saiyo.FaqCategories", self.context.faq_category)
