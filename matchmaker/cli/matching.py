"""`matchmaker index`, `match` and `opportunities`: the search index and the ranked lists."""

from __future__ import annotations

import json

import typer
from rich.table import Table

from matchmaker.cli.common import (
    Format,
    app,
    err,
    out,
    progress_bar,
)
from matchmaker.errors import BadInput
from matchmaker.evaluation.impressions import log_impressions
from matchmaker.matching import indexing
from matchmaker.matching import service as matching
from matchmaker.matching.ranking import Match
from matchmaker.workspace import Workspace


def index_with_progress(ws: Workspace, rebuild: bool) -> None:
    with progress_bar() as progress:
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
    index_with_progress(Workspace.from_env(), rebuild)


def match_table(title: str, matches: list[Match], id_field: str, name_key: str) -> None:
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


def matches_json(matches: list[Match], id_field: str) -> list[dict]:
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
            match_table(f"Suppliers for {rid}", matches, "supplier_id", "supplier_name")
        else:
            line = {"requirement_id": rid, "matches": matches_json(matches, "supplier_id")}
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
        match_table(f"Opportunities for {supplier_id}", matches, "requirement_id", "requirement_title")
        return
    body = {"supplier_id": supplier_id, "opportunities": matches_json(matches, "requirement_id")}
    print(json.dumps(body, ensure_ascii=False, indent=None if format is Format.jsonl else 2))
