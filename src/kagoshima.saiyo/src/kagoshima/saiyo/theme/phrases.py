"""Japanese headings broken at phrase boundaries in every browser.

Chromium 119+ (and so Edge 124) breaks Japanese text between phrases with the CSS
``word-break: auto-phrase`` (saiyo.css); Firefox and Safari do not know it yet. For the
short, large headings where a bad break shows most (the top page's 「鹿児島の未来を、ここから。」)
``phrase_html`` marks the phrase boundaries with ``<wbr>`` using BudouX (Google's
phrase segmenter, its Japanese model ships with the package), and the CSS keeps the
heading from breaking anywhere else (``word-break: keep-all``) when auto-phrase is missing.
"""

from functools import lru_cache
from markupsafe import escape
from markupsafe import Markup

import budoux


_PARSER = None


def _parser():
    global _PARSER
    if _PARSER is None:
        _PARSER = budoux.load_default_japanese_parser()
    return _PARSER


@lru_cache(maxsize=256)
def phrase_html(text: str) -> Markup:
    """「鹿児島の<wbr>未来を、<wbr>ここから。」: the text escaped, <wbr> between its phrases."""
    if not text:
        return Markup("")
    return Markup("<wbr>").join(escape(phrase) for phrase in _parser().parse(str(text)))
