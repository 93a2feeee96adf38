"""Trade-fair events around the scheduler: drafting one from open requirements, keeping events and
their schedules, who the participants are, and what happened at each meeting afterwards."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from matchmaker.accounts.service import firm_key
from matchmaker.errors import BadInput, NotFound
from matchmaker.evaluation.outcomes import record_outcome
from matchmaker.events import objective, scheduling
from matchmaker.matching import service as matching
from matchmaker.workspace import Workspace
from models.event import Event, EventIn, EventSchedule, MeetingRecord, TimetableIn
from models.outcome import STAGES, Outcome, OutcomeIn
from models.requirement import Requirement
from models.supplier import Supplier
from models.vocabulary.text import fold

# ── drafting and storing ─────────────────────────────────────────────────────


def draft_event(
    ws: Workspace,
    *,
    event_id: str,
    name: str,
    timetable: TimetableIn,
    tables: int,
    suppliers_per_requirement: int = 8,
    requirement_ids: list[str] | None = None,
) -> EventIn:
    """An event file built from the database: every lead firm with open requirements is a buyer,
    and the best-matching domestic suppliers of each requirement are invited. Organisers then
    edit it (caps, unavailability, wishes) or schedule it as it is."""
    with ws.sessions() as session:
        query = select(Requirement).where(Requirement.status == "open").order_by(Requirement.id)
        if requirement_ids:
            query = select(Requirement).where(Requirement.id.in_(requirement_ids)).order_by(Requirement.id)
        requirements = list(session.scalars(query))
        missing = sorted(set(requirement_ids or ()) - {r.id for r in requirements})
        if missing:
            raise BadInput(f"requirements: no such requirement {', '.join(missing)}")
        # One buyer per lead firm: name variants ("Yamaha Motor Vietnam", "Yamaha Motor Việt
        # Nam") are one firm, keyed as buyers' tokens are (accounts.firm_key).
        firms: dict[str, dict[str, Any]] = {}
        labels: dict[str, str] = {}
        for requirement in requirements:
            firm_name = requirement.lead_firm.name
            label = labels.setdefault(firm_key(firm_name), _label(firm_name))
            firm = firms.setdefault(label, {"name": firm_name, "requirement_ids": []})
            firm["requirement_ids"].append(requirement.id)
    if not firms:
        raise BadInput("no open requirements to invite buyers for: import requirements first")
    invited: dict[str, None] = {}  # ordered set
    for firm in firms.values():
        for requirement_id in firm["requirement_ids"]:
            for match in matching.match_requirement(ws, requirement_id, top=suppliers_per_requirement):
                if match.score >= objective.RELEVANCE_FLOOR:
                    invited[match.supplier_id] = None
    return EventIn(
        id=event_id,
        name=name,
        tables=tables,
        timetable=timetable,
        buyers=[{"id": label, **firm} for label, firm in firms.items()],
        suppliers=[{"id": supplier_id} for supplier_id in invited],
    )


def _label(name: str) -> str:
    """A short, readable buyer id from a lead firm name ("Samsung Việt Nam" → samsung-viet-nam)."""
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:64] or "buyer"


def save_event(ws: Workspace, event: EventIn, created_by: str) -> bool:
    """Create or replace an event by id; True if it is new."""
    with ws.sessions() as session:
        record = session.get(Event, event.id)
        created = record is None
        record = record or Event(id=event.id)
        record.name, record.body, record.created_by = event.name, event.model_dump(mode="json"), created_by
        session.add(record)
        session.commit()
    return created


def load_event(ws: Workspace, event_id: str) -> EventIn:
    """A stored event, as its file described it."""
    with ws.sessions() as session:
        record = session.get(Event, event_id)
        if record is None:
            raise NotFound(f"no event with id {event_id!r}")
        return EventIn.model_validate(record.body)


def list_events(ws: Workspace) -> list[tuple[str, str]]:
    with ws.sessions() as session:
        return [(e.id, e.name) for e in session.scalars(select(Event).order_by(Event.id))]


def schedule_stored_event(ws: Workspace, event_id: str, created_by: str) -> dict[str, Any]:
    """Solve a stored event and keep the result (earlier schedules stay on record)."""
    plan = scheduling.schedule_event(ws, load_event(ws, event_id)).as_dict()
    with ws.sessions() as session:
        session.add(EventSchedule(event_id=event_id, result=plan, created_by=created_by))
        session.commit()
    return plan


def current_schedule(ws: Workspace, event_id: str) -> dict[str, Any]:
    """The newest schedule made for an event."""
    load_event(ws, event_id)  # NotFound for an unknown event
    with ws.sessions() as session:
        latest = session.scalars(
            select(EventSchedule)
            .where(EventSchedule.event_id == event_id)
            .order_by(EventSchedule.id.desc())
            .limit(1)
        ).first()
        if latest is None:
            raise NotFound(f"event {event_id!r} has no schedule yet: POST /api/v1/events/{event_id}/schedule")
        return latest.result


# ── who is who ───────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    role: str  # buyer | supplier
    about: str  # a buyer's requirements, a supplier's province and products


def participants(event: EventIn) -> list[str]:
    return [b.id for b in event.buyers] + [s.id for s in event.suppliers]


def directory(ws: Workspace, event: EventIn) -> dict[str, Person]:
    """Display names for agendas: the event file's `name` if given, else the database's."""
    requirement_ids = [r for b in event.buyers for r in b.requirement_ids]
    with ws.sessions() as session:
        requirements = {
            r.id: r for r in session.scalars(select(Requirement).where(Requirement.id.in_(requirement_ids)))
        }
        suppliers = {
            s.id: s
            for s in session.scalars(select(Supplier).where(Supplier.id.in_([s.id for s in event.suppliers])))
        }
        people: dict[str, Person] = {}
        for buyer in event.buyers:
            own = [requirements[r] for r in buyer.requirement_ids if r in requirements]
            name = (buyer.model_extra or {}).get("name") or (own[0].lead_firm.name if own else buyer.id)
            people[buyer.id] = Person(buyer.id, str(name), "buyer", "; ".join(r.title for r in own))
        for participant in event.suppliers:
            record = suppliers.get(participant.id)
            name = (participant.model_extra or {}).get("name") or (record.name if record else participant.id)
            about = ""
            if record is not None:
                about = " · ".join(filter(None, [record.province, ", ".join(record.products[:3])]))
            people[participant.id] = Person(participant.id, str(name), "supplier", about)
    return people


# ── after the event ──────────────────────────────────────────────────────────


def record_meeting(
    ws: Workspace,
    event_id: str,
    buyer_id: str,
    supplier_id: str,
    *,
    held: bool,
    recorded_by: str,
    reason: str | None = None,
) -> tuple[MeetingRecord, Outcome | None]:
    """Record whether a scheduled meeting took place. A held meeting also becomes a `meeting`
    outcome for the buyer's requirement the supplier fits best, dated the meeting's day; a
    meeting not held is kept with its reason (no-shows are what organisers chase next time)."""
    event = load_event(ws, event_id)
    planned = _planned(ws, event, buyer_id, supplier_id)
    if not held and reason is None:
        raise BadInput(
            "reason: say why the meeting was not held (buyer_absent, supplier_absent, cancelled, other)"
        )
    outcome = None
    with ws.sessions() as session:
        if held:
            outcome = record_outcome(
                db_session=session,
                recorded_by=recorded_by,
                data=OutcomeIn(
                    requirement_id=_best_requirement(ws, event, buyer_id, supplier_id),
                    supplier_id=supplier_id,
                    stage="meeting",
                    event_date=datetime.fromisoformat(planned["start"]).date(),
                    note=f"B2B meeting at {event.name or event_id}, table {planned['table']}",
                ),
            )
        record = MeetingRecord(
            event_id=event_id,
            buyer_id=buyer_id,
            supplier_id=supplier_id,
            result="held" if held else "not_held",
            reason=None if held else reason,
            outcome_id=outcome.id if outcome else None,
            recorded_by=recorded_by,
        )
        session.add(record)
        session.commit()
        session.refresh(record)
        if outcome is not None:
            session.refresh(outcome)
        session.expunge_all()
    return record, outcome


def follow_up(
    ws: Workspace, event_id: str, buyer_id: str, supplier_id: str, data: dict[str, Any], recorded_by: str
) -> Outcome:
    """A later funnel stage (rfq, sample, contract, rejected…) for a pair that met at the event,
    recorded against the same requirement as their meeting."""
    event = load_event(ws, event_id)
    _planned(ws, event, buyer_id, supplier_id)
    with ws.sessions() as session:
        met_under = session.scalars(
            select(Outcome.requirement_id)
            .join(MeetingRecord, MeetingRecord.outcome_id == Outcome.id)
            .where(MeetingRecord.event_id == event_id, MeetingRecord.buyer_id == buyer_id)
            .where(MeetingRecord.supplier_id == supplier_id)
            .order_by(MeetingRecord.id.desc())
        ).first()
        requirement_id = met_under or _best_requirement(ws, event, buyer_id, supplier_id)
        note = data.get("note") or f"after {event.name or event_id}"
        outcome = record_outcome(
            db_session=session,
            recorded_by=recorded_by,
            data=OutcomeIn(requirement_id=requirement_id, supplier_id=supplier_id, **{**data, "note": note}),
        )
        session.expunge(outcome)
        return outcome


def results(ws: Workspace, event_id: str) -> dict[str, Any]:
    """How the event went: meetings held, not held (and why), not yet recorded, and how far each
    pair that met has gone since (the furthest outcome stage for its requirement)."""
    plan = current_schedule(ws, event_id)
    event = load_event(ws, event_id)
    with ws.sessions() as session:
        latest: dict[tuple[str, str], MeetingRecord] = {}
        for record in session.scalars(
            select(MeetingRecord).where(MeetingRecord.event_id == event_id).order_by(MeetingRecord.id)
        ):
            latest[(record.buyer_id, record.supplier_id)] = record  # a later record corrects an earlier one
        scheduled = {(m["buyer_id"], m["supplier_id"]) for m in plan["meetings"]}
        held = [pair for pair, r in latest.items() if r.result == "held" and pair in scheduled]
        not_held = Counter(
            r.reason for pair, r in latest.items() if r.result == "not_held" and pair in scheduled
        )
        buyers = {b.id: b.requirement_ids for b in event.buyers}
        furthest: Counter[str] = Counter()
        for buyer_id, supplier_id in held:
            stages = session.scalars(
                select(Outcome.stage).where(
                    Outcome.supplier_id == supplier_id, Outcome.requirement_id.in_(buyers.get(buyer_id, []))
                )
            ).all()
            if stages:
                furthest[max(stages, key=STAGES.index)] += 1
    recorded = len(held) + sum(not_held.values())
    return {
        "event_id": event_id,
        "scheduled": len(scheduled),
        "held": len(held),
        "not_held": sum(not_held.values()),
        "not_held_reasons": dict(not_held),
        "unrecorded": len(scheduled) - recorded,
        "attendance_rate": round(len(held) / recorded, 3) if recorded else None,
        "furthest_stage": dict(furthest),
        "meetings": {f"{b}|{s}": r.result for (b, s), r in latest.items() if (b, s) in scheduled},
    }


def _planned(ws: Workspace, event: EventIn, buyer_id: str, supplier_id: str) -> dict[str, Any]:
    buyer = next((b for b in event.buyers if b.id == buyer_id), None)
    if buyer is None or not buyer.requirement_ids:
        raise BadInput(f"{buyer_id!r} is not a buyer with requirements at event {event.id!r}")
    for meeting in current_schedule(ws, event.id)["meetings"]:
        if (meeting["buyer_id"], meeting["supplier_id"]) == (buyer_id, supplier_id):
            return meeting
    raise BadInput(f"{buyer_id} and {supplier_id} had no meeting on the schedule of {event.id!r}")


def _best_requirement(ws: Workspace, event: EventIn, buyer_id: str, supplier_id: str) -> str:
    buyer = next(b for b in event.buyers if b.id == buyer_id)
    return max(buyer.requirement_ids, key=lambda rid: _requirement_score(ws, rid, supplier_id))


def _requirement_score(ws: Workspace, requirement_id: str, supplier_id: str) -> float:
    doc, vector = matching.requirement_for(ws, requirement_id)
    stored = ws.backend.fetch("supplier", [supplier_id]).get(supplier_id)
    if stored is None:
        return 0.0
    prepared = ws.scorer.prepare(doc.payload, vector, ws.backend.document_frequencies("supplier"))
    match = ws.scorer.score(prepared, stored.payload, stored.vector, supplier_id, explain=False)
    return match.score if match else 0.0
