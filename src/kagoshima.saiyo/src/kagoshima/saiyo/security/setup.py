"""Install helpers of the hardening: the PAS plugin and the session settings. Idempotent."""

from kagoshima.saiyo.security.pas import install_plugin
from kagoshima.saiyo.security.settings import PREFIX
from kagoshima.saiyo.security.settings import setting
from zope.component.hooks import getSite

import logging


logger = logging.getLogger("kagoshima.saiyo.security")


def session_properties() -> dict:
    """plone.session: a login lasts ``session_timeout_minutes`` (default 2 hours) without
    activity (Plone refreshes the ticket while pages are open), the cookie ends with the
    browser; Secure is added by headers.py behind HTTPS."""
    return {"timeout": setting("session_timeout_minutes") * 60, "cookie_lifetime": 0}


def configure_session(portal):
    plugin = getattr(portal.acl_users, "session", None)
    if plugin is None:
        logger.warning("no plone.session plugin in acl_users: session expiry not configured")
        return
    for name, value in session_properties().items():
        if plugin.hasProperty(name):
            plugin.manage_changeProperties(**{name: value})
        else:
            setattr(plugin, name, value)


# Versioning (履歴): every page type keeps versions on each save and on revert. Files and
# images are not versioned (each version would copy the whole file).
VERSIONED_TYPES = (
    "Document",
    "News Item",
    "Event",
    "Link",
    "ExamNotice",
    "JobCategory",
    "StaffProfile",
    "FAQ",
)
VERSION_POLICIES = ("at_edit_autoversion", "version_on_revert")


def enable_versioning(portal):
    repository = getattr(portal, "portal_repository", None)
    if repository is None:
        return
    types_tool = portal.portal_types
    wanted = [name for name in VERSIONED_TYPES if name in types_tool.objectIds()]
    current = list(repository.getVersionableContentTypes())
    repository.setVersionableContentTypes(current + [name for name in wanted if name not in current])
    for name in wanted:
        for policy in VERSION_POLICIES:
            repository.addPolicyForContentType(name, policy)


def post_install(portal):
    install_plugin(portal)
    configure_session(portal)
    enable_versioning(portal)


def on_setting_changed(event):
    """A new session_timeout_minutes (サイト設定 → 設定レジストリ) applies at once:
    plone.session checks every ticket against the plugin's timeout."""
    if getattr(event.record, "__name__", "") != f"{PREFIX}.session_timeout_minutes":
        return
    portal = getSite()
    if portal is not None and getattr(portal, "acl_users", None) is not None:
        configure_session(portal)
        logger.info("session timeout set to %s minutes", event.newValue)
