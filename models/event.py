"""A B2B meeting event as organisers describe it (CONTRACT.md "Event schedule file")."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow
from models.fields import Identifier


class Event(Base):
    """A B2B meeting event as last posted (the whole event file is kept as JSON)."""

    __tablename__ = "events"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[dict]
    created_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class EventSchedule(Base):
    """One generated schedule; the newest per event is the current one (older ones are kept)."""

    __tablename__ = "event_schedules"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"), index=True)
    result: Mapped[dict]
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SlotIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start: datetime
    end: datetime

    @model_validator(mode="after")
    def _ordered(self) -> SlotIn:
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self


class ParticipantIn(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: Identifier
    max_meetings: int | None = Field(default=None, ge=0)
    unavailable_slots: list[int] = []


class BuyerIn(ParticipantIn):
    requirement_ids: list[str] = []


class RequestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    buyer_id: Identifier
    supplier_id: Identifier
    kind: Literal["must", "want", "avoid"]


class PlacedMeetingIn(BaseModel):
    """A meeting already on the plan: `confirmed` ones stay put, `previous` ones move only if they must."""

    model_config = ConfigDict(extra="allow")

    buyer_id: Identifier
    supplier_id: Identifier
    slot: int = Field(ge=0)


class EventIn(BaseModel):
    """The whole event file; references between its parts are checked here."""

    model_config = ConfigDict(extra="allow")

    id: Identifier
    name: str = ""
    tables: int = Field(ge=1, le=10_000)
    slots: list[SlotIn] = Field(min_length=1, max_length=500)
    buyers: list[BuyerIn] = []
    suppliers: list[ParticipantIn] = []
    requests: list[RequestIn] = []
    # Re-planning (optional): meetings that must stay, and the earlier plan to change little.
    confirmed: list[PlacedMeetingIn] = []
    previous: list[PlacedMeetingIn] = []

    @model_validator(mode="after")
    def _references(self) -> EventIn:
        for role, people in (("buyers", self.buyers), ("suppliers", self.suppliers)):
            ids = [p.id for p in people]
            if len(ids) != len(set(ids)):
                raise ValueError(f"{role}: duplicate id")
            for p in people:
                bad = [i for i in p.unavailable_slots if not 0 <= i < len(self.slots)]
                if bad:
                    raise ValueError(
                        f"{role} {p.id}: unavailable_slots {bad} are not slot numbers 0-{len(self.slots) - 1}"
                    )
        buyers, suppliers = {b.id for b in self.buyers}, {s.id for s in self.suppliers}
        for m in (*self.confirmed, *self.previous):
            if m.slot >= len(self.slots):
                raise ValueError(f"confirmed/previous: slot {m.slot} does not exist")
        for r in self.requests:
            if r.buyer_id not in buyers or r.supplier_id not in suppliers:
                raise ValueError(
                    f"requests: {r.buyer_id} / {r.supplier_id} is not a buyer / supplier of this event"
                )
        return self
