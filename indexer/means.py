"""A tool named as the means of making the goods asks for the process it serves, not for the tool.

"Terminals produced on progressive dies", "Đầu cos sản xuất bằng khuôn dập liên hoàn", "순차
금형으로 생산하는 단자", "順送金型で生産する端子", "用级进模生产的端子": the buyer wants terminals
stamped, by a stamper that runs such dies; the die's maker is a look-alike. The process a tool
serves is its `lookalike` in the taxonomy ("makes tools for that process, not its parts"). Read in
requests only: in a profile, "dies we build for our presses" may well be the firm's trade.
"""

from __future__ import annotations

import re
from typing import Any

from indexer.inferred import add_inferred
from indexer.reading import CONTEXT, ROLE_WEIGHT
from indexer.taxonomy import Taxonomy
from models.vocabulary.text import fold, nfc

# What the goods are made by, as the inference from a form and material weighs it.
SERVED_PROCESS_WEIGHT = 0.85
# Characters either side of a tool's name that are read for the verb and preposition.
_WINDOW = 60

# Before the tool: a making verb and a preposition (English; Vietnamese, folded).
_BEFORE = re.compile(
    r"(?:\b(?:produced|made|manufactured|stamped|pressed|punched|moulded|molded|cast|formed|run)"
    r"\s+(?:on|with|in|using|by|from|through)(?:\s+[\w-]+){0,3}"
    r"|\b(?:san xuat|dap|lam|gia cong|ep|duc|che tao)\s+(?:bang|tren))\s*$"
)
# After the tool: an instrument particle and a making verb (Korean, Japanese).
_AFTER = re.compile(
    r"^\s*(?:(?:으로|로)\s*(?:생산|제작|가공|성형|프레스|타발|양산)"
    r"|(?:で|にて|を使って|を用いて)\s*(?:生産|製作|加工|成形|プレス|打ち抜|量産))"
)
# Chinese: 用 before the tool and the making verb right after it ("用级进模生产"); a tool with
# only a verb after it is the tool being made ("压铸模具制作").
_ZH_BEFORE = re.compile(r"(?:用|使用|采用|通过)\s*$")
_ZH_AFTER = re.compile(r"^\s*(?:生产|冲压|冲制|制作|加工|成型|压铸|注塑)")


def _as_means(before: str, after: str) -> bool:
    if _ZH_BEFORE.search(before):
        return bool(_ZH_AFTER.match(after))
    return bool(_BEFORE.search(before) or _AFTER.match(after))


def tools_as_means(taxonomy: Taxonomy, found: dict[str, dict[str, Any]], text: str, weight: float) -> None:
    """Where every mention of a tool in `text` names what the goods are made on, the tool is
    context and the process it serves is asked for, with the reason the explanation gives."""
    lowered = nfc(text).lower()
    for cid, entry in list(found.items()):
        served = taxonomy.concepts[cid].lookalikes
        if not served or not entry["words"]:
            continue
        spans = [
            (m.start(), m.end())
            for word in set(entry["words"])
            for m in re.finditer(re.escape(nfc(word).lower()), lowered)
        ]
        # A few words either side decide (a huge field's prefix is not folded again for each).
        near = [
            (fold(lowered[max(0, start - _WINDOW) : start]), lowered[end : end + _WINDOW])
            for start, end in spans
        ]
        if not near or not all(_as_means(before, after) for before, after in near):
            continue
        entry.update(weight=round(min(entry["weight"], ROLE_WEIGHT[CONTEXT] * weight), 4), role=CONTEXT)
        tool = taxonomy.concepts[cid].label("en").lower()
        for process in served:
            reason = f"made on {tool} → {taxonomy.concepts[process].label('en').lower()}"
            add_inferred(found, process, SERVED_PROCESS_WEIGHT * weight, reason, from_form=True)
