"""The programme's eight priority sectors (plus "other"), recognised in five languages."""

from __future__ import annotations

import re

from models.vocabulary.text import fold

# code → (Vietnamese label, English label, folded alias patterns)
SECTORS: dict[str, tuple[str, str, list[str]]] = {
    "electronics": (
        "Điện tử thông minh",
        "Smart electronics",
        [
            r"dien tu",
            r"electronic",
            r"electrical and electronic",
            r"\bpcb",
            r"semiconductor",
            r"전자",
            r"電子",
            r"电子",
            r"mobile phone",
            r"dien thoai",
        ],
    ),
    "energy_equipment": (
        "Thiết bị năng lượng",
        "Energy equipment",
        [
            r"nang luong",
            r"energy",
            r"power equipment",
            r"solar",
            r"wind",
            r"thiet bi dien",
            r"에너지",
            r"エネルギー",
            r"能源",
            r"电力",
        ],
    ),
    "railway": (
        "Đường sắt",
        "Railway",
        [r"duong sat", r"railway", r"\brail", r"metro", r"철도", r"鉄道", r"铁路"],
    ),
    "automotive": (
        "Ô tô, xe máy",
        "Automotive and motorcycles",
        [
            r"\bo to\b",
            r"\boto\b",
            r"xe may",
            r"xe hoi",
            r"automotive",
            r"\bauto\b",
            r"motorcycle",
            r"motorbike",
            r"vehicle",
            r"자동차",
            r"오토바이",
            r"自動車",
            r"二輪",
            r"汽车",
            r"摩托",
        ],
    ),
    "mechanical_automation": (
        "Cơ khí chế tạo, tự động hóa",
        "Mechanical engineering and automation",
        [
            r"co khi",
            r"mechanical",
            r"machinery",
            r"automation",
            r"tu dong hoa",
            r"기계",
            r"자동화",
            r"機械",
            r"自動化",
            r"机械",
            r"自动化",
        ],
    ),
    "high_tech": (
        "Công nghiệp công nghệ cao",
        "High-tech industry",
        [
            r"cong nghe cao",
            r"high[- ]tech",
            r"medical device",
            r"thiet bi y te",
            r"aerospace",
            r"첨단",
            r"ハイテク",
            r"高科技",
            r"高新技术",
        ],
    ),
    "textile_garment": (
        "Dệt may",
        "Textile and garment",
        [
            r"det may",
            r"\bdet\b",
            r"textile",
            r"garment",
            r"apparel",
            r"\bmay mac",
            r"섬유",
            r"의류",
            r"繊維",
            r"衣料",
            r"纺织",
            r"服装",
        ],
    ),
    "leather_footwear": (
        "Da giày",
        "Leather and footwear",
        [
            r"da giay",
            r"footwear",
            r"leather",
            r"\bshoe",
            r"\bgiay dep",
            r"신발",
            r"가죽",
            r"靴",
            r"皮革",
            r"鞋",
        ],
    ),
    "other": ("Khác", "Other", []),
}

_PATTERNS = [(code, re.compile("|".join(aliases))) for code, (_, _, aliases) in SECTORS.items() if aliases]


def canonical_sector(raw: str | None) -> str | None:
    """The priority sector a free-text sector name belongs to; "other" when none fits."""
    if not raw or not raw.strip():
        return None
    if raw in SECTORS:
        return raw
    folded = fold(raw)
    for code, pattern in _PATTERNS:
        if pattern.search(folded):
            return code
    return "other"


def sector_label(code: str | None, lang: str = "en") -> str:
    """Human label of a sector code in Vietnamese or English."""
    if code not in SECTORS:
        return code or ""
    vi, en, _ = SECTORS[code]
    return vi if lang == "vi" else en


def sectors_in_text(text: str | None) -> list[str]:
    """Every priority sector a free text mentions (for profiles that declare none)."""
    folded = fold(text)
    return [code for code, pattern in _PATTERNS if pattern.search(folded)]


# Localisation-rate targets of the 2026-2035 programme (DOMAIN.md): (2030, 2035), in percent.
LOCALISATION_TARGETS: dict[str, tuple[str, str]] = {
    "electronics": ("25-30%", "35-40%"),
    "mechanical_automation": ("40%", "50%"),
    "automotive": ("22-30%", "32-40%"),
    "textile_garment": ("60%", "70%"),
    "leather_footwear": ("60-65%", "70-75%"),
    "high_tech": ("15%", "20%"),
}
