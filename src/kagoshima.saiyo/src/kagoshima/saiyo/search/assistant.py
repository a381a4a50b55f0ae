"""The on-site assistant (質問する): short answers taken only from this site's published pages.

Retrieval and extraction only: no language model, nothing leaves the server, nothing is
invented. ``answer(portal, question)`` tries, in this order:

1. live exam data: a question about an exam's dates (申込締切, 受付期間, 試験日, 二次試験,
   合格発表, 試験案内の公開 …) is answered from the matching published ExamNotice's fields
   and its status computed now (``content.exam_status``);
2. the best matching published FAQ, when its question and answer cover the question well;
3. the best sentences of the best matching published pages;
4. otherwise it says it cannot answer and points to よくある質問 and お問い合わせ.

Everything is found through ``portal_catalog`` as the current user (anonymous on the public
site), so drafts and private pages never leak into an answer.

Thresholds (weighted coverage of the question's content words, each word weighted by its
rarity on the site):

- ``FAQ_THRESHOLD`` 0.7: the FAQ (question + answer) contains at least 70 % of the question's
  weight, and ``FAQ_TITLE_THRESHOLD`` 0.34 of it is in the FAQ's question itself;
- ``PAGE_THRESHOLD`` 0.75: a page must contain 75 % of the weight (a page that shares one of
  three words is not an answer), and the sentence quoted at least ``SENTENCE_THRESHOLD`` 0.5.

Evidence: 33 questions over the demo site (exam dates, FAQ wordings and synonyms, page
topics, and questions the site cannot answer), answers compared for FAQ thresholds 0.5–0.9.
At 0.5 「研修制度について教えてください」 gets the FAQ on 介護休暇 (one shared word); from 0.6 to
0.9 every answer is the same, so 0.7 sits in the middle of the stable range. A page threshold
of 0.7 quotes an event page for 「UIターンの試験区分はありますか」 that does not answer it; 0.75
says it cannot. At 0.7/0.75: exam dates 7, the right FAQ 16, a page passage 4, not answered 6
(消防士, 宇宙飛行士, 食べ物, ペット, UIターンの試験区分, and 過去問, whose FAQ says
過去の試験問題: a synonym for administrators to add).

Questions that get no answer are counted (normalised text, count, first/last seen; e-mail
addresses and phone numbers removed) in SQLite beside the ZODB, for administrators who write
new FAQs: ``<clienthome>/assistant/unanswered.sqlite`` or ``$SAIYO_ASSISTANT_DIR``.
"""

from collections import deque
from datetime import date
from datetime import datetime
from datetime import timezone
from kagoshima.saiyo import sqlite
from kagoshima.saiyo import stores
from kagoshima.saiyo.content import exam_status
from kagoshima.saiyo.dates import wareki
from kagoshima.saiyo.search.hidden import visible
from pathlib import Path
from zoneinfo import ZoneInfo

import csv
import io
import logging
import math
import re
import threading
import time
import unicodedata


logger = logging.getLogger("kagoshima.saiyo.search.assistant")

TOKYO = ZoneInfo("Asia/Tokyo")
MAX_QUESTION_CHARS = 200
MAX_ANSWER_CHARS = 200

FAQ_THRESHOLD = 0.7
FAQ_TITLE_THRESHOLD = 0.34
PAGE_THRESHOLD = 0.75
SENTENCE_THRESHOLD = 0.5
CANDIDATES_PER_WORD = 30
MAX_SOURCES = 3
MAX_LISTED_EXAMS = 6

NOT_FOUND = "申し訳ありません。この質問にはお答えできませんでした。"
NOT_FOUND_HINT = "よくある質問をご覧いただくか、お問い合わせ窓口（人事委員会事務局）へお尋ねください。"

# Content words that say how something is asked, not what about (Sudachi normalised forms).
STOP_WORDS = frozenset(
    """いつ 何時 幾ら 何 何処 どこ 誰 如何 どう どの どれ どんな どのよう どちら 幾つ 何故 なぜ
    教える 知る 知れる 為る 有る 居る 成る 出来る 下さる 頂く 貰う 良い 宜しい 欲しい 思う 分かる 言う
    事 物 方 所 時 様 場合 質問 件 可能 点 辺り 頃 等 ため 為 程 中 上 下 後 前 位 くらい 色々
    ます です よう ごろ""".split()
)
# Parts of set phrases (について, に関して, によって) that Sudachi tags as verbs.
STOP_SURFACES = STOP_WORDS | frozenset(["つい", "関し", "関する", "よっ", "より", "おけ", "対し", "対する"])
CONTENT_POS = frozenset(["名詞", "動詞", "形容詞", "形状詞"])
SKIP_SUBPOS = frozenset(["数詞", "非自立可能", "助数詞可能"])

# ---------------------------------------------------------------------------------------
# Text helpers


def clean_question(text) -> str:
    """The question as text: NFKC-free but trimmed, one line, control characters removed."""
    if not isinstance(text, str):
        return ""
    text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)
    return " ".join(text.split())


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


_BLOCK_TAGS = frozenset(
    "p div li tr h1 h2 h3 h4 h5 h6 table thead tbody ul ol dl dt dd section article blockquote br caption".split()
)


def html_to_text(html: str) -> str:
    """Visible text of an HTML fragment, one block per line; table rows as 「見出し：値」."""
    if not html or not html.strip():
        return ""
    from lxml import etree
    from lxml import html as lxml_html

    try:
        root = lxml_html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return " ".join(html.split())
    # Captions and header rows name a table's columns; as an answer they are noise.
    for bad in root.xpath("//script|//style|//caption|//thead"):
        bad.drop_tree()
    for row in root.iter("tr"):
        cells = [" ".join(cell.text_content().split()) for cell in row if cell.tag in ("th", "td")]
        for cell in list(row):
            row.remove(cell)
        row.text = "：".join(cell for cell in cells if cell)
    for element in root.iter():
        if element.tag in _BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line)


_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text or "") if len(s.strip()) > 1]


def first_sentences(text: str, limit: int = MAX_ANSWER_CHARS) -> str:
    """The first sentences (lines kept) of text, up to ``limit`` characters."""
    result = ""
    for line in (text or "").splitlines():
        for sentence in sentences(line):
            if len(result) + len(sentence) > limit:
                if not result:
                    return sentence[: limit - 1] + "…"
                return result.strip()
            result += sentence
        result += "\n"
    return result.strip()


# ---------------------------------------------------------------------------------------
# Analysis: the engine's helpers when they are there, Sudachi's normalised forms always


def _engine_analysis():
    try:
        from kagoshima.saiyo.search import analysis
    except ImportError:
        return None
    if hasattr(analysis, "query_groups") and hasattr(analysis, "document_terms"):
        return analysis
    return None


def _morphemes(text: str):
    from kagoshima.saiyo.search.sudachi import morphemes

    return list(morphemes(text))


_HIRAGANA_ONLY = re.compile(r"[\u3041-\u309fー]+")
# Engine terms that are not text (reading and n-gram markers).
_MARKER = re.compile(r"^[a-z]{1,3}:")


class Word:
    """One content word of the question: where it is, and every term that matches it."""

    def __init__(self, surface, normalized, begin, end, terms):
        self.surface = surface
        self.normalized = normalized
        self.begin = begin
        self.end = end
        # The engine's alternatives may be several terms that must all be present
        # (「育児 休業」, or the bigrams of an unknown word).
        self.terms = frozenset(term for term in terms if " " not in term)
        self.all_of = [tuple(term.split()) for term in terms if " " in term and term.split()]
        # What can be looked for as plain text: the word, its normalised forms, and the
        # engine's alternatives that are words (synonyms, forms without okurigana).
        # Parts of a compound (仕事 and 内容 of 仕事内容) are left out: alone they match
        # pages about something else.
        whole = (_nfkc(surface), _nfkc(normalized))
        self.forms = frozenset(
            form
            for form in (
                _nfkc(term) for term in (surface, normalized, *self.terms) if not _MARKER.match(term)
            )
            if len(form) > 1 and (form in whole or not any(form in w for w in whole))
        )
        # Only a word written in hiragana may match a text by its reading alone (きゅうよ → 給与).
        self.by_reading = bool(_HIRAGANA_ONLY.fullmatch(surface))
        self.weight = 1.0

    def __repr__(self):
        return f"Word({self.surface!r})"


def content_words(question: str) -> list[Word]:
    """The question's content words (nouns, verbs, adjectives; no question words), in order."""
    text = question
    analysis = _engine_analysis()
    words = []
    seen = set()
    for m in _morphemes(text):
        pos = m.part_of_speech()
        if pos[0] not in CONTENT_POS or pos[1] in SKIP_SUBPOS:
            continue
        normalized = m.normalized_form()
        surface = m.surface()
        if normalized in STOP_WORDS or m.dictionary_form() in STOP_WORDS or surface in STOP_SURFACES:
            continue
        if len(surface) == 1 and pos[0] != "名詞":
            continue
        if normalized in seen:
            continue
        seen.add(normalized)
        terms = {normalized, _nfkc(surface), _nfkc(m.dictionary_form())}
        if analysis is not None:
            try:
                for group in analysis.query_groups(surface):
                    terms.update(group)
            except Exception:
                logger.exception("query_groups failed for %r", surface)
        words.append(Word(surface, normalized, m.begin(), m.end(), terms))
    # One-character nouns (日, 県, 課) match almost every page; they count only when alone.
    longer = [word for word in words if len(word.surface) > 1]
    return longer or words


def text_terms(text: str) -> frozenset[str]:
    """Every term a text offers for matching: Sudachi forms, plus the engine's index terms."""
    terms = set()
    for m in _morphemes(text):
        terms.add(m.normalized_form())
        terms.add(_nfkc(m.surface()))
        terms.add(_nfkc(m.dictionary_form()))
    analysis = _engine_analysis()
    if analysis is not None:
        try:
            terms.update(analysis.document_terms(text))
        except Exception:
            logger.exception("document_terms failed")
    return frozenset(terms)


class Analysed:
    """A text to match words against; its terms are computed only when a word needs them."""

    def __init__(self, text: str, terms: frozenset | None = None):
        self.text = text or ""
        self.folded = _nfkc(self.text)
        self._terms = terms

    @property
    def terms(self) -> frozenset:
        if self._terms is None:
            self._terms = text_terms(self.text)
        return self._terms


def _literally_in(word: Word, text: "Analysed") -> bool:
    folded = text.folded
    if any(form in folded for form in word.forms):
        return True
    return any(all(_nfkc(part) in folded for part in parts) for parts in word.all_of)


def _matches(word: Word, text: "Analysed") -> bool:
    # Plain text first: the analysis of a long page costs far more than a substring test,
    # and is needed only for a word in kana that may match by its reading.
    if _literally_in(word, text):
        return True
    if not word.by_reading:
        return False
    terms = text.terms
    if word.terms & terms:
        return True
    return any(all(part in terms for part in parts) for parts in word.all_of)


def coverage(words: list[Word], text, needed: float = 0.0) -> float:
    """The share of the words' weight found in text (a str or an Analysed), 0..1.

    With ``needed``, a text that cannot reach it even if every kana word matched by its
    reading gets its literal share, without the cost of analysing it.
    """
    total = sum(word.weight for word in words)
    if not isinstance(text, Analysed):
        text = Analysed(text)
    if not total or not text.text:
        return 0.0
    literal = [word for word in words if _literally_in(word, text)]
    found = sum(word.weight for word in literal)
    rest = [word for word in words if word not in literal and word.by_reading]
    if not rest or (found + sum(word.weight for word in rest)) / total < needed:
        return found / total
    return (found + sum(word.weight for word in rest if _matches(word, text))) / total


# ---------------------------------------------------------------------------------------
# Retrieval through the catalog (as the current user: only what the visitor may see)


def _catalog(portal):
    from Products.CMFCore.utils import getToolByName

    return getToolByName(portal, "portal_catalog")


def _search(catalog, **query):
    query.setdefault("review_state", "published")
    try:
        return visible(catalog(**query), catalog)
    except Exception as error:  # a query the text index cannot parse (e.g. a lone operator word)
        logger.info("assistant: catalog query %r failed: %s", query.get("SearchableText"), error)
        return []


def _weigh(catalog, words: list[Word], **query) -> dict:
    """Weight each word by its rarity (idf); return the candidate brains by rid, best first."""
    total = max(len(_search(catalog, **query)), 1)
    candidates = {}
    for word in words:
        brains = _search(catalog, SearchableText=word.surface, **query)
        found = len(brains)
        word.weight = math.log(1 + total / (1 + found)) + 0.1
        for brain in brains[:CANDIDATES_PER_WORD]:
            candidates.setdefault(brain.getRID(), brain)
    return candidates


def _object_text(brain) -> str:
    """The plain text a visitor reads on a page (the engine's stored text when it has one)."""
    try:
        from kagoshima.saiyo.search import index

        text = index.document_text(brain.getRID())
        if text:
            return text
    except Exception:  # engine not installed yet, or this rid unknown: read the object
        pass
    obj = brain.getObject()
    parts = [obj.Title(), obj.Description()]
    for name in ("text", "answer"):
        value = getattr(obj, name, None)
        if value is not None and hasattr(value, "raw"):
            parts.append(html_to_text(value.raw))
    return "\n".join(part for part in parts if part)


# ---------------------------------------------------------------------------------------
# 1. Live exam data

INTENTS = (
    # (intent, pattern over the NFKC question); the first that matches wins.
    (
        "result",
        re.compile(r"(合格発表|結果発表|合否|合格者?の?発表|結果.{0,4}(いつ|分か|わか|発表|通知|届))"),
    ),
    ("deadline", re.compile(r"(締切|締め切り|〆切|締め切|期限|いつまで|最終日)")),
    ("period", re.compile(r"((受付|申込|申し込|出願|応募|エントリー).{0,6}(期間|いつから|開始|始ま|いつ))")),
    ("second", re.compile(r"((第?(2|二)次)(試験|選考)?|最終試験|面接試験|口述試験)")),
    (
        "first",
        re.compile(r"((第?(1|一)次)(試験|選考)?|筆記試験|試験日|受験日|試験の日|試験はいつ|試験がいつ)"),
    ),
    ("guide", re.compile(r"(試験案内|募集要項|受験案内).{0,8}(公開|掲載|配布|発表|出る|出ま|いつ)")),
    ("schedule", re.compile(r"(日程|スケジュール|日時|日付)")),
)
# A date question needs one of these as well (「面接ではどのようなことを聞かれますか」 is not one).
DATE_QUESTION = re.compile(
    r"(いつ|何日|何月|日程|日付|日時|期間|締切|締め切|〆切|期限|まで|から|スケジュール|予定|時期|開始|最終日)"
)

STATUS_TEXTS = {
    exam_status.PREPARING: "現在準備中",
    exam_status.UPCOMING: "現在受付前",
    exam_status.OPEN: "現在受付中",
    exam_status.CLOSED: "受付は終了しました",
    exam_status.FINISHED: "この試験は終了しました",
}


def exam_intent(question: str):
    """(intent, [(begin, end) spans of the intent words]) of a question about exam dates, or None."""
    folded = _nfkc(question)
    if not DATE_QUESTION.search(folded):
        return None
    for intent, pattern in INTENTS:
        if pattern.search(folded):
            spans = [match.span() for _name, other in INTENTS for match in other.finditer(folded)]
            spans += [match.span() for match in DATE_QUESTION.finditer(folded)]
            return intent, spans
    return None


def _in_spans(word: Word, spans) -> bool:
    return any(begin < word.end and word.begin < end for begin, end in spans)


def _spoken_datetime(value) -> str:
    """「令和8年5月1日（金）17時」 (minutes only when not on the hour)."""
    if isinstance(value, datetime):
        value = value.astimezone(TOKYO) if value.tzinfo else value
        text = wareki.format_date(value.date(), weekday=True) + f"{value.hour}時"
        return text + (f"{value.minute}分" if value.minute else "")
    if isinstance(value, date):
        return wareki.format_date(value, weekday=True)
    return ""


def _spoken_date(value) -> str:
    if isinstance(value, datetime):
        value = value.astimezone(TOKYO).date() if value.tzinfo else value.date()
    return wareki.format_date(value, weekday=True) if isinstance(value, date) else ""


def _venues(obj, name) -> str:
    from kagoshima.saiyo.vocabularies import term_title

    tokens = getattr(obj, name, None) or []
    return "、".join(term_title("kagoshima.saiyo.ExamVenues", token) for token in tokens)


class Notice:
    """A published exam notice as the assistant reads it."""

    def __init__(self, brain, now):
        from kagoshima.saiyo.vocabularies import term_title

        self.brain = brain
        self.obj = brain.getObject()
        self.title = brain.Title
        self.url = brain.getURL()
        self.fiscal_year = getattr(self.obj, "fiscal_year", None) or 0
        self.exam_type = getattr(self.obj, "exam_type", None) or ""
        self.exam_type_label = (
            term_title("kagoshima.saiyo.ExamTypes", self.exam_type) if self.exam_type else ""
        )
        self.status = exam_status.status_of(self.obj, now=now)
        divisions = [row.get("name") or "" for row in (getattr(self.obj, "divisions", None) or [])]
        self.name_text = "\n".join([self.title, self.exam_type_label, *divisions])
        self.name = Analysed(self.name_text)
        self.label_terms = text_terms(self.exam_type_label) if self.exam_type_label else frozenset()

    def field(self, name):
        return getattr(self.obj, name, None)

    def status_text(self) -> str:
        return STATUS_TEXTS[self.status]

    def facts(self, intent: str) -> str:
        """One sentence about this exam's dates for the intent (never a date nobody entered)."""
        title = self.title
        start, end = self.field("application_start"), self.field("application_end")
        if intent == "deadline":
            if end:
                return f"{title}の申込受付は{_spoken_datetime(end)}までです（{self.status_text()}）。"
            return f"{title}の申込締切は、試験案内にまだ掲載されていません（{self.status_text()}）。"
        if intent == "period":
            if start and end:
                return (
                    f"{title}の申込受付期間は{_spoken_datetime(start)}から{_spoken_datetime(end)}まで"
                    f"です（{self.status_text()}）。"
                )
            if start:
                return f"{title}の申込受付は{_spoken_datetime(start)}に始まります（{self.status_text()}）。"
            return f"{title}の申込受付期間は、試験案内にまだ掲載されていません（{self.status_text()}）。"
        if intent == "first":
            day = self.field("first_exam_date")
            if not day:
                return f"{title}の第1次試験日は、試験案内にまだ掲載されていません。"
            venues = _venues(self.obj, "first_exam_venues")
            where = f"（試験地：{venues}）" if venues else ""
            return f"{title}の第1次試験日は{_spoken_date(day)}です{where}。"
        if intent == "second":
            first, last = self.field("second_exam_start"), self.field("second_exam_end")
            if not first:
                return f"{title}の第2次試験の日程は、試験案内にまだ掲載されていません。"
            venues = _venues(self.obj, "second_exam_venues")
            where = f"（試験地：{venues}）" if venues else ""
            if last and last != first:
                return f"{title}の第2次試験は{_spoken_date(first)}から{_spoken_date(last)}までです{where}。"
            return f"{title}の第2次試験は{_spoken_date(first)}です{where}。"
        if intent == "result":
            parts = []
            first_result = self.field("first_result_date")
            if first_result:
                parts.append(f"第1次試験の合格発表は{_spoken_date(first_result)}")
            final = self.field("final_result_date")
            note = self.field("final_result_note")
            if final:
                parts.append(f"最終合格発表は{_spoken_date(final)}")
            elif note:
                parts.append(f"最終合格発表は{note}")
            if not parts:
                return f"{title}の合格発表の日程は、試験案内にまだ掲載されていません。"
            return f"{title}の" + "、".join(parts) + "です。"
        if intent == "guide":
            day = self.field("guide_release_date")
            if not day:
                return f"{title}の試験案内の配布開始日は、まだ掲載されていません。"
            return f"{title}の試験案内の配布開始日は{_spoken_date(day)}です（{self.status_text()}）。"
        # schedule: the main dates in one go
        sentences_ = [self.facts("period")]
        if self.field("first_exam_date"):
            sentences_.append(f"第1次試験日は{_spoken_date(self.field('first_exam_date'))}です。")
        return "".join(sentences_)

    def brief(self, intent: str) -> str:
        """One line for a list of several exams."""
        if intent == "deadline":
            end = self.field("application_end")
            value = f"{_spoken_datetime(end)}まで" if end else "未掲載"
        elif intent in ("period", "schedule"):
            start, end = self.field("application_start"), self.field("application_end")
            value = f"{_spoken_datetime(start)}～{_spoken_datetime(end)}" if start and end else "未掲載"
        elif intent == "first":
            value = _spoken_date(self.field("first_exam_date")) or "未掲載"
        elif intent == "second":
            value = _spoken_date(self.field("second_exam_start")) or "未掲載"
        elif intent == "result":
            final = self.field("final_result_date")
            value = _spoken_date(final) if final else (self.field("final_result_note") or "未掲載")
        else:
            value = _spoken_date(self.field("guide_release_date")) or "未掲載"
        return f"・{self.title}：{value}（{exam_status.label(self.status)}）"


LIST_INTROS = {
    "deadline": "申込受付の締切",
    "period": "申込受付期間",
    "schedule": "申込受付期間",
    "first": "第1次試験日",
    "second": "第2次試験の開始日",
    "result": "最終合格発表",
    "guide": "試験案内の配布開始日",
}


def _pick_per_exam_type(notices: list[Notice]) -> list[Notice]:
    """One notice per exam type (the newest that is not over, else the newest), open ones first."""
    by_type = {}
    for notice in sorted(notices, key=lambda n: -n.fiscal_year):
        by_type.setdefault(notice.exam_type, []).append(notice)
    chosen = [
        next((n for n in group if n.status != exam_status.FINISHED), group[0]) for group in by_type.values()
    ]
    preference = [exam_status.OPEN, exam_status.UPCOMING, exam_status.PREPARING, exam_status.CLOSED]
    preference.append(exam_status.FINISHED)
    return sorted(chosen, key=lambda n: (preference.index(n.status), -n.fiscal_year))


def answer_exam(portal, question: str, words: list[Word], now=None) -> dict | None:
    found = exam_intent(question)
    if found is None:
        return None
    intent, spans = found
    now = now or datetime.now(TOKYO)
    catalog = _catalog(portal)
    brains = _search(catalog, portal_type="ExamNotice", sort_on="fiscal_year", sort_order="descending")[:60]
    if not brains:
        return None
    notices = [Notice(brain, now) for brain in brains]
    naming = [word for word in words if not _in_spans(word, spans)]
    matches = {}
    for notice in notices:
        matches[notice] = {word for word in naming if _matches(word, notice.name)}
    # Words that name every notice (試験, 鹿児島県, 職員 …) do not say which exam is meant;
    # words that name none (「消防士の試験日」) say it is not one of ours.
    specific = [
        word
        for word in naming
        if any(word in m for m in matches.values())
        and (len(notices) == 1 or not all(word in m for m in matches.values()))
    ]
    unknown = [word for word in naming if not any(word in m for m in matches.values())]
    if specific:
        best_score = max(len(matches[notice] & set(specific)) for notice in notices)
        best = [notice for notice in notices if len(matches[notice] & set(specific)) == best_score]
        # Prefer the exam whose type label the question names most completely (大学卒業程度
        # over 大学卒業程度（先行実施枠） for 「大学卒業程度の…」).
        question_terms = frozenset().union(*(word.terms for word in words))

        def specificity(notice):
            if not notice.label_terms:
                return 0.0
            return len(notice.label_terms & question_terms) / len(notice.label_terms)

        top = max(specificity(notice) for notice in best)
        chosen = _pick_per_exam_type([notice for notice in best if specificity(notice) == top])
    elif unknown or intent == "guide":
        return None  # not about one of our exams, or a general question the FAQ answers
    else:
        chosen = [n for n in _pick_per_exam_type(notices) if n.status != exam_status.FINISHED]
        if not chosen:
            return None
    if len(chosen) == 1:
        notice = chosen[0]
        return {
            "answer": notice.facts(intent),
            "sources": [{"@id": notice.url, "title": notice.title}],
            "found": True,
            "kind": "exam",
        }
    chosen = chosen[:MAX_LISTED_EXAMS]
    lines = [f"該当する試験が{len(chosen)}件あります。{LIST_INTROS[intent]}は次のとおりです。"]
    lines += [notice.brief(intent) for notice in chosen]
    return {
        "answer": "\n".join(lines),
        "sources": [{"@id": n.url, "title": n.title} for n in chosen[:MAX_SOURCES]],
        "found": True,
        "kind": "exam",
    }


# ---------------------------------------------------------------------------------------
# 2. FAQ and 3. pages


def answer_faq(portal, words: list[Word]) -> dict | None:
    if not words:
        return None
    catalog = _catalog(portal)
    candidates = _weigh(catalog, words, portal_type="FAQ")
    best = None
    for brain in candidates.values():
        title = brain.Title or ""
        obj = brain.getObject()
        answer_value = getattr(obj, "answer", None)
        # The stored HTML, not the safe-HTML transform: only its text is used (script and
        # style dropped), and the transform costs more than the whole answer.
        answer_text = html_to_text(getattr(answer_value, "raw", "") or "")
        title_cov = coverage(words, Analysed(title))
        full_cov = coverage(words, Analysed(f"{title}\n{answer_text}"), needed=FAQ_THRESHOLD)
        score = (full_cov, title_cov)
        if (
            full_cov >= FAQ_THRESHOLD
            and title_cov >= FAQ_TITLE_THRESHOLD
            and (best is None or score > best[0])
        ):
            best = (score, brain, answer_text)
    if best is None:
        return None
    _score, brain, answer_text = best
    return {
        "answer": first_sentences(answer_text),
        "sources": [{"@id": brain.getURL(), "title": brain.Title}],
        "found": True,
        "kind": "faq",
    }


_TAG = re.compile(r"<[^>]*>")
_DIGITS_OR_SPACE = re.compile(r"[\d\s.,%倍人名:：\-–—～~/]")


def passage_sentences(text: str, brain) -> list[str]:
    """Sentences a visitor can read as an answer: no markup, no table rows, no repeats."""
    title = (brain.Title or "").strip()
    page_id = brain.getId or ""
    seen = set()
    result = []
    for sentence in sentences(_TAG.sub(" ", text)):
        sentence = " ".join(word for word in sentence.split() if word != page_id)
        if title and sentence.startswith(title + " "):
            sentence = sentence[len(title) + 1 :]
        if len(sentence) < 8 or sentence == title or sentence in seen:
            continue
        # table rows and figures read badly as an answer
        if len(_DIGITS_OR_SPACE.findall(sentence)) > len(sentence) * 0.3:
            continue
        seen.add(sentence)
        result.append(sentence)
    return result


def answer_pages(portal, words: list[Word]) -> dict | None:
    if not words:
        return None
    catalog = _catalog(portal)
    candidates = _weigh(catalog, words)
    ranked = []
    for brain in candidates.values():
        if brain.portal_type in ("Image",):
            continue
        text = _object_text(brain)
        cov = coverage(words, text, needed=PAGE_THRESHOLD)
        if cov >= PAGE_THRESHOLD:
            ranked.append((cov, coverage(words, brain.Title or ""), brain, text))
    if not ranked:
        return None
    ranked.sort(key=lambda item: (item[0], item[1]), reverse=True)
    for _cov, _title_cov, brain, text in ranked:
        scored = []
        # A sentence is read under its page's title: 「研修制度」's first sentence answers a
        # question about 研修制度 even when it says only 研修. Only words the title contains
        # as they are count for it (not the engine's word-by-word alternatives).
        title = Analysed(brain.Title or "")
        in_title = {id(word) for word in words if any(form in title.folded for form in word.forms)}
        total = sum(word.weight for word in words) or 1.0
        for position, sentence in enumerate(passage_sentences(text, brain)):
            analysed = Analysed(sentence)
            found = sum(word.weight for word in words if id(word) in in_title or _matches(word, analysed))
            # Whole sentences (ending in 。) before headings and fragments of equal coverage.
            complete = sentence.endswith(("。", "！", "？", "!", "?"))
            scored.append((found / total, complete, -position, sentence))
        scored.sort(reverse=True)
        if not scored or scored[0][0] < SENTENCE_THRESHOLD:
            continue
        chosen = [scored[0]]
        if len(scored) > 1 and scored[1][0] >= SENTENCE_THRESHOLD:
            if len(scored[0][3]) + len(scored[1][3]) <= MAX_ANSWER_CHARS + 40:
                chosen.append(scored[1])
        chosen.sort(key=lambda item: -item[2])  # document order
        passage = "".join(item[3] for item in chosen)
        if len(passage) > MAX_ANSWER_CHARS + 40:
            passage = passage[:MAX_ANSWER_CHARS] + "…"
        sources = [{"@id": brain.getURL(), "title": brain.Title}]
        for _c, _t, other, _text in ranked:
            if len(sources) >= MAX_SOURCES:
                break
            if other.getURL() != brain.getURL():
                sources.append({"@id": other.getURL(), "title": other.Title})
        return {"answer": passage, "sources": sources, "found": True, "kind": "page"}
    return None


# ---------------------------------------------------------------------------------------
# The answer


def not_found() -> dict:
    return {"answer": f"{NOT_FOUND}{NOT_FOUND_HINT}", "sources": [], "found": False, "kind": "none"}


def answer(portal, question, now=None) -> dict:
    """``{"answer", "sources": [{"@id", "title"}], "found"}`` for a visitor's question.

    ``kind`` (exam, faq, page, none) says which step answered; the text is plain text
    (lines separated by ``\\n``), never markup.
    """
    question = clean_question(question)[:MAX_QUESTION_CHARS]
    if not question:
        return not_found()
    words = content_words(question)
    for step in (
        lambda: answer_exam(portal, question, words, now=now),
        lambda: answer_faq(portal, words),
        lambda: answer_pages(portal, words),
    ):
        result = step()
        if result is not None:
            return result
    return not_found()


def links(portal) -> list[dict]:
    """Where to go next when there is no answer (よくある質問, お問い合わせ)."""
    url = portal.absolute_url()
    return [
        {"@id": f"{url}/faq", "title": "よくある質問"},
        {"@id": f"{url}/contact", "title": "お問い合わせ"},
    ]


# ---------------------------------------------------------------------------------------
# Unanswered questions: counted beside the ZODB, without anything personal

DIRECTORY_ENV = "SAIYO_ASSISTANT_DIR"
FILE_NAME = "unanswered.sqlite"
SCHEMA = """
CREATE TABLE IF NOT EXISTS unanswered (
    question TEXT PRIMARY KEY,  -- normalised, e-mail addresses and phone numbers removed
    count INTEGER NOT NULL,
    first_seen REAL NOT NULL,   -- seconds since the epoch (UTC)
    last_seen REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS unanswered_count ON unanswered (count DESC, last_seen DESC);
"""
# The same table in PostgreSQL, when the profile's [stores] shares the stores between machines.
POSTGRES_SCHEMA = """
CREATE TABLE IF NOT EXISTS unanswered (
    question TEXT PRIMARY KEY,
    count INTEGER NOT NULL,
    first_seen DOUBLE PRECISION NOT NULL,
    last_seen DOUBLE PRECISION NOT NULL
);
CREATE INDEX IF NOT EXISTS unanswered_count ON unanswered (count DESC, last_seen DESC);
"""

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_PHONE = re.compile(r"(\+?\d[\d\-() ]{7,}\d)")
_LONG_NUMBER = re.compile(r"\d{6,}")


def anonymise(question: str) -> str:
    """The question normalised (NFKC, one line) with e-mail addresses and phone numbers removed."""
    text = unicodedata.normalize("NFKC", clean_question(question))
    text = _EMAIL.sub("［メールアドレス］", text)
    text = _PHONE.sub("［電話番号］", text)
    text = _LONG_NUMBER.sub("［番号］", text)
    return text[:MAX_QUESTION_CHARS].strip()


class StoreUnavailable(RuntimeError):
    """The store's location is unknown (no Zope configuration and no environment variable)."""


class UnansweredStore:
    """The unanswered table in one SQLite file; one connection per thread, autocommit."""

    def __init__(self, path):
        self.path = Path(path)
        self._local = threading.local()

    def connection(self):
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._local.connection = sqlite.connect(self.path, SCHEMA)
        return connection

    def add(self, question: str, at: float | None = None) -> str:
        text = anonymise(question)
        if not text:
            return ""
        at = time.time() if at is None else at
        self.connection().execute(
            "INSERT INTO unanswered (question, count, first_seen, last_seen) VALUES (?, 1, ?, ?) "
            "ON CONFLICT (question) DO UPDATE SET count = unanswered.count + 1, last_seen = excluded.last_seen",
            (text, at, at),
        )
        return text

    def rows(self, limit: int | None = None) -> list[dict]:
        sql = "SELECT question, count, first_seen, last_seen FROM unanswered ORDER BY count DESC, last_seen DESC"
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [
            {"question": q, "count": c, "first_seen": f, "last_seen": last}
            for q, c, f, last in self.connection().execute(sql)
        ]

    def delete(self, questions) -> int:
        connection = self.connection()
        return sum(
            connection.execute("DELETE FROM unanswered WHERE question = ?", (q,)).rowcount for q in questions
        )


class PostgresUnansweredStore(UnansweredStore):
    """The same table in the PostgreSQL schema every machine of a deployment shares."""

    def __init__(self, dsn=None, schema=None):
        self.database = stores.postgres_database(POSTGRES_SCHEMA, dsn, schema)
        self.path = None

    def connection(self):
        return self.database


_stores: dict = {}
_stores_lock = threading.Lock()


def get_store(directory=None) -> UnansweredStore:
    """The store of ``directory``; by default the deployment's (PostgreSQL when the profile says so)."""
    dsn = stores.configured_dsn() if directory is None else None
    if dsn:
        key = (dsn, stores.configured_schema())
    else:
        key = (
            Path(directory or sqlite.store_directory(DIRECTORY_ENV, "assistant", StoreUnavailable))
            / FILE_NAME
        )
    with _stores_lock:
        store = _stores.get(key)
        if store is None:
            store = _stores[key] = PostgresUnansweredStore(*key) if dsn else UnansweredStore(key)
        return store


def local_time(at: float) -> str:
    return datetime.fromtimestamp(at, timezone.utc).astimezone(TOKYO).strftime("%Y-%m-%d %H:%M")


def to_csv(rows) -> str:
    """Rows as CSV (UTF-8 with BOM so that Excel opens the Japanese correctly)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["質問", "回数", "最初", "最後"])
    for row in rows:
        writer.writerow(
            [row["question"], row["count"], local_time(row["first_seen"]), local_time(row["last_seen"])]
        )
    return "\ufeff" + out.getvalue()


def record_unanswered(question: str) -> None:
    """Count a question that got no answer; a broken store never breaks the visitor's answer."""
    try:
        get_store().add(question)
    except Exception:
        logger.exception("could not count an unanswered question")


def ask(portal, question) -> dict:
    """answer() for an entry point: counts what it could not answer, logs failures in English."""
    try:
        result = answer(portal, question)
    except Exception:
        logger.exception("assistant failed on a question of %d characters", len(question or ""))
        result = not_found()
    if not result["found"]:
        record_unanswered(question)
    return result


# ---------------------------------------------------------------------------------------
# Rate limit per client address, in memory only (never stored)

RATE_LIMIT = 10
RATE_WINDOW_SECONDS = 60
MAX_TRACKED_CLIENTS = 10_000


class RateLimiter:
    def __init__(self, limit=RATE_LIMIT, window=RATE_WINDOW_SECONDS):
        self.limit = limit
        self.window = window
        self._hits: dict[str, deque] = {}
        self._lock = threading.Lock()

    def check(self, address: str, now: float | None = None) -> int:
        """0 when this request may go on (and counts it), else the seconds to wait."""
        now = time.monotonic() if now is None else now
        with self._lock:
            hits = self._hits.get(address)
            if hits is None:
                if len(self._hits) >= MAX_TRACKED_CLIENTS:
                    self._forget(now)
                hits = self._hits[address] = deque()
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return max(1, math.ceil(hits[0] + self.window - now))
            hits.append(now)
            return 0

    def _forget(self, now):
        for address in [a for a, hits in self._hits.items() if not hits or hits[-1] <= now - self.window]:
            del self._hits[address]
        while len(self._hits) >= MAX_TRACKED_CLIENTS:
            self._hits.pop(next(iter(self._hits)))

    def reset(self):
        with self._lock:
            self._hits.clear()


limiter = RateLimiter()


def rate_limited(request) -> int:
    """Seconds the client of this request must wait, 0 when it may ask now."""
    from kagoshima.saiyo.security.audit import client_ip

    return limiter.check(client_ip(request) or "unknown")


RATE_LIMIT_MESSAGE = "質問の回数が多すぎます。1分ほど待ってから、もう一度お試しください。"
EMPTY_MESSAGE = "質問を入力してください。"
TOO_LONG_MESSAGE = f"質問は{MAX_QUESTION_CHARS}文字以内で入力してください。"
INVALID_MESSAGE = "送信された内容を読み取れませんでした。質問を入力し直してください。"


def validate(question) -> str:
    """The Japanese message for an unusable question, or ''."""
    if not isinstance(question, str):
        return INVALID_MESSAGE
    cleaned = clean_question(question)
    if not cleaned:
        return EMPTY_MESSAGE
    if len(cleaned) > MAX_QUESTION_CHARS:
        return TOO_LONG_MESSAGE
    return ""
