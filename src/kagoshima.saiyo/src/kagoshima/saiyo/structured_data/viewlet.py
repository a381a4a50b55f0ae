"""The viewlet in the page head that writes the JSON-LD graphs of the page.

Cheap on ordinary pages: it reads the context and the breadcrumbs only; on a folder displayed
as ``faq-list`` the FAQPage reuses the entries the list computes (``browser.faq.faq_entries``).
"""

from kagoshima.saiyo.behaviors.recruitment_event import IRecruitmentEvent
from kagoshima.saiyo.browser.faq import faq_entries
from kagoshima.saiyo.content.exam_notice import IExamNotice
from kagoshima.saiyo.structured_data import jsonld
from kagoshima.saiyo.vocabularies import term_title
from plone.app.event.dx.interfaces import IDXEvent
from plone.app.layout.viewlets import ViewletBase
from plone.event.interfaces import IEventAccessor
from plone.uuid.interfaces import IUUID
from Products.CMFPlone.utils import getSiteLogo
from zope.component import getMultiAdapter

import logging


logger = logging.getLogger(__name__)

FAQ_LAYOUT = "faq-list"
FAQ_CATEGORIES = "kagoshima.saiyo.FaqCategories"


class StructuredDataViewlet(ViewletBase):
    def update(self):
        super().update()
        self.context_state = getMultiAdapter((self.context, self.request), name="plone_context_state")

    # Graphs of the context ------------------------------------------------------

    def _job_posting(self):
        context = self.context
        tokens = {row.get("job_type") for row in context.divisions or () if row and row.get("job_type")}
        labels = {token: term_title("kagoshima.saiyo.JobTypes", token) for token in tokens}
        return jsonld.job_posting(
            context,
            url=context.absolute_url(),
            uid=IUUID(context, None) or "",
            logo_url=getSiteLogo(self.portal_state.portal()),
            labels=labels,
        )

    def _event(self):
        accessor = IEventAccessor(self.context)
        facts = IRecruitmentEvent(self.context, None)
        return jsonld.event(
            accessor,
            facts,
            url=self.context.absolute_url(),
            site_url=self.site_url,
        )

    def _faq_page(self):
        # The FAQs of the folder in the order of its page (faq-list), shared with that view:
        # computed once per request, answers from the RAM cache (browser/faq.py).
        items = [
            (entry.title, jsonld.html_to_text(entry.answer_html))
            for entry in faq_entries(self.context, self.request)
        ]
        return jsonld.faq_page(items, url=self.context.absolute_url())

    def _breadcrumbs(self):
        crumbs = getMultiAdapter((self.context, self.request), name="breadcrumbs_view").breadcrumbs()
        if not crumbs:
            # the site (or navigation) root itself, or its default page
            return None
        root = self.portal_state.navigation_root()
        home_name = (root.Title() if root is not None else "") or "ホーム"
        return jsonld.breadcrumb_list(home_name, self.navigation_root_url, crumbs)

    def graphs(self) -> list[dict]:
        graphs = []
        context = self.context
        on_view = self.context_state.is_view_template()
        builders = []
        if on_view:
            if self.context_state.is_portal_root():
                builders.append(lambda: jsonld.website(self.site_url))
            if IExamNotice.providedBy(context):
                builders.append(self._job_posting)
            elif IDXEvent.providedBy(context):
                builders.append(self._event)
            elif _layout(context) == FAQ_LAYOUT:
                builders.append(self._faq_page)
        builders.append(self._breadcrumbs)
        for build in builders:
            try:
                graph = build()
            except Exception:
                # Structured data is an extra: never break a page because of it.
                logger.exception("JSON-LD of %s could not be built", context.absolute_url())
                continue
            if graph:
                graphs.append(graph)
        return graphs

    def render(self):
        return "\n".join(jsonld.script(graph) for graph in self.graphs())


def _layout(context) -> str | None:
    get_layout = getattr(context, "getLayout", None)
    if get_layout is None:
        return None
    try:
        return get_layout()
    except Exception:
        return None
