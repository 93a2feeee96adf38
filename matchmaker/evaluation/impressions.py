"""Log what was shown, and measure where the suppliers buyers went on with had been shown."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.evaluation.service import FUNNEL, effective_events
from matchmaker.matching.ranking import RANKER_VERSION, Match
from models.impression import Impression


def log_impressions(
    *, db_session: Session, requirement_id: str, matches: list[Match], channel: str, viewer_role: str | None
) -> str:
    """Record one shown list (position 1 = top) and return its id."""
    list_id = secrets.token_hex(8)
    for position, match in enumerate(matches, start=1):
        db_session.add(
            Impression(
                list_id=list_id,
                requirement_id=requirement_id,
                supplier_id=match.supplier_id,
                position=position,
                score=match.score,
                ranker=(match.explanation or {}).get("ranker", RANKER_VERSION),
                channel=channel,
                viewer_role=viewer_role,
            )
        )
    db_session.commit()
    return list_id


def ranking_quality(
    *, db_session: Session, stage: str = "shortlisted", ks: tuple[int, ...] = (1, 5, 10)
) -> dict[str, Any]:
    """Where the suppliers that reached `stage` (or further) had been shown: hit@k and MRR.

    A pair counts once, at the best position it was shown in any list for that requirement;
    a pair never shown counts as a miss (position none).
    """
    reached_from = FUNNEL.index(stage)
    pairs = {
        (e.requirement_id, e.supplier_id)
        for e in effective_events(db_session)
        if e.stage in FUNNEL and FUNNEL.index(e.stage) >= reached_from
    }
    best: dict[tuple[str, str], int] = {}
    for requirement_id, supplier_id, position in db_session.execute(
        select(Impression.requirement_id, Impression.supplier_id, Impression.position)
    ):
        pair = (requirement_id, supplier_id)
        if pair in pairs:
            best[pair] = min(best.get(pair, position), position)
    positions = [best.get(pair) for pair in pairs]
    n = len(positions) or 1
    return {
        "stage": stage,
        "pairs": len(pairs),
        "shown": sum(p is not None for p in positions),
        **{f"hit@{k}": round(sum(1 for p in positions if p and p <= k) / n, 4) for k in ks},
        "mrr": round(sum(1 / p for p in positions if p) / n, 4),
    }
