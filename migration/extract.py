"""Main content of an old page: the configured content area without header, navigation and footer."""

from bs4 import BeautifulSoup
from dataclasses import dataclass

import re
import unicodedata


@dataclass
class Extracted:
    title: str
    soup: BeautifulSoup  # the whole document (for <title>, <meta>)
    main: object  # the content element (a bs4 Tag), header/nav/footer removed
    selector: str  # which selector found it

    @property
    def text(self) -> str:
        return clean_text(self.main.get_text(" "))


def clean_text(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def norm(text: str) -> str:
    """NFKC + collapsed whitespace, for comparing labels."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def extract(html: str, rules: dict) -> Extracted:
    soup = BeautifulSoup(html, "lxml")
    main, used = None, ""
    for selector in rules.get("content_selectors", ["body"]):
        main = soup.select_one(selector)
        if main is not None:
            used = selector
            break
    if main is None:
        main, used = soup, "document"
    for selector in rules.get("drop_selectors", []):
        for element in main.select(selector):
            element.decompose()
    heading = main.find("h1")
    title = clean_text(heading.get_text(" ")) if heading else ""
    if not title and soup.title is not None:
        title = clean_text(soup.title.get_text())
        for suffix in rules.get("title_suffixes", []):
            if title.endswith(suffix):
                title = title[: -len(suffix)].strip()
    return Extracted(title=title, soup=soup, main=main, selector=used)
