"""Merging duplicate suppliers: an officer's decision (or automatic when the tax codes are equal).
The kept record gains every list value and fills its empty fields from the other; both as they
were are stored with the merge, and `undo` restores them exactly."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, select

from matchmaker.errors import BadInput, NotFound
from matchmaker.matching.indexing import index_records
from matchmaker.records.duplicates import find_duplicates, tax_code_id
from matchmaker.records.provenance import add_version
from matchmaker.workspace import Workspace
from models.base import utcnow
from models.provenance import SupplierMerge
from models.supplier import Supplier

# List fields are unioned on a merge; scalar fields fill the kept record's gaps.
LIST_FIELDS = tuple(
    c.key for c in Supplier.__table__.columns if isinstance(c.type, JSON) and c.key != "extra"
)
SCALAR_FIELDS = tuple(
    c.key
    for c in Supplier.__table__.columns
    if c.key not in {*LIST_FIELDS, "id", "name", "extra", "source", "merged_into", "created_at", "updated_at"}
)


def _snapshot(record: Supplier) -> dict[str, Any]:
    columns = [c.key for c in Supplier.__table__.columns if c.key not in ("created_at", "updated_at")]
    return {c: getattr(record, c) for c in columns}


def merge(
    ws: Workspace, survivor_id: str, merged_id: str, *, by: str, reasons: list[str] | None = None
) -> dict:
    """Fold `merged_id` into `survivor_id`: the survivor gains every list value and fills its
    empty fields from the other; the other stays in the database, marked merged (out of search).
    Both records as they were are kept on the merge, so `undo` restores them exactly."""
    if survivor_id == merged_id:
        raise BadInput("a supplier cannot be merged into itself")
    with ws.sessions() as session:
        survivor, other = session.get(Supplier, survivor_id), session.get(Supplier, merged_id)
        for sid, record in ((survivor_id, survivor), (merged_id, other)):
            if record is None:
                raise NotFound(f"no supplier with id {sid!r}")
            if record.merged_into:
                raise BadInput(f"{sid} was already merged into {record.merged_into}")
        before, merged_record = _snapshot(survivor), _snapshot(other)
        changed: dict[str, Any] = {}
        for name in LIST_FIELDS:
            mine = list(getattr(survivor, name) or [])
            extra = [v for v in getattr(other, name) or [] if v not in mine]
            if extra:
                changed[name] = mine + extra
        for name in SCALAR_FIELDS:
            if getattr(survivor, name) in (None, "") and getattr(other, name) not in (None, ""):
                changed[name] = getattr(other, name)
        extras = {k: v for k, v in (other.extra or {}).items() if k not in (survivor.extra or {})}
        if extras:
            changed["extra"] = {**(survivor.extra or {}), **extras}
        for name, value in changed.items():
            setattr(survivor, name, value)
        other.merged_into = survivor_id
        record = SupplierMerge(
            survivor_id=survivor_id,
            merged_id=merged_id,
            survivor_before=_jsonable(before),
            merged_record=_jsonable(merged_record),
            reasons=reasons or [],
            merged_by=by,
        )
        session.add(record)
        session.flush()
        _version(session, survivor_id, changed, f"merge:{record.id}")
        _version(session, merged_id, {"merged_into": survivor_id}, f"merge:{record.id}")
        session.commit()
        result = _merge_dict(record)
    index_records(ws, "supplier", [survivor_id, merged_id])
    return result


def undo(ws: Workspace, merge_id: int, *, by: str) -> dict:
    """Restore both records to exactly how they were before the merge."""
    with ws.sessions() as session:
        record = session.get(SupplierMerge, merge_id)
        if record is None:
            raise NotFound(f"no merge {merge_id}")
        if record.undone_at:
            raise BadInput(f"merge {merge_id} was already undone on {record.undone_at:%Y-%m-%d}")
        for sid, snapshot in (
            (record.survivor_id, record.survivor_before),
            (record.merged_id, record.merged_record),
        ):
            supplier = session.get(Supplier, sid)
            restored = {k: v for k, v in _from_json(snapshot).items() if k != "id"}
            current = _jsonable(_snapshot(supplier))
            changed = {k: v for k, v in _jsonable(restored).items() if current.get(k) != v}
            _version(session, sid, changed, f"unmerge:{merge_id}")
            for name, value in restored.items():
                setattr(supplier, name, value)
        record.undone_by, record.undone_at = by, utcnow()
        session.commit()
        result = _merge_dict(record)
    index_records(ws, "supplier", [result["survivor_id"], result["merged_id"]])
    return result


def auto_merge(ws: Workspace, *, by: str = "auto: same tax code") -> list[dict]:
    """Merge every pair whose tax codes are equal (a legal identity, not a guess). The survivor
    is the record whose id is the tax code, else the older one."""
    merged = []
    for pair in find_duplicates(ws):
        if not pair.same_tax_code:
            continue
        with ws.sessions() as session:
            a, b = session.get(Supplier, pair.a), session.get(Supplier, pair.b)
            if a.merged_into or b.merged_into:
                continue
            survivor, other = sorted(
                (a, b), key=lambda s: (tax_code_id(s.id) is None, s.created_at or utcnow(), s.id)
            )
        merged.append(merge(ws, survivor.id, other.id, by=by, reasons=pair.reasons))
    return merged


def merges(ws: Workspace) -> list[dict]:
    with ws.sessions() as session:
        return [
            _merge_dict(m) for m in session.scalars(select(SupplierMerge).order_by(SupplierMerge.id.desc()))
        ]


def _version(session, supplier_id: str, values: dict[str, Any], source: str) -> None:
    add_version(session, "supplier", supplier_id, _jsonable(values), source)


def _merge_dict(m: SupplierMerge) -> dict[str, Any]:
    return {
        "id": m.id,
        "survivor_id": m.survivor_id,
        "merged_id": m.merged_id,
        "reasons": m.reasons,
        "merged_by": m.merged_by,
        "merged_at": m.merged_at.isoformat() if m.merged_at else None,
        "undone_by": m.undone_by,
        "undone_at": m.undone_at.isoformat() if m.undone_at else None,
    }


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in values.items()}


def _from_json(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k in {c.key for c in Supplier.__table__.columns}}
