"""Import supplier and requirement files: validate every row, then write all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from indexer.ingest import RowError, parse_file
from matchmaker.accounts.service import Principal, authorise_firm
from matchmaker.errors import MatchmakerError
from matchmaker.matching.indexing import index_records
from matchmaker.records.certificates import carry_verification
from matchmaker.records.provenance import version_row
from matchmaker.workspace import Workspace
from models.provenance import RecordVersion
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
    unchanged: int = 0
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
    parsed = parse_file(Path(path), SCHEMAS[kind], progress=progress)
    report = ImportReport(str(path), kind, errors=parsed.errors, dry_run=dry_run)
    if parsed.errors:
        return report
    rows = [(row, f"{Path(path).name}:{line}") for line, row in parsed.rows]
    report.created, report.updated, report.unchanged = upsert_records(
        db_session=db_session, kind=kind, rows=rows
    )
    if dry_run:
        db_session.rollback()
    else:
        db_session.commit()
    return report


def upsert_records(
    *, db_session: Session, kind: str, rows: list[tuple[SupplierIn | RequirementIn, str]]
) -> tuple[int, int, int]:
    """Add or update validated rows by id (fields a row leaves out are kept); no commit.

    Returns (created, updated, unchanged). A row that would change nothing writes nothing: no
    new values, no provenance version (re-running an import is quiet). `source` says where each
    row came from (file:line, api, web).
    """
    model = Supplier if kind == "suppliers" else Requirement
    ids = [row.id for row, _ in rows]
    existing: dict[str, Supplier | Requirement] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        existing.update({r.id: r for r in db_session.scalars(select(model).where(model.id.in_(chunk)))})
    firms: dict[str, LeadFirm] = {}
    created = updated = unchanged = 0
    versions = []
    for row, source in rows:
        values = row.record_fields()
        if kind == "requirements":
            values["lead_firm"] = _lead_firm(db_session, firms, row.lead_firm)  # type: ignore[union-attr]
        record = existing.get(values["id"])
        if record is None:
            created += 1
            db_session.add(model(**values, source=source))
        else:
            values["extra"] = {**(record.extra or {}), **values.get("extra", {})}
            if "certifications" in values:  # an officer's verification survives the owner's edit
                values["certifications"] = carry_verification(record.certifications, values["certifications"])
            if all(getattr(record, name) == value for name, value in values.items()):
                unchanged += 1
                continue
            updated += 1
            for name, value in {**values, "source": source}.items():
                setattr(record, name, value)
        versions.append(record_version(kind.removesuffix("s"), row, source))
    db_session.flush()
    if versions:  # provenance: which source set which fields, when (one row per write)
        db_session.execute(insert(RecordVersion), versions)
    return created, updated, unchanged


def record_version(kind: str, row: SupplierIn | RequirementIn, source: str) -> dict:
    """The provenance row for one validated write: the fields it carried and their values."""
    values = row.model_dump(mode="json", include=row.model_fields_set - {"id"})
    values.update({k: v for k, v in (row.model_extra or {}).items() if v not in (None, "")})
    return version_row(kind, row.id, values, source)


def import_sample_data(ws: Workspace) -> list[ImportReport]:
    """Import the bundled sample suppliers and requirements (demo, benchmarks, tests)."""
    sample = resources.files("matchmaker") / "sample_data"
    reports = []
    for kind in ("suppliers", "requirements"):
        with resources.as_file(sample / f"{kind}.jsonl") as path, ws.sessions() as session:
            report = import_file(db_session=session, kind=kind, path=path)
        if not report.ok:
            raise MatchmakerError(f"bundled {kind} failed validation: {report.errors[0]}")
        reports.append(report)
    return reports


def import_sample_survey(ws: Workspace) -> ImportReport:
    """A province survey list as the demo's second source: some of its firms are already on file
    under another id and spelling (officers find and merge them on /records)."""
    sample = resources.files("matchmaker") / "sample_data" / "survey_2025.jsonl"
    with resources.as_file(sample) as path, ws.sessions() as session:
        return import_file(db_session=session, kind="suppliers", path=path)


def save_record(
    ws: Workspace, kind: str, row: SupplierIn | RequirementIn, source: str, who: Principal | None = None
) -> bool:
    """Upsert one validated record (API, web form) and index it at once; True if it was new.

    A buyer (`who`) writes requirements for its own lead firm only, and never takes over an
    existing requirement of another firm."""
    with ws.sessions() as session:
        if kind == "requirements":
            existing = session.get(Requirement, row.id)
            if existing is not None:
                authorise_firm(
                    db_session=session, who=who, lead_firm=existing.lead_firm.name, what="requirements"
                )
            authorise_firm(db_session=session, who=who, lead_firm=row.lead_firm, what="requirements")
        created, _, _ = upsert_records(db_session=session, kind=kind, rows=[(row, source)])
        session.commit()
    index_records(ws, kind.removesuffix("s"), [row.id])
    return bool(created)


def _lead_firm(db_session: Session, firms: dict[str, LeadFirm], name: str) -> LeadFirm:
    if name not in firms:
        firm = db_session.scalar(select(LeadFirm).where(LeadFirm.name == name))
        if firm is None:
            firm = LeadFirm(name=name)
            db_session.add(firm)
        firms[name] = firm
    return firms[name]
