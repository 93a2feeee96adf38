"""Import supplier and requirement files: validate every row, then write all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from indexer.ingest import RowError, parse_file
from models.requirement import LeadFirm, Requirement, RequirementIn
from models.supplier import Supplier, SupplierIn

SCHEMAS = {"suppliers": SupplierIn, "requirements": RequirementIn}


@dataclass
class ImportReport:
    """What an import did (or, with errors or a dry run, would have done)."""

    path: str
    kind: str
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def import_file(
    *,
    db_session: Session,
    kind: str,
    path: Path,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Upsert every row of a file by id, or nothing at all when any row is invalid."""
    schema = SCHEMAS[kind]
    parsed = parse_file(Path(path), schema, progress=progress)
    report = ImportReport(str(path), kind, errors=parsed.errors, dry_run=dry_run)
    if parsed.errors:
        return report
    model = Supplier if kind == "suppliers" else Requirement
    ids = [row.id for _, row in parsed.rows]  # type: ignore[attr-defined]
    existing: dict[str, object] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        existing.update({r.id: r for r in db_session.scalars(select(model).where(model.id.in_(chunk)))})
    firms: dict[str, LeadFirm] = {}
    for line, row in parsed.rows:
        values = row.record_fields()  # type: ignore[attr-defined]
        values["source"] = f"{Path(path).name}:{line}"
        if kind == "requirements":
            values["lead_firm"] = _lead_firm(db_session, firms, row.lead_firm)  # type: ignore[attr-defined]
        record = existing.get(values["id"])
        if record is None:
            report.created += 1
            if not dry_run:
                db_session.add(model(**values))
        else:
            report.updated += 1
            if not dry_run:
                values["extra"] = {**(record.extra or {}), **values.get("extra", {})}
                for name, value in values.items():
                    setattr(record, name, value)
    if dry_run:
        db_session.rollback()
    else:
        db_session.commit()
    return report


def _lead_firm(db_session: Session, firms: dict[str, LeadFirm], name: str) -> LeadFirm:
    if name not in firms:
        firm = db_session.scalar(select(LeadFirm).where(LeadFirm.name == name))
        if firm is None:
            firm = LeadFirm(name=name)
            db_session.add(firm)
        firms[name] = firm
    return firms[name]
