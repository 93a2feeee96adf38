"""The home page, the language switch and supplier search."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from sqlalchemy import select

from matchmaker.errors import BadInput
from matchmaker.matching import service as matching
from models.requirement import Requirement
from models.search import SearchFilters
from models.vocabulary.provinces import PROVINCES
from models.vocabulary.sectors import SECTORS
from web.auth import workspace
from web.pages.rendering import render

router = APIRouter(include_in_schema=False)


PAGE_SIZE = 10


@router.get("/lang/{code}")
def set_language(code: str, next: str = "/"):
    target = next if next.startswith("/") and not next.startswith("//") else "/"
    response = RedirectResponse(target, status_code=303)
    response.set_cookie("lang", code if code in ("vi", "en") else "vi", max_age=365 * 86400, samesite="lax")
    return response


@router.get("/", response_class=HTMLResponse)
def home(request: Request, ws=Depends(workspace)):
    with ws.sessions() as session:
        rows = [
            (r.id, r.lead_firm.name, r.title)
            for r in session.scalars(select(Requirement).order_by(Requirement.id))
        ]
    return render(request, "home.html", requirements=rows, sectors=SECTORS, provinces=PROVINCES)


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    q: str = "",
    sector: str = "",
    province: str = "",
    certification: str = "",
    ownership: str = "",
    page: int = 1,
    ws=Depends(workspace),
):
    page = max(1, min(page, 20))
    found, error = [], None
    if q.strip():
        try:
            filters = SearchFilters(
                sector=sector,
                province=province,
                certification=certification,
                ownership=[ownership] if ownership else [],
            )
            found = matching.search(ws, q, filters=filters, top=page * PAGE_SIZE + 1)
        except (ValidationError, BadInput) as exc:
            error = str(exc)
    shown = found[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    params = {
        "q": q,
        "sector": sector,
        "province": province,
        "certification": certification,
        "ownership": ownership,
    }
    return render(
        request,
        "search.html",
        q=q,
        matches=shown,
        error=error,
        page=page,
        has_next=len(found) > page * PAGE_SIZE,
        params=params,
        sectors=SECTORS,
        provinces=PROVINCES,
        link=lambda p: "/search?" + urlencode({**params, "page": p}),
    )
