"""Duplicate detection benchmark: precision and recall on a labelled set, and run time at
10,000 and 100,000 suppliers, with a folded-name baseline (equal names once case, diacritics
and punctuation are ignored: what a spreadsheet gives) measured in the same run.

The set is generated (seeded) the way registrations differ in practice: the same enterprise
without diacritics, with abbreviated or English legal forms ("Cty TNHH", "Co., Ltd", "JSC"),
with business-type words ("SX TM DV"), in English ("Minh Long Aluminium Die Casting"), as a
branch ("Chi nhánh Bắc Ninh – …", tax code -001), with a typo, or by its short name with the
same phone; labelled non-duplicates are different firms with similar names (the same proper
name in another trade or province, one syllable shared, "Minh Long" vs "Minh Long Hai" with
their own tax codes). Background firms fill the rest. Honest limit: the same team wrote the
generator and the matcher's word lists, so these figures are optimistic; real survey lists
will be harder.

    python -m benchmarks.duplicates [--sizes 10000 100000] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
import unicodedata

from matchmaker.records.duplicates import THRESHOLD, find_among, record_of
from models.vocabulary.text import fold

SYLLABLES = (
    "Minh Long Phú Cường Hoàng Gia Thăng Sao Mai Đông Á Tân Phát Kim Việt Hưng An Thịnh Thành Công Đại "
    "Dương Bình Hải Đăng Trường Sơn Nam Quang Hòa Phúc Thiên Bảo Hồng Hà Đức Anh Tiến Đạt Vạn Xuân Phương "
    "Lạc Tâm Trí Nhật Huy Khánh Lộc Tài Vinh Quốc Tuấn Thái Hiệp Toàn Lợi Nguyên Uy Tín Sáng Tạo Đồng Tiến"
).split()
TRADES = [
    ("Đúc nhôm", "Aluminium Die Casting", "vỏ hộp số nhôm"),
    ("Nhựa", "Plastic", "linh kiện nhựa ép phun"),
    ("Khuôn mẫu", "Mould", "khuôn ép nhựa"),
    ("Cơ khí chính xác", "Precision Mechanical", "chi tiết CNC"),
    ("Cao su", "Rubber", "gioăng cao su"),
    ("Bao bì", "Packaging", "thùng carton"),
    ("Điện tử", "Electronics", "bo mạch PCBA"),
    ("Dập kim loại", "Metal Stamping", "chi tiết dập"),
    ("Dây cáp điện", "Electric Cable", "bó dây điện"),
    ("Thép", "Steel", "kết cấu thép"),
    ("Dệt may", "Textile Garment", "vải may mặc"),
    ("Giày da", "Footwear", "đế giày"),
]
PROVINCES = [
    "Hà Nội",
    "Bắc Ninh",
    "Hải Phòng",
    "TP Hồ Chí Minh",
    "Đồng Nai",
    "Bình Dương",
    "Thái Nguyên",
    "Đà Nẵng",
]
LEGAL_VI = ["Công ty TNHH", "Công ty Cổ phần", "Công ty TNHH MTV"]


def strip_accents(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def tax_code(rng: random.Random) -> str:
    return f"0{rng.randint(100000000, 999999999)}"


def firm(rng: random.Random, taken: set) -> dict:
    while True:
        proper = " ".join(rng.sample(SYLLABLES, 2 if rng.random() < 0.6 else 3))
        trade = rng.randrange(len(TRADES))
        if (proper, trade) not in taken:
            taken.add((proper, trade))
            break
    return {
        "proper": proper,
        "trade": trade,
        "legal": rng.choice(LEGAL_VI),
        "province": rng.choice(PROVINCES),
        "tax": tax_code(rng),
        "phone": f"09{rng.randint(10000000, 99999999)}",
    }


def vi_name(f: dict) -> str:
    return f"{f['legal']} {TRADES[f['trade']][0]} {f['proper']}"


def variant(rng: random.Random, f: dict) -> tuple[str, dict]:
    """Another registration of the same enterprise: (name, fields that differ)."""
    trade_vi, trade_en, _ = TRADES[f["trade"]]
    english_form = "JSC" if "Cổ phần" in f["legal"] else "Co., Ltd"
    short_vi = f["legal"].replace("Công ty", "Cty").replace("Cổ phần", "CP")
    kind = rng.choice(["accents", "abbrev", "english", "upper", "branch", "typo", "short"])
    if kind == "accents":
        return strip_accents(vi_name(f)), {}
    if kind == "abbrev":
        return f"{short_vi} {trade_vi} {f['proper']}", {}
    if kind == "english":
        return f"{strip_accents(f['proper'])} {trade_en} {english_form}", {}
    if kind == "upper":
        return f"{f['legal']} SX TM DV {trade_vi} {f['proper']}".upper(), {}
    if kind == "branch":
        where = rng.choice([p for p in PROVINCES if p != f["province"]])
        return f"Chi nhánh {where} - {vi_name(f)}", {"province": where, "tax": f"{f['tax']}-001"}
    if kind == "typo":
        proper = f["proper"]
        i = rng.randrange(1, len(proper) - 1)
        return f"{f['legal']} {trade_vi} {proper[:i] + proper[i + 1 :]}", {}
    return f"{f['proper']} {english_form}", {"phone": f["phone"]}


def build(size: int, seed: int = 7) -> tuple[list, set[tuple[str, str]], int]:
    """Records, the labelled duplicate pairs, and how many hard non-duplicates were planted."""
    rng = random.Random(seed)
    taken: set = set()
    records, positives, hard = [], set(), 0
    planted = max(50, size // 40)

    def add(sid, name, f, **changes):
        g = {**f, **changes}
        keep_tax = changes.get("tax") or (g["tax"] if rng.random() < 0.5 else None)
        extra = {"phone": g["phone"]} if rng.random() < 0.3 or "phone" in changes else {}
        records.append(record_of(sid, name, keep_tax, g["province"], [TRADES[g["trade"]][2]], extra))

    for i in range(planted):  # duplicates
        f = firm(rng, taken)
        add(f"A{i}", vi_name(f), f)
        name, changes = variant(rng, f)
        add(f"B{i}", name, f, **changes)
        positives.add(tuple(sorted((f"A{i}", f"B{i}"))))
    for i in range(planted):  # hard non-duplicates: similar names, different enterprises
        f, other = firm(rng, taken), firm(rng, taken)
        kind = i % 3
        if kind == 0:  # the same proper name in another trade and province
            other["proper"] = f["proper"]
            other["trade"] = (f["trade"] + 1 + i % 5) % len(TRADES)
            other["province"] = rng.choice([p for p in PROVINCES if p != f["province"]])
        elif kind == 1:  # one syllable shared, same trade
            other["proper"] = f"{f['proper'].split()[0]} {rng.choice(SYLLABLES)}"
            other["trade"] = f["trade"]
        else:  # a longer name in the same trade and province, each with its own tax code
            other["proper"] = f"{f['proper']} {rng.choice(SYLLABLES)}"
            other["trade"], other["province"] = f["trade"], f["province"]
        if (other["proper"], other["trade"]) in taken:  # would be the same name as another firm
            continue
        taken.add((other["proper"], other["trade"]))
        for sid, g in ((f"C{i}", f), (f"D{i}", other)):
            tax = g["tax"] if kind == 2 or rng.random() < 0.5 else None
            records.append(record_of(sid, vi_name(g), tax, g["province"], [TRADES[g["trade"]][2]]))
        hard += 1
    while len(records) < size:  # background
        f = firm(rng, taken)
        add(f"X{len(records)}", vi_name(f), f)
    return records, positives, hard


def folded_name_baseline(records) -> set[tuple[str, str]]:
    """What a spreadsheet gives: names equal once case, diacritics and punctuation are ignored."""
    by_name: dict[str, list[str]] = {}
    for r in records:
        by_name.setdefault(re.sub(r"\W+", " ", fold(r.name)).strip(), []).append(r.id)
    return {tuple(sorted((a, b))) for ids in by_name.values() for a in ids for b in ids if a < b}


def evaluate(found: set, positives: set) -> dict:
    tp = len(found & positives)
    return {
        "precision": round(tp / len(found), 3) if found else 0.0,
        "recall": round(tp / len(positives), 3),
        "reported": len(found),
    }


def run(sizes: list[int]) -> list[dict]:
    rows = []
    for size in sizes:
        records, positives, hard = build(size)
        started = time.perf_counter()
        pairs = find_among(records, threshold=THRESHOLD)
        seconds = time.perf_counter() - started
        found = {(p.a, p.b) for p in pairs}
        started = time.perf_counter()
        baseline = folded_name_baseline(records)
        baseline_seconds = time.perf_counter() - started
        rows.append(
            {
                "suppliers": len(records),
                "duplicate_pairs": len(positives),
                "hard_non_duplicates": hard,
                "matcher": {**evaluate(found, positives), "seconds": round(seconds, 2)},
                "folded_name_baseline": {
                    **evaluate(baseline, positives),
                    "seconds": round(baseline_seconds, 2),
                },
            }
        )
        print(f"  {size:,} suppliers done in {seconds:.1f} s", flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = run(args.sizes)
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print(f"threshold {THRESHOLD}")
    print("| suppliers | duplicate / hard non-duplicate pairs | system | precision | recall | reported | s |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        for system in ("matcher", "folded_name_baseline"):
            m = r[system]
            print(
                f"| {r['suppliers']:,} | {r['duplicate_pairs']} / {r['hard_non_duplicates']} | "
                f"{system} | {m['precision']:.3f} | {m['recall']:.3f} | {m['reported']} | {m['seconds']} |"
            )


if __name__ == "__main__":
    main()
