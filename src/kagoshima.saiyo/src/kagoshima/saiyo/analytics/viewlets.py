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

# Traversal steps of forms and management screens: never tracked, even when an
# anonymous visitor can reach them (login, password reset, registration). Exact names,
# so that content whose id merely starts like one ("login-guide") is still tracked.
NOT_PUBLIC_NAMES = frozenset(
    """edit base_edit folder_contents content_status_history sharing delete_confirmation object_rename
    login login_form login-help logout logged_out require_login insufficient-privileges
    mail_password mail_password_form passwordreset register personal-information change-password
    overview-controlpanel plone_control_panel manage manage_main manage_workspace
    saiyo-pageviews saiyo-analytics-settings saiyo-vocabularies""".split()
)
NOT_PUBLIC_PATTERN = re.compile(r"^\+\+add\+\+|-controlpanel$|^prefs_|^manage_|^portal_factory$")


def is_public_request(request) -> bool:
    """False for forms and management screens (by the names traversed)."""
    for name in getattr(request, "steps", None) or ():
        name = str(name).removeprefix("@@")
        if name in NOT_PUBLIC_NAMES or NOT_PUBLIC_PATTERN.search(name):
            return False
    return True


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
