"""Learning to rank from logged outcomes, and a simulator to show it learns.

The learned model re-weighs the capability signals (concept, dense, lexical, province,
sector) with scikit-learn's logistic regression on "the buyer went on with this supplier"
labels; hard constraints stay multiplicative on top (a missing certificate still costs the
same), so the ranking invariants hold whatever it learns. It is adopted only when, on
requirements held out from training, it beats the hand-set scorer by `ADOPTION_MARGIN` nDCG.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from typing import Any

import numpy as np
from sqlalchemy import select

from matchmaker.evaluation.impressions import log_impressions
from matchmaker.evaluation.outcomes import record_outcome
from matchmaker.evaluation.service import FUNNEL, effective_events
from matchmaker.matching.learned import FEATURES, MODEL_FILE, LearnedRanker, constraint_factor, features
from matchmaker.workspace import Workspace
from models.impression import Impression
from models.outcome import OutcomeIn
from models.requirement import Requirement

ADOPTION_MARGIN = 0.02


def _grade(stage_index: int | None) -> int:
    return 0 if stage_index is None else stage_index + 1


def logged_examples(ws: Workspace) -> list[dict[str, Any]]:
    """Every (requirement, supplier) pair ever shown, with its features, the hand-set score,
    the constraint factor and its label (how far the pair went: 0 = nowhere)."""
    from matchmaker.matching import service as matching

    with ws.sessions() as session:
        shown: dict[str, set[str]] = {}
        for rid, sid in session.execute(select(Impression.requirement_id, Impression.supplier_id)):
            shown.setdefault(rid, set()).add(sid)
        furthest: dict[tuple[str, str], int] = {}
        for e in effective_events(session):
            if e.stage in FUNNEL:
                pair = (e.requirement_id, e.supplier_id)
                furthest[pair] = max(furthest.get(pair, -1), FUNNEL.index(e.stage))
    examples = []
    for rid, suppliers in sorted(shown.items()):
        for m in matching.match_requirement(ws, rid, top=200):
            if m.supplier_id in suppliers:
                examples.append(
                    {
                        "requirement_id": rid,
                        "supplier_id": m.supplier_id,
                        "x": features(m),
                        "hand": m.score,
                        "factor": constraint_factor(m),
                        "label": _grade(furthest.get((rid, m.supplier_id))),
                    }
                )
    return examples


def _ndcg(scores: list[float], labels: list[int], k: int = 10) -> float:
    order = sorted(range(len(scores)), key=lambda i: -scores[i])[:k]
    gain = sum((2 ** labels[i] - 1) / math.log2(r + 2) for r, i in enumerate(order))
    ideal = sum((2**g - 1) / math.log2(r + 2) for r, g in enumerate(sorted(labels, reverse=True)[:k]))
    return gain / ideal if ideal else 0.0


def compare(examples: list[dict[str, Any]], *, folds: int = 5, seed: int = 0) -> dict[str, Any]:
    """Held-out nDCG@10 of the learned and the hand-set ranking (requirements split in folds)."""
    requirements = sorted({e["requirement_id"] for e in examples})
    random.Random(seed).shuffle(requirements)
    hand_scores, learned_scores = [], []
    for fold in range(min(folds, len(requirements))):
        test = set(requirements[fold::folds])
        train = [e for e in examples if e["requirement_id"] not in test]
        labels = np.array([e["label"] for e in train])
        if len(set((labels > 0).tolist())) < 2:
            continue
        model = LearnedRanker().fit(np.array([e["x"] for e in train]), labels)
        for rid in test:
            group = [e for e in examples if e["requirement_id"] == rid]
            if not any(e["label"] for e in group):
                continue
            labels_g = [e["label"] for e in group]
            hand_scores.append(_ndcg([e["hand"] for e in group], labels_g))
            learned_scores.append(_ndcg([model.capability(e["x"]) * e["factor"] for e in group], labels_g))
    hand = float(np.mean(hand_scores)) if hand_scores else 0.0
    learned = float(np.mean(learned_scores)) if learned_scores else 0.0
    return {
        "requirements_evaluated": len(hand_scores),
        "hand_ndcg@10": round(hand, 4),
        "learned_ndcg@10": round(learned, 4),
        "gain": round(learned - hand, 4),
        "margin": ADOPTION_MARGIN,
        "adopted": learned - hand > ADOPTION_MARGIN,
    }


def train(ws: Workspace) -> dict[str, Any]:
    """Compare on held-out logs; fit on all of them; save, marked adopted only if it won."""
    examples = logged_examples(ws)
    report = compare(examples)
    labels = np.array([e["label"] for e in examples])
    if len(set((labels > 0).tolist())) < 2:
        return {**report, "adopted": False, "reason": "the logs hold no (or only) successful pairs"}
    model = LearnedRanker().fit(np.array([e["x"] for e in examples]), labels)
    report["coef"] = dict(zip(FEATURES, (round(c, 3) for c in model.coef_), strict=True))
    model.save(ws.settings.data_dir / MODEL_FILE, report)
    return report


def simulate(
    ws: Workspace, hidden: dict[str, float], *, seed: int = 7, top: int = 20, noise: float = 0.3
) -> int:
    """Log the lists shown for every requirement and outcomes drawn from a hidden utility
    (weights on `FEATURES`): the further a pair's utility clears thresholds, the further it
    goes. Returns the number of events recorded."""
    from matchmaker.matching import service as matching

    rng = random.Random(seed)
    weights = [hidden.get(f, 0.0) for f in FEATURES]
    recorded = 0
    with ws.sessions() as session:
        ids = list(session.scalars(select(Requirement.id).order_by(Requirement.id)))
    for rid in ids:
        shown = matching.match_requirement(ws, rid, top=top)
        with ws.sessions() as session:
            log_impressions(
                db_session=session, requirement_id=rid, matches=shown, channel="cli", viewer_role="sim"
            )
            for m in shown:
                utility = sum(w * x for w, x in zip(weights, features(m), strict=True)) * constraint_factor(m)
                utility += rng.gauss(0, noise)
                reached = int((utility - 0.6) / 0.25) if utility > 0.6 else -1
                day = date(2025, 1, 1) + timedelta(days=rng.randrange(300))
                for stage in FUNNEL[: min(reached + 1, len(FUNNEL))]:
                    record_outcome(
                        db_session=session,
                        recorded_by="simulation",
                        data=OutcomeIn(
                            requirement_id=rid,
                            supplier_id=m.supplier_id,
                            stage=stage,
                            event_date=day,
                            value_vnd=100_000_000 if stage == "contract" else None,
                        ),
                    )
                    day += timedelta(days=rng.randrange(1, 20))
                    recorded += 1
                if 1 <= reached < FUNNEL.index("contract") and rng.random() < 0.5:  # talks that ended
                    missing = m.explanation["certifications"]["missing"]
                    reason = (
                        "certification"
                        if missing
                        else rng.choice(["price", "capacity", "delivery", "no_response"])
                    )
                    data = OutcomeIn(
                        requirement_id=rid,
                        supplier_id=m.supplier_id,
                        stage="rejected",
                        reason=reason,
                        event_date=day,
                    )
                    record_outcome(db_session=session, data=data, recorded_by="simulation")
                    recorded += 1
    return recorded
