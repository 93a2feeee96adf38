"""Programme evaluation from outcome events: the funnel, contracted domestic suppliers, value.

Counting rules (documented in the README and tested):
* An event superseded by a later correction no longer counts; the correction does.
* Periods use the event's own date (back-dated events fall where they happened).
* The funnel counts distinct (requirement, supplier) pairs; a pair that reached a stage has
  also passed every earlier stage (a contract implies it was contacted), so duplicates and
  skipped clicks neither inflate nor break it. `recorded` gives the literal per-stage counts.
* Contract value: per pair, the latest effective contract event's value (a duplicate contract
  click is not counted twice).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from statistics import median
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.errors import BadInput
from models.outcome import STAGES, Outcome
from models.requirement import Requirement
from models.supplier import Supplier
from models.vocabulary.provinces import canonical_province
from models.vocabulary.sectors import LOCALISATION_TARGETS

FUNNEL = [s for s in STAGES if s != "rejected"]


@dataclass(frozen=True)
class Period:
    """A calendar year, optionally one quarter of it; None means all time."""

    year: int | None = None
    quarter: int | None = None

    def contains(self, day: date) -> bool:
        if self.year is None:
            return True
        if day.year != self.year:
            return False
        return self.quarter is None or (day.month - 1) // 3 + 1 == self.quarter

    @property
    def label(self) -> str:
        if self.year is None:
            return "all"
        return f"{self.year}" + (f"-Q{self.quarter}" if self.quarter else "")


def effective_events(db_session: Session) -> list[Outcome]:
    """Every event that no later event supersedes, oldest first."""
    events = list(db_session.scalars(select(Outcome).order_by(Outcome.id)))
    superseded = {e.supersedes_id for e in events if e.supersedes_id is not None}
    return [e for e in events if e.id not in superseded]


def _funnel(events: list[Outcome]) -> tuple[dict[str, int], dict[str, int]]:
    """(cumulative funnel, literal per-stage counts) over distinct pairs."""
    furthest: dict[tuple[str, str], int] = {}
    literal: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for e in events:
        pair = (e.requirement_id, e.supplier_id)
        literal[e.stage].add(pair)
        if e.stage in FUNNEL:
            furthest[pair] = max(furthest.get(pair, -1), FUNNEL.index(e.stage))
    funnel = {stage: sum(1 for f in furthest.values() if f >= i) for i, stage in enumerate(FUNNEL)}
    funnel["rejected"] = len(literal["rejected"])
    return funnel, {stage: len(literal[stage]) for stage in STAGES}


def _conversion(funnel: dict[str, int]) -> dict[str, float | None]:
    """Share of pairs at one stage that went on to the next ("contacted→meeting": 0.4)."""
    out: dict[str, float | None] = {}
    for earlier, later in zip(FUNNEL, FUNNEL[1:], strict=False):
        out[f"{earlier}→{later}"] = round(funnel[later] / funnel[earlier], 4) if funnel[earlier] else None
    return out


def _median_days(events: list[Outcome]) -> dict[str, float | None]:
    """Median days from a pair's first event at one stage to its first at the next."""
    first: dict[tuple[str, str], dict[str, date]] = defaultdict(dict)
    for e in events:
        reached = first[(e.requirement_id, e.supplier_id)]
        if e.stage not in reached or e.event_date < reached[e.stage]:
            reached[e.stage] = e.event_date
    out: dict[str, float | None] = {}
    for earlier, later in zip(FUNNEL, FUNNEL[1:], strict=False):
        gaps = [(r[later] - r[earlier]).days for r in first.values() if earlier in r and later in r]
        out[f"{earlier}→{later}"] = float(median(gaps)) if gaps else None
    return out


def _trend(events: list[Outcome]) -> dict[str, dict[str, int]]:
    """Per month (YYYY-MM): distinct pairs first contacted and first contracted that month."""
    first: dict[tuple[str, tuple[str, str]], date] = {}
    for e in events:
        if e.stage in ("contacted", "contract"):
            key = (e.stage, (e.requirement_id, e.supplier_id))
            first[key] = min(first.get(key, e.event_date), e.event_date)
    months: dict[str, dict[str, int]] = defaultdict(lambda: {"contacted": 0, "contract": 0})
    for (stage, _), day in first.items():
        months[day.strftime("%Y-%m")][stage] += 1
    return dict(sorted(months.items()))


def _contract_value(events: list[Outcome]) -> int:
    latest: dict[tuple[str, str], Outcome] = {}
    for e in events:
        if e.stage == "contract":
            pair = (e.requirement_id, e.supplier_id)
            if pair not in latest or (e.event_date, e.id) >= (latest[pair].event_date, latest[pair].id):
                latest[pair] = e
    return sum(e.value_vnd or 0 for e in latest.values())


def _figures(events: list[Outcome], suppliers: dict[str, Supplier], requirements: set[str]) -> dict[str, Any]:
    funnel, recorded = _funnel(events)
    contracted = {e.supplier_id for e in events if e.stage == "contract"}
    return {
        "requirements": len(requirements),
        "suppliers_shortlisted": len({e.supplier_id for e in events if e.stage in FUNNEL}),
        "funnel": funnel,
        "recorded": recorded,
        "suppliers_contracted": len(contracted),
        "domestic_suppliers_contracted": sum(
            1 for s in contracted if suppliers.get(s) is not None and suppliers[s].ownership == "domestic"
        ),
        "contract_value_vnd": _contract_value(events),
        "conversion": _conversion(funnel),
        "median_days": _median_days(events),
    }


def summary(
    *, db_session: Session, period: Period | None = None, province: str | None = None
) -> dict[str, Any]:
    """The programme figures for a period (and optionally the suppliers of one province)."""
    period = period or Period()
    wanted_province = canonical_province(province) if province else None
    if province and wanted_province is None:
        raise BadInput(f"province: unknown province {province!r}")
    suppliers = {s.id: s for s in db_session.scalars(select(Supplier))}
    requirements = {r.id: r for r in db_session.scalars(select(Requirement))}
    events = [e for e in effective_events(db_session) if period.contains(e.event_date)]
    if wanted_province:
        events = [e for e in events if suppliers[e.supplier_id].province_canonical == wanted_province]
    active = {e.requirement_id for e in events}
    if not wanted_province:
        active |= {r.id for r in requirements.values() if period.contains(r.created_at.date())}
    out: dict[str, Any] = {"period": period.label, "province": wanted_province}
    out.update(_figures(events, suppliers, active))
    by_sector: dict[str, list[Outcome]] = defaultdict(list)
    sector_requirements: dict[str, set[str]] = defaultdict(set)
    for rid in active:
        sector_requirements[requirements[rid].sector_code or "other"].add(rid)
    for e in events:
        by_sector[requirements[e.requirement_id].sector_code or "other"].append(e)
    out["by_sector"] = {}
    for sector, rids in sorted(sector_requirements.items()):
        figures = _figures(by_sector.get(sector, []), suppliers, rids)
        if sector in LOCALISATION_TARGETS:
            figures["localisation_target_2030"], figures["localisation_target_2035"] = LOCALISATION_TARGETS[
                sector
            ]
        out["by_sector"][sector] = figures
    by_province: dict[str, list[Outcome]] = defaultdict(list)
    for e in events:
        by_province[suppliers[e.supplier_id].province_canonical or "unknown"].append(e)
    by_lead_firm: dict[str, list[Outcome]] = defaultdict(list)
    for e in events:
        by_lead_firm[requirements[e.requirement_id].lead_firm.name].append(e)
    out["by_lead_firm"] = {
        name: _figures(group, suppliers, {e.requirement_id for e in group})
        for name, group in sorted(by_lead_firm.items())
    }
    by_supplier: dict[str, list[Outcome]] = defaultdict(list)
    for e in events:
        by_supplier[e.supplier_id].append(e)
    out["by_supplier"] = {
        sid: {
            "name": suppliers[sid].name,
            "province": suppliers[sid].province_canonical,
            **_funnel(group)[0],
            "contract_value_vnd": _contract_value(group),
        }
        for sid, group in sorted(by_supplier.items())
    }
    out["trend"] = _trend(events)
    out["by_province"] = {
        name: _figures(group, suppliers, {e.requirement_id for e in group})
        for name, group in sorted(by_province.items())
    }
    return out
