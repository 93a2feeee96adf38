"""What every command group shares: the Typer app, the consoles, output formats and progress."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

app = typer.Typer(
    help="Supplier capability matchmaking for Vietnam's supporting industry.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


class Format(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"


def describe_errors(exc: ValidationError, prefix: str) -> str:
    """Every validation error as "prefix field: message", on one line."""
    return "; ".join(
        f"{prefix}{'.'.join(map(str, e['loc'])) or 'value'}: {e['msg'].removeprefix('Value error, ')}"
        for e in exc.errors(include_url=False)
    )


def progress_bar() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    )


def count_rows(path: Path) -> int:
    if path.suffix.lower() == ".xlsx" or not path.exists():
        return 0
    with path.open("rb") as handle:
        return sum(1 for _ in handle)
