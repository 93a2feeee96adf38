"""Who resells rather than makes: a trading company ranks below the makers (`Weights.trader_factor`)."""

from __future__ import annotations

import re
from typing import Any

from models.vocabulary.text import fold

_TRADING = re.compile(
    r"thuong mai|xuat nhap khau|nhap khau|phan phoi|dai ly|\btrading\b|distribut|reseller|"
    r"import(?:er|ing)?\b|\bagent\b|\bdealer|商社|贸易|무역|유통"
)
_MAKING = re.compile(
    r"san xuat|nha may|xuong|che tao|gia cong|\bduc\b|\bdap\b|manufactur|factory|\bplant\b|"
    r"workshop|fabricat|machin|production line|工場|工厂|공장|생산|制造|製造"
)
_ONLY_TRADING = re.compile(
    r"khong (?:truc tiep )?san xuat|khong co nha may|does not manufacture|no (?:own )?factory|"
    r"not a manufacturer|chi phan phoi|only distribut|pure trading|resell"
)


def is_trader(name: str, description: str, extra: dict[str, Any]) -> bool:
    """A firm that resells rather than makes: trading words and no making words."""
    declared = fold(str(extra.get("business_type") or extra.get("type") or ""))
    if declared:
        if _TRADING.search(declared) and not _MAKING.search(declared):
            return True
        if _MAKING.search(declared):
            return False
    text = fold(f"{name} {description}")
    if _ONLY_TRADING.search(text):
        return True
    return bool(_TRADING.search(text)) and not _MAKING.search(text)
