"""`matchmaker outcome add`, `report`, `gaps` and `ranker …`: what followed, and learning from it."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer
from pydantic import ValidationError
from rich.table import Table

from matchmaker.cli.common import (
    Format,
    app,
    describe_errors,
    err,
    out,
)
from matchmaker.errors import BadInput
from matchmaker.evaluation import learning, outcomes, reports
from matchmaker.evaluation import service as evaluation
from matchmaker.evaluation.gaps import demand_gaps
from matchmaker.workspace import Workspace
from models.outcome import REJECTION_REASONS, STAGES, OutcomeIn

outcome_app = typer.Typer(help="Outcome events (append-only).", no_args_is_help=True)
app.add_typer(outcome_app, name="outcome")
ranker_app = typer.Typer(help="The learned ranker (trained on logged outcomes).", no_args_is_help=True)
app.add_typer(ranker_app, name="ranker")


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
        raise BadInput(describe_errors(exc, "outcome: ")) from exc
    ws = Workspace.from_env()
    with ws.sessions() as session:
        event = outcomes.record_outcome(db_session=session, data=data, recorded_by=recorded_by)
        print(json.dumps(event.to_dict(), ensure_ascii=False))


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
