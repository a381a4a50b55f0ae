"""Meaning-based document and query vectors from the chiVe word vectors shipped in ja-ginza.

ja-ginza 5.3.0 ships chiVe-derived vectors (20,000 rows x 300 dimensions, 480,443 keys
mapped onto those rows) in spaCy's on-disk format. They are read here without spaCy:
importing spaCy and building its ``Vectors`` costs about 3.5 s and 285 MB, while the
row matrix (a ``.npy`` file, memory-mapped so every process on a machine shares one
copy) plus the key table as two sorted numpy arrays costs about 0.8 s and 45 MB. Keys
are spaCy string hashes (MurmurHash64A, seed 1), computed with the ``murmurhash``
library spaCy itself uses.

A text becomes a vector by smooth inverse frequency (SIF) weighting: the content words
(nouns, verbs, adjectives, adjectival nouns and noun-like suffixes by Sudachi's part of
speech; numbers and people's names left out) are looked up by Sudachi's normalized form,
then dictionary form, then surface (a compound unknown as a whole by its parts), and
their vectors are averaged with weight a / (a + p(w)). chiVe's rows are ordered by corpus frequency, so
p(w) is estimated from the row number by Zipf's law, p(rank) = 1 / (rank * H(N)). The
direction common to all Japanese text (the SIF-weighted mean of the vocabulary) is
removed, and the result is L2-normalised and stored as 300 float16 values (600 bytes).

``available()`` is False when ja-ginza is not installed; the site search then stays
lexical. Vectors depend on ``MODEL_ID``: when it changes, stored vectors must be rebuilt.
"""

from collections import OrderedDict
from kagoshima.saiyo.search.sudachi import morphemes
from kagoshima.saiyo.search.sudachi import SplitMode

import ctypes
import importlib.util
import logging
import math
import numpy
import os
import re
import threading


logger = logging.getLogger(__name__)

__all__ = [
    "DIMENSIONS",
    "MIN_SIMILARITY",
    "MODEL_ID",
    "VECTOR_BYTES",
    "available",
    "document_vector",
    "query_vector",
    "similarities",
    "vector_from_bytes",
]

MODEL_ID = "ja_ginza-5.3.0/chive/sif-1"
DIMENSIONS = 300
VECTOR_BYTES = DIMENSIONS * 2  # float16

# Below this cosine similarity a document found only by meaning (no lexical match) is
# noise: unrelated queries (「ラーメンの作り方」, 「ああああ」) stay under it on the demo site.
MIN_SIMILARITY = 0.40

# SIF smoothing: with the Zipf estimate below, words among the ~100 most frequent
# (する, ある, こと, 思う) get weights under 0.3; words past rank 2,000 count almost fully.
SIF_A = 3e-4
TITLE_WEIGHT = 2.0
_CONTENT_POS = frozenset({"名詞", "動詞", "形容詞", "形状詞"})
# Numbers and people's names say little about what a page means; place names do
# (奄美 is close to 離島).
_SKIPPED_POS1 = frozenset({"数詞"})
_SKIPPED_POS2 = frozenset({"人名"})
_SINGLE_KANA = re.compile(r"[\u3041-\u309f\u30a1-\u30ff\uff66-\uff9f]")
_PACKAGE = "ja_ginza"
_VOCAB_DIR = ("ja_ginza-5.3.0", "vocab")
_HASH_SEED = 1  # spaCy's hash_string(): hash64(utf8, len, 1)

_table = None
_table_lock = threading.Lock()
_matrix_cache = OrderedDict()
_matrix_cache_lock = threading.Lock()
_MATRIX_CACHE_SIZE = 4
_ROW_CACHE_SIZE = 200_000


class _Table:
    """The loaded vectors: sorted key hashes, their rows, the row matrix and row weights."""

    def __init__(self, keys, rows, matrix, weights, common, hash64):
        self.keys = keys
        self.rows = rows
        self.matrix = matrix
        self.weights = weights
        self.common = common
        self.hash64 = hash64
        # Spellings already looked up; dict reads and writes are atomic, so threads may share it.
        self.row_cache = {}

    def lookup(self, words):
        """Row numbers of words (-1 when unknown), in one vectorised search."""
        encoded = [word.encode("utf-8") for word in words]
        hashes = numpy.fromiter(
            (self.hash64(data, len(data), _HASH_SEED) for data in encoded),
            dtype=numpy.uint64,
            count=len(encoded),
        )
        positions = numpy.searchsorted(self.keys, hashes)
        positions[positions >= len(self.keys)] = 0
        found = self.keys[positions] == hashes
        return numpy.where(found, self.rows[positions].astype(numpy.int64), -1)


def _murmurhash64():
    """spaCy's string hash: MurmurHash64A from the murmurhash package's C API."""
    from murmurhash import mrmr

    capsule = mrmr.__pyx_capi__["hash64"]
    api = ctypes.pythonapi
    api.PyCapsule_GetName.restype = ctypes.c_char_p
    api.PyCapsule_GetName.argtypes = [ctypes.py_object]
    api.PyCapsule_GetPointer.restype = ctypes.c_void_p
    api.PyCapsule_GetPointer.argtypes = [ctypes.py_object, ctypes.c_char_p]
    pointer = api.PyCapsule_GetPointer(capsule, api.PyCapsule_GetName(capsule))
    prototype = ctypes.CFUNCTYPE(ctypes.c_uint64, ctypes.c_char_p, ctypes.c_int, ctypes.c_uint64)
    return prototype(pointer)


def _vocab_dir():
    # find_spec does not run ja_ginza/__init__.py, which would import all of spaCy.
    spec = importlib.util.find_spec(_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = os.path.join(list(spec.submodule_search_locations)[0], *_VOCAB_DIR)
    return path if os.path.isdir(path) else None


def _load():
    import srsly

    path = _vocab_dir()
    if path is None:
        raise LookupError(f"package {_PACKAGE} is not installed")
    hash64 = _murmurhash64()
    matrix = numpy.load(os.path.join(path, "vectors"), mmap_mode="r")
    if matrix.ndim != 2 or matrix.shape[1] != DIMENSIONS:
        raise ValueError(f"unexpected vector shape {matrix.shape}")
    key2row = srsly.read_msgpack(os.path.join(path, "key2row"))
    keys = numpy.fromiter(key2row.keys(), dtype=numpy.uint64, count=len(key2row))
    rows = numpy.fromiter(key2row.values(), dtype=numpy.int32, count=len(key2row))
    del key2row
    order = numpy.argsort(keys)
    keys = keys[order]
    rows = rows[order]
    if rows.max() < 2**16:
        rows = rows.astype(numpy.uint16)
    count = matrix.shape[0]
    ranks = numpy.arange(1, count + 1, dtype=numpy.float64)
    harmonic = math.log(count) + 0.5772156649
    probabilities = 1.0 / (ranks * harmonic)
    weights = (SIF_A / (SIF_A + probabilities)).astype(numpy.float32)
    # The SIF-weighted mean of the vocabulary, weighted again by frequency: the
    # direction every Japanese text shares, which would make unrelated texts look alike.
    mix = (weights * probabilities).astype(numpy.float32)
    common = numpy.einsum("i,ij->j", mix, numpy.asarray(matrix, dtype=numpy.float32)) / mix.sum()
    return _Table(keys, rows, matrix, weights, common.astype(numpy.float32), hash64)


def _get_table():
    """The vectors, loaded once per process; None (after one warning) when they cannot be."""
    global _table
    if _table is None:
        with _table_lock:
            if _table is None:
                try:
                    _table = _load()
                except Exception as error:
                    logger.warning(
                        "Semantic search disabled: cannot load the chiVe vectors of %s (%s); "
                        "the site search stays lexical.",
                        _PACKAGE,
                        error,
                    )
                    _table = False
    return _table or None


def available() -> bool:
    """Whether word vectors are available in this process (loads them on first call)."""
    return _get_table() is not None


def _is_content(pos):
    if pos[0] == "接尾辞":
        # Noun-like suffixes carry meaning of their own: 何歳 (age), 倍率, 応募者.
        return pos[1] == "名詞的"
    return pos[0] in _CONTENT_POS and pos[1] not in _SKIPPED_POS1 and pos[2] not in _SKIPPED_POS2


def _content_words(text):
    """Candidate spellings of each content word of text (most specific first), and of its parts."""
    for morpheme in morphemes(text):
        pos = morpheme.part_of_speech()
        if not _is_content(pos):
            continue
        surface = morpheme.surface()
        # A lone kana read as a verb or noun (ぬ, ぱ) is almost always noise or a typo.
        if not surface.strip() or _SINGLE_KANA.fullmatch(surface):
            continue
        candidates = (morpheme.normalized_form(), morpheme.dictionary_form(), surface)
        parts = morpheme.split(SplitMode.A)
        if len(parts) > 1:
            # A compound unknown as a whole (大学卒業程度) is looked up by its parts.
            yield (
                candidates,
                [
                    (part.normalized_form(), part.dictionary_form(), part.surface())
                    for part in parts
                    if _is_content(part.part_of_speech())
                ],
            )
        else:
            yield candidates, ()


def _rows(table, spellings):
    """Row of each tuple of candidate spellings (-1 when none is known), remembered per process."""
    cache = table.row_cache
    known = {}
    missing = []
    for candidates in set(spellings):
        row = cache.get(candidates)
        if row is None:
            missing.append(candidates)
        else:
            known[candidates] = row
    if missing:
        flat = [spelling for candidates in missing for spelling in candidates]
        found = iter(table.lookup(flat).tolist())
        if len(cache) + len(missing) > _ROW_CACHE_SIZE:
            cache.clear()
        for candidates in missing:
            row = -1
            for _ in candidates:
                candidate_row = next(found)
                if row < 0 and candidate_row >= 0:
                    row = candidate_row
            known[candidates] = cache[candidates] = row
    return [known[candidates] for candidates in spellings]


def _weighted_sum(table, text, weight):
    """Sum of weighted vectors of text's content words and the total weight used."""
    words = list(_content_words(text))
    if not words:
        return None, 0.0
    spellings = []
    for candidates, parts in words:
        spellings.append(candidates)
        spellings.extend(parts)
    rows = iter(_rows(table, spellings))
    chosen = []
    for _candidates, parts in words:
        row = next(rows)
        part_rows = [next(rows) for _ in parts]
        if row >= 0:
            chosen.append(row)
        else:
            chosen.extend(part_row for part_row in part_rows if part_row >= 0)
    if not chosen:
        return None, 0.0
    chosen = numpy.asarray(chosen, dtype=numpy.int64)
    weights = table.weights[chosen] * weight
    vectors = numpy.asarray(table.matrix[chosen], dtype=numpy.float32)
    return numpy.einsum("i,ij->j", weights, vectors), float(weights.sum())


def _embed(text, title=""):
    table = _get_table()
    if table is None:
        return None
    total = numpy.zeros(DIMENSIONS, dtype=numpy.float32)
    weight = 0.0
    for part, factor in ((text, 1.0), (title, TITLE_WEIGHT)):
        if part and part.strip():
            vector, used = _weighted_sum(table, part, factor)
            if vector is not None:
                total += vector
                weight += used
    if weight <= 0.0:
        return None
    vector = total / weight - table.common
    norm = float(numpy.linalg.norm(vector))
    if not math.isfinite(norm) or norm < 1e-6:
        return None
    return (vector / norm).astype(numpy.float32)


def document_vector(text: str, title: str = "") -> bytes | None:
    """The stored form of a document's meaning: 600 bytes (float16, L2-normalised), or None.

    title, when given separately, counts TITLE_WEIGHT times as much as the body. None
    when the vectors are unavailable or the text has no known content word.
    """
    vector = _embed(text or "", title or "")
    if vector is None:
        return None
    return vector.astype("<f2").tobytes()


def query_vector(text: str):
    """A query's meaning as a float32 numpy array (L2-normalised), or None."""
    return _embed(text or "")


def vector_from_bytes(data: bytes):
    """The float32 array of a stored document vector (None when data is not one)."""
    if not data or len(data) != VECTOR_BYTES:
        return None
    return numpy.frombuffer(data, dtype="<f2").astype(numpy.float32)


def _stack(vectors):
    matrix = numpy.zeros((len(vectors), DIMENSIONS), dtype=numpy.float32)
    if not vectors:
        return matrix
    valid = [index for index, data in enumerate(vectors) if data and len(data) == VECTOR_BYTES]
    if len(valid) == len(vectors):
        matrix[:] = numpy.frombuffer(b"".join(vectors), dtype="<f2").reshape(-1, DIMENSIONS)
    elif valid:
        stacked = numpy.frombuffer(b"".join(vectors[index] for index in valid), dtype="<f2")
        matrix[valid] = stacked.reshape(-1, DIMENSIONS)
    return matrix


def similarities(query_vector, vectors: list, cache_key=None):
    """Cosine similarity of query_vector with each stored vector (a float32 array).

    vectors is a list of bytes from document_vector(); None or malformed entries score 0.
    Stacking 5,000 vectors takes a few milliseconds; pass cache_key (any hashable that
    changes whenever the list changes, e.g. (index path, update counter)) to keep the
    stacked matrix of the last few lists in memory between queries.
    """
    if query_vector is None:
        return numpy.zeros(len(vectors), dtype=numpy.float32)
    query = numpy.asarray(query_vector, dtype=numpy.float32).reshape(DIMENSIONS)
    if cache_key is None:
        matrix = _stack(vectors)
    else:
        with _matrix_cache_lock:
            matrix = _matrix_cache.get(cache_key)
            if matrix is not None and matrix.shape[0] == len(vectors):
                _matrix_cache.move_to_end(cache_key)
            else:
                matrix = None
        if matrix is None:
            matrix = _stack(vectors)
            with _matrix_cache_lock:
                _matrix_cache[cache_key] = matrix
                while len(_matrix_cache) > _MATRIX_CACHE_SIZE:
                    _matrix_cache.popitem(last=False)
    # einsum, not `@`: OpenBLAS spreads a matrix-vector product over threads, which on a
    # busy 2-core server made 5,000 scores take 30 ms instead of 2 ms.
    return numpy.einsum("ij,j->i", matrix, query)
