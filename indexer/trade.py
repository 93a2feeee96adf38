"""A firm's trade as its profile words it, where a process name alone misleads.

"Compression and injection moulding of EPDM, NBR", "고무 부품 … 사출 및 압축 성형": injection
moulding of rubber is a rubber moulder's trade, not a plastics shop's, though the lexicon reads
"injection moulding" as plastic injection. A profile that moulds rubber (the material or rubber
parts) and names no plastic anywhere, not even inside the process ("ép phun nhựa"), is read so.
"""

from __future__ import annotations

import re
from typing import Any

from models.vocabulary.text import fold

RUBBER = ("rubber", "technical_rubber")
PLASTIC = ("plastics_resin", "plastic_parts")
_PLASTIC_WORD = re.compile(r"nhua|plasti|塑|樹脂|プラ|플라")
# What the plastic-injection reading keeps: a rubber moulder may still mould a plastic part.
KEPT = 0.25


def rubber_moulding(offered: dict[str, dict[str, Any]]) -> None:
    """Read a rubber profile's injection moulding as rubber moulding (in place)."""
    moulding = offered.get("plastic_injection")
    if not moulding or moulding.get("input") or any(c in offered for c in PLASTIC):
        return
    if not any(c in offered and not offered[c].get("input") for c in RUBBER):
        return
    if any(_PLASTIC_WORD.search(fold(w).lower()) for w in moulding["words"]):
        return
    known = offered.get("rubber_moulding", {"weight": 0.0})
    offered["rubber_moulding"] = {**moulding, "weight": max(known["weight"], moulding["weight"])}
    moulding["weight"] = round(moulding["weight"] * KEPT, 4)
