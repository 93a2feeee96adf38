"""A concept a document's reading implies but does not name, with the reason the explanation
gives ("ABS housing → plastic injection", "classifier 0.82")."""

from __future__ import annotations

from typing import Any


def add_inferred(
    found: dict[str, dict[str, Any]], cid: str, weight: float, reason: str, from_form: bool = False
) -> None:
    """Add an inferred concept, or raise one found weaker. `from_form`: read from the part's form
    and material, a grade or a mould's use, which the classifier may not veto (it learnt what
    goods are, not how they are made)."""
    entry = found.get(cid)
    if entry is None:
        found[cid] = entry = {"weight": round(weight, 4), "words": [], "role": "inferred", "inferred": reason}
    elif entry["weight"] < weight:
        entry.update(weight=round(weight, 4), inferred=reason)
    if from_form:
        entry["from_form"] = True
