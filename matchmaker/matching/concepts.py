"""Capability agreement on the shared taxonomy: how much of what a requirement asks for a supplier
offers (coverage), and how much of what it offers the requirement wants (focus)."""

from __future__ import annotations

from indexer.taxonomy import Taxonomy

# A supplier concept found only in use context (weight ROLE_WEIGHT[context] ≈ 0.12) is not offered.
OFFERED_MIN_WEIGHT = 0.3


class ConceptMatcher:
    """Compares a requirement's concepts with a supplier's (concept → {weight, words, role})."""

    def __init__(self, taxonomy: Taxonomy, focus_floor: float, made_by_credit: float):
        self.taxonomy = taxonomy
        self.focus_floor = focus_floor  # agreement = coverage × (floor + (1 − floor) × focus)
        self.made_by_credit = made_by_credit  # see Weights.made_by_credit

    def agreement(
        self, wanted: dict[str, dict], offered: dict[str, dict], relevance: dict[str, float] | None = None
    ) -> tuple[float, list, list]:
        """Coverage of the requirement's concepts, tempered by the supplier's focus, with evidence.

        Coverage: exact node, full credit; a more specific node (asked "machining", offers
        "turning"): 0.9; only the general parent (asked "die-casting dies", offers "moulds"): 0.6,
        or 0.15 when the supplier names a different specific child (plastic moulds) — a
        look-alike; a process that makes the product asked for (`made_by`): `made_by_credit`.
        Focus: the share of what the supplier offers that the requirement wants (`relevance`).
        """
        if not wanted:
            return 0.0, [], []
        # Who a firm serves ("cho các hãng xe máy", "customers: Honda") is not what it makes.
        offered = {cid: o for cid, o in offered.items() if o.get("weight", 1.0) >= OFFERED_MIN_WEIGHT}
        matched, unmatched = [], []
        got = total = 0.0
        for cid, want in wanted.items():
            weight = want["weight"]
            total += weight
            credit, how, words = self._credit(cid, offered)
            got += weight * credit
            concept = self.taxonomy.concepts[cid]
            entry = {
                "concept": cid,
                "label": concept.label("en"),
                "label_vi": concept.label("vi"),
                "requirement_words": want["words"],
                "weight": round(weight, 4),  # how much the requirement wants it
            }
            if want.get("inferred"):  # "ABS housing → plastic injection", "classifier 0.82"
                entry["inferred"] = want["inferred"]
            if credit >= 0.5:
                matched.append({**entry, "supplier_words": words, "match": how})
            else:
                # A supplier that makes a look-alike of it is not told to claim it (a die maker
                # is not a die caster): see profiles.opportunity_gap.
                if self.taxonomy.lookalikes_of(cid) & offered.keys():
                    entry["lookalike"] = True
                unmatched.append(entry)
        relevance = relevance if relevance is not None else self.relevance(wanted)
        focus = self.focus(relevance, offered)
        floor = self.focus_floor
        return got / total * (floor + (1 - floor) * focus), matched, unmatched

    def _credit(self, cid: str, offered: dict[str, dict]) -> tuple[float, str | None, list[str]]:
        """(credit, how, the supplier's words) for one wanted node."""
        if cid in offered:
            return 1.0, "exact", offered[cid]["words"]
        below = self.taxonomy.descendants(cid) & offered.keys()
        if below:
            return 0.9, "more_specific", [w for c in below for w in offered[c]["words"]]
        credit, how, words = 0.0, None, []
        for parent in self.taxonomy.ancestors(cid):
            if parent in offered:
                siblings = (self.taxonomy.descendants(parent) & offered.keys()) - {cid}
                # A die maker's "đúc" (shots of its dies) is no die casting.
                lookalike = self.taxonomy.lookalikes_of(cid) & offered.keys()
                credit = 0.15 if siblings or lookalike else 0.6
                how, words = "general", offered[parent]["words"]
                break
        makers = self.taxonomy.makers_of(cid) & offered.keys()
        if makers and credit < self.made_by_credit:
            return self.made_by_credit, "made_by", [w for c in makers for w in offered[c]["words"]]
        return credit, how, words

    def relevance(self, wanted: dict[str, dict]) -> dict[str, float]:
        """node → how much the requirement wants what a supplier offering that node makes:
        its weight relative to the heaviest, shared by its parent and child nodes and by the
        products a wanted process makes (a die caster's "casting" and its engine covers are the
        same trade); `made_by_credit` of it for a process that makes a wanted product."""
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
                raise_to(maker, self.made_by_credit * share)
        return out

    def focus(self, relevance: dict[str, float], offered: dict[str, dict]) -> float:
        """Share of what the supplier makes (its capabilities other than materials, by weight)
        that the requirement wants. Unasked finishing operations beside a main process (a die
        caster's CNC finishing) are left out; a firm that only finishes is judged on them."""
        trades = {c: o for c, o in offered.items() if self.taxonomy.concepts[c].kind != "material"}
        main = {c: o for c, o in trades.items() if c in relevance or not self.taxonomy.is_secondary(c)}
        trades = main or trades
        mass = sum(o.get("weight", 1.0) for o in trades.values())
        wanted = sum(o.get("weight", 1.0) * relevance.get(c, 0.0) for c, o in trades.items())
        return wanted / mass if mass else 1.0


# What counts towards "can make the thing" (the certificate order): a maker of the process a
# product needs (`made_by`) could make it, but has not said it does, so it does not count.
_CREDIT = {"exact": 1.0, "more_specific": 0.9, "general": 0.6}
# A requirement's core: its nodes weighing at least this share of its heaviest one.
CORE_SHARE = 0.75


def core_agreement(wanted: dict[str, dict], matched: list[dict]) -> float:
    """Weighted share of the requirement's core nodes that the supplier covers."""
    heaviest = max(w["weight"] for w in wanted.values())
    core = {cid: w["weight"] for cid, w in wanted.items() if w["weight"] >= CORE_SHARE * heaviest}
    got = sum(core[m["concept"]] * _CREDIT.get(m["match"], 0.0) for m in matched if m["concept"] in core)
    return got / sum(core.values())
