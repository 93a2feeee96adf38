"""HS headings whose own names the lexicon cannot read.

For every heading (and 6-digit subheading) that indexer/vocabulary/hs_capabilities.toml maps,
the lexicon alone reads the nomenclature's name for it; a name in which no node of the heading
(or a node above one) is found is printed as a gap ("9032 controllers  Dụng cụ và thiết bị điều
chỉnh hoặc điều khiển tự động  found: nothing"). This is how the lexicon's words for goods are
checked against the nomenclature rather than against our own pen. Some gaps are gaps by nature:
headings named by reference ("Bộ phận … dùng cho các loại động cơ thuộc nhóm 84.07"), and
subheadings that only make sense under their parent ("Từ các polyme từ etylen").

    python scripts/vocabulary_gaps.py [--lang vn|en] [--headings-only]
"""

from __future__ import annotations

import argparse
import csv
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from indexer.taxonomy import default_taxonomy  # noqa: E402
from scripts.build_capability_classifier import _GENERIC, labeller  # noqa: E402

RULES = ROOT / "indexer" / "vocabulary" / "hs_capabilities.toml"


def gaps(shared: Path, lang: str = "vn", headings_only: bool = False):
    """(code, the heading's nodes, its name, the nodes the lexicon found) for each gap."""
    taxonomy = default_taxonomy()
    mapped = tomllib.loads(RULES.read_text(encoding="utf-8"))["headings"]
    labels = labeller(RULES)
    with (shared / "hs-nomenclature-2022-vi-en.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code = row["hs_code"] or row["heading"]
            if int(row["level"]) > 0 and len(row["hs_code"] or "") != 6:
                continue
            if (headings_only and len(code) != 4) or not any(code.startswith(k) for k in mapped):
                continue
            name = row[f"desc_{lang}"]
            if name.strip().lower() in _GENERIC:
                continue
            found = {hit.concept for hit in taxonomy.find(name)}
            reach = found | {a for cid in found for a in taxonomy.ancestors(cid)}
            if not reach & set(labels(code)):
                yield code, labels(code), name, sorted(found)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared-data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--lang", choices=("vn", "en"), default="vn")
    parser.add_argument("--headings-only", action="store_true")
    args = parser.parse_args()
    count = 0
    for code, nodes, name, found in gaps(args.shared_data, args.lang, args.headings_only):
        count += 1
        print(f"{code:8} {', '.join(nodes):40} {name[:90]}  found: {', '.join(found) or 'nothing'}")
    print(f"{count} gaps", file=sys.stderr)


if __name__ == "__main__":
    main()
