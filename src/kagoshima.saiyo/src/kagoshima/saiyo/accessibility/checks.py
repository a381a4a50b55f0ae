"""Accessibility findings in rich text, for authors who are not web specialists.

``findings(html)`` returns a list of Finding: which rule (``check``), a Japanese message and
the element it concerns (a short excerpt the author can find in the editor). Rules:

- ``img-alt``: an image without 代替テキスト (alt);
- ``heading-skip``: a heading level skipped (見出し2 → 見出し4), or the text starting below 見出し2;
- ``table-header``: a table without header cells (th);
- ``link-text``: a link with no text, or a text that says nothing out of context (「こちら」「ここ」…);
- ``izon-moji``: 機種依存文字 (①, ㈱, ㍻, Ⅳ, half-width kana…);
- ``zenkaku-alnum``: 全角英数字 (ＡＢＣ, １２３);
- ``media-captions``, ``media-transcript`` (``findings_of`` only): a video without captions, a
  video or audio without a transcript (media/checks.py, WCAG 1.2.1–1.2.3).
"""

from dataclasses import dataclass

import lxml.html
import re
import unicodedata


LABELS = {
    "img-alt": "画像の代替テキスト",
    "heading-skip": "見出しの順序",
    "table-header": "表の見出しセル",
    "link-text": "リンクの文言",
    "izon-moji": "機種依存文字",
    "zenkaku-alnum": "全角英数字",
    "media-captions": "動画の字幕",
    "media-transcript": "動画・音声の文字起こし",
}
MEANINGLESS_LINK_TEXTS = {
    "こちら",
    "ここ",
    "詳しくはこちら",
    "詳細はこちら",
    "くわしくはこちら",
    "こちらをクリック",
    "ここをクリック",
    "クリック",
    "こちらから",
    "リンク",
    "詳細",
    "click here",
    "here",
    "more",
    "link",
}
# 機種依存文字: circled and parenthesised numbers and ideographs, unit squares, era squares,
# Roman numerals, half-width katakana.
IZON = re.compile("[\u2460-\u24ff\u2160-\u217f\u3200-\u33ff\uff61-\uff9f\u2116\u2121]")
ZENKAKU_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+")
EXCERPT = 40


@dataclass(frozen=True)
class Finding:
    check: str
    message: str
    element: str

    @property
    def label(self):
        return LABELS.get(self.check, self.check)

    def as_dict(self):
        return {"check": self.check, "label": self.label, "message": self.message, "element": self.element}


def _text(element) -> str:
    return " ".join(element.text_content().split())


def _short(text: str) -> str:
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…"


def _describe(element) -> str:
    tag = element.tag
    if tag == "img":
        return f'<img src="{_short(element.get("src", ""))}">'
    text = _text(element)
    return f"<{tag}>{_short(text)}</{tag}>" if text else f"<{tag}>"


def _link_text(element) -> str:
    parts = [_text(element)]
    parts += [img.get("alt", "") for img in element.iter("img")]
    parts.append(element.get("aria-label", ""))
    return " ".join(part for part in parts if part).strip()


def findings(html: str | None, start_level: int = 1) -> list[Finding]:
    """``start_level``: the heading level the text sits under (1: the page title; 2: a section)."""
    if not html or not html.strip():
        return []
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return []
    result = []
    for img in root.iter("img"):
        if not (img.get("alt") or "").strip():
            result.append(
                Finding(
                    "img-alt",
                    "画像に代替テキスト（alt）がありません。画像の内容を短い文で入力してください。",
                    _describe(img),
                )
            )
    previous = start_level
    for heading in root.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        level = int(heading.tag[1])
        if level == 1:
            result.append(
                Finding(
                    "heading-skip",
                    "本文に見出し1は使えません（ページのタイトルが見出し1です）。見出し2から始めてください。",
                    _describe(heading),
                )
            )
        elif level > previous + 1:
            result.append(
                Finding(
                    "heading-skip",
                    f"見出し{previous}の次が見出し{level}です。見出しのレベルを飛ばさないでください（見出し{previous + 1}にする）。",
                    _describe(heading),
                )
            )
        previous = level
    for table in root.iter("table"):
        if not list(table.iter("th")):
            result.append(
                Finding(
                    "table-header",
                    "表に見出しセルがありません。1行目（または1列目）を見出しセルにしてください。",
                    _describe(table),
                )
            )
    for link in root.iter("a"):
        if link.get("href") is None:
            continue
        text = _link_text(link)
        normalised = unicodedata.normalize("NFKC", text).strip(" 。.、>»→").casefold()
        if not text:
            result.append(
                Finding(
                    "link-text",
                    "リンクに文言がありません。リンク先が分かる文言を入れてください。",
                    f'<a href="{_short(link.get("href", ""))}">',
                )
            )
        elif normalised in MEANINGLESS_LINK_TEXTS:
            result.append(
                Finding(
                    "link-text",
                    f"リンクの文言「{text}」ではリンク先が分かりません。「受験案内（PDF）」のように、行き先が分かる文言にしてください。",
                    _describe(link),
                )
            )
    text = root.text_content()
    for char in sorted(set(IZON.findall(text))):
        replacement = unicodedata.normalize("NFKC", char)
        hint = f"「{replacement}」など" if replacement != char else "ほかの文字"
        result.append(
            Finding(
                "izon-moji",
                f"機種依存文字「{char}」は環境によって正しく表示されません。{hint}に置き換えてください。",
                _context(text, char),
            )
        )
    for match in sorted(set(ZENKAKU_ALNUM.findall(text))):
        result.append(
            Finding(
                "zenkaku-alnum",
                f"全角英数字「{match}」は半角（{unicodedata.normalize('NFKC', match)}）で入力してください。",
                _context(text, match),
            )
        )
    return result


def _context(text: str, needle: str) -> str:
    index = text.find(needle)
    start = max(0, index - 10)
    return _short(" ".join(text[start : index + len(needle) + 10].split()))


def richtext_html(obj) -> list[tuple[str, str]]:
    """(field title, raw HTML, heading level above it) of every rich-text field of an item."""
    from plone.app.textfield.interfaces import IRichText
    from plone.dexterity.utils import iterSchemata
    from zope.schema import getFieldsInOrder

    result = []
    for schema in iterSchemata(obj):
        adapted = schema(obj, None)
        if adapted is None:
            continue
        for name, field in getFieldsInOrder(schema):
            if IRichText.providedBy(field):
                value = getattr(adapted, name, None)
                raw = getattr(value, "raw", None)
                if raw:
                    # Only the main text sits right under the page title; other rich-text
                    # fields are shown under a section heading (見出し2) of their own.
                    result.append((str(field.title), raw, 1 if name == "text" else 2))
    return result


def findings_of(obj) -> list[dict]:
    """Every finding of an item's rich text, each with the field it is in."""
    result = []
    try:
        fields = richtext_html(obj)
    except TypeError:
        return result
    for title, html, level in fields:
        for finding in findings(html, start_level=level):
            result.append(dict(finding.as_dict(), field=title))
    from kagoshima.saiyo.media.checks import media_findings

    for check, message in media_findings(obj):
        element = getattr(obj, "Title", lambda: "")() or getattr(obj, "id", "")
        result.append(dict(Finding(check, message, _short(element)).as_dict(), field="動画・音声"))
    return result
