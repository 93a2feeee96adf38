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
    ("products", 16, "hint.products"),
    ("processes", 16, "hint.processes"),
    ("certifications", 14, "hint.certifications"),
    ("materials", 10, "hint.materials"),
    ("description", 10, "hint.description"),
    ("province", 8, "hint.province"),
    ("contact", 8, "hint.contact"),
    ("sectors", 6, "hint.sectors"),
    ("customers", 5, "hint.customers"),
    ("employees", 4, "hint.employees"),
    ("year_established", 3, "hint.year_established"),
]
_CONTACT = ("phone", "email", "mobile", "dien_thoai", "contact", "contact_email", "website")


def completeness(profile: dict[str, Any]) -> tuple[int, list[str]]:
    """(percent complete, hint keys for what is missing, most valuable first). Every field a
    buyer can search or filter on counts, so 100 % means nothing is left to add."""
    score, hints = 0, []
    for field, weight, hint in CHECKS:
        present = any(profile.get(k) for k in _CONTACT) if field == "contact" else profile.get(field)
        if present:
            score += weight
        else:
            hints.append(hint)
    return score, hints


# A capability the requirement wants at least this share of its heaviest node's weight is worth
# adding to a profile; less is context.
GAP_SHARE = 0.5


def opportunity_gap(explanation: dict[str, Any]) -> dict[str, list[str]]:
    """What would lift this supplier on this requirement: certificates it lacks, capabilities
    the requirement names that the profile does not show, a province the buyer prefers."""
    missing = [m["standard"] for m in explanation.get("certifications", {}).get("missing", [])]
    unmatched = explanation.get("unmatched_capabilities", [])
    # Not what only colours the request (its use, an aside), nor a look-alike's trade.
    every = [*unmatched, *explanation.get("matched_capabilities", [])]
    heaviest = max((c.get("weight", 1.0) for c in every), default=0.0)
    capabilities = [
        c.get("label_vi") or c["label"]
        for c in unmatched
        if not c.get("lookalike") and c.get("weight", 1.0) >= GAP_SHARE * heaviest
    ]
    province = explanation.get("province", {})
    preferred = province.get("preferred") or [] if province.get("match") == "other" else []
    return {"certificates": missing, "capabilities": capabilities[:3], "provinces": preferred[:3]}
