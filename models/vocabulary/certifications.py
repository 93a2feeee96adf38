"""Canonical certification codes and how a claim is read.

`ISO9001:2015`, `chứng chỉ ISO 9001` and `iso 9001` are all `ISO 9001`. A mention is only a
held certificate when nothing around it says it is still being worked towards
("đang triển khai IATF 16949", "working towards IATF") and its validity has not lapsed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from models.vocabulary.text import fold, nfc

# (canonical code, folded regex). Order matters: the first pattern that matches a span wins.
_STANDARDS: list[tuple[str, str]] = [
    ("IATF 16949", r"iatf\s*[-:]?\s*16949"),
    ("ISO/TS 16949", r"(?:iso\s*/?\s*)?ts\s*[-:]?\s*16949"),
    ("ISO 9001", r"iso\s*[-:]?\s*9001"),
    ("ISO 14001", r"iso\s*[-:]?\s*14001"),
    ("ISO 45001", r"iso\s*[-:]?\s*45001"),
    ("OHSAS 18001", r"ohsas\s*[-:]?\s*18001"),
    ("ISO 13485", r"iso\s*[-:]?\s*13485"),
    ("ISO 50001", r"iso\s*[-:]?\s*50001"),
    ("ISO 22000", r"iso\s*[-:]?\s*22000"),
    ("ISO/IEC 17025", r"(?:iso\s*/?\s*(?:iec)?\s*)17025"),
    ("ISO/IEC 27001", r"(?:iso\s*/?\s*(?:iec)?\s*)27001"),
    ("ISO 3834", r"iso\s*[-:]?\s*3834"),
    ("AS9100", r"as\s*[-]?\s*9100"),
    ("IECQ QC 080000", r"(?:iecq\s*)?qc\s*[-]?\s*080000"),
    ("RoHS", r"\brohs\b"),
    ("REACH", r"\breach\b"),
    ("OEKO-TEX", r"oeko\s*[-]?\s*tex"),
    ("GOTS", r"\bgots\b"),
    ("GRS", r"\bgrs\b|global recycled standard"),
    ("bluesign", r"\bbluesign\b"),
    ("amfori BSCI", r"(?:amfori\s*)?\bbsci\b"),
    ("WRAP", r"\bwrap\b"),
    ("SA8000", r"\bsa\s*8000\b"),
    ("SMETA", r"\bsmeta\b|\bsedex\b"),
    ("LWG", r"\blwg\b|leather working group"),
    ("HACCP", r"\bhaccp\b"),
    ("FSC", r"\bfsc\b"),
    ("UL", r"\bul\b(?:\s*(?:listed|certified|certification))?"),
    ("CE", r"\bce\b(?=\s*(?:mark|marking|certificate|certified|certification))|\bce mark"),
    ("JIS", r"\bjis\b"),
    ("VDA 6.3", r"vda\s*6\.?3"),
]
_COMPILED = [(code, re.compile(pattern)) for code, pattern in _STANDARDS]
_VERSION = re.compile(r"\s*[:\-/]\s*((?:19|20)\d{2})")

# Editions withdrawn long ago: a certificate to them cannot still be valid today.
WITHDRAWN_EDITIONS = {
    ("ISO 9001", "2008"): "ISO 9001:2008 was withdrawn in September 2018",
    ("ISO 14001", "2004"): "ISO 14001:2004 was withdrawn in September 2018",
    ("ISO/TS 16949", None): "ISO/TS 16949 was replaced by IATF 16949 in 2016-2018",
    ("OHSAS 18001", None): "OHSAS 18001 was replaced by ISO 45001 (withdrawn March 2021)",
}

# Words that, shortly before a mention, mean "not granted yet" (folded).
_IN_PROGRESS = re.compile(
    r"(dang\s+(?:trien\s+khai|xay\s+dung|ap\s+dung\s+thu|chuan\s+bi|lam|hoan\s+thien|"
    r"trong\s+qua\s+trinh|huong\s+toi|tien\s+hanh|thuc\s+hien)|chuan\s+bi|du\s+kien|huong\s+toi|"
    r"ke\s+hoach|se\s+dat|muc\s+tieu|in\s+progress|working\s+towards?|preparing|planned|"
    r"pursuing|implementing|aiming|target(?:ing)?|expected|under\s+way|underway|"
    r"導入中|取得予定|準備中|진행\s*중|준비\s*중|추진|正在|计划|筹备)"
)
_PENDING_AFTER = re.compile(r"\b(?:pending|du kien|in progress|sap co)\b")
# …and, before or after it, "no longer valid" ("ISO 13485 (expired 2023)", "đã hết hạn").
_EXPIRED = re.compile(
    r"(expired|lapsed|no\s+longer\s+valid|het\s+han|het\s+hieu\s+luc|qua\s+han|期限切れ|失効|過期|过期|失效|만료)"
)
_NEGATED = re.compile(r"(chua\s+co|chua\s+dat|khong\s+co|\bno\b|\bnot\b|without|lack)")
_CLAUSE_BREAK = re.compile(r"[.;,\n()、，。；]|\b(?:va|and)\b")


@dataclass(frozen=True)
class Mention:
    """One certification found in text."""

    standard: str
    edition: str | None
    status: str  # "claimed", "in_progress" or "expired"
    text: str


def canonical(raw: str) -> str:
    """Canonical code of one certification name, or the cleaned text when unknown."""
    found = find(raw)
    return found[0].standard if found else nfc(raw)


def find(text: str) -> list[Mention]:
    """Every certification mentioned in free text, with whether it is only in progress."""
    folded = fold(text)
    taken: list[tuple[int, int]] = []
    out: list[Mention] = []
    for code, pattern in _COMPILED:
        for m in pattern.finditer(folded):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            taken.append((m.start(), m.end()))
            version = _VERSION.match(folded, m.end())
            pending = _qualified(folded, m.start(), _IN_PROGRESS) or _followed_by(folded, m.end())
            lapsed = _qualified(folded, m.start(), _EXPIRED) or _followed_by(folded, m.end(), _EXPIRED)
            status = "expired" if lapsed else "in_progress" if pending else "claimed"
            if _qualified(folded, m.start(), _NEGATED):
                continue
            out.append(Mention(code, version.group(1) if version else None, status, m.group(0)))
    return out


def _qualified(folded: str, start: int, words: re.Pattern[str]) -> bool:
    """True when `words` occur in the same clause shortly before position `start`."""
    window = folded[max(0, start - 60) : start]
    clauses = _CLAUSE_BREAK.split(window)
    return bool(words.search(clauses[-1] if clauses else window))


def _followed_by(folded: str, end: int, words: re.Pattern[str] | None = None) -> bool:
    """True when the clause right after a mention says it is pending ("IATF 16949 導入中"), or
    says `words`."""
    after = _CLAUSE_BREAK.split(folded[end : end + 40].lstrip(" ()-:"))[0]
    if words is not None:
        return bool(words.search(after))
    return bool(_IN_PROGRESS.search(after) or _PENDING_AFTER.search(after))


def withdrawn_reason(standard: str, edition: str | None) -> str | None:
    """Why a certificate to this edition cannot be valid now, or None."""
    return WITHDRAWN_EDITIONS.get((standard, edition)) or WITHDRAWN_EDITIONS.get((standard, None))


def status_on(cert: dict, today: date) -> tuple[str, str | None]:
    """(status, reason) of one normalised certificate on a given day.

    Status is one of held, expired, not_yet_valid, in_progress; only `held` satisfies a
    requirement.
    """
    if cert.get("status") == "in_progress":
        return "in_progress", f"{cert['standard']} is in progress, not yet granted"
    if cert.get("status") == "expired":
        return "expired", f"{cert['standard']} has expired, as the profile says"
    until = cert.get("valid_until")
    if until and date.fromisoformat(until) < today:
        return "expired", f"{cert['standard']} expired on {until}"
    since = cert.get("valid_from")
    if since and date.fromisoformat(since) > today:
        return "not_yet_valid", f"{cert['standard']} is valid only from {since}"
    reason = withdrawn_reason(cert["standard"], cert.get("edition"))
    if reason:
        return "expired", reason
    return "held", None
