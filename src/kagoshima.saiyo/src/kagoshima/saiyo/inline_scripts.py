"""Which inline scripts the site's pages may run: the one answer security and the features share.

A feature that inlines a script registers an ``IInlineScripts`` utility (theme: the
pre-paint settings; analytics: the page-view beacon and the gtag snippet). The
Content-Security-Policy (security/headers.py) allows the hashes of exactly these bodies,
so neither side imports the other.
"""

from kagoshima.saiyo.interfaces import IInlineScripts
from zope.component import getUtilitiesFor

import base64
import hashlib
import logging
import re


logger = logging.getLogger("kagoshima.saiyo")

SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def bodies_of(html: str) -> list[str]:
    """The bodies of the attribute-less ``<script>`` elements of an HTML snippet."""
    return SCRIPT.findall(html)


def allowed_scripts() -> list[str]:
    """Every inline script body the registered features may send, in a stable order."""
    bodies = []
    for name, provider in sorted(getUtilitiesFor(IInlineScripts), key=lambda item: item[0]):
        try:
            bodies.extend(provider.scripts())
        except Exception:  # one feature's trouble must not take the others' scripts away
            logger.exception("inline scripts of %r could not be listed", name)
    return bodies


def csp_hash(body: str) -> str:
    """The CSP source expression that allows one script body: ``'sha256-…'``."""
    digest = hashlib.sha256(body.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"
