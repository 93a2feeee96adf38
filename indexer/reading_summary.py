"""The reading as shown in explanations and the API: each role's own words."""

from __future__ import annotations

import re

from indexer.reading import CATEGORY, COMPONENT, CONTEXT, ITEM, MATERIAL, NOISE, Reading, clean


def summary(reading: Reading, limit: int = 60) -> dict[str, list[str]]:
    """The reading as shown: each role's own words (items without their context and noise)."""
    out: dict[str, list[str]] = {}
    for role in (ITEM, MATERIAL, COMPONENT, CONTEXT, CATEGORY, NOISE):
        parts = []
        for span in reading.spans:
            if span.role != role:
                continue
            words = span.text
            if role == ITEM:  # the item's own words: what no context, material or noise covers
                chars = [
                    ch if reading.role_at(i, i + 1) == ITEM else " "
                    for i, ch in enumerate(reading.text[span.start : span.end], start=span.start)
                ]
                words = clean(re.sub(r"\s+", " ", "".join(chars)))
            if words and words[:limit] not in parts:
                parts.append(words[:limit])
        if parts:
            out[role] = parts
    return out
