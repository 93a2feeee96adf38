"""An ad-hoc search request (API, web form): free text plus optional filters and constraints."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from models.fields import FlexibleBool, TextList
from models.requirement import canonical_provinces
from models.vocabulary.certifications import canonical as canonical_certification
from models.vocabulary.sectors import canonical_sector


class SearchFilters(BaseModel):
    """Filters narrow the candidates; the requirement-like fields shape the score."""

    model_config = ConfigDict(extra="forbid")

    sector: TextList = []
    province: TextList = []
    certification: TextList = Field(default=[], description="held (valid) certificates, all of them")
    ownership: list[str] = Field(
        default=[], description="domestic, joint_venture (fdi needs include_foreign_owned)"
    )
    required_certifications: TextList = []
    preferred_provinces: TextList = []
    include_foreign_owned: FlexibleBool = False

    @field_validator("ownership", mode="before")
    @classmethod
    def _ownership(cls, value):
        values = [value] if isinstance(value, str) else value
        allowed = {"domestic", "joint_venture", "fdi"}
        if not isinstance(values, list) or any(not isinstance(v, str) or v not in allowed for v in values):
            raise ValueError("must be a list of domestic, joint_venture, fdi")
        return values

    def retrieval_filters(self) -> dict[str, list[str]]:
        """Filters in the canonical form the search backends use."""
        return {
            "sector": [s for s in map(canonical_sector, self.sector) if s],
            "province": canonical_provinces(self.province),
            "certification": [canonical_certification(c) for c in self.certification],
            "ownership": list(self.ownership),
        }


class SearchIn(BaseModel):
    text: str = Field(min_length=1, max_length=5000)
    filters: SearchFilters = Field(default_factory=SearchFilters)
    top: int = Field(default=10, ge=1, le=200)
