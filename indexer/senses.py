"""Words whose trade the goods' use decides (`[[sense]]` in capabilities.toml).

"Nút bấm" is a push button, a switchgear maker's; "Nút bấm kim loại cho quần jean" is a snap, a
garment-trims maker's. "Khóa" is a lock, but "Khóa kim loại cho túi xách" a bag clasp; "Đế cao
su" is any rubber base, but "Đế cao su dùng cho giày thể thao" a sole. The head word alone does
not say; the goods' use (or their category) does. When it names one of a sense's `when` nodes,
the item is that sense's node, and what the word alone was read as weighs SHARE of itself.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from indexer.taxonomy import Taxonomy
from models.vocabulary.text import fold, nfc

SHARE = 0.3
# Roles that say what the goods are for or belong to.
_AROUND = ("context", "category")
# Words that count things before a head noun ("Bộ khóa", "Cặp nút bấm").
_COUNTER = r"(?:(?:bo|cum|cai|chiec|cap|doi|set)\s+)?"


@dataclass(frozen=True)
class Sense:
    head: re.Pattern[str]  # the head words, folded, at the start of the item
    when: frozenset[str]
    concept: str


@cache
def default_senses() -> tuple[Sense, ...]:
    raw = resources.files("indexer").joinpath("vocabulary/capabilities.toml").read_text("utf-8")
    senses = []
    for entry in tomllib.loads(raw).get("sense", []):
        heads = sorted({fold(nfc(h)).lower() for h in entry["heads"]}, key=len, reverse=True)
        pattern = re.compile(rf"^{_COUNTER}(?:{'|'.join(map(re.escape, heads))})(?!\w)")
        senses.append(Sense(pattern, frozenset(entry["when"]), entry["concept"]))
    return tuple(senses)


def apply_senses(taxonomy: Taxonomy, concepts: dict[str, dict[str, Any]], items: list[str]) -> None:
    """Read each item (in place) by the sense its use decides, if any."""
    around = {cid for cid, e in concepts.items() if e.get("role") in _AROUND}
    for sense in default_senses():
        if not around & sense.when or sense.concept not in taxonomy.concepts:
            continue
        for item in items:
            head = sense.head.match(fold(nfc(item)).lower().strip())
            if not head:
                continue
            word, folded = item.strip()[: head.end()], head.group(0)
            # what the head word alone was read as ("Nút bấm": switches) now weighs little
            for read in concepts.values():
                if read.get("role") == "item" and any(fold(w).lower() in folded for w in read["words"]):
                    read["weight"] = round(read["weight"] * SHARE, 4)
            entry = concepts.get(sense.concept)
            if entry is None or entry["weight"] < 1.0 or entry.get("role") != "item":
                concepts[sense.concept] = {
                    "weight": 1.0,
                    "words": [word],
                    "role": "item",
                    "inferred": f"{word} for {_named(taxonomy, around & sense.when)}",
                }
            break


def _named(taxonomy: Taxonomy, nodes: set[str]) -> str:
    return ", ".join(sorted(taxonomy.concepts[c].label("en").lower() for c in nodes))
