"""The scorer: how well one supplier fits one requirement, and why.

score = capability × certification factor × maker factor × context factor, where

* capability = 0.45·concept agreement + 0.20·dense similarity + 0.35·lexical coverage
  (a component that cannot speak for a requirement — no taxonomy concept found, or no
  Latin-script words to compare — is left out and the others re-weighted), where concept
  agreement = coverage of the requirement's concepts × (0.3 + 0.7 × the supplier's focus on
  them), lexical coverage weighs each word by its role (the item, not its use context), and
  dense similarity is the cosine of the two vectors each less its language's centroid (the
  encoder's, indexer/centroids.py: a Vietnamese request is not nearer every Vietnamese profile);
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

from indexer.centroids import CENTRED_RANGE, Centroids
from indexer.taxonomy import Taxonomy, default_taxonomy
from matchmaker.matching.concepts import ConceptMatcher, ConceptPlan, core_agreement
from matchmaker.matching.explanations import reading_of, summarise
from matchmaker.matching.learned import LearnedRanker, signal_row
from models.vocabulary.certifications import status_on

RANKER_VERSION = "hand-v1"
LEARNED_VERSION = "learned-v1"
_CJK_START = 0x2E80


@dataclass(frozen=True)
class Weights:
    """Hand-set weights (documented above); a learned ranker may replace them later."""

    # Real text is read by the concept and lexical parts better than by the small encoder: on
    # real-tune-cv 0.766 against 0.760 with 0.30 dense / 0.25 lexical, goods-tune-cv 0.670
    # against 0.669, dev 0.967 against 0.966, profiles typed plain 0.765 against 0.759.
    concept: float = 0.45
    dense: float = 0.20
    lexical: float = 0.35
    # Concept agreement = coverage × (focus_floor + (1 − focus_floor) × focus): of two firms
    # that both cover a request, the one whose trade it is comes first. 0.3 on real-tune-cv
    # (benchmarks/ranking.py): nDCG@10 0.651 against 0.642 at 0.5, dev 0.956 at both.
    focus_floor: float = 0.3
    # Credit for a product nobody offers by name when the supplier has the process that makes
    # it (pumps: casting, machining; taxonomy `made_by`).
    made_by_credit: float = 0.5
    # …and when the maker is a sister product (gears for pulleys and linear guides, relays for
    # relay sockets, switchgear for relays): the same trade's firms, nearer than a process.
    # real-tune-cv 0.724 → 0.735 against 0.5, goods-tune-cv +0.002, dev ±0 (0.6: 0.731).
    sister_trade_credit: float = 0.7
    # A pair written in two languages (a Vietnamese request, an English profile) shares no words:
    # its lexical coverage is at least this share of its concept agreement. real-tune-cv 0.799 →
    # 0.801 (0.2: 0.801, 0.4: 0.800, 0.5: 0.798; leaving lexical out of such pairs: 0.792), dev
    # 0.973 → 0.974, goods-tune-cv ±0 (one language).
    cross_language_lexical_floor: float = 0.3
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


def _words_apart(first: str | None, second: str | None) -> bool:
    """Whether two texts are written in languages whose folded words cannot meet (Vietnamese
    with or without diacritics folds to the same words)."""
    if not first or not second:
        return False
    return first.removesuffix("-plain") != second.removesuffix("-plain")


def _idf(total: int, df: int) -> float:
    return math.log(1 + (total - df + 0.5) / (df + 0.5))


@dataclass
class PreparedRequirement:
    """A requirement with everything that does not depend on the supplier worked out once."""

    id: str
    payload: dict[str, Any]
    vector: np.ndarray
    centred_vector: np.ndarray  # less its language's centroid, where the encoder has them
    word_weights: dict[str, float]  # folded word → IDF over the supplier corpus
    pair_weights: dict[str, float]  # " a b " → the lesser IDF × role weight of the pair
    use_lexical: bool
    concepts: ConceptPlan  # the requirement's concepts, prepared for comparing
    # Each component's share of capability: a component that cannot speak for this requirement
    # (no concept found; too few Latin-script words) is left out and the others re-weighted.
    word_total: float = 1.0  # sums of the weights above, for every candidate's shares
    pair_total: float = 1.0
    dense_share: float = 1.0
    concept_share: float = 0.0
    lexical_share: float = 0.0
    centroid_offsets: dict[str, float] = field(default_factory=dict)  # centred vector · each centroid


class Scorer:
    """Scores (requirement, supplier) pairs from their search documents."""

    def __init__(
        self,
        similarity_range: tuple[float, float],
        weights: Weights | None = None,
        taxonomy: Taxonomy | None = None,
        today: date | None = None,
        learned: LearnedRanker | None = None,
        centroids: Centroids | None = None,
    ):
        self.weights = weights or Weights()
        self.taxonomy = taxonomy or default_taxonomy()
        self.concepts = ConceptMatcher(
            self.taxonomy,
            self.weights.focus_floor,
            self.weights.made_by_credit,
            self.weights.sister_trade_credit,
        )
        self.similarity_range = similarity_range
        # Per-language centroids of the encoder (indexer/centroids.py): cosines are then taken
        # between centred vectors, mapped onto [0, 1] by CENTRED_RANGE.
        self.centroids = centroids
        self._today = today  # fixed for tests; otherwise each call's own date
        self.learned = learned  # adopted only after beating the hand-set weights on held-out logs
        self.version = LEARNED_VERSION if learned else RANKER_VERSION

    @property
    def today(self) -> date:
        """The day certificate validity is judged on (a long-running server moves with it)."""
        return self._today or date.today()

    # ── components ───────────────────────────────────────────────────────────
    def dense_similarity(
        self, prepared: PreparedRequirement, supplier_vector: np.ndarray, supplier_language: str | None
    ) -> tuple[float, float]:
        """(calibrated 0..1, cosine): of the centred vectors where the encoder has centroids."""
        if self.centroids is None:
            cosine = float(np.dot(prepared.vector, supplier_vector))
            low, high = self.similarity_range
        else:
            centred, offsets = prepared.centred_vector, prepared.centroid_offsets
            cosine = self.centroids.centred_cosine(centred, supplier_vector, supplier_language, offsets)
            low, high = CENTRED_RANGE
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
        plan = self.concepts.plan(requirement.get("concepts") or {})
        w = self.weights
        parts = {
            "dense": w.dense,
            "concept": w.concept if requirement.get("concepts") else 0.0,
            "lexical": w.lexical if use_lexical else 0.0,
        }
        total = sum(parts.values())
        centred = self.centroids.centre(vector, requirement.get("language")) if self.centroids else vector
        return PreparedRequirement(
            requirement_id,
            requirement,
            vector,
            centred,
            words,
            pairs,
            use_lexical,
            plan,
            word_total=sum(words.values()) or 1.0,
            pair_total=sum(pairs.values()) or 1.0,
            dense_share=parts["dense"] / total,
            concept_share=parts["concept"] / total,
            lexical_share=parts["lexical"] / total,
            centroid_offsets=self.centroids.offsets(centred) if self.centroids else {},
        )

    @staticmethod
    def lexical_coverage(prepared: PreparedRequirement, offered_text: str) -> float:
        """IDF-weighted share of the requirement's words (and word pairs) the profile contains.

        Word pairs matter for Vietnamese, whose syllables alone are ambiguous ("đúc áp lực").
        """
        if not prepared.word_weights:
            return 0.0
        offered = set(offered_text.split())
        single = sum(w for t, w in prepared.word_weights.items() if t in offered) / prepared.word_total
        if not prepared.pair_weights:
            return single
        padded = f" {offered_text} "
        pairs = sum(w for p, w in prepared.pair_weights.items() if p in padded) / prepared.pair_total
        return 0.5 * single + 0.5 * pairs

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
        wanted, offered = requirement.get("concepts") or {}, supplier.get("concepts") or {}
        if explain:
            concept, matched, unmatched = self.concepts.agreement(
                wanted, offered, prepared.concepts.relevance
            )
            core = core_agreement(wanted, matched) if wanted else 0.0
        else:  # numbers only: no evidence lists for candidates that will not be shown
            concept, core = self.concepts.agreement_and_core(prepared.concepts, offered)
        dense, cosine = self.dense_similarity(prepared, supplier_vector, supplier.get("language"))
        lexical = self.lexical_coverage(prepared, supplier.get("tokens") or "")
        if _words_apart(requirement.get("language"), supplier.get("language")):
            # written in two languages the pair can share no words: lexical coverage cannot
            # speak against the supplier, and is at least a share of the concepts they share
            lexical = max(lexical, w.cross_language_lexical_floor * concept)
        capability = (
            prepared.dense_share * dense + prepared.concept_share * concept + prepared.lexical_share * lexical
        )
        required = requirement.get("required_certifications") or []
        if explain:
            certs = self._certifications(required, supplier.get("certifications") or [])
            missing = len(certs["missing"])
        else:
            missing = self._missing_count(required, supplier.get("certifications") or [])
        cert_factor = 1.0 - w.missing_certification_penalty * (missing / len(required) if required else 0.0)
        trader = bool(supplier.get("trader"))
        maker_factor = w.trader_factor if trader else 1.0
        province = self._province(requirement, supplier)
        sector = self._sector(requirement, supplier)
        context_factor = 1.0 - (w.province_bonus - province["bonus"]) - (w.sector_bonus - sector["bonus"])
        if self.learned is not None:  # learned weights replace the capability mix and context bonuses
            row = signal_row(concept, dense, lexical, province["match"], sector["match"])
            capability, context_factor = self.learned.capability(row), 1.0
        score = round(capability * cert_factor * maker_factor * context_factor, 4)
        certified = not missing
        # "Can it make the thing?" is read off the taxonomy where the requirement names a
        # capability: the share of its *core* (the most weighted nodes: the item, its process)
        # the supplier covers. A spring maker with CNC lathes covers the "CNC finishing" aside
        # of a die-casting request, not the die casting. A reseller makes nothing.
        maker_capability = 0.0 if trader else (core if wanted else capability)
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

    def _missing_count(self, required: list[str], held: list[dict]) -> int:
        """How many required certificates are not validly held (`_certifications`, counted)."""
        if not required:
            return 0
        today = self.today
        valid = {
            c["standard"] for c in held if c["standard"] in required and status_on(c, today)[0] == "held"
        }
        return sum(1 for standard in required if standard not in valid)

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
