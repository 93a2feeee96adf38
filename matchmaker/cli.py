"""The `matchmaker` command: a thin layer over the service functions (CONTRACT.md)."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path

import click
import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from sqlalchemy import select

from indexer.backends.base import SearchEngineError
from matchmaker import (
    accounts,
    agendas,
    certificates,
    evaluation,
    events,
    importing,
    indexing,
    learning,
    matching,
    outcomes,
    provenance,
    reports,
)
from matchmaker import duplicates as dups
from matchmaker.errors import BadInput, MatchmakerError, NotFound
from matchmaker.gaps import demand_gaps
from matchmaker.impressions import log_impressions
from matchmaker.ranking import Match
from matchmaker.workspace import Workspace
from models.event import NOT_HELD_REASONS, EventIn, MeetingResultIn, TimetableIn
from models.outcome import REJECTION_REASONS, STAGES, Outcome, OutcomeIn
from models.supplier import Supplier

app = typer.Typer(
    help="Supplier capability matchmaking for Vietnam's supporting industry.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
import_app = typer.Typer(
    help="Import suppliers or requirements from JSONL, CSV or XLSX.", no_args_is_help=True
)
app.add_typer(import_app, name="import")
token_app = typer.Typer(help="API bearer tokens.", no_args_is_help=True)
app.add_typer(token_app, name="token")
outcome_app = typer.Typer(help="Outcome events (append-only).", no_args_is_help=True)
app.add_typer(outcome_app, name="outcome")
ranker_app = typer.Typer(help="The learned ranker (trained on logged outcomes).", no_args_is_help=True)
app.add_typer(ranker_app, name="ranker")
event_app = typer.Typer(
    help="B2B events: draft one from open requirements; record what happened after.", no_args_is_help=True
)
app.add_typer(event_app, name="event")
certificate_app = typer.Typer(help="Certificates as facts: verification and expiry.", no_args_is_help=True)
app.add_typer(certificate_app, name="certificate")
record_app = typer.Typer(help="Supplier records: provenance, freshness.", no_args_is_help=True)
app.add_typer(record_app, name="supplier")
account_app = typer.Typer(help="Web accounts.", no_args_is_help=True)
app.add_typer(account_app, name="account")
DEMO_PASSWORD = "demo"
DEMO_BUYER_FIRM = "Honda Vietnam"  # the demo buyer writes Honda's requirements (R01, …) only
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


class Format(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"


def _describe(exc: ValidationError, prefix: str) -> str:
    """Every validation error as "prefix field: message", on one line."""
    return "; ".join(
        f"{prefix}{'.'.join(map(str, e['loc'])) or 'value'}: {e['msg'].removeprefix('Value error, ')}"
        for e in exc.errors(include_url=False)
    )


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    )


def _count_rows(path: Path) -> int:
    if path.suffix.lower() == ".xlsx" or not path.exists():
        return 0
    with path.open("rb") as handle:
        return sum(1 for _ in handle)


def _import(kind: str, path: Path, dry_run: bool) -> None:
    ws = Workspace.from_env()
    with _progress() as progress, ws.sessions() as session:
        task = progress.add_task(f"reading {path.name}", total=_count_rows(path) or None)
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


def _index(ws: Workspace, rebuild: bool) -> None:
    with _progress() as progress:
        tasks: dict[tuple[str, str], int] = {}

        def show(kind: str, stage: str, advance: int, total: int) -> None:
            key = (kind, stage)
            if key not in tasks:
                tasks[key] = progress.add_task(f"{kind}s: {stage}", total=total)
            progress.advance(tasks[key], advance)

        report = indexing.update_index(ws, rebuild=rebuild, progress=show)
    for kind, counts in report.kinds.items():
        err.print(
            f"{kind}s: {counts.added} added, {counts.updated} updated, {counts.removed} removed, "
            f"{counts.unchanged} unchanged",
            markup=False,
        )
    err.print(f"{report.texts_encoded} texts embedded in {report.seconds:.1f}s", markup=False)


@app.command()
def index(
    rebuild: bool = typer.Option(False, "--rebuild", help="Drop the index and rebuild it from the database."),
) -> None:
    """Bring the search index up to date (incremental)."""
    _index(Workspace.from_env(), rebuild)


def _match_table(title: str, matches: list[Match], id_field: str, name_key: str) -> None:
    table = Table(title=title, title_justify="left", show_lines=False)
    for column in ("#", "id", "name", "score", "why"):
        table.add_column(column, overflow="fold")
    for rank, m in enumerate(matches, start=1):
        table.add_row(
            str(rank),
            getattr(m, id_field),
            str(m.explanation.get(name_key) or ""),
            f"{m.score:.3f}",
            m.explanation["summary"],
        )
    out.print(table)


def _matches_json(matches: list[Match], id_field: str) -> list[dict]:
    return [{id_field: getattr(m, id_field), "score": m.score, "explanation": m.explanation} for m in matches]


@app.command()
def match(
    requirement_id: str = typer.Argument(None, help="Requirement id (or use --all)."),
    all_: bool = typer.Option(False, "--all", help="Every requirement."),
    top: int = typer.Option(10, "--top", min=1, max=1000),
    format: Format = typer.Option(Format.table, "--format"),
    log: bool = typer.Option(False, "--log", help="Record the lists shown (for evaluation from logs)."),
) -> None:
    """Rank domestic suppliers for a requirement, with reasons."""
    if bool(requirement_id) == all_:
        raise BadInput("give a requirement id or --all (not both)")
    ws = Workspace.from_env()
    pairs = (
        matching.match_all(ws, top=top)
        if all_
        else [(requirement_id, matching.match_requirement(ws, requirement_id, top=top))]
    )
    for rid, matches in pairs:
        if log:
            with ws.sessions() as session:
                log_impressions(
                    db_session=session, requirement_id=rid, matches=matches, channel="cli", viewer_role=None
                )
        if format is Format.table:
            _match_table(f"Suppliers for {rid}", matches, "supplier_id", "supplier_name")
        else:
            line = {"requirement_id": rid, "matches": _matches_json(matches, "supplier_id")}
            print(
                json.dumps(line, ensure_ascii=False, indent=None if format is Format.jsonl else 2), flush=True
            )


@app.command()
def opportunities(
    supplier_id: str,
    top: int = typer.Option(10, "--top", min=1, max=1000),
    format: Format = typer.Option(Format.table, "--format"),
) -> None:
    """Open requirements a supplier fits best, with what it has and lacks for each."""
    ws = Workspace.from_env()
    matches = matching.opportunities(ws, supplier_id, top=top)
    if format is Format.table:
        _match_table(f"Opportunities for {supplier_id}", matches, "requirement_id", "requirement_title")
        return
    body = {"supplier_id": supplier_id, "opportunities": _matches_json(matches, "requirement_id")}
    print(json.dumps(body, ensure_ascii=False, indent=None if format is Format.jsonl else 2))


@token_app.command("create")
def token_create(
    role: str = typer.Option(..., "--role", help="supplier, buyer, organiser, officer or admin"),
    name: str = typer.Option(None, "--name", help="Who holds it (shown on the events it records)."),
    supplier_id: str = typer.Option(None, "--supplier-id", help="For a supplier token: its own profile."),
    lead_firm: str = typer.Option(
        None, "--lead-firm", help="For a buyer token: the one lead firm it acts for (else its first write's)."
    ),
    expires_days: int = typer.Option(
        accounts.DEFAULT_TOKEN_DAYS, "--expires-days", help="Valid this many days."
    ),
) -> None:
    """Create a bearer token for the API and print it (it is shown only once)."""
    ws = Workspace.from_env()
    with ws.sessions() as session:
        token = accounts.create_token(
            db_session=session,
            role=role,
            name=name,
            supplier_id=supplier_id,
            lead_firm=lead_firm,
            expires_days=expires_days,
        )
    print(token)


@token_app.command("list")
def token_list() -> None:
    """Every token: prefix, role, firm or supplier, created, expires, revoked."""
    ws = Workspace.from_env()
    with ws.sessions() as session:
        found = accounts.list_tokens(db_session=session)
    table = Table("prefix", "name", "role", "for", "created", "expires", "revoked")
    for t in found:
        table.add_row(
            t.prefix,
            t.name,
            t.role,
            t.lead_firm or t.supplier_id or "",
            f"{t.created_at:%Y-%m-%d}",
            f"{t.expires_at:%Y-%m-%d}" if t.expires_at else "",
            f"{t.revoked_at:%Y-%m-%d}" if t.revoked_at else "",
        )
    out.print(table)


@token_app.command("revoke")
def token_revoke(
    prefix: str = typer.Argument(..., help="The token's first 10 characters (`token list`)."),
) -> None:
    """Revoke a token: it stops working at once."""
    ws = Workspace.from_env()
    with ws.sessions() as session:
        revoked = accounts.revoke_token(db_session=session, prefix=prefix)
    print(f"revoked {revoked.prefix}… ({revoked.name})")


@account_app.command("create")
def account_create(
    email: str = typer.Option(..., "--email"),
    role: str = typer.Option(..., "--role", help="supplier, buyer, organiser, officer or admin"),
    password: str = typer.Option(..., "--password", prompt=True, hide_input=True),
    name: str = typer.Option(None, "--name"),
    supplier_id: str = typer.Option(None, "--supplier-id", help="For a supplier account: its own profile."),
    lead_firm: str = typer.Option(None, "--lead-firm", help="For a buyer account: its lead firm."),
) -> None:
    """Create (or reset) a web account."""
    ws = Workspace.from_env()
    with ws.sessions() as session:
        accounts.create_account(
            db_session=session,
            email=email,
            name=name or email,
            role=role,
            password=password,
            supplier_id=supplier_id,
            lead_firm=lead_firm,
        )
    err.print(f"account {email} ({role}) ready", markup=False)


def _demo_accounts(ws: Workspace, supplier_id: str | None) -> None:
    """One account per role, all with the password `demo`, printed for whoever runs the demo."""
    table = Table(title="Demo accounts (password: demo)", title_justify="left")
    for column in ("email", "role", "note"):
        table.add_column(column)
    with ws.sessions() as session:
        for role in ("buyer", "supplier", "organiser", "officer", "admin"):
            email = f"{role}@demo.vn"
            own = supplier_id if role == "supplier" else None
            firm = DEMO_BUYER_FIRM if role == "buyer" else None
            accounts.create_account(
                db_session=session,
                email=email,
                name=f"Demo {role}",
                role=role,
                password=DEMO_PASSWORD,
                supplier_id=own,
                lead_firm=firm,
            )
            note = f"edits supplier {own}" if own else f"buys for {firm}" if firm else ""
            table.add_row(email, role, note)
    err.print(table)


@ranker_app.command("train")
def ranker_train() -> None:
    """Compare a learned ranker with the hand-set one on held-out logs; adopt it only if it wins."""
    report = learning.train(Workspace.from_env())
    print(json.dumps(report, ensure_ascii=False, indent=2))


@ranker_app.command("simulate")
def ranker_simulate(
    hidden: str = typer.Option(
        "concept=1,province=2", "--hidden", help="Hidden utility weights, e.g. concept=1,dense=0.5"
    ),
    seed: int = typer.Option(7, "--seed"),
) -> None:
    """Log lists and outcomes drawn from a hidden utility (a sandbox for the learner; not for real data)."""
    try:
        weights = {k.strip(): float(v) for k, v in (part.split("=") for part in hidden.split(","))}
    except ValueError as exc:
        raise BadInput(f"--hidden: write name=weight pairs separated by commas ({exc})") from exc
    unknown = set(weights) - set(learning.FEATURES)
    if unknown:
        raise BadInput(f"--hidden: unknown features {sorted(unknown)}; use {', '.join(learning.FEATURES)}")
    recorded = learning.simulate(Workspace.from_env(), weights, seed=seed)
    err.print(f"recorded {recorded} simulated outcome events", markup=False)


@event_app.command("draft")
def event_draft(
    event_id: str = typer.Option(..., "--id", help="The new event's id."),
    name: str = typer.Option("", "--name"),
    days: list[str] = typer.Option(..., "--day", help="A day of the event, YYYY-MM-DD (repeat for more)."),
    start: str = typer.Option("09:00", "--start", help="Meetings start, HH:MM."),
    end: str = typer.Option("17:00", "--end", help="Meetings end, HH:MM."),
    slot_minutes: int = typer.Option(20, "--slot-minutes"),
    breaks: list[str] = typer.Option([], "--break", help="A break, HH:MM-HH:MM (repeat for more)."),
    tables: int = typer.Option(10, "--tables"),
    per_requirement: int = typer.Option(8, "--per-requirement", help="Suppliers invited per requirement."),
    requirement_ids: list[str] = typer.Option([], "--requirement", help="Only these (default: all open)."),
    out_path: Path = typer.Option(None, "--out", help="Write the event file here."),
) -> None:
    """Draft an event file from the database: lead firms with open requirements as buyers, their
    best-matching suppliers invited. Edit it if you like, then `matchmaker schedule` it."""
    try:
        timetable = TimetableIn(
            days=days,
            start=start,
            end=end,
            slot_minutes=slot_minutes,
            breaks=[dict(zip(("start", "end"), b.split("-", 1), strict=True)) for b in breaks],
        )
    except (ValidationError, ValueError) as exc:
        raise BadInput(
            _describe(exc, "") if isinstance(exc, ValidationError) else f"--break: use HH:MM-HH:MM ({exc})"
        ) from exc
    event = events.draft_event(
        Workspace.from_env(),
        event_id=event_id,
        name=name,
        timetable=timetable,
        tables=tables,
        suppliers_per_requirement=per_requirement,
        requirement_ids=requirement_ids or None,
    )
    text = event.model_dump_json(indent=2, exclude_defaults=True)
    if out_path:
        out_path.write_text(text, encoding="utf-8")
        err.print(
            f"wrote {out_path}: {len(event.buyers)} buyers, {len(event.suppliers)} suppliers, "
            f"{len(event.slots)} slots",
            markup=False,
        )
    else:
        print(text)


@event_app.command("held")
def event_held(
    event_id: str,
    buyer_id: str,
    supplier_id: str,
    recorded_by: str = typer.Option("cli", "--by", help="Who records it."),
) -> None:
    """Record that a scheduled meeting took place (a `meeting` outcome for the best-fitting requirement)."""
    _, outcome = events.record_meeting(
        Workspace.from_env(), event_id, buyer_id, supplier_id, held=True, recorded_by=recorded_by
    )
    print(json.dumps(outcome.to_dict(), ensure_ascii=False))


@event_app.command("not-held")
def event_not_held(
    event_id: str,
    buyer_id: str,
    supplier_id: str,
    reason: str = typer.Option(..., "--reason", help=", ".join(NOT_HELD_REASONS)),
    recorded_by: str = typer.Option("cli", "--by", help="Who records it."),
) -> None:
    """Record that a scheduled meeting did not take place, and why."""
    if reason not in NOT_HELD_REASONS:
        raise BadInput(f"--reason: one of {', '.join(NOT_HELD_REASONS)}")
    record, _ = events.record_meeting(
        Workspace.from_env(),
        event_id,
        buyer_id,
        supplier_id,
        held=False,
        reason=reason,
        recorded_by=recorded_by,
    )
    print(json.dumps({"event_id": event_id, "result": record.result, "reason": record.reason}))


@event_app.command("follow-up")
def event_follow_up(
    event_id: str,
    buyer_id: str,
    supplier_id: str,
    stage: str = typer.Argument(..., help="rfq, sample_approved, audit_passed, contract or rejected"),
    value_vnd: int = typer.Option(None, "--value-vnd"),
    reason: str = typer.Option(None, "--reason", help=", ".join(REJECTION_REASONS) + " (stage rejected)"),
    note: str = typer.Option(None, "--note"),
    recorded_by: str = typer.Option("cli", "--by"),
) -> None:
    """A later stage for a pair that met at the event, recorded against the requirement they met on."""
    try:
        data = MeetingResultIn(
            buyer_id=buyer_id,
            supplier_id=supplier_id,
            result=stage,
            reason=reason,
            note=note,
            value_vnd=value_vnd,
        )
    except ValidationError as exc:
        raise BadInput(_describe(exc, "")) from exc
    if data.result in ("held", "not_held"):
        raise BadInput("use `matchmaker event held` or `event not-held` for attendance")
    follow = data.model_dump(include={"reason", "note", "value_vnd"}, exclude_none=True)
    outcome = events.follow_up(
        Workspace.from_env(), event_id, buyer_id, supplier_id, {"stage": data.result, **follow}, recorded_by
    )
    print(json.dumps(outcome.to_dict(), ensure_ascii=False))


@event_app.command("results")
def event_results(event_id: str) -> None:
    """How the event went: attendance, no-show reasons, and how far the pairs that met have got."""
    print(json.dumps(events.results(Workspace.from_env(), event_id), ensure_ascii=False, indent=2))


@outcome_app.command("add")
def outcome_add(
    requirement_id: str,
    supplier_id: str,
    stage: str = typer.Argument(..., help=", ".join(STAGES)),
    value_vnd: int = typer.Option(None, "--value-vnd", help="Contract value in VND (stage contract)."),
    reason: str = typer.Option(None, "--reason", help=", ".join(REJECTION_REASONS) + " (stage rejected)"),
    note: str = typer.Option(None, "--note"),
    event_date: str = typer.Option(None, "--date", help="When it happened (YYYY-MM-DD; may be back-dated)."),
    supersedes: int = typer.Option(None, "--supersedes", help="Id of the event this one corrects."),
    recorded_by: str = typer.Option("cli", "--by", help="Who records it."),
) -> None:
    """Append an outcome event for a (requirement, supplier) pair."""
    try:
        data = OutcomeIn(
            requirement_id=requirement_id,
            supplier_id=supplier_id,
            stage=stage,
            value_vnd=value_vnd,
            reason=reason,
            note=note,
            event_date=event_date,
            supersedes_id=supersedes,
        )
    except ValidationError as exc:
        raise BadInput(_describe(exc, "outcome: ")) from exc
    ws = Workspace.from_env()
    with ws.sessions() as session:
        event = outcomes.record_outcome(db_session=session, data=data, recorded_by=recorded_by)
        print(json.dumps(event.to_dict(), ensure_ascii=False))


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
        for merged in dups.auto_merge(ws):
            err.print(
                f"merged {merged['merged_id']} into {merged['survivor_id']} (merge {merged['id']})",
                markup=False,
            )
    with _progress() as bar:
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
    print(json.dumps(dups.merge(Workspace.from_env(), survivor_id, merged_id, by=by), ensure_ascii=False))


@app.command()
def unmerge(merge_id: int, by: str = typer.Option("cli", "--by")) -> None:
    """Undo a merge: both records return exactly as they were."""
    print(json.dumps(dups.undo(Workspace.from_env(), merge_id, by=by), ensure_ascii=False))


class ReportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    html = "html"
    json = "json"


@app.command()
def report(
    year: int = typer.Option(None, "--year", help="Calendar year (events by their own date)."),
    quarter: int = typer.Option(None, "--quarter", min=1, max=4),
    province: str = typer.Option(None, "--province", help="Only suppliers of this province (old names too)."),
    format: ReportFormat = typer.Option(ReportFormat.json, "--format"),
    out: Path = typer.Option(None, "--out", help="Write here instead of standard output."),
) -> None:
    """The programme report: funnel, contracted suppliers, value, by sector and province."""
    if quarter and not year:
        raise BadInput("--quarter needs --year")
    ws = Workspace.from_env()
    with ws.sessions() as session:
        figures = evaluation.summary(
            db_session=session, period=evaluation.Period(year, quarter), province=province
        )
    if format is ReportFormat.xlsx:
        target = out or Path(f"report-{figures['period']}.xlsx")
        reports.to_xlsx(figures, target)
        err.print(f"wrote {target}", markup=False)
        return
    text = {"csv": reports.to_csv, "html": reports.to_html, "json": reports.to_json}[format.value](figures)
    if out:
        out.write_text(text, encoding="utf-8")
        err.print(f"wrote {out}", markup=False)
    else:
        print(text)


@app.command()
def gaps(format: Format = typer.Option(Format.table, "--format")) -> None:
    """Demand gaps: unmet requirements, missing certificates and capabilities, near-miss suppliers."""
    ws = Workspace.from_env()
    found = demand_gaps(ws)
    if format is not Format.table:
        print(json.dumps(found, ensure_ascii=False, indent=None if format is Format.jsonl else 2))
        return
    table = Table(
        title=f"Unmet requirements ({len(found['unmet_requirements'])} of {found['open_requirements']})",
        title_justify="left",
    )
    for column in ("id", "lead firm", "title", "capable but uncertified"):
        table.add_column(column, overflow="fold")
    for r in found["unmet_requirements"]:
        table.add_row(r["requirement_id"], r["lead_firm"], r["title"], str(r["capable_but_uncertified"]))
    out.print(table)
    near = Table(title="Near-miss suppliers (capable, missing a required certificate)", title_justify="left")
    for column in ("province", "supplier", "requirement", "missing"):
        near.add_column(column, overflow="fold")
    for province, rows in found["near_miss_suppliers_by_province"].items():
        for r in rows:
            near.add_row(
                province, f"{r['name']} ({r['supplier_id']})", r["requirement_id"], ", ".join(r["missing"])
            )
    out.print(near)


class ScheduleFormat(StrEnum):
    json = "json"
    csv = "csv"
    ics = "ics"
    html = "html"
    agenda = "agenda"
    pdf = "pdf"


@app.command()
def schedule(
    event_file: Path,
    format: ScheduleFormat = typer.Option(ScheduleFormat.json, "--format"),
    out: Path = typer.Option(None, "--out", help="Write here instead of standard output."),
) -> None:
    """Build an optimal B2B meeting schedule for a trade-fair event file.

    With --format ics, agenda (HTML) or pdf and --out DIRECTORY, writes one file per participant."""
    try:
        event = EventIn.model_validate_json(event_file.read_bytes())
    except FileNotFoundError as exc:
        raise BadInput(f"{event_file}: no such file") from exc
    except ValidationError as exc:
        raise BadInput(_describe(exc, f"{event_file}: ")) from exc
    ws = Workspace.from_env()
    events.save_event(ws, event, created_by="cli")  # kept, so the meetings held can be recorded later
    plan = events.schedule_stored_event(ws, event.id, created_by="cli")
    people = events.directory(ws, event)
    per_person = format in (ScheduleFormat.ics, ScheduleFormat.agenda, ScheduleFormat.pdf)
    if per_person and out and (out.is_dir() or not out.suffix):
        out.mkdir(parents=True, exist_ok=True)
        everyone = events.participants(event)
        with _progress() as progress:
            for person in progress.track(everyone, description=f"{format.value} files"):
                if format is ScheduleFormat.pdf:
                    (out / f"{person}.pdf").write_bytes(agendas.to_agenda_pdf(event, plan, person, people))
                elif format is ScheduleFormat.ics:
                    (out / f"{person}.ics").write_text(
                        agendas.to_ics(event, plan, person, people), encoding="utf-8"
                    )
                else:
                    (out / f"{person}.html").write_text(
                        agendas.to_agenda_html(event, plan, person, people), encoding="utf-8"
                    )
        err.print(f"wrote one {format.value} file per participant to {out}/ ({plan['method']})", markup=False)
        return
    if format in (ScheduleFormat.agenda, ScheduleFormat.pdf):
        raise BadInput(f"--format {format.value} writes one file per participant: give --out DIRECTORY")
    if format is ScheduleFormat.json:
        text = json.dumps(plan, ensure_ascii=False, indent=2)
    else:
        render = {"csv": agendas.to_csv, "ics": agendas.to_ics, "html": agendas.to_html}[format.value]
        text = render(event, plan, people=people)
    if out:
        out.write_text(text, encoding="utf-8")
        err.print(f"wrote {out} ({len(plan['meetings'])} meetings, {plan['method']})", markup=False)
    else:
        print(text)


def _serve(ws: Workspace, host: str, port: int) -> None:
    import uvicorn

    from web.app import create_app

    err.print(f"serving on http://{host}:{port}  (API docs at /docs; Ctrl+C to stop)", markup=False)
    uvicorn.run(create_app(ws), host=host, port=port, log_level="warning")


@app.command()
def serve(host: str = typer.Option("127.0.0.1", "--host"), port: int = typer.Option(8000, "--port")) -> None:
    """Serve the web app and the JSON API (the index is brought up to date first)."""
    ws = Workspace.from_env()
    _index(ws, rebuild=False)
    _serve(ws, host, port)


@app.command()
def demo(
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(8000, "--port"),
    serve_: bool = typer.Option(True, "--serve/--no-serve", help="Serve the web app afterwards."),
    simulate: bool = typer.Option(
        True, "--simulate-outcomes/--no-simulate-outcomes", help="Fill an empty demo with simulated outcomes."
    ),
) -> None:
    """Import the bundled sample data, index it, show a sample match, then serve the web app."""
    ws = Workspace.from_env()
    for report in [*importing.import_sample_data(ws), importing.import_sample_survey(ws)]:
        err.print(
            f"{Path(report.path).name}: {report.created} new, {report.updated} updated, "
            f"{report.unchanged} unchanged",
            markup=False,
        )
    _index(ws, rebuild=False)
    first = next(iter(matching.match_all(ws, top=5)), None)
    if first:
        _match_table(f"Sample: suppliers for {first[0]}", first[1], "supplier_id", "supplier_name")
    _demo_accounts(ws, first[1][0].supplier_id if first and first[1] else None)
    with ws.sessions() as session:
        has_outcomes = session.scalar(select(Outcome.id).limit(1)) is not None
    if simulate and not has_outcomes:  # so the dashboard has something to show
        simulated = learning.simulate(ws, {"concept": 1.0, "dense": 0.5, "province": 0.5})
        err.print(
            f"simulated {simulated} outcome events for the dashboard (recorded by 'simulation')", markup=False
        )
    if serve_:
        _serve(ws, host, port)


def main() -> None:
    """Console entry point: user errors become one line and an exit code, never a traceback."""
    try:
        code = app(standalone_mode=False)
    except click.ClickException as exc:  # usage errors: bad option, missing argument
        exc.show()
        sys.exit(exc.exit_code)
    except (NotFound, BadInput) as exc:
        err.print(f"error: {exc}", markup=False)
        sys.exit(2)
    except (MatchmakerError, SearchEngineError) as exc:
        err.print(f"error: {exc}", markup=False)
        sys.exit(1)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        sys.exit(130)
    except Exception as exc:  # the contract: one clear line, exit 1
        err.print(f"error: {type(exc).__name__}: {exc}", markup=False)
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
