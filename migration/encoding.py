"""Decode a page: the charset of the HTTP header, then of the meta tag, then detection.

Shift_JIS is decoded as CP932 (its Windows superset, which is what the old pages really
contain: ①, ㈱, 髙, ～) and EUC-JP as EUC-JP, as browsers do.
"""

from dataclasses import dataclass

import charset_normalizer
import codecs
import re


ALIASES = {
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "ms_kanji": "cp932",
    "windows-31j": "cp932",
    "cp932": "cp932",
    "euc-jp": "euc_jp",
    "euc_jp": "euc_jp",
    "x-euc-jp": "euc_jp",
    "utf8": "utf-8",
    "utf-8": "utf-8",
}
_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_HEADER = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.I)


@dataclass
class Decoded:
    text: str
    encoding: str  # the codec used, e.g. "cp932"
    source: str  # "header", "meta", "bom", "detected" or "fallback"
    warning: str = ""


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().lower()
    name = ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _try(data: bytes, codec: str | None) -> str | None:
    if codec is None:
        return None
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def decode(data: bytes, content_type: str | None = None) -> Decoded:
    """Decode ``data``; ``content_type`` is the HTTP Content-Type header when there was one."""
    warnings = []
    if content_type:
        match = _HEADER.search(content_type)
        if match:
            codec = _codec(match.group(1))
            text = _try(data, codec)
            if text is not None:
                return Decoded(text, codec, "header")
            warnings.append(f"HTTP ヘッダーの文字コード {match.group(1)} では読めませんでした")
    if data.startswith(codecs.BOM_UTF8):
        return Decoded(data[3:].decode("utf-8", errors="replace"), "utf-8", "bom")
    match = _META.search(data[:4096])
    if match:
        codec = _codec(match.group(1).decode("ascii"))
        text = _try(data, codec)
        if text is not None:
            return Decoded(text, codec, "meta", "; ".join(warnings))
        warnings.append(f"meta タグの文字コード {match.group(1).decode('ascii')} では読めませんでした")
    text = _try(data, "utf-8")
    if text is not None and not data.isascii():
        return Decoded(text, "utf-8", "detected", "; ".join(warnings))
    best = charset_normalizer.from_bytes(data, cp_isolation=["cp932", "euc_jp", "utf_8", "iso2022_jp"]).best()
    if best is not None:
        codec = _codec(best.encoding) or best.encoding
        text = _try(data, codec)
        if text is not None:
            return Decoded(text, codec, "detected", "; ".join(warnings))
    if text is None:
        text = data.decode("utf-8", errors="replace")
        warnings.append("文字コードを判定できず、読めない文字を置き換えました")
        return Decoded(text, "utf-8", "fallback", "; ".join(warnings))
    return Decoded(text, "ascii", "detected", "; ".join(warnings))
