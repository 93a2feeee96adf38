"""Capabilities a text implies but does not name: process from part + material (or from a
material grade, or, for a bare mould, from its use), and the learnt classifier where the lexicon
finds little.

"ABS enclosure 300×400" names no process, yet only a plastic injection moulder can make it;
"Chốt con lăn inox 316" names nothing the lexicon knows. Both readings are added to a
document's concepts with the reason, so the explanation can say "ABS housing → plastic
injection" or "read by the classifier (0.82)".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from indexer.classifier import default_classifier
from indexer.inferred import add_inferred
from indexer.process_rules import ProcessRules, default_rules
from indexer.second_reader import head_words, weigh_by_classifier
from indexer.taxonomy import Taxonomy
from models.vocabulary.text import has_cjk, language_of, nfc

# Weights of inferred concepts, below a named item (1.0): an inference can be wrong.
PROCESS_WEIGHT = 0.85
MATERIAL_ONLY_WEIGHT = 0.5
CLASSIFIER_WEIGHT = 0.8
CLASSIFIER_THRESHOLD = 0.45
# What a machine named as the item works on weighs at most this ("Máy cắt decal": labels).
MACHINE_OBJECT_WEIGHT = 0.3
# A supplier's capability is read by the classifier only this confidently.
OFFERED_THRESHOLD = 0.6
# What a treatment heading the goods name works on implies this share of its usual process.
TREATED_OBJECT_SHARE = 0.2
# Words for the work after a Chinese, Japanese or Korean treatment ("阳极氧化加工", "処理").
_WORK_SUFFIX = re.compile(r"\s*(?:加工|处理|處理|処理|服务|サービス|가공|처리|서비스)$")
# A material beside a named finished product weighs this much of its usual weight.
FINISHED_PRODUCT_MATERIAL = 0.5
# …and the process its material implies this share of MATERIAL_ONLY_WEIGHT (a plastic plug is
# still moulded by someone).
NAMED_PRODUCT_PROCESS = 0.6
# A metal shop's product named in plastic or rubber weighs this share of itself (`[moulded]`).
MOULDED_PRODUCT_SHARE = 0.6
# Forms that say nothing of the maker when the goods name their product: a sheet of synthetic
# leather or of EVA foam is that product, not a plastic sheet to be converted.
YIELDING_FORMS = frozenset({"sheet"})
# In Chinese, Japanese and Korean (which the classifier learnt only from the lexicon's own
# terms) it speaks only where the lexicon found less than this much of the item.
LEXICON_ENOUGH = 0.9


def fingerprint() -> str:
    """Changes whenever the rules or the classifier do (documents are then rebuilt)."""
    classifier = default_classifier()
    return f"{default_rules().fingerprint}:{classifier.fingerprint if classifier else '-'}"


def _head_named(taxonomy: Taxonomy, found: dict[str, dict[str, Any]], item_words: str) -> bool:
    """True when a product node's own words name the item's head: they begin it in Vietnamese
    ("máy biến áp", "máy bơm"), or end it in Chinese, Japanese and Korean, which put the head
    last ("采购电机": a motor, not a machine). English puts it last too, and a "Hydraulic press
    machine" is a machine."""
    item = nfc(item_words).lower().rstrip()
    first = language_of(item) in ("vi", "vi-plain")
    return any(
        taxonomy.concepts[cid].kind == "product"
        and any(
            (first and item.startswith(w.lower())) or (has_cjk(w) and item.endswith(w.lower()))
            for w in e["words"]
        )
        for cid, e in found.items()
    )


def _treatment_heads(taxonomy: Taxonomy, found: dict[str, dict[str, Any]], item_words: str) -> bool:
    """True when a treatment heads the goods name, the service bought: first in Vietnamese
    ("Anod hóa chi tiết nhôm") and English unless it is a participle ("Anodizing aluminium
    parts", not "Anodized aluminium housings"), last in Chinese, Japanese and Korean, before a
    word for the work ("铝合金阳极氧化加工")."""
    item = _WORK_SUFFIX.sub("", nfc(item_words).lower().strip())
    words = [w.lower() for cid, e in found.items() if taxonomy.is_treatment(cid) for w in e["words"]]
    if has_cjk(item):
        return any(item.endswith(w) for w in words)
    return any(item.startswith(w) and not w.endswith("ed") for w in words)


def _forms_within_products(
    taxonomy: Taxonomy,
    rules: ProcessRules,
    found: dict[str, dict[str, Any]],
    item_words: str,
    forms: list[str],
) -> dict[str, frozenset[str]]:
    """Forms found only inside a named product's own term ("hộp" in "hộp số", a gearbox) → what
    those products' makers make: such a word is no shape of the part, and implies only a process
    the product is made by ("vỏ máy" in aluminium is still die cast; "khung máy" in steel still
    a welded structure)."""
    products = [
        (cid, e)
        for cid, e in found.items()
        if taxonomy.concepts[cid].kind == "product" and e.get("role") in ("item", "category")
    ]
    if not forms or not products:
        return {}
    masked = nfc(item_words).lower()
    for _, entry in products:
        for word in entry["words"]:
            lowered = nfc(word).lower()
            if rules.forms_in(lowered) and not any(p.fullmatch(lowered) for p in rules.forms.values()):
                masked = masked.replace(lowered, " " * len(lowered))
    inside = set(forms) - set(rules.forms_in(masked))
    if not inside:
        return {}
    trade = _trade_of(taxonomy, [cid for cid, _ in products])
    return {form: trade for form in inside}


def _trade_of(taxonomy: Taxonomy, products: list[str]) -> frozenset[str]:
    """The products and every node whose makers make them."""
    return frozenset().union(*(taxonomy.makers_of(cid) | {cid} for cid in products))


def _in_trade(taxonomy: Taxonomy, process: str, trade: frozenset[str]) -> bool:
    """Whether a rule's process is made within `trade`: it is one of its nodes, or shares a
    maker with them (a welded frame for a welded machine base)."""
    return process in trade or bool(taxonomy.makers_of(process) & trade)


def infer(
    taxonomy: Taxonomy,
    found: dict[str, dict[str, Any]],
    item_words: str,
    item_text: str,
    field_weight: float = 1.0,
    material_phrases: Sequence[str] = (),
    grade_texts: Sequence[tuple[str, float]] = (),
) -> None:
    """Add implied concepts to `found` (concept → {weight, words, role}) in place.

    `item_words` name the part (forms are looked for there), `item_text` adds its category
    and material (the classifier reads that), `material_phrases` are the reading's material
    clauses ("vỏ bằng nhựa"), `grade_texts` the texts, with their weights, where a material
    grade may be named (by default `item_text`)."""
    if not item_text.strip():
        return
    rules = default_rules()
    if rules.names_a_machine(item_words) and not _head_named(taxonomy, found, item_words):
        # What a machine works on is its context: "Máy cắt decal" is bought from a machine builder.
        for entry in found.values():
            if entry.get("role") in ("item", "other", "category"):
                entry["weight"] = round(min(entry["weight"], MACHINE_OBJECT_WEIGHT * field_weight), 4)
        add_inferred(
            found, rules.machine_concept, PROCESS_WEIGHT * field_weight, "a machine → machine builder"
        )
        # …unless the classifier is sure the goods are something else: "Máy massage" is an
        # appliance. Not in Chinese, Japanese or Korean, which it learnt only from the lexicon.
        # (real-tune-cv 0.680 → 0.682, goods-tune-cv 0.632 → 0.640, benchmarks/ranking.py.)
        classifier = default_classifier()
        if classifier is not None and not has_cjk(item_text):
            weigh_by_classifier(taxonomy, found, classifier.distribution(item_text), field_weight)
        return
    materials = [
        cid
        for cid, entry in found.items()
        if taxonomy.concepts[cid].kind == "material" and entry.get("role") in ("item", "material", "other")
    ]
    graded = _infer_from_grades(taxonomy, rules, found, grade_texts or [(item_text, field_weight)])
    _infer_tooling(taxonomy, rules, found, field_weight)
    forms = rules.head_forms(item_words)
    within_products = _forms_within_products(taxonomy, rules, found, item_words, forms)
    # A finished product named as the item ("Relay thời gian … chất liệu sắt + nhựa") is not
    # "a plastic part": its material says little about who makes it. A making process named as
    # the item ("アルミ押出形材", extruded) says how the part is made: its material implies no other.
    named = [cid for cid, e in found.items() if e.get("role") in ("item", "category") and e["weight"] >= 0.5]
    named_product = any(taxonomy.concepts[cid].kind == "product" for cid in named)
    # …and a material implies no process the named product is not made by: polypropylene yarn
    # is spun, a plastic fuse or bag is no moulding.
    named_trade = _trade_of(taxonomy, [cid for cid in named if taxonomy.concepts[cid].kind == "product"])
    # A shaping process named as the item says how the part is made ("Gia công CNC chi tiết
    # nhôm" is machined, not die cast): form rules add only processes of its family.
    shaping = {
        taxonomy.root(c)
        for c in named
        if taxonomy.concepts[c].kind == "process" and not taxonomy.is_treatment(c)
    }
    named_process = any(
        taxonomy.concepts[cid].kind == "process" and not taxonomy.is_secondary(cid) for cid in named
    )
    # A treatment heading the goods name is the service bought ("Anod hóa chi tiết nhôm",
    # "铝合金阳极氧化加工"): the part and material after it are what is treated, its context.
    share_of_object = TREATED_OBJECT_SHARE if _treatment_heads(taxonomy, found, item_words) else 1.0
    # An article: goods that name no product and are not called a part, not even in their
    # category label ("Linh kiện dùng cho động cơ: Heo số, chất liệu sắt" is a part).
    glossed = any(
        taxonomy.concepts[cid].kind == "product" and e.get("role") == "other" and e["weight"] >= 0.5
        for cid, e in found.items()
    )
    # A material given for the goods' shell ("Chất liệu vỏ bằng nhựa", "CL: thân nhựa, đầu
    # thép") makes them an assembly in a plastic case ("Mô đun giao tiếp"), not a plastic part.
    shell = rules.forms["housing"]
    component_material = any(shell.match(nfc(phrase).lower()) for phrase in material_phrases)
    article = not named_product and not glossed and "any" not in rules.forms_in(item_text)
    if named_product:
        for cid in materials:
            found[cid]["weight"] = round(found[cid]["weight"] * FINISHED_PRODUCT_MATERIAL, 4)
    for material in (m for m in materials if m not in graded):
        label = taxonomy.concepts[material].label("en").lower()
        for rule_forms, rule_material, process in rules.rules:
            if rule_material != material:
                continue
            if shaping and taxonomy.root(process) not in shaping:
                continue
            hit = [
                f
                for f in forms
                if f in rule_forms
                and not (f in YIELDING_FORMS and named_product)
                and (f not in within_products or _in_trade(taxonomy, process, within_products[f]))
            ]
            process_label = taxonomy.concepts[process].label("en").lower()
            if hit:
                reason = f"{label} {hit[0]} → {process_label}"
                add_inferred(
                    found, process, PROCESS_WEIGHT * share_of_object * field_weight, reason, from_form=True
                )
            elif (
                not forms
                and not component_material
                and not named_process
                and ("any" in rule_forms or "unnamed" in rule_forms and article)
                and (not named_product or _in_trade(taxonomy, process, named_trade))
            ):
                share = NAMED_PRODUCT_PROCESS if named_product else 1.0
                add_inferred(
                    found,
                    process,
                    MATERIAL_ONLY_WEIGHT * share * share_of_object * field_weight,
                    f"{label} part → {process_label}",
                )
    if not component_material:  # a plastic shell says nothing of the part inside
        _infer_moulded(taxonomy, rules, found, named, materials, field_weight)
    classifier = default_classifier()
    if classifier is None:
        return
    if has_cjk(item_text):
        named = max(
            (e["weight"] for cid, e in found.items() if e.get("role") in ("item", "category")),
            default=0.0,
        )
        if named < LEXICON_ENOUGH * field_weight:
            for cid, probability in classifier.predict(item_text, threshold=CLASSIFIER_THRESHOLD):
                if cid in taxonomy.concepts:
                    weight = CLASSIFIER_WEIGHT * probability * field_weight * taxonomy.concepts[cid].weight
                    add_inferred(found, cid, weight, f"classifier {probability:.2f}")
        return
    if component_material:  # …and the classifier asked about the goods, not about their shell
        for phrase in material_phrases:
            item_text = item_text.replace(phrase, "")
    # …and about the item's words alone, which may speak for a named item its material drowns;
    # without the material and the modifiers named inside them ("Stainless steel hex nuts" are
    # nuts to it).
    bare = head_words(taxonomy, found, item_words)
    alone = classifier.distribution(bare) if bare.strip() else None
    weigh_by_classifier(taxonomy, found, classifier.distribution(item_text), field_weight, alone)


def _infer_moulded(
    taxonomy: Taxonomy,
    rules: ProcessRules,
    found: dict[str, dict[str, Any]],
    named: list[str],
    materials: list[str],
    weight: float,
) -> None:
    """A simple part metal shops make, named in plastic or rubber alone, is moulded
    (`[moulded]`): the moulder is added, and the part's own node, which forges and turners
    offer, weighs less ("Đầu nối khí nén, chất liệu nhựa" is no forging)."""
    by_material, parts = rules.moulded
    if len(materials) != 1 or materials[0] not in by_material:
        return
    products = [cid for cid in named if cid in parts]
    process = by_material[materials[0]]
    if not products or process not in taxonomy.concepts:
        return
    for cid in products:
        found[cid]["weight"] = round(found[cid]["weight"] * MOULDED_PRODUCT_SHARE, 4)
    material, product, maker = (
        taxonomy.concepts[c].label("en").lower() for c in (materials[0], products[0], process)
    )
    add_inferred(
        found, process, PROCESS_WEIGHT * weight, f"{product} in {material} → {maker}", from_form=True
    )


def _infer_tooling(
    taxonomy: Taxonomy, rules: ProcessRules, found: dict[str, dict[str, Any]], weight: float
) -> None:
    """A mould or die asked for by itself, of the kind its use names ("Khuôn … dùng để đúc ống
    nhựa" → plastic injection mould), unless a kind is named already."""
    tool, kinds = rules.tooling
    entry = found.get(tool)
    if not entry or entry.get("role") not in ("item", "category"):
        return
    if any(
        cid in taxonomy.descendants(tool) and e.get("role") in ("item", "category")
        for cid, e in found.items()
    ):
        return
    for cid, e in list(found.items()):
        kind = kinds.get(cid)
        # its use ("dùng để đúc ống nhựa"), or a later clause ("金型、アルミダイカスト")
        if kind and e.get("role") in ("context", "other") and kind in taxonomy.concepts:
            what, label = (taxonomy.concepts[c].label("en").lower() for c in (cid, kind))
            # read from the use, which the classifier does not see
            add_inferred(
                found, kind, PROCESS_WEIGHT * weight, f"a mould for {what} → {label}", from_form=True
            )


def _infer_from_grades(
    taxonomy: Taxonomy,
    rules: ProcessRules,
    found: dict[str, dict[str, Any]],
    texts: Sequence[tuple[str, float]],
) -> set[str]:
    """The process a named material grade implies ("ADC12" → die casting); returns the materials
    so graded, whose form rules then yield to the grade."""
    graded: set[str] = set()
    for text, weight in texts:
        for grade, material, process in rules.grades_in(text):
            if process in taxonomy.concepts:
                label = taxonomy.concepts[process].label("en").lower()
                # the classifier learnt no grades: no veto
                add_inferred(found, process, PROCESS_WEIGHT * weight, f"{grade} → {label}", from_form=True)
                graded.add(material)
    return graded


def item_text(reading_summary: dict[str, list[str]]) -> str:
    """The words the classifier reads: item, category and material parts."""
    parts = [*reading_summary.get("item", []), *reading_summary.get("category", [])]
    parts += reading_summary.get("material", [])
    return " ".join(parts)


def outside_context(text: str, reading_summary: dict[str, list[str]]) -> str:
    """The text but its use context: where a material grade ("ADC12", "FC250") is the goods'."""
    for phrase in reading_summary.get("context", []):
        text = text.replace(phrase, " ")
    return text


def infer_offered(taxonomy: Taxonomy, found: dict[str, dict[str, Any]], texts: list[str]) -> None:
    """Products (or a whole profile) whose words the lexicon does not know: the classifier's
    confident reading of what each makes, added as offered capabilities."""
    classifier = default_classifier()
    texts = [t for t in texts if t.strip()]
    if classifier is None or not texts:
        return
    for predictions in classifier.predict_many(texts, threshold=OFFERED_THRESHOLD):
        for cid, probability in predictions:
            if cid in taxonomy.concepts and taxonomy.concepts[cid].kind != "material":
                add_inferred(found, cid, CLASSIFIER_WEIGHT * probability, f"classifier {probability:.2f}")
