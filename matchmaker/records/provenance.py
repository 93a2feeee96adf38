"""Where each value of a profile came from, and how fresh it is.

Every write (an import row, a form, an API call, a merge or its undo, an officer's check, a
supplier's "still accurate") is a `RecordVersion`. The newest version naming a field is that
field's source; the newest version of any kind is when the profile was last confirmed. A
profile unconfirmed for a year is stale: officers see a list, suppliers a nudge. Freshness is
shown with every match but does not change its score: an old record is not a worse supplier,
and the explanation lets the buyer judge.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select

from matchmaker.errors import NotFound
from matchmaker.workspace import Workspace
from models.base import utcnow
from models.provenance import RecordVersion
from models.supplier import Supplier, SupplierIn

STALE_AFTER_DAYS = 365
PROFILE_FIELDS = [f for f in SupplierIn.model_fields if f != "id"]


def version_row(kind: str, record_id: str, values: dict[str, Any], source: str) -> dict[str, Any]:
    """One provenance row: which fields a write set, their values, its source, now."""
    return {
        "record_kind": kind,
        "record_id": record_id,
        "fields": sorted(values),
        "values": values,
        "source": source,
        "recorded_at": utcnow(),
    }


def add_version(db_session, kind: str, record_id: str, values: dict[str, Any], source: str) -> None:
    """Append one provenance row (no commit)."""
    db_session.execute(insert(RecordVersion), [version_row(kind, record_id, values, source)])


def describe_source(source: str) -> dict[str, str]:
    """A source string as people read it: kind and detail."""
    kind, _, detail = source.partition(":")
    if kind in ("web", "api", "merge", "unmerge", "officer", "confirmed"):
        return {"kind": kind, "detail": detail}
    return {"kind": "file", "detail": source}  # "suppliers.xlsx:12": file and line


def history(ws: Workspace, kind: str, record_id: str) -> list[dict[str, Any]]:
    """Every write to a record, oldest first."""
    with ws.sessions() as session:
        versions = session.scalars(
            select(RecordVersion)
            .where(RecordVersion.record_kind == kind, RecordVersion.record_id == record_id)
            .order_by(RecordVersion.id)
        ).all()
        return [
            {
                "at": _aware(v.recorded_at).isoformat(),
                "source": v.source,
                **describe_source(v.source),
                "fields": v.fields,
                "values": v.values,
            }
            for v in versions
        ]


def field_sources(ws: Workspace, supplier_id: str) -> dict[str, dict[str, str]]:
    """field → where its current value came from and when."""
    out: dict[str, dict[str, str]] = {}
    for version in history(ws, "supplier", supplier_id):
        fields = PROFILE_FIELDS if version["kind"] == "confirmed" else version["fields"]
        for name in fields:
            out[name] = {"source": version["source"], "kind": version["kind"], "at": version["at"]}
    return out


def freshness(ws: Workspace, supplier_id: str, now: datetime | None = None) -> dict[str, Any]:
    """When the profile was last written or confirmed, and whether that is too long ago."""
    now = now or utcnow()
    with ws.sessions() as session:
        supplier = session.get(Supplier, supplier_id)
        if supplier is None:
            raise NotFound(f"no supplier with id {supplier_id!r}")
        latest = session.scalar(
            select(func.max(RecordVersion.recorded_at)).where(
                RecordVersion.record_kind == "supplier", RecordVersion.record_id == supplier_id
            )
        )
    confirmed = _aware(latest or supplier.updated_at)
    age = (now - confirmed).days
    return {"last_confirmed": confirmed.date().isoformat(), "age_days": age, "stale": age > STALE_AFTER_DAYS}


def confirm(ws: Workspace, supplier_id: str, by: str) -> dict[str, Any]:
    """The supplier (or an officer) says the profile is still accurate, as it stands."""
    with ws.sessions() as session:
        supplier = session.get(Supplier, supplier_id)
        if supplier is None:
            raise NotFound(f"no supplier with id {supplier_id!r}")
        add_version(session, "supplier", supplier_id, {}, f"confirmed:{by}")
        session.commit()
    return freshness(ws, supplier_id)


def stale_suppliers(
    ws: Workspace, *, days: int = STALE_AFTER_DAYS, now: datetime | None = None
) -> list[dict]:
    """Profiles nobody has written or confirmed for `days`, oldest first (officers chase these)."""
    now = now or utcnow()
    with ws.sessions() as session:
        latest = dict(
            session.execute(
                select(RecordVersion.record_id, func.max(RecordVersion.recorded_at))
                .where(RecordVersion.record_kind == "supplier")
                .group_by(RecordVersion.record_id)
            ).all()
        )
        rows = session.execute(
            select(Supplier.id, Supplier.name, Supplier.updated_at).where(Supplier.merged_into.is_(None))
        ).all()
    out = []
    for supplier_id, name, updated in rows:
        confirmed = _aware(latest.get(supplier_id) or updated)
        if now - confirmed > timedelta(days=days):
            out.append(
                {
                    "supplier_id": supplier_id,
                    "name": name,
                    "last_confirmed": confirmed.date().isoformat(),
                    "age_days": (now - confirmed).days,
                }
            )
    return sorted(out, key=lambda r: (-r["age_days"], r["supplier_id"]))


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes for timezone-aware columns: they are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
