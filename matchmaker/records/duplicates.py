"""Duplicate suppliers (entity resolution): the same enterprise imported under different ids
from a province survey, a fair's registration list and its own sign-up.

A name loses its legal form ("Công ty TNHH", "Cty CP", "Co., Ltd", "JSC"…) and business-type
words ("SX TM DV", "trading") and splits into what the firm does (trade phrases; English
industry words mapped to Vietnamese: "aluminium die casting" → "đúc nhôm") and its own name,
which decides: compared syllable by syllable with rapidfuzz, with diacritics when both
records have them. Then evidence: tax codes (equal, branch of, or conflicting), phone /
email / website, province, products, legal form. Reasons say which.

Blocking keeps it near-linear: only records sharing a tax code, a contact, the own name or
a pair of its syllables, or neighbours in name order (forwards and backwards, for typos)
are compared, and most of those are dropped after the own-name check.

Names are read apart in `firm_names`; merging is in `merging`.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import select

from matchmaker.matching.indexing import database_version
from matchmaker.records.firm_names import ENGLISH, NameParts, name_parts
from matchmaker.workspace import Workspace
from models.supplier import Supplier
from models.vocabulary.text import fold

THRESHOLD = 0.8  # pairs scoring at least this are reported (see benchmarks/duplicates.py)
MAX_BLOCK = 300  # a key shared by more records than this is too common to block on
WINDOW = 8  # sorted-neighbourhood: compare each record with the next few in name order


@dataclass
class _Record:
    id: str
    name: str
    parts: NameParts
    tax: str | None
    province: str | None
    contacts: dict[str, str]
    products: set[str]
    created_at: datetime | None = None
    folded_proper: list[str] = field(init=False)
    accented: bool = field(init=False)  # written with diacritics (then they count)
    sort_key: str = field(init=False)

    def __post_init__(self) -> None:
        self.folded_proper = [fold(w) for w in self.parts.proper]
        self.accented = self.folded_proper != [w.lower() for w in self.parts.proper]
        self.sort_key = " ".join(self.parts.trade) + "|" + "".join(self.folded_proper)


def _contacts(extra: dict[str, Any]) -> dict[str, str]:
    out = {}
    for key, value in (extra or {}).items():
        if not isinstance(value, str) or not value.strip():
            continue
        k = fold(key)
        if "mail" in k:
            out["email"] = value.strip().lower()
        elif "phone" in k or "dien thoai" in k or "tel" in k or k == "sdt":
            digits = re.sub(r"\D", "", value)
            if len(digits) >= 8:
                out["phone"] = digits[-9:]
        elif "web" in k or "site" in k:
            out["website"] = re.sub(r"^(https?://)?(www\.)?", "", value.strip().lower()).split("/")[0]
    return out


def _load(ws: Workspace) -> list[_Record]:
    with ws.sessions() as session:
        rows = session.execute(
            select(
                Supplier.id,
                Supplier.name,
                Supplier.tax_code,
                Supplier.province_canonical,
                Supplier.products,
                Supplier.processes,
                Supplier.extra,
                Supplier.created_at,
            ).where(Supplier.merged_into.is_(None))
        ).all()
    return [
        record_of(sid, name, tax, province, (products or []) + (processes or []), extra, created)
        for sid, name, tax, province, products, processes, extra, created in rows
    ]


def tax_code_id(record_id: str) -> str | None:
    """An id that is written exactly as a tax code counts as one (CONTRACT.md recommends it)."""
    return record_id if re.fullmatch(r"\d{10}(-\d{3})?", record_id) else None


def record_of(sid, name, tax=None, province=None, products=(), extra=None, created=None) -> _Record:
    """What duplicate detection knows of one supplier (a tax code in the id counts as one)."""
    words = {
        v for item in products for w in fold(item).split() for v in ENGLISH.get(w, w).split() if len(v) > 1
    }
    return _Record(
        sid,
        name,
        name_parts(name),
        tax or tax_code_id(sid),
        province,
        _contacts(extra or {}),
        words,
        created,
    )


@dataclass
class Pair:
    a: str
    b: str
    score: float
    why: list[tuple[str, dict[str, Any]]]

    @property
    def reasons(self) -> list[str]:
        return [reason_text(r) for r in self.why]

    def reasons_in(self, lang: str) -> list[str]:
        return [reason_text(r, lang) for r in self.why]

    @property
    def same_tax_code(self) -> bool:
        return any(code == "same_tax" for code, _ in self.why)

    def as_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "score": round(self.score, 3), "reasons": self.reasons}


_RECENT: dict[tuple[str, float], tuple[str, list[Pair]]] = {}


def find_duplicates(ws: Workspace, *, threshold: float = THRESHOLD, progress=None) -> list[Pair]:
    """Likely duplicate pairs among active suppliers, best first. The last answer is kept until
    the suppliers change (officers reopen the review page far more often than data changes)."""
    key, version = (ws.settings.database_url, threshold), database_version(ws)
    cached = _RECENT.get(key)
    if cached and cached[0] == version:
        return cached[1]
    pairs = find_among(_load(ws), threshold=threshold, progress=progress)
    _RECENT[key] = (version, pairs)
    return pairs


def find_among(records: list[_Record], *, threshold: float = THRESHOLD, progress=None) -> list[Pair]:
    """Compare only candidate pairs: records sharing a blocking key (tax code, phone, email,
    website, the squashed own name, a pair of its syllables, a rare syllable), plus neighbours
    when sorted by trade and own name, forwards and backwards (catches typos)."""
    proper_df = Counter(w for r in records for w in set(r.folded_proper))
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        for key in _block_keys(r, proper_df):
            blocks[key].append(i)
    candidates: set[tuple[int, int]] = set()
    for members in blocks.values():
        if 2 <= len(members) <= MAX_BLOCK:
            candidates.update(
                (i, j) if i < j else (j, i) for x, i in enumerate(members) for j in members[x + 1 :]
            )
    for sort_key in (lambda i: records[i].sort_key, lambda i: records[i].sort_key[::-1]):
        order = sorted(range(len(records)), key=sort_key)
        for x, i in enumerate(order):
            candidates.update((i, j) if i < j else (j, i) for j in order[x + 1 : x + 1 + WINDOW])
    # Most candidates have plainly different own names: the best the other evidence can add
    # (same trade, province, products) cannot lift them to the threshold unless a tax code or
    # a contact links them, so they are dropped before the full score.
    name_floor = math.sqrt(max(0.0, (threshold - 0.26) / 0.8))
    pairs = []
    for n, (i, j) in enumerate(candidates):
        if progress and n % 20_000 == 0:
            progress(n, len(candidates))
        a, b = records[i], records[j]
        own = _own_name_similarity(a, b)
        if own < name_floor and not _linked(a, b):
            continue
        score, reasons = score_pair(a, b, own)
        if score >= threshold:
            first, second = sorted((a.id, b.id))
            pairs.append(Pair(first, second, score, reasons))
    pairs.sort(key=lambda p: (-p.score, p.a, p.b))
    return pairs


def _block_keys(r: _Record, proper_df: Counter) -> set[str]:
    keys = {f"tax:{r.tax[:10]}"} if r.tax else set()
    keys |= {f"{kind}:{value}" for kind, value in r.contacts.items()}
    own = r.folded_proper
    if own:
        keys.add(f"name:{''.join(own)}")
    keys |= {f"name:{a}{b}" for a, b in zip(own, own[1:], strict=False)}
    keys |= {f"name:{w}" for w in own if proper_df[w] <= MAX_BLOCK and len(w) > 2}
    return keys


def _own_name_similarity(a: _Record, b: _Record) -> float:
    """How alike two firms' own names are, syllable by syllable. Diacritics count when both
    names have them ("Đồng" is not "Đông"); a syllable that differs more than a typo
    ("Hưng" / "Phương") makes them different names however much else agrees."""
    x, y = (
        (a.parts.proper, b.parts.proper) if a.accented and b.accented else (a.folded_proper, b.folded_proper)
    )
    if not x or not y:
        return 0.0
    if len(x) != len(y):  # "Huy Xuân" / "HuyXuân", or a longer name
        joined = fuzz.ratio("".join(x), "".join(y)) / 100
        return joined if "".join(x) == "".join(y) else 0.85 * joined
    syllables = [fuzz.ratio(u, v) / 100 for u, v in zip(x, y, strict=True)]
    similarity = sum(syllables) / len(syllables)
    return min(similarity, 0.6) if min(syllables) < 0.8 else similarity


Reason = tuple[str, dict[str, Any]]
# Each reason in both languages (officers read Vietnamese; the JSON contract carries English).
REASON_TEXT = {
    "same_tax": ("cùng mã số thuế {tax}", "same tax code {tax}"),
    "branch_tax": (
        "chi nhánh và trụ sở của một doanh nghiệp (mã số thuế {a} và {b})",
        "branch and head office of one enterprise (tax codes {a} and {b})",
    ),
    "different_tax": ("khác mã số thuế ({a} và {b})", "different tax codes ({a} and {b})"),
    "same_name": (
        "tên trùng khi bỏ loại hình và dấu: '{name}'",
        "names match without legal form and diacritics: '{name}'",
    ),
    "similar_name": ("tên gần giống: '{a}' / '{b}' ({pct})", "similar names: '{a}' / '{b}' ({pct})"),
    "different_trades": ("khác ngành: {a} / {b}", "different trades: {a} / {b}"),
    "branch_name": ("một hồ sơ là chi nhánh", "one record names a branch"),
    "same_contact": ("trùng {kind}", "same {kind}"),
    "same_province": ("cùng tỉnh/thành: {province}", "same province: {province}"),
    "different_provinces": ("khác tỉnh/thành: {a} / {b}", "different provinces: {a} / {b}"),
    "products_overlap": ("sản phẩm trùng {pct}", "products overlap {pct}"),
    "no_products": ("không có sản phẩm chung", "no products in common"),
    "different_forms": ("khác loại hình ({a} / {b})", "different legal forms ({a} / {b})"),
}


def reason_text(reason: Reason, lang: str = "en") -> str:
    vi, en = REASON_TEXT[reason[0]]
    return (vi if lang == "vi" else en).format(**reason[1])


def _linked(a: _Record, b: _Record) -> bool:
    """A tax code (or its head office part) or a contact in common."""
    if a.tax and b.tax and a.tax[:10] == b.tax[:10]:
        return True
    return any(a.contacts.get(k) == v for k, v in b.contacts.items())


def score_pair(a: _Record, b: _Record, own: float | None = None) -> tuple[float, list[Reason]]:
    """How likely two records are the same enterprise (0–1), and why."""
    reasons: list[Reason] = []
    own = _own_name_similarity(a, b) if own is None else own
    pa, pb = " ".join(a.parts.proper), " ".join(b.parts.proper)
    ta, tb = set(a.parts.trade), set(b.parts.trade)
    trade = len(ta & tb) / len(ta | tb) if ta and tb else 0.5  # a name without its trade says nothing
    score = 0.8 * own**2 + 0.2 * trade
    if own >= 0.9:
        reasons.append(("same_name", {"name": " ".join(a.parts.core)}))
    elif own >= 0.6:
        reasons.append(("similar_name", {"a": pa, "b": pb, "pct": f"{own:.0%}"}))
    if ta and tb and trade < 0.4:  # "Điện tử" is not "Dây cáp điện", though both say "điện"
        score -= 0.1
        reasons.append(("different_trades", {"a": " ".join(sorted(ta)), "b": " ".join(sorted(tb))}))
    related_branch = bool(a.tax and b.tax and a.tax != b.tax and a.tax[:10] == b.tax[:10])
    if a.parts.branch != b.parts.branch:
        related_branch = True
        reasons.append(("branch_name", {}))
    for kind in ("phone", "email", "website"):
        if kind in a.contacts and a.contacts.get(kind) == b.contacts.get(kind):
            score += 0.15
            reasons.append(("same_contact", {"kind": kind}))
    if a.province and b.province:
        if a.province == b.province:
            score += 0.03
            reasons.append(("same_province", {"province": a.province}))
        elif not related_branch:
            score -= 0.15
            reasons.append(("different_provinces", {"a": a.province, "b": b.province}))
    if a.products and b.products:
        overlap = len(a.products & b.products) / min(len(a.products), len(b.products))
        if overlap >= 0.5:
            score += 0.03
            reasons.append(("products_overlap", {"pct": f"{overlap:.0%}"}))
        elif overlap == 0:
            score -= 0.15
            reasons.append(("no_products", {}))
    if a.parts.legal_form and b.parts.legal_form and a.parts.legal_form != b.parts.legal_form:
        score -= 0.05
        reasons.append(("different_forms", {"a": a.parts.legal_form, "b": b.parts.legal_form}))
    # Tax codes are legal identity: they override everything above.
    if a.tax and b.tax:
        if a.tax == b.tax:
            score = max(score, 0.99)
            reasons.insert(0, ("same_tax", {"tax": a.tax}))
        elif a.tax[:10] == b.tax[:10]:
            score = max(score, 0.9)
            reasons.insert(0, ("branch_tax", {"a": a.tax, "b": b.tax}))
        else:
            score *= 0.3
            reasons.append(("different_tax", {"a": a.tax, "b": b.tax}))
    return max(0.0, min(1.0, score)), reasons
