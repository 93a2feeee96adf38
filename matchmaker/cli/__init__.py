"""The `matchmaker` command: a thin layer over the service functions (CONTRACT.md), one module
per command group (records, matching, accounts, evaluation, events, serving)."""

from __future__ import annotations

import importlib
import sys

import click
import typer

from indexer.backends.base import SearchEngineError
from matchmaker.cli.common import app, err
from matchmaker.errors import BadInput, MatchmakerError, NotFound

# Each module registers its commands on `app`, in the order `matchmaker --help` lists them.
for _group in ("records", "matching", "evaluation", "events", "accounts", "serving"):
    importlib.import_module(f"matchmaker.cli.{_group}")


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
