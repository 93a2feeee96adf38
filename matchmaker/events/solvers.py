"""The optimisers behind `scheduling.solve`: the full MILP (scipy.optimize.milp, i.e. HiGHS), the
two-stage solve for large events (who meets whom over pairs, then slots), the idle-gap
compaction pass and greedy."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

from matchmaker.events.objective import (
    FAIRNESS_BONUS,
    FILL_BONUS,
    STABILITY_BONUS,
    fill_most,
    good_participants,
    meeting_caps,
    plan_objective,
)
from models.event import EventIn

FILL_MAX_VARIABLES = 60_000  # above this the fill terms slow HiGHS too much: flags only
# (pair, slot) variables above which the event is solved in two stages (pairs, then slots).
TWO_STAGE_VARIABLES = 50_000
TIME_LIMIT_S = 45.0  # the whole solve (both passes) stays within a minute
# Stop within 0.5 % of the bound: proving the last fraction of a percent costs minutes once
# gaps and fill are in the objective, and changes who meets whom very little.
MIP_GAP = 0.005
COMPACT_TIME_LIMIT_S = 10.0


def two_stage(event: EventIn, weights, scores, variables, fixed=frozenset()):
    """Large events: a MILP over pairs only picks who meets whom (caps, availability counts,
    fairness and fill as in the full model), then the meetings are placed in slots, each next
    to the participant's others where possible. Relaxing the one-meeting-per-slot rules, the
    first stage's bound is valid for the whole event."""
    good = good_participants(weights, scores)
    caps = meeting_caps(event)
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
    result = _milp(c, (rows, cols, vals), -np.inf, upper, integrality, Bounds(lower, 1), TIME_LIMIT_S)
    if result.x is None:
        return (
            solve_greedy(event, weights, variables, fixed),
            None,
            None,
            "greedy (pair selection found nothing in time)",
        )
    bound = -getattr(result, "mip_dual_bound", result.fun)
    picked = [pairs[i] for i in range(n) if result.x[i] > 0.5]
    chosen = compact_days(event, place_in_slots(event, picked, allowed, weights, fixed), variables, fixed)
    objective = plan_objective(event, weights, set(good), chosen)
    placed = len(chosen)
    method = f"two-stage MILP: {len(picked):,} pairs chosen, {placed:,} placed in slots"
    return chosen, objective, bound, method


def place_in_slots(event: EventIn, picked, allowed, weights, fixed=frozenset()):
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


def solve_milp(event, weights, scores, variables, fixed=frozenset(), stay=frozenset()):
    n = len(variables)
    if n == 0:
        return [], 0.0, 0.0, "milp"
    good = good_participants(weights, scores)
    fair_index = {person: n + i for i, person in enumerate(good)}
    caps = meeting_caps(event)
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
    result = _milp(c, (rows, cols, vals), -np.inf, upper, integral, Bounds(lower, 1), TIME_LIMIT_S)
    if result.x is None:
        chosen = solve_greedy(event, weights, variables)
        return chosen, None, None, "greedy (solver found no solution in time)"
    chosen = [variables[i] for i in range(n) if result.x[i] > 0.5]
    # The bound leaves out the gap penalty, which is never negative: still valid for the whole
    # objective. The objective is the final plan's, after its days are compacted.
    bound = -getattr(result, "mip_dual_bound", result.fun)
    if not fill:  # left out of the model (a large event): the bound allows for the most it can add
        bound += fill_most(event, set(good))
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
    bounds = Bounds(lower, upper_x)
    result = _milp(c, (rows, cols, vals), np.array(lo), hi, integrality, bounds, COMPACT_TIME_LIMIT_S)
    if result.x is None:
        return chosen
    placed = [cells[i] for i in range(len(cells)) if result.x[i] > 0.5]
    return placed if len(placed) == len(chosen) else chosen


def solve_greedy(event, weights, variables, fixed=frozenset()):
    """Confirmed meetings first, then best pairs first, each in the earliest slot where both
    are free and a table is."""
    caps = meeting_caps(event)
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


def _milp(c, coordinates, low, high: list[float], integrality, bounds: Bounds, time_limit: float):
    """HiGHS (scipy's milp) on min c·x subject to low ≤ A·x ≤ high, A given as (rows, columns,
    values) coordinates with one row per entry of `high`."""
    rows, cols, vals = coordinates
    a = coo_matrix((vals, (rows, cols)), shape=(len(high), len(c))).tocsr()
    return milp(
        c,
        constraints=LinearConstraint(a, low, np.array(high)) if high else None,
        integrality=integrality,
        bounds=bounds,
        options={"time_limit": time_limit, "mip_rel_gap": MIP_GAP},
    )
