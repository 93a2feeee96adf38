"""The embedded engine's in-memory view of one kind of document: ids, BM25 postings, vectors and
the facets filters need, built once from the index file and then patched, never rebuilt, after
each write.

A patch appends the new or changed documents (their old rows become tombstones) and shares the
big arrays with the view it came from: the vector buffer has spare rows, so appending writes
only rows the older view never reads, and readers holding it carry on undisturbed. Appended
documents are weighted for BM25 with the base's statistics (document frequencies count them;
a tombstone's terms are not taken back), so after many writes the view is rebuilt exactly, in
the background (`needs_compaction`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache

import numpy as np
import orjson
from scipy import sparse

from indexer.onnx_sessions import inference_session
from models.vocabulary.certifications import status_on

BM25_K1, BM25_B = 1.2, 0.75
CONCEPT_WEIGHT = 2.0  # a shared taxonomy node counts as much as two rare words
# Terms in more than this share of documents barely move BM25 but touch most postings;
# candidate generation skips them once the corpus is large enough for that to matter.
COMMON_TERM_SHARE, COMMON_TERM_MIN_DOCS = 0.3, 2000
# Rebuild exactly once patches touched this share of the rows (or this many; never for fewer
# than the minimum, which a small index rebuilds in no time anyway).
COMPACT_SHARE, COMPACT_ROWS, COMPACT_MIN_ROWS = 0.05, 5000, 50
FACETS = ("ownership", "province", "status")


@dataclass
class Row:
    """One stored document as the view reads it."""

    id: str
    tokens: list[str]
    payload: dict
    raw_payload: bytes  # as stored: what `fetch` hands out, parsed again for each caller
    vector: np.ndarray

    @classmethod
    def parse(cls, doc_id: str, lexical: str, concepts: str, payload: str, blob: bytes) -> Row:
        raw = payload.encode("utf-8")
        vector = np.frombuffer(blob, np.float32)
        return cls(doc_id, lexical.split() + concepts.split(), orjson.loads(raw), raw, vector)


@dataclass(frozen=True)
class Bits:
    names: tuple[str, ...]
    bits: np.ndarray  # rows × names, bool

    @classmethod
    def of(cls, values: list[set[str]]) -> Bits:
        names = tuple(sorted(set().union(*values))) if values else ()
        return cls(names, _bit_matrix(values, names))

    def appended(self, values: list[set[str]]) -> Bits:
        names = self.names + tuple(sorted(set().union(*values) - set(self.names))) if values else self.names
        old = np.zeros((len(self.bits), len(names)), bool)
        old[:, : len(self.names)] = self.bits
        return Bits(names, np.concatenate([old, _bit_matrix(values, names)]))

    def any_of(self, wanted: set[str]) -> np.ndarray:
        columns = [i for i, name in enumerate(self.names) if name in wanted]
        return self.bits[:, columns].any(axis=1)

    def all_of(self, wanted: set[str]) -> np.ndarray:
        if not wanted <= set(self.names):
            return np.zeros(len(self.bits), bool)
        return self.bits[:, [self.names.index(name) for name in wanted]].all(axis=1)


def _bit_matrix(values: list[set[str]], names: tuple[str, ...]) -> np.ndarray:
    index = {name: i for i, name in enumerate(names)}
    bits = np.zeros((len(values), len(names)), bool)
    for row, found in enumerate(values):
        bits[row, [index[name] for name in found]] = True
    return bits


@dataclass
class View:
    seq: int  # the last change (index write) this view reflects
    epoch: int  # bumped by a rebuild or clear: a view of an older epoch is rebuilt, not patched
    # Tuples of atoms, not lists: the garbage collector stops tracking them (a full collection
    # would otherwise walk every row of every view).
    ids: tuple[str, ...]
    row: dict[str, int]
    alive: np.ndarray  # False: a tombstone (deleted, or replaced by a later row)
    terms: dict[str, int]
    base: sparse.csc_matrix  # BM25 weights of the first `base_rows` rows × terms
    appended: sparse.csr_matrix  # BM25 weights of the rows appended since, × terms
    document_frequency: np.ndarray
    idf: np.ndarray
    average_length: float
    payloads: tuple[bytes, ...]  # each row's stored payload: searches fetch candidates from memory
    buffer: np.ndarray  # vectors; rows beyond `size` are spare room for appends
    codes: np.ndarray  # the same vectors in 8 bits (uint8, offset 128), for the first kNN pass
    scale: float  # codes = round(vector × scale) + 128
    facets: dict[str, tuple[list[str], np.ndarray]]  # facet → (categories, code per row)
    # Multi-valued facets as a vocabulary and one bit per (row, value): numpy, not 100,000 Python
    # sets for the garbage collector to walk through on every full collection.
    sectors: Bits
    held: Bits  # certificates validly held when the row was read
    patched_rows: int = 0  # rows appended or tombstoned since the last exact build
    masks: dict[tuple, np.ndarray] = field(default_factory=dict)  # filters seen before

    @property
    def size(self) -> int:
        return len(self.ids)

    @property
    def vectors(self) -> np.ndarray:
        return self.buffer[: self.size]

    @property
    def needs_compaction(self) -> bool:
        return self.patched_rows > max(COMPACT_MIN_ROWS, min(COMPACT_SHARE * self.size, COMPACT_ROWS))


def _facet_values(payload: dict, today: date) -> tuple[dict[str, str], set[str], set[str]]:
    facets = {facet: payload.get(facet) or "" for facet in FACETS}
    sectors = {s for s in payload.get("sectors") or [payload.get("sector")] if s}
    held = {c["standard"] for c in payload.get("certifications") or [] if status_on(c, today)[0] == "held"}
    return facets, sectors, held


def _bm25_rows(
    token_lists: list[list[str]], terms: dict[str, int], idf: np.ndarray, average: float
) -> sparse.csr_matrix:
    """BM25 weights of some documents over `terms` (new terms are added to it)."""
    rows, cols = [], []
    for i, tokens in enumerate(token_lists):
        cols.extend(terms.setdefault(t, len(terms)) for t in tokens)
        rows.extend([i] * len(tokens))
    tf = sparse.csr_matrix(
        (np.ones(len(rows), np.float32), (rows, cols)), shape=(len(token_lists), max(1, len(terms)))
    )
    tf.sum_duplicates()
    lengths = np.asarray(tf.sum(axis=1)).ravel()
    row_of = np.repeat(np.arange(tf.shape[0]), np.diff(tf.indptr))
    norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths[row_of] / max(average, 1e-9))
    known = np.pad(idf, (0, max(0, len(terms) - len(idf))), constant_values=float(idf.max(initial=1.0)))
    tf.data = known[tf.indices] * tf.data * (BM25_K1 + 1) / (tf.data + norm)
    return tf


def build(rows: list[Row], dim: int, seq: int, epoch: int) -> View:
    """An exact view of these rows (BM25 statistics over all of them)."""
    today = date.today()
    token_lists = [r.tokens for r in rows]
    terms: dict[str, int] = {}
    counted = sparse.csr_matrix(
        (
            np.ones(sum(map(len, token_lists)), np.float32),
            (
                np.repeat(np.arange(len(rows)), [len(t) for t in token_lists]),
                [terms.setdefault(t, len(terms)) for tokens in token_lists for t in tokens],
            ),
        ),
        shape=(len(rows), max(1, len(terms))),
    )
    counted.sum_duplicates()
    df = np.bincount(counted.indices, minlength=counted.shape[1])
    idf = np.log(1 + (len(rows) - df + 0.5) / (df + 0.5)).astype(np.float32)
    lengths = np.asarray(counted.sum(axis=1)).ravel()
    average = float(lengths.mean()) if len(rows) else 1.0
    base = _bm25_rows(token_lists, dict(terms), idf, average).tocsc()
    capacity = max(16, int(len(rows) * 1.25) + 16)
    buffer = np.zeros((capacity, dim), np.float32)
    values: dict[str, list[str]] = {facet: [] for facet in FACETS}
    sectors, held = [], []
    for i, r in enumerate(rows):
        buffer[i] = r.vector
        facets, sector_set, held_set = _facet_values(r.payload, today)
        for facet in FACETS:
            values[facet].append(facets[facet])
        sectors.append(sector_set)
        held.append(held_set)
    ids = tuple(r.id for r in rows)
    scale = 127.0 / max(float(np.abs(buffer[: len(rows)]).max(initial=0.0)), 1e-6)
    codes = np.zeros((capacity, dim), np.uint8)
    codes[: len(rows)] = quantise(buffer[: len(rows)], scale)
    return View(
        seq=seq,
        epoch=epoch,
        ids=ids,
        row={doc_id: i for i, doc_id in enumerate(ids)},
        alive=np.ones(len(rows), bool),
        terms=terms,
        base=base,
        appended=sparse.csr_matrix((0, base.shape[1]), dtype=np.float32),
        document_frequency=df,
        idf=idf,
        average_length=average,
        payloads=tuple(r.raw_payload for r in rows),
        buffer=buffer,
        codes=codes,
        scale=scale,
        facets={facet: _categorical(values[facet]) for facet in FACETS},
        sectors=Bits.of(sectors),
        held=Bits.of(held),
    )


def _categorical(values: list[str]) -> tuple[list[str], np.ndarray]:
    categories = sorted(set(values))
    index = {value: i for i, value in enumerate(categories)}
    return categories, np.fromiter((index[v] for v in values), np.int32, len(values))


def patch(view: View, changed: dict[str, Row | None], seq: int) -> View:
    """A new view with `changed` applied (id → its current row, None when deleted): changed and
    deleted rows become tombstones, current rows are appended. The old view stays valid."""
    today = date.today()
    alive = view.alive.copy()
    ids, row = list(view.ids), dict(view.row)
    for doc_id in changed:
        if doc_id in row:
            alive[row.pop(doc_id)] = False
    added = [r for r in changed.values() if r is not None]
    size = view.size + len(added)
    buffer, codes = view.buffer, view.codes
    if size > len(buffer):  # out of spare rows: bigger buffers (the old view keeps its own)
        buffer = np.zeros((int(size * 1.5) + 16, buffer.shape[1]), np.float32)
        buffer[: view.size] = view.vectors
        codes = np.zeros(buffer.shape, np.uint8)
        codes[: view.size] = view.codes[: view.size]
    terms = dict(view.terms)
    new_rows = _bm25_rows([r.tokens for r in added], terms, view.idf, view.average_length)
    width = len(terms)
    appended = sparse.vstack([_widen(view.appended, width), _widen(new_rows, width)], format="csr")
    df = np.pad(view.document_frequency, (0, width - len(view.document_frequency)))
    np.add.at(df, new_rows.indices, 1)
    facets = {facet: (list(categories), codes) for facet, (categories, codes) in view.facets.items()}
    new_codes: dict[str, list[int]] = {facet: [] for facet in FACETS}
    sectors: list[set[str]] = []
    held: list[set[str]] = []
    payloads = list(view.payloads)
    for offset, r in enumerate(added):
        payloads.append(r.raw_payload)
        buffer[view.size + offset] = r.vector
        codes[view.size + offset] = quantise(r.vector, view.scale)
        row[r.id] = view.size + offset
        ids.append(r.id)
        values, sector_set, held_set = _facet_values(r.payload, today)
        for facet in FACETS:
            categories = facets[facet][0]
            if values[facet] not in categories:
                categories.append(values[facet])  # codes index the list; order need not be sorted
            new_codes[facet].append(categories.index(values[facet]))
        sectors.append(sector_set)
        held.append(held_set)
    facets = {
        facet: (categories, np.concatenate([codes, np.array(new_codes[facet], np.int32)]))
        for facet, (categories, codes) in facets.items()
    }
    return replace(
        view,
        seq=seq,
        ids=tuple(ids),
        row=row,
        alive=np.concatenate([alive, np.ones(len(added), bool)]),
        terms=terms,
        appended=appended,
        document_frequency=df,
        payloads=tuple(payloads),
        buffer=buffer,
        codes=codes,
        facets=facets,
        sectors=view.sectors.appended(sectors),
        held=view.held.appended(held),
        patched_rows=view.patched_rows + len(changed),
        masks={},
    )


def _widen(matrix: sparse.csr_matrix, width: int) -> sparse.csr_matrix:
    matrix = matrix.tocsr()
    return sparse.csr_matrix((matrix.data, matrix.indices, matrix.indptr), shape=(matrix.shape[0], width))


# ── searching a view ─────────────────────────────────────────────────────────────────────────
def mask(view: View, filters: dict[str, list[str]]) -> np.ndarray | None:
    """Rows that are alive and pass every filter (None: every row)."""
    if not any(filters.values()):
        return None if view.alive.all() else view.alive
    key = tuple(sorted((k, tuple(v)) for k, v in filters.items() if v))
    if key in view.masks:
        return view.masks[key]
    passing = view.alive.copy()
    for facet in FACETS:
        if filters.get(facet):
            categories, codes = view.facets[facet]
            wanted = [i for i, value in enumerate(categories) if value in filters[facet]]
            passing &= np.isin(codes, wanted)
    if filters.get("sector"):
        wanted = set(filters["sector"])
        passing &= view.sectors.any_of(wanted)
    if filters.get("certification"):
        wanted = set(filters["certification"])
        passing &= view.held.all_of(wanted)
    if len(view.masks) < 64:
        view.masks[key] = passing
    return passing


def lexical_scores(view: View, lexical: list[str], concepts: list[str]) -> np.ndarray | None:
    """BM25 of every row for the query's words (and concept tokens, weighted up); None when no
    word of it is in the index."""
    common = COMMON_TERM_SHARE * view.size if view.size >= COMMON_TERM_MIN_DOCS else np.inf
    weights: dict[int, float] = {}
    for token, weight in [(t, 1.0) for t in lexical] + [(t, CONCEPT_WEIGHT) for t in concepts]:
        column = view.terms.get(token)
        if column is not None and view.document_frequency[column] <= common:
            weights[column] = weights.get(column, 0.0) + weight
    if not weights:
        return None
    based = [c for c in weights if c < view.base.shape[1]]
    scores = np.zeros(view.size, np.float32)
    if based:
        scores[: view.base.shape[0]] = view.base[:, based] @ np.array([weights[c] for c in based], np.float32)
    if view.appended.shape[0]:
        columns = list(weights)
        scores[view.base.shape[0] :] = view.appended[:, columns] @ np.array(
            [weights[c] for c in columns], np.float32
        )
    return scores


def quantise(vectors: np.ndarray, scale: float) -> np.ndarray:
    return (np.clip(np.rint(vectors * scale), -127, 127) + 128).astype(np.uint8)


# The first kNN pass reads a quarter of the bytes and ranks by 8-bit dot products; this many
# times k candidates are then rescored exactly in float32 (the order shown is the exact one).
RESCORE_FACTOR, RESCORE_EXTRA = 3, 32
_NONE_PASS = np.iinfo(np.int32).min


def dense_candidates(
    view: View, vector: np.ndarray, k: int, passing: np.ndarray | None
) -> list[tuple[int, float]]:
    """(row, cosine) of the k nearest rows that pass, nearest first."""
    if view.size == 0:
        return []
    vector = np.asarray(vector, np.float32)
    if view.size <= k * RESCORE_FACTOR + RESCORE_EXTRA:  # the shortlist would be every row
        exact = view.vectors @ vector
        if passing is not None:
            exact = np.where(passing, exact, -np.inf)
        order = np.argsort(-exact, kind="stable")[:k]  # ties: in row order
        return [(int(i), float(exact[i])) for i in order if np.isfinite(exact[i])]
    q = np.clip(np.rint(vector * 127.0 / max(float(np.abs(vector).max()), 1e-9)), -127, 127).astype(np.int8)
    # int32 dot products (the codes' offset adds one constant per query: the order is kept),
    # ours to change in place: rows that do not pass drop to the bottom.
    approximate = _knn_session().run(None, {"codes": view.codes[: view.size], "query": q.reshape(-1, 1)})[0]
    approximate = approximate.ravel()
    if passing is not None:
        np.copyto(approximate, _NONE_PASS, where=~passing)
    wanted = view.size - (k * RESCORE_FACTOR + RESCORE_EXTRA)
    shortlist = np.sort(np.argpartition(approximate, wanted)[wanted:])  # row order breaks ties
    shortlist = shortlist[approximate[shortlist] > _NONE_PASS]
    exact = view.buffer[shortlist] @ vector
    order = np.argsort(-exact, kind="stable")[:k]
    return [(int(shortlist[i]), float(exact[i])) for i in order]


# The first kNN pass as an ONNX graph, serialised: MatMulInteger(codes uint8 [rows, dim], query
# int8 [dim, 1]) → scores int32 [rows, 1], opset 17, run by ONNX Runtime's VNNI kernels. Kept as
# bytes because importing onnx to build it took 0.7 s of every command's start (the test
# rebuilds it with onnx.helper and compares).
KNN_GRAPH = bytes.fromhex(
    "08083a86010a250a05636f6465730a057175657279120673636f726573220d4d61744d756c496e746567657212036b6e6e5a"
    "1e0a05636f64657312150a130802120f0a061204726f77730a05120364696d5a1a0a05717565727912110a0f0803120b0a05"
    "120364696d0a020801621c0a0673636f72657312120a100806120c0a061204726f77730a02080142040a001011"
)


@cache
def _knn_session():
    # Memory-bound: two cores read the codes about twice as fast as one.
    return inference_session(KNN_GRAPH)


def top(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k highest scores, best first."""
    k = min(k, len(scores))
    if k == 0:
        return np.array([], dtype=int)
    best = np.argpartition(-scores, k - 1)[:k]
    return best[np.argsort(-scores[best], kind="stable")]
