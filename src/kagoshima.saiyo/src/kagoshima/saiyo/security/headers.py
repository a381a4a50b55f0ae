"""Security headers on every response Zope publishes, and safer session cookies.

Subscribed to IPubBeforeCommit and IPubBeforeAbort, so pages, REST API answers, files,
images, static resources, redirects and error pages (404, 401, 500) all carry them.
Content-Security-Policy comes from the registry (``kagoshima.saiyo.security.content_security_policy``);
``frame-ancestors 'self'`` in it (and X-Frame-Options, which plone.protect also sets) keeps
other sites from framing the pages. Logged-in staff also get 'unsafe-eval' in script-src,
which Plone's edit UI needs; inline scripts are refused for everyone. Behind HTTPS (the request URL is https, as the
proxy's VirtualHostBase rewrite says) the login cookie gets ``Secure`` and responses
``Strict-Transport-Security``; the cookie is always HttpOnly and SameSite=Lax.
"""

from kagoshima.saiyo.inline_scripts import allowed_scripts
from kagoshima.saiyo.inline_scripts import csp_hash
from kagoshima.saiyo.security.interfaces import DEFAULT_CSP
from kagoshima.saiyo.security.settings import setting

import logging


logger = logging.getLogger("kagoshima.saiyo.security")

STATIC_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "SAMEORIGIN",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
SESSION_COOKIES = ("__ac",)


def is_https(request) -> bool:
    return str(request.get("SERVER_URL", "")).startswith("https://")


def inline_script_hashes() -> list[str]:
    """Hashes of the inline scripts the features register (kagoshima.saiyo.inline_scripts)."""
    return [csp_hash(body) for body in allowed_scripts()]


def default_policy() -> str:
    """The policy without a site (the registry's default, the beacon's hash)."""
    return _policy(DEFAULT_CSP)


def _logged_in() -> bool:
    from AccessControl import getSecurityManager

    user = getSecurityManager().getUser()
    return user is not None and user.getUserName() != "Anonymous User"


def _policy(value=None, editor=False) -> str:
    if value is None:
        try:
            value = setting("content_security_policy")
        except Exception:  # no site (Zope root, error before traversal): the default
            value = None
    directives = [part.strip() for part in (value or DEFAULT_CSP).split(";") if part.strip()]
    try:
        hashes = inline_script_hashes()
    except Exception:
        logger.exception("could not compute the inline script hashes")
        hashes = []
    result = []
    for directive in directives:
        directive = " ".join(directive.split())
        if directive.split(" ", 1)[0] == "script-src":
            # Plone's edit UI (pat-structure's templates, the Mosaic bundle) evaluates strings
            # as code: logged-in staff get 'unsafe-eval'. Inline scripts stay forbidden for
            # everyone, so injected markup still cannot run; visitors get the strict policy.
            extra = [*hashes, "'unsafe-eval'"] if editor else hashes
            directive = " ".join([directive, *extra])
        result.append(directive)
    return "; ".join(result)


def apply_headers(request, response):
    for name, value in STATIC_HEADERS.items():
        response.setHeader(name, value)
    response.setHeader("Content-Security-Policy", _policy(editor=_logged_in()))
    https = is_https(request)
    if https:
        response.setHeader("Strict-Transport-Security", "max-age=31536000")
    for name in SESSION_COOKIES:
        cookie = response.cookies.get(name)
        if cookie is None:
            continue
        # Keys as ZPublisher.cookie normalises them (HttpOnly, SameSite, Secure).
        cookie["HttpOnly"] = True
        cookie.setdefault("SameSite", "Lax")
        if https:
            cookie["Secure"] = True


def on_publish_end(event):
    try:
        apply_headers(event.request, event.request.response)
    except Exception:  # never turn a response into an error because of a header
        logger.exception("could not set the security headers")
