"""Bring the search index up to date with the database (incremental; `rebuild` starts over)."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import nullcontext
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
    report = IndexReport()
    before = ws.encoder.texts_encoded
    version = database_version(ws)
    with ws.sessions() as session:
        # A supplier merged into another is kept in the database but no longer searched.
        suppliers = [
            s.to_dict() for s in session.scalars(select(Supplier).where(Supplier.merged_into.is_(None)))
        ]
        requirements = [r.to_dict() for r in session.scalars(select(Requirement))]
    # A rebuild fills a fresh index that replaces the old one only once complete.
    with backend.rebuilding() if rebuild else nullcontext():
        for kind, records in (("supplier", suppliers), ("requirement", requirements)):
            report.kinds[kind] = _update_kind(ws, kind, records, progress)
        backend.set_source_version(version)
    ws.index_checked = True
    report.texts_encoded = ws.encoder.texts_encoded - before
    report.seconds = time.perf_counter() - started
    return report


def _update_kind(ws: Workspace, kind: str, records: list[dict], progress: Progress | None) -> KindReport:
    backend = ws.backend
    indexed = backend.indexed_hashes(kind)
    present = {r["id"] for r in records}
    changed = [r for r in records if indexed.get(r["id"]) != record_hash(r)]
    report = KindReport(unchanged=len(records) - len(changed))
    gone = [doc_id for doc_id in indexed if doc_id not in present]
    if gone:
        backend.delete(kind, gone)
        report.removed = len(gone)
    _index_records(ws, kind, changed, progress)
    report.updated = sum(1 for r in changed if r["id"] in indexed)
    report.added = len(changed) - report.updated
    return report


def index_records(ws: Workspace, kind: str, ids: list[str]) -> None:
    """Index these records now (after a write through the API or web), changed or not."""
    model = Supplier if kind == "supplier" else Requirement
    query = select(model).where(model.id.in_(ids))
    if kind == "supplier":
        query = query.where(Supplier.merged_into.is_(None))
    with ws.sessions() as session:
        records = [r.to_dict() for r in session.scalars(query)]
    _index_records(ws, kind, records, None)
    gone = sorted(set(ids) - {r["id"] for r in records})
    if gone:  # merged away (or deleted): out of the index
        ws.backend.delete(kind, gone)


def _index_records(ws: Workspace, kind: str, records: list[dict], progress: Progress | None) -> None:
    """Build, embed and store documents for these records, in batches."""
    build = supplier_document if kind == "supplier" else requirement_document

    def tick(stage: str) -> Callable[[int], None] | None:
        return (lambda n: progress(kind, stage, n, len(records))) if progress else None

    for start in range(0, len(records), 256):
        chunk = records[start : start + 256]
        documents: list[SearchDocument] = [build(record) for record in chunk]
        if progress:
            progress(kind, "documents", len(chunk), len(records))
        texts = [d.embed_text for d in documents]
        if kind == "supplier":
            vectors = ws.encoder.encode_passages(texts, progress=tick("embeddings"))
        else:  # requirements are the query side of every supplier comparison
            vectors = ws.encoder.encode_queries(texts, persist=True, progress=tick("embeddings"))
        ws.backend.upsert(documents, vectors)
