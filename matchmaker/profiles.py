"""What of a supplier profile the public sees, and how complete it is (the profile page's meter).

Public fields are an allow-list: contact details in any naming or language (`dien_thoai`,
`mobile`, `contact_email`, `địa chỉ`) and every unknown extra field stay private, shown only to
signed-in buyers, officers and the supplier itself."""

from __future__ import annotations

from typing import Any

PUBLIC_FIELDS = (
    "id",
    "name",
    "description",
    "products",
    "processes",
    "materials",
    "sectors",
    "customers",
    "export_markets",
    "certifications",
    "province",
    "province_canonical",
    "ownership",
    "employees",
    "year_established",
)
# Private fields of a certificate object (its number and scan stay with the officers' copy).
_PUBLIC_CERTIFICATE_FIELDS = (
    "standard",
    "edition",
    "issuer",
    "valid_from",
    "valid_until",
    "status",
    "verified_by",
    "verified_at",
    "evidence",
    "raw",
    "scope",
)


def public_profile(profile: dict[str, Any]) -> dict[str, Any]:
    """The allow-listed part of a profile (a `Supplier.to_dict()`)."""
    out = {k: profile[k] for k in PUBLIC_FIELDS if k in profile}
    out["certifications"] = [
        {k: v for k, v in cert.items() if k in _PUBLIC_CERTIFICATE_FIELDS}
        for cert in out.get("certifications") or []
    ]
    return out


def private_details(profile: dict[str, Any]) -> dict[str, Any]:
    """Everything not public that has a value: contacts, tax code, extra fields."""
    return {k: v for k, v in profile.items() if k not in PUBLIC_FIELDS and v not in (None, "", [], {})}


# field → (weight, hint key); weights add up to 100. Ordered by what buyers filter on most.
CHECKS: list[tuple[str, int, str]] = [
    ("certifications", 20, "hint.certifications"),
    ("products", 20, "hint.products"),
    ("processes", 20, "hint.processes"),
    ("description", 15, "hint.description"),
    ("province", 15, "hint.province"),
    ("employees", 10, "hint.employees"),
]


def completeness(profile: dict[str, Any]) -> tuple[int, list[str]]:
    """(percent complete, hint keys for what is missing, most valuable first)."""
    score, hints = 0, []
    for field, weight, hint in CHECKS:
        if profile.get(field):
            score += weight
        else:
            hints.append(hint)
    return score, hints
