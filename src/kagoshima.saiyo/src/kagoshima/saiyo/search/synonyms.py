"""Synonyms of the site search, edited by administrators (サイト設定 → 検索の同義語).

The registry record ``kagoshima.saiyo.search.synonyms`` holds one group per line, its
words separated by 「,」「、」 or 「=」 (育休=育児休業=育児休暇). Queries are expanded with
them when they are run, so changing a line needs no reindexing. The record is parsed once
per value (the table is cached on the value itself), not once per query.
"""

from plone.registry.interfaces import IRegistry
from zope import schema
from zope.component import queryUtility
from zope.interface import Interface
from zope.schema import ValidationError

import re
import threading


__all__ = ["RECORD", "ISearchSettings", "SynonymError", "SynonymTable", "parse", "table", "validate"]

RECORD = "kagoshima.saiyo.search.synonyms"
SEPARATORS = re.compile(r"[,、=，＝]")
MAX_WORD_LENGTH = 40
MAX_LINES = 2000

_cache: dict[tuple, "SynonymTable"] = {}
_cache_lock = threading.Lock()


class SynonymError(ValueError):
    """A faulty line; ``message`` is the Japanese text shown to the administrator."""

    def __init__(self, number: int, message: str):
        super().__init__(f"line {number}: {message}")
        self.number = number
        self.message = message


def _is_comment(line: str) -> bool:
    return not line.strip() or line.strip().startswith("#")


def parse(lines) -> list[list[str]]:
    """The groups of the lines (comments and empty lines skipped); raises SynonymError for a faulty line."""
    from kagoshima.saiyo.search import analysis

    groups = []
    lines = list(lines or ())
    if len(lines) > MAX_LINES:
        raise SynonymError(len(lines), f"同義語は {MAX_LINES} 行までです（{len(lines)} 行あります）。")
    for number, line in enumerate(lines, start=1):
        if _is_comment(line):
            continue
        shown = line.strip()
        words = [word.strip() for word in SEPARATORS.split(shown)]
        if any(not word for word in words):
            raise SynonymError(
                number,
                f"{number}行目「{shown}」：区切り記号（「,」「、」「=」）の前後に語がありません。",
            )
        if len(words) < 2:
            raise SynonymError(
                number,
                f"{number}行目「{shown}」：同じ意味の語を2語以上、「,」「、」または「=」で区切って書いてください"
                "（例：育休=育児休業=育児休暇）。",
            )
        for word in words:
            if len(word) > MAX_WORD_LENGTH:
                raise SynonymError(
                    number, f"{number}行目：「{word}」が長すぎます（1語 {MAX_WORD_LENGTH} 文字まで）。"
                )
            if "<" in word or ">" in word:
                raise SynonymError(number, f"{number}行目：「{word}」に「<」「>」は使えません。")
            if not analysis.phrase_keys(word):
                raise SynonymError(
                    number,
                    f"{number}行目：「{word}」は助詞や記号だけで、検索に使える語を含みません。",
                )
        groups.append(words)
    return groups


def validate(lines) -> None:
    """Raise SynonymError for the first faulty line."""
    parse(lines)


class InvalidSynonyms(ValidationError):
    """The form's error for a faulty line: its Japanese message names the line."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def doc(self):
        return self.message


def _check(lines) -> bool:
    try:
        parse(lines)
    except SynonymError as error:
        raise InvalidSynonyms(error.message) from None
    return True


class ISearchSettings(Interface):
    """Settings of the site search (registry prefix ``kagoshima.saiyo.search``)."""

    synonyms = schema.List(
        title="同義語",
        description=(
            "1行に1組、同じ意味で使われる語を「,」「、」または「=」で区切って書きます。"
            "例：「育休=育児休業=育児休暇」「残業、時間外勤務」「Uターン, UIターン, Iターン」。"
            "どれか1語で検索すると、同じ行のほかの語を含むページも見つかります。"
            "変更はすぐに検索に反映されます（再索引は不要です）。「#」で始まる行はメモとして無視されます。"
        ),
        value_type=schema.TextLine(),
        required=False,
        default=[],
        missing_value=[],
        constraint=_check,
    )


class SynonymTable:
    """Synonym groups by the analysed keys of their words, for query expansion."""

    def __init__(self, groups: list[list[str]]):
        from kagoshima.saiyo.search import analysis

        self._alternatives: dict[tuple, set[str]] = {}
        self._phrases: dict[str, list[str]] = {}
        self.longest = 1
        for words in groups:
            analysed = [(word, analysis.phrase_keys(word)) for word in words]
            analysed = [(word, keys) for word, keys in analysed if keys]
            alternatives = {" ".join(keys) for _word, keys in analysed}
            # Pages may have a compound's parts only (大学/卒業 rather than 大学卒業).
            alternatives.update(" ".join(analysis.phrase_parts(word)) for word, _keys in analysed)
            for word, keys in analysed:
                self._alternatives.setdefault(keys, set()).update(alternatives)
                # A kana query (いくきゅう) meets the group through the word's reading.
                reading = analysis.phrase_reading(word)
                if reading:
                    self._alternatives.setdefault((analysis.READING_PREFIX + reading,), set()).update(
                        alternatives
                    )
                self.longest = max(self.longest, len(keys))
                for other, _keys in analysed:
                    if other != word:
                        phrases = self._phrases.setdefault("".join(keys), [])
                        if other not in phrases:
                            phrases.append(other)

    def alternatives(self, keys: tuple) -> set[str]:
        """All alternatives of the groups a run of query keys belongs to (empty when none)."""
        return set(self._alternatives.get(keys, ()))

    def phrases(self, key: str) -> list[str]:
        """The other words of the groups a key belongs to, as written by the administrator."""
        return list(self._phrases.get(key, ()))


def current_lines() -> tuple:
    registry = queryUtility(IRegistry)
    if registry is None:
        return ()
    return tuple(registry.get(RECORD, None) or ())


def table(lines=None) -> SynonymTable:
    """The synonym table of the site's record (or of the given lines), parsed once per value."""
    lines = current_lines() if lines is None else tuple(lines)
    found = _cache.get(lines)
    if found is not None:
        return found
    try:
        groups = parse(lines)
    except SynonymError:
        # A record saved around the form (GenericSetup, scripts): keep the good lines.
        groups = []
        for line in lines:
            try:
                groups.extend(parse([line]))
            except SynonymError:
                continue
    built = SynonymTable(groups)
    with _cache_lock:
        if len(_cache) > 8:
            _cache.clear()
        _cache[lines] = built
    return built
