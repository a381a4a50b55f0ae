"""The footer viewlet: contact, site links (portal_actions ``site_actions``) and SNS links."""

from kagoshima.saiyo.theme.settings import display_setting
from kagoshima.saiyo.theme.settings import parse_links
from plone.app.layout.viewlets import ViewletBase
from zope.component import getMultiAdapter


class FooterViewlet(ViewletBase):
    def update(self):
        super().update()
        context_state = getMultiAdapter((self.context, self.request), name="plone_context_state")
        self.site_links = [
            {"title": action["title"], "url": action["url"]}
            for action in context_state.actions("site_actions")
            if action.get("available", True) and action.get("url")
        ]
        self.contact_lines = display_setting("contact_lines")
        self.sns_links = parse_links(display_setting("sns_links"))
