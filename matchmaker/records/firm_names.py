"""Firm names, read apart: a name loses its legal form ("Công ty TNHH", "Cty CP", "Co., Ltd",
"JSC"…) and business-type words ("SX TM DV", "trading") and splits into what the firm does
(trade phrases; English industry words mapped to Vietnamese: "aluminium die casting" → "đúc
nhôm") and its own name. Duplicate detection, buyers' firm keys and event drafting compare
firms through it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from models.vocabulary.provinces import MERGED_INTO, PROVINCES
from models.vocabulary.text import fold, nfc

# Folded legal forms, longest first so "cong ty tnhh" wins over "cong ty".
LEGAL_FORMS = {
    "llc": [
        "cong ty trach nhiem huu han mot thanh vien", "cong ty trach nhiem huu han", "cong ty tnhh mtv",
        "cong ty tnhh", "cty tnhh mtv", "cty tnhh", "trach nhiem huu han", "tnhh mtv", "tnhh",
        "mot thanh vien", "company limited", "limited liability company", "co ltd", "ltd",
        "llc", "limited",
    ],
    "jsc": [
        "cong ty co phan", "cong ty cp", "cty co phan", "cty cp", "co phan", "joint stock company",
        "joint stock", "jsc", "corporation", "corp",
    ],
    "private": ["doanh nghiep tu nhan", "dntn"],
    "cooperative": ["hop tac xa", "htx"],
    "other": [
        "tong cong ty", "tap doan", "cong ty", "cty", "company", "group", "inc", "mtv", "viet nam",
        "vietnam", "vn",
    ],
}  # fmt: skip
# What kind of business, not which one: dropped from the name's core (phrases before words,
# so "thương mại" goes but "Sao Mai" stays).
BUSINESS_PHRASES = ["xuat nhap khau", "san xuat", "thuong mai", "dich vu", "xuat khau", "nhap khau"]
BUSINESS_WORDS = set(
    "sx tm dv xnk sxtm tmdv sxtmdv trading manufacturing services service import export production "
    "and va".split()
)
# English industry words → the folded Vietnamese a registration form would use.
ENGLISH = {
    "aluminium": "nhom", "aluminum": "nhom", "casting": "duc", "die": "", "foundry": "duc",
    "plastic": "nhua", "plastics": "nhua", "mould": "khuon", "mold": "khuon", "moulds": "khuon",
    "molds": "khuon", "mechanical": "co khi", "mechanics": "co khi", "engineering": "ky thuat",
    "steel": "thep", "rubber": "cao su", "packaging": "bao bi", "electronics": "dien tu",
    "electronic": "dien tu", "electric": "dien", "electrical": "dien", "garment": "may",
    "garments": "may", "textile": "det", "textiles": "det", "precision": "chinh xac",
    "stamping": "dap", "printing": "in", "paper": "giay", "wood": "go", "wooden": "go", "glass": "kinh",
    "chemical": "hoa chat", "chemicals": "hoa chat", "technology": "cong nghe", "industrial": "cong nghiep",
    "industry": "cong nghiep", "components": "linh kien", "component": "linh kien", "parts": "phu tung",
    "automation": "tu dong hoa", "footwear": "giay", "shoes": "giay", "machinery": "may moc",
    "forging": "ren", "metal": "kim loai", "cable": "cap", "cables": "cap", "wire": "day",
}  # fmt: skip
# Vietnamese trade phrases, folded. Single syllables only where unambiguous: "Đức", "Sơn" and
# "Đồng" are common proper names, so "đúc", "sơn" and "đồng" count only inside a phrase.
TRADE_PHRASES = sorted(
    {
        "co khi chinh xac", "co khi", "chinh xac", "duc nhom", "duc kim loai", "duc gang", "khuon mau",
        "khuon", "nhua", "cao su", "bao bi", "dien tu", "dap kim loai", "kim loai", "thep", "inox",
        "det may", "may mac", "giay da", "giay dep", "day cap dien", "cap dien", "day dien", "hoa chat",
        "linh kien", "phu tung", "tu dong hoa", "ky thuat", "cong nghe", "cong nghiep", "nhom",
        "dien lanh", "thiet bi", "may moc", "go noi that", "in an", "bao bi giay",
    },
    key=lambda phrase: -len(phrase.split()),
)  # fmt: skip
BRANCH_WORDS = [["chi", "nhanh"], ["branch"], ["cn"]]
# Current and pre-2025 province names: "Chi nhánh Bình Dương – …" names where the branch is.
_PLACES = sorted(
    ({fold(p) for p in PROVINCES} | {fold(old) for olds in MERGED_INTO.values() for old in olds}),
    key=lambda place: -len(place.split()),
)
_REMOVALS = sorted(
    [(phrase.split(), kind) for kind, phrases in LEGAL_FORMS.items() for phrase in phrases]
    + [(phrase.split(), "business") for phrase in BUSINESS_PHRASES],
    key=lambda item: -len(item[0]),
)


@dataclass
class NameParts:
    trade: list[str]  # folded words of what the firm does ("duc", "nhom"), sorted
    proper: list[str]  # the rest: the firm's own name, in order ("minh", "long")
    legal_form: str | None
    branch: bool

    @property
    def core(self) -> list[str]:
        """Folded identity words (for blocking and display)."""
        return self.trade + [fold(w) for w in self.proper]


def _tokens(name: str) -> tuple[list[str], list[str]]:
    """(folded, original) words of a name, aligned one to one."""
    text = nfc(name).lower().replace("co.,", "co ").replace("&", " ")
    original = re.sub(r"[^\w\s]", " ", text).split()
    return [fold(w) for w in original], original


def name_parts(name: str) -> NameParts:
    """The identity words of a company name, its legal form, and whether it names a branch."""
    folded, original = _tokens(name)
    keep = [True] * len(folded)
    form, branch = None, False

    def at(i: int, words: list[str]) -> bool:
        return folded[i : i + len(words)] == words and all(keep[i : i + len(words)])

    def remove(start: int, length: int) -> None:
        keep[start : start + length] = [False] * length

    for i in range(len(folded)):
        for words in BRANCH_WORDS:
            if at(i, words):
                branch = True
                remove(i, len(words))
                after = i + len(words)  # "Chi nhánh Bắc Ninh – Công ty X": the branch's place
                place = next((p.split() for p in _PLACES if at(after, p.split())), None)
                if place:
                    remove(after, len(place))
        for words, kind in _REMOVALS:
            if at(i, words):
                remove(i, len(words))
                if kind not in ("other", "business"):
                    form = form or kind
                break
    words = [(f, o) for f, o, k in zip(folded, original, keep, strict=True) if k and f not in BUSINESS_WORDS]
    trade: list[str] = []
    proper: list[str] = []
    i = 0
    while i < len(words):
        if words[i][0] in ENGLISH:  # an English industry word: what the firm does
            trade += ENGLISH[words[i][0]].split()
            i += 1
            continue
        phrase = next(
            (p for p in TRADE_PHRASES if [f for f, _ in words[i : i + len(p.split())]] == p.split()), None
        )
        if phrase:
            trade += phrase.split()
            i += len(phrase.split())
            continue
        proper.append(words[i][1])  # the original spelling: "Đồng" and "Đông" are different names
        i += 1
    # What the firm does is a set; its own name keeps its order ("Đại Nhật" is not "Nhật Đại").
    return NameParts(sorted(set(trade)), proper, form, branch)
