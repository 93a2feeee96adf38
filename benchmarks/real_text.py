"""The ranking benchmark's real-text sets: customs goods descriptions as requirements, their
fixed tune/test split and the tune half's two folds, and grading by HS heading
(hs_heading_makers.toml) against the sample suppliers' known archetypes (supplier_truth.jsonl)."""

from __future__ import annotations

import hashlib
import json
import os
import tomllib
from collections import defaultdict
from pathlib import Path

DATA = Path(__file__).parent / "data"
TRUTH = DATA / "supplier_truth.jsonl"
HS_MAKERS = DATA / "hs_heading_makers.toml"
# The shipped classifier learnt from every customs description; this twin learnt from the tune
# half only (scripts/build_capability_classifier.py), and every set here runs with it.
TUNE_CLASSIFIER = DATA / "capability_classifier_tune.npz"
# …and twins that learnt from one fold of the tune half each (for real-tune-cv).
TUNE_FOLD_CLASSIFIERS = {fold: DATA / f"capability_classifier_tune_{fold}.npz" for fold in ("a", "b")}
SHARED_DATA = Path(os.environ.get("MATCHMAKER_SHARED_DATA", Path(__file__).parents[2] / "shared" / "data"))
CUSTOMS = SHARED_DATA / "customs-goods" / "descriptions-supporting-industry-chapters.jsonl"
PER_HEADING = 4


def supplier_truths() -> dict[str, dict]:
    rows = (json.loads(line) for line in TRUTH.read_text(encoding="utf-8").splitlines())
    return {row["supplier_id"]: row for row in rows}


def grade(target: list[str], related: list[str], truth: dict, required: list[str]) -> int:
    """The generator's rule: 3 the maker, 2 related or missing a certificate, 1 a trader."""
    if truth["ownership"] == "fdi":
        return 0
    if truth["archetype"] in target:
        base = 3
    elif truth["archetype"] in related:
        base = 2
    else:
        return 0
    if truth["trader"]:
        return 1
    return base - 1 if any(c not in truth["held"] for c in required) else base


def split_of(text: str) -> str:
    """The fixed tune/test rule: the first hex digit of the description's SHA-256, even → tune."""
    return "tune" if int(hashlib.sha256(text.encode("utf-8")).hexdigest()[0], 16) % 2 == 0 else "test"


def tune_fold(text: str) -> str:
    """The tune half's two folds, by the second hex digit of the same SHA-256: even → "a"."""
    return "a" if int(hashlib.sha256(text.encode("utf-8")).hexdigest()[1], 16) % 2 == 0 else "b"


def in_part(text: str, part: str) -> bool:
    """Whether a customs description belongs to `part`: "all", "tune", "test", "tune-a" or "tune-b"."""
    if part == "all":
        return True
    half, _, fold = part.partition("-")
    return split_of(text) == half and (not fold or tune_fold(text) == fold)


def real_text_queries(half: str, per_heading: int = PER_HEADING, beyond: int = 0) -> list[dict]:
    """Customs descriptions of one half whose HS code a mapped heading covers, at most
    `per_heading` per mapping key (so heading 3926's 332 rows do not drown the rest),
    each graded against the sample suppliers by hs_heading_makers.toml. With `beyond`, the
    first `beyond` of each key are passed over: real-tune-extra-cv takes the tune half's next
    four of each key, texts that vocabulary work on the tune queries never looked at."""
    rules = tomllib.loads(HS_MAKERS.read_text(encoding="utf-8"))
    truths = supplier_truths()
    taken: dict[str, int] = defaultdict(int)
    queries = []
    # a text passed over under one key is not taken under another (the data repeats a few)
    passed_over = {q["text"] for q in real_text_queries(half, beyond)} if beyond else set()
    rows = [json.loads(line) for line in CUSTOMS.read_text(encoding="utf-8").splitlines()]
    rows.sort(key=lambda r: hashlib.sha256(r["sampleDesc"].encode("utf-8")).hexdigest())
    for row in rows:
        text = row["sampleDesc"]
        key = max((k for k in rules if row["hsCode"].startswith(k)), key=len, default=None)
        if key is None or split_of(text) != half or taken[key] >= beyond + per_heading:
            continue
        rule = rules[key]
        target, related = rule.get("target", []), rule.get("related", [])
        grades = {sid: g for sid, t in truths.items() if (g := grade(target, related, t, [])) > 0}
        if not grades:
            continue
        taken[key] += 1
        if taken[key] <= beyond or text in passed_over:
            continue
        number = len(queries) + 1
        queries.append(
            {
                "requirement_id": f"{'HX' if beyond else 'HS'}-{half}-{number:03d}",
                "lang": "vi",
                "hs_code": row["hsCode"],
                "text": text,
                "target": target,
                "related": related,
                "required_certifications": [],
                "grades": grades,
            }
        )
    return queries


GOODS_PER_SUPPLIER = 6


def goods_set(supplier_part: str = "tune", query_part: str = "test") -> tuple[list[dict], list[dict]]:
    """(suppliers, queries) of the goods-test set: real text on both sides.

    Each supplier stands for one HS heading: its products are the goods names (tenHang) of up
    to six descriptions of that heading from `supplier_part`, its materials theirs, its
    description "Chuyên sản xuất …" (at most two suppliers a heading). Queries are descriptions
    from `query_part` of the headings some supplier covers, at most two a heading. goods-test
    is ("tune", "test"); goods-tune-cv takes one fold of the tune half for each side."""
    rows = [json.loads(line) for line in CUSTOMS.read_text(encoding="utf-8").splitlines()]
    rows.sort(key=lambda r: hashlib.sha256(r["sampleDesc"].encode("utf-8")).hexdigest())
    by_heading: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        if in_part(row["sampleDesc"], supplier_part) and row.get("tenHang"):
            by_heading[row["hsCode"][:4]].append(row)
    suppliers = []
    for heading, found in sorted(by_heading.items()):
        for start in range(0, min(len(found), 2 * GOODS_PER_SUPPLIER), GOODS_PER_SUPPLIER):
            part = found[start : start + GOODS_PER_SUPPLIER]
            if len(part) < 2:
                break
            names = list(dict.fromkeys(r["tenHang"] for r in part))
            materials = [m for m in dict.fromkeys(r.get("chatLieu") for r in part) if isinstance(m, str)]
            sid = f"G{heading}-{start // GOODS_PER_SUPPLIER + 1}"
            suppliers.append(
                {
                    "id": sid,
                    "name": f"Công ty TNHH Sản xuất {sid}",
                    "products": names[:5],
                    "materials": materials[:3],
                    "description": "Chuyên sản xuất " + ", ".join(n.lower() for n in names[:3]) + ".",
                    "heading": heading,
                }
            )
    covered = {s["heading"] for s in suppliers}
    taken: dict[str, int] = defaultdict(int)
    queries = []
    for row in rows:
        heading = row["hsCode"][:4]
        if not in_part(row["sampleDesc"], query_part) or heading not in covered or taken[heading] >= 2:
            continue
        taken[heading] += 1
        grades = {
            s["id"]: 3 if s["heading"] == heading else 1 for s in suppliers if s["heading"][:2] == heading[:2]
        }
        queries.append(
            {
                "requirement_id": f"GQ-{len(queries) + 1:03d}",
                "lang": "vi",
                "text": row["sampleDesc"],
                "required_certifications": [],
                "grades": grades,
            }
        )
    return suppliers, queries
