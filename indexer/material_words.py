"""Words that name a material only inside a material clause.

"Đồng" is copper after "bằng" or "chất liệu" ("Đầu nối nhanh, chất liệu đồng hợp kim", "Nút điều
tiết … bằng đồng"), but elsewhere a clock (đồng hồ), a province (Đồng Nai), a currency or "in
sync" (đồng bộ); "da" is leather there ("Ví nam bằng da") and skin or nothing elsewhere. The
vocabulary lists such words under `vi_in_material` (capabilities.toml); a reading's material
clauses (indexer/reading.py) are where they count. In the customs descriptions 133 goods give
their material so ("nhựa + đồng", "lõi bằng đồng"), 61 of them cables, valves and switches.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources

from indexer.reading import MATERIAL, Reading
from indexer.taxonomy import Hit

# Words that begin a compound of another meaning: "bằng đồng hồ" is measured by a gauge; and
# words before one that make it a plating or a colour ("thép mạ đồng", "màu đồng").
_COMPOUND_NEXT = r"hồ|bộ|trục|thời|nhất|đều|tâm|dạng|loạt|phục|nai|tháp|hới|xoài|tiền|ý|hành|dụng|liễu|cảm"


@cache
def _material_words() -> tuple[re.Pattern[str], dict[str, str]]:
    raw = resources.files("indexer").joinpath("vocabulary/capabilities.toml").read_text("utf-8")
    words = {
        word.lower(): item["id"]
        for item in tomllib.loads(raw)["concept"]
        for word in item.get("vi_in_material", [])
    }
    alternation = "|".join(sorted(map(re.escape, words), key=len, reverse=True)) or "(?!)"
    pattern = re.compile(
        rf"(?<!\w)(?<!mạ )(?<!màu )(?<!mầu )({alternation})(?!\w)(?!\s+(?:{_COMPOUND_NEXT})(?!\w))",
        re.IGNORECASE,
    )
    return pattern, words


def with_material_words(reading: Reading, hits: list[Hit]) -> list[Hit]:
    """`hits` and the material words inside the reading's material clauses that no found term
    covers, in reading order."""
    pattern, words = _material_words()
    added = [
        Hit(words[m.group(1).lower()], m.group(1), m.start(1), m.end(1))
        for m in pattern.finditer(reading.text)
        if reading.role_at(m.start(1), m.end(1)) == MATERIAL
        and not any(h.start < m.end(1) and m.start(1) < h.end for h in hits)
    ]
    return sorted(hits + added, key=lambda h: h.start) if added else hits
