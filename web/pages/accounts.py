"""Signing in and out, and the settings page's API tokens."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from matchmaker.accounts import service as accounts
from matchmaker.accounts.service import authenticate, create_token
from web.auth import workspace
from web.pages.rendering import render
from web.session import (
    LoginThrottle,
    check_csrf,
    current_account,
    current_principal,
    sign_in,
    sign_out,
)

router = APIRouter(include_in_schema=False)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/"):
    return render(request, "login.html", next=next, error=None)


@router.post("/login", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
async def login(request: Request, ws=Depends(workspace)):
    form = await request.form()
    email, password = str(form.get("email") or ""), str(form.get("password") or "")
    target = str(form.get("next") or "/")
    target = target if target.startswith("/") and not target.startswith("//") else "/"
    client = request.client.host if request.client else "?"
    throttle: LoginThrottle = request.app.state.login_throttle
    if throttle.blocked(client, email):
        return render(request, "login.html", status_code=429, next=target, error="login.throttled")
    with ws.sessions() as session:
        account = authenticate(db_session=session, email=email, password=password)
    if account is None:
        throttle.failed(client, email)
        return render(request, "login.html", status_code=401, next=target, error="login.failed")
    throttle.succeeded(client, email)
    request.session.clear()
    sign_in(request, account)
    return RedirectResponse(target, status_code=303)


@router.post("/logout", dependencies=[Depends(check_csrf)])
def logout(request: Request):
    sign_out(request)
    return RedirectResponse("/", status_code=303)


def _settings(request: Request, ws, token: str | None = None) -> HTMLResponse:
    account = current_account(request)
    with ws.sessions() as session:
        tokens = accounts.list_tokens(db_session=session, account=account)
    return render(request, "settings.html", token=token, tokens=tokens)


@router.get("/settings", response_class=HTMLResponse)
def settings_page(request: Request, ws=Depends(workspace)):
    if current_account(request) is None:
        return RedirectResponse("/login?next=/settings", status_code=303)
    return _settings(request, ws)


@router.post("/settings/token", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
def new_token(request: Request, ws=Depends(workspace)):
    account = current_account(request)
    if account is None:
        return RedirectResponse("/login?next=/settings", status_code=303)
    with ws.sessions() as session:
        # Tied to the account: the token follows its role and firm as they change.
        token = create_token(
            db_session=session,
            role=account.role,
            name=account.name,
            supplier_id=account.supplier_id,
            lead_firm=account.lead_firm,
            account=account,
        )
    return _settings(request, ws, token=token)


@router.post("/settings/token/revoke", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
async def revoke_token(request: Request, ws=Depends(workspace)):
    who = current_principal(request)
    if who is None:
        return RedirectResponse("/login?next=/settings", status_code=303)
    prefix = str((await request.form()).get("prefix") or "")
    with ws.sessions() as session:
        accounts.revoke_token(db_session=session, prefix=prefix, who=who)
    return _settings(request, ws)
