"""Buyer accounts and tokens belong to a lead firm; token expiry; server-side logout; the
database itself refuses UPDATE and DELETE on append-only tables.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# History that is added to, never rewritten (models.base.append_only says the same to the ORM;
# these triggers also stop bulk updates, raw SQL and other programs).
APPEND_ONLY = ("outcomes", "record_versions", "event_meeting_records")


def upgrade() -> None:
    op.add_column("accounts", sa.Column("lead_firm", sa.String(length=300), nullable=True))
    op.add_column("accounts", sa.Column("session_epoch", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("api_tokens", sa.Column("lead_firm", sa.String(length=300), nullable=True))
    op.add_column("api_tokens", sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(
            "CREATE OR REPLACE FUNCTION matchmaker_refuse_change() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION '% is append-only: record a new row instead', TG_TABLE_NAME; END "
            "$$ LANGUAGE plpgsql"
        )
    for table in APPEND_ONLY:
        if dialect == "postgresql":
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION matchmaker_refuse_change()"
            )
        elif dialect == "sqlite":
            for action in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: record a new row instead'); END"
                )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in APPEND_ONLY:
        if dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        elif dialect == "sqlite":
            for action in ("update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{action}")
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS matchmaker_refuse_change()")
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("expires_at")
        batch.drop_column("lead_firm")
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("session_epoch")
        batch.drop_column("lead_firm")
