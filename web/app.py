"""The web app: the JSON API (web.api) and server-rendered pages, over one workspace."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy import select

from matchmaker import __version__, matching
from matchmaker.errors import NotFound
from matchmaker.workspace import Workspace
from models.requirement import Requirement
from web.api import router

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def create_app(ws: Workspace) -> FastAPI:
    """The app for one workspace."""
    app = FastAPI(
        title="matchmaker",
        version=__version__,
        description="Supplier capability matchmaking for Vietnam's supporting industry",
    )
    app.state.workspace = ws
    app.include_router(router)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request):
        with ws.sessions() as session:
            requirements = list(session.scalars(select(Requirement).order_by(Requirement.id)))
            rows = [(r.id, r.lead_firm.name, r.title) for r in requirements]
        return TEMPLATES.TemplateResponse(request, "home.html", {"requirements": rows})

    @app.get("/requirements/{requirement_id}", response_class=HTMLResponse, include_in_schema=False)
    def requirement_page(request: Request, requirement_id: str):
        try:
            doc, _ = matching.requirement_for(ws, requirement_id)
            found = matching.match_requirement(ws, requirement_id, top=20)
        except NotFound as exc:
            raise HTTPException(404, str(exc)) from exc
        return TEMPLATES.TemplateResponse(request, "requirement.html", {"requirement": doc, "matches": found})

    return app
