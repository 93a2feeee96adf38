"""Supplier: a domestic (or foreign-owned) enterprise's capability profile."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow
from models.fields import Identifier, TextList, WholeNumber
from models.fields import Text as TextField
from models.vocabulary.certifications import find as find_certifications
from models.vocabulary.provinces import canonical_province
from models.vocabulary.text import fold, nfc

Ownership = Literal["domestic", "fdi", "joint_venture"]
# Folded keywords, checked in this order ("liên doanh với nước ngoài" is a joint venture).
_OWNERSHIP_KEYWORDS = [
    ("joint_venture", re.compile(r"joint|lien doanh|\bjv\b")),
    ("fdi", re.compile(r"fdi|foreign|nuoc ngoai|von ngoai")),
    (
        "domestic",
        re.compile(r"domestic|local|trong nuoc|noi dia|viet nam|vietnamese|tu nhan|nha nuoc|private"),
    ),
]


class Supplier(Base):
    """The system-of-record row; list fields are JSON arrays."""

    __tablename__ = "suppliers"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    products: Mapped[list] = mapped_column(default=list)
    processes: Mapped[list] = mapped_column(default=list)
    materials: Mapped[list] = mapped_column(default=list)
    sectors: Mapped[list] = mapped_column(default=list)
    customers: Mapped[list] = mapped_column(default=list)
    export_markets: Mapped[list] = mapped_column(default=list)
    certifications: Mapped[list] = mapped_column(default=list)
    province: Mapped[str | None] = mapped_column(String(120))
    province_canonical: Mapped[str | None] = mapped_column(String(60), index=True)
    ownership: Mapped[str] = mapped_column(String(20), default="domestic", index=True)
    employees: Mapped[int | None]
    year_established: Mapped[int | None]
    tax_code: Mapped[str | None] = mapped_column(String(14), index=True)
    extra: Mapped[dict] = mapped_column(default=dict)
    source: Mapped[str | None] = mapped_column(String(500))
    # Set when an officer merged this record into another (a duplicate); undoing clears it.
    merged_into: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)

    def to_dict(self) -> dict[str, Any]:
        """The profile as the import file would carry it (plus canonical province)."""
        out = {field: getattr(self, field) for field in SupplierIn.model_fields}
        # Extras never shadow a field or a derived value (an old row's "province_canonical").
        out.update({k: v for k, v in (self.extra or {}).items() if k not in out and k not in DERIVED_FIELDS})
        out["province_canonical"] = self.province_canonical
        return out


_TAX_CODE = re.compile(r"^(\d{10})(?:-?(\d{3}))?$")
_TAX_LABEL = re.compile(r"^\s*(?:mst|ma so thue|tax code|tax id)\s*[:.]?\s*")


def canonical_tax_code(value: str | None) -> str | None:
    """A tax code as written canonically ("0101234567", branch "0101234567-001"), or None if
    the text is not one. Spaces, dots and an "MST:" label are ignored; a code a spreadsheet
    stored as a number (0101234567 → 101234567) gets its leading zero back."""
    if not value:
        return None
    text = _TAX_LABEL.sub("", fold(str(value)))  # "MST: 0101234567"
    digits = re.sub(r"[\s.]", "", text)
    if digits.isdigit() and len(digits) in (9, 12) and digits[0] != "0":  # a spreadsheet dropped the 0
        digits = "0" + digits
    match = _TAX_CODE.match(digits)
    if not match:
        return None
    return match[1] + (f"-{match[2]}" if match[2] else "")


# Set only by an officer's verify action; never taken from a profile write.
VERIFICATION_FIELDS = ("verified_by", "verified_at", "evidence", "verified")
# Worked out from other fields, never taken from input (a profile cannot fake its province).
DERIVED_FIELDS = frozenset(
    {
        "province_canonical",
        "region",
        "trader",
        "concepts",
        "tokens",
        "merged_into",
        "source",
        "extra",
        "reading",
    }
)


class CertificateIn(BaseModel):
    """A certificate object (CONTRACT.md); strings become claims via `SupplierIn`."""

    model_config = ConfigDict(extra="allow")

    standard: str
    number: str | None = None
    issuer: str | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    status: Literal["claimed", "verified", "in_progress", "expired"] = "claimed"

    @model_validator(mode="after")
    def _no_self_verification(self) -> CertificateIn:
        """Verification is an officer's act (`certificate verify`), never part of a profile:
        a written "verified" is a claim, and verification fields given are dropped. Facts an
        officer recorded survive an edit (`matchmaker.certificates.carry_verification`)."""
        if self.status == "verified":
            self.status = "claimed"
        for key in VERIFICATION_FIELDS:
            (self.model_extra or {}).pop(key, None)
        return self

    @field_validator("standard")
    @classmethod
    def _standard(cls, value: str) -> str:
        if not nfc(value):
            raise ValueError("must not be empty")
        return nfc(value)

    @model_validator(mode="after")
    def _dates(self) -> CertificateIn:
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValueError("valid_until is before valid_from")
        return self


def normalise_certificates(entries: list[str | CertificateIn]) -> list[dict[str, Any]]:
    """Canonical certificate facts from strings ("ISO9001:2015", "đang triển khai IATF") or objects."""
    out: list[dict[str, Any]] = []
    for entry in entries:
        if isinstance(entry, CertificateIn):
            mentions = find_certifications(entry.standard)
            cert = entry.model_dump(mode="json", exclude_none=True)
            if mentions:
                cert["standard"] = mentions[0].standard
                if mentions[0].edition:
                    cert.setdefault("edition", mentions[0].edition)
            cert.setdefault("raw", entry.standard)  # a certificate kept from before keeps its wording
            out.append(cert)
            continue
        mentions = find_certifications(entry)
        if not mentions:
            out.append({"standard": nfc(entry), "status": "claimed", "raw": nfc(entry)})
        for m in mentions:
            cert = {"standard": m.standard, "status": m.status, "raw": nfc(entry)}
            if m.edition:
                cert["edition"] = m.edition
            out.append(cert)
    return out


class SupplierIn(BaseModel):
    """A supplier row as imported or posted; unknown fields are kept as extras."""

    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    id: Identifier = Field(max_length=64)
    name: str = Field(min_length=1, max_length=300)
    description: TextField = None
    products: TextList = []
    processes: TextList = []
    materials: TextList = []
    sectors: TextList = []
    customers: TextList = []
    export_markets: TextList = []
    certifications: list[str | CertificateIn] = []
    province: TextField = None
    ownership: Ownership = "domestic"
    employees: WholeNumber = Field(default=None, ge=0, le=2_000_000)
    year_established: WholeNumber = Field(default=None, ge=1800, le=2100)
    tax_code: TextField = None  # mã số thuế: 10 digits, or 10 + "-" + 3 for a branch

    @model_validator(mode="before")
    @classmethod
    def _tax_code_as_id(cls, data: Any) -> Any:
        """A sheet keyed by tax code alone ("Mã số thuế", no id column): the tax code is the id,
        as CONTRACT.md recommends."""
        if isinstance(data, dict) and data.get("id") in (None, "") and data.get("tax_code") not in (None, ""):
            code = data["tax_code"]
            return {**data, "id": canonical_tax_code(str(code)) or code}
        return data

    @field_validator("year_established")
    @classmethod
    def _not_founded_in_the_future(cls, value: int | None) -> int | None:
        if value is not None and value > date.today().year:
            raise ValueError(f"must not be after this year ({date.today().year})")
        return value

    @field_validator("tax_code", mode="before")
    @classmethod
    def _numeric_tax_code(cls, value: Any) -> Any:
        if isinstance(value, float) and value.is_integer():  # XLSX numbers
            value = int(value)
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("tax_code")
    @classmethod
    def _tax_code(cls, value: str | None) -> str | None:
        if value is None:
            return None
        canonical = canonical_tax_code(value)
        if canonical is None:
            raise ValueError(
                f"{value!r} is not a Vietnamese tax code: 10 digits, or 10 digits, '-' and 3 for a branch"
            )
        return canonical

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, value: Any) -> Any:
        return nfc(value) if isinstance(value, str) else value

    @field_validator("ownership", mode="before")
    @classmethod
    def _ownership(cls, value: Any) -> Any:
        if value is None or value == "":
            return "domestic"
        if isinstance(value, str):
            key = fold(value).replace("_", " ")
            for ownership, pattern in _OWNERSHIP_KEYWORDS:
                if pattern.search(key):
                    return ownership
            raise ValueError(f"must be domestic, fdi or joint_venture, not {value!r}")
        return value

    @field_validator("certifications", mode="before")
    @classmethod
    def _certifications(cls, value: Any) -> Any:
        if value is None or value == "":
            return []
        if isinstance(value, str):
            return [part for part in value.split(";") if part.strip()]
        return value

    def record_fields(self) -> dict[str, Any]:
        """Column values for the fields this row actually carried (upsert keeps the rest)."""
        given = self.model_fields_set | {"id", "name"}
        values: dict[str, Any] = {}
        for field in SupplierIn.model_fields:
            if field not in given:
                continue
            value = getattr(self, field)
            if field == "certifications":
                value = normalise_certificates(value)
            values[field] = value
        if "province" in given:
            values["province_canonical"] = canonical_province(self.province)
        extra = {
            k: v
            for k, v in (self.model_extra or {}).items()
            if v not in (None, "") and k not in DERIVED_FIELDS
        }
        if extra:
            values["extra"] = extra
        return values


class MergeIn(BaseModel):
    """An officer's decision that two supplier records are one enterprise."""

    model_config = ConfigDict(extra="forbid")

    survivor_id: Identifier
    merged_id: Identifier
    reasons: list[str] = []


class VerifyIn(BaseModel):
    """An officer checked a certificate; evidence is a link or file reference."""

    model_config = ConfigDict(extra="forbid")

    standard: str = Field(min_length=1, max_length=100)
    evidence: str | None = Field(default=None, max_length=1000)

    @field_validator("evidence")
    @classmethod
    def _evidence(cls, value: str | None) -> str | None:
        return evidence_reference(value)


def evidence_reference(value: str | None) -> str | None:
    """Evidence for a verification: an http(s) link (a `javascript:` link would run in the
    reader's browser), or a reference without a scheme ("scan 2026/117") kept as text."""
    if value is None or not value.strip():
        return None
    value = nfc(value)
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:", value) and not re.match(r"^https?://\S+$", value, re.I):
        raise ValueError("evidence must be an http(s) link or a plain reference")
    return value
