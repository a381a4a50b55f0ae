"""Theme viewlets: the head additions (icons, the pre-paint settings script) and the footer."""

from kagoshima.saiyo.theme.settings import display_setting
from kagoshima.saiyo.theme.settings import parse_links
from plone.app.layout.viewlets import ViewletBase
from zope.component import getMultiAdapter


# 文字サイズ・配色 chosen on an earlier page, applied before the first paint (the utility bar's
# script, ++plone++kagoshima.saiyo/saiyo.js, stores them). Inline so there is no flash; the
# Content-Security-Policy allows exactly this text by its hash (InlineScripts below).
PREPAINT_SCRIPT = (
    '(function(d){try{var s=window.localStorage,v;v=s.getItem("saiyo.size");'
    'if(v==="large"||v==="xlarge"){d.setAttribute("data-saiyo-size",v);}'
    'v=s.getItem("saiyo.scheme");if(v==="contrast"){d.setAttribute("data-saiyo-scheme",v);}}'
    "catch(e){}})(document.documentElement);"
)


class HeadViewlet(ViewletBase):
    prepaint_script = f"<script>{PREPAINT_SCRIPT}</script>"


class InlineScripts:
    """IInlineScripts of the theme: the pre-paint settings script."""

    def scripts(self):
        return [PREPAINT_SCRIPT]


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
