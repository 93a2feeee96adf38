"""`matchmaker event …` and `schedule`: trade-fair events and their meeting schedules."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer
from pydantic import ValidationError

from matchmaker.cli.common import (
    app,
    describe_errors,
    err,
    progress_bar,
)
from matchmaker.errors import BadInput
from matchmaker.events import agendas
from matchmaker.events import service as events
from matchmaker.workspace import Workspace
from models.event import NOT_HELD_REASONS, EventIn, MeetingResultIn, TimetableIn
from models.outcome import REJECTION_REASONS

event_app = typer.Typer(
    help="B2B events: draft one from open requirements; record what happened after.", no_args_is_help=True
)
app.add_typer(event_app, name="event")


@event_app.command("draft")
def event_draft(
    event_id: str = typer.Option(..., "--id", help="The new event's id."),
    name: str = typer.Option("", "--name"),
    days: list[str] = typer.Option(..., "--day", help="A day of the event, YYYY-MM-DD (repeat for more)."),
    start: str = typer.Option("09:00", "--start", help="Meetings start, HH:MM."),
    end: str = typer.Option("17:00", "--end", help="Meetings end, HH:MM."),
    slot_minutes: int = typer.Option(20, "--slot-minutes"),
    breaks: list[str] = typer.Option([], "--break", help="A break, HH:MM-HH:MM (repeat for more)."),
    tables: int = typer.Option(10, "--tables"),
    per_requirement: int = typer.Option(8, "--per-requirement", help="Suppliers invited per requirement."),
    requirement_ids: list[str] = typer.Option([], "--requirement", help="Only these (default: all open)."),
    out_path: Path = typer.Option(None, "--out", help="Write the event file here."),
) -> None:
    """Draft an event file from the database: lead firms with open requirements as buyers, their
    best-matching suppliers invited. Edit it if you like, then `matchmaker schedule` it."""
    try:
        timetable = TimetableIn(
            days=days,
            start=start,
            end=end,
            slot_minutes=slot_minutes,
            breaks=[dict(zip(("start", "end"), b.split("-", 1), strict=True)) for b in breaks],
        )
    except (ValidationError, ValueError) as exc:
        raise BadInput(
            describe_errors(exc, "")
            if isinstance(exc, ValidationError)
            else f"--break: use HH:MM-HH:MM ({exc})"
        ) from exc
    event = events.draft_event(
        Workspace.from_env(),
        event_id=event_id,
        name=name,
        timetable=timetable,
        tables=tables,
        suppliers_per_requirement=per_requirement,
        requirement_ids=requirement_ids or None,
    )
    text = event.model_dump_json(indent=2, exclude_defaults=True)
    if out_path:
        out_path.write_text(text, encoding="utf-8")
        err.print(
            f"wrote {out_path}: {len(event.buyers)} buyers, {len(event.suppliers)} suppliers, "
            f"{len(event.slots)} slots",
            markup=False,
        )
    else:
        print(text)


@event_app.command("held")
def event_held(
    event_id: str,
    buyer_id: str,
    supplier_id: str,
    recorded_by: str = typer.Option("cli", "--by", help="Who records it."),
) -> None:
    """Record that a scheduled meeting took place (a `meeting` outcome for the best-fitting requirement)."""
    _, outcome = events.record_meeting(
        Workspace.from_env(), event_id, buyer_id, supplier_id, held=True, recorded_by=recorded_by
    )
    print(json.dumps(outcome.to_dict(), ensure_ascii=False))


@event_app.command("not-held")
def event_not_held(
    event_id: str,
    buyer_id: str,
    supplier_id: str,
    reason: str = typer.Option(..., "--reason", help=", ".join(NOT_HELD_REASONS)),
    recorded_by: str = typer.Option("cli", "--by", help="Who records it."),
) -> None:
    """Record that a scheduled meeting did not take place, and why."""
    if reason not in NOT_HELD_REASONS:
        raise BadInput(f"--reason: one of {', '.join(NOT_HELD_REASONS)}")
    record, _ = events.record_meeting(
        Workspace.from_env(),
        event_id,
        buyer_id,
        supplier_id,
        held=False,
        reason=reason,
        recorded_by=recorded_by,
    )
    print(json.dumps({"event_id": event_id, "result": record.result, "reason": record.reason}))


@event_app.command("follow-up")
def event_follow_up(
    event_id: str,
    buyer_id: str,
    supplier_id: str,
    stage: str = typer.Argument(..., help="rfq, sample_approved, audit_passed, contract or rejected"),
    value_vnd: int = typer.Option(None, "--value-vnd"),
    reason: str = typer.Option(None, "--reason", help=", ".join(REJECTION_REASONS) + " (stage rejected)"),
    note: str = typer.Option(None, "--note"),
    recorded_by: str = typer.Option("cli", "--by"),
) -> None:
    """A later stage for a pair that met at the event, recorded against the requirement they met on."""
    try:
        data = MeetingResultIn(
            buyer_id=buyer_id,
            supplier_id=supplier_id,
            result=stage,
            reason=reason,
            note=note,
            value_vnd=value_vnd,
        )
    except ValidationError as exc:
        raise BadInput(describe_errors(exc, "")) from exc
    if data.result in ("held", "not_held"):
        raise BadInput("use `matchmaker event held` or `event not-held` for attendance")
    follow = data.model_dump(include={"reason", "note", "value_vnd"}, exclude_none=True)
    outcome = events.follow_up(
        Workspace.from_env(), event_id, buyer_id, supplier_id, {"stage": data.result, **follow}, recorded_by
    )
    print(json.dumps(outcome.to_dict(), ensure_ascii=False))


@event_app.command("results")
def event_results(event_id: str) -> None:
    """How the event went: attendance, no-show reasons, and how far the pairs that met have got."""
    print(json.dumps(events.results(Workspace.from_env(), event_id), ensure_ascii=False, indent=2))


class ScheduleFormat(StrEnum):
    json = "json"
    csv = "csv"
    ics = "ics"
    html = "html"
    agenda = "agenda"
    pdf = "pdf"


@app.command()
def schedule(
    event_file: Path,
    format: ScheduleFormat = typer.Option(ScheduleFormat.json, "--format"),
    out: Path = typer.Option(None, "--out", help="Write here instead of standard output."),
) -> None:
    """Build an optimal B2B meeting schedule for a trade-fair event file.

    With --format ics, agenda (HTML) or pdf and --out DIRECTORY, writes one file per participant."""
    try:
        event = EventIn.model_validate_json(event_file.read_bytes())
    except FileNotFoundError as exc:
        raise BadInput(f"{event_file}: no such file") from exc
    except ValidationError as exc:
        raise BadInput(describe_errors(exc, f"{event_file}: ")) from exc
    ws = Workspace.from_env()
    events.save_event(ws, event, created_by="cli")  # kept, so the meetings held can be recorded later
    plan = events.schedule_stored_event(ws, event.id, created_by="cli")
    people = events.directory(ws, event)
    per_person = format in (ScheduleFormat.ics, ScheduleFormat.agenda, ScheduleFormat.pdf)
    if per_person and out and (out.is_dir() or not out.suffix):
        out.mkdir(parents=True, exist_ok=True)
        everyone = events.participants(event)
        with progress_bar() as progress:
            for person in progress.track(everyone, description=f"{format.value} files"):
                if format is ScheduleFormat.pdf:
                    (out / f"{person}.pdf").write_bytes(agendas.to_agenda_pdf(event, plan, person, people))
                elif format is ScheduleFormat.ics:
                    (out / f"{person}.ics").write_text(
                        agendas.to_ics(event, plan, person, people), encoding="utf-8"
                    )
                else:
                    (out / f"{person}.html").write_text(
                        agendas.to_agenda_html(event, plan, person, people), encoding="utf-8"
                    )
        err.print(f"wrote one {format.value} file per participant to {out}/ ({plan['method']})", markup=False)
        return
    if format in (ScheduleFormat.agenda, ScheduleFormat.pdf):
        raise BadInput(f"--format {format.value} writes one file per participant: give --out DIRECTORY")
    if format is ScheduleFormat.json:
        text = json.dumps(plan, ensure_ascii=False, indent=2)
    else:
        render = {"csv": agendas.to_csv, "ics": agendas.to_ics, "html": agendas.to_html}[format.value]
        text = render(event, plan, people=people)
    if out:
        out.write_text(text, encoding="utf-8")
        err.print(f"wrote {out} ({len(plan['meetings'])} meetings, {plan['method']})", markup=False)
    else:
        print(text)
