"""Top-3 precision on short buyer texts written for spot checks, beside the graded sets.

Each line of benchmarks/data/probe_texts.tsv names a group, the sample archetypes that make the
goods, and a buyer's text: customs-style Vietnamese for goods the customs data holds few of
(footwear, garments, plating, seats, railway), metal and electrical parts, English requests,
Chinese, Japanese and Korean briefs, Vietnamese buyers' own briefs (orders, quotes, quantities)
and the same typed without diacritics, RFQ-style spec sheets, goods named only as a part of
something ("Phụ tùng của máy bơm"); and, in five languages, sourcing briefs that ask for a
maker ("a die caster for …", "xưởng đúc nhôm cho …") and the issue's classes of error reworded
(the thing bought against its use, material and form to process), and garments against the
trades that only sew (car seats). Each text is searched
(`matching.search`, as the web's search box) against the bundled sample suppliers; precision@3
is the share of the top three whose archetype (benchmarks/data/supplier_truth.jsonl) is one of
those named. These are our own texts: a check that readings hold on goods and phrasings nobody
tuned on, not a figure to tune against.

    python -m benchmarks.probes [--data-dir DIR] [--misses]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from collections import defaultdict
from pathlib import Path

from benchmarks.real_text import DATA, supplier_truths

PROBES = DATA / "probe_texts.tsv"


def load_probes() -> list[tuple[str, set[str], str]]:
    """(group, archetypes that make the goods, text) for each probe."""
    rows = []
    for line in PROBES.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            group, makers, text = line.split("\t")
            rows.append((group, set(makers.split(",")), text))
    return rows


def run(data_dir: Path, show_misses: bool = False) -> dict[str, float]:
    """{group: mean precision@3} and "all"."""
    from matchmaker.matching import indexing
    from matchmaker.matching import service as matching
    from matchmaker.records import importing
    from matchmaker.workspace import Workspace

    ws = Workspace.at(data_dir / "sample")
    importing.import_sample_data(ws)
    indexing.update_index(ws)
    truths = supplier_truths()
    by_group: dict[str, list[float]] = defaultdict(list)
    for group, makers, text in load_probes():
        top = [truths[m.supplier_id]["archetype"] for m in matching.search(ws, text, top=3)]
        precision = sum(a in makers for a in top) / 3
        by_group[group].append(precision)
        by_group["all"].append(precision)
        if show_misses and precision < 1:
            print(f"{precision:.2f}  wants {', '.join(sorted(makers))}: {text}\n      got {', '.join(top)}")
    ws.close()
    return {group: round(statistics.mean(values), 3) for group, values in by_group.items()}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data-dir", type=Path, help="workspace to use (default: a fresh temporary one)")
    parser.add_argument("--misses", action="store_true", help="print each text not fully right")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results = run(args.data_dir or Path(tmp), args.misses)
    counts = defaultdict(int)
    for group, _, _ in load_probes():
        counts[group] += 1
        counts["all"] += 1
    for group in counts:  # in the file's order, "all" last
        if group != "all":
            print(f"{group:<28} precision@3 {results[group]:.3f}  ({counts[group]} texts)")
    print(f"{'all':<28} precision@3 {results['all']:.3f}  ({counts['all']} texts)")


if __name__ == "__main__":
    main()
