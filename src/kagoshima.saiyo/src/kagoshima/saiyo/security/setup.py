"""Install helpers of the hardening: the PAS plugin and the session settings. Idempotent."""

from kagoshima.saiyo.security.pas import install_plugin

import logging


logger = logging.getLogger("kagoshima.saiyo.security")

# plone.session: a login lasts 2 hours without activity (Plone refreshes the ticket while pages
# are open), the cookie ends with the browser; Secure is added by headers.py behind HTTPS.
SESSION_PROPERTIES = {"timeout": 2 * 60 * 60, "cookie_lifetime": 0}


def configure_session(portal):
    plugin = getattr(portal.acl_users, "session", None)
    if plugin is None:
        logger.warning("no plone.session plugin in acl_users: session expiry not configured")
        return
    for name, value in SESSION_PROPERTIES.items():
        if plugin.hasProperty(name):
            plugin.manage_changeProperties(**{name: value})
        else:
            setattr(plugin, name, value)


def post_install(portal):
    install_plugin(portal)
    configure_session(portal)
