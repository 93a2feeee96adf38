"""The Elasticsearch engine: the same candidate generation as the embedded one, across machines.

Documents live in a versioned index behind an alias (`<prefix>-docs`); a rebuild fills a new
index and swaps the alias in one atomic call, so searches never see a half-built index. Text
fields are analysed with lowercase + asciifolding that keeps the original token, so Vietnamese
matches with or without diacritics; facets are keywords; vectors are `dense_vector` (cosine,
int8-quantised HNSW). Hybrid retrieval uses the native RRF retriever where the cluster's version
and licence allow it, and otherwise one `_msearch` (BM25 + kNN) fused on the client. Only
candidate generation happens here: the same scorer and explanations run on top.

The request bodies are built by pure functions in `elastic_requests`, so tests can pin them exactly.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import wraps
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import numpy as np

from indexer.backends.base import Candidate, Query, SearchEngineError, StoredDocument
from indexer.backends.elastic_requests import (
    INDEX_FORMAT,
    document_id,
    frequency_body,
    index_body,
    knn_body,
    lexical_body,
    rrf_body,
    to_source,
)
from indexer.documents import SearchDocument

NATIVE_RRF_VERSION = (8, 16)  # retrievers are GA from 8.16; RRF also needs a licence that allows it
NATIVE_RRF_LICENCES = {"platinum", "enterprise", "trial"}
BULK_CHUNK, BULK_RETRIES = 500, 5
FREQUENCY_TTL_S = 60.0
META_ID = "meta:source_version"


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = f"{parts.username}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


# ── the backend ──────────────────────────────────────────────────────────────


def _engine_call(method):
    """Every cluster call fails as one SearchEngineError naming the URL and the cause."""

    @wraps(method)
    def wrapper(self, *args, **kwargs):
        from elastic_transport import TransportError
        from elasticsearch import ApiError

        try:
            return method(self, *args, **kwargs)
        except (TransportError, ApiError) as exc:
            raise SearchEngineError(f"Elasticsearch at {redact(self.url)}: {_cause(exc)}") from exc

    return wrapper


def _cause(exc: Exception) -> str:
    info = getattr(exc, "info", None) or getattr(exc, "body", None)
    if isinstance(info, dict) and isinstance(info.get("error"), dict):
        error = info["error"]
        return f"{error.get('type')}: {error.get('reason')}"
    return f"{type(exc).__name__}: {getattr(exc, 'message', exc)}"


class ElasticsearchBackend:
    name = "elasticsearch"

    def __init__(
        self, url: str, dim: int, prefix: str = "matchmaker", shards: int = 1, replicas: int = 0, client=None
    ):
        from elasticsearch import Elasticsearch

        self.url, self.dim, self.shards, self.replicas = url, dim, shards, replicas
        self.alias = f"{prefix}-docs"
        self.client = client or Elasticsearch(url, request_timeout=30, retry_on_timeout=True, max_retries=3)
        self._write_index: str | None = None  # a new index being filled by a rebuild
        self._frequencies: dict[str, _Frequencies] = {}
        self._native_rrf: bool | None = None
        self._connect()

    @_engine_call
    def _connect(self) -> None:
        self.version = tuple(int(x) for x in self.client.info()["version"]["number"].split(".")[:2])
        self.client.indices.put_index_template(
            name=self.alias,
            index_patterns=[f"{self.alias}-*"],
            template=index_body(self.dim, self.shards, self.replicas),
            meta={"format": INDEX_FORMAT, "dims": self.dim},
        )
        if not self.client.indices.exists_alias(name=self.alias):
            first = self._new_index_name()
            self.client.indices.create(index=first, aliases={self.alias: {}})

    def _new_index_name(self) -> str:
        return f"{self.alias}-v{INDEX_FORMAT}-{datetime.now(UTC):%Y%m%d%H%M%S%f}"

    @property
    def _target(self) -> str:
        return self._write_index or self.alias

    # ── writes ──
    @_engine_call
    def upsert(self, documents: list[SearchDocument], vectors: np.ndarray) -> None:
        actions = (
            {
                "_op_type": "index",
                "_index": self._target,
                "_id": document_id(d.kind, d.id),
                "_source": to_source(d, v),
            }
            for d, v in zip(documents, vectors, strict=True)
        )
        self._bulk(actions)

    @_engine_call
    def delete(self, kind: str, ids: list[str]) -> None:
        self._bulk({"_op_type": "delete", "_index": self._target, "_id": document_id(kind, i)} for i in ids)

    def _bulk(self, actions: Iterator[dict]) -> None:
        """Bulk requests in chunks; rejected (429) chunks are retried with exponential backoff."""
        from elasticsearch import helpers

        failures = []
        for ok, item in helpers.streaming_bulk(
            self.client,
            actions,
            chunk_size=BULK_CHUNK,
            max_retries=BULK_RETRIES,
            initial_backoff=1,
            max_backoff=30,
            raise_on_error=False,
        ):
            if not ok and next(iter(item.values())).get("status") != 404:  # deleting a missing doc is fine
                failures.append(item)
        self.client.indices.refresh(index=self._target)
        self._frequencies.clear()
        if failures:
            raise SearchEngineError(
                f"Elasticsearch at {redact(self.url)}: {len(failures)} documents failed: {failures[0]}"
            )

    @_engine_call
    def clear(self) -> None:
        self.client.delete_by_query(
            index=self._target, query={"match_all": {}}, refresh=True, conflicts="proceed"
        )
        self._frequencies.clear()

    @contextmanager
    def rebuilding(self):
        """Fill a new index, then point the alias at it in one atomic call (no downtime)."""
        new = self._new_index_name()
        self._call(lambda: self.client.indices.create(index=new))
        self._write_index = new
        try:
            yield
        except BaseException:
            self._write_index = None
            self._call(lambda: self.client.indices.delete(index=new, ignore_unavailable=True))
            raise
        self._write_index = None
        old = list(self._call(lambda: self.client.indices.get_alias(name=self.alias).body))
        actions = [{"remove": {"index": i, "alias": self.alias}} for i in old] + [
            {"add": {"index": new, "alias": self.alias}}
        ]
        self._call(lambda: self.client.indices.update_aliases(actions=actions))
        for index in old:
            self._call(lambda index=index: self.client.indices.delete(index=index, ignore_unavailable=True))
        self._frequencies.clear()

    @_engine_call
    def drop(self) -> None:
        """Delete this prefix's indices and template (tests, benchmarks, decommissioning)."""
        self.client.indices.delete(index=f"{self.alias}-*", ignore_unavailable=True, allow_no_indices=True)
        self.client.indices.delete_index_template(name=self.alias)

    @_engine_call
    def _call(self, thunk):
        return thunk()

    # ── bookkeeping ──
    @_engine_call
    def indexed_hashes(self, kind: str) -> dict[str, str]:
        from elasticsearch import helpers

        hits = helpers.scan(
            self.client,
            index=self._target,
            query={"query": {"term": {"kind": kind}}, "_source": ["id", "record_hash"]},
            size=2000,
        )
        return {h["_source"]["id"]: h["_source"]["record_hash"] for h in hits}

    @_engine_call
    def count(self, kind: str) -> int:
        return self.client.count(index=self.alias, query={"term": {"kind": kind}})["count"]

    @_engine_call
    def source_version(self) -> str | None:
        found = self.client.options(ignore_status=404).get(index=self.alias, id=META_ID).body
        return found["_source"]["source_version"] if found.get("found") else None

    @_engine_call
    def set_source_version(self, version: str) -> None:
        self.client.index(
            index=self._target, id=META_ID, document={"kind": "meta", "source_version": version}, refresh=True
        )

    # ── retrieval ──
    @_engine_call
    def lexical(self, kind: str, query: Query, k: int, use_concepts: bool = True) -> list[Candidate]:
        if not query.lexical_tokens and not (use_concepts and query.concept_tokens):
            return []
        hits = self.client.search(index=self.alias, body=lexical_body(kind, query, k, use_concepts))["hits"][
            "hits"
        ]
        return [Candidate(_plain_id(h), lexical=h["_score"], lexical_rank=r) for r, h in enumerate(hits, 1)]

    @_engine_call
    def dense(self, kind: str, query: Query, k: int) -> list[Candidate]:
        if query.vector is None:
            return []
        hits = self.client.search(index=self.alias, body=knn_body(kind, query, k))["hits"]["hits"]
        # Cosine comes back as (1 + cos) / 2.
        return [
            Candidate(_plain_id(h), dense=2 * h["_score"] - 1, dense_rank=r) for r, h in enumerate(hits, 1)
        ]

    @_engine_call
    def hybrid(self, kind: str, query: Query, k: int) -> list[Candidate]:
        """BM25 and kNN candidates in one round trip: fused by the cluster where it can, else both
        lists come back from one `_msearch` and are fused above (the same as the embedded engine)."""
        if query.vector is not None and query.lexical_tokens and self._rrf_allowed():
            hits = self.client.search(index=self.alias, body=rrf_body(kind, query, k))["hits"]["hits"]
            return [Candidate(_plain_id(h), fused_rank=r) for r, h in enumerate(hits, 1)]
        searches: list[dict] = []
        if query.lexical_tokens or query.concept_tokens:
            searches += [{"index": self.alias}, lexical_body(kind, query, k)]
        if query.vector is not None:
            searches += [{"index": self.alias}, knn_body(kind, query, k)]
        if not searches:
            return []
        out: list[Candidate] = []
        for search, response in zip(
            searches[1::2], self.client.msearch(searches=searches)["responses"], strict=True
        ):
            if "error" in response:
                raise SearchEngineError(f"Elasticsearch at {redact(self.url)}: {response['error']}")
            for rank, h in enumerate(response["hits"]["hits"], 1):
                if "knn" in search:
                    out.append(Candidate(_plain_id(h), dense=2 * h["_score"] - 1, dense_rank=rank))
                else:
                    out.append(Candidate(_plain_id(h), lexical=h["_score"], lexical_rank=rank))
        return out

    def _rrf_allowed(self) -> bool:
        """Native RRF needs 8.16+ and a licence that includes it (basic does not); asked once."""
        if self._native_rrf is None:
            from elasticsearch import ApiError

            try:
                licence = self.client.license.get().body.get("license") or {}
            except ApiError:  # the licence API can be closed to this user: assume basic
                licence = {}
            allowed = (
                licence.get("type", "basic") in NATIVE_RRF_LICENCES and licence.get("status") != "expired"
            )
            self._native_rrf = self.version >= NATIVE_RRF_VERSION and allowed
        return self._native_rrf

    @_engine_call
    def fetch(self, kind: str, ids: list[str]) -> dict[str, StoredDocument]:
        out: dict[str, StoredDocument] = {}
        for start in range(0, len(ids), 1000):
            chunk = [document_id(kind, i) for i in ids[start : start + 1000]]
            response = self.client.mget(index=self.alias, ids=chunk, source=["id", "payload", "vector"])
            for doc in response["docs"]:
                if doc.get("found"):
                    source = doc["_source"]
                    out[source["id"]] = StoredDocument(
                        source["id"], source["payload"], np.asarray(source["vector"], dtype=np.float32)
                    )
        return out

    def document_frequencies(self, kind: str) -> tuple[int, Mapping[str, int]]:
        lookup = self._frequencies.get(kind)
        if lookup is None or lookup.expired():
            lookup = self._frequencies[kind] = _Frequencies(self, kind)
        return lookup.total, lookup

    @_engine_call
    def _fetch_frequencies(self, kind: str, tokens: list[str]) -> tuple[int, dict[str, int]]:
        response = self.client.search(index=self.alias, body=frequency_body(kind, tokens))
        buckets = response["aggregations"]["df"]["buckets"] if tokens else {}
        return response["hits"]["total"]["value"], {t: b["doc_count"] for t, b in buckets.items()}


class _Frequencies(Mapping[str, int]):
    """token → documents containing it, fetched from the cluster in batches (`prefetch`) and
    kept for a minute: lexical weighting needs only the query's own tokens."""

    def __init__(self, backend: ElasticsearchBackend, kind: str):
        self.backend, self.kind, self.created = backend, kind, time.monotonic()
        self.total, self.known = backend._fetch_frequencies(kind, [])[0], {}

    def expired(self) -> bool:
        return time.monotonic() - self.created > FREQUENCY_TTL_S

    def prefetch(self, tokens) -> None:
        missing = [t for t in set(tokens) if t not in self.known]
        if missing:
            self.known.update(self.backend._fetch_frequencies(self.kind, missing)[1])

    def __getitem__(self, token: str) -> int:
        if token not in self.known:
            self.prefetch([token])
        return self.known[token]

    def __iter__(self):
        return iter(self.known)

    def __len__(self) -> int:
        return len(self.known)


def _plain_id(hit: dict[str, Any]) -> str:
    return hit["_id"].split(":", 1)[1]
