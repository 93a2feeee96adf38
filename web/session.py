"""Browser sessions: signed HttpOnly SameSite cookies, CSRF tokens on every form, the signed-in
account, the UI language, and a login rate limit."""

from __future__ import annotations

import hmac
import secrets
import time
from collections import defaultdict, deque
from pathlib import Path

from fastapi import HTTPException, Request

from matchmaker.accounts.service import Principal, principal_for_account
from models.account import Account
from web.i18n import LANGUAGES


def secret_key(data_dir: Path) -> str:
    """MATCHMAKER_SECRET_KEY, else a random key kept in the data directory (sessions survive restarts)."""
    import os

    if os.environ.get("MATCHMAKER_SECRET_KEY"):
        return os.environ["MATCHMAKER_SECRET_KEY"]
    path = data_dir / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def language(request: Request) -> str:
    lang = request.query_params.get("lang") or request.cookies.get("lang") or "vi"
    return lang if lang in LANGUAGES else "vi"


def csrf_token(request: Request) -> str:
    """This session's CSRF token (created on first use)."""
    if "csrf" not in request.session:
        request.session["csrf"] = secrets.token_urlsafe(24)
    return request.session["csrf"]


async def check_csrf(request: Request) -> None:
    """Every state-changing form must echo the session's token."""
    form = await request.form()
    sent = str(form.get("csrf_token") or "")
    if not sent or not hmac.compare_digest(sent, request.session.get("csrf", "")):
        raise HTTPException(400, "csrf")


def current_account(request: Request) -> Account | None:
    """The signed-in account; a cookie from before the account's last sign-out counts for nothing."""
    account_id = request.session.get("account_id")
    if account_id is None:
        return None
    with request.app.state.workspace.sessions() as session:
        account = session.get(Account, account_id)
    if account is None or request.session.get("epoch") != account.session_epoch:
        return None
    return account


def sign_in(request: Request, account: Account) -> None:
    request.session["account_id"] = account.id
    request.session["epoch"] = account.session_epoch


def sign_out(request: Request) -> None:
    """End the session here and server-side: the account's epoch moves on, so a copied cookie
    stops working too."""
    account = current_account(request)
    if account is not None:
        with request.app.state.workspace.sessions() as session:
            stored = session.get(Account, account.id)
            stored.session_epoch = (stored.session_epoch or 0) + 1
            session.commit()
    request.session.clear()


def current_principal(request: Request) -> Principal | None:
    account = current_account(request)
    return principal_for_account(account) if account is not None else None


class LoginThrottle:
    """At most `limit` failed sign-ins per (client, email) in `window` seconds."""

    def __init__(self, limit: int = 5, window: float = 300.0):
        self.limit, self.window = limit, window
        self._failures: dict[tuple[str, str], deque[float]] = defaultdict(deque)

    def _recent(self, key: tuple[str, str]) -> deque[float]:
        failures = self._failures[key]
        while failures and failures[0] < time.monotonic() - self.window:
            failures.popleft()
        return failures

    def blocked(self, client: str, email: str) -> bool:
        return len(self._recent((client, email.lower()))) >= self.limit

    def failed(self, client: str, email: str) -> None:
        self._recent((client, email.lower())).append(time.monotonic())

    def succeeded(self, client: str, email: str) -> None:
        self._failures.pop((client, email.lower()), None)
