"""User agents: crawler or not, and the class of device (only the class is ever kept).

Crawlers are recognised by ``crawlerdetect`` (the Python port of JayBizzle's
Crawler-Detect: about 1,500 maintained patterns of bots, spiders, scrapers, HTTP
libraries and headless browsers). An empty user agent counts as a crawler too: every
browser sends one. The device class is read from the user agent with the usual tokens;
an iPad that presents itself as a Mac (iPadOS 13 and later) is counted as a desktop.
"""

from crawlerdetect import CrawlerDetect
from functools import lru_cache

import re


MAX_LENGTH = 512
TABLET = re.compile(
    r"iPad|Tablet(?! PC)|PlayBook|Silk/|Kindle|Nexus (?:7|9|10)\b|Android(?!.*Mobile)", re.IGNORECASE
)
MOBILE = re.compile(r"Mobi|iPhone|iPod|Android|Windows Phone|BlackBerry|Opera Mini|IEMobile", re.IGNORECASE)

_detector = CrawlerDetect()


@lru_cache(maxsize=4096)
def classify(user_agent: str) -> str | None:
    """``'mobile'``, ``'tablet'`` or ``'desktop'``; None for a crawler or no user agent."""
    agent = (user_agent or "").strip()[:MAX_LENGTH]
    if not agent or _detector.is_crawler(agent):
        return None
    if TABLET.search(agent):
        return "tablet"
    if MOBILE.search(agent):
        return "mobile"
    return "desktop"
