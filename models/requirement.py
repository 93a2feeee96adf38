"""Lead firm and its localisation requirement."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow
from models.fields import FlexibleBool, Identifier, TextList
from models.fields import Text as TextField
from models.vocabulary.certifications import canonical as canonical_certification
from models.vocabulary.provinces import canonical_province
from models.vocabulary.sectors import canonical_sector
from models.vocabulary.text import nfc


class LeadFirm(Base):
    """A multinational or large domestic assembler that posts requirements."""

    __tablename__ = "lead_firms"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Requirement(Base):
    """A localisation requirement: what a lead firm wants made in Vietnam."""

    __tablename__ = "requirements"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    lead_firm_id: Mapped[int] = mapped_column(ForeignKey("lead_firms.id"), index=True)
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)
    sector: Mapped[str | None] = mapped_column(String(120))
    sector_code: Mapped[str | None] = mapped_column(String(40), index=True)
    required_certifications: Mapped[list] = mapped_column(default=list)
    preferred_provinces: Mapped[list] = mapped_column(default=list)
    annual_volume: Mapped[str | None] = mapped_column(String(200))
    include_foreign_owned: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    extra: Mapped[dict] = mapped_column(default=dict)
    source: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)

    lead_firm: Mapped[LeadFirm] = relationship(lazy="joined")

    def to_dict(self) -> dict[str, Any]:
        out = {field: getattr(self, field) for field in RequirementIn.model_fields if field != "lead_firm"}
        out["lead_firm"] = self.lead_firm.name
        out.update({k: v for k, v in (self.extra or {}).items() if k not in out and k != "sector_code"})
        out["sector_code"] = self.sector_code
        return out


class RequirementIn(BaseModel):
    """A requirement row as imported or posted; unknown fields are kept as extras."""

    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    id: Identifier = Field(max_length=64)
    lead_firm: str = Field(min_length=1, max_length=300)
    title: str = Field(min_length=1, max_length=500)
    description: TextField = None
    sector: TextField = None
    required_certifications: TextList = []
    preferred_provinces: TextList = []
    annual_volume: TextField = None
    include_foreign_owned: FlexibleBool = False
    status: Literal["open", "closed"] = "open"

    @field_validator("lead_firm", "title", mode="before")
    @classmethod
    def _nfc(cls, value: Any) -> Any:
        return nfc(value) if isinstance(value, str) else value

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value: Any) -> Any:
        return "open" if value in (None, "") else value

    def record_fields(self) -> dict[str, Any]:
        """Column values for the fields this row carried (lead firm resolved by the service)."""
        given = self.model_fields_set | {"id", "title"}
        values: dict[str, Any] = {}
        for field in RequirementIn.model_fields:
            if field in given and field != "lead_firm":
                values[field] = getattr(self, field)
        if "required_certifications" in given:
            values["required_certifications"] = list(
                dict.fromkeys(canonical_certification(c) for c in self.required_certifications)
            )
        if "sector" in given:
            values["sector_code"] = canonical_sector(self.sector)
        # Derived and lifecycle fields never come from input.
        derived = {"sector_code", "concepts", "reading", "lead_firm_id", "source", "extra"}
        extra = {
            k: v for k, v in (self.model_extra or {}).items() if v not in (None, "") and k not in derived
        }
        if extra:
            values["extra"] = extra
        return values


def canonical_provinces(names: list[str]) -> list[str]:
    """Today's provinces for a list of (possibly pre-2025) names, unknown ones dropped."""
    return list(dict.fromkeys(p for p in map(canonical_province, names) if p))
