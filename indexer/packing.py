"""Goods made to pack other goods are bought from a packaging maker.

"Hộp vỉ bằng nhựa PE, dùng để đóng gói sản phẩm" is a plastic box by its form, which a
moulder could make; its use says it is packing, which the nomenclature files apart (HS 39.23
"articles for the conveyance or packing of goods") and which packaging converters make
(blister and thermoformed trays, bags, boxes). Said only by the goods' own words or their use,
not by a machine that packs ("dùng cho máy đóng gói") nor by how the goods are shipped
("đã đóng gói", "đóng gói 300 cái/gói").
"""

from __future__ import annotations

import re
from typing import Any

from indexer.process_rules import default_rules
from indexer.taxonomy import Taxonomy
from models.vocabulary.text import fold, nfc

PACKAGING = "packaging"
# Materials packing is made of here; a steel or aluminium box for packing is pressed.
PACKING_MATERIALS = frozenset({"plastics_resin"})
# What its form and material would otherwise say (a moulder), now second to the packer.
FORM_PROCESSES = ("plastic_injection", "blow_moulding", "die_cut_converting")
FORM_SHARE = 0.35
PACKING_WEIGHT = 1.0

_PACKING = re.compile(
    r"(?<!da )(?<!may )(?<!\w)(?:dong goi|bao goi|dong hang|packing|packaging)(?!\w)(?!\s*\d)"
    r"|包装|梱包|포장"
)


def says_packing(text: str) -> bool:
    """Whether `text` says the goods are for packing (with or without diacritics)."""
    return bool(_PACKING.search(fold(nfc(text)).lower()))


def infer_packing(
    taxonomy: Taxonomy,
    found: dict[str, dict[str, Any]],
    item_words: str,
    use_parts: list[str],
    field_weight: float = 1.0,
) -> None:
    """Raise packaging in `found` (in place) when the item or its use says it packs goods."""
    if PACKAGING not in taxonomy.concepts or default_rules().names_a_machine(item_words):
        return
    if not (says_packing(item_words) or any(says_packing(p) for p in use_parts)):
        return
    materials = {
        cid
        for cid, e in found.items()
        if taxonomy.concepts[cid].kind == "material" and e.get("role") in ("item", "material", "other")
    }
    if not materials or materials - PACKING_MATERIALS:
        return
    weight = PACKING_WEIGHT * field_weight
    entry = found.get(PACKAGING)
    if entry is None:
        found[PACKAGING] = {
            "weight": weight,
            "words": [],
            "role": "inferred",
            "inferred": "goods for packing → packaging",
            "from_form": True,
        }
    elif entry["weight"] < weight:
        entry.update(weight=weight, inferred="goods for packing → packaging", from_form=True)
    for cid in FORM_PROCESSES:
        e = found.get(cid)
        if e is not None and e.get("role") == "inferred":
            e["weight"] = round(e["weight"] * FORM_SHARE, 4)
