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
  * real-tune-extra-cv: the tune half's next four descriptions of each heading, cross-fitted the
    same way. The vocabulary's words were partly found in real-tune's misses, so real-tune-cv
    flatters them; these texts were never read for them (0.74 where real-tune-cv says 0.80).
  * goods-test: real text on both sides — suppliers whose profiles list the goods names of
    the tune half's customs descriptions (one HS heading each), queried by test-half
    descriptions; same heading grade 3, same HS chapter grade 1.
  * goods-tune-cv: goods-test's tuning twin inside the tune half — suppliers from one fold,
    queries from the other, ranked with the classifier of the suppliers' fold.
  * dev-plain, real-tune-cv-plain: dev and real-tune-cv with every sample profile typed without
    diacritics (a fifth of the sample's Vietnamese profiles already are): what is lost when
    firms type plain.
  * real-test-typed-plain: real-test's descriptions typed without diacritics, as buyers often
    type them: what is lost when buyers type plain (indexer/diacritics.py restores them; its
    counts come from the tune half, never from these texts).
benchmarks/unseen_families.py ranks real-tune's queries of one goods family with a classifier that
never read that family's customs descriptions, as a buyer's goods from another family would be.
"Relevant" for Recall and MRR means grade >= 2. Foreign-owned suppliers are filtered out of
every system's candidates alike (a contract rule, not a ranking skill). Every set runs with
the classifier trained on the tune half only (TUNE_CLASSIFIER).

    python -m benchmarks.ranking [--data-dir DIR] [--json] [--sets dev,real-test,goods-test]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import tempfile
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Any

from benchmarks.real_text import (
    DATA,
    PER_HEADING,
    TUNE_CLASSIFIER,
    TUNE_FOLD_CLASSIFIERS,
    goods_set,
    real_text_queries,
    supplier_truths,
    tune_fold,
)

JUDGMENTS = DATA / "judgments.jsonl"
FOLDS = (("a", "b"), ("b", "a"))  # (the fold ranked, the fold its classifier learnt from)
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


def _cross_fitted(folds: list[tuple[Path, Callable[[], tuple[Any, list[dict]]]]]) -> dict:
    """The metrics of each fold's (classifier, build → workspace and judgments) pooled, weighed
    by their queries; each fold ranked with a classifier that never saw its queries."""
    results = []
    truths = supplier_truths()
    for classifier, build in folds:
        _use_classifier(classifier)
        ws, queries = build()
        results.append(_evaluate(ws, queries, truths))
        ws.close()
    _use_classifier(TUNE_CLASSIFIER)
    return pooled(results)


def pooled(results: list[dict]) -> dict:
    """Several runs' metrics as one, each weighed by its queries."""
    merged: dict = {}
    for system in results[0]:
        parts = [f[system]["all"] for f in results]
        total = sum(p["queries"] for p in parts)
        merged[system] = {
            lang: {
                metric: round(sum(p[metric] * p["queries"] for p in parts) / total, 3)
                for metric in ("ndcg@10", "recall@20", "mrr")
            }
            | {"queries": total}
            for lang in ("all", "vi")
        }
        merged[system]["all"]["certificate_violations"] = sum(p["certificate_violations"] for p in parts)
    return merged


def typed_plain(text: Any) -> Any:
    """Text as typed without diacritics ("Đúc nhôm" → "Duc nhom"), case kept."""
    if not isinstance(text, str):
        return text
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn"))


def _import_sample(ws, data_dir: Path, plain: bool = False) -> None:
    """The bundled sample data; with `plain`, every supplier profile typed without diacritics."""
    from matchmaker.records import importing

    if not plain:
        importing.import_sample_data(ws)
        return
    sample = resources.files("matchmaker") / "sample_data"
    suppliers = [json.loads(line) for line in (sample / "suppliers.jsonl").read_text("utf-8").splitlines()]
    for row in suppliers:
        row.update({k: typed_plain(row.get(k)) for k in ("name", "description")})
        row.update(
            {k: [typed_plain(x) for x in row.get(k) or []] for k in ("products", "processes", "materials")}
        )
    requirements = [
        json.loads(line) for line in (sample / "requirements.jsonl").read_text("utf-8").splitlines()
    ]
    _import_rows(ws, data_dir / "plain-suppliers.jsonl", "suppliers", suppliers)
    _import_rows(ws, data_dir / "plain-requirements.jsonl", "requirements", requirements)


def _tune_fold_workspace(data_dir: Path, fold: str, plain: bool = False, beyond: int = 0):
    """real-tune-cv's workspace for one fold: the sample suppliers, that fold's queries (with
    `beyond`, real-tune-extra-cv's)."""
    from matchmaker.matching import indexing
    from matchmaker.workspace import Workspace

    queries = [q for q in real_text_queries("tune", beyond=beyond) if tune_fold(q["text"]) == fold]
    ws = Workspace.at(data_dir / f"tune-{fold}{'-plain' if plain else ''}{'-extra' if beyond else ''}")
    _import_sample(ws, data_dir, plain)
    _import_rows(ws, data_dir / f"tune-{fold}.jsonl", "requirements", _requirement_rows(queries))
    indexing.update_index(ws)
    return ws, queries


def _goods_workspace(data_dir: Path, name: str, supplier_part: str, query_part: str):
    """A goods set's workspace: suppliers listing one part's goods names, the other's queries."""
    from matchmaker.matching import indexing
    from matchmaker.workspace import Workspace

    suppliers, queries = goods_set(supplier_part, query_part)
    ws = Workspace.at(data_dir / name)
    rows = [{k: v for k, v in s.items() if k != "heading"} for s in suppliers]
    _import_rows(ws, data_dir / f"{name}-suppliers.jsonl", "suppliers", rows)
    _import_rows(ws, data_dir / f"{name}-queries.jsonl", "requirements", _requirement_rows(queries))
    indexing.update_index(ws)
    return ws, queries


# Sets ranked over the bundled sample suppliers, in one workspace.
SAMPLE_SETS = ("dev", "real-tune", "real-test", "real-test-typed-plain")


def run(data_dir: Path, sets: tuple[str, ...] = ("dev", "real-test", "goods-test")) -> dict:
    """{set name: {system: {language: metrics}}}, every system in the same run."""
    _use_classifier(TUNE_CLASSIFIER)  # before anything loads a classifier
    from matchmaker.matching import indexing
    from matchmaker.records import importing
    from matchmaker.workspace import Workspace

    results = {}
    truths = supplier_truths()
    for name in ("real-tune-cv", "real-tune-cv-plain", "real-tune-extra-cv"):
        if name in sets:
            beyond = PER_HEADING if "extra" in name else 0
            results[name] = _cross_fitted(
                [
                    (
                        TUNE_FOLD_CLASSIFIERS[other],
                        partial(_tune_fold_workspace, data_dir, fold, name.endswith("-plain"), beyond),
                    )
                    for fold, other in FOLDS
                ]
            )
    if "goods-tune-cv" in sets:
        # Suppliers from one fold, queries from the other, the classifier of the suppliers' fold.
        results["goods-tune-cv"] = _cross_fitted(
            [
                (
                    TUNE_FOLD_CLASSIFIERS[other],
                    partial(_goods_workspace, data_dir, f"goods-{fold}", f"tune-{other}", f"tune-{fold}"),
                )
                for fold, other in FOLDS
            ]
        )
    sample_sets = [name for name in sets if name in SAMPLE_SETS]
    if sample_sets:
        ws = Workspace.at(data_dir / "sample")
        importing.import_sample_data(ws)
        sets_judgments = {}
        for name in sample_sets:
            if name == "dev":
                sets_judgments["dev"] = _load_judgments()
                continue
            queries = real_text_queries(name.removeprefix("real-").removesuffix("-typed-plain"))
            if name.endswith("-typed-plain"):  # as a buyer typing without diacritics would send them
                queries = [
                    {**q, "requirement_id": f"{q['requirement_id']}-plain", "text": typed_plain(q["text"])}
                    for q in queries
                ]
            _import_rows(ws, data_dir / f"{name}.jsonl", "requirements", _requirement_rows(queries))
            sets_judgments[name] = queries
        indexing.update_index(ws)
        results.update({name: _evaluate(ws, sets_judgments[name], truths) for name in sample_sets})
    if "goods-test" in sets:
        ws, queries = _goods_workspace(data_dir, "goods", "tune", "test")
        results["goods-test"] = _evaluate(ws, queries, truths)
    if "dev-plain" in sets:
        ws = Workspace.at(data_dir / "sample-plain")
        _import_sample(ws, data_dir, plain=True)
        indexing.update_index(ws)
        results["dev-plain"] = _evaluate(ws, _load_judgments(), truths)
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
        help="comma-separated: dev, real-test, real-tune, real-tune-cv, real-tune-extra-cv, goods-test, "
        "goods-tune-cv, dev-plain, real-tune-cv-plain, real-test-typed-plain "
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
