"""Schedules respect every hard constraint; `must` meets when feasible, else is reported."""

import random
import subprocess
import sys
from collections import Counter
from datetime import datetime, timedelta

import pytest

from matchmaker.events import objective, scheduling
from models.event import EventIn


def make_event(seed: int, buyers=8, suppliers=20, slots=6, tables=4, requests=()):
    rng = random.Random(seed)
    start = datetime(2026, 12, 10, 9)
    return EventIn(
        id=f"E{seed}",
        name="Hội chợ CNHT",
        tables=tables,
        slots=[
            {"start": start + timedelta(minutes=20 * i), "end": start + timedelta(minutes=20 * i + 20)}
            for i in range(slots)
        ],
        buyers=[
            {
                "id": f"B{i}",
                "max_meetings": rng.choice([None, 2, 4]),
                "unavailable_slots": rng.sample(range(slots), rng.randint(0, 2)),
            }
            for i in range(buyers)
        ],
        suppliers=[
            {
                "id": f"S{j}",
                "max_meetings": rng.choice([None, 1, 2]),
                "unavailable_slots": rng.sample(range(slots), rng.randint(0, 2)),
            }
            for j in range(suppliers)
        ],
        requests=list(requests),
    ), {(f"B{i}", f"S{j}"): rng.random() for i in range(buyers) for j in range(suppliers)}


def run_cli(env, *args):
    """`matchmaker ARGS` in a subprocess, as a user would run it."""
    return subprocess.run(
        [sys.executable, "-m", "matchmaker", *args], env=env, capture_output=True, text=True, timeout=300
    )


def check_hard_constraints(event: EventIn, result: scheduling.Schedule) -> None:
    meetings = result.meetings
    busy = {b.id: set(b.unavailable_slots) for b in event.buyers} | {
        s.id: set(s.unavailable_slots) for s in event.suppliers
    }
    caps = {p.id: p.max_meetings for p in [*event.buyers, *event.suppliers]}
    avoid = {(r.buyer_id, r.supplier_id) for r in event.requests if r.kind == "avoid"}
    assert len({(m["buyer_id"], m["slot"]) for m in meetings}) == len(meetings)  # a buyer once per slot
    assert len({(m["supplier_id"], m["slot"]) for m in meetings}) == len(meetings)  # a supplier once per slot
    assert len({(m["slot"], m["table"]) for m in meetings}) == len(meetings)  # a table once per slot
    assert all(1 <= m["table"] <= event.tables for m in meetings)
    assert len({(m["buyer_id"], m["supplier_id"]) for m in meetings}) == len(meetings)  # no pair twice
    counts = Counter([m["buyer_id"] for m in meetings] + [m["supplier_id"] for m in meetings])
    assert all(caps[p] is None or n <= caps[p] for p, n in counts.items())
    assert not any(m["slot"] in busy[m["buyer_id"]] or m["slot"] in busy[m["supplier_id"]] for m in meetings)
    assert not any((m["buyer_id"], m["supplier_id"]) in avoid for m in meetings)


@pytest.mark.parametrize("seed", range(6))
def test_every_hard_constraint_holds(seed):
    requests = [
        {"buyer_id": "B0", "supplier_id": "S0", "kind": "avoid"},
        {"buyer_id": "B1", "supplier_id": "S1", "kind": "want"},
    ]
    event, scores = make_event(seed, requests=requests)
    scores[("B0", "S0")] = 1.0  # the best pair, but avoided
    result = scheduling.solve(event, scores)
    check_hard_constraints(event, result)
    assert result.method == "milp" and result.objective <= result.bound + 1e-6
    assert result.meetings


def test_must_meets_whenever_feasible_and_is_reported_otherwise():
    event, scores = make_event(
        11,
        requests=[
            {"buyer_id": "B2", "supplier_id": "S3", "kind": "must"},
            {"buyer_id": "B4", "supplier_id": "S5", "kind": "must"},
        ],
    )
    scores[("B2", "S3")] = 0.0  # worthless by score, but a must
    event.buyers[4].unavailable_slots = [0, 1, 2]
    event.suppliers[5].unavailable_slots = [3, 4, 5]  # no common slot: infeasible
    result = scheduling.solve(event, scores)
    check_hard_constraints(event, result)
    met = {(m["buyer_id"], m["supplier_id"]) for m in result.meetings}
    assert ("B2", "S3") in met
    assert result.unmet_requests == [
        {
            "buyer_id": "B4",
            "supplier_id": "S5",
            "kind": "must",
            "reason": "no slot in which both are available",
            "reason_code": "no_common_slot",
        }
    ]


def test_greedy_and_two_stage_respect_constraints_and_the_optimiser_beats_greedy():
    event, scores = make_event(3, buyers=10, suppliers=30, slots=6, tables=5)
    optimal = scheduling.solve(event, scores)
    greedy = scheduling.solve(event, scores, method="greedy")
    assert greedy.method == "greedy"
    check_hard_constraints(event, greedy)
    assert optimal.objective >= greedy.objective - 1e-9
    staged = scheduling.solve(event, scores, method="two-stage")  # the large-event path
    assert staged.method.startswith("two-stage")
    check_hard_constraints(event, staged)
    assert staged.objective <= staged.bound + 1e-6 and optimal.objective <= staged.bound + 1e-6


def test_replanning_keeps_confirmed_meetings_and_changes_little():
    event, scores = make_event(5, requests=[{"buyer_id": "B0", "supplier_id": "S0", "kind": "avoid"}])
    first = scheduling.solve(event, scores)
    confirmed = [{k: m[k] for k in ("buyer_id", "supplier_id", "slot")} for m in first.meetings[:3]]
    previous = [{k: m[k] for k in ("buyer_id", "supplier_id", "slot")} for m in first.meetings]
    gone = first.meetings[3]["supplier_id"]  # a supplier who cancels
    data = event.model_dump()
    for supplier in data["suppliers"]:
        if supplier["id"] == gone:
            supplier["unavailable_slots"] = list(range(len(data["slots"])))
    replanned_event = EventIn.model_validate({**data, "confirmed": confirmed, "previous": previous})
    second = scheduling.solve(replanned_event, scores)
    check_hard_constraints(replanned_event, second)
    placed = {(m["buyer_id"], m["supplier_id"], m["slot"]) for m in second.meetings}
    assert all((c["buyer_id"], c["supplier_id"], c["slot"]) in placed for c in confirmed)
    assert gone not in {m["supplier_id"] for m in second.meetings}
    lost = sum(1 for m in first.meetings if m["supplier_id"] == gone)
    assert second.replanning["previous_changed"] <= lost + 2  # only what the cancellation forces
    assert second.replanning["previous_kept"] >= len(previous) - lost - 2


def test_a_timetable_becomes_slots_around_the_breaks():
    event = EventIn.model_validate(
        {
            "id": "T",
            "tables": 1,
            "timetable": {
                "days": ["2026-12-10", "2026-12-11"],
                "start": "09:00",
                "end": "10:30",
                "slot_minutes": 20,
                "breaks": [{"start": "09:50", "end": "10:00"}],
            },
        }
    )
    starts = [f"{s.start:%d %H:%M}" for s in event.slots]
    # 09:40 would run into the break, so the next slot starts when the break ends.
    assert starts == ["10 09:00", "10 09:20", "10 10:00", "11 09:00", "11 09:20", "11 10:00"]
    with pytest.raises(ValueError, match="slots"):
        EventIn.model_validate({"id": "T", "tables": 1})


def test_overlapping_slots_and_contradictory_requests_are_refused_with_the_reason():
    base = {
        "id": "T",
        "tables": 2,
        "slots": [
            {"start": "2026-12-10T09:00", "end": "2026-12-10T09:20"},
            {"start": "2026-12-10T09:20", "end": "2026-12-10T09:40"},
        ],
        "buyers": [{"id": "B1"}],
        "suppliers": [{"id": "S1"}],
    }
    EventIn.model_validate(base)  # back-to-back slots do not overlap
    overlapping = {
        **base,
        "slots": [base["slots"][1], {"start": "2026-12-10T09:00", "end": "2026-12-10T09:30"}],
    }
    with pytest.raises(ValueError, match="slots: 1 and 0 overlap in time"):
        EventIn.model_validate(overlapping)
    # times with and without a UTC offset cannot be compared: refused, not a crash
    aware = {"start": "2026-12-10T09:40+07:00", "end": "2026-12-10T10:00+07:00"}
    with pytest.raises(ValueError, match="UTC offset"):
        EventIn.model_validate({**base, "slots": [*base["slots"], aware]})
    with pytest.raises(ValueError, match="UTC offset"):
        EventIn.model_validate({**base, "slots": [{"start": "2026-12-10T09:00", "end": aware["end"]}]})
    both = [{"buyer_id": "B1", "supplier_id": "S1", "kind": k} for k in ("must", "avoid")]
    with pytest.raises(ValueError, match="B1 / S1 is asked as both must and avoid"):
        EventIn.model_validate({**base, "requests": both})
    EventIn.model_validate({**base, "requests": [both[0], both[0]]})  # the same request twice is no conflict


@pytest.mark.parametrize("seed", range(3))
def test_each_buyer_keeps_one_table_when_there_are_enough(seed):
    event, scores = make_event(seed, buyers=6, suppliers=24, slots=8, tables=6)
    result = scheduling.solve(event, scores)
    check_hard_constraints(event, result)
    tables_of = {}
    for m in result.meetings:
        tables_of.setdefault(m["buyer_id"], set()).add(m["table"])
    assert all(len(t) == 1 for t in tables_of.values())
    assert result.as_dict()["tables"]["buyers_moving"] == 0 and result.as_dict()["tables"]["fixed"]


def test_with_fewer_tables_than_buyers_few_buyers_move():
    event, scores = make_event(4, buyers=8, suppliers=30, slots=8, tables=5)
    result = scheduling.solve(event, scores)
    check_hard_constraints(event, result)
    moving = result.as_dict()["tables"]["buyers_moving"]
    # Five buyers keep a home table; at most the other three ever change tables.
    assert moving <= 3
    per_slot_tables = Counter(m["slot"] for m in result.meetings)
    assert max(per_slot_tables.values()) <= event.tables


def test_agendas_fill_evenly_when_capacity_allows():
    """Buyers are the scarce side: one buyer's strong pairs must not starve the others."""
    event, scores = make_event(7, buyers=6, suppliers=30, slots=8, tables=6)
    for b in event.buyers:
        b.max_meetings, b.unavailable_slots = 6, []
    for s in event.suppliers:
        s.max_meetings, s.unavailable_slots = 2, []
    for j in range(30):  # B0 is everyone's favourite; the rest are middling
        scores[("B0", f"S{j}")] = 0.95
        for i in range(1, 6):
            scores[(f"B{i}", f"S{j}")] = 0.3 + 0.01 * ((i * j) % 7)
    result = scheduling.solve(event, scores)
    check_hard_constraints(event, result)
    counts = Counter(m["buyer_id"] for m in result.meetings)
    mean = sum(counts.values()) / len(event.buyers)
    assert min(counts[b.id] for b in event.buyers) >= 0.6 * mean
    fairness = result.as_dict()["fairness"]
    assert fairness["buyers"]["min"] == min(counts[b.id] for b in event.buyers)


def test_meetings_cluster_instead_of_leaving_gaps():
    event, scores = make_event(3, buyers=3, suppliers=6, slots=8, tables=3)
    for p in [*event.buyers, *event.suppliers]:
        p.unavailable_slots = []
    for b in event.buyers:
        b.max_meetings = 3
    for s in event.suppliers:
        s.max_meetings = 1
    with_penalty = scheduling.solve(event, scores).as_dict()["fairness"]["idle_gaps"]["total"]
    assert with_penalty == 0
    # The objective itself prefers a compact day: the same three meetings, spread out, score less.
    good = set(objective.good_participants({p: 0.5 for p in scores}, scores))
    weights = {p: 0.5 for p in scores}
    compact = [(("B0", "S0"), 0), (("B0", "S1"), 1), (("B0", "S2"), 2)]
    spread = [(("B0", "S0"), 0), (("B0", "S1"), 3), (("B0", "S2"), 6)]
    assert objective.plan_objective(event, weights, good, compact) > objective.plan_objective(
        event, weights, good, spread
    )


def test_every_short_agenda_says_why():
    event, scores = make_event(5, buyers=3, suppliers=4, slots=6, tables=3)
    for b in event.buyers:
        b.max_meetings, b.unavailable_slots = 4, []
    scores = {pair: (0.8 if pair[0] != "B2" else 0.0) for pair in scores}  # nobody fits B2
    short = {
        s["id"]: s["reason"] for s in scheduling.solve(event, scores).as_dict()["fairness"]["short_agendas"]
    }
    assert short["B2"] == "no qualifying counterpart among those invited"
