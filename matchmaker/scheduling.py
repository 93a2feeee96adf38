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
FILL_BONUS = 0.6  # a good buyer's k-th meeting is worth FILL_BONUS / k more: agendas fill evenly
UNQUALIFIED_SHARE = 0.4  # a pair lacking a required certificate counts this share of its score
GAP_PENALTY = 0.05  # each extra block of meetings (an idle gap in someone's day) costs this much
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
    tables: dict[str, Any] = field(default_factory=dict)
    fairness: dict[str, Any] = field(default_factory=dict)

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
            "tables": self.tables,
            "fairness": self.fairness,
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
                if match is not None:  # None: foreign-owned where the requirement wants domestic
                    # Lacking a required certificate: invited only after those who qualify.
                    value = match.score if match.certified else match.score * UNQUALIFIED_SHARE
                    scores[(buyer.id, sid)] = max(scores[(buyer.id, sid)], value)
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
    table_of = assign_tables(event, chosen)
    for (buyer, supplier), t in sorted(chosen, key=lambda v: (v[1], v[0])):
        meetings.append(
            {
                "slot": t,
                "table": table_of[(buyer, t)],
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
        objective = plan_objective(event, weights, good, chosen)
        caps = _caps(event)
        fill_most = sum(
            FILL_BONUS / k
            for role, person in good
            if role == "b"
            for k in range(1, min(caps[("b", person)], len(event.slots)) + 1)
        )
        bound = _upper_bound(event, weights) + FAIRNESS_BONUS * len(good) + fill_most
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
    result = Schedule(meetings, objective, bound, method, unmet, tables=table_summary(event, meetings))
    result.fairness = fairness_report(event, weights, variables, meetings)
    if event.confirmed or event.previous:
        now = {((m["buyer_id"], m["supplier_id"]), m["slot"]) for m in meetings}
        result.replanning = {
            "dropped_confirmed": dropped,
            "previous_kept": len(stay & now),
            "previous_changed": len(stay - now),
        }
    return result


def fairness_report(event: EventIn, weights, variables, meetings: list[dict[str, Any]]) -> dict[str, Any]:
    """Meetings per buyer and per supplier (min / median / max), idle gaps per participant, and
    a reason for every buyer (or capped supplier) left with fewer meetings than it could have."""
    count: dict[str, int] = defaultdict(int)
    busy: dict[str, set[int]] = defaultdict(set)
    for m in meetings:
        for person in (m["buyer_id"], m["supplier_id"]):
            count[person] += 1
            busy[person].add(m["slot"])

    def spread(people) -> dict[str, float]:
        values = sorted(count[p.id] for p in people) or [0]
        return {"min": values[0], "median": float(np.median(values)), "max": values[-1]}

    gaps = {p: (max(ts) - min(ts) + 1) - len(ts) for p, ts in busy.items() if ts}
    candidates: dict[str, set[str]] = defaultdict(set)
    free_slots: dict[str, set[int]] = defaultdict(set)
    for (b, s), t in variables:
        candidates[b].add(s), candidates[s].add(b)
        free_slots[b].add(t), free_slots[s].add(t)
    caps = _caps(event)
    short = []
    for role, people in (("b", event.buyers), ("s", event.suppliers)):
        for p in people:
            if role == "s" and p.max_meetings is None:
                continue  # a supplier that asked for no number is not short of anything
            wanted = min(caps[(role, p.id)], len(event.slots))
            if count[p.id] >= wanted:
                continue
            if not candidates[p.id]:
                why = "no qualifying counterpart among those invited"
            elif len(candidates[p.id]) < wanted:
                why = f"only {len(candidates[p.id])} qualifying counterpart(s)"
            elif len(free_slots[p.id]) < wanted:
                why = f"available in only {len(free_slots[p.id])} slot(s) with a counterpart"
            else:
                why = "counterparts' caps, availability and tables are taken by other meetings"
            short.append(
                {
                    "id": p.id,
                    "role": "buyer" if role == "b" else "supplier",
                    "meetings": count[p.id],
                    "could_have": wanted,
                    "reason": why,
                }
            )
    return {
        "buyers": spread(event.buyers),
        "suppliers": spread(event.suppliers),
        "idle_gaps": {"total": sum(gaps.values()), "by_participant": {p: g for p, g in gaps.items() if g}},
        "short_agendas": short,
    }


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


def assign_tables(event: EventIn, chosen) -> dict[tuple[str, int], int]:
    """(buyer, slot) → table, numbered from 1 as printed on the floor.

    At real fairs a buyer keeps one table and suppliers come to it. With at least as many
    tables as buyers every buyer gets its own table for the whole event (a buyer meets at most
    once per slot, so no table is ever double-booked). With fewer tables the busiest buyers
    keep a home table, and the others take, slot by slot, the table they sat at last if it is
    free, else the lowest free one: as few buyers move, as rarely, as the floor allows.
    """
    load: dict[str, int] = defaultdict(int)
    for (buyer, _), _t in chosen:
        load[buyer] += 1
    order = [b.id for b in event.buyers]
    position = {b: i for i, b in enumerate(order)}
    ranked = sorted(order, key=lambda b: (-load[b], position[b]))
    if len(order) <= event.tables:
        home = {b: i + 1 for i, b in enumerate(order)}  # the event file's order: stable, predictable
    else:
        home = {b: i + 1 for i, b in enumerate(ranked[: event.tables])}
    by_slot: dict[int, list[str]] = defaultdict(list)
    for (buyer, _), t in chosen:
        by_slot[t].append(buyer)
    last: dict[str, int] = {}
    out: dict[tuple[str, int], int] = {}
    for t in sorted(by_slot):
        present = by_slot[t]
        taken = {home[b] for b in present if b in home}
        for buyer in present:
            if buyer in home:
                out[(buyer, t)] = home[buyer]
        for buyer in sorted((b for b in present if b not in home), key=lambda b: (-load[b], position[b])):
            wish = last.get(buyer)
            table = wish if wish is not None and wish not in taken else None
            if table is None:
                table = next(n for n in range(1, event.tables + 1) if n not in taken)
            taken.add(table)
            out[(buyer, t)] = table
        for buyer in present:
            last[buyer] = out[(buyer, t)]
    return out


def table_summary(event: EventIn, meetings: list[dict[str, Any]]) -> dict[str, Any]:
    """Which table each buyer sits at, and how many buyers change tables during the event."""
    per_buyer: dict[str, list[int]] = defaultdict(list)
    for m in meetings:
        if m["table"] not in per_buyer[m["buyer_id"]]:
            per_buyer[m["buyer_id"]].append(m["table"])
    moving = sorted(b for b, tables in per_buyer.items() if len(tables) > 1)
    return {
        "fixed": len(event.buyers) <= event.tables,
        "by_buyer": {b: tables[0] if len(tables) == 1 else tables for b, tables in per_buyer.items()},
        "buyers_moving": len(moving),
    }


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
    caps = _caps(event)
    slots = len(event.slots)
    # Continuous helpers (the LP relaxation is exact for them, being concave rewards and
    # block counts): fill[b][k] rewards a good buyer's k-th meeting by FILL_BONUS / k, so
    # the next meeting is worth most to the buyer with fewest; starts[p][t] counts the
    # blocks of consecutive meetings in a participant's day, so idle gaps cost GAP_PENALTY.
    extra_index = n + len(good)
    fill: dict[str, list[int]] = {}
    for role, person in good:
        if role == "b":
            count = min(caps[("b", person)], slots)
            fill[person] = list(range(extra_index, extra_index + count))
            extra_index += count
    people = [("b", b.id) for b in event.buyers] + [("s", s.id) for s in event.suppliers]
    starts = {
        p: list(range(extra_index + k * slots, extra_index + (k + 1) * slots)) for k, p in enumerate(people)
    }
    extra_index += len(people) * slots
    total = extra_index
    c = np.zeros(total)
    lower = np.zeros(total)
    integral = np.zeros(total)
    integral[: n + len(good)] = 1
    for i, (pair, t) in enumerate(variables):
        c[i] = -weights[pair] - (STABILITY_BONUS if (pair, t) in stay else 0.0)
        lower[i] = 1.0 if (pair, t) in fixed else 0.0
    for j in fair_index.values():
        c[j] = -FAIRNESS_BONUS
    for columns in fill.values():
        for k, j in enumerate(columns, start=1):
            c[j] = -FILL_BONUS / k
    for columns in starts.values():
        c[columns] = GAP_PENALTY
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
    for b, members in by_buyer.items():
        if len(members) > caps[("b", b)]:
            constraint(members, caps[("b", b)])
    for s, members in by_supplier.items():
        if len(members) > caps[("s", s)]:
            constraint(members, caps[("s", s)])
    for (role, person), j in fair_index.items():  # the fairness flag only if they meet someone
        mine = (by_buyer if role == "b" else by_supplier).get(person, [])
        constraint([], 0, [(j, 1.0)] + [(i, -1.0) for i in mine])
    for b, columns in fill.items():  # Σ_k fill[b][k] ≤ the buyer's meetings
        constraint([], 0, [(j, 1.0) for j in columns] + [(i, -1.0) for i in by_buyer.get(b, [])])
    for (role, person), columns in starts.items():  # start[t] ≥ busy[t] − busy[t−1]
        in_slot = by_buyer_slot if role == "b" else by_supplier_slot
        for t, j in enumerate(columns):
            now = in_slot.get((person, t), [])
            before = in_slot.get((person, t - 1), []) if t else []
            if now:
                constraint([], 0, [(i, 1.0) for i in now] + [(i, -1.0) for i in before] + [(j, -1.0)])
    a = coo_matrix((vals, (rows, cols)), shape=(len(upper), total)).tocsr()
    result = milp(
        c,
        constraints=LinearConstraint(a, -np.inf, np.array(upper)) if upper else None,
        integrality=integral,
        bounds=Bounds(lower, 1),
        options={"time_limit": TIME_LIMIT_S, "mip_rel_gap": 1e-4},
    )
    if result.x is None:
        chosen = _greedy(event, weights, variables)
        return chosen, None, None, "greedy (solver found no solution in time)"
    chosen = [variables[i] for i in range(n) if result.x[i] > 0.5]
    bound = -getattr(result, "mip_dual_bound", result.fun)
    # The block count of a participant with meetings is at least one, whatever the plan: add
    # that constant back, so objective and bound measure value, fairness and gaps only.
    floor = GAP_PENALTY * len({("b", b) for (b, _), _ in chosen} | {("s", s) for (_, s), _ in chosen})
    return chosen, -result.fun + floor, bound + floor, "milp" if result.status == 0 else "milp (time limit)"


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
