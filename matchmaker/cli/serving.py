"""`matchmaker serve` and `demo`: the web app and the README's main job.

The one place above `web/`: serving starts the FastAPI app."""

from __future__ import annotations

from pathlib import Path

import typer
from sqlalchemy import select

from matchmaker.cli.accounts import create_demo_accounts
from matchmaker.cli.common import (
    app,
    err,
)
from matchmaker.cli.matching import index_with_progress, match_table
from matchmaker.evaluation import learning
from matchmaker.matching import service as matching
from matchmaker.records import importing
from matchmaker.workspace import Workspace
from models.outcome import Outcome


def serve_app(ws: Workspace, host: str, port: int) -> None:
    import uvicorn

    from web.app import create_app

    matching.warm_up(ws)
    err.print(f"serving on http://{host}:{port}  (API docs at /docs; Ctrl+C to stop)", markup=False)
    uvicorn.run(create_app(ws), host=host, port=port, log_level="warning")


@app.command()
def serve(host: str = typer.Option("127.0.0.1", "--host"), port: int = typer.Option(8000, "--port")) -> None:
    """Serve the web app and the JSON API (the index is brought up to date first)."""
    ws = Workspace.from_env()
    index_with_progress(ws, rebuild=False)
    serve_app(ws, host, port)


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
    index_with_progress(ws, rebuild=False)
    first = next(iter(matching.match_all(ws, top=5)), None)
    if first:
        match_table(f"Sample: suppliers for {first[0]}", first[1], "supplier_id", "supplier_name")
    create_demo_accounts(ws, first[1][0].supplier_id if first and first[1] else None)
    with ws.sessions() as session:
        has_outcomes = session.scalar(select(Outcome.id).limit(1)) is not None
    if simulate and not has_outcomes:  # so the dashboard has something to show
        simulated = learning.simulate(ws, {"concept": 1.0, "dense": 0.5, "province": 0.5})
        err.print(
            f"simulated {simulated} outcome events for the dashboard (recorded by 'simulation')", markup=False
        )
    if serve_:
        serve_app(ws, host, port)
