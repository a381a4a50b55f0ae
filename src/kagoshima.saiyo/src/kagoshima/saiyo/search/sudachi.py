"""One SudachiPy tokenizer per thread, and text cut to the length Sudachi accepts.

SudachiPy's tokenizer keeps mutable state and must not be shared between waitress's
threads; the dictionary itself (SudachiDict core, shipped as a package) is memory-mapped
once per process and shared. Sudachi refuses inputs over 49,149 bytes, so long texts are
cut at sentence or line ends into pieces well under that.
"""

from sudachipy import Dictionary
from sudachipy import SplitMode

import re
import threading


__all__ = ["SplitMode", "morphemes", "pieces"]

# UTF-8 takes at most 3 bytes for the Japanese characters of these pages (4 for rare
# ones): 8,000 characters stay below Sudachi's 49,149-byte limit in every case.
MAX_PIECE_CHARS = 8000
_SENTENCE_END = re.compile(r"(?<=[。！？!?\n])")

_dictionary = None
_dictionary_lock = threading.Lock()
_local = threading.local()


def _get_dictionary() -> Dictionary:
    global _dictionary
    if _dictionary is None:
        with _dictionary_lock:
            if _dictionary is None:
                _dictionary = Dictionary(dict="core")
    return _dictionary


def _tokenizer():
    tokenizer = getattr(_local, "tokenizer", None)
    if tokenizer is None:
        tokenizer = _local.tokenizer = _get_dictionary().create(mode=SplitMode.C)
    return tokenizer


def pieces(text: str, limit: int = MAX_PIECE_CHARS):
    """Yield consecutive pieces of text, each at most limit characters, cut after sentence ends."""
    start = 0
    length = len(text)
    while start < length:
        end = min(start + limit, length)
        if end < length:
            window = text[start:end]
            cuts = [match.start() for match in _SENTENCE_END.finditer(window) if match.start() > 0]
            if cuts:
                end = start + cuts[-1]
        yield text[start:end]
        start = end


def morphemes(text: str, mode: SplitMode = SplitMode.C):
    """Yield Sudachi morphemes of text (split mode C: the longest units), whatever its length."""
    tokenizer = _tokenizer()
    for piece in pieces(text):
        yield from tokenizer.tokenize(piece, mode)
