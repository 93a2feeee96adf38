"""Alembic environment: runs on the connection `models.base.migrate` hands over."""

from alembic import context
from sqlalchemy import create_engine

from models import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:  # `alembic` command line: -x url=...
        url = context.get_x_argument(as_dictionary=True).get("url")
        with create_engine(url).begin() as connection:
            context.configure(connection=connection, target_metadata=target_metadata)
            context.run_migrations()
        return
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    context.run_migrations()


run()
