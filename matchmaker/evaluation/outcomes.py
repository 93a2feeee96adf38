"""Outcome events: append-only records of what followed a match (contacted … contract)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from matchmaker.accounts.service import Principal, authorise_firm
from matchmaker.errors import BadInput, NotFound
from models.outcome import Outcome, OutcomeIn
from models.requirement import Requirement
from models.supplier import Supplier


def record_outcome(
    *, db_session: Session, data: OutcomeIn, recorded_by: str, who: Principal | None = None
) -> Outcome:
    """Append one event; a correction names the event it supersedes (same pair).

    `who` writes it: a buyer only on its own lead firm's requirements (officers and admins on
    any; `None` is the operator at the command line or a service acting for one)."""
    requirement = db_session.get(Requirement, data.requirement_id)
    if requirement is None:
        raise NotFound(f"no requirement with id {data.requirement_id!r}")
    authorise_firm(db_session=db_session, who=who, lead_firm=requirement.lead_firm.name, what="outcomes")
    if db_session.get(Supplier, data.supplier_id) is None:
        raise NotFound(f"no supplier with id {data.supplier_id!r}")
    if data.supersedes_id is not None:
        earlier = db_session.get(Outcome, data.supersedes_id)
        if earlier is None or (earlier.requirement_id, earlier.supplier_id) != (
            data.requirement_id,
            data.supplier_id,
        ):
            raise BadInput(f"supersedes_id: no event {data.supersedes_id} for this requirement and supplier")
    if data.event_date and data.event_date > date.today():
        raise BadInput("event_date: must not be in the future")
    event = Outcome(
        requirement_id=data.requirement_id,
        supplier_id=data.supplier_id,
        stage=data.stage,
        reason=data.reason,
        note=data.note,
        value_vnd=data.value_vnd,
        event_date=data.event_date or date.today(),
        recorded_by=recorded_by,
        supersedes_id=data.supersedes_id,
    )
    db_session.add(event)
    db_session.commit()
    return event
