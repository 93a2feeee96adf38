"""Outcome events: what happened after a match was shown. Append-only by construction."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import BigInteger, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, append_only, utcnow
from models.fields import Identifier
from models.fields import Text as TextField

# Funnel order (CONTRACT.md); `rejected` ends a pair's funnel and needs a reason.
Stage = Literal[
    "shortlisted", "contacted", "meeting", "rfq", "sample_approved", "audit_passed", "contract", "rejected"
]
STAGES: tuple[str, ...] = get_args(Stage)
RejectionReason = Literal[
    "price", "quality", "capacity", "certification", "delivery", "distance", "no_response", "other"
]
REJECTION_REASONS: tuple[str, ...] = get_args(RejectionReason)


class Outcome(Base):
    """One event in a (requirement, supplier) pair's history. Never updated, never deleted:
    a correction is a new event that names the one it supersedes."""

    __tablename__ = "outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    requirement_id: Mapped[str] = mapped_column(ForeignKey("requirements.id"), index=True)
    supplier_id: Mapped[str] = mapped_column(ForeignKey("suppliers.id"), index=True)
    stage: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    value_vnd: Mapped[int | None] = mapped_column(BigInteger)
    event_date: Mapped[date]
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("outcomes.id"))

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "requirement_id": self.requirement_id,
            "supplier_id": self.supplier_id,
            "stage": self.stage,
            "reason": self.reason,
            "note": self.note,
            "value_vnd": self.value_vnd,
            "event_date": self.event_date.isoformat(),
            "recorded_by": self.recorded_by,
            "recorded_at": self.recorded_at.isoformat(),
            "supersedes_id": self.supersedes_id,
        }


append_only(Outcome, "record a superseding event instead")


class OutcomeIn(BaseModel):
    """An outcome as posted or typed at the command line."""

    model_config = ConfigDict(extra="forbid")

    requirement_id: Identifier
    supplier_id: Identifier
    stage: Stage
    reason: RejectionReason | None = None
    note: TextField = None
    # Bounded so no value overflows a database integer (a quadrillion VND is far beyond any contract).
    value_vnd: int | None = Field(default=None, ge=0, le=10**15)
    event_date: date | None = None
    supersedes_id: int | None = Field(default=None, ge=1, le=2**31 - 1)

    @model_validator(mode="after")
    def _consistent(self) -> OutcomeIn:
        if self.stage == "rejected" and not self.reason:
            raise ValueError(f"a rejection needs a reason: one of {', '.join(REJECTION_REASONS)}")
        if self.stage != "rejected" and self.reason:
            raise ValueError("reason is only for the 'rejected' stage")
        if self.value_vnd is not None and self.stage != "contract":
            raise ValueError("value_vnd is only for the 'contract' stage")
        return self
