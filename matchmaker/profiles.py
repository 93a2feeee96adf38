"""How complete a supplier profile is, and what to add next (the profile page's meter)."""

from __future__ import annotations

from typing import Any

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
