"""`matchmaker import`, `duplicates`, `merge` / `unmerge`, `certificate …`, `supplier …`: the records."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table
from sqlalchemy import select

from matchmaker.cli.common import (
    Format,
    app,
    count_rows,
    err,
    out,
    progress_bar,
)
from matchmaker.records import certificates, importing, merging, provenance
from matchmaker.records import duplicates as dups
from matchmaker.workspace import Workspace
from models.supplier import Supplier

import_app = typer.Typer(
    help="Import suppliers or requirements from JSONL, CSV or XLSX.", no_args_is_help=True
)
app.add_typer(import_app, name="import")
certificate_app = typer.Typer(help="Certificates as facts: verification and expiry.", no_args_is_help=True)
app.add_typer(certificate_app, name="certificate")
record_app = typer.Typer(help="Supplier records: provenance, freshness.", no_args_is_help=True)
app.add_typer(record_app, name="supplier")


def _import(kind: str, path: Path, dry_run: bool) -> None:
    ws = Workspace.from_env()
    with progress_bar() as progress, ws.sessions() as session:
        task = progress.add_task(f"reading {path.name}", total=count_rows(path) or None)
        report = importing.import_file(
            db_session=session,
            kind=kind,
            path=path,
            dry_run=dry_run,
            progress=lambda line: progress.update(task, completed=line),
        )
    if not report.ok:
        for error in report.errors:
            err.print(str(error), markup=False, highlight=False)
        err.print(f"{len(report.errors)} error(s); nothing imported from {path}", markup=False)
        raise typer.Exit(2)
    verb = "would import" if dry_run else "imported"
    err.print(
        f"{verb} {report.created + report.updated + report.unchanged} {kind} from {path} "
        f"({report.created} new, {report.updated} updated, {report.unchanged} unchanged)",
        markup=False,
    )


@import_app.command("suppliers")
def import_suppliers(
    path: Path, dry_run: bool = typer.Option(False, "--dry-run", help="Validate only.")
) -> None:
    """Import (upsert by id) supplier capability profiles.

    Fields (all in docs/fields.md):
    id, name: required.
    description; province; tax_code; employees; year_established.
    ownership: domestic, fdi or joint_venture.
    products, processes, materials, sectors, customers, export_markets: lists (";" in CSV/XLSX).
    certifications: "ISO 9001:2015", or {standard, number, issuer, valid_from, valid_until}.
    Other columns are kept, privately. Any bad row: nothing is imported, exit 2.
    """
    _import("suppliers", path, dry_run)


@import_app.command("requirements")
def import_requirements(
    path: Path, dry_run: bool = typer.Option(False, "--dry-run", help="Validate only.")
) -> None:
    """Import (upsert by id) lead-firm localisation requirements.

    Fields (all in docs/fields.md):
    id, lead_firm, title: required.
    description; sector; annual_volume; status (open, closed).
    required_certifications, preferred_provinces: lists (";" in CSV/XLSX).
    include_foreign_owned: true/false (default false).
    Any bad row: nothing is imported, exit 2.
    """
    _import("requirements", path, dry_run)


@app.command()
def duplicates(
    format: Format = typer.Option(Format.table, "--format", help="table or json"),
    threshold: float = typer.Option(dups.THRESHOLD, "--threshold", min=0.0, max=1.0),
    auto_merge: bool = typer.Option(
        False, "--auto-merge", help="Merge the pairs whose tax codes are equal (others wait for an officer)."
    ),
) -> None:
    """Likely duplicate suppliers (the same enterprise under different ids), best first, with reasons."""
    ws = Workspace.from_env()
    if auto_merge:
        for merged in merging.auto_merge(ws):
            err.print(
                f"merged {merged['merged_id']} into {merged['survivor_id']} (merge {merged['id']})",
                markup=False,
            )
    with progress_bar() as bar:
        task = bar.add_task("comparing candidate pairs", total=None)
        pairs = dups.find_duplicates(
            ws,
            threshold=threshold,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    if format is not Format.table:
        print(json.dumps([p.as_dict() for p in pairs], ensure_ascii=False, indent=2))
        return
    with ws.sessions() as session:
        names = dict(session.execute(select(Supplier.id, Supplier.name)).all())
    table = Table(title=f"{len(pairs)} likely duplicate pairs")
    for column in ("score", "a", "b", "reasons"):
        table.add_column(column)
    for p in pairs:
        table.add_row(
            f"{p.score:.2f}",
            f"{p.a}\n{names.get(p.a, '')}",
            f"{p.b}\n{names.get(p.b, '')}",
            "; ".join(p.reasons),
        )
    out.print(table)


@certificate_app.command("verify")
def certificate_verify(
    supplier_id: str,
    standard: str,
    by: str = typer.Option(..., "--by", help="The officer who checked it."),
    evidence: str = typer.Option(None, "--evidence", help="A link or file reference to the proof."),
) -> None:
    """Mark a supplier's certificate verified (checked against the issuer or a scan)."""
    result = certificates.verify(Workspace.from_env(), supplier_id, standard, by=by, evidence=evidence)
    print(json.dumps(result, ensure_ascii=False))


@certificate_app.command("expiring")
def certificate_expiring(
    within: int = typer.Option(certificates.REMIND_DAYS, "--within", help="Days ahead."),
    format: Format = typer.Option(Format.table, "--format"),
) -> None:
    """Certificates that lapse soon, soonest first: whom to remind."""
    rows = certificates.expiring(Workspace.from_env(), within_days=within)
    if format is not Format.table:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"{len(rows)} certificates lapse within {within} days")
    for column in ("days left", "supplier", "standard", "valid until"):
        table.add_column(column)
    for r in rows:
        table.add_row(
            str(r["days_left"]), f"{r['supplier_id']} {r['supplier_name']}", r["standard"], r["valid_until"]
        )
    out.print(table)


@record_app.command("history")
def supplier_history(supplier_id: str) -> None:
    """Every write to a profile: source (file and line, form, API, merge, officer), time, values."""
    ws = Workspace.from_env()
    body = {
        "supplier_id": supplier_id,
        "freshness": provenance.freshness(ws, supplier_id),
        "versions": provenance.history(ws, "supplier", supplier_id),
    }
    print(json.dumps(body, ensure_ascii=False, indent=2))


@record_app.command("confirm")
def supplier_confirm(supplier_id: str, by: str = typer.Option("cli", "--by")) -> None:
    """Record that a profile is still accurate as it stands."""
    print(json.dumps(provenance.confirm(Workspace.from_env(), supplier_id, by)))


@record_app.command("stale")
def supplier_stale(
    days: int = typer.Option(provenance.STALE_AFTER_DAYS, "--days"),
    format: Format = typer.Option(Format.table, "--format"),
) -> None:
    """Profiles nobody has written or confirmed for a year (or --days), oldest first."""
    rows = provenance.stale_suppliers(Workspace.from_env(), days=days)
    if format is not Format.table:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"{len(rows)} profiles unconfirmed for over {days} days")
    for column in ("age (days)", "supplier", "last confirmed"):
        table.add_column(column)
    for r in rows:
        table.add_row(str(r["age_days"]), f"{r['supplier_id']} {r['name']}", r["last_confirmed"])
    out.print(table)


@app.command()
def merge(
    survivor_id: str,
    merged_id: str,
    by: str = typer.Option("cli", "--by", help="The officer who confirmed it."),
) -> None:
    """Merge a duplicate into the record that stays (all values and history kept; undo with unmerge)."""
    print(json.dumps(merging.merge(Workspace.from_env(), survivor_id, merged_id, by=by), ensure_ascii=False))


@app.command()
def unmerge(merge_id: int, by: str = typer.Option("cli", "--by")) -> None:
    """Undo a merge: both records return exactly as they were."""
    print(json.dumps(merging.undo(Workspace.from_env(), merge_id, by=by), ensure_ascii=False))
