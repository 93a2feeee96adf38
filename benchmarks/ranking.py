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
import hashlib
import json
import math
import os
import statistics
import tempfile
import tomllib
from collections import defaultdict
from pathlib import Path

DATA = Path(__file__).parent / "data"
JUDGMENTS = DATA / "judgments.jsonl"
TRUTH = DATA / "supplier_truth.jsonl"
HS_MAKERS = DATA / "hs_heading_makers.toml"
SHARED_DATA = Path(os.environ.get("MATCHMAKER_SHARED_DATA", Path(__file__).parents[2] / "shared" / "data"))
CUSTOMS = SHARED_DATA / "customs-goods" / "descriptions-supporting-industry-chapters.jsonl"
RELEVANT = 2
PER_HEADING = 4


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


def _load_judgments() -> list[dict]:
    return [json.loads(line) for line in JUDGMENTS.read_text(encoding="utf-8").splitlines()]


def _truths() -> dict[str, dict]:
    rows = (json.loads(line) for line in TRUTH.read_text(encoding="utf-8").splitlines())
    return {row["supplier_id"]: row for row in rows}


def _grade(target: list[str], related: list[str], truth: dict, required: list[str]) -> int:
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


def real_text_queries(half: str, per_heading: int = PER_HEADING) -> list[dict]:
    """Customs descriptions of one half whose HS code a mapped heading covers, at most
    `per_heading` per mapping key (so heading 3926's 332 rows do not drown the rest),
    each graded against the sample suppliers by hs_heading_makers.toml."""
    rules = tomllib.loads(HS_MAKERS.read_text(encoding="utf-8"))
    truths = _truths()
    taken: dict[str, int] = defaultdict(int)
    queries = []
    rows = [json.loads(line) for line in CUSTOMS.read_text(encoding="utf-8").splitlines()]
    rows.sort(key=lambda r: hashlib.sha256(r["sampleDesc"].encode("utf-8")).hexdigest())
    for row in rows:
        text = row["sampleDesc"]
        key = max((k for k in rules if row["hsCode"].startswith(k)), key=len, default=None)
        if key is None or split_of(text) != half or taken[key] >= per_heading:
            continue
        rule = rules[key]
        target, related = rule.get("target", []), rule.get("related", [])
        grades = {sid: g for sid, t in truths.items() if (g := _grade(target, related, t, [])) > 0}
        if not grades:
            continue
        taken[key] += 1
        number = len(queries) + 1
        queries.append(
            {
                "requirement_id": f"HS-{half}-{number:03d}",
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


def certificate_violations(ranked: list[str], judgment: dict, truths: dict[str, dict]) -> int:
    """Pairs where a supplier that can make the thing but lacks a required certificate ranks
    above one that can and holds every one. "Can make": the requirement's target archetype,
    not a trader; a related archetype (a fabric mill for a yarn request) is not counted,
    since the hard order applies among suppliers that make what is asked."""
    required = judgment.get("required_certifications") or []
    if not required:
        return 0
    target = judgment.get("target") or []
    capable = {target} if isinstance(target, str) else set(target)
    seen_missing = 0
    violations = 0
    for sid in ranked:
        truth = truths.get(sid)
        if not truth or truth["archetype"] not in capable or truth["trader"]:
            continue
        if all(c in truth["held"] for c in required):
            violations += seen_missing
        else:
            seen_missing += 1
    return violations


def _evaluate(ws, judgments: list[dict], truths: dict[str, dict]) -> dict:
    results: dict[str, dict[str, dict[str, float]]] = {}
    for name, rank in systems(ws).items():
        per_lang: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
        violations = 0
        for j in judgments:
            ranked = rank(j["requirement_id"])
            scores = (ndcg(ranked, j["grades"]), recall(ranked, j["grades"]), mrr(ranked, j["grades"]))
            per_lang[j["lang"]].append(scores)
            per_lang["all"].append(scores)
            violations += certificate_violations(ranked, j, truths)
        results[name] = {
            lang: {
                metric: round(statistics.mean(s[i] for s in rows), 3)
                for i, metric in enumerate(("ndcg@10", "recall@20", "mrr"))
            }
            | {"queries": len(rows)}
            for lang, rows in per_lang.items()
        }
        results[name]["all"]["certificate_violations"] = violations
    return results


def run(data_dir: Path, sets: tuple[str, ...] = ("dev", "real-test")) -> dict:
    """{set name: {system: {language: metrics}}}, every system in the same run."""
    os.environ["MATCHMAKER_DATA_DIR"] = str(data_dir)
    from matchmaker import importing, indexing
    from matchmaker.workspace import Workspace

    ws = Workspace.from_env()
    importing.import_sample_data(ws)
    truths = _truths()
    sets_judgments = {}
    if "dev" in sets:
        sets_judgments["dev"] = _load_judgments()
    for name in sets:
        if name.startswith("real-"):
            queries = real_text_queries(name.removeprefix("real-"))
            path = data_dir / f"{name}.jsonl"  # imported as any buyer's file would be
            with path.open("w", encoding="utf-8") as handle:
                for q in queries:
                    row = {"id": q["requirement_id"], "lead_firm": "Customs benchmark", "title": q["text"]}
                    handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            with ws.sessions() as session:
                report = importing.import_file(db_session=session, kind="requirements", path=path)
            assert report.ok, report.errors[:3]
            sets_judgments[name] = queries
    indexing.update_index(ws)
    return {name: _evaluate(ws, judgments, truths) for name, judgments in sets_judgments.items()}


def print_table(results: dict) -> None:
    langs = ["all", "en", "vi", "ko", "ja", "zh"]
    for set_name, by_system in results.items():
        print(f"== {set_name} ==")
        print(f"{'system':<18}{'metric':<11}" + "".join(f"{lang:>7}" for lang in langs) + "  cert-violations")
        for name, by_lang in by_system.items():
            for metric in ("ndcg@10", "recall@20", "mrr"):
                cells = "".join(f"{by_lang.get(lang, {}).get(metric, float('nan')):>7.3f}" for lang in langs)
                tail = f"  {by_lang['all']['certificate_violations']}" if metric == "ndcg@10" else ""
                print(f"{name:<18}{metric:<11}{cells}{tail}")
        counts = by_system[next(iter(by_system))]
        print(
            "queries: " + ", ".join(f"{lang} {counts[lang]['queries']}" for lang in langs if lang in counts)
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data-dir", type=Path, help="workspace to use (default: a fresh temporary one)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument(
        "--sets",
        default="dev,real-test",
        help="comma-separated: dev, real-test, real-tune (default: dev,real-test; report the test half)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results = run(args.data_dir or Path(tmp), tuple(args.sets.split(",")))
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print_table(results)


if __name__ == "__main__":
    main()
