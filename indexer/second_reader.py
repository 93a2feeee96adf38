"""The learnt classifier as a second reader of a goods name, beside the lexicon: where it is
sure, it vetoes lexicon terms it does not believe in, and it adds what it reads."""

from __future__ import annotations

import re
from typing import Any

from indexer.inferred import add_inferred
from indexer.taxonomy import Taxonomy

# How many of the classifier's nodes a requirement takes, and from what probability.
CLASSIFIER_TOP = 3
CLASSIFIER_FLOOR = 0.05


def weigh_by_classifier(
    taxonomy: Taxonomy,
    found: dict[str, dict[str, Any]],
    probabilities: dict[str, float],
    field_weight: float,
    alone: dict[str, float] | None = None,
) -> None:
    """Two readers of one text, the lexicon and the classifier, weighed by the classifier's
    confidence. Where it is sure of what the goods are, a lexicon term it does not believe in
    (a modifier: "quần áo" in "Móc quần áo", a word of two meanings: "khớp nối" in a water-pipe
    fitting) loses weight in proportion; its own most likely nodes are added. A process inferred
    from a named form and material ("vỏ … gang" → sand casting) keeps its weight: the classifier
    learnt from goods labels, which say what the goods are, not how they are made. On real-tune-cv
    (the tune half cross-fitted, benchmarks/ranking.py) this gives nDCG@10 0.634 against 0.580
    for the lexicon with the classifier as a fallback. (It was first chosen on the customs test
    half: 0.61 against 0.54, and 0.59 for the classifier alone.)

    `alone` is its reading of the item's head words, without their material and modifiers: the
    head of a goods name it believes there keeps its weight (a modifier does not: "ốc vít" in
    "Khay đựng ốc vít"; real-tune-cv, real-tune-extra-cv and the unseen families unchanged).
    Where the customs texts it learnt from hold few goods of a kind, the material speaks loudest
    ("Quần âu nữ bằng vải polyester" read as fabric, "Đế giày … cao su lưu hóa" as rubber
    parts), though the buyer asks for trousers and soles."""
    # Words that fold alike ("tủ điện" switchboard, "tụ điện" capacitor) are one word to the
    # classifier, which reads folded text; where the lexicon read them by their diacritics, it
    # decides between them.
    decided = {cid for cid, e in found.items() if any(taxonomy.twins(w) for w in e["words"])}
    twins = {t for cid in decided for w in found[cid]["words"] for t in taxonomy.twins(w)} - decided
    probabilities = {cid: p for cid, p in probabilities.items() if cid not in twins}
    ranked = sorted(probabilities.items(), key=lambda kv: -kv[1])[:CLASSIFIER_TOP]
    likely = [(cid, p) for cid, p in ranked if p >= CLASSIFIER_FLOOR and cid in taxonomy.concepts]
    confidence = max((p for _, p in likely), default=0.0)
    if not confidence:
        return
    alone_top = max((alone or {}).values(), default=0.0)
    for cid, entry in found.items():
        # No veto over a process read from form and material (goods labels say what, not how),
        # nor over a word read by its diacritics (the classifier cannot tell it from its twin).
        if entry.get("from_form") or cid in decided:
            continue
        family = (cid, *taxonomy.ancestors(cid), *taxonomy.descendants(cid))
        belief = min(1.0, max(probabilities.get(c, 0.0) for c in family) / confidence)
        if alone and alone_top and entry.get("role") == "item" and not entry.get("modifier"):
            belief = max(belief, min(1.0, max(alone.get(c, 0.0) for c in family) / alone_top))
        entry["weight"] = round(entry["weight"] * (1 - confidence * (1 - belief)), 4)
    # Its unsure guesses beside an item the lexicon names were tried at their probability once
    # more: real-tune-cv 0.808 → 0.813 but real-tune-extra-cv 0.760 → 0.760, which is fitting
    # the tune texts (benchmarks/ranking.py), and left out.
    for cid, probability in likely:
        weight = probability * field_weight * taxonomy.concepts[cid].weight
        if cid in found:
            found[cid]["weight"] = round(min(1.0, found[cid]["weight"] + weight), 4)
        else:
            add_inferred(found, cid, weight, f"classifier {probability:.2f}")


def head_words(taxonomy: Taxonomy, found: dict[str, dict[str, Any]], words: str) -> str:
    """`words` with the material terms the lexicon found in them blanked out, and the products
    that only qualify the head: "Mũ giày vải canvas" is read as "Mũ giày" (shoe uppers, which a
    classifier that learnt few footwear labels would drown in the canvas's fabric)."""
    for cid, entry in found.items():
        if taxonomy.concepts[cid].kind == "material" or entry.get("modifier"):
            for term in sorted(entry["words"], key=len, reverse=True):
                words = re.sub(re.escape(term), " ", words, flags=re.IGNORECASE)
    return words
