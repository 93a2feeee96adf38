"""A B2B meeting event as organisers describe it (CONTRACT.md "Event schedule file")."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, append_only, utcnow
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


# After the event: a scheduled meeting was held, or not (and why not).
MeetingResult = Literal["held", "not_held"]
NotHeldReason = Literal["buyer_absent", "supplier_absent", "cancelled", "other"]
NOT_HELD_REASONS: tuple[str, ...] = get_args(NotHeldReason)


class MeetingRecord(Base):
    """Whether a scheduled meeting took place. Append-only like outcomes: a later record for the
    same pair is the correction, the earlier one stays on file."""

    __tablename__ = "event_meeting_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"), index=True)
    buyer_id: Mapped[str] = mapped_column(String(64))
    supplier_id: Mapped[str] = mapped_column(String(64))
    result: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(20))
    outcome_id: Mapped[int | None] = mapped_column(ForeignKey("outcomes.id"))
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


append_only(MeetingRecord, "record a new one instead")


class SlotIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start: datetime
    end: datetime

    @model_validator(mode="after")
    def _ordered(self) -> SlotIn:
        if (self.start.tzinfo is None) != (self.end.tzinfo is None):
            raise ValueError("give both times with a UTC offset, or neither")
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self


class MeetingResultIn(BaseModel):
    """After the event, for one scheduled pair: held or not (and why not), or a later funnel stage."""

    model_config = ConfigDict(extra="forbid")

    buyer_id: Identifier
    supplier_id: Identifier
    result: Literal["held", "not_held", "rfq", "sample_approved", "audit_passed", "contract", "rejected"]
    reason: str | None = None
    note: str | None = Field(default=None, max_length=2000)
    value_vnd: int | None = Field(default=None, ge=0, le=10**15)
    event_date: date | None = None

    @model_validator(mode="after")
    def _reason(self) -> MeetingResultIn:
        if self.result == "not_held" and self.reason not in NOT_HELD_REASONS:
            raise ValueError(f"reason: a meeting not held needs one of {', '.join(NOT_HELD_REASONS)}")
        return self


class BreakIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start: time
    end: time


class TimetableIn(BaseModel):
    """Slots described the way organisers plan them: days, opening hours, slot length, breaks."""

    model_config = ConfigDict(extra="forbid")

    days: list[date] = Field(min_length=1, max_length=14)
    start: time
    end: time
    slot_minutes: int = Field(ge=5, le=240)
    breaks: list[BreakIn] = []

    def slots(self) -> list[SlotIn]:
        """Back-to-back slots from opening to closing each day; a slot touching a break is dropped."""
        length = timedelta(minutes=self.slot_minutes)
        out = []
        for day in self.days:
            at, closing = datetime.combine(day, self.start), datetime.combine(day, self.end)
            while at + length <= closing:
                overlapping = next(
                    (
                        b
                        for b in self.breaks
                        if at < datetime.combine(day, b.end) and datetime.combine(day, b.start) < at + length
                    ),
                    None,
                )
                if overlapping:
                    at = max(at, datetime.combine(day, overlapping.end))
                    continue
                out.append(SlotIn(start=at, end=at + length))
                at += length
        return out


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
    # Either the slots themselves or a timetable they are cut from.
    slots: list[SlotIn] = Field(default=[], max_length=500)
    timetable: TimetableIn | None = None
    buyers: list[BuyerIn] = []
    suppliers: list[ParticipantIn] = []
    requests: list[RequestIn] = []
    # Re-planning (optional): meetings that must stay, and the earlier plan to change little.
    confirmed: list[PlacedMeetingIn] = []
    previous: list[PlacedMeetingIn] = []

    @model_validator(mode="after")
    def _references(self) -> EventIn:
        if not self.slots and self.timetable:
            self.slots = self.timetable.slots()
        if not self.slots:
            raise ValueError("slots: give at least one slot, or a timetable (days, start, end, slot_minutes)")
        if len(self.slots) > 500:
            raise ValueError("slots: at most 500")
        # Slots overlapping in time would let one person be booked into two meetings at once.
        try:
            ordered = sorted(range(len(self.slots)), key=lambda i: self.slots[i].start)
        except TypeError:  # some times with a UTC offset, some without: they cannot be ordered
            raise ValueError("slots: give every slot's times with a UTC offset, or none") from None
        for first, second in zip(ordered, ordered[1:], strict=False):
            if self.slots[second].start < self.slots[first].end:
                raise ValueError(f"slots: {first} and {second} overlap in time")
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
        asked: dict[tuple[str, str], str] = {}
        for r in self.requests:
            if r.buyer_id not in buyers or r.supplier_id not in suppliers:
                raise ValueError(
                    f"requests: {r.buyer_id} / {r.supplier_id} is not a buyer / supplier of this event"
                )
            kind = asked.setdefault((r.buyer_id, r.supplier_id), r.kind)
            if kind != r.kind:
                raise ValueError(
                    f"requests: {r.buyer_id} / {r.supplier_id} is asked as both {kind} and {r.kind}"
                )
        return self
