"""The web app. Views only translate HTTP to service calls (matchmaker.matching)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field
from sqlalchemy import select

from matchmaker import matching
from matchmaker.errors import BadInput, NotFound
from matchmaker.ranking import Match
from matchmaker.workspace import Workspace
from models.requirement import Requirement
from models.supplier import Supplier

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
# Contact details stay off public profiles (CONTRACT.md: shown to signed-in buyers only).
PRIVATE_FIELDS = {"phone", "email", "contact", "contact_person", "address", "website", "tax_code"}


class SearchRequest(BaseModel):
    text: str = Field(min_length=1, max_length=5000)
    filters: dict[str, Any] = Field(default_factory=dict)
    top: int = Field(default=10, ge=1, le=200)


def _matches(matches: list[Match], id_field: str) -> list[dict[str, Any]]:
    return [{id_field: getattr(m, id_field), "score": m.score, "explanation": m.explanation} for m in matches]


def create_app(ws: Workspace) -> FastAPI:
    """The app for one workspace."""
    api = FastAPI(
        title="matchmaker",
        version="0.1.0",
        description="Supplier capability matchmaking for Vietnam's supporting industry",
    )

    @api.get("/api/v1/requirements/{requirement_id}")
    def get_requirement(requirement_id: str) -> dict[str, Any]:
        with ws.sessions() as session:
            record = session.get(Requirement, requirement_id)
            if record is None:
                raise HTTPException(404, f"no requirement with id {requirement_id!r}")
            return record.to_dict()

    @api.get("/api/v1/suppliers/{supplier_id}")
    def get_supplier(supplier_id: str) -> dict[str, Any]:
        with ws.sessions() as session:
            record = session.get(Supplier, supplier_id)
            if record is None:
                raise HTTPException(404, f"no supplier with id {supplier_id!r}")
            return {k: v for k, v in record.to_dict().items() if k not in PRIVATE_FIELDS}

    @api.get("/api/v1/requirements/{requirement_id}/matches")
    def requirement_matches(requirement_id: str, top: int = Query(10, ge=1, le=200)) -> dict[str, Any]:
        try:
            found = matching.match_requirement(ws, requirement_id, top=top)
        except NotFound as exc:
            raise HTTPException(404, str(exc)) from exc
        return {"requirement_id": requirement_id, "matches": _matches(found, "supplier_id")}

    @api.get("/api/v1/suppliers/{supplier_id}/opportunities")
    def supplier_opportunities(supplier_id: str, top: int = Query(10, ge=1, le=200)) -> dict[str, Any]:
        try:
            found = matching.opportunities(ws, supplier_id, top=top)
        except NotFound as exc:
            raise HTTPException(404, str(exc)) from exc
        return {"supplier_id": supplier_id, "opportunities": _matches(found, "requirement_id")}

    @api.post("/api/v1/search")
    def search(body: SearchRequest) -> dict[str, Any]:
        try:
            found = matching.search(ws, body.text, filters=body.filters, top=body.top)
        except BadInput as exc:
            raise HTTPException(422, str(exc)) from exc
        return {"matches": _matches(found, "supplier_id")}

    @api.get("/", response_class=HTMLResponse)
    def home(request: Request):
        with ws.sessions() as session:
            requirements = list(session.scalars(select(Requirement).order_by(Requirement.id)))
            rows = [(r.id, r.lead_firm.name, r.title) for r in requirements]
        return TEMPLATES.TemplateResponse(request, "home.html", {"requirements": rows})

    @api.get("/requirements/{requirement_id}", response_class=HTMLResponse)
    def requirement_page(request: Request, requirement_id: str):
        try:
            doc, _ = matching.requirement_for(ws, requirement_id)
            found = matching.match_requirement(ws, requirement_id, top=20)
        except NotFound as exc:
            raise HTTPException(404, str(exc)) from exc
        return TEMPLATES.TemplateResponse(request, "requirement.html", {"requirement": doc, "matches": found})

    return api
