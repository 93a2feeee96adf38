"""Trade-fair events: drafting or uploading one, its schedule, agendas and meeting records."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from matchmaker.errors import BadInput, NotFound
from matchmaker.events import agendas
from matchmaker.events import service as events
from models.event import NOT_HELD_REASONS, EventIn, TimetableIn
from web.auth import workspace
from web.pages.rendering import forbidden, form_errors, render, writer
from web.session import (
    check_csrf,
    language,
)

router = APIRouter(include_in_schema=False)


def _events_page(request: Request, ws, *, error: str | None = None, form=None, status_code: int = 200):
    return render(
        request,
        "events.html",
        status_code=status_code,
        events=events.list_events(ws),
        can_edit=writer(request, "events") is not None,
        error=error,
        form=form or {},
    )


@router.get("/events", response_class=HTMLResponse)
def events_page(request: Request, ws=Depends(workspace)):
    return _events_page(request, ws)


@router.post("/events", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
async def upload_event(request: Request, ws=Depends(workspace)):
    """An organiser uploads an event file (CONTRACT.md format)."""
    who = writer(request, "events")
    if who is None:
        return forbidden(request)
    upload = (await request.form()).get("file")
    try:
        event = EventIn.model_validate_json(await upload.read() if upload else b"")
    except ValidationError as exc:
        return _events_page(
            request, ws, status_code=422, error="; ".join(form_errors(exc, language(request)))
        )
    events.save_event(ws, event, who.name)
    return RedirectResponse(f"/events/{event.id}", status_code=303)


@router.post("/events/draft", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
async def draft_event(request: Request, ws=Depends(workspace)):
    """An organiser creates an event from the open requirements: buyers and invited suppliers
    are filled in from the matcher, slots from the timetable."""
    who = writer(request, "events")
    if who is None:
        return forbidden(request)
    form = dict(await request.form())
    try:
        timetable = TimetableIn(
            days=[form.get("day")],
            start=form.get("start"),
            end=form.get("end"),
            slot_minutes=form.get("slot_minutes"),
            breaks=[
                dict(zip(("start", "end"), part.strip().split("-", 1), strict=True))
                for part in str(form.get("breaks", "")).split(",")
                if part.strip()
            ],
        )
        event = events.draft_event(
            ws,
            event_id=str(form.get("id", "")).strip(),
            name=str(form.get("name", "")).strip(),
            timetable=timetable,
            tables=int(form.get("tables") or 0),
            suppliers_per_requirement=int(form.get("per_requirement") or 8),
        )
    except ValidationError as exc:
        errors = "; ".join(form_errors(exc, language(request)))
        return _events_page(request, ws, status_code=422, error=errors, form=form)
    except (ValueError, BadInput) as exc:
        return _events_page(request, ws, status_code=422, error=str(exc), form=form)
    events.save_event(ws, event, who.name)
    return RedirectResponse(f"/events/{event.id}", status_code=303)


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(request: Request, event_id: str, ws=Depends(workspace)):
    try:
        event = events.load_event(ws, event_id)
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    try:
        plan, summary = events.current_schedule(ws, event_id), events.results(ws, event_id)
    except NotFound:
        plan, summary = None, None
    return render(
        request,
        "event.html",
        event=event,
        plan=plan,
        grid={(m["slot"], m["table"]): m for m in plan["meetings"]} if plan else {},
        summary=summary,
        can_edit=writer(request, "events") is not None,
        people=events.directory(ws, event),
        not_held_reasons=NOT_HELD_REASONS,
    )


@router.post("/events/{event_id}/schedule", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
def build_schedule(request: Request, event_id: str, ws=Depends(workspace)):
    who = writer(request, "events")
    if who is None:
        return forbidden(request)
    try:
        events.schedule_stored_event(ws, event_id, who.name)
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    except BadInput as exc:
        return render(request, "error.html", status_code=422, message=str(exc))
    return RedirectResponse(f"/events/{event_id}", status_code=303)


@router.post("/events/{event_id}/meetings", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
async def record_meeting(request: Request, event_id: str, ws=Depends(workspace)):
    """Organisers tick off each meeting after the event: held, or not held and why."""
    who = writer(request, "events")
    if who is None:
        return forbidden(request)
    form = await request.form()
    result = str(form.get("result", ""))
    if result != "held" and result not in NOT_HELD_REASONS:
        return render(request, "error.html", status_code=400, message=f"result: {result!r}")
    try:
        events.record_meeting(
            ws,
            event_id,
            str(form.get("buyer_id", "")),
            str(form.get("supplier_id", "")),
            held=result == "held",
            reason=None if result == "held" else result,
            recorded_by=who.name,
        )
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    except BadInput as exc:
        return render(request, "error.html", status_code=422, message=str(exc))
    return RedirectResponse(f"/events/{event_id}#results", status_code=303)


@router.get("/events/{event_id}/agenda/{participant}", response_class=HTMLResponse)
def agenda(event_id: str, participant: str, ics: bool = False, format: str = "html", ws=Depends(workspace)):
    """A participant's printable agenda (?format=pdf for a PDF, ?ics=1 for their iCalendar file)."""
    try:
        event = events.load_event(ws, event_id)
        plan = events.current_schedule(ws, event_id)
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    if participant not in events.participants(event):
        raise HTTPException(404, f"{participant!r} does not take part in {event_id!r}")
    people = events.directory(ws, event)
    if ics:
        return Response(
            agendas.to_ics(event, plan, participant, people),
            media_type="text/calendar",
            headers={"Content-Disposition": f'attachment; filename="{participant}.ics"'},
        )
    if format == "pdf":
        return Response(
            agendas.to_agenda_pdf(event, plan, participant, people),
            media_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="{participant}.pdf"'},
        )
    return HTMLResponse(agendas.to_agenda_html(event, plan, participant, people))
