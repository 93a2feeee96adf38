"""Alembic migrations create exactly the schema the models describe, on SQLite and PostgreSQL."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from conftest import POSTGRES, database_url

from models import Base
from models.base import make_engine, migrate


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_migrations_match_the_models(tmp_path, dialect):
    if dialect == "postgresql" and not POSTGRES:
        pytest.skip("no PostgreSQL server: set MATCHMAKER_TEST_POSTGRES_URL (.ci/run does)")
    url = f"sqlite:///{tmp_path / 'm.db'}" if dialect == "sqlite" else database_url(tmp_path)
    engine = make_engine(url)
    assert engine.dialect.name == dialect
    migrate(engine)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []
    migrate(engine)  # idempotent
    if dialect == "sqlite":
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    engine.dispose()
