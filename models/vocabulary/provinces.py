"""Vietnam's 34 provinces since 1 July 2025, and the 63 older names that profiles still use.

Resolution 202/2025/QH15 merged 52 provinces into 23; 11 kept their borders. A profile
written in 2024 says "Bắc Giang" or "Bình Dương"; both sides are normalised to today's
province so a buyer preferring Bắc Ninh finds a supplier registered in Bắc Giang.
"""

from __future__ import annotations

import re

from models.vocabulary.text import fold

# Current province → the pre-2025 provinces it absorbed.
MERGED_INTO: dict[str, list[str]] = {
    "Hà Nội": [],
    "Huế": ["Thừa Thiên Huế"],
    "Lai Châu": [],
    "Điện Biên": [],
    "Sơn La": [],
    "Lạng Sơn": [],
    "Quảng Ninh": [],
    "Thanh Hóa": [],
    "Nghệ An": [],
    "Hà Tĩnh": [],
    "Cao Bằng": [],
    "Tuyên Quang": ["Hà Giang"],
    "Lào Cai": ["Yên Bái"],
    "Thái Nguyên": ["Bắc Kạn"],
    "Phú Thọ": ["Vĩnh Phúc", "Hòa Bình"],
    "Bắc Ninh": ["Bắc Giang"],
    "Hưng Yên": ["Thái Bình"],
    "Hải Phòng": ["Hải Dương"],
    "Ninh Bình": ["Hà Nam", "Nam Định"],
    "Quảng Trị": ["Quảng Bình"],
    "Đà Nẵng": ["Quảng Nam"],
    "Quảng Ngãi": ["Kon Tum"],
    "Gia Lai": ["Bình Định"],
    "Khánh Hòa": ["Ninh Thuận"],
    "Lâm Đồng": ["Đắk Nông", "Bình Thuận"],
    "Đắk Lắk": ["Phú Yên"],
    "TP Hồ Chí Minh": ["Bình Dương", "Bà Rịa - Vũng Tàu"],
    "Đồng Nai": ["Bình Phước"],
    "Tây Ninh": ["Long An"],
    "Cần Thơ": ["Sóc Trăng", "Hậu Giang"],
    "Vĩnh Long": ["Bến Tre", "Trà Vinh"],
    "Đồng Tháp": ["Tiền Giang"],
    "Cà Mau": ["Bạc Liêu"],
    "An Giang": ["Kiên Giang"],
}

# Other spellings people write (folded, without "tỉnh"/"thành phố" prefixes).
_ALIASES: dict[str, str] = {
    "hanoi": "Hà Nội",
    "hcm": "TP Hồ Chí Minh",
    "hcmc": "TP Hồ Chí Minh",
    "tphcm": "TP Hồ Chí Minh",
    "ho chi minh city": "TP Hồ Chí Minh",
    "saigon": "TP Hồ Chí Minh",
    "sai gon": "TP Hồ Chí Minh",
    "thu dau mot": "TP Hồ Chí Minh",
    "vung tau": "TP Hồ Chí Minh",
    "ba ria vung tau": "TP Hồ Chí Minh",
    "brvt": "TP Hồ Chí Minh",
    "bien hoa": "Đồng Nai",
    "haiphong": "Hải Phòng",
    "danang": "Đà Nẵng",
    "hue": "Huế",
    "thua thien hue": "Huế",
    "thua thien - hue": "Huế",
    "dak lak": "Đắk Lắk",
    "daklak": "Đắk Lắk",
    "dac lac": "Đắk Lắk",
    "dak nong": "Lâm Đồng",
    "bac can": "Thái Nguyên",
    "hoa binh": "Phú Thọ",
    "thanh hoa": "Thanh Hóa",
    "khanh hoa": "Khánh Hòa",
}

# Economic regions, for a small bonus when a supplier is near (not in) a preferred province.
REGIONS: dict[str, list[str]] = {
    "north": [
        "Hà Nội",
        "Lai Châu",
        "Điện Biên",
        "Sơn La",
        "Lạng Sơn",
        "Quảng Ninh",
        "Cao Bằng",
        "Tuyên Quang",
        "Lào Cai",
        "Thái Nguyên",
        "Phú Thọ",
        "Bắc Ninh",
        "Hưng Yên",
        "Hải Phòng",
        "Ninh Bình",
    ],
    "central": [
        "Thanh Hóa",
        "Nghệ An",
        "Hà Tĩnh",
        "Huế",
        "Quảng Trị",
        "Đà Nẵng",
        "Quảng Ngãi",
        "Gia Lai",
        "Khánh Hòa",
        "Lâm Đồng",
        "Đắk Lắk",
    ],
    "south": [
        "TP Hồ Chí Minh",
        "Đồng Nai",
        "Tây Ninh",
        "Cần Thơ",
        "Vĩnh Long",
        "Đồng Tháp",
        "Cà Mau",
        "An Giang",
    ],
}

PROVINCES: list[str] = list(MERGED_INTO)
_PREFIX = re.compile(r"^(?:tinh\s+|thanh pho\s+|t\.?p\.?\s*|city of\s+|province of\s+)")
_SUFFIX = re.compile(r"\s+(?:province|city|tinh)$")


def _key(name: str) -> str:
    key = fold(name).replace("–", "-").strip(" .,")
    key = _SUFFIX.sub("", _PREFIX.sub("", key))
    return re.sub(r"\s*-\s*", " ", key).strip()


_LOOKUP: dict[str, str] = {}
for _current, _olds in MERGED_INTO.items():
    for _name in [_current, *_olds]:
        _LOOKUP[_key(_name)] = _current
        _LOOKUP[_key(_name).replace(" ", "")] = _current
_LOOKUP.update({_key(alias): current for alias, current in _ALIASES.items()})
_REGION_OF = {province: region for region, names in REGIONS.items() for province in names}


def canonical_province(raw: str | None) -> str | None:
    """Today's province for a current or pre-2025 name (diacritics optional), else None."""
    if not raw or not raw.strip():
        return None
    key = _key(raw)
    if key in _LOOKUP:
        return _LOOKUP[key]
    compact = key.replace(" ", "")
    if compact in _LOOKUP:
        return _LOOKUP[compact]
    # An address such as "KCN Quế Võ, Bắc Ninh": take the last part that names a province.
    for part in reversed(re.split(r"[,;/]", key)):
        part = _key(part)
        if part in _LOOKUP:
            return _LOOKUP[part]
    return None


def region_of(province: str | None) -> str | None:
    """north, central or south for a canonical province."""
    return _REGION_OF.get(province or "")
