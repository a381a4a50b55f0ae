"""1014: video and audio — the media behaviour on File and Link, MP4/MP3/WebVTT uploads, the CSP,
and missing captions or transcripts stop 承認依頼 (when that setting is still the default); rich
text allows HTML only, so the editor shows no format drop-down (when Plone's default is unchanged).

The Content-Security-Policy is replaced only when it is still the previous default (an
administrator's own policy is kept, and the log says what to change in it).
"""

from kagoshima.saiyo.accessibility.interfaces import IAccessibilitySettings
from kagoshima.saiyo.accessibility.interfaces import PREVIOUS_BLOCKING
from kagoshima.saiyo.accessibility.interfaces import RECORD
from kagoshima.saiyo.security.interfaces import DEFAULT_CSP
from kagoshima.saiyo.security.interfaces import PREVIOUS_CSP
from plone import api

import logging


logger = logging.getLogger("kagoshima.saiyo.upgrades")
BEHAVIOR = "kagoshima.saiyo.media"
PREFIX = "kagoshima.saiyo.security."
MEDIA_EXTENSIONS = ("mp4", "mp3", "vtt")
STOCK_MARKUP = ("text/html", "text/x-web-textile")


def upgrade(setup_tool=None):
    types = api.portal.get_tool("portal_types")
    for name in ("File", "Link"):
        fti = types.get(name)
        if fti is not None and BEHAVIOR not in fti.behaviors:
            fti.behaviors = tuple(fti.behaviors) + (BEHAVIOR,)
    extensions = list(api.portal.get_registry_record(PREFIX + "upload_extensions", default=None) or [])
    missing = [ext for ext in MEDIA_EXTENSIONS if ext not in extensions]
    if missing:
        api.portal.set_registry_record(PREFIX + "upload_extensions", extensions + missing)
    if api.portal.get_registry_record(RECORD, default=None) == PREVIOUS_BLOCKING:
        api.portal.set_registry_record(RECORD, list(IAccessibilitySettings["a11y_blocking_checks"].default))
    if tuple(api.portal.get_registry_record("plone.allowed_types", default=()) or ()) == STOCK_MARKUP:
        api.portal.set_registry_record("plone.allowed_types", ("text/html",))
    policy = api.portal.get_registry_record(PREFIX + "content_security_policy", default=None)
    if policy == PREVIOUS_CSP:
        api.portal.set_registry_record(PREFIX + "content_security_policy", DEFAULT_CSP)
    elif policy is not None:
        logger.warning(
            "kagoshima.saiyo 1014: the Content-Security-Policy was changed on this site and is kept; "
            "for videos it needs \"media-src 'self'\" and \"frame-src 'self' https://www.youtube-nocookie.com\""
        )
