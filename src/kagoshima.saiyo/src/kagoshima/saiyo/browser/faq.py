"""よくある質問: every FAQ of the folder grouped by category, open/close without JavaScript."""

from kagoshima.saiyo.vocabularies import editable_terms
from kagoshima.saiyo.vocabularies import term_title
from plone import api
from Products.Five.browser import BrowserView


class FaqListView(BrowserView):
    def groups(self):
        """[{"token", "title", "faqs": [FAQ objects]}] in the order of the category list."""
        brains = api.content.find(context=self.context, portal_type="FAQ", sort_on="getObjPositionInParent")
        by_category = {}
        for brain in brains:
            by_category.setdefault(brain.faq_category or "", []).append(brain.getObject())
        order = [token for token, _title in editable_terms("kagoshima.saiyo.FaqCategories")]
        tokens = [t for t in order if t in by_category] + [t for t in by_category if t not in order]
        return [
            {
                "token": token or "other",
                "title": term_title("kagoshima.saiyo.FaqCategories", token) or "その他",
                "faqs": by_category[token],
            }
            for token in tokens
        ]

    @staticmethod
    def answer_html(item):
        answer = item.answer
        return answer.output_relative_to(item) if answer is not None else ""


class FaqView(BrowserView):
    """One FAQ: the question is the page title, the answer follows."""

    @property
    def category_label(self):
        return term_title("kagoshima.saiyo.FaqCategories", self.context.faq_category)
