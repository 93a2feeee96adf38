"""Bearer-token authentication for the JSON API: 401 without a valid token, 403 for a role
that may not write what it asks to."""

from __future__ import annotations

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from matchmaker.accounts.service import Principal, principal_for_token
from matchmaker.workspace import Workspace

_bearer = HTTPBearer(auto_error=False, description="`matchmaker token create --role …`")


def workspace(request: Request) -> Workspace:
    return request.app.state.workspace


def principal(
    request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)
) -> Principal:
    """The caller behind the Authorization header; 401 when there is none or it is unknown."""
    challenge = {"WWW-Authenticate": "Bearer"}
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HTTPException(401, "missing bearer token (Authorization: Bearer TOKEN)", headers=challenge)
    with workspace(request).sessions() as session:
        found = principal_for_token(db_session=session, token=credentials.credentials)
    if found is None:
        raise HTTPException(401, "unknown or revoked token", headers=challenge)
    return found


def optional_principal(
    request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)
) -> Principal | None:
    """The caller if a valid token came along; reading never needs one."""
    if credentials is None:
        return None
    with workspace(request).sessions() as session:
        return principal_for_token(db_session=session, token=credentials.credentials)


def require(who: Principal, what: str, supplier_id: str | None = None) -> None:
    """403 unless this principal may write `what`."""
    if not who.may_write(what, supplier_id):
        if what == "suppliers" and who.role == "supplier":
            raise HTTPException(403, "a supplier token may edit only its own profile")
        raise HTTPException(403, f"role {who.role!r} may not write {what}")
