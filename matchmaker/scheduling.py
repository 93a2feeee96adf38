"""B2B meeting schedules: the most valuable meetings that fit the slots, tables and people.

Model (scipy.optimize.milp, i.e. HiGHS): one binary per (buyer, supplier, slot) where the
pair is worth meeting and both are free. Each person meets at most once per slot and at
most `max_meetings` times; each slot holds at most `tables` meetings; a pair meets at most
once; `avoid` pairs get no variable. The objective is the match score of each meeting, plus
a bonus for `want`, a large one for `must` (so a feasible must always wins) and a fairness
bonus for every buyer and supplier with a good match who gets at least one meeting (so
meetings spread over people instead of piling on a few). Large events are first pruned to
the pairs that could matter; if still too large, a greedy heuristic runs and says so.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

from matchmaker import matching
from matchmaker.errors import BadInput, NotFound
from matchmaker.workspace import Workspace
from models.event import EventIn

RELEVANCE_FLOOR = 0.2  # pairs scoring less are not worth a table unless someone asked for them
GOOD_MATCH = 0.4  # a supplier with a match this good should get at least one meeting
WANT_BONUS, MUST_BONUS, FAIRNESS_BONUS = 0.3, 10.0, 0.5
STABILITY_BONUS = 0.25  # re-planning: an earlier meeting kept in its slot is worth this much more
MAX_MILP_VARIABLES = 150_000
TIME_LIMIT_S = 60.0


@dataclass
class Schedule:
    meetings: list[dict[str, Any]]
    objective: float
    bound: float
    method: str
    unmet_requests: list[dict[str, Any]] = field(default_factory=list)
    replanning: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        gap = (self.bound - self.objective) / abs(self.bound) if self.bound else 0.0
        return {
            "meetings": self.meetings,
            "objective": round(self.objective, 4),
            "bound": round(self.bound, 4),
            "gap": round(max(gap, 0.0), 6),
            "method": self.method,
            "total_score": round(sum(m["score"] for m in self.meetings), 4),
            "unmet_requests": self.unmet_requests,
            **({"replanning": self.replanning} if self.replanning is not None else {}),
        }


def pair_scores(ws: Workspace, event: EventIn) -> dict[tuple[str, str], float]:
    """A buyer–supplier pair's value: the supplier's best score on any of the buyer's requirements."""
    supplier_ids = [s.id for s in event.suppliers]
    matching.ensure_index(ws)
    documents = ws.backend.fetch("supplier", supplier_ids)
    unknown = [s for s in supplier_ids if s not in documents]
    if unknown:
        raise BadInput(f"suppliers: not imported (or not indexed): {', '.join(unknown[:10])}")
    idf = ws.backend.document_frequencies("supplier")
    scores: dict[tuple[str, str], float] = defaultdict(float)
    for buyer in event.buyers:
        for requirement_id in buyer.requirement_ids:
            try:
                doc, vector = matching.requirement_for(ws, requirement_id)
            except NotFound as exc:
                raise BadInput(f"buyers {buyer.id}: {exc}") from exc
            prepared = ws.scorer.prepare(doc.payload, vector, idf, requirement_id=requirement_id)
            for sid, stored in documents.items():
                match = ws.scorer.score(prepared, stored.payload, stored.vector, sid, explain=False)
                if match is not None:
                    scores[(buyer.id, sid)] = max(scores[(buyer.id, sid)], match.score)
    return dict(scores)


def schedule_event(ws: Workspace, event: EventIn) -> Schedule:
    """Score every pair with the matcher, then solve the event's schedule."""
    return solve(event, pair_scores(ws, event))


def solve(event: EventIn, scores: dict[tuple[str, str], float]) -> Schedule:
    """The schedule for given pair scores (MILP, or greedy when the event is too large)."""
    kinds = {(r.buyer_id, r.supplier_id): r.kind for r in event.requests}
    slots = range(len(event.slots))
    busy = {("b", b.id): set(b.unavailable_slots) for b in event.buyers}
    busy |= {("s", s.id): set(s.unavailable_slots) for s in event.suppliers}
    weights: dict[tuple[str, str], float] = {}
    for b in event.buyers:
        for s in event.suppliers:
            pair, kind = (b.id, s.id), kinds.get((b.id, s.id))
            value = scores.get(pair, 0.0)
            if kind == "avoid" or (value < RELEVANCE_FLOOR and kind is None):
                continue
            weights[pair] = value + (WANT_BONUS if kind == "want" else MUST_BONUS if kind == "must" else 0.0)
    variables = [
        (pair, t)
        for pair in weights
        for t in slots
        if t not in busy[("b", pair[0])] and t not in busy[("s", pair[1])]
    ]
    # Re-planning: confirmed meetings stay where both people can still come; the rest of the
    # earlier plan is preferred, so only what must change does.
    fixed, dropped = set(), []
    for m in event.confirmed:
        pair, t = (m.buyer_id, m.supplier_id), m.slot
        people = {("b", m.buyer_id), ("s", m.supplier_id)}
        if not people <= busy.keys() or any(t in busy[p] for p in people):
            dropped.append(
                {
                    "buyer_id": m.buyer_id,
                    "supplier_id": m.supplier_id,
                    "slot": t,
                    "reason": "a participant withdrew or is no longer available in that slot",
                }
            )
            continue
        weights.setdefault(pair, scores.get(pair, 0.0))
        fixed.add((pair, t))
    stay = {((m.buyer_id, m.supplier_id), m.slot) for m in event.previous}
    variables = sorted(set(variables) | {(pair, t) for pair, t in fixed})
    pruned = ""
    if len(variables) > MAX_MILP_VARIABLES:
        weights, variables = _prune(event, weights, kinds, variables, keep={pair for pair, _ in fixed | stay})
        pruned = f" over the {len(weights):,} most valuable pairs"
    if len(variables) > MAX_MILP_VARIABLES:
        chosen, objective, bound, method = _greedy(event, weights, variables, fixed), None, None, "greedy"
    else:
        chosen, objective, bound, method = _milp(event, weights, scores, variables, fixed, stay)
        method += pruned
    meetings = []
    per_slot: dict[int, int] = defaultdict(int)
    for (buyer, supplier), t in sorted(chosen, key=lambda v: (v[1], v[0])):
        per_slot[t] += 1
        meetings.append(
            {
                "slot": t,
                "table": per_slot[t],
                "buyer_id": buyer,
                "supplier_id": supplier,
                "score": round(scores.get((buyer, supplier), 0.0), 4),
                "start": event.slots[t].start.isoformat(),
                "end": event.slots[t].end.isoformat(),
            }
        )
    met = {(m["buyer_id"], m["supplier_id"]) for m in meetings}
    if objective is None:  # greedy: the same objective the MILP maximises, and a (weak) valid bound
        good = set(_good_participants(weights, scores))
        served = good & (
            {("b", m["buyer_id"]) for m in meetings} | {("s", m["supplier_id"]) for m in meetings}
        )
        value = sum(weights[(m["buyer_id"], m["supplier_id"])] for m in meetings)
        objective = value + FAIRNESS_BONUS * len(served)
        bound = _upper_bound(event, weights) + FAIRNESS_BONUS * len(good)
    unmet = [
        {
            "buyer_id": r.buyer_id,
            "supplier_id": r.supplier_id,
            "kind": r.kind,
            "reason": _why_unmet(event, r.buyer_id, r.supplier_id, busy),
        }
        for r in event.requests
        if r.kind in ("must", "want") and (r.buyer_id, r.supplier_id) not in met
    ]
    result = Schedule(meetings, objective, bound, method, unmet)
    if event.confirmed or event.previous:
        now = {((m["buyer_id"], m["supplier_id"]), m["slot"]) for m in meetings}
        result.replanning = {
            "dropped_confirmed": dropped,
            "previous_kept": len(stay & now),
            "previous_changed": len(stay - now),
        }
    return result


def _prune(event: EventIn, weights, kinds, variables, keep=frozenset()):
    """For large events keep only pairs that could matter: every requested pair, each buyer's
    best few suppliers and each supplier's best few buyers (a few times their meeting caps)."""
    caps = _caps(event)
    keep = set(keep) | {pair for pair in weights if pair in kinds}
    by_buyer, by_supplier = defaultdict(list), defaultdict(list)
    for pair, weight in weights.items():
        by_buyer[pair[0]].append((weight, pair))
        by_supplier[pair[1]].append((weight, pair))
    for role, groups in (("b", by_buyer), ("s", by_supplier)):
        for person, pairs in groups.items():
            pairs.sort(reverse=True)
            keep.update(pair for _, pair in pairs[: max(3 * caps[(role, person)], 6)])
    kept = {pair: w for pair, w in weights.items() if pair in keep}
    return kept, [(pair, t) for pair, t in variables if pair in kept]


def _caps(event: EventIn) -> dict[tuple[str, str], int]:
    caps = {("b", b.id): b.max_meetings for b in event.buyers}
    caps |= {("s", s.id): s.max_meetings for s in event.suppliers}
    return {k: v if v is not None else len(event.slots) for k, v in caps.items()}


def _good_participants(weights, scores) -> list[tuple[str, str]]:
    """Buyers and suppliers with at least one good match: each should get a meeting if possible."""
    good = {("b", b) for (b, s) in weights if scores.get((b, s), 0.0) >= GOOD_MATCH}
    good |= {("s", s) for (b, s) in weights if scores.get((b, s), 0.0) >= GOOD_MATCH}
    return sorted(good)


def _milp(event, weights, scores, variables, fixed=frozenset(), stay=frozenset()):
    n = len(variables)
    if n == 0:
        return [], 0.0, 0.0, "milp"
    good = _good_participants(weights, scores)
    fair_index = {person: n + i for i, person in enumerate(good)}
    total = n + len(good)
    c = np.zeros(total)
    lower = np.zeros(total)
    for i, (pair, t) in enumerate(variables):
        c[i] = -weights[pair] - (STABILITY_BONUS if (pair, t) in stay else 0.0)
        lower[i] = 1.0 if (pair, t) in fixed else 0.0
    for j in fair_index.values():
        c[j] = -FAIRNESS_BONUS
    rows, cols, vals, upper = [], [], [], []

    def constraint(members: list[int], limit: float, extra: list[tuple[int, float]] = ()) -> None:
        row = len(upper)
        for i in members:
            rows.append(row), cols.append(i), vals.append(1.0)
        for i, v in extra:
            rows.append(row), cols.append(i), vals.append(v)
        upper.append(limit)

    by_buyer_slot, by_supplier_slot, by_slot, by_pair = (defaultdict(list) for _ in range(4))
    by_buyer, by_supplier = defaultdict(list), defaultdict(list)
    for i, ((b, s), t) in enumerate(variables):
        by_buyer_slot[(b, t)].append(i), by_supplier_slot[(s, t)].append(i), by_slot[t].append(i)
        by_pair[(b, s)].append(i), by_buyer[b].append(i), by_supplier[s].append(i)
    for group in (*by_buyer_slot.values(), *by_supplier_slot.values(), *by_pair.values()):
        if len(group) > 1:
            constraint(group, 1)
    for members in by_slot.values():
        if len(members) > event.tables:
            constraint(members, event.tables)
    caps = _caps(event)
    for b, members in by_buyer.items():
        if len(members) > caps[("b", b)]:
            constraint(members, caps[("b", b)])
    for s, members in by_supplier.items():
        if len(members) > caps[("s", s)]:
            constraint(members, caps[("s", s)])
    for (role, person), j in fair_index.items():  # the fairness flag only if they meet someone
        mine = (by_buyer if role == "b" else by_supplier).get(person, [])
        constraint([], 0, [(j, 1.0)] + [(i, -1.0) for i in mine])
    a = coo_matrix((vals, (rows, cols)), shape=(len(upper), total)).tocsr()
    result = milp(
        c,
        constraints=LinearConstraint(a, -np.inf, np.array(upper)) if upper else None,
        integrality=np.ones(total),
        bounds=Bounds(lower, 1),
        options={"time_limit": TIME_LIMIT_S, "mip_rel_gap": 1e-4},
    )
    if result.x is None:
        chosen = _greedy(event, weights, variables)
        return chosen, None, None, "greedy (solver found no solution in time)"
    chosen = [variables[i] for i in range(n) if result.x[i] > 0.5]
    bound = -getattr(result, "mip_dual_bound", result.fun)
    return chosen, -result.fun, bound, "milp" if result.status == 0 else "milp (time limit)"


def _greedy(event, weights, variables, fixed=frozenset()):
    """Confirmed meetings first, then best pairs first, each in the earliest slot where both
    are free and a table is."""
    caps = _caps(event)
    free = defaultdict(set)
    for pair, t in variables:
        free[pair].add(t)
    used_slot: dict[tuple[str, str, int], bool] = {}
    tables: dict[int, int] = defaultdict(int)
    count: dict[tuple[str, str], int] = defaultdict(int)
    chosen = []

    def place(pair, t) -> None:
        b, s = pair
        used_slot[("b", b, t)] = used_slot[("s", s, t)] = True
        tables[t] += 1
        count[("b", b)] += 1
        count[("s", s)] += 1
        chosen.append((pair, t))

    for pair, t in sorted(fixed):
        place(pair, t)
    placed = {pair for pair, _ in fixed}
    for pair in sorted(free, key=lambda p: -weights[p]):
        b, s = pair
        if pair in placed or count[("b", b)] >= caps[("b", b)] or count[("s", s)] >= caps[("s", s)]:
            continue
        for t in sorted(free[pair]):
            if used_slot.get(("b", b, t)) or used_slot.get(("s", s, t)) or tables[t] >= event.tables:
                continue
            place(pair, t)
            break
    return chosen


def _upper_bound(event, weights) -> float:
    """A quick bound for the greedy case: every table in every slot filled with the best pairs."""
    best = sorted(weights.values(), reverse=True)
    return float(sum(best[: event.tables * len(event.slots)]))


def _why_unmet(event: EventIn, buyer: str, supplier: str, busy) -> str:
    common = [
        t for t in range(len(event.slots)) if t not in busy[("b", buyer)] and t not in busy[("s", supplier)]
    ]
    if not common:
        return "no slot in which both are available"
    return "no room left: tables, meeting caps or other must-meetings take the common slots"
