"""Accounts, bearer tokens and who may write what (CONTRACT.md).

Reading needs no account. Writing: a supplier edits only its own profile; buyers write
requirements and outcomes; organisers run events; officers and admins may do everything.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.errors import BadInput, Forbidden, NotFound
from matchmaker.records.firm_names import name_parts
from models.account import ROLES, Account, ApiToken
from models.base import utcnow
from models.vocabulary.text import fold

_hasher = PasswordHasher()

TOKEN_PREFIX = "mm_"
# A token lapses after this many days unless created with another `--expires-days`.
DEFAULT_TOKEN_DAYS = 365
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
    """Who is asking: a role, a display name, for a supplier its own supplier id, for a buyer
    its lead firm; and the token or account it came through (to bind a firm on first use)."""

    role: str
    name: str
    supplier_id: str | None = None
    lead_firm: str | None = None
    token_id: int | None = None
    account_id: int | None = None

    def may_write(self, what: str, supplier_id: str | None = None) -> bool:
        """True when this principal may write `what` (for suppliers: this supplier's profile)."""
        if self.role not in WRITERS[what]:
            return False
        if what == "suppliers" and self.role == "supplier":
            return supplier_id is not None and supplier_id == self.supplier_id
        return True


def firm_key(name: str | None) -> str:
    """A lead firm's identity as compared: the duplicates module's name words (legal forms,
    "Việt Nam" and punctuation set aside, folded), so "Công ty TNHH Yamaha Motor Việt Nam" and
    "YAMAHA MOTOR VIETNAM" are one firm."""

    parts = name_parts(name or "")
    key = "".join(fold(w) for w in [*parts.trade, *parts.proper])
    return key or re.sub(r"[\W_]+", "", fold(name or ""))


def authorise_firm(*, db_session: Session, who: Principal | None, lead_firm: str, what: str) -> None:
    """Refuse (Forbidden) a buyer writing for a lead firm not its own; officers, admins and the
    operator at the command line (`who` None) may write for any firm.

    A buyer token or account created without a firm (`token create --role buyer` as the
    contract names it) is bound to the firm of its first write, and acts for it alone."""
    if who is None or who.role in ("officer", "admin"):
        return
    if who.role != "buyer":
        raise Forbidden(f"role {who.role!r} may not write {what}")
    if who.lead_firm is None:
        _bind_firm(db_session, who, lead_firm)
        return
    if firm_key(who.lead_firm) != firm_key(lead_firm):
        raise Forbidden(f"this buyer acts for {who.lead_firm}, not for {lead_firm}: it may not write {what}")


def acts_for(who: Principal, lead_firm: str | None) -> bool:
    """True when `who` may see and write this firm's outcomes: officers, admins, its own buyers."""
    if who.role in ("officer", "admin"):
        return True
    return (
        who.role == "buyer" and who.lead_firm is not None and firm_key(who.lead_firm) == firm_key(lead_firm)
    )


def _bind_firm(db_session: Session, who: Principal, lead_firm: str) -> None:
    if who.token_id is not None:
        token = db_session.get(ApiToken, who.token_id)
        if token is not None and token.account_id is None and token.lead_firm is None:
            token.lead_firm = lead_firm
    elif who.account_id is not None:
        account = db_session.get(Account, who.account_id)
        if account is not None and account.lead_firm is None:
            account.lead_firm = lead_firm
    db_session.flush()


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(
    *,
    db_session: Session,
    role: str,
    name: str | None = None,
    supplier_id: str | None = None,
    lead_firm: str | None = None,
    expires_days: int | None = DEFAULT_TOKEN_DAYS,
    account: Account | None = None,
) -> str:
    """A new bearer token (shown once; only its hash is kept). A token made for an account
    (the settings page) follows that account's role and firm as they are at each request."""
    if role not in ROLES:
        raise BadInput(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    if role == "supplier" and not supplier_id:
        raise BadInput("a supplier token needs --supplier-id: a supplier edits only its own profile")
    if expires_days is not None and expires_days < 1:
        raise BadInput("expires: at least 1 day")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    db_session.add(
        ApiToken(
            token_hash=_digest(token),
            prefix=token[:10],
            name=name or f"{role} token",
            role=role,
            supplier_id=supplier_id,
            lead_firm=lead_firm,
            account_id=account.id if account else None,
            expires_at=utcnow() + timedelta(days=expires_days) if expires_days else None,
        )
    )
    db_session.commit()
    return token


def principal_for_token(*, db_session: Session, token: str) -> Principal | None:
    """The principal a bearer token stands for, or None when it is unknown, revoked or expired."""
    found = db_session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(token)))
    if found is None or found.revoked_at is not None:
        return None
    if found.expires_at is not None and _aware(found.expires_at) <= utcnow():
        return None
    if found.account_id is not None:  # follows the account: a changed role applies at once
        account = db_session.get(Account, found.account_id)
        if account is None:
            return None
        return Principal(
            role=account.role,
            name=found.name,
            supplier_id=account.supplier_id,
            lead_firm=account.lead_firm,
            token_id=found.id,
            account_id=account.id,
        )
    return Principal(
        role=found.role,
        name=found.name,
        supplier_id=found.supplier_id,
        lead_firm=found.lead_firm,
        token_id=found.id,
    )


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def list_tokens(*, db_session: Session, account: Account | None = None) -> list[ApiToken]:
    """Tokens, newest first: an account's own, or (for the operator) all."""
    query = select(ApiToken).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    if account is not None:
        query = query.where(ApiToken.account_id == account.id)
    return list(db_session.scalars(query))


def revoke_token(*, db_session: Session, prefix: str | None, who: Principal | None = None) -> ApiToken:
    """Revoke a token by its shown prefix (none: the caller's own token): one's own (by account
    or the calling token), or any for officers, admins and the operator."""
    if prefix:
        found = db_session.scalar(select(ApiToken).where(ApiToken.prefix == prefix))
    else:
        found = db_session.get(ApiToken, who.token_id) if who and who.token_id else None
    if found is None:
        raise NotFound(
            f"no token with prefix {prefix!r}" if prefix else "give the prefix of the token to revoke"
        )
    if who is not None and who.role not in ("officer", "admin"):
        own = (who.account_id is not None and found.account_id == who.account_id) or found.id == who.token_id
        if not own:
            raise Forbidden("a token may be revoked only by its owner, an officer or an admin")
    if found.revoked_at is None:
        found.revoked_at = utcnow()
        db_session.commit()
    return found


def create_account(
    *,
    db_session: Session,
    email: str,
    name: str,
    role: str,
    password: str,
    supplier_id: str | None = None,
    lead_firm: str | None = None,
) -> Account:
    """A web account with an argon2-hashed password (an existing email is updated)."""
    if role not in ROLES:
        raise BadInput(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    if len(password) < 4:
        raise BadInput("password: at least 4 characters")
    email = email.strip().lower()
    account = db_session.scalar(select(Account).where(Account.email == email)) or Account(email=email)
    account.name, account.role, account.supplier_id = name, role, supplier_id
    account.lead_firm = lead_firm
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
    return Principal(
        role=account.role,
        name=account.name,
        supplier_id=account.supplier_id,
        lead_firm=account.lead_firm,
        account_id=account.id,
    )
