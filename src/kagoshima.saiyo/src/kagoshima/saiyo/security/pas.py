"""The PAS plugin ``saiyo_guard``: account lockout and the password policy.

Lockout (IAuthenticationPlugin, first in the authenticators' order): for every
login/password pair it checks the other authenticators itself. A wrong pair is written to
the audit trail as ``login_failed``; after ``lockout_attempts`` failures within
``lockout_window_minutes`` the login name is locked for ``lockout_minutes``: the plugin
then empties the credentials, so no later plugin authenticates them even with the right
password. Counting is by the login name typed, whether such an account exists or not, so
the lockout tells nothing about which accounts exist. The Zope administrator of the root
user folder is not counted (it is not a site account; protect ``/_zope`` at the proxy).

Password policy (IValidationPlugin): at least ``password_min_length`` characters (12),
not the user name / e-mail and not containing it.
"""

from AccessControl import ClassSecurityInfo
from AccessControl.class_init import InitializeClass
from Acquisition import aq_base
from Acquisition import aq_inner
from Acquisition import aq_parent
from kagoshima.saiyo.security import audit
from kagoshima.saiyo.security.settings import setting
from Products.PluggableAuthService.interfaces.plugins import IAuthenticationPlugin
from Products.PluggableAuthService.interfaces.plugins import IValidationPlugin
from Products.PluggableAuthService.plugins.BasePlugin import BasePlugin
from zope.globalrequest import getRequest
from zope.interface import implementer

import json
import logging
import time


logger = logging.getLogger("kagoshima.saiyo.security")

PLUGIN_ID = "saiyo_guard"
LOCKED_MESSAGE = (
    "ログインに続けて失敗したため、このログイン名は一時的にログインできません。"
    "しばらく（{minutes}分ほど）待ってから、もう一度お試しください。"
)
PASSWORD_TOO_SHORT = "パスワードは{length}文字以上にしてください。"
PASSWORD_HAS_NAME = "パスワードにユーザー名やメールアドレスを含めないでください。"


def is_locked(store, login, now=None) -> bool:
    now = now or time.time()
    locked_at = store.last(login, "lockout")
    return bool(locked_at and now - locked_at < setting("lockout_minutes") * 60)


def record_failure(store, login, ip, now=None) -> bool:
    """Write one failed login; return True when it locks the login name."""
    now = now or time.time()
    store.add(login, "login_failed", ip=ip, at=now)
    # 'saiyo check' counts these lines (and the lockouts below) in the event log.
    logger.info("login failed for login name %r (from %s)", login, ip)
    window = setting("lockout_window_minutes") * 60
    if store.failures_since(login, now - window) >= setting("lockout_attempts"):
        store.add(login, "lockout", detail=f"{setting('lockout_attempts')}回失敗", ip=ip, at=now)
        logger.warning("login name %r locked out after repeated failures (last from %s)", login, ip)
        return True
    return False


def status_message(request, text):
    try:
        from Products.statusmessages.interfaces import IStatusMessage

        IStatusMessage(request).add(text, type="error")
    except Exception:  # no status messages outside a browser request
        pass


@implementer(IAuthenticationPlugin, IValidationPlugin)
class SaiyoGuard(BasePlugin):
    meta_type = "Saiyo Guard Plugin"
    security = ClassSecurityInfo()

    def __init__(self, id=PLUGIN_ID, title="採用サイトのログイン制限とパスワード規則"):
        self._setId(id)
        self.title = title

    # IAuthenticationPlugin

    def _others_authenticate(self, credentials) -> bool:
        plugins = self._getPAS()._getOb("plugins")
        for plugin_id, plugin in plugins.listPlugins(IAuthenticationPlugin):
            if plugin_id == self.getId():
                continue
            try:
                if plugin.authenticateCredentials(dict(credentials)):
                    return True
            except Exception:  # a broken plugin must not lock anyone out
                logger.exception("authentication plugin %s failed", plugin_id)
        return False

    def _root_authenticates(self, login, password, request) -> bool:
        """The Zope root's user folder (the instance administrator) knows this pair."""
        site = aq_parent(aq_inner(self._getPAS()))
        root = aq_parent(aq_inner(site))
        root_folder = getattr(aq_base(root), "acl_users", None) if root is not None else None
        if root_folder is None:
            return False
        try:
            return root.acl_users.authenticate(login, password, request) is not None
        except Exception:
            return False

    security.declarePrivate("authenticateCredentials")

    def authenticateCredentials(self, credentials):
        login = credentials.get("login")
        password = credentials.get("password")
        if not login or password is None:
            return None  # a session ticket or no credentials: nothing to check here
        request = getattr(self, "REQUEST", None) or getRequest()
        try:
            store = audit.get_store()
        except audit.StoreUnavailable:
            return None
        other = getattr(request, "other", None)
        checked = other.setdefault("saiyo.checked_logins", {}) if other is not None else {}
        key = (login, password)
        if key in checked:  # PAS asks once per extractor; judge a pair once per request
            if checked[key] == "refused":
                credentials.clear()
            return None
        ip = audit.client_ip(request)
        if is_locked(store, login):
            store.add(login, "login_refused", ip=ip)
            checked[key] = "refused"
            status_message(request, LOCKED_MESSAGE.format(minutes=setting("lockout_minutes")))
            credentials.clear()
            return None
        if self._others_authenticate(credentials):
            checked[key] = "ok"
            window = setting("lockout_window_minutes") * 60
            if store.failures_since(login, time.time() - window):
                store.add(login, "login", detail="失敗回数をリセット", ip=ip)
            return None
        if self._root_authenticates(login, password, request):
            checked[key] = "ok"
            return None
        locked = record_failure(store, login, ip)
        checked[key] = "refused" if locked else "failed"
        if locked:
            status_message(request, LOCKED_MESSAGE.format(minutes=setting("lockout_minutes")))
            credentials.clear()
        return None

    # IValidationPlugin

    security.declarePrivate("validateUserInfo")

    def validateUserInfo(self, user, set_id, set_info):
        if not set_info or not set_info.get("password"):
            return []
        password = set_info["password"]
        errors = []
        length = setting("password_min_length")
        if len(password) < length:
            errors.append({"id": "password", "error": PASSWORD_TOO_SHORT.format(length=length)})
        lowered = password.casefold()
        for name in names_of(user, set_id, set_info):
            if len(name) >= 3 and name in lowered:
                errors.append({"id": "password", "error": PASSWORD_HAS_NAME})
                break
        return errors


InitializeClass(SaiyoGuard)


NAME_FIELDS = (
    "username",
    "login",
    "userid",
    "email",
    "form.widgets.username",
    "form.widgets.email",
    "__ac_name",
)


def names_of(user, set_id, set_info) -> set:
    """Every name the password must not contain: the user's, and those posted with the password."""
    names = set()

    def add(value):
        if isinstance(value, str) and value.strip():
            value = value.strip().casefold()
            names.add(value)
            if "@" in value:
                names.add(value.split("@", 1)[0])

    add(set_id)
    for key in ("username", "login", "email", "userid"):
        add((set_info or {}).get(key))
    if user is not None:
        for getter in ("getId", "getUserName"):
            try:
                add(getattr(user, getter)())
            except Exception:
                pass
    request = getRequest()
    if request is not None:
        for key in NAME_FIELDS:
            add(request.form.get(key) if hasattr(request, "form") else None)
        body = request.get("BODY") if "json" in (request.getHeader("Content-Type") or "") else None
        if body:
            try:
                data = json.loads(body)
            except (ValueError, TypeError):
                data = None
            if isinstance(data, dict):
                for key in ("username", "login", "email"):
                    add(data.get(key))
        # Changing one's own password: the person logged in.
        from AccessControl import getSecurityManager

        current = getSecurityManager().getUser()
        if current is not None and current.getUserName() != "Anonymous User":
            if "password" in (request.getURL() or "") or "change-password" in (request.getURL() or ""):
                add(current.getUserName())
                add(current.getId())
    return names


def install_plugin(portal):
    """Add saiyo_guard to the site's acl_users, activate it and put it first. Idempotent."""
    pas = portal.acl_users
    if PLUGIN_ID not in pas.objectIds():
        pas._setObject(PLUGIN_ID, SaiyoGuard())
        logger.info("added the PAS plugin %s", PLUGIN_ID)
    plugins = pas.plugins
    for interface in (IAuthenticationPlugin, IValidationPlugin):
        active = [plugin_id for plugin_id, _ in plugins.listPlugins(interface)]
        if PLUGIN_ID not in active:
            plugins.activatePlugin(interface, PLUGIN_ID)
    while plugins.listPlugins(IAuthenticationPlugin)[0][0] != PLUGIN_ID:
        plugins.movePluginsUp(IAuthenticationPlugin, [PLUGIN_ID])


def uninstall_plugin(portal):
    """Deactivate and remove saiyo_guard (uninstall). Idempotent."""
    pas = portal.acl_users
    if PLUGIN_ID not in pas.objectIds():
        return
    plugins = pas.plugins
    for interface in (IAuthenticationPlugin, IValidationPlugin):
        if PLUGIN_ID in [plugin_id for plugin_id, _ in plugins.listPlugins(interface)]:
            plugins.deactivatePlugin(interface, PLUGIN_ID)
    pas._delObject(PLUGIN_ID)
    logger.info("removed the PAS plugin %s", PLUGIN_ID)
