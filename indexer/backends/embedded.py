"""The embedded engine: SQLite FTS5 (BM25 over folded text) plus exact kNN over in-memory vectors.

One file under MATCHMAKER_DATA_DIR/index holds documents, vectors and the FTS tables, so the
index survives restarts and updates in place. Vectors are read into one float32 matrix per
kind on first use and re-read when another process changes the index (a generation counter).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from indexer.backends.base import Candidate, Query, StoredDocument
from indexer.certifications import status_on
from indexer.documents import SearchDocument

KINDS = ("supplier", "requirement")
# A token in more than this share of documents is skipped by lexical candidate generation:
# it barely moves BM25 but makes FTS5 score most of the corpus.
COMMON_TOKEN_SHARE = 0.35


@dataclass
class _Matrix:
    """In-memory view of one kind: vectors plus the facets filters need."""

    generation: int
    ids: list[str]
    row: dict[str, int]
    vectors: np.ndarray
    facets: dict[str, np.ndarray]
    sectors: list[set[str]]
    held: list[set[str]]


class EmbeddedBackend:
    """SQLite FTS5 + numpy; safe to share between threads of one process."""

    name = "embedded"

    def __init__(self, index_dir: Path, dim: int):
        self.path = Path(index_dir) / "embedded.sqlite"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.dim = dim
        self._lock = threading.RLock()
        self._local = threading.local()
        self._matrices: dict[str, _Matrix] = {}
        self._vocab: dict[str, tuple[int, int, dict[str, int]]] = {}
        self._create()

    # ── storage ──────────────────────────────────────────────────────────────
    @property
    def _db(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
        return conn

    def _create(self) -> None:
        with self._db as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS docs (kind TEXT, id TEXT, record_hash TEXT, "
                "payload TEXT, vector BLOB, PRIMARY KEY (kind, id))"
            )
            db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            db.execute("INSERT OR IGNORE INTO meta VALUES ('generation', '0')")
            db.execute("INSERT OR IGNORE INTO meta VALUES ('dim', ?)", (str(self.dim),))
            for kind in KINDS:
                db.execute(
                    f"CREATE VIRTUAL TABLE IF NOT EXISTS {kind}_fts USING fts5("
                    "id UNINDEXED, text, concepts, tokenize = 'unicode61 remove_diacritics 0')"
                )
                db.execute(
                    f"CREATE VIRTUAL TABLE IF NOT EXISTS {kind}_vocab USING fts5vocab({kind}_fts, 'row')"
                )
        stored_dim = int(self._meta("dim"))
        if stored_dim != self.dim:
            raise ValueError(
                f"index at {self.path} holds {stored_dim}-dimensional vectors but the encoder gives "
                f"{self.dim}; run `matchmaker index --rebuild`"
            )

    def _meta(self, key: str) -> str:
        return self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()[0]

    def _bump(self, db: sqlite3.Connection) -> None:
        db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")

    def indexed_hashes(self, kind: str) -> dict[str, str]:
        rows = self._db.execute("SELECT id, record_hash FROM docs WHERE kind = ?", (kind,))
        return dict(rows.fetchall())

    def upsert(self, documents: list[SearchDocument], vectors: np.ndarray) -> None:
        with self._lock, self._db as db:
            for doc, vector in zip(documents, vectors, strict=True):
                db.execute(f"DELETE FROM {doc.kind}_fts WHERE id = ?", (doc.id,))
                db.execute(
                    f"INSERT INTO {doc.kind}_fts (id, text, concepts) VALUES (?, ?, ?)",
                    (doc.id, doc.lexical_text, doc.concept_text),
                )
                db.execute(
                    "INSERT OR REPLACE INTO docs VALUES (?, ?, ?, ?, ?)",
                    (
                        doc.kind,
                        doc.id,
                        doc.record_hash,
                        json.dumps(doc.payload, ensure_ascii=False),
                        np.asarray(vector, dtype=np.float32).tobytes(),
                    ),
                )
            self._bump(db)

    def delete(self, kind: str, ids: list[str]) -> None:
        with self._lock, self._db as db:
            for doc_id in ids:
                db.execute(f"DELETE FROM {kind}_fts WHERE id = ?", (doc_id,))
                db.execute("DELETE FROM docs WHERE kind = ? AND id = ?", (kind, doc_id))
            self._bump(db)

    def clear(self) -> None:
        with self._lock, self._db as db:
            db.execute("DELETE FROM docs")
            for kind in KINDS:
                db.execute(f"DELETE FROM {kind}_fts")
            self._bump(db)

    def count(self, kind: str) -> int:
        return self._db.execute("SELECT COUNT(*) FROM docs WHERE kind = ?", (kind,)).fetchone()[0]

    # ── in-memory views ──────────────────────────────────────────────────────
    def _matrix(self, kind: str) -> _Matrix:
        generation = int(self._meta("generation"))
        cached = self._matrices.get(kind)
        if cached and cached.generation == generation:
            return cached
        with self._lock:
            rows = self._db.execute(
                "SELECT id, payload, vector FROM docs WHERE kind = ? ORDER BY id", (kind,)
            ).fetchall()
            ids = [r[0] for r in rows]
            vectors = np.zeros((len(rows), self.dim), dtype=np.float32)
            ownership, province, status = [], [], []
            sectors: list[set[str]] = []
            held: list[set[str]] = []
            today = date.today()
            for i, (_, payload_json, blob) in enumerate(rows):
                vectors[i] = np.frombuffer(blob, dtype=np.float32)
                payload = json.loads(payload_json)
                ownership.append(payload.get("ownership") or "")
                province.append(payload.get("province") or "")
                status.append(payload.get("status") or "")
                sector_list = payload.get("sectors") or [payload.get("sector")]
                sectors.append({s for s in sector_list if s})
                held.append(
                    {
                        c["standard"]
                        for c in payload.get("certifications") or []
                        if status_on(c, today)[0] == "held"
                    }
                )
            matrix = _Matrix(
                generation=generation,
                ids=ids,
                row={doc_id: i for i, doc_id in enumerate(ids)},
                vectors=vectors,
                facets={
                    "ownership": np.array(ownership, dtype=object),
                    "province": np.array(province, dtype=object),
                    "status": np.array(status, dtype=object),
                },
                sectors=sectors,
                held=held,
            )
            self._matrices[kind] = matrix
            return matrix

    def _mask(self, matrix: _Matrix, filters: dict[str, list[str]]) -> np.ndarray | None:
        """Rows that pass every filter, or None when nothing is filtered."""
        if not any(filters.values()):
            return None
        mask = np.ones(len(matrix.ids), dtype=bool)
        for key in ("ownership", "province", "status"):
            if filters.get(key):
                mask &= np.isin(matrix.facets[key], filters[key])
        if filters.get("sector"):
            wanted = set(filters["sector"])
            mask &= np.fromiter((bool(s & wanted) for s in matrix.sectors), bool, len(matrix.ids))
        if filters.get("certification"):
            wanted = set(filters["certification"])
            mask &= np.fromiter((wanted <= h for h in matrix.held), bool, len(matrix.ids))
        return mask

    # ── retrieval ────────────────────────────────────────────────────────────
    def document_frequencies(self, kind: str) -> tuple[int, dict[str, int]]:
        generation = int(self._meta("generation"))
        cached = self._vocab.get(kind)
        if cached and cached[0] == generation:
            return cached[1], cached[2]
        total = self.count(kind)
        freq = dict(self._db.execute(f"SELECT term, doc FROM {kind}_vocab").fetchall())
        self._vocab[kind] = (generation, total, freq)
        return total, freq

    def lexical(self, kind: str, query: Query, k: int, use_concepts: bool = True) -> list[Candidate]:
        total, freq = self.document_frequencies(kind)
        limit = max(1, int(total * COMMON_TOKEN_SHARE)) if total > 200 else total + 1
        words = [t for t in dict.fromkeys(query.lexical_tokens) if 0 < freq.get(t, 0) <= limit]
        pairs = [
            f'"{a} {b}"'
            for a, b in zip(query.lexical_tokens, query.lexical_tokens[1:], strict=False)
            if a in words and b in words
        ]
        clauses = []
        if words:
            clauses.append("text : (" + " OR ".join([f'"{w}"' for w in words] + pairs) + ")")
        concepts = [c for c in dict.fromkeys(query.concept_tokens) if freq.get(c)]
        if use_concepts and concepts:
            clauses.append("concepts : (" + " OR ".join(f'"{c}"' for c in concepts) + ")")
        if not clauses:
            return []
        matrix = self._matrix(kind)
        mask = self._mask(matrix, query.filters)
        fetch = k if mask is None else k * 4
        rows = self._db.execute(
            f"SELECT id, -bm25({kind}_fts, 0.0, 1.0, 2.0) AS score FROM {kind}_fts "
            f"WHERE {kind}_fts MATCH ? ORDER BY rank LIMIT ?",
            (" OR ".join(clauses), fetch),
        ).fetchall()
        out: list[Candidate] = []
        for doc_id, score in rows:
            row = matrix.row.get(doc_id)
            if row is None or (mask is not None and not mask[row]):
                continue
            out.append(Candidate(doc_id, lexical=float(score), lexical_rank=len(out) + 1))
            if len(out) == k:
                break
        return out

    def dense(self, kind: str, query: Query, k: int) -> list[Candidate]:
        if query.vector is None:
            return []
        matrix = self._matrix(kind)
        if not matrix.ids:
            return []
        scores = matrix.vectors @ np.asarray(query.vector, dtype=np.float32)
        mask = self._mask(matrix, query.filters)
        if mask is not None:
            scores = np.where(mask, scores, -np.inf)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]
        return [
            Candidate(matrix.ids[i], dense=float(scores[i]), dense_rank=rank)
            for rank, i in enumerate(top, start=1)
            if np.isfinite(scores[i])
        ]

    def fetch(self, kind: str, ids: list[str]) -> dict[str, StoredDocument]:
        out: dict[str, StoredDocument] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT id, payload, vector FROM docs WHERE kind = ? AND id IN ({marks})",
                (kind, *chunk),
            )
            for doc_id, payload, blob in rows:
                out[doc_id] = StoredDocument(
                    doc_id, json.loads(payload), np.frombuffer(blob, dtype=np.float32)
                )
        return out
