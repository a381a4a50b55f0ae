"""What each page contributes to ``SearchableText``: every field a visitor can read on it.

Plone indexes only the title, description and body text. The add-on's types show much
more: FAQ answers, 試験区分 rows, eligibility, the schedule, interview Q&A, a day's
schedule, the recruitment facts of an event, and the text of PDF files. The indexers here
put all of it into ``SearchableText`` the way a visitor reads it on the page: choice-list
tokens as their Japanese labels, dates in 和暦 and 西暦, rich text as plain text
(portal_transforms, as Plone's own indexers do). Document, News Item and Folder keep
Plone's indexers.

PDF text (the exam notice's guide PDF, File objects) comes from poppler's ``pdftotext``
in a child process, with limits on size, pages, characters, time and memory; pypdf is
the fallback when poppler is not installed. Extraction never fails a save: a PDF that
cannot be read is logged and the page is indexed without it. The extracted text is
cached in an annotation keyed by the file's size, name and SHA-256, so a reindex does not
parse the same PDF again.
"""

from kagoshima.saiyo.behaviors.recruitment_event import IRecruitmentEvent
from kagoshima.saiyo.content.exam_notice import IExamNotice
from kagoshima.saiyo.content.faq import IFAQ
from kagoshima.saiyo.content.job_category import IJobCategory
from kagoshima.saiyo.content.staff_profile import IStaffProfile
from kagoshima.saiyo.dates import wareki
from kagoshima.saiyo.vocabularies import term_title
from persistent.mapping import PersistentMapping
from plone.app.contenttypes.interfaces import IFile
from plone.app.dexterity.textindexer.interfaces import IDynamicTextIndexExtender
from plone.app.textfield.value import IRichTextValue
from plone.base.interfaces import IPloneCatalogTool
from plone.indexer import indexer
from Products.CMFCore.utils import getToolByName
from ZODB.POSException import ConflictError
from zope.annotation.interfaces import IAnnotations
from zope.component import adapter
from zope.interface import implementer

import hashlib
import logging
import re
import shutil
import subprocess
import sys
import unicodedata


log = logging.getLogger("kagoshima.saiyo.search.text")

# Limits of PDF extraction. A recruitment guide is 10–40 pages and under 5 MB; these leave
# room for large ones while bounding what one save may cost.
MAX_PDF_BYTES = 20 * 1024 * 1024
MAX_PDF_PAGES = 300
MAX_PDF_CHARS = 100_000
PDF_TIMEOUT_SECONDS = 30
# Address space of the extracting child process (ulimit -v, KiB).
PDF_MEMORY_KIB = 1024 * 1024
# Part of the cache key: raising it makes every PDF be extracted again on its next reindex.
EXTRACTOR_VERSION = 1
CACHE_KEY = "kagoshima.saiyo.search.pdf_text"

# Outcomes of an extraction, as stored in the cache and written to the log.
OK = "ok"
EMPTY = "empty"
TOO_LARGE = "too-large"
NOT_PDF = "not-pdf"
ENCRYPTED = "encrypted"
BROKEN = "broken"
TIMEOUT = "timeout"
FAILED = "failed"


def _reason(outcome: str) -> str:
    """The English words of the log line for an outcome (limits read when it happens)."""
    return {
        EMPTY: "no text in the PDF (a scanned image?)",
        TOO_LARGE: f"file larger than {MAX_PDF_BYTES} bytes",
        NOT_PDF: "not a PDF file",
        ENCRYPTED: "encrypted PDF",
        BROKEN: "broken PDF",
        TIMEOUT: f"extraction took longer than {PDF_TIMEOUT_SECONDS} s",
        FAILED: "extraction failed",
    }[outcome]


# ---------------------------------------------------------------- text helpers


def _join(parts) -> str:
    """One line per non-empty part: fields stay apart for snippets, empty ones vanish."""
    lines = []
    for part in parts:
        if part is None:
            continue
        text = part if isinstance(part, str) else str(part)
        text = text.strip()
        if text:
            lines.append(text)
    return "\n".join(lines)


def rich_text(context, value) -> str:
    """A RichTextValue as plain text through portal_transforms, as Plone's indexers do it."""
    if not IRichTextValue.providedBy(value) or not value.raw:
        return ""
    transforms = getToolByName(context, "portal_transforms")
    raw = value.raw
    mimetype = value.mimeType or "text/html"
    if "html" in mimetype:
        # The transform turns every tag into a space; Japanese puts none between words, so
        # 「詳しくは<a>試験日程</a>のページ」 must stay one run of text.
        raw = _INLINE_TAG.sub("", raw)
        # A line per block, so that snippets do not run paragraphs and table rows together.
        raw = _BLOCK_END.sub(lambda match: match.group() + "\n", raw)
    # Plone converts the raw text, not the output (Products.CMFPlone issue 2066).
    data = transforms.convertTo("text/plain", raw, mimetype=mimetype)
    text = data.getData() if data is not None else ""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return re.sub(r"[ \t\u3000]*\n\s*", "\n", re.sub(r"[ \t]+", " ", text)).strip()


_INLINE_TAG = re.compile(
    r"</?(?:a|abbr|b|bdi|cite|code|data|dfn|em|i|kbd|mark|q|rb|ruby|s|samp|small|span|strong|sub|sup"
    r"|time|u|var)(?:\s[^>]*)?/?>",
    re.IGNORECASE,
)


_BLOCK_END = re.compile(
    r"</(?:p|div|li|dt|dd|h[1-6]|tr|caption|blockquote|pre|section|article|figcaption)\s*>|<br\s*/?>",
    re.IGNORECASE,
)


def day_text(value) -> str:
    """A day as visitors read it and may type it: 「令和7年5月1日（木） 2025年5月1日」."""
    if not value:
        return ""
    day = wareki.to_tokyo_date(value)
    return f"{wareki.format_date(day, weekday=True)} {day.year}年{day.month}月{day.day}日"


def moment_text(value) -> str:
    """A date-time as on the page (「令和7年5月1日（木）9時00分」) and in 西暦 (2025年5月1日 9時00分)."""
    if not value:
        return ""
    if not hasattr(value, "hour"):
        return day_text(value)
    local = value.astimezone(wareki.TOKYO) if value.tzinfo is not None else value
    western = f"{local.year}年{local.month}月{local.day}日 {local.hour}時{local.minute:02d}分"
    return f"{wareki.format_datetime(value)} {western}"


def _labels(vocabulary: str, tokens) -> str:
    return "、".join(term_title(vocabulary, token) for token in tokens or () if token)


def _base(obj) -> tuple[list[str], list[str]]:
    """Plone's part of SearchableText: (title and description first, id and keywords last)."""
    head = [obj.title or "", obj.description or ""]
    subjects = obj.Subject() if hasattr(obj, "Subject") else ()
    tail = [" ".join(subjects), obj.getId()]
    return head, tail


def _safely(label: str, obj, build) -> str:
    """Run one part of an indexer; a broken field costs that part, never the whole save."""
    try:
        return build()
    except ConflictError:
        raise
    except Exception:
        log.exception("Could not build the %s text of %s; indexed without it", label, _where(obj))
        return ""


def _where(obj) -> str:
    try:
        return "/".join(obj.getPhysicalPath())
    except Exception:
        return repr(obj)


# ---------------------------------------------------------------- content types


def exam_notice_text(obj) -> str:
    head, tail = _base(obj)
    parts = list(head)
    if obj.fiscal_year:
        parts.append(wareki.fiscal_year_label(obj.fiscal_year))
    parts.append(term_title("kagoshima.saiyo.ExamTypes", obj.exam_type))
    audiences = _labels("kagoshima.saiyo.Audiences", obj.audiences)
    if audiences:
        parts.append(f"対象: {audiences}")

    divisions = obj.divisions or ()
    if divisions:
        parts.append("試験区分と採用予定人数")
    for row in divisions:
        headcount = row.get("headcount")
        parts.append(
            " ".join(
                cell
                for cell in (
                    row.get("name") or "",
                    f"{headcount}人" if headcount is not None else "若干名",
                    term_title("kagoshima.saiyo.JobTypes", row.get("job_type")),
                    row.get("note") or "",
                )
                if cell
            )
        )

    eligibility = _safely("eligibility", obj, lambda: rich_text(obj, obj.eligibility))
    if eligibility:
        parts += ["受験資格", eligibility]

    parts += _exam_schedule(obj)

    contents = obj.exam_contents or ()
    if contents:
        parts.append("試験内容")
    for row in contents:
        cells = (row.get(name) or "" for name in ("stage", "subject", "duration", "detail"))
        parts.append(" ".join(cell for cell in cells if cell))

    parts.append(_safely("guide PDF", obj, lambda: pdf_text(obj, "guide_pdf")))
    return _join(parts + tail)


def _venues(tokens) -> str:
    labels = _labels("kagoshima.saiyo.ExamVenues", tokens)
    return f"〔{labels}〕" if labels else ""


def _exam_schedule(obj) -> list[str]:
    """The schedule table of the page, row by row, then the note below it."""
    rows = []
    if obj.guide_release_date:
        rows.append(f"試験案内配布開始日 {day_text(obj.guide_release_date)}")
    if obj.application_start or obj.application_end:
        period = " ～ ".join(
            t for t in (moment_text(obj.application_start), moment_text(obj.application_end)) if t
        )
        rows.append(f"申込受付期間 {period}")
    if obj.first_exam_date or obj.first_exam_venues:
        rows.append(f"第1次試験日 {day_text(obj.first_exam_date)} {_venues(obj.first_exam_venues)}")
    if obj.first_result_date:
        rows.append(f"第1次試験合格発表日 {day_text(obj.first_result_date)}")
    if obj.second_exam_start or obj.second_exam_end or obj.second_exam_venues:
        days = [obj.second_exam_start, obj.second_exam_end]
        if days[0] and days[0] == days[1]:
            days = days[:1]
        period = " ～ ".join(day_text(day) for day in days if day)
        rows.append(f"第2次試験 {period} {_venues(obj.second_exam_venues)}")
    if obj.final_result_date or obj.final_result_note:
        rows.append(f"最終合格発表 {day_text(obj.final_result_date)} {obj.final_result_note or ''}")
    if rows:
        rows.insert(0, "試験日程")
    rows.append(obj.schedule_note or "")
    return [re.sub(r" +", " ", row) for row in rows]


def faq_text(obj) -> str:
    head, tail = _base(obj)
    category = term_title("kagoshima.saiyo.FaqCategories", obj.faq_category)
    answer = _safely("answer", obj, lambda: rich_text(obj, obj.answer))
    return _join(head + [f"カテゴリ: {category}" if category else "", answer] + tail)


def job_category_text(obj) -> str:
    head, tail = _base(obj)
    parts = list(head)
    job_type = term_title("kagoshima.saiyo.JobTypes", obj.job_type)
    parts.append(f"職種: {job_type}" if job_type else "")
    for heading, field in (("主な仕事", "main_work"), ("求める人物像", "ideal_candidate")):
        text = _safely(field, obj, lambda field=field: rich_text(obj, getattr(obj, field, None)))
        if text:
            parts += [heading, text]
    workplaces = [place for place in obj.workplaces or () if place]
    if workplaces:
        parts += ["勤務先の例", *workplaces]
    return _join(parts + tail)


def staff_profile_text(obj) -> str:
    head, tail = _base(obj)
    parts = list(head)
    parts.append(obj.display_name)
    parts.append(obj.department)
    parts.append(term_title("kagoshima.saiyo.JobTypes", obj.job_type))
    if obj.joined_year:
        parts.append(f"{wareki.year_label(obj.joined_year)}入庁")
    parts.append(term_title("kagoshima.saiyo.CareerTypes", obj.career_type))
    questions = obj.questions or ()
    if questions:
        parts.append("インタビュー")
    for row in questions:
        parts += [row.get("question") or "", row.get("answer") or ""]
    schedule = obj.day_schedule or ()
    if schedule:
        parts.append("1日のスケジュール")
    for row in schedule:
        parts.append(" ".join(cell for cell in (row.get("time") or "", row.get("activity") or "") if cell))
    if obj.message:
        parts += ["受験を考えている方へ", obj.message]
    return _join(parts + tail)


def recruitment_event_text(obj) -> str:
    """The event's dates and its 参加について table: what Plone's Event indexer leaves out."""
    facts = IRecruitmentEvent(obj, None)
    parts = []
    start, end = getattr(obj, "start", None), getattr(obj, "end", None)
    as_text = day_text if getattr(obj, "whole_day", False) else moment_text
    if start:
        when = as_text(start)
        if end and wareki.to_tokyo_date(end) != wareki.to_tokyo_date(start):
            when += f" ～ {as_text(end)}"
        elif end and end != start and as_text is moment_text:
            local = end.astimezone(wareki.TOKYO) if end.tzinfo is not None else end
            when += f" ～ {local.hour}時{local.minute:02d}分"
        parts.append(when)
    if facts is not None:
        audiences = _labels("kagoshima.saiyo.Audiences", facts.audiences)
        parts.append(f"対象: {audiences}" if audiences else "")
        event_format = term_title("kagoshima.saiyo.EventFormats", facts.event_format)
        parts.append(f"開催形式: {event_format}" if event_format else "")
        if facts.capacity is not None:
            parts.append(f"定員: {facts.capacity}人")
        if facts.application_deadline:
            parts.append(f"申込締切: {moment_text(facts.application_deadline)}")
    for name in ("location", "contact_name"):
        value = getattr(obj, name, None)
        parts.append(value if isinstance(value, str) else "")
    return _join(parts)


@indexer(IExamNotice)
def SearchableText_exam_notice(obj):
    return exam_notice_text(obj)


@indexer(IFAQ)
def SearchableText_faq(obj):
    return faq_text(obj)


@indexer(IJobCategory)
def SearchableText_job_category(obj):
    return job_category_text(obj)


@indexer(IStaffProfile)
def SearchableText_staff_profile(obj):
    return staff_profile_text(obj)


def _plone_event_text(obj) -> str:
    """What Plone indexes for an Event: its dynamic (textindexer) indexer or the basic one."""
    from plone.app.contenttypes import indexers as plone_indexers
    from plone.app.dexterity.textindexer.behavior import IDexterityTextIndexer
    from plone.app.dexterity.textindexer.indexer import dynamic_searchable_text_indexer

    if IDexterityTextIndexer.providedBy(obj):
        # It runs the extenders, ours (RecruitmentEventText) included.
        return dynamic_searchable_text_indexer.callable(obj)
    return _join([plone_indexers.SearchableText(obj), recruitment_event_text(obj)])


@indexer(IRecruitmentEvent)
def SearchableText_recruitment_event(obj):
    """Used when the recruitment behaviour comes before plone.textindexer in the type's list."""
    return _plone_event_text(obj)


@implementer(IDynamicTextIndexExtender)
@adapter(IRecruitmentEvent)
class RecruitmentEventText:
    """Adds the recruitment facts and dates to Plone's dynamic Event indexer (plone.textindexer)."""

    def __init__(self, context):
        self.context = context

    def __call__(self):
        return _safely("recruitment event", self.context, lambda: recruitment_event_text(self.context))


# ---------------------------------------------------------------- File objects


@indexer(IFile, IPloneCatalogTool)
def SearchableText_file(obj):
    """A File: Plone's text for it, and for a PDF its text through the limits and the cache.

    Registered for Plone's catalog tool, which makes it more specific than
    plone.app.contenttypes' indexer for IFile (registered for any catalog).
    """
    from plone.app.contenttypes import indexers as plone_indexers

    value = getattr(obj, "file", None)
    if value is None or not _looks_like_pdf(value):
        return plone_indexers.SearchableText_file.callable(obj)
    head, tail = _base(obj)
    return _join(head + [_safely("PDF", obj, lambda: pdf_text(obj, "file"))] + tail)


# ---------------------------------------------------------------- PDF text


def _looks_like_pdf(value) -> bool:
    content_type = (getattr(value, "contentType", "") or "").lower()
    filename = (getattr(value, "filename", "") or "").lower()
    return content_type == "application/pdf" or filename.endswith(".pdf")


def _open(value):
    """A file object of a NamedBlobFile's blob (no copy in memory), or None for NamedFile."""
    if getattr(value, "_blob", None) is not None:
        return value.open()
    return None


def _fingerprint(value) -> tuple:
    """(extractor version, size, filename, SHA-256 of the content): the key of the cache."""
    digest = hashlib.sha256()
    handle = _open(value)
    if handle is None:
        digest.update(value.data or b"")
    else:
        with handle:
            for chunk in iter(lambda: handle.read(1024 * 1024), b""):
                digest.update(chunk)
    return (EXTRACTOR_VERSION, value.getSize(), value.filename or "", digest.hexdigest())


def pdf_text(obj, field_name: str) -> str:
    """The text of the PDF in ``obj``'s file field ``field_name`` ("" when there is none).

    Taken from the cache when the file is the one last extracted; otherwise extracted
    and cached. Every problem is logged and gives "", so the page is still indexed.
    """
    value = getattr(obj, field_name, None)
    if value is None or not value.getSize():
        return ""
    where = f"{_where(obj)} ({field_name}: {value.filename})"
    size = value.getSize()
    if size > MAX_PDF_BYTES:
        # Not cached, not hashed: the check costs nothing, and hashing 100 MB would.
        _log_outcome(where, TOO_LARGE, f"{size} bytes")
        return ""
    key = _fingerprint(value)
    annotations = IAnnotations(obj, None)
    cache = annotations.get(CACHE_KEY) if annotations is not None else None
    entry = cache.get(field_name) if cache is not None else None
    if entry is not None and entry.get("key") == key:
        return entry.get("text", "")

    handle = _open(value)
    try:
        outcome, text, detail = extract_pdf_text(handle if handle is not None else value.data)
    finally:
        if handle is not None:
            handle.close()
    _log_outcome(where, outcome, detail)
    # Indexing runs for editors, upgrades and scripts; a visitor's request that computes
    # the text (it should not) still gets it, but never writes to the database.
    if annotations is not None and not _anonymous():
        if cache is None:
            cache = annotations[CACHE_KEY] = PersistentMapping()
        # Failures are cached too: a broken PDF is not parsed again until the file changes.
        cache[field_name] = PersistentMapping(key=key, outcome=outcome, text=text)
    return text


def _anonymous() -> bool:
    from AccessControl import getSecurityManager

    return getSecurityManager().getUser().getUserName() == "Anonymous User"


def _log_outcome(where: str, outcome: str, detail: str) -> None:
    if outcome == OK:
        log.info("PDF text extracted for %s: %s", where, detail)
    else:
        log.warning(
            "PDF text not indexed for %s: %s%s", where, _reason(outcome), f" ({detail})" if detail else ""
        )


def extract_pdf_text(source) -> tuple[str, str, str]:
    """(outcome, text, detail) of a PDF given as an open binary file or as bytes.

    poppler's pdftotext when it is installed, pypdf otherwise; both run in a child
    process with a time and a memory limit, so a hostile or huge PDF costs neither the
    Zope process's memory nor more than PDF_TIMEOUT_SECONDS of a save.
    """
    if isinstance(source, bytes | bytearray):
        head = bytes(source[:1024])
    else:
        head = source.read(1024)
        source.seek(0)
    if b"%PDF-" not in head:
        return NOT_PDF, "", "no %PDF- header"
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        command = [pdftotext, "-enc", "UTF-8", "-l", str(MAX_PDF_PAGES), "-", "-"]
        tool = "pdftotext"
    else:
        _warn_fallback()
        command = [sys.executable, "-c", _PYPDF_CHILD, str(MAX_PDF_PAGES)]
        tool = "pypdf"
    limited = ["/bin/sh", "-c", f'ulimit -v {PDF_MEMORY_KIB} 2>/dev/null; exec "$0" "$@"', *command]
    kwargs = {"input": bytes(source)} if isinstance(source, bytes | bytearray) else {"stdin": source}
    try:
        done = subprocess.run(limited, capture_output=True, timeout=PDF_TIMEOUT_SECONDS, **kwargs)
    except subprocess.TimeoutExpired:
        return TIMEOUT, "", tool
    except OSError as error:
        return FAILED, "", f"{tool}: {error}"
    message = done.stderr.decode("utf-8", "replace").strip().splitlines()
    message = message[-1] if message else ""
    if done.returncode != 0:
        if done.returncode == 3 or "password" in message.lower() or "encrypt" in message.lower():
            return ENCRYPTED, "", f"{tool}: {message}"
        return BROKEN, "", f"{tool} exit {done.returncode}: {message}"
    text = done.stdout.decode("utf-8", "replace").rstrip()
    # Both tools end every page with a form feed.
    pages = text.count("\f") + (1 if text and not text.endswith("\f") else 0)
    notes = [f"{tool}, {pages} pages"]
    if pages >= MAX_PDF_PAGES:
        notes.append(f"only the first {MAX_PDF_PAGES} pages")
    text = _clean(text.replace("\f", "\n")).strip()
    if len(text) > MAX_PDF_CHARS:
        text = text[:MAX_PDF_CHARS]
        notes.append(f"cut at {MAX_PDF_CHARS} characters")
    if not text:
        return EMPTY, "", tool
    return OK, text, ", ".join(notes)


def _clean(text: str) -> str:
    """Undo what PDF fonts do to Japanese text, and squeeze blank space.

    Fonts shared between an ideograph and its Kangxi radical (日 and ⽇) make some PDFs
    (Chromium's among them) map the glyph back to the radical; pypdf passes that on.
    NFKC on those blocks gives the ideograph back. U+2027 stands for the 中黒 there.
    """
    text = _RADICALS.sub(lambda match: unicodedata.normalize("NFKC", match.group()), text)
    text = text.replace("\u2027", "\u30fb")
    text = re.sub(r"[ \t\u3000]+", " ", text)
    return re.sub(r" ?\n[ \n]*", "\n", text)


_RADICALS = re.compile("[\u2e80-\u2fdf]")

_fallback_warned = []


def _warn_fallback():
    if not _fallback_warned:
        _fallback_warned.append(True)
        log.warning("pdftotext (Debian package poppler-utils) is not installed; PDF text comes from pypdf")


# The pypdf fallback, run by the same interpreter in a child process. Exit 3: encrypted.
_PYPDF_CHILD = """
import io, sys
import pypdf
reader = pypdf.PdfReader(io.BytesIO(sys.stdin.buffer.read()))
if reader.is_encrypted:
    try:
        ok = reader.decrypt("")
    except Exception:
        ok = 0
    if not ok:
        sys.stderr.write("encrypted PDF\\n")
        sys.exit(3)
out = sys.stdout
for number, page in enumerate(reader.pages):
    if number >= int(sys.argv[1]):
        break
    out.buffer.write((page.extract_text() or "").encode("utf-8") + b"\\f")
"""


# ---------------------------------------------------------------- renamed choice-list labels

# Which types show the labels of each editable list (registry record -> portal types).
LABEL_USERS = {
    "kagoshima.saiyo.vocabularies.exam_types": ("ExamNotice",),
    "kagoshima.saiyo.vocabularies.job_types": ("ExamNotice", "JobCategory", "StaffProfile"),
    "kagoshima.saiyo.vocabularies.audiences": ("ExamNotice", "Event"),
    "kagoshima.saiyo.vocabularies.faq_categories": ("FAQ",),
    "kagoshima.saiyo.vocabularies.exam_venues": ("ExamNotice",),
}


def reindex_label_users(event):
    """An administrator renamed a label: the pages showing it are found by the new one.

    Subscriber of plone.registry's IRecordModifiedEvent; only SearchableText is reindexed.
    """
    record = getattr(event, "record", None)
    types = LABEL_USERS.get(getattr(record, "__name__", None))
    if not types or event.oldValue == event.newValue:
        return
    from plone import api

    catalog = api.portal.get_tool("portal_catalog")
    count = 0
    for brain in catalog.unrestrictedSearchResults(portal_type=list(types)):
        obj = brain._unrestrictedGetObject()
        if brain.portal_type == "Event" and IRecruitmentEvent(obj, None) is None:
            continue
        obj.reindexObject(idxs=["SearchableText"])
        count += 1
    log.info("Choice list %s changed: SearchableText of %d pages reindexed", record.__name__, count)
