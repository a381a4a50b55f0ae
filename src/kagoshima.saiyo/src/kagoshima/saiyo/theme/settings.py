"""Reading 採用サイトの表示設定 with its defaults when a record is missing."""

from kagoshima.saiyo.theme.interfaces import IDisplaySettings
from kagoshima.saiyo.theme.interfaces import REGISTRY_PREFIX
from plone.registry.interfaces import IRegistry
from zope.component import getUtility


def display_setting(name: str):
    value = getUtility(IRegistry).get(f"{REGISTRY_PREFIX}.{name}")
    return IDisplaySettings[name].default if value is None else value


def parse_links(lines) -> list[dict]:
    """「表示名|URL」 lines as ``{"title", "url"}``; lines without an http(s) URL are skipped."""
    links = []
    for line in lines or ():
        title, _, url = (line or "").partition("|")
        title, url = title.strip(), url.strip()
        if title and url.startswith(("https://", "http://")):
            links.append({"title": title, "url": url})
    return links
