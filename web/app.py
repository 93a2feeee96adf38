"""The web app: the JSON API (web.api) and server-rendered pages (web.pages) over one workspace."""

from __future__ import annotations

import math
import secrets
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError, OperationalError
from starlette.middleware.sessions import SessionMiddleware

from indexer.backends.base import SearchEngineError
from matchmaker import __version__
from matchmaker.errors import BadInput, Forbidden, MatchmakerError, NotFound
from matchmaker.workspace import Workspace
from web import api, pages
from web.pages.rendering import render
from web.session import LoginThrottle, secret_key

# Pages need no script at all; styles come from /static (and the meter's inline width).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def create_app(ws: Workspace | None) -> FastAPI:
    """The app for one workspace (None only to read the OpenAPI schema)."""
    app = FastAPI(
        title="matchmaker",
        version=__version__,
        description="Supplier capability matchmaking for Vietnam's supporting industry. "
        "Reading needs no account; writing needs `Authorization: Bearer TOKEN`.",
    )
    app.state.workspace = ws
    app.state.login_throttle = LoginThrottle()
    key = secret_key(ws.settings.data_dir) if ws else secrets.token_urlsafe(32)
    # Signed, HttpOnly (Starlette's default), SameSite=Lax session cookie.
    app.add_middleware(
        SessionMiddleware,
        secret_key=key,
        session_cookie="mm_session",
        same_site="lax",
        https_only=bool(ws and ws.settings.secure_cookies),
        max_age=14 * 86400,
    )

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if not request.url.path.startswith(("/docs", "/redoc")):  # Swagger UI loads its own script
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response

    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(Path(__file__).parent / "static")), name="static")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        key = {400: "error.csrf", 403: "error.forbidden", 404: "error.not_found"}.get(exc.status_code)
        if key is None:
            return HTMLResponse(str(exc.detail), status_code=exc.status_code)
        return render(request, "error.html", status_code=exc.status_code, message_key=key)

    @app.exception_handler(MatchmakerError)
    async def service_error(request: Request, exc: MatchmakerError):
        status = (
            404
            if isinstance(exc, NotFound)
            else 403
            if isinstance(exc, Forbidden)
            else 422
            if isinstance(exc, BadInput)
            else 503
        )
        if not request.url.path.startswith("/api/") and status == 403:
            return render(request, "error.html", status_code=403, message_key="error.forbidden")
        return JSONResponse({"detail": str(exc)}, status_code=status)

    @app.exception_handler(SearchEngineError)
    async def engine_down(request: Request, exc: SearchEngineError):
        return JSONResponse({"detail": str(exc)}, status_code=503)

    @app.exception_handler(OperationalError)
    async def database_down(request: Request, exc: OperationalError):
        return JSONResponse({"detail": f"the database is unavailable: {exc.orig}"}, status_code=503)

    @app.exception_handler(DataError)
    async def unstorable_value(request: Request, exc: DataError):
        # A value the database refuses (a NUL byte in a path id, an out-of-range number on
        # PostgreSQL): the request was malformed, so 422, not a server error.
        reason = str(exc.orig).splitlines()[0] if exc.orig else "invalid value"
        return JSONResponse({"detail": f"the request holds a value the database cannot use: {reason}"}, 422)

    @app.exception_handler(RequestValidationError)
    async def malformed(request: Request, exc: RequestValidationError):
        # FastAPI's own answer echoes each error's input, and an input JSON cannot carry back
        # ("1e400" parses to infinity, "NaN") made that answer a server error: shown as text.
        return JSONResponse({"detail": _json_safe(jsonable_encoder(exc.errors()))}, status_code=422)

    return app


def _json_safe(value):
    """`value` with every non-finite float written as text ("inf", "nan")."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    return value
