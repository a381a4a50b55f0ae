"""The site's search results page (``@@search``) and the header's live search (``@@ajax-search``).

Both replace Plone's stock views for the add-on's browser layer and keep their URLs, so
links, the header's search box, robots rules and plone.restapi stay as they are. Results
come from the catalog in its own order (the site's ``SearchableText`` index scores them by
relevance); the catalog's security filters what a visitor may see, so drafts never show.
Snippets are cut from the text the index stores for each result (no object is woken up)
around the words that matched, which are marked with ``<mark>``.
"""

from kagoshima.saiyo.browser.exams import badge_class
from kagoshima.saiyo.browser.exams import status_of_brain
from kagoshima.saiyo.content import exam_status
from kagoshima.saiyo.search.hidden import visible
from kagoshima.saiyo.theme.interfaces import IOwnHeadPage
from plone.app.layout.viewlets import ViewletBase
from plone.app.layout.viewlets.common import SearchBoxViewlet as PloneSearchBoxViewlet
from plone.base.batch import Batch
from plone.base.interfaces.siteroot import IPloneSiteRoot
from plone.base.navigationroot import get_navigation_root
from plone.base.utils import munge_search_term
from Products.CMFCore.utils import getToolByName
from Products.CMFPlone.browser.search import Search
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.cachedescriptors.property import Lazy as lazy_property
from zope.component import queryMultiAdapter
from zope.i18n import translate
from zope.interface import implementer
from zope.interface import Interface
from ZTUtils import make_query

import json
import logging
import re


logger = logging.getLogger("kagoshima.saiyo.search")

# What visitors call Plone's own types on this site; the add-on's types carry Japanese titles.
TYPE_LABELS = {
    "Document": "ページ",
    "News Item": "お知らせ",
    "Event": "イベント・説明会",
    "File": "ファイル",
    "Image": "画像",
    "Folder": "一覧ページ",
    "Link": "リンク",
    "Collection": "新着一覧",
}
PAGE_SIZE = 10
LIVE_PAGE_SIZE = 7
# A query longer than this is cut: nobody types more, and analysis cost grows with it.
MAX_QUERY_CHARS = 200
SNIPPET_CHARS = 120
SNIPPET_LEAD = 30
# Spans are looked for in pieces of the stored text, so a long page costs one piece, not all.
SNIPPET_PIECE_CHARS = 2000
SNIPPET_MAX_PIECES = 3
SORT_NEWEST = "Date"
MAX_SUGGESTIONS = 3
# Each proposal is searched to show only those that find pages: a bound on that cost.
MAX_SUGGESTION_SEARCHES = 10
SECTION_SEPARATOR = " › "
_SENTENCE_END = re.compile(r"(?<=[。！？\n])")
_SPACES = re.compile(r"\s+")


def _analysis():
    """The engine's analysis module, or None while it is not installed."""
    try:
        from kagoshima.saiyo.search import analysis
    except ImportError:  # the engine part is not in this checkout yet
        return None
    return analysis


def _stored_text(rid, catalog) -> str:
    try:
        from kagoshima.saiyo.search import index
    except ImportError:
        return ""
    try:
        return index.document_text(rid, catalog) or ""
    except Exception:
        logger.exception("could not read the stored text of catalog record %s", rid)
        return ""


def _pieces(text: str, size: int = SNIPPET_PIECE_CHARS):
    """(offset, piece) of text cut after sentence ends, each about ``size`` characters."""
    offset, current = 0, ""
    for sentence in _SENTENCE_END.split(text):
        if current and len(current) + len(sentence) > size:
            yield offset, current
            offset += len(current)
            current = ""
        current += sentence
        while len(current) > size * 2:  # a text without sentence ends
            yield offset, current[:size]
            offset += size
            current = current[size:]
    if current:
        yield offset, current


def highlight(text: str, query: str) -> list[tuple[int, int]]:
    """Spans of text matching the query (the engine's analysis), found in the first piece that has any."""
    analysis = _analysis()
    if analysis is None or not text or not query:
        return []
    for number, (offset, piece) in enumerate(_pieces(text)):
        if number == SNIPPET_MAX_PIECES:  # matched by its title or far down: the start will do
            break
        try:
            spans = analysis.highlight_spans(piece, query)
        except Exception:
            logger.exception("highlight_spans failed for query %r", query)
            return []
        if spans:
            return [(offset + start, offset + end) for start, end in spans]
    return []


def snippet(text: str, spans: list[tuple[int, int]], size: int = SNIPPET_CHARS) -> list[dict]:
    """Segments ``{"text", "mark"}`` of a window of text around the densest matches.

    Without spans, the window is the start of the text. Whitespace runs are folded.
    """
    if not text:
        return []
    start = 0
    if spans:
        best, best_count = spans[0][0], 0
        for candidate, _end in spans:
            count = sum(1 for s, e in spans if s >= candidate and e <= candidate + size - SNIPPET_LEAD)
            if count > best_count:
                best, best_count = candidate, count
        start = max(0, best - SNIPPET_LEAD)
    end = min(len(text), start + size)
    segments = []
    position = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        if span_start > position:
            segments.append({"text": text[position:span_start], "mark": False})
        segments.append({"text": text[span_start:span_end], "mark": True})
        position = span_end
    if position < end:
        segments.append({"text": text[position:end], "mark": False})
    for segment in segments:
        segment["text"] = _SPACES.sub(" ", segment["text"])
    if segments and start > 0:
        segments[0]["text"] = "…" + segments[0]["text"].lstrip()
    if segments and end < len(text):
        segments[-1]["text"] = segments[-1]["text"].rstrip() + "…"
    return segments


def body_text(text: str, title: str, short_name: str) -> str:
    """The stored text without the title it starts with and the URL name (``kyuyo``) in it.

    The snippet sits right under the title, and the name means nothing to a reader; both stay
    searchable, they are only left out of what is shown.
    """
    text = text.strip()
    if title and text.startswith(title):
        text = text[len(title) :].lstrip()
    if short_name:
        text = re.sub(rf"(?<!\S){re.escape(short_name)}(?!\S)", "", text)
    return _SPACES.sub(" ", text).strip()


def query_text(request) -> str:
    """The visitor's query as one string (a repeated parameter is joined), cut to a sane length."""
    value = request.form.get("SearchableText", "")
    if isinstance(value, (list, tuple)):
        value = " ".join(str(part) for part in value)
    if not isinstance(value, str):
        value = str(value)
    return _SPACES.sub(" ", value).strip()[:MAX_QUERY_CHARS]


class ISaiyoSearchPage(Interface):
    """Marker of the results page, for viewlets that differ there."""


class NoFeedLinks(ViewletBase):
    """No RSS/Atom links in the head of the results page: the feeds are not for visitors."""

    def render(self):
        return ""


class Result:
    """What the page shows of one result, read from its catalog brain and the index's stored text."""

    def __init__(self, view, brain):
        self.brain = brain
        self.url = brain.getURL()
        self.title = brain.Title or brain.getId
        self.portal_type = brain.portal_type
        self.type_label = view.type_label(brain.portal_type)
        self.status = ""
        self.status_label = ""
        self.badge_class = ""
        if brain.portal_type == "ExamNotice":
            self.status = status_of_brain(brain)
            self.status_label = exam_status.label(self.status)
            self.badge_class = badge_class(self.status)
        self.section = view.section_of(brain)
        self.segments = self._segments(view, brain)

    def _segments(self, view, brain):
        query = view.query
        text = body_text(_stored_text(brain.getRID(), view.catalog), brain.Title, brain.getId)
        spans = highlight(text, query) if text else []
        if spans:
            return snippet(text, spans)
        # The match may be in the title only: show the description (or the text's start), marked too.
        description = brain.Description or ""
        if description:
            return snippet(description, highlight(description, query))
        return snippet(text, [])


@implementer(ISaiyoSearchPage, IOwnHeadPage)
class SearchView(Search):
    """「『給与』の検索結果 12件」: results by relevance (or newest first), filters by type, paging."""

    @lazy_property
    def catalog(self):
        return getToolByName(self.context, "portal_catalog")

    @lazy_property
    def query(self) -> str:
        return query_text(self.request)

    @lazy_property
    def subject(self) -> str:
        """A tag (Plone's keyword links: ``@@search?Subject:list=…``), searched with or without text."""
        value = self.request.form.get("Subject", "")
        if isinstance(value, (list, tuple)):
            value = value[0] if value else ""
        return value.strip()[:MAX_QUERY_CHARS] if isinstance(value, str) else ""

    @lazy_property
    def sort(self) -> str:
        return SORT_NEWEST if self.request.form.get("sort_on") == SORT_NEWEST else ""

    @lazy_property
    def b_start(self) -> int:
        try:
            return max(0, int(self.request.form.get("b_start", 0)))
        except (TypeError, ValueError):
            return 0

    @lazy_property
    def searchable_types(self) -> list[str]:
        """Types visitors may search (Plone's 'types not searched' setting respected)."""
        return self.filter_types(list(self.catalog.uniqueValuesFor("portal_type")))

    @lazy_property
    def selected_types(self) -> list[str]:
        value = self.request.form.get("portal_type", [])
        if isinstance(value, str):
            value = [value]
        return [name for name in value if name in self.searchable_types]

    def type_label(self, portal_type: str) -> str:
        if portal_type in TYPE_LABELS:
            return TYPE_LABELS[portal_type]
        info = getToolByName(self.context, "portal_types").getTypeInfo(portal_type)
        if info is None:
            return portal_type
        return translate(info.Title(), domain=info.i18n_domain or "plone", context=self.request)

    def catalog_query(self, text: str) -> dict:
        query = {"portal_type": self.searchable_types, "show_inactive": False}
        if text:
            query["SearchableText"] = munge_search_term(text)
        if self.subject:
            query["Subject"] = self.subject
        if not IPloneSiteRoot.providedBy(self.context):
            query["path"] = get_navigation_root(self.context)
        if self.sort == SORT_NEWEST:
            query["sort_on"] = "effective"
            query["sort_order"] = "reverse"
        return query

    def search(self, text: str):
        """Catalog brains for text, in the catalog's order; an unreadable query finds nothing."""
        if not (text or self.subject) or not self.searchable_types:
            return []
        try:
            return visible(self.catalog(**self.catalog_query(text)), self.catalog)
        except Exception:
            # A query the index cannot read must not become an error page.
            logger.warning("search for %r failed", text, exc_info=True)
            return []

    @lazy_property
    def all_results(self) -> list:
        return list(self.search(self.query))

    @lazy_property
    def type_counts(self) -> list[dict]:
        """One filter per type with results (and every selected one), in the vocabulary's order."""
        counts: dict[str, int] = {}
        for brain in self.all_results:
            counts[brain.portal_type] = counts.get(brain.portal_type, 0) + 1
        filters = []
        for number, portal_type in enumerate(self.searchable_types):
            selected = portal_type in self.selected_types
            if counts.get(portal_type) or selected:
                filters.append(
                    {
                        "id": f"saiyo-search-type-{number}",
                        "value": portal_type,
                        "label": self.type_label(portal_type),
                        "count": counts.get(portal_type, 0),
                        "selected": selected,
                    }
                )
        return filters

    @lazy_property
    def matches(self) -> list:
        if not self.selected_types:
            return self.all_results
        wanted = set(self.selected_types)
        return [brain for brain in self.all_results if brain.portal_type in wanted]

    @lazy_property
    def batch(self):
        start = self.b_start
        if start >= len(self.matches):  # an old link past the end: the last page
            start = max(0, (len(self.matches) - 1) // PAGE_SIZE * PAGE_SIZE)
        return Batch(self.matches, PAGE_SIZE, start - start % PAGE_SIZE)

    @lazy_property
    def items(self) -> list[Result]:
        brains = list(self.batch)
        self._section_titles(brains)
        return [Result(self, brain) for brain in brains]

    @lazy_property
    def total(self) -> int:
        return len(self.matches)

    @lazy_property
    def first_number(self) -> int:
        return self.batch.start if self.total else 0

    @lazy_property
    def last_number(self) -> int:
        return self.batch.end if self.total else 0

    @lazy_property
    def filter_summary(self) -> str:
        return "・".join(self.type_label(name) for name in self.selected_types)

    # Sections: the titles of the folders a result sits in ------------------------------------

    @lazy_property
    def _root_path(self) -> str:
        return get_navigation_root(self.context)

    def _ancestors(self, brain) -> list[str]:
        path = brain.getPath()
        root = self._root_path.rstrip("/")
        if not path.startswith(root + "/"):
            return []
        parts = path[len(root) + 1 :].split("/")[:-1]
        return [root + "/" + "/".join(parts[: number + 1]) for number in range(len(parts))]

    def _section_titles(self, brains) -> dict[str, str]:
        """Titles of the result's folders, from one catalog query (only folders the visitor may see)."""
        if not hasattr(self, "_titles"):
            self._titles = {}
        wanted = {path for brain in brains for path in self._ancestors(brain)} - set(self._titles)
        if wanted:
            for folder in self.catalog(path={"query": sorted(wanted), "depth": 0}):
                self._titles[folder.getPath()] = folder.Title
        return self._titles

    def section_of(self, brain) -> str:
        titles = self._section_titles([brain])
        return SECTION_SEPARATOR.join(titles[path] for path in self._ancestors(brain) if titles.get(path))

    # URLs ------------------------------------------------------------------------------------

    @lazy_property
    def search_url(self) -> str:
        return self.navroot_url() + "/@@search"

    def url_with(self, **changes) -> str:
        """This search's URL with some parameters changed (None removes one); paging restarts."""
        params = {"SearchableText": self.query, "Subject": self.subject}
        if self.selected_types:
            params["portal_type"] = self.selected_types
        if self.sort:
            params["sort_on"] = self.sort
        params.update(changes)
        params = {key: value for key, value in params.items() if value}
        return self.search_url + "?" + make_query(params)

    def sort_links(self) -> list[dict]:
        return [
            {"label": "関連度順", "url": self.url_with(sort_on=None), "selected": not self.sort},
            {
                "label": "新しい順",
                "url": self.url_with(sort_on=SORT_NEWEST),
                "selected": self.sort == SORT_NEWEST,
            },
        ]

    def pages(self) -> list[dict]:
        """Page links: the first, the last and two either side of the current one, gaps as 「…」."""
        batch = self.batch
        if batch.numpages <= 1:
            return []
        current, last = batch.pagenumber, batch.numpages
        numbers = sorted({1, last, *range(max(1, current - 2), min(last, current + 2) + 1)})
        links, previous = [], 0
        for number in numbers:
            if number - previous > 1:
                links.append({"gap": True})
            links.append(
                {
                    "gap": False,
                    "number": number,
                    "url": self.url_with(b_start=(number - 1) * PAGE_SIZE),
                    "current": number == current,
                }
            )
            previous = number
        return links

    def previous_url(self) -> str:
        batch = self.batch
        return self.url_with(b_start=(batch.pagenumber - 2) * PAGE_SIZE) if batch.pagenumber > 1 else ""

    def next_url(self) -> str:
        batch = self.batch
        return (
            self.url_with(b_start=batch.pagenumber * PAGE_SIZE) if batch.pagenumber < batch.numpages else ""
        )

    def clear_filters_url(self) -> str:
        return self.url_with(portal_type=None)

    # Nothing found ---------------------------------------------------------------------------

    @lazy_property
    def suggestions(self) -> list[dict]:
        """Other spellings, synonyms and kanji for readings that do find pages, with their counts."""
        analysis = _analysis()
        if analysis is None or not self.query:
            return []
        try:
            proposals = analysis.suggestions(self.query)
        except Exception:
            logger.exception("suggestions failed for query %r", self.query)
            return []
        # A question of several words finds nothing when one of them is unknown to the site:
        # each word alone is worth proposing too, after the engine's own proposals.
        candidates = list(proposals)
        for phrase in (self.query, *proposals):
            words = phrase.split()
            if len(words) > 1:
                candidates.extend(words)
        found, tried = [], set()
        for proposal in candidates:
            if proposal in tried or proposal == self.query or len(tried) == MAX_SUGGESTION_SEARCHES:
                continue
            tried.add(proposal)
            count = len(self.search(proposal))
            if count:
                found.append(
                    {
                        "query": proposal,
                        "count": count,
                        "url": self.search_url + "?" + make_query(SearchableText=proposal),
                    }
                )
            if len(found) == MAX_SUGGESTIONS:
                break
        return found

    def assistant_box(self) -> str:
        """The assistant's form (「質問する」), when its view is installed."""
        box = queryMultiAdapter((self.context, self.request), name="saiyo-assistant-box")
        if box is None:
            return ""
        try:
            return box()
        except Exception:
            logger.exception("the assistant box failed to render on the search page")
            return ""

    def portal_url(self) -> str:
        return getToolByName(self.context, "portal_url")()

    def head_title(self) -> str:
        if self.query:
            return f"『{self.query}』の検索結果"
        if self.subject:
            return f"タグ『{self.subject}』のページ"
        return "サイト内検索"

    def head_noindex(self) -> bool:
        return bool(self.query or self.subject)

    def __call__(self):
        # Columns off, as Plone's own search page does.
        self.request.set("disable_plone.leftcolumn", True)
        self.request.set("disable_plone.rightcolumn", True)
        return self.index()


class LiveSearch(SearchView):
    """JSON for the header's live search: the page's ranking, Japanese type and status per result.

    Keeps the keys of Plone's ``@@ajax-search`` (``total``, ``items`` with ``title``, ``url``,
    ``description`` …), so Plone's ``livesearch`` pattern still reads it for logged-in staff.
    """

    def __call__(self):
        try:
            per_page = min(20, max(1, int(self.request.form.get("perPage", LIVE_PAGE_SIZE))))
        except (TypeError, ValueError):
            per_page = LIVE_PAGE_SIZE
        try:
            page = max(1, int(self.request.form.get("page", 1)))
        except (TypeError, ValueError):
            page = 1
        results = self.matches
        batch = Batch(results, per_page, start=(page - 1) * per_page)
        brains = list(batch)
        self._section_titles(brains)
        view_action_types = self.context.portal_registry.get("plone.types_use_view_action_in_listings", [])
        items = []
        for brain in brains:
            url = brain.getURL()
            if brain.portal_type in view_action_types:
                url += "/view"
            type_label = self.type_label(brain.portal_type)
            status_label = (
                exam_status.label(status_of_brain(brain)) if brain.portal_type == "ExamNotice" else ""
            )
            labels = "・".join(label for label in (type_label, status_label) if label)
            description = (brain.Description or "")[:80]
            items.append(
                {
                    "id": brain.UID,
                    "title": brain.Title or brain.getId,
                    "description": f"{labels}｜{description}" if description else labels,
                    "url": url,
                    "state": None,
                    "img_tag": None,
                    "type": type_label,
                    "status": status_label,
                    "section": self.section_of(brain),
                }
            )
        self.request.response.setHeader("Content-Type", "application/json; charset=utf-8")
        return json.dumps({"total": len(results), "items": items, "url": self.url_with()}, ensure_ascii=False)


class SearchBoxViewlet(PloneSearchBoxViewlet):
    """The header's search box, in Japanese, wired to the site's live search (``search-live.js``)."""

    index = ViewPageTemplateFile("templates/searchbox.pt")

    def update(self):
        super().update()
        self.query = query_text(self.request)
        self.script_url = self.site_url + "/++resource++kagoshima.saiyo.search-live.js"
        self.css_url = self.site_url + "/++resource++kagoshima.saiyo.search.css"
