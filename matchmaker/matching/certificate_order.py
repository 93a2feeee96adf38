"""The hard certificate order (CONTRACT.md): among suppliers that can make the thing, every holder
of all required certificates comes before any supplier lacking one, whatever the scores."""

from __future__ import annotations

from matchmaker.matching.ranking import Match, Weights


def in_certificate_order(matches: list[Match], weights: Weights | None = None) -> list[Match]:
    """Best first, with the hard certificate order: among suppliers that can make the thing
    (concept agreement, or capability where the requirement names no concept, at least
    `capable_share` of the best candidate's), those holding every required certificate come
    first; the rest follow by score, each naming what it lacks.

    "Can make" is judged against the best candidate because the absolute scale moves with
    how a requirement is written (a terse Korean title vs a long English brief).
    """
    w = weights or Weights()
    if all(m.certified for m in matches):  # no certificate asked for (or all hold them): by score
        return sorted(matches, key=lambda m: (-m.score, m.supplier_id, m.requirement_id))
    best = max((m.capability for m in matches), default=0.0)
    floor = max(w.capable_floor, w.capable_share * best)

    def key(m: Match) -> tuple:
        first = m.certified and m.capability >= floor
        return (not first, -m.score, m.supplier_id, m.requirement_id)

    ordered = sorted(matches, key=key)
    for m in ordered:
        m.order = (
            "certified maker"
            if m.certified and m.capability >= floor
            else "after certified makers"
            if m.capability >= floor
            else "less capable"
        )
    return ordered
