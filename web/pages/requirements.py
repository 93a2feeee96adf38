"""Requirements: posting and editing one, its ranked suppliers, what happened next, comparing."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from sqlalchemy import select

from matchmaker.accounts import service as accounts
from matchmaker.errors import BadInput, NotFound
from matchmaker.evaluation import outcomes
from matchmaker.evaluation.impressions import log_impressions
from matchmaker.matching import service as matching
from matchmaker.records import importing
from models.outcome import REJECTION_REASONS, STAGES, Outcome, OutcomeIn
from models.requirement import Requirement, RequirementIn
from models.supplier import Supplier
from web.auth import workspace
from web.pages.rendering import forbidden, form_errors, form_values, render
from web.session import (
    check_csrf,
    current_principal,
    language,
)

router = APIRouter(include_in_schema=False)


REQUIREMENT_FIELDS = (
    "id",
    "lead_firm",
    "title",
    "description",
    "sector",
    "required_certifications",
    "preferred_provinces",
    "annual_volume",
)


@router.get("/requirements/new", response_class=HTMLResponse)
def new_requirement(request: Request):
    who = current_principal(request)
    if who is None or not who.may_write("requirements"):
        return forbidden(request)
    return render(request, "requirement_form.html", values={}, errors=[], editing=False)


@router.get("/requirements/{requirement_id}/edit", response_class=HTMLResponse)
def edit_requirement(request: Request, requirement_id: str, ws=Depends(workspace)):
    who = current_principal(request)
    if who is None or not who.may_write("requirements"):
        return forbidden(request)
    with ws.sessions() as session:
        record = session.get(Requirement, requirement_id)
        if record is None:
            raise HTTPException(404)
        values = record.to_dict()
    for key in ("required_certifications", "preferred_provinces"):
        values[key] = "; ".join(values.get(key) or [])
    return render(request, "requirement_form.html", values=values, errors=[], editing=True)


@router.post("/requirements/save", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
async def save_requirement(request: Request, ws=Depends(workspace)):
    who = current_principal(request)
    if who is None or not who.may_write("requirements"):
        return forbidden(request)
    values = form_values(await request.form(), REQUIREMENT_FIELDS)
    try:
        row = RequirementIn.model_validate({k: v for k, v in values.items() if v})
    except ValidationError as exc:
        errors = form_errors(exc, language(request))
        return render(
            request,
            "requirement_form.html",
            status_code=422,
            values=values,
            errors=errors,
            editing=bool(values.get("id")),
        )
    importing.save_record(ws, "requirements", row, source=f"web:{who.name}", who=who)
    return RedirectResponse(f"/requirements/{row.id}", status_code=303)


@router.get("/requirements/{requirement_id}", response_class=HTMLResponse)
def requirement_page(request: Request, requirement_id: str, saved: str = "", ws=Depends(workspace)):
    try:
        doc, _ = matching.requirement_for(ws, requirement_id)
        found = matching.match_requirement(ws, requirement_id, top=20)
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    who = current_principal(request)
    # The pairs' history (stages, reasons, who recorded) is the firm's and the programme's
    # business: its own buyers and officers see it, nobody else.
    insider = who is not None and accounts.acts_for(who, doc.payload.get("lead_firm"))
    with ws.sessions() as session:
        history = (
            [
                e.to_dict()
                for e in session.scalars(
                    select(Outcome).where(Outcome.requirement_id == requirement_id).order_by(Outcome.id)
                )
            ]
            if insider
            else []
        )
        if who is not None:  # only what signed-in people were shown feeds `ranker train`
            log_impressions(
                db_session=session,
                requirement_id=requirement_id,
                matches=found,
                channel="web",
                viewer_role=who.role,
            )
    return render(
        request,
        "requirement.html",
        requirement=doc,
        matches=found,
        history=history,
        names=_supplier_names(ws, {e["supplier_id"] for e in history}),
        reasons=REJECTION_REASONS,
        stages=STAGES,
        can_record=bool(insider and who.may_write("outcomes")),
        saved=saved,
    )


def _supplier_names(ws, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    with ws.sessions() as session:
        return dict(session.execute(select(Supplier.id, Supplier.name).where(Supplier.id.in_(ids))).all())


@router.post("/requirements/{requirement_id}/outcomes", dependencies=[Depends(check_csrf)])
async def record_outcome(request: Request, requirement_id: str, ws=Depends(workspace)):
    who = current_principal(request)
    if who is None or not who.may_write("outcomes"):
        return forbidden(request)
    form = await request.form()
    try:
        data = OutcomeIn(
            requirement_id=requirement_id,
            supplier_id=str(form.get("supplier_id") or ""),
            stage=str(form.get("stage") or ""),
            reason=form.get("reason") or None,
            note=form.get("note") or None,
            value_vnd=form.get("value_vnd") or None,
        )
        with ws.sessions() as session:
            outcomes.record_outcome(db_session=session, data=data, recorded_by=who.name, who=who)
    except (ValidationError, BadInput, NotFound) as exc:
        return render(request, "error.html", status_code=422, message=str(exc))
    return RedirectResponse(f"/requirements/{requirement_id}?saved={data.supplier_id}", status_code=303)


@router.get("/compare", response_class=HTMLResponse)
def compare(request: Request, requirement: str, ids: list[str] = Query(default=[]), ws=Depends(workspace)):
    ids = list(dict.fromkeys(ids))[:4]
    try:
        found = {m.supplier_id: m for m in matching.match_requirement(ws, requirement, top=200)}
        doc, _ = matching.requirement_for(ws, requirement)
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    chosen = [found[i] for i in ids if i in found]
    return render(request, "compare.html", requirement=doc, matches=chosen)
