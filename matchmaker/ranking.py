"""The scorer: how well one supplier fits one requirement, and why.

score = capability × certification factor × maker factor × context factor, where

* capability = 0.45·concept agreement + 0.30·dense similarity + 0.25·lexical coverage
  (a component that cannot speak for a requirement — no taxonomy concept found, or no
  Latin-script words to compare — is left out and the others re-weighted), where concept
  agreement = coverage of the requirement's concepts × (0.5 + 0.5 × the supplier's focus on
  them), and lexical coverage weighs each word by its role (the item, not its use context);
* certification factor = 1 − 0.3 × (share of required certificates not validly held), and on
  top a hard order (`in_certificate_order`): among suppliers that can make the thing, those
  holding every required certificate are listed first, whatever the scores;
* maker factor = 0.6 for a trading company that resells rather than makes;
* context factor = 1 − (province bonus + sector bonus not earned): 0.08 for a preferred
  province (0.03 for the same region), 0.05 for the requirement's sector.

The score is a pure function of the two documents and their vectors, so `match` (requirement
→ suppliers) and `opportunities` (supplier → requirements) give one pair the same score.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import numpy as np

from indexer.certifications import status_on
from indexer.sectors import sector_label
from indexer.taxonomy import Taxonomy, default_taxonomy
from matchmaker.learned import LearnedRanker, signal_row

RANKER_VERSION = "hand-v1"
LEARNED_VERSION = "learned-v1"
_CJK_START = 0x2E80
# A supplier concept found only in use context (weight ROLE_WEIGHT[context] ≈ 0.12) is not offered.
OFFERED_MIN_WEIGHT = 0.3


@dataclass(frozen=True)
class Weights:
    """Hand-set weights (documented above); a learned ranker may replace them later."""

    concept: float = 0.45
    dense: float = 0.30
    lexical: float = 0.25
    # Concept agreement = coverage × (focus_floor + (1 − focus_floor) × focus): of two firms
    # that both cover a request, the one whose trade it is comes first.
    focus_floor: float = 0.5
    # Credit for a product nobody offers by name when the supplier has the process that makes
    # it (pumps: casting, machining; taxonomy `made_by`).
    made_by_credit: float = 0.5
    missing_certification_penalty: float = 0.3
    # "Can make the thing", for the certificate order: capability at least this share of the
    # best candidate's, and never below the floor.
    capable_share: float = 0.3
    capable_floor: float = 0.25
    trader_factor: float = 0.6
    province_bonus: float = 0.08
    region_bonus: float = 0.03
    sector_bonus: float = 0.05


@dataclass
class Match:
    """One scored pair with its explanation."""

    requirement_id: str
    supplier_id: str
    score: float
    explanation: dict[str, Any] = field(default_factory=dict)
    # For the certificate order (`in_certificate_order`); the explanation shows both.
    capability: float = field(default=0.0, repr=False)
    certified: bool = field(default=True, repr=False)
    order: str = field(default="", repr=False)  # its place in the certificate order, once decided

    def as_dict(self) -> dict[str, Any]:
        hidden = ("capability", "certified", "order")
        return {k: v for k, v in asdict(self).items() if k not in hidden}


def in_certificate_order(matches: list[Match], weights: Weights | None = None) -> list[Match]:
    """Best first, with the hard certificate order: among suppliers that can make the thing
    (concept agreement, or capability where the requirement names no concept, at least
    `capable_share` of the best candidate's), those holding every required certificate come
    first; the rest follow by score, each naming what it lacks.

    "Can make" is judged against the best candidate because the absolute scale moves with
    how a requirement is written (a terse Korean title vs a long English brief).
    """
    w = weights or Weights()
    if all(m.certified for m in matches):  # no certificate asked for (or all hold them): by score
        return sorted(matches, key=lambda m: (-m.score, m.supplier_id, m.requirement_id))
    best = max((m.capability for m in matches), default=0.0)
    floor = max(w.capable_floor, w.capable_share * best)

    def key(m: Match) -> tuple:
        first = m.certified and m.capability >= floor
        return (not first, -m.score, m.supplier_id, m.requirement_id)

    ordered = sorted(matches, key=key)
    for m in ordered:
        m.order = (
            "certified maker"
            if m.certified and m.capability >= floor
            else "after certified makers"
            if m.capability >= floor
            else "less capable"
        )
    return ordered


def _idf(total: int, df: int) -> float:
    return math.log(1 + (total - df + 0.5) / (df + 0.5))


@dataclass
class PreparedRequirement:
    """A requirement with everything that does not depend on the supplier worked out once."""

    id: str
    payload: dict[str, Any]
    vector: np.ndarray
    word_weights: dict[str, float]  # folded word → IDF over the supplier corpus
    pair_weights: dict[str, float]  # " a b " → the lesser IDF × role weight of the pair
    use_lexical: bool
    relevance: dict[str, float] = field(default_factory=dict)  # see Scorer.relevance


class Scorer:
    """Scores (requirement, supplier) pairs from their search documents."""

    def __init__(
        self,
        similarity_range: tuple[float, float],
        weights: Weights | None = None,
        taxonomy: Taxonomy | None = None,
        today: date | None = None,
        learned: LearnedRanker | None = None,
    ):
        self.weights = weights or Weights()
        self.taxonomy = taxonomy or default_taxonomy()
        self.similarity_range = similarity_range
        self._today = today  # fixed for tests; otherwise each call's own date
        self.learned = learned  # adopted only after beating the hand-set weights on held-out logs
        self.version = LEARNED_VERSION if learned else RANKER_VERSION

    @property
    def today(self) -> date:
        """The day certificate validity is judged on (a long-running server moves with it)."""
        return self._today or date.today()

    # ── components ───────────────────────────────────────────────────────────
    def concept_agreement(
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
        floor = self.weights.focus_floor
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
        if makers and credit < self.weights.made_by_credit:
            return self.weights.made_by_credit, "made_by", [w for c in makers for w in offered[c]["words"]]
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
                raise_to(maker, self.weights.made_by_credit * share)
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

    def dense_similarity(
        self, requirement_vector: np.ndarray, supplier_vector: np.ndarray
    ) -> tuple[float, float]:
        """(calibrated 0..1, raw cosine)."""
        cosine = float(np.dot(requirement_vector, supplier_vector))
        low, high = self.similarity_range
        return min(1.0, max(0.0, (cosine - low) / (high - low))), cosine

    def prepare(
        self,
        requirement: dict[str, Any],
        vector: np.ndarray,
        idf: tuple[int, Mapping[str, int]],
        requirement_id: str = "",
    ) -> PreparedRequirement:
        """Work out the supplier-independent parts of scoring one requirement."""
        total, freq = idf
        wanted = (requirement.get("tokens") or "").split()
        if hasattr(freq, "prefetch"):  # a remote engine: fetch every token's frequency in one request
            freq.prefetch(set(wanted))
        # Each word counts by its role in the text: the item's words fully, its use context
        # hardly (requirements indexed before roles were kept count every word fully).
        roles = requirement.get("token_weights") or {}
        words = {t: _idf(total, freq.get(t, 0)) * roles.get(t, 1.0) for t in set(wanted)}
        words = {t: w for t, w in words.items() if w > 0}
        pairs = {
            f" {a} {b} ": min(words[a], words[b])
            for a, b in zip(wanted, wanted[1:], strict=False)
            if a in words and b in words
        }
        # Lexical overlap only speaks for requirements written mostly in Latin script; a Korean
        # text's few acronyms ("SMT", "AOI") would otherwise weigh as much as a whole sentence.
        latin = sum(1 for t in wanted if ord(t[0]) < _CJK_START)
        use_lexical = latin >= 2 and latin >= len(wanted) / 2
        relevance = self.relevance(requirement.get("concepts") or {})
        return PreparedRequirement(requirement_id, requirement, vector, words, pairs, use_lexical, relevance)

    @staticmethod
    def lexical_coverage(prepared: PreparedRequirement, offered_text: str) -> float:
        """IDF-weighted share of the requirement's words (and word pairs) the profile contains.

        Word pairs matter for Vietnamese, whose syllables alone are ambiguous ("đúc áp lực").
        """
        if not prepared.word_weights:
            return 0.0
        offered = set(offered_text.split())
        words = prepared.word_weights
        single = sum(w for t, w in words.items() if t in offered) / sum(words.values())
        if not prepared.pair_weights:
            return single
        padded = f" {offered_text} "
        pairs = prepared.pair_weights
        return 0.5 * single + 0.5 * sum(w for p, w in pairs.items() if p in padded) / sum(pairs.values())

    # ── the whole score ──────────────────────────────────────────────────────
    def score(
        self,
        prepared: PreparedRequirement,
        supplier: dict[str, Any],
        supplier_vector: np.ndarray,
        supplier_id: str = "",
        explain: bool = True,
    ) -> Match | None:
        """The match, or None when the supplier is excluded (foreign-owned, not asked for).

        `explain=False` skips the explanation, for candidates that will not be shown.
        """
        w = self.weights
        requirement = prepared.payload
        ownership = supplier.get("ownership") or "domestic"
        if ownership == "fdi" and not requirement.get("include_foreign_owned"):
            return None
        concept, matched, unmatched = self.concept_agreement(
            requirement.get("concepts") or {}, supplier.get("concepts") or {}, prepared.relevance
        )
        dense, cosine = self.dense_similarity(prepared.vector, supplier_vector)
        lexical = self.lexical_coverage(prepared, supplier.get("tokens") or "")

        parts = [(w.dense, dense)]
        if requirement.get("concepts"):
            parts.append((w.concept, concept))
        if prepared.use_lexical:
            parts.append((w.lexical, lexical))
        capability = sum(weight * value for weight, value in parts) / sum(weight for weight, _ in parts)

        certs = self._certifications(
            requirement.get("required_certifications") or [], supplier.get("certifications") or []
        )
        required = len(certs["required"])
        missing_share = len(certs["missing"]) / required if required else 0.0
        cert_factor = 1.0 - w.missing_certification_penalty * missing_share
        trader = bool(supplier.get("trader"))
        maker_factor = w.trader_factor if trader else 1.0
        province = self._province(requirement, supplier)
        sector = self._sector(requirement, supplier)
        context_factor = 1.0 - (w.province_bonus - province["bonus"]) - (w.sector_bonus - sector["bonus"])
        if self.learned is not None:  # learned weights replace the capability mix and context bonuses
            row = signal_row(concept, dense, lexical, province["match"], sector["match"])
            capability, context_factor = self.learned.capability(row), 1.0
        score = round(capability * cert_factor * maker_factor * context_factor, 4)
        certified = not certs["missing"]
        # "Can it make the thing?" is read off the taxonomy where the requirement names a
        # capability: the share of its *core* (the most weighted nodes: the item, its process)
        # the supplier covers. A spring maker with CNC lathes covers the "CNC finishing" aside
        # of a die-casting request, not the die casting. A reseller makes nothing.
        wanted = requirement.get("concepts") or {}
        core = core_agreement(wanted, matched) if wanted else capability
        maker_capability = 0.0 if trader else core
        if not explain:
            return Match(prepared.id, supplier_id, score, capability=maker_capability, certified=certified)

        explanation = {
            "summary": "",
            "matched_capabilities": matched,
            "unmatched_capabilities": unmatched,
            "certifications": certs,
            "province": {k: v for k, v in province.items() if k != "bonus"},
            "sector": {k: v for k, v in sector.items() if k != "bonus"},
            "ownership": ownership,
            "trader": trader,
            "components": {
                "concept": round(concept, 4),
                "dense": round(dense, 4),
                "cosine": round(cosine, 4),
                "lexical": round(lexical, 4),
                "capability": round(capability, 4),
                "certification_factor": round(cert_factor, 4),
                "maker_factor": maker_factor,
                "context_factor": round(context_factor, 4),
            },
            "certified": certified,
            "requirement_reading": reading_of(requirement),
            "ranker": self.version,
        }
        explanation["summary"] = summarise(explanation)
        return Match(prepared.id, supplier_id, score, explanation, maker_capability, certified)

    def _certifications(self, required: list[str], held: list[dict]) -> dict[str, Any]:
        by_standard: dict[str, tuple[str, str | None]] = {}
        for cert in held:
            status, reason = status_on(cert, self.today)
            current = by_standard.get(cert["standard"])
            if current is None or (status == "held" and current[0] != "held"):
                by_standard[cert["standard"]] = (status, reason)
        have, missing = [], []
        for standard in required:
            status, reason = by_standard.get(standard, ("absent", None))
            if status == "held":
                have.append(standard)
            else:
                missing.append(
                    {
                        "standard": standard,
                        "status": status,
                        "reason": reason or f"no {standard} certificate on the profile",
                    }
                )
        others = sorted(s for s, (status, _) in by_standard.items() if status == "held" and s not in required)
        return {"required": list(required), "held": have, "missing": missing, "other_held": others}

    def _province(self, requirement: dict, supplier: dict) -> dict[str, Any]:
        preferred = requirement.get("preferred_provinces") or []
        province = supplier.get("province")
        out = {"supplier": province, "as_written": supplier.get("province_raw"), "preferred": preferred}
        if not preferred:
            return {**out, "match": "no_preference", "bonus": self.weights.province_bonus}
        if province in preferred:
            return {**out, "match": "preferred", "bonus": self.weights.province_bonus}
        if supplier.get("region") and supplier.get("region") in (requirement.get("preferred_regions") or []):
            return {**out, "match": "same_region", "bonus": self.weights.region_bonus}
        return {**out, "match": "other" if province else "unknown", "bonus": 0.0}

    def _sector(self, requirement: dict, supplier: dict) -> dict[str, Any]:
        wanted = requirement.get("sector")
        offered = supplier.get("sectors") or []
        out = {"requirement": wanted, "supplier": offered}
        if not wanted or wanted == "other":
            return {**out, "match": None, "bonus": self.weights.sector_bonus}
        if wanted in offered:
            return {**out, "match": True, "bonus": self.weights.sector_bonus}
        if not offered:  # unknown is not a mismatch
            return {**out, "match": None, "bonus": self.weights.sector_bonus / 2}
        return {**out, "match": False, "bonus": 0.0}


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


def reading_of(requirement: dict[str, Any]) -> dict[str, Any]:
    """How the requirement was read: item(s), material(s), use context, noise set aside, and
    what was inferred from them."""
    reading = dict(requirement.get("reading") or {})
    inferred = [e["inferred"] for e in (requirement.get("concepts") or {}).values() if e.get("inferred")]
    if inferred:
        reading["inferred"] = inferred
    return reading


def describe_reading(reading: dict[str, Any]) -> str:
    """ "asked for: piston (cast iron) · context: motorcycle engines"."""
    if not reading.get("item"):
        return ""
    text = "asked for: " + "; ".join(reading["item"][:2])
    if reading.get("material"):
        text += f" ({', '.join(reading['material'][:2])})"
    if reading.get("context"):
        text += " · context: " + "; ".join(reading["context"][:2])
    if reading.get("inferred"):
        text += " · " + "; ".join(reading["inferred"][:2])
    return text


def summarise(explanation: dict[str, Any]) -> str:
    """One English line a buyer can read in a list."""
    parts = []
    if read := describe_reading(explanation.get("requirement_reading") or {}):
        parts.append(read)
    caps = explanation["matched_capabilities"]
    if caps:
        words = [f"{c['label']} ({', '.join(c['supplier_words'][:2])})" for c in caps[:4]]
        parts.append("makes " + "; ".join(words))
    else:
        parts.append("no taxonomy capability in common; text similarity only")
    certs = explanation["certifications"]
    if certs["held"]:
        parts.append("holds " + ", ".join(certs["held"]))
    for missing in certs["missing"]:
        parts.append(
            f"missing {missing['standard']}"
            + (f" ({missing['status'].replace('_', ' ')})" if missing["status"] != "absent" else "")
        )
    province = explanation["province"]
    if province.get("supplier"):
        where = province["supplier"]
        if province.get("as_written") and province["as_written"] != where:
            where += f" (written {province['as_written']})"
        if province["match"] == "preferred":
            where += ", a preferred province"
        parts.append(where)
    if explanation["sector"].get("match") is False:
        parts.append("other sector: " + ", ".join(sector_label(s) for s in explanation["sector"]["supplier"]))
    if explanation["trader"]:
        parts.append("trading company (resells, does not make)")
    if explanation["ownership"] != "domestic":
        parts.append(explanation["ownership"].replace("_", " "))
    return "; ".join(parts)
