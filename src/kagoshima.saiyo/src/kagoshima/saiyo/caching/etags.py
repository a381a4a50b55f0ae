"""The ``saiyoClock`` ETag component.

A page's ETag must change whenever the page would render differently, or a cache that
revalidates (nginx with ``proxy_cache_revalidate``, every browser after ``max-age=0``)
gets "304 Not Modified" and keeps the old page. plone.app.caching's ``catalogCounter``
covers edits, publishing and moves. It does not cover what changes with time alone:
an exam's status (受付前 → 受付中 → 受付終了 is computed from its dates at view time),
items whose publishing date arrives, or settings edited in the control panels. This
component is the current minute in Tokyo, so such a change reaches every visitor within
a minute plus the page's s-maxage; within the minute revalidation stays a cheap 304.
"""

from datetime import datetime
from kagoshima.saiyo.dates import TOKYO
from plone.app.caching.interfaces import IETagValue
from zope.component import adapter
from zope.interface import implementer
from zope.interface import Interface


@implementer(IETagValue)
@adapter(Interface, Interface)
class Clock:
    def __init__(self, published, request):
        self.published = published
        self.request = request

    def __call__(self) -> str:
        return datetime.now(TOKYO).strftime("%Y%m%d%H%M")
