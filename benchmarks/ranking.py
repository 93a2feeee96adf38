"""Ranking benchmark: nDCG@10, Recall@20 and MRR, overall and per query language, for the
hybrid ranker and three baselines (BM25 only, dense only, and their reciprocal-rank fusion),
all in one run on the same index.

Dev set: the bundled sample data and benchmarks/data/judgments.jsonl (grades 0-3 from
scripts/generate_sample_data.py). "Relevant" for Recall and MRR means grade >= 2.
Foreign-owned suppliers are filtered out of every system's candidates alike (a contract
rule, not a ranking skill).

    python -m benchmarks.ranking [--data-dir DIR] [--json]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import tempfile
from collections import defaultdict
from pathlib import Path

JUDGMENTS = Path(__file__).parent / "data" / "judgments.jsonl"
RELEVANT = 2


def ndcg(ranked: list[str], grades: dict[str, int], k: int = 10) -> float:
    gains = [(2 ** grades.get(s, 0) - 1) / math.log2(i + 2) for i, s in enumerate(ranked[:k])]
    ideal = sorted(grades.values(), reverse=True)[:k]
    best = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return sum(gains) / best if best else 0.0


def recall(ranked: list[str], grades: dict[str, int], k: int = 20) -> float:
    relevant = {s for s, g in grades.items() if g >= RELEVANT}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0


def mrr(ranked: list[str], grades: dict[str, int]) -> float:
    return next((1 / (i + 1) for i, s in enumerate(ranked) if grades.get(s, 0) >= RELEVANT), 0.0)


def systems(ws):
    """name → function(requirement id) → ranked supplier ids."""
    from indexer.backends.base import Query
    from matchmaker import matching

    def _query(rid):
        doc, vector = matching.requirement_for(ws, rid)
        filters = {} if doc.payload["include_foreign_owned"] else {"ownership": matching.MAKERS}
        return Query(doc.lexical_text.split(), doc.concept_text.split(), vector, filters)

    def hybrid(rid):
        return [m.supplier_id for m in matching.match_requirement(ws, rid, top=20)]

    def bm25(rid):
        return [c.id for c in ws.backend.lexical("supplier", _query(rid), 20, use_concepts=False)]

    def dense(rid):
        return [c.id for c in ws.backend.dense("supplier", _query(rid), 20)]

    def rrf(rid):
        q = _query(rid)
        scores = defaultdict(float)
        for found in (
            ws.backend.lexical("supplier", q, 100, use_concepts=False),
            ws.backend.dense("supplier", q, 100),
        ):
            for rank, c in enumerate(found, start=1):
                scores[c.id] += 1 / (60 + rank)
        return sorted(scores, key=lambda s: -scores[s])[:20]

    return {"hybrid": hybrid, "bm25": bm25, "dense": dense, "rrf(bm25,dense)": rrf}


def run(data_dir: Path) -> dict:
    os.environ["MATCHMAKER_DATA_DIR"] = str(data_dir)
    from matchmaker import importing, indexing
    from matchmaker.workspace import Workspace

    ws = Workspace.from_env()
    importing.import_sample_data(ws)
    indexing.update_index(ws)
    judgments = [json.loads(line) for line in JUDGMENTS.read_text(encoding="utf-8").splitlines()]
    results: dict[str, dict[str, dict[str, float]]] = {}
    for name, rank in systems(ws).items():
        per_lang: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
        for j in judgments:
            ranked = rank(j["requirement_id"])
            scores = (ndcg(ranked, j["grades"]), recall(ranked, j["grades"]), mrr(ranked, j["grades"]))
            per_lang[j["lang"]].append(scores)
            per_lang["all"].append(scores)
        results[name] = {
            lang: {
                metric: round(statistics.mean(s[i] for s in rows), 3)
                for i, metric in enumerate(("ndcg@10", "recall@20", "mrr"))
            }
            | {"queries": len(rows)}
            for lang, rows in per_lang.items()
        }
    return results


def print_table(results: dict) -> None:
    langs = ["all", "en", "vi", "ko", "ja", "zh"]
    print(f"{'system':<18}{'metric':<11}" + "".join(f"{lang:>7}" for lang in langs))
    for name, by_lang in results.items():
        for metric in ("ndcg@10", "recall@20", "mrr"):
            cells = "".join(f"{by_lang.get(lang, {}).get(metric, float('nan')):>7.3f}" for lang in langs)
            print(f"{name:<18}{metric:<11}{cells}")
    counts = results[next(iter(results))]
    print("queries: " + ", ".join(f"{lang} {counts[lang]['queries']}" for lang in langs if lang in counts))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data-dir", type=Path, help="workspace to use (default: a fresh temporary one)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results = run(args.data_dir or Path(tmp))
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print_table(results)


if __name__ == "__main__":
    main()
