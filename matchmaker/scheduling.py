"""B2B meeting schedules: the most valuable meetings that fit the slots, tables and people.

Model (scipy.optimize.milp, i.e. HiGHS): one binary per (buyer, supplier, slot) where the
pair is worth meeting and both are free. Each person meets at most once per slot and at
most `max_meetings` times; each slot holds at most `tables` meetings; a pair meets at most
once; `avoid` pairs get no variable. The objective is the match score of each meeting, plus
a bonus for `want`, a large one for `must` (so a feasible must always wins), a fairness
bonus for every participant with a good match who meets anyone, and a fill bonus that makes
a good buyer's k-th meeting worth FILL_BONUS / k (agendas fill evenly). A second pass moves
the chosen meetings between slots to leave as few idle gaps in anyone's day as it can.
Large events are solved in two stages (who meets whom over pairs only, whose bound is valid
for the whole event, then slots); each buyer keeps one table when there are enough.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix
from sqlalchemy import select

from matchmaker import matching
from matchmaker.errors import BadInput, NotFound
from matchmaker.workspace import Workspace
from models.event import EventIn, MeetingRecord

RELEVANCE_FLOOR = 0.2  # pairs scoring less are not worth a table unless someone asked for them
GOOD_MATCH = 0.4  # a supplier with a match this good should get at least one meeting
WANT_BONUS, MUST_BONUS, FAIRNESS_BONUS = 0.3, 10.0, 0.5
FILL_MAX_VARIABLES = 60_000  # above this the fill terms slow HiGHS too much: flags only
FILL_BONUS = 0.6  # a good buyer's k-th meeting is worth FILL_BONUS / k more: agendas fill evenly
MET_BEFORE_SHARE = 0.6  # a pair that already met at an earlier event counts this share
UNQUALIFIED_SHARE = 0.4  # a pair lacking a required certificate counts this share of its score
GAP_PENALTY = 0.05  # each extra block of meetings (an idle gap in someone's day) costs this much
STABILITY_BONUS = 0.25  # re-planning: an earlier meeting kept in its slot is worth this much more
# (pair, slot) variables above which the event is solved in two stages (pairs, then slots).
TWO_STAGE_VARIABLES = 50_000
TIME_LIMIT_S = 45.0  # the whole solve (both passes) stays within a minute
# Stop within 0.5 % of the bound: proving the last fraction of a percent costs minutes once
# gaps and fill are in the objective, and changes who meets whom very little.
MIP_GAP = 0.005
COMPACT_TIME_LIMIT_S = 10.0


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
    asked = {(r.buyer_id, r.supplier_id) for r in event.requests}
    for pair in met_before(ws, event.id) - asked:  # new acquaintances first, unless asked for
        if pair in scores:
            scores[pair] *= MET_BEFORE_SHARE
    return dict(scores)


def met_before(ws: Workspace, event_id: str) -> set[tuple[str, str]]:
    """(buyer, supplier) pairs whose meeting was held at another event on file (the latest
    record of each pair counts: a correction to "not held" takes it back)."""
    latest: dict[tuple[str, str, str], str] = {}
    with ws.sessions() as session:
        rows = session.execute(
            select(
                MeetingRecord.event_id,
                MeetingRecord.buyer_id,
                MeetingRecord.supplier_id,
                MeetingRecord.result,
            )
            .where(MeetingRecord.event_id != event_id)
            .order_by(MeetingRecord.id)
        )
        for other, buyer, supplier, result in rows:
            latest[(other, buyer, supplier)] = result
    return {(b, s) for (_, b, s), result in latest.items() if result == "held"}


def schedule_event(ws: Workspace, event: EventIn) -> Schedule:
    """Score every pair with the matcher, then solve the event's schedule."""
    return solve(event, pair_scores(ws, event))


def solve(event: EventIn, scores: dict[tuple[str, str], float], *, method: str = "auto") -> Schedule:
    """The schedule for given pair scores: one MILP, or for large events (`auto`) two stages,
    pairs then slots; `greedy` and `two-stage` force those (baselines, tests)."""
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
    if method == "greedy":
        chosen, objective, bound = _greedy(event, weights, variables, fixed), None, None
    elif method == "two-stage" or len(variables) > TWO_STAGE_VARIABLES:  # pairs first, then slots
        chosen, objective, bound, method = _two_stage(event, weights, scores, variables, fixed)
    else:
        chosen, objective, bound, method = _milp(event, weights, scores, variables, fixed, stay)
        if method.startswith("milp (time limit)"):  # a weak incumbent: keep whichever plan is better
            greedy = _greedy(event, weights, variables, fixed)
            good = set(_good_participants(weights, scores))
            if plan_objective(event, weights, good, greedy) > (objective or 0.0):
                chosen, objective = greedy, plan_objective(event, weights, good, greedy)
                method = "greedy (better than the time-limited MILP)"
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
        bound = _upper_bound(event, weights) + FAIRNESS_BONUS * len(good) + _fill_most(event, good)
    unmet = [
        {
            "buyer_id": r.buyer_id,
            "supplier_id": r.supplier_id,
            "kind": r.kind,
            **_why_unmet(event, r.buyer_id, r.supplier_id, busy),
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
            # (code, count, English): the code and count let pages say it in the reader's language
            if not candidates[p.id]:
                code, n, why = "no_counterpart", 0, "no qualifying counterpart among those invited"
            elif len(candidates[p.id]) < wanted:
                n = len(candidates[p.id])
                code, why = "few_counterparts", f"only {n} qualifying counterpart(s)"
            elif len(free_slots[p.id]) < wanted:
                n = len(free_slots[p.id])
                code, why = "few_slots", f"available in only {n} slot(s) with a counterpart"
            else:
                code, n = "taken", 0
                why = "counterparts' caps, availability and tables are taken by other meetings"
            short.append(
                {
                    "id": p.id,
                    "role": "buyer" if role == "b" else "supplier",
                    "meetings": count[p.id],
                    "could_have": wanted,
                    "reason": why,
                    "reason_code": code,
                    "count": n,
                }
            )
    return {
        "buyers": spread(event.buyers),
        "suppliers": spread(event.suppliers),
        "idle_gaps": {"total": sum(gaps.values()), "by_participant": {p: g for p, g in gaps.items() if g}},
        "short_agendas": short,
    }


def _fill_most(event: EventIn, good) -> float:
    """The largest fill bonus any plan could earn (every good buyer's agenda full)."""
    caps = _caps(event)
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


def _two_stage(event: EventIn, weights, scores, variables, fixed=frozenset()):
    """Large events: a MILP over pairs only picks who meets whom (caps, availability counts,
    fairness and fill as in the full model), then the meetings are placed in slots, each next
    to the participant's others where possible. Relaxing the one-meeting-per-slot rules, the
    first stage's bound is valid for the whole event."""
    good = _good_participants(weights, scores)
    caps = _caps(event)
    allowed: dict[tuple[str, str], list[int]] = defaultdict(list)
    for pair, t in variables:
        allowed[pair].append(t)
    pairs = sorted(allowed)
    free: dict[tuple[str, str], set[int]] = defaultdict(set)
    for (b, s), ts in allowed.items():
        free[("b", b)].update(ts), free[("s", s)].update(ts)
    n = len(pairs)
    flag = {person: n + i for i, person in enumerate(good)}
    extra = n + len(good)
    fill: dict[str, list[int]] = {}
    for role, person in good:
        if role == "b":
            count = min(caps[("b", person)], len(free[("b", person)]))
            fill[person] = list(range(extra, extra + count))
            extra += count
    c = np.zeros(extra)
    c[:n] = [-weights[p] for p in pairs]
    c[list(flag.values())] = -FAIRNESS_BONUS
    for columns in fill.values():
        for k, j in enumerate(columns, start=1):
            c[j] = -FILL_BONUS / k
    rows, cols, vals, upper = [], [], [], []

    def add(terms, limit):
        row = len(upper)
        for i, v in terms:
            rows.append(row), cols.append(i), vals.append(v)
        upper.append(limit)

    mine: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, (b, s) in enumerate(pairs):
        mine[("b", b)].append(i), mine[("s", s)].append(i)
    for person, members in mine.items():
        limit = min(caps[person], len(free[person]))
        if len(members) > limit:
            add([(i, 1.0) for i in members], limit)
    for person, j in flag.items():
        add([(j, 1.0)] + [(i, -1.0) for i in mine.get(person, [])], 0)
    for b, columns in fill.items():
        add([(j, 1.0) for j in columns] + [(i, -1.0) for i in mine.get(("b", b), [])], 0)
    lower = np.zeros(extra)
    must_meet = {pair for pair, _ in fixed}
    for i, pair in enumerate(pairs):
        if pair in must_meet:
            lower[i] = 1.0
    integrality = np.zeros(extra)
    integrality[: n + len(good)] = 1
    a = coo_matrix((vals, (rows, cols)), shape=(len(upper), extra)).tocsr()
    result = milp(
        c,
        constraints=LinearConstraint(a, -np.inf, np.array(upper)) if upper else None,
        integrality=integrality,
        bounds=Bounds(lower, 1),
        options={"time_limit": TIME_LIMIT_S, "mip_rel_gap": MIP_GAP},
    )
    if result.x is None:
        return (
            _greedy(event, weights, variables, fixed),
            None,
            None,
            "greedy (pair selection found nothing in time)",
        )
    bound = -getattr(result, "mip_dual_bound", result.fun)
    picked = [pairs[i] for i in range(n) if result.x[i] > 0.5]
    chosen = compact_days(event, _place(event, picked, allowed, weights, fixed), variables, fixed)
    objective = plan_objective(event, weights, set(good), chosen)
    placed = len(chosen)
    method = f"two-stage MILP: {len(picked):,} pairs chosen, {placed:,} placed in slots"
    return chosen, objective, bound, method


def _place(event: EventIn, picked, allowed, weights, fixed=frozenset()):
    """Slots for chosen pairs: the most constrained first, each next to the participants'
    other meetings where a slot is free (short days), else the earliest free one."""
    busy: dict[tuple[str, str], set[int]] = defaultdict(set)
    per_slot: dict[int, int] = defaultdict(int)
    chosen = []

    def take(pair, t):
        busy[("b", pair[0])].add(t), busy[("s", pair[1])].add(t)
        per_slot[t] += 1
        chosen.append((pair, t))

    for pair, t in fixed:
        take(pair, t)
    done = {pair for pair, _ in fixed}
    load: dict[str, int] = defaultdict(int)
    for b, _ in picked:
        load[b] += 1
    order = sorted(
        (p for p in picked if p not in done), key=lambda p: (-load[p[0]], p[0], len(allowed[p]), -weights[p])
    )
    for pair in order:
        b, s = ("b", pair[0]), ("s", pair[1])
        options = [
            t for t in allowed[pair] if t not in busy[b] and t not in busy[s] and per_slot[t] < event.tables
        ]
        if not options:
            continue

        def near(t, person):
            return 0 if not busy[person] or (t - 1) in busy[person] or (t + 1) in busy[person] else 1

        take(pair, min(options, key=lambda t: (near(t, b), near(t, s), t)))
    return chosen


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
        if role == "b" and n <= FILL_MAX_VARIABLES:
            count = min(caps[("b", person)], slots)
            fill[person] = list(range(extra_index, extra_index + count))
            extra_index += count
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
    a = coo_matrix((vals, (rows, cols)), shape=(len(upper), total)).tocsr()
    result = milp(
        c,
        constraints=LinearConstraint(a, -np.inf, np.array(upper)) if upper else None,
        integrality=integral,
        bounds=Bounds(lower, 1),
        options={"time_limit": TIME_LIMIT_S, "mip_rel_gap": MIP_GAP},
    )
    if result.x is None:
        chosen = _greedy(event, weights, variables)
        return chosen, None, None, "greedy (solver found no solution in time)"
    chosen = [variables[i] for i in range(n) if result.x[i] > 0.5]
    # The bound leaves out the gap penalty, which is never negative: still valid for the whole
    # objective. The objective is the final plan's, after its days are compacted.
    bound = -getattr(result, "mip_dual_bound", result.fun)
    if not fill:  # left out of the model (a large event): the bound allows for the most it can add
        bound += _fill_most(event, set(good))
    chosen = compact_days(event, chosen, variables, fixed, stay)
    objective = plan_objective(event, weights, set(good), chosen)
    objective += STABILITY_BONUS * len(stay & set(chosen))
    return chosen, objective, bound, "milp" if result.status == 0 else "milp (time limit)"


def compact_days(event: EventIn, chosen, variables, fixed=frozenset(), stay=frozenset()):
    """Second pass: the same meetings, moved between slots so each participant's day has as
    few idle gaps as possible (blocks of consecutive meetings are minimised, Bofill et al.,
    JAIR 2022). Only the chosen pairs are placed, so this MILP is small; if it finds nothing
    in time, the first plan stands."""
    if not chosen:
        return chosen
    slots = len(event.slots)
    pairs = sorted({pair for pair, _ in chosen})
    allowed = defaultdict(list)
    for pair, t in variables:
        allowed[pair].append(t)
    cells = [(pair, t) for pair in pairs for t in sorted(set(allowed[pair]))]
    index = {cell: i for i, cell in enumerate(cells)}
    people = sorted({("b", b) for b, _ in pairs} | {("s", s) for _, s in pairs})
    start_of = {(p, t): len(cells) + k * slots + t for k, p in enumerate(people) for t in range(slots)}
    total = len(cells) + len(people) * slots
    c = np.zeros(total)
    c[len(cells) :] = 1.0  # one unit per block of meetings
    for cell in cells:
        if cell in stay:
            c[index[cell]] -= 0.5  # an earlier plan's slot is kept where it costs no extra block
    lower, upper_x = np.zeros(total), np.ones(total)
    for cell in fixed:
        if cell in index:
            lower[index[cell]] = 1.0
    rows, cols, vals, lo, hi = [], [], [], [], []

    def add(terms, low, high):
        row = len(lo)
        for i, v in terms:
            rows.append(row), cols.append(i), vals.append(v)
        lo.append(low), hi.append(high)

    by_pair, by_person_slot, by_slot = defaultdict(list), defaultdict(list), defaultdict(list)
    for (b, s), t in cells:
        i = index[((b, s), t)]
        by_pair[(b, s)].append(i)
        by_person_slot[(("b", b), t)].append(i)
        by_person_slot[(("s", s), t)].append(i)
        by_slot[t].append(i)
    for members in by_pair.values():  # every chosen meeting takes place, once
        add([(i, 1.0) for i in members], 1, 1)
    for members in by_person_slot.values():
        if len(members) > 1:
            add([(i, 1.0) for i in members], -np.inf, 1)
    for members in by_slot.values():
        if len(members) > event.tables:
            add([(i, 1.0) for i in members], -np.inf, event.tables)
    for p in people:  # start[p, t] ≥ busy[p, t] − busy[p, t − 1]
        for t in range(slots):
            now = by_person_slot.get((p, t), [])
            if now:
                before = by_person_slot.get((p, t - 1), []) if t else []
                terms = [(i, 1.0) for i in now] + [(i, -1.0) for i in before] + [(start_of[(p, t)], -1.0)]
                add(terms, -np.inf, 0)
    integrality = np.zeros(total)
    integrality[: len(cells)] = 1
    a = coo_matrix((vals, (rows, cols)), shape=(len(lo), total)).tocsr()
    result = milp(
        c,
        constraints=LinearConstraint(a, np.array(lo), np.array(hi)),
        integrality=integrality,
        bounds=Bounds(lower, upper_x),
        options={"time_limit": COMPACT_TIME_LIMIT_S, "mip_rel_gap": MIP_GAP},
    )
    if result.x is None:
        return chosen
    placed = [cells[i] for i in range(len(cells)) if result.x[i] > 0.5]
    return placed if len(placed) == len(chosen) else chosen


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


def _why_unmet(event: EventIn, buyer: str, supplier: str, busy) -> dict[str, str]:
    """{"reason": English, "reason_code": for pages in the reader's language}."""
    common = [
        t for t in range(len(event.slots)) if t not in busy[("b", buyer)] and t not in busy[("s", supplier)]
    ]
    if not common:
        return {"reason": "no slot in which both are available", "reason_code": "no_common_slot"}
    return {
        "reason": "no room left: tables, meeting caps or other must-meetings take the common slots",
        "reason_code": "no_room",
    }
