"""Heads and modifiers of goods names: "Vỏ hộp số" is a housing (of a gearbox), "Móc quần áo" a
hook (for clothes), "pump housings" housings. Vietnamese puts the head first, English last; a
product term that only qualifies the head counts MODIFIER_WEIGHT of what the head does.
"""

from __future__ import annotations

import itertools
import re

from indexer.reading import ITEM, Reading
from indexer.taxonomy import Hit, Taxonomy
from models.vocabulary.text import has_vietnamese_marks

# Words that count things before the head noun ("Bộ nút bấm", "Cụm đánh lửa").
_COUNTER = re.compile(r"^(?:bộ|cụm|cái|chiếc|con|cặp|đôi|set|kit)\s+", re.IGNORECASE)
# A product named after the head of a Vietnamese goods name only qualifies it: "Móc quần áo" is
# a hook (for clothes), "Cột đèn" a pole (of a lamp), "Vỏ hộp số" a housing (of a gearbox).
MODIFIER_WEIGHT = 0.5


def modifier_starts(
    taxonomy: Taxonomy, reading: Reading, hits: list[Hit], goods_names: bool = True
) -> set[int]:
    """Starts of product terms that qualify the item's head instead of naming it: in Vietnamese,
    typed with diacritics or without ("day dien thiet bi gia dung" is appliance wire), every
    product after the head; in English, Chinese, Japanese and Korean the product right before
    another. A process ("đúc áp lực") says how the head is made and is never a modifier.

    A profile's prose (not `goods_names`) has no one head to a clause ("Chuyên sản xuất lò xo"):
    there only the head-last pairs count ("Garment trims: zippers, …" makes trims, not garments)."""
    if not goods_names:
        latin_or_cjk = [h for h in hits if not taxonomy.vietnamese_term(h.surface)]
        return _head_last_modifiers(taxonomy, reading.text, latin_or_cjk, processes_too=True)
    out: set[int] = set()
    for span in reading.spans:
        if span.role != ITEM:
            continue
        inside = [h for h in hits if span.start <= h.start < span.end]
        vietnamese = has_vietnamese_marks(span.text)
        vietnamese = vietnamese or any(taxonomy.vietnamese_term(h.surface) for h in inside)
        if not vietnamese:
            out.update(_head_last_modifiers(taxonomy, reading.text, inside))
            # English, Chinese, Japanese and Korean put the head last: a treatment before the
            # product named is its finish ("镀锌碳钢螺栓", "亜鉛めっき鋼ボルト": galvanised bolts).
            products = [h.start for h in inside if taxonomy.concepts[h.concept].kind == "product"]
            head = max(products, default=-1)
            out.update(h.start for h in inside if h.start < head and taxonomy.is_treatment(h.concept))
            continue
        # The head is the item's first own word: past its framing ("Sản xuất lò xo nén") and noise.
        head_at = span.start
        while head_at < span.end and (
            reading.text[head_at] in " ,;:.-" or reading.role_at(head_at, head_at + 1) != ITEM
        ):
            head_at += 1
        if counter := _COUNTER.match(reading.text[head_at : span.end]):
            head_at += counter.end()
        products = [h for h in inside if taxonomy.concepts[h.concept].kind == "product"]
        out.update(h.start for h in products if h.start > head_at)
        # …and a treatment after a named product is its finish ("Bu lông thép mạ kẽm", "Đầu cos
        # đồng mạ thiếc"): galvanised bolts are bought from a bolt maker, not from a plater.
        if any(h.start == head_at for h in products):
            out.update(h.start for h in inside if h.start > head_at and taxonomy.is_treatment(h.concept))
    return out


def _head_last_modifiers(
    taxonomy: Taxonomy, text: str, hits: list[Hit], processes_too: bool = False
) -> set[int]:
    """English, Chinese, Japanese and Korean put the head last: in "pump housings", "gear
    pumps" and "齿轮泵" the product right before another qualifies it ("螺栓和螺母" are two).
    `processes_too` (a profile's prose): so does a process that does not make the product after
    it, which names whose goods they are ("garment trims", "焊接夹具" welding fixtures: no sewing,
    no welding); one that makes it says how ("forged flanges", "压铸壳体" die-cast housings), and so
    does an English participle ("stamped metal parts")."""

    def qualifies(first: Hit, second: Hit) -> bool:
        kind = taxonomy.concepts[first.concept].kind
        if kind == "process" and processes_too:
            # a participle says how the goods are made, whatever they are ("stamped metal parts")
            if re.search(r"(?:ed|cast)$", first.surface, re.IGNORECASE):
                return False
            family = {first.concept, *taxonomy.ancestors(first.concept), *taxonomy.descendants(first.concept)}
            return not family & (taxonomy.makers_of(second.concept) | {second.concept})
        return kind == "product"

    return {
        first.start
        for first, second in itertools.pairwise(hits)
        if taxonomy.concepts[second.concept].kind == "product"
        and not text[first.end : second.start].strip(" -")
        and qualifies(first, second)
    }
