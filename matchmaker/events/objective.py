"""What a schedule is worth: the objective both the MILP and greedy maximise, its weights, and a
bound for it. One place for the numbers the README's objective names."""

from __future__ import annotations

from collections import defaultdict

from models.event import EventIn

RELEVANCE_FLOOR = 0.2  # pairs scoring less are not worth a table unless someone asked for them
GOOD_MATCH = 0.4  # a supplier with a match this good should get at least one meeting
WANT_BONUS, MUST_BONUS, FAIRNESS_BONUS = 0.3, 10.0, 0.5
FILL_BONUS = 0.6  # a good buyer's k-th meeting is worth FILL_BONUS / k more: agendas fill evenly
MET_BEFORE_SHARE = 0.6  # a pair that already met at an earlier event counts this share
UNQUALIFIED_SHARE = 0.4  # a pair lacking a required certificate counts this share of its score
GAP_PENALTY = 0.05  # each extra block of meetings (an idle gap in someone's day) costs this much
STABILITY_BONUS = 0.25  # re-planning: an earlier meeting kept in its slot is worth this much more


def fill_most(event: EventIn, good) -> float:
    """The largest fill bonus any plan could earn (every good buyer's agenda full)."""
    caps = meeting_caps(event)
    return sum(
        FILL_BONUS / k
        for role, person in good
        if role == "b"
        for k in range(1, min(caps[("b", person)], len(event.slots)) + 1)
    )


def plan_objective(event: EventIn, weights, good, chosen) -> float:
    """What the MILP maximises, for any plan: pair values, the fairness flag of each good
    participant who meets someone, the fill bonus of good buyers' meetings, minus
    GAP_PENALTY for every block of meetings beyond a participant's first."""
    value = sum(weights[pair] for pair, _ in chosen)
    count: dict[tuple[str, str], int] = defaultdict(int)
    busy: dict[tuple[str, str], set[int]] = defaultdict(set)
    for (b, s), t in chosen:
        count[("b", b)] += 1
        count[("s", s)] += 1
        busy[("b", b)].add(t)
        busy[("s", s)].add(t)
    fairness = FAIRNESS_BONUS * sum(1 for p in good if count[p])
    fill = sum(FILL_BONUS / k for p in good if p[0] == "b" for k in range(1, count[p] + 1))
    extra_blocks = sum(sum(1 for t in ts if t - 1 not in ts) - 1 for ts in busy.values())
    return value + fairness + fill - GAP_PENALTY * extra_blocks


def meeting_caps(event: EventIn) -> dict[tuple[str, str], int]:
    caps = {("b", b.id): b.max_meetings for b in event.buyers}
    caps |= {("s", s.id): s.max_meetings for s in event.suppliers}
    return {k: v if v is not None else len(event.slots) for k, v in caps.items()}


def good_participants(weights, scores) -> list[tuple[str, str]]:
    """Buyers and suppliers with at least one good match: each should get a meeting if possible."""
    good = {("b", b) for (b, s) in weights if scores.get((b, s), 0.0) >= GOOD_MATCH}
    good |= {("s", s) for (b, s) in weights if scores.get((b, s), 0.0) >= GOOD_MATCH}
    return sorted(good)


def upper_bound(event, weights) -> float:
    """A quick bound for the greedy case: every table in every slot filled with the best pairs."""
    best = sorted(weights.values(), reverse=True)
    return float(sum(best[: event.tables * len(event.slots)]))
