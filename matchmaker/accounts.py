"""Accounts, bearer tokens and who may write what (CONTRACT.md).

Reading needs no account. Writing: a supplier edits only its own profile; buyers write
requirements and outcomes; organisers run events; officers and admins may do everything.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.errors import BadInput
from models.account import ROLES, Account, ApiToken

_hasher = PasswordHasher()

TOKEN_PREFIX = "mm_"
# Which roles may do what; officers and admins may do everything.
WRITERS = {
    "requirements": {"buyer", "officer", "admin"},
    "outcomes": {"buyer", "officer", "admin"},
    "events": {"organiser", "officer", "admin"},
    "suppliers": {"supplier", "officer", "admin"},
    # Record keeping: merging duplicates, verifying certificates, reading full histories.
    "records": {"officer", "admin"},
}


@dataclass(frozen=True)
class Principal:
    """Who is asking: a role, a display name and, for a supplier, its own supplier id."""

    role: str
    name: str
    supplier_id: str | None = None

    def may_write(self, what: str, supplier_id: str | None = None) -> bool:
        """True when this principal may write `what` (for suppliers: this supplier's profile)."""
        if self.role not in WRITERS[what]:
            return False
        if what == "suppliers" and self.role == "supplier":
            return supplier_id is not None and supplier_id == self.supplier_id
        return True


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(
    *, db_session: Session, role: str, name: str | None = None, supplier_id: str | None = None
) -> str:
    """A new bearer token (shown once; only its hash is kept)."""
    if role not in ROLES:
        raise BadInput(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    if role == "supplier" and not supplier_id:
        raise BadInput("a supplier token needs --supplier-id: a supplier edits only its own profile")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    db_session.add(
        ApiToken(
            token_hash=_digest(token),
            prefix=token[:10],
            name=name or f"{role} token",
            role=role,
            supplier_id=supplier_id,
        )
    )
    db_session.commit()
    return token


def principal_for_token(*, db_session: Session, token: str) -> Principal | None:
    """The principal a bearer token stands for, or None when it is unknown or revoked."""
    found = db_session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(token)))
    if found is None or found.revoked_at is not None:
        return None
    return Principal(role=found.role, name=found.name, supplier_id=found.supplier_id)


def create_account(
    *, db_session: Session, email: str, name: str, role: str, password: str, supplier_id: str | None = None
) -> Account:
    """A web account with an argon2-hashed password (an existing email is updated)."""
    if role not in ROLES:
        raise BadInput(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    if len(password) < 4:
        raise BadInput("password: at least 4 characters")
    email = email.strip().lower()
    account = db_session.scalar(select(Account).where(Account.email == email)) or Account(email=email)
    account.name, account.role, account.supplier_id = name, role, supplier_id
    account.password_hash = _hasher.hash(password)
    db_session.add(account)
    db_session.commit()
    return account


def authenticate(*, db_session: Session, email: str, password: str) -> Account | None:
    """The account if the password is right, else None (same cost either way)."""
    account = db_session.scalar(select(Account).where(Account.email == email.strip().lower()))
    if account is None or not account.password_hash:
        _hasher.hash(password)  # spend the same time, so timing does not reveal accounts
        return None
    try:
        _hasher.verify(account.password_hash, password)
    except (VerifyMismatchError, VerificationError):
        return None
    return account


def principal_for_account(account: Account) -> Principal:
    return Principal(role=account.role, name=account.name, supplier_id=account.supplier_id)
