"""Capabilities a text implies but does not name: process from part + material, and the
learnt classifier where the lexicon finds little.

"ABS enclosure 300×400" names no process, yet only a plastic injection moulder can make it;
"Chốt con lăn inox 316" names nothing the lexicon knows. Both readings are added to a
document's concepts with the reason, so the explanation can say "ABS housing → plastic
injection" or "read by the classifier (0.82)".
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from indexer.classifier import default_classifier
from indexer.taxonomy import Taxonomy
from indexer.text import nfc

# Weights of inferred concepts, below a named item (1.0): an inference can be wrong.
PROCESS_WEIGHT = 0.85
MATERIAL_ONLY_WEIGHT = 0.5
CLASSIFIER_WEIGHT = 0.8
CLASSIFIER_THRESHOLD = 0.45
# What a machine named as the item works on weighs at most this ("Máy cắt decal": labels).
MACHINE_OBJECT_WEIGHT = 0.3
# A supplier's capability is read by the classifier only this confidently.
OFFERED_THRESHOLD = 0.6
# A material beside a named finished product weighs this much of its usual weight.
FINISHED_PRODUCT_MATERIAL = 0.5
# …and the process its material implies this share of MATERIAL_ONLY_WEIGHT (a plastic plug is
# still moulded by someone).
NAMED_PRODUCT_PROCESS = 0.6
# The classifier speaks only where the lexicon found less than this much of the item.
LEXICON_ENOUGH = 0.9


@dataclass(frozen=True)
class ProcessRules:
    forms: dict[str, re.Pattern[str]]
    rules: list[tuple[frozenset[str], str, str]]  # (forms, material concept, process concept)
    fingerprint: str
    machine_concept: str = "industrial_machinery"
    machine_head: re.Pattern[str] | None = None

    def names_a_machine(self, item_words: str) -> bool:
        return bool(self.machine_head and self.machine_head.search(nfc(item_words).lower()))

    def forms_in(self, text: str) -> list[str]:
        lowered = nfc(text).lower()
        return [name for name, pattern in self.forms.items() if pattern.search(lowered)]


def _form_pattern(terms: list[str]) -> re.Pattern[str]:
    parts = []
    for term in sorted(terms, key=len, reverse=True):
        if any(ord(ch) > 0x2E80 for ch in term):
            parts.append(re.escape(term))
        else:
            parts.append(r"(?<![\w-])" + re.escape(term) + r"(?![\w-])")
    return re.compile("|".join(parts))


@cache
def default_rules() -> ProcessRules:
    raw = resources.files("indexer").joinpath("vocabulary/processes.toml").read_text("utf-8")
    data = tomllib.loads(raw)
    forms = {name: _form_pattern(terms) for name, terms in data["forms"].items()}
    rules = [(frozenset(r["forms"]), r["material"], r["process"]) for r in data["rule"]]
    machine = data["machine"]
    starts = "|".join(re.escape(t) for t in machine["starts"])
    ends = "|".join(re.escape(t) for t in machine["ends"])
    head = re.compile(rf"^(?:{starts})(?=\s)|(?:^|[\s\w])(?:{ends})$")
    return ProcessRules(
        forms, rules, hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16], machine["concept"], head
    )


def fingerprint() -> str:
    """Changes whenever the rules or the classifier do (documents are then rebuilt)."""
    classifier = default_classifier()
    return f"{default_rules().fingerprint}:{classifier.fingerprint if classifier else '-'}"


def _head_named(taxonomy: Taxonomy, found: dict[str, dict[str, Any]], item_words: str) -> bool:
    """True when a product node's own words begin the item ("máy biến áp", "máy bơm")."""
    start = nfc(item_words).lower()
    return any(
        taxonomy.concepts[cid].kind == "product" and any(start.startswith(w.lower()) for w in e["words"])
        for cid, e in found.items()
    )


def _add(found: dict[str, dict[str, Any]], cid: str, weight: float, reason: str) -> None:
    entry = found.get(cid)
    if entry is None:
        found[cid] = {"weight": round(weight, 4), "words": [], "role": "inferred", "inferred": reason}
    elif entry["weight"] < weight:
        entry.update(weight=round(weight, 4), inferred=reason)


def infer(
    taxonomy: Taxonomy,
    found: dict[str, dict[str, Any]],
    item_words: str,
    item_text: str,
    field_weight: float = 1.0,
) -> None:
    """Add implied concepts to `found` (concept → {weight, words, role}) in place.

    `item_words` name the part (forms are looked for there), `item_text` adds its category
    and material (the classifier reads that)."""
    if not item_text.strip():
        return
    rules = default_rules()
    if rules.names_a_machine(item_words) and not _head_named(taxonomy, found, item_words):
        # What a machine works on is its context: "Máy cắt decal" is bought from a machine builder.
        for entry in found.values():
            if entry.get("role") in ("item", "other", "category"):
                entry["weight"] = round(min(entry["weight"], MACHINE_OBJECT_WEIGHT * field_weight), 4)
        _add(found, rules.machine_concept, PROCESS_WEIGHT * field_weight, "a machine → machine builder")
        return
    materials = [
        cid
        for cid, entry in found.items()
        if taxonomy.concepts[cid].kind == "material" and entry.get("role") in ("item", "material", "other")
    ]
    forms = rules.forms_in(item_words)
    # A finished product named as the item ("Relay thời gian … chất liệu sắt + nhựa") is not
    # "a plastic part": its material says little about who makes it.
    named_product = any(
        taxonomy.concepts[cid].kind == "product"
        and e.get("role") in ("item", "category")
        and e["weight"] >= 0.5
        for cid, e in found.items()
    )
    if named_product:
        for cid in materials:
            found[cid]["weight"] = round(found[cid]["weight"] * FINISHED_PRODUCT_MATERIAL, 4)
    for material in materials:
        label = taxonomy.concepts[material].label("en").lower()
        for rule_forms, rule_material, process in rules.rules:
            if rule_material != material:
                continue
            hit = [f for f in forms if f in rule_forms]
            process_label = taxonomy.concepts[process].label("en").lower()
            if hit:
                _add(found, process, PROCESS_WEIGHT * field_weight, f"{label} {hit[0]} → {process_label}")
            elif not forms and "any" in rule_forms:
                share = NAMED_PRODUCT_PROCESS if named_product else 1.0
                _add(
                    found,
                    process,
                    MATERIAL_ONLY_WEIGHT * share * field_weight,
                    f"{label} part → {process_label}",
                )
    classifier = default_classifier()
    if classifier is None:
        return
    named = max(
        (e["weight"] for cid, e in found.items() if e.get("role") in ("item", "category")),
        default=0.0,
    )
    if named >= LEXICON_ENOUGH * field_weight:
        return
    for cid, probability in classifier.predict(item_text, threshold=CLASSIFIER_THRESHOLD):
        if cid in taxonomy.concepts:
            weight = CLASSIFIER_WEIGHT * probability * field_weight * taxonomy.concepts[cid].weight
            _add(found, cid, weight, f"classifier {probability:.2f}")


def item_text(reading_summary: dict[str, list[str]]) -> str:
    """The words the classifier reads: item, category and material parts."""
    parts = [*reading_summary.get("item", []), *reading_summary.get("category", [])]
    parts += reading_summary.get("material", [])
    return " ".join(parts)


def infer_offered(taxonomy: Taxonomy, found: dict[str, dict[str, Any]], text: str) -> None:
    """A profile whose words the lexicon does not know: the classifier's confident reading of
    what it makes, added as offered capabilities (used only when the lexicon found none)."""
    classifier = default_classifier()
    if classifier is None or not text.strip():
        return
    for cid, probability in classifier.predict(text, threshold=OFFERED_THRESHOLD):
        if cid in taxonomy.concepts and taxonomy.concepts[cid].kind != "material":
            _add(found, cid, CLASSIFIER_WEIGHT * probability, f"classifier {probability:.2f}")
