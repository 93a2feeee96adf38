"""The search-backend interface: candidate generation only; ranking happens above it."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from indexer.documents import SearchDocument


class SearchEngineError(Exception):
    """A remote engine cannot be reached or refused a request; the message names URL and cause."""


@dataclass(frozen=True)
class Query:
    """What candidate generation gets: folded tokens, concept tokens, a vector and filters.

    `filters` keys: ownership (list), province (list), sector (list), certification (list,
    held only), status (list; requirements).
    """

    lexical_tokens: list[str]
    concept_tokens: list[str]
    vector: np.ndarray | None
    filters: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Candidate:
    """A document found by either retriever, with each retriever's score and rank (1-based)."""

    id: str
    lexical: float | None = None
    lexical_rank: int | None = None
    dense: float | None = None
    dense_rank: int | None = None
    fused_rank: int | None = None  # where the engine's own fusion (Elasticsearch RRF) placed it


@dataclass(frozen=True)
class StoredDocument:
    """What the ranker reads back for a candidate."""

    id: str
    payload: dict[str, Any]
    vector: np.ndarray


class SearchBackend(Protocol):
    """Both engines implement this; the scorer and explanations run on top unchanged."""

    name: str

    def indexed_hashes(self, kind: str) -> dict[str, str]:
        """id → record hash of every indexed document of a kind (for incremental indexing)."""
        ...

    def upsert(self, documents: list[SearchDocument], vectors: np.ndarray) -> None: ...

    def delete(self, kind: str, ids: list[str]) -> None: ...

    def clear(self) -> None:
        """Drop every document."""
        ...

    def rebuilding(self) -> AbstractContextManager[None]:
        """Around a full rebuild: writes inside go to a fresh index, which replaces the old one
        when the block ends without error (the embedded engine simply starts empty)."""
        ...

    def hybrid(self, kind: str, query: Query, k: int) -> list[Candidate]:
        """Both retrievers' candidates (each list best first); see `hybrid_candidates`."""
        ...

    def lexical(self, kind: str, query: Query, k: int, use_concepts: bool = True) -> list[Candidate]:
        """BM25 over folded text (and concept tokens), best first."""
        ...

    def dense(self, kind: str, query: Query, k: int) -> list[Candidate]:
        """Exact or approximate nearest neighbours by cosine, best first."""
        ...

    def fetch(self, kind: str, ids: list[str]) -> dict[str, StoredDocument]: ...

    def document_frequencies(self, kind: str) -> tuple[int, Mapping[str, int]]:
        """(number of documents, token → documents containing it) for lexical weighting."""
        ...

    def count(self, kind: str) -> int: ...

    def source_version(self) -> str | None:
        """The database state the index was last brought up to date with (see indexing)."""
        ...

    def set_source_version(self, version: str) -> None: ...


def union(*lists: list[Candidate]) -> dict[str, Candidate]:
    """Candidates from several retrievers, one entry per document with every retriever's rank."""
    merged: dict[str, Candidate] = {}
    for candidates in lists:
        for c in candidates:
            slot = merged.setdefault(c.id, Candidate(c.id))
            if c.lexical is not None:
                slot.lexical, slot.lexical_rank = c.lexical, c.lexical_rank
            if c.dense is not None:
                slot.dense, slot.dense_rank = c.dense, c.dense_rank
            if c.fused_rank is not None:
                slot.fused_rank = c.fused_rank
    return merged
