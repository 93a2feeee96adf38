"""Matching services: requirement → suppliers, supplier → requirements, ad-hoc search.

Candidates come from both retrievers (BM25 over folded text and concepts; dense kNN), are
fused by union, and every candidate is scored by the same `Scorer`, whichever direction.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import numpy as np
from sqlalchemy import select

from indexer.backends.base import Candidate, Query, union
from indexer.documents import SearchDocument, requirement_document, supplier_document
from matchmaker.errors import BadInput, NotFound
from matchmaker.matching import indexing
from matchmaker.matching.certificate_order import in_certificate_order
from matchmaker.matching.ranking import Match
from matchmaker.workspace import Workspace
from models.requirement import Requirement
from models.search import SearchFilters
from models.supplier import Supplier
from models.vocabulary.certifications import canonical as canonical_certification

# How many candidates each retriever contributes before scoring (their union is scored).
CANDIDATES_PER_RETRIEVER = 120
MAKERS = ["domestic", "joint_venture"]


def ensure_index(ws: Workspace) -> None:
    """Bring the index up to date first if the database changed since it was built (checked
    once per workspace: a CLI run, or a server's start; later writes index themselves)."""
    if ws.index_checked:
        return
    ws.index_checked = True
    if not indexing.index_is_current(ws):
        indexing.update_index(ws)


SEARCH_GC_THRESHOLD = 20_000  # net allocations between young collections (Python's default: 700)


def warm_up(ws: Workspace) -> None:
    """Before a server's first request, do what its first search would: bring the index up to
    date, load the encoder, the scorer and the engine's in-memory view (an ad-hoc search, which
    saves nothing). Then freeze the heap: the ~150,000 long-lived objects loaded by then
    (libraries, vocabulary, models) made every full garbage collection take about 100 ms, a
    pause some search paid; frozen, the collector never walks them again. And let the youngest
    generation grow: a search holds some 15,000 short-lived containers (candidates' payloads,
    matches) until it ends, and at the default threshold of 700 the collector ran about seven
    times per search (up to 1.7 ms at 100,000 suppliers) and found nothing to free."""
    ensure_index(ws)
    search(ws, "warm up")
    gc.collect()
    gc.freeze()
    gc.set_threshold(SEARCH_GC_THRESHOLD, *gc.get_threshold()[1:])


def _retrieval(candidate: Candidate) -> dict[str, Any]:
    """Where each retriever placed this candidate, and its reciprocal-rank-fusion score."""
    if candidate.fused_rank is not None:  # the engine fused them itself (Elasticsearch RRF)
        return {"fused_rank": candidate.fused_rank}
    rrf = sum(1 / (60 + r) for r in (candidate.lexical_rank, candidate.dense_rank) if r)
    return {"lexical_rank": candidate.lexical_rank, "dense_rank": candidate.dense_rank, "rrf": round(rrf, 5)}


def requirement_for(ws: Workspace, requirement_id: str) -> tuple[SearchDocument, np.ndarray]:
    """The requirement's document (fresh from the database) and its query vector."""
    with ws.sessions() as session:
        record = session.get(Requirement, requirement_id)
        if record is None:
            raise NotFound(f"no requirement with id {requirement_id!r}")
        doc = requirement_document(record.to_dict())
    return doc, ws.encoder.encode_queries([doc.embed_text], persist=True)[0]


def rank_suppliers(
    ws: Workspace,
    requirement: SearchDocument,
    vector: np.ndarray,
    *,
    top: int = 10,
    filters: dict[str, list[str]] | None = None,
) -> list[Match]:
    """Suppliers for one requirement document, best first."""
    ensure_index(ws)
    filters = dict(filters or {})
    if not requirement.payload.get("include_foreign_owned"):
        filters["ownership"] = [o for o in (filters.get("ownership") or MAKERS) if o in MAKERS]
    query = Query(requirement.lexical_text.split(), requirement.concept_text.split(), vector, filters)
    k = max(CANDIDATES_PER_RETRIEVER, top * 5)
    candidates = union(ws.backend.hybrid("supplier", query, k))
    documents = ws.backend.fetch("supplier", list(candidates))
    prepared = ws.scorer.prepare(
        requirement.payload,
        vector,
        ws.backend.document_frequencies("supplier"),
        requirement_id=requirement.id,
    )
    scored = [
        m
        for sid, doc in documents.items()
        if (m := ws.scorer.score(prepared, doc.payload, doc.vector, sid, explain=False))
    ]
    scored = in_certificate_order(scored, ws.scorer.weights)
    shown = []
    for m in scored[:top]:  # explain only what is shown
        doc = documents[m.supplier_id]
        match = ws.scorer.score(prepared, doc.payload, doc.vector, m.supplier_id)
        match.explanation["retrieval"] = _retrieval(candidates[m.supplier_id])
        match.explanation["supplier_name"] = doc.payload.get("name")
        if m.order:  # decided above over every candidate, not again over the shown few
            match.explanation["certificate_order"] = m.order
        shown.append(match)
    return shown


def match_requirement(ws: Workspace, requirement_id: str, *, top: int = 10) -> list[Match]:
    """Ranked, explained suppliers for an imported requirement."""
    doc, vector = requirement_for(ws, requirement_id)
    return rank_suppliers(ws, doc, vector, top=top)


def match_all(ws: Workspace, *, top: int = 10) -> Iterator[tuple[str, list[Match]]]:
    """(requirement id, matches) for every requirement, in id order."""
    with ws.sessions() as session:
        ids = list(session.scalars(select(Requirement.id).order_by(Requirement.id)))
    for requirement_id in ids:
        yield requirement_id, match_requirement(ws, requirement_id, top=top)


def search(ws: Workspace, text: str, *, filters: SearchFilters | None = None, top: int = 10) -> list[Match]:
    """Ad-hoc search: free text treated as a requirement, narrowed by filters; nothing saved."""
    if not text or not text.strip():
        raise BadInput("text: must not be empty")
    filters = filters or SearchFilters()
    doc = requirement_document(
        {
            "id": "search",
            "title": text,
            "required_certifications": [canonical_certification(c) for c in filters.required_certifications],
            "preferred_provinces": filters.preferred_provinces,
            "include_foreign_owned": filters.include_foreign_owned,
        }
    )
    vector = ws.encoder.encode_queries([doc.embed_text])[0]
    return rank_suppliers(ws, doc, vector, top=top, filters=filters.retrieval_filters())


def opportunities(ws: Workspace, supplier_id: str, *, top: int = 10) -> list[Match]:
    """Open requirements this supplier fits best, scored exactly as `match` scores the pair."""
    with ws.sessions() as session:
        record = session.get(Supplier, supplier_id)
        if record is None:
            raise NotFound(f"no supplier with id {supplier_id!r}")
        supplier = supplier_document(record.to_dict())
    vector = ws.encoder.encode_passages([supplier.embed_text])[0]
    ensure_index(ws)
    query = Query(supplier.lexical_text.split(), supplier.concept_text.split(), vector, {"status": ["open"]})
    k = max(CANDIDATES_PER_RETRIEVER, top * 5)
    candidates = union(ws.backend.hybrid("requirement", query, k))
    documents = ws.backend.fetch("requirement", list(candidates))
    idf = ws.backend.document_frequencies("supplier")
    matches = []
    for requirement_id, doc in documents.items():
        prepared = ws.scorer.prepare(doc.payload, doc.vector, idf, requirement_id=requirement_id)
        match = ws.scorer.score(prepared, supplier.payload, vector, supplier.id)
        if match is not None:
            match.explanation["retrieval"] = _retrieval(candidates[requirement_id])
            match.explanation["requirement_title"] = doc.payload.get("title")
            match.explanation["lead_firm"] = doc.payload.get("lead_firm")
            matches.append(match)
    matches.sort(key=lambda m: (-m.score, m.requirement_id))
    return matches[:top]
