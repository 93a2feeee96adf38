"""Bring the search index up to date with the database (incremental; `rebuild` starts over)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select

from indexer.documents import (
    SearchDocument,
    document_schema,
    record_hash,
    requirement_document,
    supplier_document,
)
from matchmaker.workspace import Workspace
from models.requirement import Requirement
from models.supplier import Supplier

# progress(kind, stage, advance, total): stage is "documents" or "embeddings".
Progress = Callable[[str, str, int, int], None]


@dataclass
class KindReport:
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0


@dataclass
class IndexReport:
    """What one indexing run changed, and how much encoding it took."""

    kinds: dict[str, KindReport] = field(default_factory=dict)
    texts_encoded: int = 0
    seconds: float = 0.0


def database_version(ws: Workspace) -> str:
    """A cheap fingerprint of the records: changes whenever one is added, edited or deleted
    (and whenever the vocabulary or document layout changes)."""
    parts: list = [document_schema()]
    with ws.sessions() as session:
        for model in (Supplier, Requirement):
            count, newest = session.execute(select(func.count(), func.max(model.updated_at))).one()
            parts += [count, str(newest)]
    return "|".join(map(str, parts))


def index_is_current(ws: Workspace) -> bool:
    return ws.backend.source_version() == database_version(ws)


def update_index(ws: Workspace, *, rebuild: bool = False, progress: Progress | None = None) -> IndexReport:
    """Index new and changed suppliers and requirements, drop deleted ones."""
    started = time.perf_counter()
    backend = ws.backend
    if rebuild:
        backend.clear()
    report = IndexReport()
    before = ws.encoder.texts_encoded
    version = database_version(ws)
    with ws.sessions() as session:
        suppliers = [s.to_dict() for s in session.scalars(select(Supplier))]
        requirements = [r.to_dict() for r in session.scalars(select(Requirement))]
    for kind, records, build in (
        ("supplier", suppliers, supplier_document),
        ("requirement", requirements, requirement_document),
    ):
        report.kinds[kind] = _update_kind(ws, kind, records, build, progress)
    backend.set_source_version(version)
    ws.index_checked = True
    report.texts_encoded = ws.encoder.texts_encoded - before
    report.seconds = time.perf_counter() - started
    return report


def _update_kind(
    ws: Workspace, kind: str, records: list[dict], build, progress: Progress | None
) -> KindReport:
    backend = ws.backend
    indexed = backend.indexed_hashes(kind)
    present = {r["id"] for r in records}
    changed = [r for r in records if indexed.get(r["id"]) != record_hash(r)]
    report = KindReport(unchanged=len(records) - len(changed))
    gone = [doc_id for doc_id in indexed if doc_id not in present]
    if gone:
        backend.delete(kind, gone)
        report.removed = len(gone)

    def tick(stage: str, total: int) -> Callable[[int], None]:
        return lambda n: progress(kind, stage, n, total) if progress else None

    batch = 256
    for start in range(0, len(changed), batch):
        chunk = changed[start : start + batch]
        documents: list[SearchDocument] = [build(record) for record in chunk]
        if progress:
            progress(kind, "documents", len(chunk), len(changed))
        texts = [d.embed_text for d in documents]
        if kind == "supplier":
            vectors = ws.encoder.encode_passages(texts, progress=tick("embeddings", len(changed)))
        else:  # requirements are the query side of every supplier comparison
            vectors = ws.encoder.encode_queries(
                texts, persist=True, progress=tick("embeddings", len(changed))
            )
        backend.upsert(documents, vectors)
        for doc in documents:
            if doc.id in indexed:
                report.updated += 1
            else:
                report.added += 1
    return report
