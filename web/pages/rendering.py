"""Rendering a page in the reader's language, and what every view shares (forms, roles)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError

from models.vocabulary.sectors import sector_label
from web.i18n import error_message, match_sentence, translate
from web.session import (
    csrf_token,
    current_principal,
    language,
)

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parents[1] / "templates"))


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    lang = language(request)
    context.update(
        lang=lang,
        t=lambda key: translate(key, lang),
        user=current_principal(request),
        csrf=csrf_token(request),
        sector_label=lambda code: sector_label(code, lang),
        match_sentence=lambda explanation: match_sentence(
            explanation, lang, lambda code: sector_label(code, lang)
        ),
        error_message=error_message,
        path=request.url.path,
        query=str(request.url.query),
    )
    return TEMPLATES.TemplateResponse(request, template, context, status_code=status_code)


def form_errors(exc: ValidationError, lang: str) -> list[str]:
    """Each validation error as "field label: message" in the user's language."""
    out = []
    for e in exc.errors(include_url=False):
        field = ".".join(map(str, e["loc"]))
        label = translate(f"field.{field}", lang)
        label = label.split(" (")[0] if label != f"field.{field}" else field
        out.append(f"{label}: {error_message(e['type'], e['msg'].removeprefix('Value error, '), lang)}")
    return out


def writer(request: Request, what: str):
    """The signed-in principal if it may write `what` (events, records…), else None."""
    who = current_principal(request)
    return who if who and who.may_write(what) else None


def forbidden(request: Request) -> HTMLResponse:
    return render(request, "error.html", status_code=403, message_key="error.forbidden")


def form_values(form, fields: tuple[str, ...]) -> dict[str, str]:
    """The named form fields as stripped strings (lists stay ";"-separated for the schema)."""
    return {f: str(form.get(f) or "").strip() for f in fields}
