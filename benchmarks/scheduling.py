"""Scheduler benchmark: the optimiser against a greedy baseline in the same run, on events of
growing size up to 150 buyers × 600 suppliers × 16 slots, with a table per buyer. Both are
scored on the same objective (pair values, fairness and fill bonuses, idle-gap penalty).

Pair scores are synthetic but shaped like the matcher's: each buyer has a few dozen good
suppliers (0.4-0.95) and a long tail below the relevance floor.

    python -m benchmarks.scheduling
"""

from __future__ import annotations

import random
import time
from datetime import datetime, timedelta

from matchmaker.events import scheduling
from models.event import EventIn

# Tables ≥ buyers, as at real fairs where each buyer keeps one table.
SIZES = [(30, 120, 8, 30), (80, 300, 12, 80), (150, 600, 16, 150)]


def make(buyers: int, suppliers: int, slots: int, tables: int, seed: int = 1):
    rng = random.Random(seed)
    start = datetime(2026, 12, 10, 8, 30)
    event = EventIn(
        id="bench",
        tables=tables,
        slots=[
            {"start": start + timedelta(minutes=25 * i), "end": start + timedelta(minutes=25 * i + 20)}
            for i in range(slots)
        ],
        buyers=[
            {
                "id": f"B{i}",
                "max_meetings": rng.choice([8, 10, 12]),
                "unavailable_slots": rng.sample(range(slots), rng.randint(0, 2)),
            }
            for i in range(buyers)
        ],
        suppliers=[{"id": f"S{j}", "max_meetings": rng.choice([3, 4, 6])} for j in range(suppliers)],
        requests=[
            {
                "buyer_id": f"B{rng.randrange(buyers)}",
                "supplier_id": f"S{rng.randrange(suppliers)}",
                "kind": rng.choice(["must", "want", "avoid"]),
            }
            for _ in range(buyers // 2)
        ],
    )
    scores = {}
    for i in range(buyers):
        good = rng.sample(range(suppliers), min(40, suppliers))
        for j in range(suppliers):
            scores[(f"B{i}", f"S{j}")] = rng.uniform(0.4, 0.95) if j in good else rng.uniform(0.0, 0.25)
    # requests must refer to distinct pairs
    seen, requests = set(), []
    for r in event.requests:
        if (r.buyer_id, r.supplier_id) not in seen:
            seen.add((r.buyer_id, r.supplier_id))
            requests.append(r)
    event.requests = requests
    return event, scores


def _gaps(d: dict) -> str:
    met = {m["buyer_id"] for m in d["meetings"]} | {m["supplier_id"] for m in d["meetings"]}
    total = d["fairness"]["idle_gaps"]["total"]
    return f"{total} ({total / max(len(met), 1):.2f})"


def main() -> None:
    header = [
        "event (B×S×slots×tables)",
        "method",
        "meetings",
        "score sum",
        "objective",
        "bound",
        "gap",
        "seconds",
        "per buyer min/median/max",
        "idle gaps (total, mean per participant met)",
        "buyers moving tables",
    ]
    print("  ".join(header))
    for size in SIZES:
        event, scores = make(*size)
        label = "×".join(map(str, size))
        started = time.perf_counter()
        best = scheduling.solve(event, scores)
        solved = time.perf_counter() - started
        started = time.perf_counter()
        greedy = scheduling.solve(event, scores, method="greedy")  # the baseline, same event
        greedy_s = time.perf_counter() - started
        for result, seconds in ((best, solved), (greedy, greedy_s)):
            d = result.as_dict()
            print(
                "  ".join(
                    [
                        label,
                        d["method"],
                        str(len(d["meetings"])),
                        f"{d['total_score']:.1f}",
                        f"{d['objective']:.1f}",
                        f"{d['bound']:.1f}",
                        f"{d['gap']:.2%}",
                        f"{seconds:.1f}",
                        "{min}/{median:g}/{max}".format(**d["fairness"]["buyers"]),
                        _gaps(d),
                        str(d["tables"]["buyers_moving"]),
                    ]
                )
            )


if __name__ == "__main__":
    main()
