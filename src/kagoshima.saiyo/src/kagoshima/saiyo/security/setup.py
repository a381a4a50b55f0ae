"""Install and uninstall helpers of the hardening: the PAS plugin and the session settings. Idempotent."""

from kagoshima.saiyo.security.pas import install_plugin
from kagoshima.saiyo.security.pas import uninstall_plugin
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


def post_install(portal):
    install_plugin(portal)
    configure_session(portal)


def uninstall(portal):
    """Remove saiyo_guard; plone.session gets its own default expiry back."""
    uninstall_plugin(portal)
    plugin = getattr(portal.acl_users, "session", None)
    if plugin is not None:
        for name in session_properties():
            # The class attribute is plone.session's default.
            if name in plugin.__dict__:
                delattr(plugin, name)
        plugin._p_changed = True


def on_setting_changed(event):
    """A new session_timeout_minutes (サイト設定 → 設定レジストリ) applies at once:
    plone.session checks every ticket against the plugin's timeout."""
    if getattr(event.record, "__name__", "") != f"{PREFIX}.session_timeout_minutes":
        return
    portal = getSite()
    if portal is not None and getattr(portal, "acl_users", None) is not None:
        configure_session(portal)
        logger.info("session timeout set to %s minutes", event.newValue)
