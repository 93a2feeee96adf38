"""A finish named after the goods is part of their spec, not the thing bought.

"锌合金把手，镀铬" (zinc-alloy handles, chrome-plated), "SPCC製ブラケット t1.6、電着塗装",
"Aluminium housing ADC12, anodised": the buyer wants the part, finished so; the part's maker
subcontracts or offers the finish. A surface or heat treatment read in a later clause (role
"other") of a request that names what to make weighs FINISH_SHARE of itself. Where the treatment
is the item ("Mạ kẽm bu lông", "anodising of heat sinks") it is what is bought, and keeps its
weight.
"""

from __future__ import annotations

from typing import Any

from indexer.taxonomy import Taxonomy

FINISH_SHARE = 0.5
# What counts as naming the part: a product or shaping process at this weight, in any clause
# but the use ("黄铜锁扣，压铸成型，表面镀镍": die cast, then plated).
NAMED = 0.5


def finishes_second(taxonomy: Taxonomy, concepts: dict[str, dict[str, Any]]) -> None:
    """Lower (in place) a request's later-clause treatments when it names what to make."""

    def makes(cid: str, entry: dict[str, Any]) -> bool:
        kind = taxonomy.concepts[cid].kind
        named = entry.get("role") in ("item", "category", "other") or entry.get("from_form")
        return named and kind != "material" and not taxonomy.is_treatment(cid) and entry["weight"] >= NAMED

    if not any(makes(cid, e) for cid, e in concepts.items()):
        return
    for cid, entry in concepts.items():
        if entry.get("role") == "other" and taxonomy.is_treatment(cid):
            entry["weight"] = round(entry["weight"] * FINISH_SHARE, 4)
