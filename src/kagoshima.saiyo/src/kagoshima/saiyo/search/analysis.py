"""Japanese analysis of the site search: the terms a page is indexed under and a query asks for.

Built on SudachiPy (``search.sudachi``). A page's text becomes a list of terms:

- each content word as a key: Sudachi's normalised form (申込み/申し込み → 申し込み), folded
  by ``normalize`` (NFKC width, lower case, カタカナ長音) and by ``okurigana_free`` so that
  申し込み/申込み/申込 and 受け付け/受付 meet;
- the parts of compounds (Sudachi's split mode A): 大学卒業 is also 大学 and 卒業, 受付中
  is also 受付, so a query 「試験」 finds 「大学卒業程度試験」;
- readings in hiragana, prefixed ``r:``, of words, of their parts and of runs of two or
  three nouns, so that きゅうよ, いくきゅう and しけんにってい find 給与, 育休 and 試験日程;
- character bigrams, prefixed ``g:``, of words the dictionary does not know and of runs of
  katakana, latin letters or digits, so that names and new words still match partially.

A query becomes groups, one per concept: each group is the set of alternatives any of
which satisfies it (the word's key, its reading for kana queries, its synonyms). An
alternative made of several terms separated by a space (``"育児 休業"``, ``"g:キャ g:ャリ"``)
is satisfied when a page has all of them; one starting with ``~`` (the bigrams of an
unknown, possibly misspelt word) when it has all but two of them. Particles, auxiliaries, punctuation and question
words (「は」「いくら」「ですか」「について」) are left out of queries.
"""

from collections import OrderedDict
from kagoshima.saiyo.search.sudachi import morphemes
from kagoshima.saiyo.search.sudachi import pieces
from kagoshima.saiyo.search.sudachi import SplitMode

import re
import threading
import unicodedata


__all__ = [
    "document_terms",
    "highlight_spans",
    "normalize",
    "okurigana_free",
    "query_groups",
    "query_interpretations",
    "query_phrases",
    "query_terms",
    "suggestions",
    "title_terms",
]

READING_PREFIX = "r:"
GRAM_PREFIX = "g:"
# An alternative starting with this is satisfied by most (not all) of its terms.
FUZZY_PREFIX = "~"

# Parts of speech that never carry meaning on their own.
_FUNCTION_POS = frozenset({"助詞", "助動詞", "補助記号", "空白", "記号"})
_NOUN_POS = frozenset({"名詞", "接頭辞", "接尾辞"})
_CONTENT_POS = frozenset({"名詞", "動詞", "形容詞", "形状詞", "副詞", "接頭辞", "接尾辞", "連体詞", "感動詞"})

# Words of a question that say nothing about what is sought, as Sudachi's normalised
# forms: question words, light verbs and formal nouns (「給料はいくらですか」 asks for 給料).
_QUERY_STOP = frozenset(
    """
    幾ら いくら 何 なに なん 何故 なぜ 如何 どう 何処 どこ 何時 いつ 誰 だれ 何れ どれ 何の どの どんな
    どなた どちら 何方 何か 幾つ いくつ どのくらい どれくらい
    有る ある 居る いる 為る する 成る なる 出来る できる 付く つく 関する 対する 就く 於く おく
    教える 知る 分かる 分る 解る 思う 考える 言う 下さる くださる 頂く いただく 貰う もらう 欲しい ほしい
    良い いい よい 可い 遣る やる 見る みる 行く いく 来る くる
    事 こと 物 もの 所 ところ 時 とき 為 ため 様 よう 方 ほう 辺り あたり 位 くらい ぐらい 程 ほど 際 場合
    それ これ あれ ここ そこ 其れ 此れ 此処 其処 等 など 的
    """.split()
)

# Question tails typed as words of their own (「給与 について」), read as nothing.
_FUNCTION_PHRASES = frozenset(
    "について とは には では ですか ますか ください くださ おしえて 教えて しりたい 知りたい って なに なん いつ どこ だれ"
    " いくら どう どんな どうして なぜ".split()
)

_KANJI = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヵヶ"
_HIRAGANA_RE = re.compile(r"[\u3041-\u309f]")
_KANJI_RE = re.compile(f"[{_KANJI}]")
_KANJI_RUN_RE = re.compile(f"[{_KANJI}]+")
_ALL_HIRAGANA_RE = re.compile(r"^[\u3041-\u309fー]+$")
_KATAKANA_WORD_RE = re.compile(r"[\u30a1-\u30faー]+")
_GRAM_RUN_RE = re.compile(r"[\u30a1-\u30faー]+|[a-z0-9]+")
# Dashes and tildes that people type instead of the long-vowel mark after katakana.
_LONG_VOWEL_LOOKALIKE_RE = re.compile(r"(?<=[\u30a1-\u30fa])[-‐‑‒–—―−～〜~](?=[\u30a1-\u30fa]|$|\s)")
_QUERY_SPLIT_RE = re.compile(r"[\s\u3000]+")


def normalize(text: str) -> str:
    """Fold width, case and katakana long-vowel variants: ``Ｕターン`` → ``uターン``, コンピューター → コンピュータ."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _LONG_VOWEL_LOOKALIKE_RE.sub("ー", text)
    return _KATAKANA_WORD_RE.sub(_drop_final_long_vowel, text)


def _drop_final_long_vowel(match) -> str:
    # JIS Z 8301 style: words of three or more morae may drop their final ー
    # (コンピューター/コンピュータ, サーバー/サーバ); shorter ones (キー, カー) keep it.
    word = match.group(0)
    if len(word) >= 4 and word.endswith("ー") and not word.endswith("ーー"):
        return word[:-1]
    return word


def okurigana_free(word: str) -> str:
    """申し込み/申込み → 申込, 受け付け → 受付: kana between kanji left out, when two or more kanji remain."""
    if not _KANJI_RE.search(word) or not _HIRAGANA_RE.search(word):
        return word
    if any(not (_KANJI_RE.match(ch) or _HIRAGANA_RE.match(ch)) for ch in word):
        return word
    kanji = "".join(ch for ch in word if _KANJI_RE.match(ch))
    return kanji if len(kanji) >= 2 else word


def key(word: str) -> str:
    """The index key of a word (a Sudachi normalised form or a surface)."""
    return okurigana_free(normalize(word))


def hiragana(text: str) -> str:
    """Katakana to hiragana, long-vowel marks left out (readings are compared without them)."""
    out = []
    for ch in normalize(text):
        code = ord(ch)
        if 0x30A1 <= code <= 0x30F6:
            out.append(chr(code - 0x60))
        elif ch != "ー":
            out.append(ch)
    return "".join(out)


_SMALL_KANA = str.maketrans(
    "ァィゥェォッャュョヮヵヶぁぃぅぇぉっゃゅょゎ", "アイウエオツヤユヨワカケあいうえおつやゆよわ"
)


def fuzzy_needed(count: int) -> int:
    """How many of a misspelt word's bigrams a page must have: one wrong letter spoils two."""
    return max(3, count - 2)


def bigrams(word: str) -> list[str]:
    """Prefixed character bigrams of a word; a word of two characters is its own bigram.

    Small kana count as their full-size letters (インターンシツプ still meets インターンシップ).
    """
    word = word.translate(_SMALL_KANA)
    if len(word) < 2:
        return []
    return [GRAM_PREFIX + word[i : i + 2] for i in range(len(word) - 1)]


def _pos(morpheme) -> tuple:
    return morpheme.part_of_speech()


def _is_function(morpheme) -> bool:
    return _pos(morpheme)[0] in _FUNCTION_POS or not morpheme.surface().strip()


def _reading(morpheme) -> str:
    reading = morpheme.reading_form()
    if not reading or morpheme.is_oov():
        return ""
    return hiragana(reading)


def _parts(morpheme) -> list:
    """Mode-A parts of a noun compound (大学卒業 → 大学, 卒業), or nothing."""
    if _pos(morpheme)[0] != "名詞":
        return []
    parts = morpheme.split(SplitMode.A)
    return list(parts) if len(parts) > 1 else []


def _word_terms(morpheme) -> list[str]:
    """The terms of one content morpheme: key, reading, compound parts, n-grams."""
    main = key(morpheme.normalized_form())
    terms = [main]
    surface = key(morpheme.surface())
    if surface != main:
        terms.append(surface)
    reading = _reading(morpheme)
    if reading and _pos(morpheme)[1] != "数詞":
        terms.append(READING_PREFIX + reading)
    for part in _parts(morpheme):
        if _is_function(part):
            continue
        terms.append(key(part.normalized_form()))
        part_reading = _reading(part)
        if part_reading:
            terms.append(READING_PREFIX + part_reading)
    if morpheme.is_oov():
        terms.extend(bigrams(normalize(morpheme.surface())))
    return terms


def document_terms(text: str) -> list[str]:
    """The index terms of a text, in order of appearance (repeated terms repeated)."""
    if not text or not text.strip():
        return []
    terms: list[str] = []
    run: list[str] = []  # readings of the current run of nouns

    def close_run():
        # Readings of two and three adjacent nouns: しけんにってい for 試験日程.
        for size in (2, 3):
            for start in range(len(run) - size + 1):
                terms.append(READING_PREFIX + "".join(run[start : start + size]))
        run.clear()

    for morpheme in morphemes(text):
        if _is_function(morpheme):
            close_run()
            continue
        terms.extend(_word_terms(morpheme))
        reading = _reading(morpheme)
        if _pos(morpheme)[0] in _NOUN_POS and reading:
            run.append(reading)
        else:
            close_run()
    close_run()
    for match in _GRAM_RUN_RE.finditer(normalize(text)):
        if len(match.group(0)) >= 3:
            terms.extend(bigrams(match.group(0)))
    return terms


def title_terms(text: str) -> list[str]:
    """The terms of a title (the same analysis; the index weighs them more)."""
    return document_terms(text)


# Queries ---------------------------------------------------------------------------


def _is_query_content(morpheme) -> bool:
    if _is_function(morpheme):
        return False
    pos = _pos(morpheme)
    if pos[0] not in _CONTENT_POS or pos[0] in ("接頭辞", "接尾辞", "代名詞"):
        return False
    return True


def _is_stop(morpheme) -> bool:
    lemma = morpheme.normalized_form()
    return lemma in _QUERY_STOP or morpheme.dictionary_form() in _QUERY_STOP


def _content_morphemes(text: str) -> list:
    """The morphemes of a query chunk that name what is sought."""
    candidates = [m for m in morphemes(text) if _is_query_content(m)]
    content = [m for m in candidates if not _is_stop(m)]
    # A query made only of such nouns (「こと」) still asks for them.
    return content or [m for m in candidates if _pos(m)[0] == "名詞"]


def phrase_reading(text: str) -> str:
    """The hiragana reading of a phrase (いくきゅう for 育休), or ''."""
    readings = [_reading(m) for m in morphemes(text) if not _is_function(m)]
    return "".join(readings) if readings and all(readings) else ""


def phrase_parts(text: str) -> tuple[str, ...]:
    """The keys of the smallest units of a phrase (Sudachi's mode A), as pages always have them."""
    parts = []
    for chunk in _chunks(text):
        for morpheme in _content_morphemes(chunk):
            split = [p for p in morpheme.split(SplitMode.A) if not _is_function(p)]
            units = split if len(split) > 1 and _pos(morpheme)[0] == "名詞" else [morpheme]
            parts.extend(key(unit.normalized_form()) for unit in units)
    return tuple(parts)


def query_phrases(text: str) -> list[str]:
    """Terms that reward pages where a chunk's nouns stand together (試験日程, not 試験…日程).

    They are the readings of adjacent nouns that ``document_terms`` indexes; a page does
    not need them to match, it ranks higher with them.
    """
    phrases = []
    for chunk in _chunks(text or ""):
        run = []
        for morpheme in list(morphemes(chunk)) + [None]:
            reading = _reading(morpheme) if morpheme is not None else ""
            if morpheme is not None and _pos(morpheme)[0] in _NOUN_POS and reading:
                run.append(reading)
                continue
            for size in (2, 3):
                for start in range(len(run) - size + 1):
                    phrases.append(READING_PREFIX + "".join(run[start : start + size]))
            run = []
    return list(dict.fromkeys(phrases))


def phrase_keys(text: str) -> tuple[str, ...]:
    """The keys of the words of a phrase as a query would have them (for synonyms)."""
    keys = []
    for chunk in _chunks(text):
        keys.extend(key(m.normalized_form()) for m in _content_morphemes(chunk))
    return tuple(keys)


def _gram_alternative(word: str) -> str | None:
    """All bigrams of a katakana/latin/digit word of 3+ characters, as one conjunctive alternative."""
    word = normalize(word)
    if len(word) >= 3 and _GRAM_RUN_RE.fullmatch(word):
        return " ".join(bigrams(word))
    return None


def _morpheme_alternatives(morpheme) -> set[str]:
    alternatives = {key(morpheme.normalized_form())}
    surface = morpheme.surface()
    if _ALL_HIRAGANA_RE.match(normalize(surface)):
        alternatives.add(READING_PREFIX + hiragana(surface))
    grams = _gram_alternative(surface)
    if grams:
        alternatives.add(grams)
    if morpheme.is_oov():
        oov = bigrams(normalize(surface))
        if len(oov) >= 4:
            # An unknown long word may be a typo: most of its bigrams are enough.
            alternatives.add(FUZZY_PREFIX + " ".join(oov))
        elif oov:
            alternatives.add(" ".join(oov))
    parts = [key(part.normalized_form()) for part in morpheme.split(SplitMode.A) if not _is_function(part)]
    folded = normalize(morpheme.normalized_form())
    if len(parts) < 2 and _pos(morpheme)[0] == "名詞" and _HIRAGANA_RE.search(folded):
        parts = _KANJI_RUN_RE.findall(folded)
    if len(parts) > 1:
        # 道の駅 or 大学卒業 may be split apart in a page's sentence (県内の道の駅).
        alternatives.add(" ".join(parts))
    return alternatives


def _concept_groups(chunk: str, synonyms) -> list[frozenset[str]]:
    """Groups of a query chunk from its morphemes, synonyms matched on the longest run of keys."""
    content = _content_morphemes(chunk)
    keys = [key(m.normalized_form()) for m in content]
    groups: list[frozenset[str]] = []
    i = 0
    while i < len(content):
        matched = None
        for size in range(min(synonyms.longest, len(content) - i), 0, -1):
            alternatives = synonyms.alternatives(tuple(keys[i : i + size]))
            if alternatives:
                matched = (size, alternatives)
                break
        if matched:
            size, alternatives = matched
            extra = set()
            if size == 1:
                extra = _morpheme_alternatives(content[i])
            groups.append(frozenset(alternatives | extra))
            i += size
        else:
            groups.append(frozenset(_morpheme_alternatives(content[i])))
            i += 1
    return groups


def _chunks(text: str) -> list[str]:
    """Query words as typed: spaces separate them; Plone's ``*`` and quotes are dropped."""
    text = text.replace("*", " ").replace('"', " ")
    return [chunk for chunk in _QUERY_SPLIT_RE.split(text) if chunk]


def _synonyms():
    from kagoshima.saiyo.search import synonyms

    return synonyms.table()


def _dedupe(groups):
    seen = set()
    result = []
    for group in groups:
        if group and group not in seen:
            seen.add(group)
            result.append(group)
    return result


def _is_one_word(chunk: str) -> bool:
    """True when the dictionary reads the chunk as one known word (きゅうよ → 給与)."""
    found = list(morphemes(chunk))
    return len(found) == 1 and not found[0].is_oov()


def query_interpretations(text: str) -> list[list[frozenset[str]]]:
    """Ways to read a query, the likeliest first; each a list of groups (see ``query_groups``).

    A chunk written only in hiragana is first read as the reading of one word or
    compound (いくきゅう → 育休, しけんにってい → 試験日程), then as Sudachi splits it
    (きゅうよはいくら → 給与); the index uses the first reading that finds pages.
    """
    synonyms = _synonyms()
    chunks = _chunks(text or "")
    primary: list[frozenset[str]] = []
    secondary: list[frozenset[str]] = []
    has_alternative = False
    for chunk in chunks:
        plain = normalize(chunk)
        groups = _concept_groups(chunk, synonyms)
        if plain in _FUNCTION_PHRASES:
            continue
        if _ALL_HIRAGANA_RE.match(plain) and len(plain) >= 2 and not _is_one_word(chunk):
            reading_key = READING_PREFIX + hiragana(plain)
            reading = frozenset({reading_key, key(plain)} | synonyms.alternatives((reading_key,)))
            primary.append(reading)
            secondary.extend(groups)
            has_alternative = True
        else:
            primary.extend(groups)
            secondary.extend(groups)
    interpretations = [_dedupe(primary)]
    if has_alternative and _dedupe(secondary):
        interpretations.append(_dedupe(secondary))
    return [groups for groups in interpretations if groups] or [[]]


def query_groups(text: str) -> list[frozenset[str]]:
    """One group per concept of the query, each the set of alternative terms that satisfy it."""
    return query_interpretations(text)[0]


def query_terms(text: str) -> set[str]:
    """Every single term any reading of the query asks for (alternatives split)."""
    terms = set()
    for groups in query_interpretations(text):
        for group in groups:
            for alternative in group:
                terms.update(alternative.lstrip(FUZZY_PREFIX).split(" "))
    return terms


# Highlighting and suggestions ---------------------------------------------------------


def _merge(spans):
    merged = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


# The words of a text as highlighting needs them, kept per text between requests (production
# mode only): the key is the text itself, so an edited page is analysed again at once, and the
# entries depend on nothing else (Sudachi's dictionary and the normalisation, not the synonyms).
_WORDS: OrderedDict = OrderedDict()
_WORDS_LOCK = threading.Lock()
_WORDS_MAX_ENTRIES = 2000


def _debug_mode() -> bool:
    try:
        from App.config import getConfiguration
    except ImportError:  # outside Zope
        return False
    return bool(getattr(getConfiguration(), "debug_mode", False))


def _analyse_piece(piece: str) -> tuple:
    """(begin, end, keys, parts) of each content word of a piece; parts are (begin, end, key)."""
    words = []
    for morpheme in morphemes(piece):
        if _is_function(morpheme):
            continue
        keys = frozenset(
            (
                key(morpheme.normalized_form()),
                key(morpheme.surface()),
                READING_PREFIX + _reading(morpheme),
            )
        )
        parts = tuple((part.begin(), part.end(), key(part.normalized_form())) for part in _parts(morpheme))
        words.append((morpheme.begin(), morpheme.end(), keys, parts))
    return tuple(words)


def _piece_words(piece: str) -> tuple:
    if _debug_mode():
        return _analyse_piece(piece)
    words = _WORDS.get(piece)
    if words is None:
        words = _analyse_piece(piece)
        with _WORDS_LOCK:
            _WORDS[piece] = words
            while len(_WORDS) > _WORDS_MAX_ENTRIES:
                _WORDS.popitem(last=False)
    return words


def clear_word_cache() -> None:
    with _WORDS_LOCK:
        _WORDS.clear()


def highlight_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Character spans (start, end) of text that match the query, sorted and not overlapping."""
    if not text or not query:
        return []
    wanted = query_terms(query)
    if not wanted:
        return []
    spans = []
    offset = 0
    for piece in pieces(text):
        for begin, end, keys, parts in _piece_words(piece):
            if not wanted.isdisjoint(keys):
                spans.append((offset + begin, offset + end))
                continue
            for part_begin, part_end, part_key in parts:
                if part_key in wanted:
                    spans.append((offset + part_begin, offset + part_end))
        offset += len(piece)
    # Partial matches of katakana/latin words found through the n-gram fallback.
    folded = normalize(text)
    if len(folded) == len(text):
        for chunk in _chunks(query):
            word = normalize(chunk)
            if _gram_alternative(word):
                start = folded.find(word)
                while start >= 0:
                    spans.append((start, start + len(word)))
                    start = folded.find(word, start + len(word))
    return _merge(spans)


def suggestions(query: str) -> list[str]:
    """Other ways to write the query worth proposing when it finds nothing (synonyms, kanji of readings)."""
    synonyms = _synonyms()
    chunks = _chunks(query or "")
    proposals: list[str] = []
    for index, chunk in enumerate(chunks):
        content = _content_morphemes(chunk)
        words = [m.surface() for m in content]
        alternatives_per_word = []
        for morpheme in content:
            alternatives = []
            normalized = morpheme.normalized_form()
            if normalized != morpheme.surface() and not _ALL_HIRAGANA_RE.match(normalized):
                alternatives.append(normalized)
            alternatives.extend(
                phrase
                for phrase in synonyms.phrases(key(normalized))
                if key(phrase) != key(morpheme.surface())
            )
            alternatives_per_word.append(alternatives)
        for position, alternatives in enumerate(alternatives_per_word):
            for alternative in alternatives:
                replaced = words[:position] + [alternative] + words[position + 1 :]
                proposal = " ".join(chunks[:index] + ["".join(replaced)] + chunks[index + 1 :])
                if proposal != query and proposal not in proposals:
                    proposals.append(proposal)
        if len(words) > 1:
            # A long question may find more as its words alone.
            proposal = " ".join(chunks[:index] + words + chunks[index + 1 :])
            if proposal != query and proposal not in proposals:
                proposals.append(proposal)
    return proposals[:8]
