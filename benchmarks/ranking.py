"""Ranking benchmark: nDCG@10, Recall@20 and MRR, overall and per query language, for the
hybrid ranker and three baselines (BM25 only, dense only, and their reciprocal-rank fusion),
all in one run on the same index.

Sets:
  * dev: the bundled sample data and benchmarks/data/judgments.jsonl (grades 0-3 from
    scripts/generate_sample_data.py) — text this team wrote, on both sides.
  * real-test (real-tune): real customs goods descriptions as requirements against the sample
    suppliers, graded by hs_heading_makers.toml (HS heading → which sample archetype makes it).
  * real-tune-cv: the tune half cross-fitted, the figure to tune against. The tune half's
    queries are the very texts its classifier learnt from, so real-tune flatters it (0.74
    against 0.61 on test); here each of the tune half's two folds is ranked with a classifier
    that learnt from the other fold only (TUNE_FOLD_CLASSIFIERS).
  * goods-test: real text on both sides — suppliers whose profiles list the goods names of
    the tune half's customs descriptions (one HS heading each), queried by test-half
    descriptions; same heading grade 3, same HS chapter grade 1.
"Relevant" for Recall and MRR means grade >= 2. Foreign-owned suppliers are filtered out of
every system's candidates alike (a contract rule, not a ranking skill). Every set runs with
the classifier trained on the tune half only (TUNE_CLASSIFIER).

    python -m benchmarks.ranking [--data-dir DIR] [--json] [--sets dev,real-test,goods-test]
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
# The shipped classifier learnt from every customs description; this twin learnt from the tune
# half only (scripts/build_capability_classifier.py), and every set here runs with it.
TUNE_CLASSIFIER = DATA / "capability_classifier_tune.npz"
# …and twins that learnt from one fold of the tune half each (for real-tune-cv).
TUNE_FOLD_CLASSIFIERS = {fold: DATA / f"capability_classifier_tune_{fold}.npz" for fold in ("a", "b")}
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
    """name → function(requirement id) → ranked supplier ids. The baselines read the
    requirement as plain engines would: BM25 over every folded word of its text, the dense
    retriever over its whole text (not the ranker's cleaned reading of it)."""
    from indexer.backends.base import Query
    from indexer.documents import content_tokens
    from matchmaker.matching import service as matching
    from models.requirement import Requirement

    plain: dict[str, Query] = {}

    def _query(rid):
        if rid not in plain:
            with ws.sessions() as session:
                record = session.get(Requirement, rid)
                text = ". ".join(t for t in (record.title, record.description) if t)
                foreign = bool(record.include_foreign_owned)
            vector = ws.encoder.encode_queries([text])[0]
            filters = {} if foreign else {"ownership": matching.MAKERS}
            plain[rid] = Query(content_tokens(text), [], vector, filters)
        return plain[rid]

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


def tune_fold(text: str) -> str:
    """The tune half's two folds, by the second hex digit of the same SHA-256: even → "a"."""
    return "a" if int(hashlib.sha256(text.encode("utf-8")).hexdigest()[1], 16) % 2 == 0 else "b"


def in_part(text: str, part: str) -> bool:
    """Whether a customs description belongs to `part`: "all", "tune", "test", "tune-a" or "tune-b"."""
    if part == "all":
        return True
    half, _, fold = part.partition("-")
    return split_of(text) == half and (not fold or tune_fold(text) == fold)


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


GOODS_PER_SUPPLIER = 6


def goods_set() -> tuple[list[dict], list[dict]]:
    """(suppliers, queries) of the goods-test set: real text on both sides.

    Each supplier stands for one HS heading: its products are the goods names (tenHang) of up
    to six tune-half descriptions of that heading, its materials theirs, its description "Chuyên
    sản xuất …" (at most two suppliers a heading). Queries are test-half descriptions of the
    headings some supplier covers, at most two a heading."""
    rows = [json.loads(line) for line in CUSTOMS.read_text(encoding="utf-8").splitlines()]
    rows.sort(key=lambda r: hashlib.sha256(r["sampleDesc"].encode("utf-8")).hexdigest())
    by_heading: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        if split_of(row["sampleDesc"]) == "tune" and row.get("tenHang"):
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
        if split_of(row["sampleDesc"]) != "test" or heading not in covered or taken[heading] >= 2:
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


def _import_rows(ws, path: Path, kind: str, rows: list[dict]) -> None:
    """Write rows as a JSONL file and import it as any user's file would be."""
    from matchmaker.records import importing

    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    with ws.sessions() as session:
        report = importing.import_file(db_session=session, kind=kind, path=path)
    assert report.ok, report.errors[:3]


def _requirement_rows(queries: list[dict]) -> list[dict]:
    """Queries as a buyer's requirements file would carry them."""
    return [{"id": q["requirement_id"], "lead_firm": "Benchmark", "title": q["text"]} for q in queries]


def _use_classifier(path: Path) -> None:
    from indexer.classifier import MODEL_SETTING, default_classifier

    os.environ[MODEL_SETTING] = str(path)
    default_classifier.cache_clear()


def _cross_fitted_tune(data_dir: Path, truths: dict[str, dict]) -> dict:
    """real-tune-cv: each fold of the tune half in a workspace whose classifier learnt from the
    other fold; the two folds' metrics pooled, weighed by their queries."""
    from matchmaker.matching import indexing
    from matchmaker.records import importing
    from matchmaker.workspace import Workspace

    folds = []
    for fold, other in (("a", "b"), ("b", "a")):
        _use_classifier(TUNE_FOLD_CLASSIFIERS[other])
        queries = [q for q in real_text_queries("tune") if tune_fold(q["text"]) == fold]
        ws = Workspace.at(data_dir / f"tune-{fold}")
        importing.import_sample_data(ws)
        _import_rows(ws, data_dir / f"tune-{fold}.jsonl", "requirements", _requirement_rows(queries))
        indexing.update_index(ws)
        folds.append(_evaluate(ws, queries, truths))
        ws.close()
    _use_classifier(TUNE_CLASSIFIER)
    pooled: dict = {}
    for system in folds[0]:
        parts = [f[system]["all"] for f in folds]
        total = sum(p["queries"] for p in parts)
        pooled[system] = {
            lang: {
                metric: round(sum(p[metric] * p["queries"] for p in parts) / total, 3)
                for metric in ("ndcg@10", "recall@20", "mrr")
            }
            | {"queries": total}
            for lang in ("all", "vi")
        }
        pooled[system]["all"]["certificate_violations"] = sum(p["certificate_violations"] for p in parts)
    return pooled


def run(data_dir: Path, sets: tuple[str, ...] = ("dev", "real-test", "goods-test")) -> dict:
    """{set name: {system: {language: metrics}}}, every system in the same run."""
    _use_classifier(TUNE_CLASSIFIER)  # before anything loads a classifier
    from matchmaker.matching import indexing
    from matchmaker.records import importing
    from matchmaker.workspace import Workspace

    results = {}
    truths = _truths()
    if "real-tune-cv" in sets:
        results["real-tune-cv"] = _cross_fitted_tune(data_dir, truths)
    sample_sets = [name for name in sets if name == "dev" or name in ("real-tune", "real-test")]
    if sample_sets:
        ws = Workspace.at(data_dir / "sample")
        importing.import_sample_data(ws)
        sets_judgments = {}
        for name in sample_sets:
            if name == "dev":
                sets_judgments["dev"] = _load_judgments()
                continue
            queries = real_text_queries(name.removeprefix("real-"))
            _import_rows(ws, data_dir / f"{name}.jsonl", "requirements", _requirement_rows(queries))
            sets_judgments[name] = queries
        indexing.update_index(ws)
        results.update({name: _evaluate(ws, sets_judgments[name], truths) for name in sample_sets})
    if "goods-test" in sets:
        ws = Workspace.at(data_dir / "goods")
        suppliers, queries = goods_set()
        _import_rows(
            ws,
            data_dir / "goods-suppliers.jsonl",
            "suppliers",
            [{k: v for k, v in s.items() if k != "heading"} for s in suppliers],
        )
        _import_rows(ws, data_dir / "goods-queries.jsonl", "requirements", _requirement_rows(queries))
        indexing.update_index(ws)
        results["goods-test"] = _evaluate(ws, queries, truths)
    return results


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
        default="dev,real-test,goods-test",
        help="comma-separated: dev, real-test, real-tune, real-tune-cv, goods-test "
        "(default: dev,real-test,goods-test)",
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
