"""The search-backend interface: candidate generation only; ranking happens above it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from indexer.documents import SearchDocument


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
        """Drop every document (before a rebuild)."""
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
