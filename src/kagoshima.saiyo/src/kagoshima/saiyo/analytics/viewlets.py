"""Viewlets in the page head: the page-view beacon and the Google Analytics 4 tag.

Both render only for anonymous visitors, so logged-in staff are neither counted nor sent
to Google, and neither appears in the edit interface (which needs a login). Pages cached
by plone.app.caching or a proxy are the anonymous variant, so they carry both.
"""

from html import escape
from kagoshima.saiyo.analytics import store as store_module
from kagoshima.saiyo.analytics import token as token_module
from kagoshima.saiyo.analytics.collector import ENDPOINT
from kagoshima.saiyo.analytics.interfaces import MEASUREMENT_ID
from kagoshima.saiyo.analytics.interfaces import REGISTRY_PREFIX
from kagoshima.saiyo.inline_scripts import bodies_of
from kagoshima.saiyo.visitors import is_public_request
from pathlib import Path
from plone import api
from plone.app.layout.viewlets import ViewletBase
from plone.uuid.interfaces import IUUID
from zope.component import getMultiAdapter

import json
import logging
import re


logger = logging.getLogger("kagoshima.saiyo.analytics")

# static/pv.js without its opening comment: inlined, so no extra request and cached with the page
BEACON_SCRIPT = re.sub(
    r"^/\*.*?\*/\s*", "", (Path(__file__).parent / "static" / "pv.js").read_text(encoding="utf-8"), flags=re.S
)
PUBLISHED_STATES = ("published",)
GA_RECORD = f"{REGISTRY_PREFIX}.ga4_measurement_id"


class PageViewViewlet(ViewletBase):
    """``<meta name="saiyo-pv">`` with the page's signed token, and the beacon script."""

    def update(self):
        super().update()
        self.token = None
        try:
            self.token = self._token()
        except Exception:
            # Counting is an extra: never break a page because of it.
            logger.exception("page-view token of %s could not be made", self.context.absolute_url())

    def _token(self):
        if not self.portal_state.anonymous():
            return None
        context_state = getMultiAdapter((self.context, self.request), name="plone_context_state")
        if not context_state.is_view_template() or not is_public_request(self.request):
            return None
        uid = IUUID(self.context, None)
        if not uid:
            return None
        if api.content.get_state(self.context, default=None) not in (None, *PUBLISHED_STATES):
            return None
        return token_module.sign(uid, store_module.get_store().secret())

    def render(self):
        if not self.token:
            return ""
        endpoint = f"{self.portal_state.portal_url()}/{ENDPOINT}"
        return (
            f'<meta name="saiyo-pv" content="{escape(self.token)}" data-endpoint="{escape(endpoint)}" />\n'
            f"<script>{BEACON_SCRIPT}</script>"
        )


def measurement_id() -> str:
    value = (api.portal.get_registry_record(GA_RECORD, default="") or "").strip()
    if value and not MEASUREMENT_ID.match(value):
        logger.warning("Google Analytics is off: the measurement ID %r is not of the form G-XXXX", value)
        return ""
    return value


GTAG = """<script async src="https://www.googletagmanager.com/gtag/js?id={id}"></script>
<script>
window.dataLayer = window.dataLayer || [];
function gtag(){{dataLayer.push(arguments);}}
gtag("js", new Date());
gtag("config", {id_js}, {{"allow_google_signals": false, "allow_ad_personalization_signals": false}});
</script>"""


class GoogleAnalyticsViewlet(ViewletBase):
    """The gtag.js snippet of Google Analytics 4, when a measurement ID is set."""

    def update(self):
        super().update()
        self.ga_id = ""
        if self.portal_state.anonymous() and is_public_request(self.request):
            self.ga_id = measurement_id()

    def render(self):
        if not self.ga_id:
            return ""
        return GTAG.format(id=escape(self.ga_id), id_js=json.dumps(self.ga_id))


class InlineScripts:
    """IInlineScripts of analytics: the beacon, and the gtag snippet when a measurement ID is set."""

    def scripts(self):
        found = [BEACON_SCRIPT]
        try:
            ga_id = measurement_id()
        except Exception:  # no site (Zope's own error pages): the beacon alone
            ga_id = ""
        if ga_id:
            found.extend(bodies_of(GTAG.format(id=ga_id, id_js=json.dumps(ga_id))))
        return found
