"""The catalog index of the site search: ``SearchableText`` for Japanese, ranked by relevance.

``SaiyoTextIndex`` replaces the stock ZCTextIndex of ``portal_catalog``. It is a Zope
pluggable index kept in the ZODB (BTrees inside the catalog), so every ZEO or RelStorage
client sees the same data:

- pages are indexed under the terms of ``search.analysis`` (their ``SearchableText`` and,
  weighed more, their ``Title``); the plain text is stored for snippets
  (``document_text``) and the meaning vector of ``search.semantic`` when available;
- a query (what Plone's search page, the live search, collections and plone.restapi send,
  ``foo* AND bar*``, quotes, OR, NOT and parentheses included) is read leniently into
  concept groups, scored with BM25, and a page must match all groups of a short query and
  most of those of a long question;
- the lexical ranking is fused with the semantic one (reciprocal rank fusion; pages found
  only by meaning must be clearly similar), and exam notices now 受付中 (then 受付前) move
  ahead of ended ones among close matches, their status read from catalog metadata.

The result is an ``IIBucket`` of record id → integer score: the catalog intersects it
with the rest of the query (permissions included) and orders by it when no ``sort_on``
is given.
"""

from AccessControl.class_init import InitializeClass
from AccessControl.Permissions import manage_zcatalog_indexes
from AccessControl.SecurityInfo import ClassSecurityInfo
from Acquisition import aq_base
from Acquisition import aq_inner
from Acquisition import aq_parent
from Acquisition import Implicit
from BTrees.IIBTree import IIBTree
from BTrees.IIBTree import IIBucket
from BTrees.IOBTree import IOBTree
from BTrees.Length import Length
from BTrees.OOBTree import OOBTree
from html import escape
from kagoshima.saiyo.search import analysis
from OFS.SimpleItem import SimpleItem
from Persistence import Persistent
from Products.PluginIndexes.interfaces import IPluggableIndex
from Products.PluginIndexes.interfaces import IQueryIndex
from Products.ZCatalog.query import IndexQuery
from zope.interface import implementer
from zope.interface import Interface

import hashlib
import logging
import math
import Missing
import re


logger = logging.getLogger(__name__)

__all__ = ["ISaiyoTextIndex", "SaiyoTextIndex", "document_text"]

# Stored per page for snippets and the assistant; the index itself reads more.
MAX_STORED_CHARS = 30_000
MAX_INDEXED_CHARS = 300_000
# A query concept found in the title adds this many times its idf (BM25 gives at most 2.2).
TITLE_WEIGHT = 1.5
TITLE_PREFIX = "t:"
PHRASE_WEIGHT = 0.5
# BM25 (Robertson/Spärck Jones) with the usual parameters.
K1 = 1.2
B = 0.75
# Reciprocal rank fusion: score = Σ 1 / (RRF_K + rank). A small constant keeps the
# lexical order of the first results meaningful next to the domain boost.
RRF_K = 20
SEMANTIC_CANDIDATES = 100
# Pages found by meaning alone must be at least this similar to the question.
SEMANTIC_ONLY_MARGIN = 0.1
# Word vectors averaged over a page are a weaker signal than the words themselves: the
# semantic rank counts half in the fusion, and pages found by meaning alone come after
# the clear word matches.
SEMANTIC_WEIGHT = 0.5
SEMANTIC_ONLY_WEIGHT = 0.5
# A flatter curve for the semantic ranking: it reorders close lexical matches, it does
# not overturn a clear one (a page titled 試験日程 for the query 試験日程).
SEMANTIC_RRF_K = 60
# Status of exam notices: close matches move by a few places, never past clear ones.
STATUS_BOOST = {"open": 1.08, "upcoming": 1.04, "preparing": 1.0, "closed": 0.97, "finished": 0.94}
EXAM_NOTICE = "ExamNotice"
SCORE_SCALE = 10_000_000

_TOKEN_RE = re.compile(r'"[^"]*"|\(|\)|[^\s()"]+')


class ISaiyoTextIndex(Interface):
    """Marker of the site's Japanese full-text index."""


class Document(Persistent):
    """What the index keeps of one page besides its terms: its text, for snippets."""

    def __init__(self, text: str, title: str, digest: str):
        self.text = text
        self.title = title
        self.digest = digest


def _text_of(obj, name):
    """An attribute as ZCTextIndex reads it: called when callable; strings or sequences of strings."""
    value = getattr(obj, name, None)
    if value is None:
        return None
    if callable(value):
        value = value()
    if isinstance(value, (list, tuple, set)):
        value = "\n".join(item for item in value if isinstance(item, str))
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return value if isinstance(value, str) else None


def _analysed(analyse, text, rid) -> list[str]:
    """Terms of a text; a failure of the analyser must never fail the save of a page."""
    try:
        return analyse(text)
    except Exception:
        logger.exception("Japanese analysis failed for record %s; indexed by character bigrams only", rid)
        return [gram for word in analysis.normalize(text).split() for gram in analysis.bigrams(word)]


def required_matches(groups: int) -> int:
    """How many of a query's concept groups a page must match: all of 1-2, most of longer questions."""
    if groups <= 2:
        return groups
    return max(2, math.ceil(groups * 0.6))


def parse_query(text: str) -> list[tuple[str, list[str]]]:
    """Clauses of a query (OR between them): each the positive text and the words after NOT.

    Lenient by design: parentheses are ignored, AND is the default, ``*`` and quotes are
    dropped by the analysis; nothing a visitor types is an error.
    """
    clauses = []
    positive: list[str] = []
    negative: list[str] = []
    negate = False
    for token in _TOKEN_RE.findall(text or ""):
        if token in ("(", ")", "AND"):
            continue
        if token == "OR":
            if positive:
                clauses.append((" ".join(positive), negative))
            positive, negative, negate = [], [], False
            continue
        if token == "NOT":
            negate = True
            continue
        word = token.strip('"').strip()
        if not word:
            continue
        (negative if negate else positive).append(word)
        negate = False
    if positive:
        clauses.append((" ".join(positive), negative))
    return clauses


def _semantic():
    try:
        from kagoshima.saiyo.search import semantic
    except ImportError:  # the semantic part is optional
        return None
    try:
        return semantic if semantic.available() else None
    except Exception:
        logger.exception("Semantic search unavailable")
        return None


@implementer(ISaiyoTextIndex, IQueryIndex, IPluggableIndex)
class SaiyoTextIndex(Persistent, Implicit, SimpleItem):
    """Japanese full-text index (SudachiPy analysis, BM25, semantic fusion)."""

    meta_type = "SaiyoTextIndex"
    zmi_icon = "fas fa-search"
    operators = ("and", "or")
    useOperator = "or"
    query_options = ("query",)
    manage_options = ({"label": "Overview", "action": "manage_main"},)

    security = ClassSecurityInfo()
    security.declareObjectProtected(manage_zcatalog_indexes)

    def __init__(self, id, extra=None, caller=None, indexed_attrs=("SearchableText",), title_attr="Title"):
        self.id = id
        attrs = getattr(extra, "indexed_attrs", None) or indexed_attrs
        if isinstance(attrs, str):
            attrs = [attr.strip() for attr in attrs.split(",") if attr.strip()]
        self._indexed_attrs = list(attrs)
        self._title_attr = title_attr
        self.clear()

    def getId(self):
        return self.id

    # Storage ---------------------------------------------------------------------

    def clear(self):
        """Forget every page."""
        self._postings = OOBTree()  # term -> IIBTree(rid -> weighted term frequency)
        self._doc_terms = IOBTree()  # rid -> tuple of the page's distinct terms
        self._doc_length = IIBTree()  # rid -> weighted number of terms
        self._documents = IOBTree()  # rid -> Document
        self._vectors = IOBTree()  # rid -> bytes of semantic.document_vector()
        self._num_docs = Length()
        self._num_terms = Length()
        self._total_length = Length()
        # Never reset: cached vector matrices are keyed on it, and a rebuild must not
        # come back to a number an older set of vectors had.
        changes = getattr(aq_base(self), "_vector_changes", None)
        self._vector_changes = changes if changes is not None else Length()
        self._vector_changes.change(1)

    def index_object(self, documentId, obj, threshold=None):
        """Index a page's text and title; 0 when nothing changed (no write), 1 otherwise."""
        texts = [_text_of(obj, name) for name in self._indexed_attrs]
        texts = [text for text in texts if text]
        text = "\n".join(texts)[:MAX_INDEXED_CHARS]
        title = (_text_of(obj, self._title_attr) or "")[:1000]
        if not text and not title:
            if documentId in self._doc_length:
                self.unindex_object(documentId)
                return 1
            return 0
        digest = hashlib.sha1(f"{title}\x00{text}".encode()).hexdigest()
        current = self._documents.get(documentId)
        if current is not None and current.digest == digest:
            return 0
        counts: dict[str, int] = {}
        title_terms = _analysed(analysis.title_terms, title, documentId)
        for term in _analysed(analysis.document_terms, text, documentId) if text else title_terms:
            counts[term] = counts.get(term, 0) + 1
        # Title terms are kept apart (TITLE_PREFIX): a title match adds a bonus of its own
        # rather than a few more occurrences that BM25 would saturate in a long page.
        for term in title_terms:
            counts[TITLE_PREFIX + term] = 1
        self._store_terms(documentId, counts)
        self._documents[documentId] = Document(text[:MAX_STORED_CHARS], title, digest)
        self._store_vector(documentId, text, title)
        return 1

    def _store_terms(self, rid, counts):
        old_terms = self._doc_terms.get(rid, ())
        for term in old_terms:
            if term not in counts:
                self._remove_posting(term, rid)
        for term, count in counts.items():
            postings = self._postings.get(term)
            if postings is None:
                postings = self._postings[term] = IIBTree()
                self._num_terms.change(1)
            if postings.get(rid) != count:
                postings[rid] = count
        length = sum(count for term, count in counts.items() if not term.startswith(TITLE_PREFIX))
        old_length = self._doc_length.get(rid)
        if old_length is None:
            self._num_docs.change(1)
            old_length = 0
        if old_length != length:
            self._doc_length[rid] = length
            self._total_length.change(length - old_length)
        self._doc_terms[rid] = tuple(sorted(counts))

    def _remove_posting(self, term, rid):
        postings = self._postings.get(term)
        if postings is None:
            return
        if rid in postings:
            del postings[rid]
        if not postings:
            del self._postings[term]
            self._num_terms.change(-1)

    def _store_vector(self, rid, text, title):
        semantic = _semantic()
        vector = None
        if semantic is not None:
            try:
                vector = semantic.document_vector(text[:MAX_STORED_CHARS], title)
            except Exception:
                logger.exception(
                    "Semantic vector of record %s failed; the page stays searchable by its words", rid
                )
        if vector:
            if self._vectors.get(rid) != vector:
                self._vectors[rid] = vector
                self._vector_changes.change(1)
        elif rid in self._vectors:
            del self._vectors[rid]
            self._vector_changes.change(1)

    def unindex_object(self, documentId):
        """Remove a page from the index."""
        rid = documentId
        for term in self._doc_terms.get(rid, ()):
            self._remove_posting(term, rid)
        if rid in self._doc_terms:
            del self._doc_terms[rid]
        length = self._doc_length.get(rid)
        if length is not None:
            del self._doc_length[rid]
            self._num_docs.change(-1)
            self._total_length.change(-length)
        if rid in self._documents:
            del self._documents[rid]
        if rid in self._vectors:
            del self._vectors[rid]
            self._vector_changes.change(1)

    # Queries ---------------------------------------------------------------------

    def _apply_index(self, request, resultset=None):
        record = IndexQuery(request, self.id, self.query_options, self.operators, self.useOperator)
        if record.keys is None:
            return None
        return (self.query_index(record, resultset), (self.id,))

    def query_index(self, record, resultset=None):
        """The pages matching the query with their scores (an IIBucket), or None for an empty query."""
        keys = record.keys if hasattr(record, "keys") else record
        if isinstance(keys, str):
            keys = [keys]
        query = " ".join(str(key) for key in keys or () if key)
        if not query.strip() or not query.strip(" *"):
            return None
        scores = self.search(query, resultset)
        result = IIBucket()
        for rid, score in scores.items():
            result[rid] = max(1, int(score * SCORE_SCALE))
        return result

    def search(self, query: str, resultset=None) -> dict[int, float]:
        """Scores (higher is better) of the pages matching a query in Plone's syntax."""
        allowed = set(resultset) if resultset is not None else None
        combined: dict[int, float] = {}
        for positive, negative in parse_query(query):
            for rid, score in self._search_clause(positive, negative, allowed).items():
                if score > combined.get(rid, 0.0):
                    combined[rid] = score
        return combined

    def _search_clause(self, positive, negative, allowed):
        lexical = {}
        for groups in analysis.query_interpretations(positive):
            if not groups:
                continue
            lexical = self._lexical(groups, allowed)
            if lexical:
                break
        if lexical:
            # Nouns of the query standing together in the page (試験日程) rank it higher.
            for term in analysis.query_phrases(positive):
                for rid, score in self._term_scores(term).items():
                    if rid in lexical:
                        lexical[rid] += PHRASE_WEIGHT * score
        excluded = set()
        for word in negative:
            for groups in analysis.query_interpretations(word)[:1]:
                for group in groups:
                    excluded.update(self._group_scores(group))
        semantic_hits = (
            self._semantic_ranking(positive, allowed) if lexical or self._has_content(positive) else []
        )
        # The status boost applies before ranking, so it reorders close matches only.
        lexical = self._boost(lexical)
        boosted = self._boost(dict(semantic_hits))
        semantic_hits = sorted(boosted.items(), key=lambda item: -item[1])
        fused = self._fuse(lexical, semantic_hits)
        for rid in excluded:
            fused.pop(rid, None)
        return fused

    @staticmethod
    def _has_content(text):
        return any(analysis.query_groups(text))

    def _idf(self, doc_freq):
        total = max(self._num_docs(), 1)
        return math.log(1.0 + (total - doc_freq + 0.5) / (doc_freq + 0.5))

    def _term_scores(self, term):
        postings = self._postings.get(term)
        if not postings:
            return {}
        idf = self._idf(len(postings))
        average = max(self._total_length(), 1) / max(self._num_docs(), 1)
        lengths = self._doc_length
        scores = {}
        for rid, tf in postings.items():
            norm = K1 * (1 - B + B * lengths.get(rid, average) / average)
            scores[rid] = idf * tf * (K1 + 1) / (tf + norm)
        return scores

    def _alternative_scores(self, alternative):
        if alternative.startswith(analysis.FUZZY_PREFIX):
            return self._fuzzy_scores(alternative[len(analysis.FUZZY_PREFIX) :].split(" "))
        terms = alternative.split(" ")
        if len(terms) == 1:
            return self._term_scores(terms[0])
        # Every part must be there; the alternative weighs as its average part.
        parts = []
        for term in terms:
            postings = self._postings.get(term)
            if not postings:
                return {}
            parts.append(term)
        parts.sort(key=lambda term: len(self._postings[term]))
        common = set(self._postings[parts[0]].keys())
        for term in parts[1:]:
            common.intersection_update(self._postings[term].keys())
            if not common:
                return {}
        totals = dict.fromkeys(common, 0.0)
        for term in parts:
            scores = self._term_scores(term)
            for rid in common:
                totals[rid] += scores[rid]
        return {rid: total / len(parts) for rid, total in totals.items()}

    def _fuzzy_scores(self, terms):
        """Pages with nearly all the terms (the bigrams of a possibly misspelt word)."""
        needed = analysis.fuzzy_needed(len(terms))
        totals: dict[int, float] = {}
        counts: dict[int, int] = {}
        for term in set(terms):
            for rid, score in self._term_scores(term).items():
                totals[rid] = totals.get(rid, 0.0) + score
                counts[rid] = counts.get(rid, 0) + 1
        return {rid: total / len(terms) for rid, total in totals.items() if counts[rid] >= needed}

    def _title_scores(self, alternative):
        """The title bonus of an alternative: pages whose title has all its terms."""
        if alternative.startswith(analysis.FUZZY_PREFIX):
            return {}
        terms = alternative.split(" ")
        common = None
        for term in terms:
            postings = self._postings.get(TITLE_PREFIX + term)
            if not postings:
                return {}
            common = set(postings.keys()) if common is None else common.intersection(postings.keys())
            if not common:
                return {}
        bonus = (
            TITLE_WEIGHT * sum(self._idf(len(self._postings.get(term, ()))) for term in terms) / len(terms)
        )
        return dict.fromkeys(common, bonus)

    def _group_scores(self, group):
        best: dict[int, float] = {}
        title: dict[int, float] = {}
        for alternative in group:
            for rid, score in self._alternative_scores(alternative).items():
                if score > best.get(rid, 0.0):
                    best[rid] = score
            for rid, score in self._title_scores(alternative).items():
                if score > title.get(rid, 0.0):
                    title[rid] = score
        for rid, score in title.items():
            best[rid] = best.get(rid, 0.0) + score
        return best

    def _lexical(self, groups, allowed):
        needed = required_matches(len(groups))
        totals: dict[int, float] = {}
        matched: dict[int, int] = {}
        every_group_known = True
        for group in groups:
            scores = self._group_scores(group)
            every_group_known = every_group_known and bool(scores)
            for rid, score in scores.items():
                if allowed is not None and rid not in allowed:
                    continue
                totals[rid] = totals.get(rid, 0.0) + score
                matched[rid] = matched.get(rid, 0) + 1
        # Pages that match more of a long question come first.
        found = {
            rid: total * matched[rid] / len(groups) for rid, total in totals.items() if matched[rid] >= needed
        }
        if not found and len(groups) > 1 and every_group_known:
            # Every word of the query is on the site, but no page has enough of them together
            # (「手当の種類」): the pages with the most of them rather than nothing. A word the site
            # does not know at all (「ラーメンの作り方」) still finds nothing.
            most = max(matched.values(), default=0)
            found = {
                rid: total * matched[rid] / len(groups)
                for rid, total in totals.items()
                if matched[rid] >= max(1, needed - 1, most)
            }
        return found

    def _semantic_ranking(self, text, allowed):
        """(rid, similarity) of the pages most similar in meaning, best first."""
        semantic = _semantic()
        if semantic is None or not len(self._vectors):
            return []
        try:
            query_vector = semantic.query_vector(text)
            if query_vector is None:
                return []
            rids, vectors = self._vector_list()
            similarities = semantic.similarities(query_vector, vectors, cache_key=self._vector_cache_key())
        except Exception:
            logger.exception("Semantic ranking failed for a query; lexical results only")
            return []
        threshold = getattr(semantic, "MIN_SIMILARITY", 0.45)
        ranked = sorted(
            ((rids[i], float(similarities[i])) for i in range(len(rids)) if similarities[i] >= threshold),
            key=lambda item: -item[1],
        )
        if allowed is not None:
            ranked = [item for item in ranked if item[0] in allowed]
        return ranked[:SEMANTIC_CANDIDATES]

    def _vector_cache_key(self):
        """A key naming the committed set of vectors, or None while this transaction changes them.

        The change counter's serial (the id of the transaction that last changed it) is
        unique in the database; a transaction that is aborted or retried never leaves a
        key behind for vectors that were not committed.
        """
        counter = self._vector_changes
        jar = getattr(self, "_p_jar", None)
        if jar is None or counter._p_jar is None:
            return None
        counter._p_activate()
        if counter._p_changed:
            return None
        return ("saiyo-search", jar.db().database_name, self._p_oid, counter._p_serial, counter())

    def _vector_list(self):
        key = self._vector_cache_key()
        cached = getattr(self, "_v_vector_list", None)
        if key is None or cached is None or cached[0] != key:
            rids = list(self._vectors.keys())
            vectors = list(self._vectors.values())
            cached = (key, rids, vectors)
            if key is not None:
                self._v_vector_list = cached
        return cached[1], cached[2]

    def _fuse(self, lexical, semantic_hits):
        if not lexical and not semantic_hits:
            return {}
        top = max(lexical.values()) if lexical else 1.0
        fused = {
            rid: 1.0 / (RRF_K + rank) + 0.001 * lexical[rid] / top
            for rid, rank in _shared_ranks(lexical.items()).items()
        }
        if semantic_hits:
            semantic = _semantic()
            threshold = getattr(semantic, "MIN_SIMILARITY", 0.45) + SEMANTIC_ONLY_MARGIN
            semantic_ranks = _shared_ranks(semantic_hits)
            for rid, rank in semantic_ranks.items():
                if rid in fused:
                    fused[rid] += SEMANTIC_WEIGHT / (SEMANTIC_RRF_K + rank)
            for rid, similarity in semantic_hits:
                if rid not in fused and similarity >= threshold:
                    # Found by meaning alone: after the clear word matches, never above them.
                    fused[rid] = SEMANTIC_ONLY_WEIGHT / (SEMANTIC_RRF_K + semantic_ranks[rid])
        return fused

    def _boost(self, scores):
        """Exam notices now accepting applications first among close matches (status from metadata)."""
        catalog = aq_parent(aq_inner(self))
        schema = getattr(catalog, "schema", None)
        data = getattr(catalog, "data", None)
        if not scores or not schema or data is None or "portal_type" not in schema:
            return scores
        from kagoshima.saiyo.content import exam_status

        positions = {name: schema.get(name) for name in exam_status.FIELDS}
        type_position = schema["portal_type"]
        for rid in scores:
            record = data.get(rid)
            if record is None or record[type_position] != EXAM_NOTICE:
                continue
            values = {}
            for name, position in positions.items():
                value = record[position] if position is not None else None
                values[name] = value if _is_value(value) else None
            try:
                status = exam_status.compute_status(**values)
            except (TypeError, ValueError):
                continue
            scores[rid] *= STATUS_BOOST.get(status, 1.0)
        return scores

    # Pluggable index API and helpers for the search page ------------------------------

    def document_text(self, documentId) -> str:
        """The plain text stored for a page (for snippets), or ''."""
        document = self._documents.get(documentId)
        return document.text if document is not None else ""

    def document_title(self, documentId) -> str:
        document = self._documents.get(documentId)
        return document.title if document is not None else ""

    def document_vector(self, documentId):
        """The stored semantic vector (bytes) of a page, or None."""
        return self._vectors.get(documentId)

    def getEntryForObject(self, documentId, default=None):
        """The terms a page is indexed under."""
        terms = self._doc_terms.get(documentId)
        return list(terms) if terms is not None else default

    def uniqueValues(self, name=None, withLengths=0):
        # Terms of a text index are not values to choose from (ZCTextIndex raises here).
        return ()

    def hasUniqueValuesFor(self, name):
        return False

    def numObjects(self):
        """Number of distinct terms (as ZCTextIndex reports it)."""
        return self._num_terms()

    def indexSize(self):
        """Number of indexed pages."""
        return self._num_docs()

    def getIndexSourceNames(self):
        return list(self._indexed_attrs)

    def getIndexQueryNames(self):
        return (self.id,)

    def getIndexType(self):
        return "Japanese text (SudachiPy, BM25)"

    security.declareProtected(manage_zcatalog_indexes, "manage_main")

    def manage_main(self, REQUEST=None, **kw):
        """A read-only overview for the ZMI."""
        semantic = "あり" if _semantic() is not None else "なし"
        return (
            '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>'
            f"{escape(self.id)}</title></head><body><h1>{escape(self.id)} ({escape(self.meta_type)})</h1>"
            f"<p>索引済みのページ: {self.indexSize()} 件、語: {self.numObjects()} 語、"
            f"意味ベクトル: {len(self._vectors)} 件（意味検索: {semantic}）。</p>"
            f"<p>読み取る属性: {escape(', '.join(self.getIndexSourceNames()))}（タイトル: {escape(self._title_attr)}）</p>"
            "</body></html>"
        )


InitializeClass(SaiyoTextIndex)


def _shared_ranks(scored) -> dict:
    """Rank (1 = best) of each id by score; equal scores share a rank, so ties stay ties."""
    ranks = {}
    rank = 0
    previous = None
    for rid, score in sorted(scored, key=lambda item: -item[1]):
        if previous is None or abs(score - previous) > 1e-9 * max(abs(previous), 1.0):
            rank += 1
            previous = score
        ranks[rid] = rank
    return ranks


def _is_value(value) -> bool:
    # Catalog metadata holds Missing.Value for attributes an object lacks.
    return value is not None and value is not Missing.Value


def document_text(rid, catalog=None) -> str:
    """The plain text the site's ``SearchableText`` index keeps for a catalog record id."""
    index = _site_index(catalog)
    return index.document_text(rid) if index is not None else ""


def _site_index(catalog=None):
    if catalog is None:
        from plone import api

        catalog = api.portal.get_tool("portal_catalog")
    index = catalog._catalog.indexes.get("SearchableText")
    return index if ISaiyoTextIndex.providedBy(index) else None
