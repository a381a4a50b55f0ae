"""Romaji slugs for Japanese text, built on pykakasi.

``slugify("令和7年度 大学卒業程度試験") == "r7-daigaku-sotsugyo-teido-shiken"``

How a title becomes a slug:

1. The text is NFKC-normalised, which folds full-width ASCII (「ＳＰＩ」, 「７」) and
   half-width katakana; accents of other Latin letters are dropped (é → e).
2. Era years are shortened as in the site's URLs: 「令和7年度」 → ``r7``,
   「平成30年」 → ``h30``, 「令和元年度」 → ``r1`` (昭和 is ``s``).
3. Numbers keep the counter that follows them and an ordinal 「第」 before them:
   「第1次」 → ``dai1ji``, 「4月1日」 → ``4gatsu-1nichi``.
4. ASCII words are kept, lower-cased: 「UIターン枠」 → ``ui-taan-waku``.
5. Japanese text is read by pykakasi (Hepburn). Each word pykakasi finds
   becomes one word of the slug. Long vowels are written without macrons and
   ou, oo and uu are shortened (卒業 sotsugyou → ``sotsugyo``, インタビュー →
   ``intabyu``); other doubled vowels stay (委員会 ``iinkai``, ターン ``taan``).
   Two small tables help pykakasi: READINGS for words it misreads (鹿児島 would
   be "kakoshima"), and COMPOUND_PARTS for the site's vocabulary, used to cut
   long dictionary words into their parts (大学卒業 → ``daigaku-sotsugyo``).
6. Everything else (spaces, ・、。「」（）and other punctuation) separates words.
   Words are joined with single hyphens and the slug is cut to ``max_length``
   on a word boundary.

The result contains only ``a-z``, ``0-9`` and single inner hyphens; it is ``""``
when nothing could be romanised, and the caller then falls back to something else.
"""

import re
import threading
import unicodedata


__all__ = ["COMPOUND_PARTS", "READINGS", "slugify"]

DEFAULT_MAX_LENGTH = 60

# Words pykakasi misreads or cuts into pieces, with the reading to use.
# Mostly place names of Kagoshima Prefecture.
READINGS: dict[str, str] = {
    "鹿児島": "kagoshima",
    "奄美大島": "amami-oshima",
    "桜島": "sakurajima",
    "霧島": "kirishima",
    "屋久島": "yakushima",
    "種子島": "tanegashima",
    "徳之島": "tokunoshima",
    "甑島": "koshikijima",
    "十島": "toshima",
    "離島": "rito",
    "出水": "izumi",
    "曽於": "soo",
    "川内": "sendai",
    "国分": "kokubu",
    "大口": "okuchi",
    "蒲生": "kamo",
    "末吉": "sueyoshi",
    "高山": "koyama",
    "頴娃": "ei",
    "知名": "china",
    "試験日程": "shiken-nittei",
    "過去問題": "kako-mondai",
    "申込み": "moshikomi",
    "任期付": "ninkitsuki",
}

# Words of the recruitment site. A word pykakasi returns in one piece is cut into
# these parts when it consists of them only (the last part may carry one more
# character, as 卒業者): 大学卒業 → 大学 + 卒業, but 合格者 stays whole.
COMPOUND_PARTS: frozenset[str] = frozenset(
    """
    大学 短期 高校 高等 学校 卒業 程度 試験 年度 採用 職員 選考 受験 案内 募集 要項
    合格 発表 日程 結果 説明会 面接 申込 方法 資格 検査 専門 教養 適性 身体 体力
    教育 委員会 人事 事務局 福利 厚生 社会 福祉 一般 行政 技術 警察 本部 養護 教諭
    任用 会計 勤務 条件 給与 制度 休暇 研修 概要 状況 実施 最終 情報 受付
    """.split()
)

# Counters kept with the number before them, longest first in the pattern.
_COUNTERS: dict[str, str] = {
    "年度": "nendo",
    "年間": "nenkan",
    "年生": "nensei",
    "年目": "nenme",
    "年": "nen",
    "か月": "kagetsu",
    "ヶ月": "kagetsu",
    "カ月": "kagetsu",
    "ケ月": "kagetsu",
    "箇月": "kagetsu",
    "月": "gatsu",
    "日間": "nichikan",
    "日目": "nichime",
    "日": "nichi",
    "時間": "jikan",
    "時": "ji",
    "分": "fun",
    "秒": "byo",
    "週間": "shukan",
    "回目": "kaime",
    "回": "kai",
    "次": "ji",
    "名": "mei",
    "人": "nin",
    "歳": "sai",
    "級": "kyu",
    "類": "rui",
    "種": "shu",
    "号": "go",
    "期": "ki",
    "件": "ken",
    "点": "ten",
    "倍": "bai",
    "科目": "kamoku",
    "問": "mon",
}

_ERA_CODES = {"令和": "r", "平成": "h", "昭和": "s"}

# Characters read by pykakasi: kana, the prolonged sound mark and kanji.
# 「・」 (U+30FB) is punctuation and therefore left out.
_JAPANESE = (
    "\u3005-\u3007"  # 々 〆 〇
    "\u3041-\u3096\u309d-\u309f"  # hiragana
    "\u30a1-\u30fa\u30fc-\u30ff"  # katakana, ー
    "\u31f0-\u31ff"  # katakana phonetic extensions
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # kanji
    "\U00020000-\U0003134f"  # rare kanji
)
_JAPANESE_RE = re.compile(f"[{_JAPANESE}]")

_TOKEN_RE = re.compile(
    "(?P<era>(?:{eras})\\s*(?:元|[0-9]+)\\s*(?:年度|年)?)"
    "|(?P<ascii>[0-9]*[a-zA-Z][a-zA-Z0-9]*)"
    "|(?P<number>(?:第\\s*)?[0-9]+(?:{counters})?)"
    "|(?P<japanese>[{japanese}])".format(
        eras="|".join(_ERA_CODES),
        counters="|".join(sorted(_COUNTERS, key=len, reverse=True)),
        japanese=_JAPANESE,
    )
)
_READINGS_RE = re.compile("|".join(re.escape(word) for word in sorted(READINGS, key=len, reverse=True)))
_NUMBER_RE = re.compile(r"(第)?\s*([0-9]+)(.*)")
_LONG_VOWEL_RE = re.compile(r"o[ou]|uu")
_NOT_SLUG_RE = re.compile(r"[^a-z0-9]+")
_MAX_COMPOUND_LENGTH = 12  # pykakasi's dictionary words are shorter
_HONORIFICS = frozenset({"お", "ご", "御"})

_kakasi = None
_kakasi_lock = threading.Lock()


def _convert(text: str) -> list[dict[str, str]]:
    """pykakasi's conversion, with one converter shared by all threads."""
    global _kakasi
    with _kakasi_lock:
        if _kakasi is None:
            import pykakasi

            _kakasi = pykakasi.kakasi()
        return _kakasi.convert(text)


def _clean(word: str) -> str:
    """Only lower-case ASCII letters and digits, other characters become hyphens."""
    return _NOT_SLUG_RE.sub("-", word.lower()).strip("-")


def _shorten_long_vowels(romaji: str) -> str:
    return _LONG_VOWEL_RE.sub(lambda match: match.group(0)[0], romaji)


def _fold(text: str) -> str:
    """NFKC, and accented Latin letters without their accents (café → cafe)."""
    text = unicodedata.normalize("NFKC", text)
    if text.isascii():
        return text
    out = []
    for char in text:
        if char.isascii() or _JAPANESE_RE.match(char):
            out.append(char)
            continue
        decomposed = unicodedata.normalize("NFKD", char)
        base = "".join(c for c in decomposed if not unicodedata.combining(c))
        out.append(base if base.isascii() and base.isalnum() else " ")
    return "".join(out)


def _decompose(word: str) -> list[str] | None:
    """Cut a word into COMPOUND_PARTS (the last one may have one more character)."""
    if len(word) > _MAX_COMPOUND_LENGTH:
        return None
    if word in COMPOUND_PARTS:
        return [word]
    if len(word) >= 3 and word[:-1] in COMPOUND_PARTS:
        return [word]
    for size in range(len(word) - 1, 1, -1):
        if word[:size] in COMPOUND_PARTS:
            rest = _decompose(word[size:])
            if rest is not None:
                return [word[:size], *rest]
    return None


def _read(text: str) -> list[str]:
    """The romaji words of a piece of Japanese text that has no READINGS word."""
    words = []
    prefix = ""
    for token in _convert(text):
        orig = token["orig"]
        if orig in _HONORIFICS:
            prefix += _shorten_long_vowels(token["hepburn"])
            continue
        if token["hepburn"].startswith("("):
            continue  # pykakasi's marker for a character it cannot read, e.g. a lone 々
        parts = _decompose(orig)
        if parts is not None and len(parts) > 1:
            romaji = [_read_whole(part) for part in parts]
        else:
            romaji = [_shorten_long_vowels(token["hepburn"])]
        romaji[0] = prefix + romaji[0]
        prefix = ""
        words.extend(romaji)
    if prefix:
        words.append(prefix)
    return words


def _read_whole(text: str) -> str:
    return "".join(_shorten_long_vowels(token["hepburn"]) for token in _convert(text))


def _romanize_japanese(text: str) -> list[str]:
    """The romaji words of a run of Japanese characters."""
    words = []
    start = 0
    for match in _READINGS_RE.finditer(text):
        if start < match.start():
            words.extend(_read(text[start : match.start()]))
        words.append(READINGS[match.group()])
        start = match.end()
    if start < len(text):
        words.extend(_read(text[start:]))
    return words


def _number_word(text: str) -> str:
    ordinal, digits, counter = _NUMBER_RE.match(text).groups()
    return ("dai" if ordinal else "") + digits + _COUNTERS.get(counter, "")


def _era_word(text: str) -> str:
    code = _ERA_CODES[text[:2]]
    number = re.search(r"元|[0-9]+", text).group(0)
    return code + ("1" if number == "元" else str(int(number)))


def _words(text: str) -> list[str]:
    words = []
    japanese = []  # consecutive Japanese characters waiting to be read together
    end = 0

    def flush():
        if japanese:
            words.extend(_romanize_japanese("".join(japanese)))
            japanese.clear()

    for match in _TOKEN_RE.finditer(text):
        if match.start() != end:
            flush()  # a separator
        end = match.end()
        kind = match.lastgroup
        if kind == "japanese":
            japanese.append(match.group())
            continue
        flush()
        if kind == "era":
            words.append(_era_word(match.group()))
        elif kind == "number":
            words.append(_number_word(match.group()))
        else:
            words.append(match.group())
    flush()
    return words


def _crop(slug: str, max_length: int) -> str:
    if len(slug) <= max_length:
        return slug
    cut = slug.rfind("-", 0, max_length + 1)
    slug = slug[:cut] if cut > 0 else slug[:max_length]
    return slug.strip("-")


def slugify(text: str, max_length: int = DEFAULT_MAX_LENGTH) -> str:
    """A lower-case ASCII slug with hyphens for ``text``; ``""`` if nothing is left."""
    if max_length < 1:
        raise ValueError(f"max_length must be positive, got {max_length}")
    if not text:
        return ""
    text = _fold(text).replace("'", "").replace('"', "")
    words = [_clean(word) for word in _words(text)]
    slug = "-".join(word for word in words if word)
    return _crop(slug, max_length)
