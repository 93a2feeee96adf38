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
from sqlalchemy import select

from matchmaker.errors import BadInput, NotFound
from matchmaker.events.objective import (
    FAIRNESS_BONUS,
    MET_BEFORE_SHARE,
    MUST_BONUS,
    RELEVANCE_FLOOR,
    UNQUALIFIED_SHARE,
    WANT_BONUS,
    fill_most,
    good_participants,
    meeting_caps,
    plan_objective,
    upper_bound,
)
from matchmaker.events.solvers import TWO_STAGE_VARIABLES, solve_greedy, solve_milp, two_stage
from matchmaker.matching import service as matching
from matchmaker.workspace import Workspace
from models.event import EventIn, MeetingRecord


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
        chosen, objective, bound = solve_greedy(event, weights, variables, fixed), None, None
    elif method == "two-stage" or len(variables) > TWO_STAGE_VARIABLES:  # pairs first, then slots
        chosen, objective, bound, method = two_stage(event, weights, scores, variables, fixed)
    else:
        chosen, objective, bound, method = solve_milp(event, weights, scores, variables, fixed, stay)
        if method.startswith("milp (time limit)"):  # a weak incumbent: keep whichever plan is better
            greedy = solve_greedy(event, weights, variables, fixed)
            good = set(good_participants(weights, scores))
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
        good = set(good_participants(weights, scores))
        objective = plan_objective(event, weights, good, chosen)
        bound = upper_bound(event, weights) + FAIRNESS_BONUS * len(good) + fill_most(event, good)
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
    caps = meeting_caps(event)
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
