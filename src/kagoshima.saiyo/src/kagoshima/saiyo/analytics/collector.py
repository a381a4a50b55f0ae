"""Decide whether a beacon is a real page view, and count it.

Used by the WSGI filter (``kagoshima.saiyo.wsgi.pageviews``, the fast path in front of Zope) and by the Zope
view ``@@pv`` (``views.PageViewBeacon``, for instances without the middleware); both give
it the WSGI environ and the token from the request body. A beacon is counted only when
all of these hold, cheapest check first:

- it is a POST (HEAD, GET and the rest are refused: a beacon is always a POST);
- it is not a prefetch or prerender request (``Sec-Purpose``, ``Purpose``, ``X-Moz``);
- it comes from a page of this site: ``Sec-Fetch-Site: same-origin``, or, from a browser
  that does not send that header, an ``Origin`` whose host is this site's host;
- it carries no login (Plone's ``__ac`` or ``auth_token`` cookie, an Authorization
  header): staff are not counted, even on a page a cache gave them;
- its user agent is not a crawler (``classify.py``);
- its token is signed by this site (``token.py``): only published pages get one.

A POST is always answered ``204 No Content``, counted or not, so that a visitor's browser
never shows an error for a beacon (a logged-in editor on a page a cache served, a stale
page after the secret changed); the ``X-Pageview`` header says ``counted`` or
``refused: <reason>``. Other methods get 405, a body over 256 bytes 413, a failing store 503.
Refusals are logged in English at DEBUG level (they are frequent and expected: crawlers,
prefetches) with the reason and nothing about the visitor.
"""

from kagoshima.saiyo.analytics import classify
from kagoshima.saiyo.analytics import store as store_module
from kagoshima.saiyo.analytics import token as token_module
from typing import NamedTuple
from urllib.parse import urlsplit

import logging


logger = logging.getLogger("kagoshima.saiyo.analytics")

ENDPOINT = "@@pv"
MAX_BODY = 256
STATUS_TEXT = {
    204: "204 No Content",
    405: "405 Method Not Allowed",
    413: "413 Payload Too Large",
    503: "503 Service Unavailable",
}
LOGIN_COOKIES = ("__ac=", "auth_token=")


def is_prefetch(environ) -> bool:
    purpose = (environ.get("HTTP_SEC_PURPOSE") or environ.get("HTTP_PURPOSE") or "").lower()
    return (
        "prefetch" in purpose or "prerender" in purpose or environ.get("HTTP_X_MOZ", "").lower() == "prefetch"
    )


def _hostname(value: str) -> str | None:
    try:
        return urlsplit(f"//{value.strip()}").hostname
    except ValueError:
        return None


def site_hosts(environ) -> set:
    """Host names this request was addressed to: Host, X-Forwarded-Host, VirtualHostBase."""
    hosts = {_hostname(environ.get("HTTP_HOST", ""))}
    forwarded = environ.get("HTTP_X_FORWARDED_HOST")
    if forwarded:
        hosts.add(_hostname(forwarded.split(",")[0]))
    path = environ.get("PATH_INFO", "")
    if path.startswith("/VirtualHostBase/"):
        parts = path.split("/")
        if len(parts) > 3:
            hosts.add(_hostname(parts[3]))
    hosts.discard(None)
    return hosts


def is_same_origin(environ) -> bool:
    fetch_site = environ.get("HTTP_SEC_FETCH_SITE")
    if fetch_site is not None:
        return fetch_site == "same-origin"
    origin = environ.get("HTTP_ORIGIN")
    if not origin or origin == "null":
        return False
    try:
        host = urlsplit(origin).hostname
    except ValueError:
        return False
    return host is not None and host in site_hosts(environ)


def is_logged_in(environ) -> bool:
    if environ.get("HTTP_AUTHORIZATION"):
        return True
    cookies = environ.get("HTTP_COOKIE", "")
    return any(name in cookies for name in LOGIN_COOKIES)


def token_of(body: bytes) -> str | None:
    """The ``t`` field of an application/x-www-form-urlencoded (or text/plain) body."""
    for part in body.split(b"&"):
        if part.startswith(b"t="):
            try:
                return part[2:].decode("ascii").strip()
            except UnicodeDecodeError:
                return None
    return None


class Outcome(NamedTuple):
    status: int
    note: str  # the X-Pageview header: "counted" or "refused: <reason>"

    @property
    def counted(self) -> bool:
        return self.note == "counted"


COUNTED = Outcome(204, "counted")


class Collector:
    """Counts page views into a store (by default the instance's, found on first use)."""

    def __init__(self, directory=None):
        self.directory = directory
        self._store = None

    @property
    def store(self) -> store_module.PageViewStore:
        if self._store is None:
            self._store = store_module.get_store(self.directory)
        return self._store

    def refuse(self, reason: str, status: int = 204) -> Outcome:
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("page view not counted: %s", reason)
        return Outcome(status, f"refused: {reason}")

    def handle(self, environ, body: bytes | None) -> Outcome:
        """Count the beacon if it is a real page view; say what to answer."""
        if environ.get("REQUEST_METHOD") != "POST":
            return self.refuse("method is not POST", 405)
        if body is None:
            return self.refuse("body too large", 413)
        if is_prefetch(environ):
            return self.refuse("prefetch or prerender")
        if not is_same_origin(environ):
            return self.refuse("not sent from a page of this site")
        if is_logged_in(environ):
            return self.refuse("logged-in user")
        device = classify.classify(environ.get("HTTP_USER_AGENT", ""))
        if device is None:
            return self.refuse("crawler or no user agent")
        try:
            uid = token_module.verify(token_of(body), self.store.secret())
            if uid is None:
                return self.refuse("missing or invalid page token")
            self.store.add(store_module.today_in_tokyo().isoformat(), uid, device)
        except store_module.STORE_ERRORS:
            logger.exception("page view not counted: the page-view store failed")
            return Outcome(503, "refused: store failed")
        return COUNTED

    def handle_wsgi(self, environ) -> Outcome:
        """Read the body from ``wsgi.input`` (at most MAX_BODY bytes) and handle the beacon."""
        body = b""
        if environ.get("REQUEST_METHOD") == "POST":
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = MAX_BODY + 1
            if length > MAX_BODY:
                body = None
            elif length > 0:
                body = environ["wsgi.input"].read(length)
        return self.handle(environ, body)
