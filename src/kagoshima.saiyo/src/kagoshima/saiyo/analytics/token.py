"""Signed page tokens: ``<uid>.<hmac>``, so the collector accepts only pages the site rendered.

The page embeds the token only when it renders a published page for an anonymous visitor
(``viewlets.PageViewViewlet``). The collector checks the HMAC with the store's secret and
needs no catalog lookup: a forged or mistyped UID is refused without reaching Zope.
The token does not expire, because cached pages must go on counting; it proves only that
the site once rendered that page publicly.
"""

import hashlib
import hmac
import re


SIGNATURE_LENGTH = 32  # hex characters: 128 bits of HMAC-SHA256
TOKEN = re.compile(rf"^([A-Za-z0-9-]{{1,64}})\.([0-9a-f]{{{SIGNATURE_LENGTH}}})$")


def _signature(uid: str, secret: bytes) -> str:
    return hmac.new(secret, uid.encode("ascii"), hashlib.sha256).hexdigest()[:SIGNATURE_LENGTH]


def sign(uid: str, secret: bytes) -> str:
    return f"{uid}.{_signature(uid, secret)}"


def verify(token, secret: bytes) -> str | None:
    """The UID of a valid token, else None."""
    if not isinstance(token, str):
        return None
    match = TOKEN.match(token)
    if match is None:
        return None
    uid, signature = match.groups()
    if not hmac.compare_digest(signature, _signature(uid, secret)):
        return None
    return uid
