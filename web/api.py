"""JSON API under /api/v1 (CONTRACT.md). Each view validates, checks the role and calls one
service function; no ranking or validation logic lives here."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi import Path as FastPath
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from pydantic import Field as PydanticField

from matchmaker.accounts import service as accounts
from matchmaker.accounts.service import Principal
from matchmaker.errors import BadInput, NotFound
from matchmaker.evaluation import outcomes
from matchmaker.evaluation import service as evaluation
from matchmaker.evaluation.gaps import demand_gaps
from matchmaker.evaluation.impressions import log_impressions
from matchmaker.events import service as events
from matchmaker.matching import service as matching
from matchmaker.matching.ranking import Match
from matchmaker.records import certificates, importing, merging, provenance
from matchmaker.records import duplicates as dups
from matchmaker.records.profiles import PUBLIC_FIELDS, public_profile
from matchmaker.workspace import Workspace
from models.event import EventIn, MeetingResultIn
from models.outcome import OutcomeIn
from models.requirement import Requirement, RequirementIn
from models.search import SearchIn
from models.supplier import MergeIn, Supplier, SupplierIn, VerifyIn
from web.auth import optional_principal, principal, require, workspace


class ErrorBody(BaseModel):
    """Every error answer: a sentence, or (for a malformed body) pydantic's list of problems."""

    detail: str | list[dict[str, Any]]


# Documented on every endpoint, so clients (and schema checkers) know the error shapes.
ERRORS = {
    400: {"model": ErrorBody, "description": "a body that is not JSON at all (undecodable bytes)"},
    401: {"model": ErrorBody, "description": "missing, unknown, revoked or expired bearer token"},
    403: {"model": ErrorBody, "description": "this token may not write that (role, firm or profile)"},
    404: {"model": ErrorBody, "description": "no such requirement, supplier, event or token"},
    422: {"model": ErrorBody, "description": "malformed request, or a value that cannot be used"},
    503: {"model": ErrorBody, "description": "the database or the search engine is unavailable"},
}
router = APIRouter(prefix="/api/v1", responses=ERRORS)
# Contact details stay off public profiles (CONTRACT.md: shown to signed-in buyers only).


def _matches(found: list[Match], id_field: str) -> list[dict[str, Any]]:
    return [{id_field: getattr(m, id_field), "score": m.score, "explanation": m.explanation} for m in found]


@router.get("/suppliers/{supplier_id}", tags=["suppliers"])
def get_supplier(supplier_id: str, ws: Workspace = Depends(workspace)) -> dict[str, Any]:
    """A public supplier profile (no contact details)."""
    with ws.sessions() as session:
        record = session.get(Supplier, supplier_id)
        if record is None:
            raise HTTPException(404, f"no supplier with id {supplier_id!r}")
        profile = public_profile(record.to_dict())
        if record.merged_into:  # a duplicate folded into another record: say where it went
            profile["merged_into"] = record.merged_into
        return profile


@router.post("/suppliers", status_code=201, tags=["suppliers"])
def post_supplier(
    body: SupplierIn, who: Principal = Depends(principal), ws: Workspace = Depends(workspace)
) -> dict[str, Any]:
    """Create or update (by id) a supplier profile; a supplier token only its own."""
    require(who, "suppliers", body.id)
    created = importing.save_record(ws, "suppliers", body, source=f"api:{who.name}")
    return {"id": body.id, "created": created}


@router.get("/requirements/{requirement_id}", tags=["requirements"])
def get_requirement(requirement_id: str, ws: Workspace = Depends(workspace)) -> dict[str, Any]:
    with ws.sessions() as session:
        record = session.get(Requirement, requirement_id)
        if record is None:
            raise HTTPException(404, f"no requirement with id {requirement_id!r}")
        return record.to_dict()


@router.post("/requirements", status_code=201, tags=["requirements"])
def post_requirement(
    body: RequirementIn, who: Principal = Depends(principal), ws: Workspace = Depends(workspace)
) -> dict[str, Any]:
    """Create or update (by id) a localisation requirement (buyers, officers, admins)."""
    require(who, "requirements")
    created = importing.save_record(ws, "requirements", body, source=f"api:{who.name}", who=who)
    return {"id": body.id, "created": created}


@router.get("/requirements/{requirement_id}/matches", tags=["matching"])
def requirement_matches(
    requirement_id: str,
    top: int = Query(10, ge=1, le=200),
    who: Principal | None = Depends(optional_principal),
    ws: Workspace = Depends(workspace),
) -> dict[str, Any]:
    """Ranked, explained domestic suppliers for a requirement (the list shown is logged)."""
    try:
        found = matching.match_requirement(ws, requirement_id, top=top)
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    if who is not None:  # anonymous reads are not logged: they would feed `ranker train` noise
        with ws.sessions() as session:
            log_impressions(
                db_session=session,
                requirement_id=requirement_id,
                matches=found,
                channel="api",
                viewer_role=who.role,
            )
    return {"requirement_id": requirement_id, "matches": _matches(found, "supplier_id")}


@router.get("/suppliers/{supplier_id}/opportunities", tags=["matching"])
def supplier_opportunities(
    supplier_id: str, top: int = Query(10, ge=1, le=200), ws: Workspace = Depends(workspace)
) -> dict[str, Any]:
    """Open requirements a supplier fits best."""
    try:
        found = matching.opportunities(ws, supplier_id, top=top)
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    return {"supplier_id": supplier_id, "opportunities": _matches(found, "requirement_id")}


@router.post("/search", tags=["matching"])
def search(body: SearchIn, ws: Workspace = Depends(workspace)) -> dict[str, Any]:
    """Ad-hoc search (nothing is saved)."""
    try:
        found = matching.search(ws, body.text, filters=body.filters, top=body.top)
    except BadInput as exc:
        raise HTTPException(422, str(exc)) from exc
    return {"matches": _matches(found, "supplier_id")}


@router.get("/evaluation/summary", tags=["evaluation"])
def evaluation_summary(
    year: int | None = Query(None, ge=2000, le=2100),
    quarter: int | None = Query(None, ge=1, le=4),
    province: str | None = Query(None, max_length=100),
    ws: Workspace = Depends(workspace),
) -> dict[str, Any]:
    """Programme figures for a period: the same numbers as `matchmaker report --format json`."""
    if quarter and not year:
        raise HTTPException(422, "quarter needs year")
    try:
        with ws.sessions() as session:
            return evaluation.summary(
                db_session=session, period=evaluation.Period(year, quarter), province=province
            )
    except BadInput as exc:
        raise HTTPException(422, str(exc)) from exc


@router.get("/evaluation/gaps", tags=["evaluation"])
def evaluation_gaps(ws: Workspace = Depends(workspace)) -> dict[str, Any]:
    """Unmet requirements, missing certificates and capabilities, near-miss suppliers."""
    return demand_gaps(ws)


@router.get("/suppliers/{supplier_id}/provenance", tags=["records"])
def supplier_provenance(supplier_id: str, ws: Workspace = Depends(workspace)) -> dict[str, Any]:
    """Where each field's current value came from and when, and how fresh the profile is."""
    fresh = provenance.freshness(ws, supplier_id)  # NotFound → 404
    sources = provenance.field_sources(ws, supplier_id)
    public = {f: src for f, src in sources.items() if f in PUBLIC_FIELDS}  # private fields: not even named
    return {"supplier_id": supplier_id, "freshness": fresh, "fields": public}


@router.get("/suppliers/{supplier_id}/history", tags=["records"])
def supplier_history(
    supplier_id: str, who: Principal = Depends(principal), ws: Workspace = Depends(workspace)
) -> dict[str, Any]:
    """Every write to a profile with its values, oldest first (officers, admins)."""
    require(who, "records")
    provenance.freshness(ws, supplier_id)  # NotFound → 404
    return {"supplier_id": supplier_id, "versions": provenance.history(ws, "supplier", supplier_id)}


@router.post("/suppliers/{supplier_id}/confirm", tags=["records"])
def confirm_supplier(
    supplier_id: str, who: Principal = Depends(principal), ws: Workspace = Depends(workspace)
) -> dict[str, Any]:
    """The profile is still accurate as it stands (the supplier itself, officers, admins)."""
    require(who, "suppliers", supplier_id)
    return provenance.confirm(ws, supplier_id, who.name)


@router.post("/suppliers/{supplier_id}/certificates/verify", tags=["records"])
def verify_certificate(
    supplier_id: str, body: VerifyIn, who: Principal = Depends(principal), ws: Workspace = Depends(workspace)
) -> dict[str, Any]:
    """An officer checked a certificate: it becomes `verified`, with the evidence."""
    require(who, "records")
    return certificates.verify(ws, supplier_id, body.standard, by=who.name, evidence=body.evidence)


@router.get("/certificates/expiring", tags=["records"])
def expiring_certificates(
    within_days: int = Query(certificates.REMIND_DAYS, ge=0, le=3650), ws: Workspace = Depends(workspace)
) -> list[dict[str, Any]]:
    """Certificates that lapse within the window, soonest first."""
    return certificates.expiring(ws, within_days=within_days)


@router.get("/duplicates", tags=["records"])
def duplicate_pairs(
    threshold: float = Query(dups.THRESHOLD, ge=0.0, le=1.0),
    who: Principal = Depends(principal),
    ws: Workspace = Depends(workspace),
) -> list[dict[str, Any]]:
    """Likely duplicate suppliers with a score and reasons, best first (officers, admins)."""
    require(who, "records")
    return [pair.as_dict() for pair in dups.find_duplicates(ws, threshold=threshold)]


@router.post("/merges", status_code=201, tags=["records"])
def merge_suppliers(
    body: MergeIn, who: Principal = Depends(principal), ws: Workspace = Depends(workspace)
) -> dict[str, Any]:
    """Merge a duplicate into the record that stays; both are kept and it can be undone."""
    require(who, "records")
    return merging.merge(ws, body.survivor_id, body.merged_id, by=who.name, reasons=body.reasons)


@router.post("/merges/{merge_id}/undo", tags=["records"])
def undo_merge(
    merge_id: int = FastPath(ge=1, le=2**31 - 1),
    who: Principal = Depends(principal),
    ws: Workspace = Depends(workspace),
) -> dict[str, Any]:
    """Both records return exactly as they were before the merge."""
    require(who, "records")
    return merging.undo(ws, merge_id, by=who.name)


class TokenRevokeIn(BaseModel):
    """Which token to revoke: its prefix (`token list`, the settings page), or none for the
    token this request is made with."""

    model_config = ConfigDict(extra="forbid")

    prefix: str | None = PydanticField(default=None, max_length=12)


@router.post("/tokens/revoke", tags=["accounts"])
def revoke_token(
    body: TokenRevokeIn, who: Principal = Depends(principal), ws: Workspace = Depends(workspace)
) -> dict[str, Any]:
    """Revoke a token at once: your own, or any for officers and admins (403 otherwise)."""
    with ws.sessions() as session:
        revoked = accounts.revoke_token(db_session=session, prefix=body.prefix, who=who)
        return {"prefix": revoked.prefix, "revoked_at": revoked.revoked_at.isoformat()}


@router.get("/health", tags=["operations"])
def health(ws: Workspace = Depends(workspace)) -> dict[str, Any]:
    """For load balancers and `docker compose`: the database answers and the search engine
    answers (503 with the cause if either does not)."""
    from sqlalchemy import text

    with ws.sessions() as session:
        session.execute(text("SELECT 1"))
    return {
        "status": "ok",
        "database": ws.engine.dialect.name,
        "search_backend": ws.backend.name,
        "suppliers_indexed": ws.backend.count("supplier"),
    }


@router.post("/events", status_code=201, tags=["events"])
def post_event(
    body: EventIn, who: Principal = Depends(principal), ws: Workspace = Depends(workspace)
) -> dict[str, Any]:
    """Create or replace a B2B meeting event (organisers, officers, admins)."""
    require(who, "events")
    return {"id": body.id, "created": events.save_event(ws, body, who.name)}


@router.post("/events/{event_id}/schedule", status_code=201, tags=["events"])
def post_schedule(
    event_id: str, who: Principal = Depends(principal), ws: Workspace = Depends(workspace)
) -> dict[str, Any]:
    """Build (or rebuild) the event's schedule from the matcher's scores."""
    require(who, "events")
    return events.schedule_stored_event(ws, event_id, who.name)


@router.get("/events/{event_id}/schedule", tags=["events"])
def get_schedule(event_id: str, ws: Workspace = Depends(workspace)) -> dict[str, Any]:
    """The event's current schedule."""
    return events.current_schedule(ws, event_id)


@router.post("/events/{event_id}/meetings", status_code=201, tags=["events"])
def post_meeting_result(
    event_id: str,
    body: MeetingResultIn,
    who: Principal = Depends(principal),
    ws: Workspace = Depends(workspace),
) -> dict[str, Any]:
    """After the event: a scheduled meeting was `held` (a `meeting` outcome follows) or
    `not_held` (with a reason), or a later stage for a pair that met (rfq, contract, …)."""
    require(who, "events")
    if body.result in ("held", "not_held"):
        record, outcome = events.record_meeting(
            ws,
            event_id,
            body.buyer_id,
            body.supplier_id,
            held=body.result == "held",
            reason=body.reason,
            recorded_by=who.name,
        )
        return {"result": record.result, "reason": record.reason, "outcome": outcome and outcome.to_dict()}
    follow = body.model_dump(include={"reason", "note", "value_vnd", "event_date"}, exclude_none=True)
    outcome = events.follow_up(
        ws, event_id, body.buyer_id, body.supplier_id, {"stage": body.result, **follow}, who.name
    )
    return {"result": body.result, "outcome": outcome.to_dict()}


@router.get("/events/{event_id}/results", tags=["events"])
def get_event_results(event_id: str, ws: Workspace = Depends(workspace)) -> dict[str, Any]:
    """How the event went: attendance, no-show reasons, and how far the pairs that met have got."""
    return events.results(ws, event_id)


@router.post("/outcomes", status_code=201, tags=["outcomes"])
def post_outcome(
    body: OutcomeIn, who: Principal = Depends(principal), ws: Workspace = Depends(workspace)
) -> JSONResponse:
    """Append an outcome event (buyers, officers, admins); events are never edited."""
    require(who, "outcomes")
    try:
        with ws.sessions() as session:
            event = outcomes.record_outcome(db_session=session, data=body, recorded_by=who.name, who=who)
            return JSONResponse(event.to_dict(), status_code=201)
    except (NotFound, BadInput) as exc:  # the body names something that does not fit
        raise HTTPException(422, str(exc)) from exc
