"""Capability agreement on the shared taxonomy: how much of what a requirement asks for a supplier
offers (coverage), and how much of what it offers the requirement wants (focus)."""

from __future__ import annotations

from dataclasses import dataclass

from indexer.taxonomy import Taxonomy

# A supplier concept found only in use context (weight ROLE_WEIGHT[context] ≈ 0.12) is not offered.
OFFERED_MIN_WEIGHT = 0.3


@dataclass(frozen=True)
class ConceptPlan:
    # (node, weight, in the requirement's core, asked as a material: a firm's inputs answer it)
    nodes: tuple[tuple[str, float, bool, bool], ...]
    total: float
    core_total: float
    relevance: dict[str, float]


class ConceptMatcher:
    """Compares a requirement's concepts with a supplier's (concept → {weight, words, role})."""

    def __init__(
        self, taxonomy: Taxonomy, focus_floor: float, made_by_credit: float, sister_trade_credit: float
    ):
        self.taxonomy = taxonomy
        self.focus_floor = focus_floor  # agreement = coverage × (floor + (1 − floor) × focus)
        self.made_by_credit = made_by_credit  # see Weights.made_by_credit
        self.sister_trade_credit = sister_trade_credit  # see Weights.sister_trade_credit

    def agreement(
        self, wanted: dict[str, dict], offered: dict[str, dict], relevance: dict[str, float] | None = None
    ) -> tuple[float, list, list]:
        """Coverage of the requirement's concepts, tempered by the supplier's focus, with evidence.

        Coverage: exact node, full credit; a more specific node (asked "machining", offers
        "turning"): 0.9; only the general parent (asked "die-casting dies", offers "moulds"): 0.6,
        or 0.15 when the supplier names a different specific child (plastic moulds) — a
        look-alike; a process that makes the product asked for (`made_by`): `made_by_credit`, or
        `sister_trade_credit` when the maker is itself a product (a gear maker for pulleys), and
        as much for a node the supplier names only as what its goods are for ("pump housings":
        a maker of pump parts, not of pumps; match "qualifier").
        Focus: the share of what the supplier offers that the requirement wants (`relevance`).
        """
        if not wanted:
            return 0.0, [], []
        offered = _offered(offered)
        trade = _trade(offered)
        credits = {
            cid: self._credit(cid, offered if want.get("role") == "material" else trade)
            for cid, want in wanted.items()
        }
        matched, unmatched = [], []
        for cid, want in wanted.items():
            credit, how, sources = credits[cid]
            concept = self.taxonomy.concepts[cid]
            entry = {
                "concept": cid,
                "label": concept.label("en"),
                "label_vi": concept.label("vi"),
                "requirement_words": want["words"],
                "weight": round(want["weight"], 4),  # how much the requirement wants it
            }
            if want.get("inferred"):  # "ABS housing → plastic injection", "classifier 0.82"
                entry["inferred"] = want["inferred"]
            if credit >= 0.5:
                words = [w for c in sources for w in offered[c]["words"]]
                matched.append({**entry, "supplier_words": words, "match": how})
                if all(offered[c].get("input") for c in sources):  # the firm works with it
                    matched[-1]["input"] = True
            else:
                # A supplier that makes a look-alike of it is not told to claim it (a die maker
                # is not a die caster): see profiles.opportunity_gap.
                if self.taxonomy.lookalikes_of(cid) & offered.keys():
                    entry["lookalike"] = True
                unmatched.append(entry)
        # What the requirement wants most is said first ("makes Stamping", not the dies it names
        # as the means, which weigh as context).
        matched.sort(key=lambda m: -m["weight"])
        return self._tempered(wanted, credits, offered, relevance), matched, unmatched

    def plan(self, wanted: dict[str, dict]) -> ConceptPlan:
        """What of a requirement's concepts every candidate is compared with, worked out once."""
        if not wanted:
            return ConceptPlan((), 1.0, 1.0, {})
        heaviest = max(w["weight"] for w in wanted.values())
        nodes = tuple(
            (cid, w["weight"], w["weight"] >= CORE_SHARE * heaviest, w.get("role") == "material")
            for cid, w in wanted.items()
        )
        return ConceptPlan(
            nodes,
            total=sum(weight for _, weight, _, _ in nodes),
            core_total=sum(weight for _, weight, core, _ in nodes if core),
            relevance=self.relevance(wanted),
        )

    def agreement_and_core(self, plan: ConceptPlan, offered: dict[str, dict]) -> tuple[float, float]:
        """`agreement` and `core_agreement` as numbers only, for candidates that are not shown."""
        if not plan.nodes:
            return 0.0, 0.0
        offered = _offered(offered)
        trade = _trade(offered)
        got = core = 0.0
        for cid, weight, in_core, as_material in plan.nodes:
            credit, how, _ = self._credit(cid, offered if as_material else trade)
            got += weight * credit
            if in_core and credit >= 0.5:
                core += weight * _CREDIT.get(how, 0.0)
        focus = self.focus(plan.relevance, offered)
        tempered = got / plan.total * (self.focus_floor + (1 - self.focus_floor) * focus)
        return tempered, core / plan.core_total

    def _tempered(self, wanted, credits, offered, relevance) -> float:
        got = sum(want["weight"] * credits[cid][0] for cid, want in wanted.items())
        total = sum(want["weight"] for want in wanted.values())
        focus = self.focus(relevance if relevance is not None else self.relevance(wanted), offered)
        return got / total * (self.focus_floor + (1 - self.focus_floor) * focus)

    def _credit(self, cid: str, offered: dict[str, dict]) -> tuple[float, str | None, tuple[str, ...]]:
        """(credit, how, the supplier's nodes that earned it) for one wanted node."""
        held = offered.get(cid)
        if held is not None and not held.get("modifier"):
            return 1.0, "exact", (cid,)
        below = self.taxonomy.descendants(cid) & offered.keys()
        if below:
            return 0.9, "more_specific", tuple(sorted(below))
        credit, how, sources = 0.0, None, ()
        if held is not None:  # only as what its goods are for: "pump housings" make no pumps
            credit, how, sources = self.sister_trade_credit, "qualifier", (cid,)
        for parent in self.taxonomy.ancestors(cid):
            if parent in offered:
                siblings = (self.taxonomy.descendants(parent) & offered.keys()) - {cid}
                # A die maker's "đúc" (shots of its dies) is no die casting.
                lookalike = self.taxonomy.lookalikes_of(cid) & offered.keys()
                general = 0.15 if siblings or lookalike else 0.6
                if general > credit:
                    credit, how, sources = general, "general", (parent,)
                break
        makers = self.taxonomy.makers_of(cid) & offered.keys()
        if makers and self._has_main_trade(offered):
            # A treatment beside a firm's main trade makes it no maker of what that treatment's
            # specialists make: a moulder's pad printing is no packaging.
            makers = {m for m in makers if not self.taxonomy.is_treatment(m)}
        if makers:
            made_by = max(self._maker_credit(m) for m in makers)
            if credit < made_by:
                return made_by, "made_by", tuple(sorted(makers))
        return credit, how, sources

    def _has_main_trade(self, offered: dict[str, dict]) -> bool:
        """Whether a firm offers a process or product that is not a treatment."""
        concepts = self.taxonomy.concepts
        return any(concepts[c].kind != "material" and not self.taxonomy.is_treatment(c) for c in offered)

    def _maker_credit(self, maker: str) -> float:
        """Credit of a `made_by` maker: a firm making a sister product (gears for a pulley,
        relays for a relay socket) is nearer the trade than one that only has the process."""
        if self.taxonomy.concepts[maker].kind == "product":
            return self.sister_trade_credit
        return self.made_by_credit

    def relevance(self, wanted: dict[str, dict]) -> dict[str, float]:
        """node → how much the requirement wants what a supplier offering that node makes:
        its weight relative to the heaviest, shared by its parent and child nodes and by the
        products a wanted process makes (a die caster's "casting" and its engine covers are the
        same trade); a maker's credit (`_maker_credit`) of it for what makes a wanted product."""
        if not wanted:
            return {}
        heaviest = max(w["weight"] for w in wanted.values())
        out: dict[str, float] = {}

        def raise_to(cid: str, value: float) -> None:
            if value > out.get(cid, 0.0):
                out[cid] = value

        for cid, want in wanted.items():
            share = want["weight"] / heaviest
            same_trade = {cid, *self.taxonomy.ancestors(cid), *self.taxonomy.descendants(cid)}
            for related in same_trade | self.taxonomy.made_with(cid):
                raise_to(related, share)
            for maker in self.taxonomy.makers_of(cid):
                # …and the maker's own family: a foundry's "casting" is its sand casting
                for related in (maker, *self.taxonomy.ancestors(maker), *self.taxonomy.descendants(maker)):
                    raise_to(related, self._maker_credit(maker) * share)
        return out

    def focus(self, relevance: dict[str, float], offered: dict[str, dict]) -> float:
        """Share of what the supplier makes (its capabilities other than materials, by weight)
        that the requirement wants. Unasked finishing operations beside a main process (a die
        caster's CNC finishing) are left out; a firm that only finishes is judged on them."""
        main_mass = main_wanted = side_mass = side_wanted = 0.0  # one pass: every candidate
        for cid, o in offered.items():
            if self.taxonomy.concepts[cid].kind == "material" or o.get("input"):
                continue
            weight, share = o.get("weight", 1.0), relevance.get(cid, 0.0)
            if cid in relevance or not self.taxonomy.is_secondary(cid):
                main_mass, main_wanted = main_mass + weight, main_wanted + weight * share
            else:
                side_mass, side_wanted = side_mass + weight, side_wanted + weight * share
        if main_mass:
            return main_wanted / main_mass
        return side_wanted / side_mass if side_mass else 1.0


def _offered(offered: dict[str, dict]) -> dict[str, dict]:
    """Who a firm serves ("cho các hãng xe máy", "customers: Honda") is not what it makes."""
    return {cid: o for cid, o in offered.items() if o.get("weight", 1.0) >= OFFERED_MIN_WEIGHT}


def _trade(offered: dict[str, dict]) -> dict[str, dict]:
    """…nor is what it works with (`input`: a coil winder's copper wire), except as a material."""
    return {cid: o for cid, o in offered.items() if not o.get("input")}


# What counts towards "can make the thing" (the certificate order): a maker of the process a
# product needs (`made_by`) could make it, but has not said it does, so it does not count.
_CREDIT = {"exact": 1.0, "more_specific": 0.9, "general": 0.6}
# A requirement's core: its nodes weighing at least this share of its heaviest one.
CORE_SHARE = 0.75


def _core(wanted: dict[str, dict], credits: dict[str, tuple]) -> float:
    """Weighted share of the requirement's core nodes that the supplier covers."""
    heaviest = max(w["weight"] for w in wanted.values())
    core = {cid: w["weight"] for cid, w in wanted.items() if w["weight"] >= CORE_SHARE * heaviest}
    got = sum(
        weight * (_CREDIT.get(credits[cid][1], 0.0) if credits[cid][0] >= 0.5 else 0.0)
        for cid, weight in core.items()
    )
    return got / sum(core.values())


def core_agreement(wanted: dict[str, dict], matched: list[dict]) -> float:
    """`_core` from an explanation's matched capabilities."""
    credits = {m["concept"]: (1.0, m["match"], ()) for m in matched}
    return _core(wanted, {cid: credits.get(cid, (0.0, None, ())) for cid in wanted})
