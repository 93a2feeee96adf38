"""Where every value of a record came from: one append-only row per write (import row, form,
API call, merge, undo, confirmation), naming the fields it set, their values, source and time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, append_only, utcnow


class RecordVersion(Base):
    """One write to a supplier or requirement. The newest version naming a field is where that
    field's current value came from; together they are the record's whole history."""

    __tablename__ = "record_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_kind: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[str] = mapped_column(String(64), index=True)
    fields: Mapped[list]
    values: Mapped[dict]
    # "suppliers.xlsx:12" (file and line), "web:NAME", "api:NAME", "merge:ID", "unmerge:ID", "confirmed:NAME"
    source: Mapped[str] = mapped_column(String(500))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class SupplierMerge(Base):
    """An officer's (or a matching tax code's) merge of one supplier record into another, with
    both records as they were, so it can be undone exactly."""

    __tablename__ = "supplier_merges"

    id: Mapped[int] = mapped_column(primary_key=True)
    survivor_id: Mapped[str] = mapped_column(String(64), index=True)
    merged_id: Mapped[str] = mapped_column(String(64), index=True)
    survivor_before: Mapped[dict]
    merged_record: Mapped[dict]
    reasons: Mapped[list]
    merged_by: Mapped[str] = mapped_column(String(200))
    merged_at: Mapped[datetime] = mapped_column(default=utcnow)
    undone_by: Mapped[str | None] = mapped_column(String(200))
    undone_at: Mapped[datetime | None]


append_only(RecordVersion, "it is history")
