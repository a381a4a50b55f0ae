"""Blocks of the top page (viewlets of ``kagoshima.saiyo.topblocks``).

Each block draws live from the catalog, so nothing on the top page is edited by hand
when an exam opens or news is published. The texts come from 採用サイトの表示設定;
order and visibility of the blocks: first from the profile (viewlets.xml), then as
administrators arrange them in @@manage-top-blocks (Plone's own controls; Plone's
@@manage-viewlets does not show a manager rendered inside a view's template).
"""

from datetime import datetime
from kagoshima.saiyo.browser.exams import query_notices
from kagoshima.saiyo.browser.exams import summaries
from kagoshima.saiyo.browser.people import StaffSummary
from kagoshima.saiyo.content import exam_status
from kagoshima.saiyo.dates import to_tokyo
from kagoshima.saiyo.dates import TOKYO
from kagoshima.saiyo.dates import wareki
from kagoshima.saiyo.theme.keyvisual import key_visual
from kagoshima.saiyo.theme.phrases import phrase_html
from kagoshima.saiyo.theme.settings import display_setting
from plone import api
from plone.app.layout.viewlets import ViewletBase
from plone.app.viewletmanager.interfaces import IViewletManagementView
from plone.app.viewletmanager.manager import ManageViewlets
from plone.app.viewletmanager.manager import OrderedViewletManager
from Products.Five.browser import BrowserView
from zope.interface import alsoProvides
from zope.interface import noLongerProvides


MAX_EXAMS = 6
MAX_EVENTS = 3
MAX_INTERVIEWS = 3


def open_and_upcoming(notices):
    """Notices that are 受付中 or 受付予定, open ones first, then by application start."""
    chosen = [notice for notice in notices if notice.status in exam_status.AHEAD]
    far = datetime.max.replace(tzinfo=TOKYO)

    def key(notice):
        start = notice.application_start
        if isinstance(start, datetime) or hasattr(start, "asdatetime"):
            start = to_tokyo(start)
        return (exam_status.AHEAD.index(notice.status), start or far)

    return sorted(chosen, key=key)


class TopBlock(ViewletBase):
    """A block that only needs the site URL and the display settings."""

    def setting(self, name):
        return display_setting(name)

    def key_visual(self):
        """The administrators' key visual (keyvisual.py), or None for the drawn default."""
        return key_visual(api.portal.get(), self.request)

    def phrases(self, name):
        """A text setting with <wbr> between its Japanese phrases (phrases.py)."""
        return phrase_html(display_setting(name) or "")


class ExamsBlock(TopBlock):
    def update(self):
        super().update()
        self.exams = open_and_upcoming(summaries(query_notices()))[:MAX_EXAMS]


class NewsBlock(TopBlock):
    def update(self):
        super().update()
        brains = api.content.find(
            portal_type="News Item",
            sort_on="effective",
            sort_order="descending",
            sort_limit=self.setting("news_count"),
        )[: self.setting("news_count")]
        self.items = [
            {
                "title": brain.Title,
                "url": brain.getURL(),
                "date": self.day(brain.effective),
                "iso": self.iso(brain.effective),
            }
            for brain in brains
        ]

    @staticmethod
    def day(value) -> str:
        if not value or value.year() < 1900:
            return ""
        return wareki.format_date(to_tokyo(value).date())

    @staticmethod
    def iso(value) -> str:
        if not value or value.year() < 1900:
            return ""
        return to_tokyo(value).date().isoformat()


class EventsBlock(TopBlock):
    def update(self):
        super().update()
        now = datetime.now(TOKYO)
        brains = api.content.find(
            portal_type="Event", end={"query": now, "range": "min"}, sort_on="start", sort_limit=MAX_EVENTS
        )[:MAX_EVENTS]
        self.items = [
            {
                "title": brain.Title,
                "url": brain.getURL(),
                "date": wareki.format_date(to_tokyo(brain.start).date(), weekday=True) if brain.start else "",
                "iso": to_tokyo(brain.start).date().isoformat() if brain.start else "",
                "description": brain.Description,
            }
            for brain in brains
        ]


class InterviewsBlock(TopBlock):
    def update(self):
        super().update()
        brains = api.content.find(portal_type="StaffProfile", sort_on="effective", sort_order="descending")
        self.people = [StaffSummary(brain) for brain in brains[:MAX_INTERVIEWS]]


class TopView(BrowserView):
    """@@saiyo-top: the blocks across the full width (no portlet columns)."""

    def __call__(self):
        self.request.set("disable_plone.leftcolumn", True)
        self.request.set("disable_plone.rightcolumn", True)
        return self.index()


class TopBlocksManager(OrderedViewletManager):
    """The top page's blocks; in @@manage-top-blocks with Plone's controls to arrange them.

    plone.app.viewletmanager shows its controls when the view provides
    ``IViewletManagementView``; @@manage-top-blocks provides it only while this manager
    renders (the toolbar, header and footer stay as they are), and the controls' links, which
    Plone writes to ``@@manage-viewlets`` (Manage portal, which administrators do not have, and
    a page that cannot show this manager), lead back to @@manage-top-blocks.
    """

    def render(self):
        view = self.__parent__
        if not isinstance(view, ManageTopBlocks):
            return super().render()
        alsoProvides(view, IViewletManagementView)
        try:
            html = super().render()
        finally:
            noLongerProvides(view, IViewletManagementView)
        return html.replace("/@@manage-viewlets?", "/@@manage-top-blocks?")


class ManageTopBlocks(TopView):
    """@@manage-top-blocks: the top page with controls to reorder, hide and show its blocks.

    The changes are Plone's own (``ManageViewlets``: the viewlet settings storage, CSRF token
    in every link); only the page they return to is this one.
    """

    _getOrder = ManageViewlets._getOrder
    show = ManageViewlets.show
    hide = ManageViewlets.hide
    moveAbove = ManageViewlets.moveAbove
    moveBelow = ManageViewlets.moveBelow

    def __call__(self):
        self.request.set("disable_plone.leftcolumn", True)
        self.request.set("disable_plone.rightcolumn", True)
        result = ManageViewlets.__call__(self)
        if self.request.response.getStatus() in (301, 302, 303):
            self.request.response.redirect(f"{self.context.absolute_url()}/@@manage-top-blocks")
        return result
