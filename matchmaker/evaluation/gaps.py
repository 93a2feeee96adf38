"""Demand gaps: what lead firms ask for that domestic suppliers cannot yet deliver, and which
near-miss suppliers support (certification consulting, training) would turn into suppliers."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import select

from matchmaker.matching import service as matching
from matchmaker.matching.ranking import Match
from matchmaker.workspace import Workspace
from models.requirement import Requirement

# A supplier "can make it" when it covers at least half of what the requirement names in the
# taxonomy, or its capability score (taxonomy, text and meaning together) reaches the second
# figure: either signal alone is enough, since a requirement phrased in words the taxonomy
# reads only partly must not look unmet when a good maker is on file. It is "qualified" when
# it also holds every required certificate and is not a trader.
CAPABLE_CONCEPTS, CAPABLE_SCORE = 0.5, 0.45


def is_capable(match: Match) -> bool:
    """Capable of making what is asked, certificates aside."""
    e = match.explanation
    if e["trader"]:
        return False
    return e["components"]["concept"] >= CAPABLE_CONCEPTS or e["components"]["capability"] >= CAPABLE_SCORE


def demand_gaps(ws: Workspace, *, candidates: int = 20) -> dict[str, Any]:
    """Unmet open requirements, the certificates and capabilities most often missing (by
    sector and province), and near-miss suppliers per province."""
    with ws.sessions() as session:
        requirements = [
            (r.id, r.title, r.sector_code or "other", r.lead_firm.name)
            for r in session.scalars(
                select(Requirement).where(Requirement.status == "open").order_by(Requirement.id)
            )
        ]
    unmet = []
    certs_by_sector: dict[str, Counter] = defaultdict(Counter)
    certs_by_province: dict[str, Counter] = defaultdict(Counter)
    capabilities_by_sector: dict[str, Counter] = defaultdict(Counter)
    near_misses: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for requirement_id, title, sector, lead_firm in requirements:
        found = matching.match_requirement(ws, requirement_id, top=candidates)
        capable = [m for m in found if is_capable(m)]
        qualified = [m for m in capable if not m.explanation["certifications"]["missing"]]
        if not qualified:
            lacking = Counter(
                c["standard"] for m in capable for c in m.explanation["certifications"]["missing"]
            )
            unmet.append(
                {
                    "requirement_id": requirement_id,
                    "title": title,
                    "lead_firm": lead_firm,
                    "sector": sector,
                    "capable_but_uncertified": len(capable),
                    # why: nobody on file makes it, or the makers lack a required certificate
                    "reason": "uncertified_makers" if capable else "no_domestic_maker",
                    "missing_certifications": dict(lacking.most_common()),
                }
            )
            if not capable and found:
                for concept in found[0].explanation["unmatched_capabilities"]:
                    capabilities_by_sector[sector][concept["label"]] += 1
        for m in capable:
            missing = [c["standard"] for c in m.explanation["certifications"]["missing"]]
            if not missing:
                continue
            province = m.explanation["province"]["supplier"] or "unknown"
            certs_by_sector[sector].update(missing)
            certs_by_province[province].update(missing)
            near_misses[province].append(
                {
                    "supplier_id": m.supplier_id,
                    "name": m.explanation.get("supplier_name"),
                    "requirement_id": requirement_id,
                    "lead_firm": lead_firm,
                    "missing": missing,
                    "reasons": [c["reason"] for c in m.explanation["certifications"]["missing"]],
                }
            )
    return {
        "open_requirements": len(requirements),
        "unmet_requirements": unmet,
        "missing_certifications_by_sector": {
            k: dict(v.most_common()) for k, v in sorted(certs_by_sector.items())
        },
        "missing_certifications_by_province": {
            k: dict(v.most_common()) for k, v in sorted(certs_by_province.items())
        },
        "missing_capabilities_by_sector": {
            k: dict(v.most_common()) for k, v in sorted(capabilities_by_sector.items())
        },
        "near_miss_suppliers_by_province": dict(sorted(near_misses.items())),
    }
