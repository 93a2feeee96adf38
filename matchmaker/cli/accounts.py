"""`matchmaker token …` and `account …`: who may write, and the demo's accounts."""

from __future__ import annotations

import typer
from rich.table import Table

from matchmaker.accounts import service as accounts
from matchmaker.cli.common import (
    app,
    err,
    out,
)
from matchmaker.workspace import Workspace

token_app = typer.Typer(help="API bearer tokens.", no_args_is_help=True)
app.add_typer(token_app, name="token")
account_app = typer.Typer(help="Web accounts.", no_args_is_help=True)
app.add_typer(account_app, name="account")
DEMO_PASSWORD = "demo"
DEMO_BUYER_FIRM = "Honda Vietnam"  # the demo buyer writes Honda's requirements (R01, …) only


@token_app.command("create")
def token_create(
    role: str = typer.Option(..., "--role", help="supplier, buyer, organiser, officer or admin"),
    name: str = typer.Option(None, "--name", help="Who holds it (shown on the events it records)."),
    supplier_id: str = typer.Option(None, "--supplier-id", help="For a supplier token: its own profile."),
    lead_firm: str = typer.Option(
        None, "--lead-firm", help="For a buyer token: the one lead firm it acts for (else its first write's)."
    ),
    expires_days: int = typer.Option(
        accounts.DEFAULT_TOKEN_DAYS, "--expires-days", help="Valid this many days."
    ),
) -> None:
    """Create a bearer token for the API and print it (it is shown only once)."""
    ws = Workspace.from_env()
    with ws.sessions() as session:
        token = accounts.create_token(
            db_session=session,
            role=role,
            name=name,
            supplier_id=supplier_id,
            lead_firm=lead_firm,
            expires_days=expires_days,
        )
    print(token)


@token_app.command("list")
def token_list() -> None:
    """Every token: prefix, role, firm or supplier, created, expires, revoked."""
    ws = Workspace.from_env()
    with ws.sessions() as session:
        found = accounts.list_tokens(db_session=session)
    table = Table("prefix", "name", "role", "for", "created", "expires", "revoked")
    for t in found:
        table.add_row(
            t.prefix,
            t.name,
            t.role,
            t.lead_firm or t.supplier_id or "",
            f"{t.created_at:%Y-%m-%d}",
            f"{t.expires_at:%Y-%m-%d}" if t.expires_at else "",
            f"{t.revoked_at:%Y-%m-%d}" if t.revoked_at else "",
        )
    out.print(table)


@token_app.command("revoke")
def token_revoke(
    prefix: str = typer.Argument(..., help="The token's first 10 characters (`token list`)."),
) -> None:
    """Revoke a token: it stops working at once."""
    ws = Workspace.from_env()
    with ws.sessions() as session:
        revoked = accounts.revoke_token(db_session=session, prefix=prefix)
    print(f"revoked {revoked.prefix}… ({revoked.name})")


@account_app.command("create")
def account_create(
    email: str = typer.Option(..., "--email"),
    role: str = typer.Option(..., "--role", help="supplier, buyer, organiser, officer or admin"),
    password: str = typer.Option(..., "--password", prompt=True, hide_input=True),
    name: str = typer.Option(None, "--name"),
    supplier_id: str = typer.Option(None, "--supplier-id", help="For a supplier account: its own profile."),
    lead_firm: str = typer.Option(None, "--lead-firm", help="For a buyer account: its lead firm."),
) -> None:
    """Create (or reset) a web account."""
    ws = Workspace.from_env()
    with ws.sessions() as session:
        accounts.create_account(
            db_session=session,
            email=email,
            name=name or email,
            role=role,
            password=password,
            supplier_id=supplier_id,
            lead_firm=lead_firm,
        )
    err.print(f"account {email} ({role}) ready", markup=False)


def create_demo_accounts(ws: Workspace, supplier_id: str | None) -> None:
    """One account per role, all with the password `demo`, printed for whoever runs the demo."""
    table = Table(title="Demo accounts (password: demo)", title_justify="left")
    for column in ("email", "role", "note"):
        table.add_column(column)
    with ws.sessions() as session:
        for role in ("buyer", "supplier", "organiser", "officer", "admin"):
            email = f"{role}@demo.vn"
            own = supplier_id if role == "supplier" else None
            firm = DEMO_BUYER_FIRM if role == "buyer" else None
            accounts.create_account(
                db_session=session,
                email=email,
                name=f"Demo {role}",
                role=role,
                password=DEMO_PASSWORD,
                supplier_id=own,
                lead_firm=firm,
            )
            note = f"edits supplier {own}" if own else f"buys for {firm}" if firm else ""
            table.add_row(email, role, note)
    err.print(table)
