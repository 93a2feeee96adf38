"""What the Elasticsearch engine sends: the index mapping and every request body, built by pure
functions so that tests pin them exactly (tests/contracts/elasticsearch/)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from indexer.backends.base import Query
from indexer.documents import SearchDocument
from models.vocabulary.certifications import withdrawn_reason

INDEX_FORMAT = "1"  # bump when the mapping changes: `matchmaker index --rebuild` moves to it
CONCEPT_BOOST = 2.0  # as the embedded engine: a shared taxonomy node counts as two rare words
RRF_RANK_CONSTANT = 60


def index_body(dim: int, shards: int = 1, replicas: int = 0) -> dict[str, Any]:
    """Settings and mappings of every docs index (installed as an index template)."""
    return {
        "settings": {
            "index": {"number_of_shards": shards, "number_of_replicas": replicas, "refresh_interval": "1s"},
            "analysis": {
                "filter": {"folding": {"type": "asciifolding", "preserve_original": True}},
                "analyzer": {
                    # Already folded, space-separated tokens (CJK bigrams included): split on spaces only.
                    "folded_tokens": {
                        "type": "custom",
                        "tokenizer": "whitespace",
                        "filter": ["lowercase", "folding"],
                    },
                    # Raw NFC text for people: words, lower-cased, folded with the original kept.
                    "folded_text": {
                        "type": "custom",
                        "tokenizer": "standard",
                        "filter": ["lowercase", "folding"],
                    },
                },
            },
        },
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "kind": {"type": "keyword"},
                "id": {"type": "keyword"},
                "record_hash": {"type": "keyword", "index": False},
                "lexical": {"type": "text", "analyzer": "folded_tokens", "similarity": "BM25"},
                "concepts": {"type": "text", "analyzer": "whitespace", "norms": False},
                "display": {"type": "text", "analyzer": "folded_text"},
                "ownership": {"type": "keyword"},
                "province": {"type": "keyword"},
                "status": {"type": "keyword"},
                "sectors": {"type": "keyword"},
                "certifications": {
                    "type": "nested",
                    "properties": {
                        "standard": {"type": "keyword"},
                        "state": {"type": "keyword"},  # granted | in_progress | withdrawn
                        "valid_from": {"type": "date", "format": "strict_date"},
                        "valid_until": {"type": "date", "format": "strict_date"},
                    },
                },
                "vector": {
                    "type": "dense_vector",
                    "dims": dim,
                    "index": True,
                    "similarity": "cosine",
                    "index_options": {"type": "int8_hnsw", "m": 16, "ef_construction": 100},
                },
                "payload": {"type": "object", "enabled": False},
                "source_version": {"type": "keyword", "index": False},
            },
        },
    }


def filter_clauses(kind: str, filters: Mapping[str, list[str]]) -> list[dict[str, Any]]:
    """The query's filters as Elasticsearch filter clauses (the same meaning as the embedded
    engine's masks: a certificate counts only if granted and valid today)."""
    clauses: list[dict[str, Any]] = [{"term": {"kind": kind}}]
    for facet, field in (("ownership", "ownership"), ("province", "province"), ("status", "status")):
        if filters.get(facet):
            clauses.append({"terms": {field: sorted(filters[facet])}})
    if filters.get("sector"):
        clauses.append({"terms": {"sectors": sorted(filters["sector"])}})
    for standard in sorted(filters.get("certification") or []):
        clauses.append(
            {
                "nested": {
                    "path": "certifications",
                    "query": {
                        "bool": {
                            "filter": [
                                {"term": {"certifications.standard": standard}},
                                {"term": {"certifications.state": "granted"}},
                                _open_ended("certifications.valid_until", "gte"),
                                _open_ended("certifications.valid_from", "lte"),
                            ]
                        }
                    },
                }
            }
        )
    return clauses


def _open_ended(field: str, op: str) -> dict[str, Any]:
    """The date is absent, or on the right side of today."""
    return {
        "bool": {
            "should": [
                {"range": {field: {op: "now/d"}}},
                {"bool": {"must_not": {"exists": {"field": field}}}},
            ],
            "minimum_should_match": 1,
        }
    }


def lexical_query(kind: str, query: Query, use_concepts: bool = True) -> dict[str, Any]:
    should: list[dict[str, Any]] = []
    if query.lexical_tokens:
        should.append({"match": {"lexical": {"query": " ".join(query.lexical_tokens)}}})
    if use_concepts and query.concept_tokens:
        should.append(
            {"match": {"concepts": {"query": " ".join(query.concept_tokens), "boost": CONCEPT_BOOST}}}
        )
    return {
        "bool": {"should": should, "minimum_should_match": 1, "filter": filter_clauses(kind, query.filters)}
    }


def lexical_body(kind: str, query: Query, k: int, use_concepts: bool = True) -> dict[str, Any]:
    return {
        "size": k,
        "_source": False,
        "track_total_hits": False,
        "query": lexical_query(kind, query, use_concepts),
    }


def knn_clause(kind: str, query: Query, k: int) -> dict[str, Any]:
    return {
        "field": "vector",
        "query_vector": [round(float(x), 7) for x in np.asarray(query.vector, dtype=np.float32)],
        "k": k,
        "num_candidates": min(10_000, max(4 * k, 100)),
        "filter": filter_clauses(kind, query.filters),
    }


def knn_body(kind: str, query: Query, k: int) -> dict[str, Any]:
    return {"size": k, "_source": False, "knn": knn_clause(kind, query, k)}


def rrf_body(kind: str, query: Query, k: int) -> dict[str, Any]:
    """Native hybrid retrieval: BM25 and kNN fused by the cluster's RRF retriever."""
    return {
        "size": 2 * k,
        "_source": False,
        "retriever": {
            "rrf": {
                "retrievers": [
                    {"standard": {"query": lexical_query(kind, query)}},
                    {"knn": knn_clause(kind, query, k)},
                ],
                "rank_window_size": 2 * k,
                "rank_constant": RRF_RANK_CONSTANT,
            }
        },
    }


def frequency_body(kind: str, tokens: list[str]) -> dict[str, Any]:
    """Document frequencies of some tokens, in one request (a `filters` aggregation)."""
    return {
        "size": 0,
        "track_total_hits": True,
        "query": {"term": {"kind": kind}},
        "aggs": {
            "df": {"filters": {"filters": {token: {"term": {"lexical": token}} for token in sorted(tokens)}}}
        },
    }


def to_source(doc: SearchDocument, vector: np.ndarray) -> dict[str, Any]:
    """One document as stored: searchable fields, facets, and the payload the scorer reads."""
    payload = doc.payload
    return {
        "kind": doc.kind,
        "id": doc.id,
        "record_hash": doc.record_hash,
        "lexical": doc.lexical_text,
        "concepts": doc.concept_text,
        "display": " ".join(str(payload.get(f) or "") for f in ("name", "title")).strip(),
        "ownership": payload.get("ownership") or "",
        "province": payload.get("province") or "",
        "status": payload.get("status") or "",
        "sectors": [s for s in payload.get("sectors") or [payload.get("sector")] if s],
        "certifications": [
            {
                "standard": c["standard"],
                "state": "in_progress"
                if c.get("status") == "in_progress"
                else "withdrawn"
                if c.get("status") == "expired" or withdrawn_reason(c["standard"], c.get("edition"))
                else "granted",
                "valid_from": c.get("valid_from"),
                "valid_until": c.get("valid_until"),
            }
            for c in payload.get("certifications") or []
        ],
        "vector": [float(x) for x in np.asarray(vector, dtype=np.float32)],
        "payload": payload,
    }


def document_id(kind: str, doc_id: str) -> str:
    return f"{kind}:{doc_id}"
