"""Ranking on goods families the classifier never read a customs description of.

The shipped classifier learnt from every customs description in ../shared/data, and those cover
HS chapters 39-42, 50-60, 72-76, 82-85, 87 and 90 only. A buyer's text from another family
(garments, footwear, glass, seats, packaging…) meets a classifier that knows that family from
the nomenclature's rows and the lexicon's terms alone. This measures what that costs, on the
families we do have: the tune half's real-text queries (real-tune-cv's and
real-tune-extra-cv's) of one family of chapters are ranked twice in the same run,

  * seen: with the ordinary fold classifier (learnt from the other fold's customs
    descriptions, this family's included): the real-tune-cv figure, restricted to the family;
  * unseen: with a fold classifier learnt from the other fold's customs descriptions of every
    *other* family, so this family is known from the nomenclature and the lexicon only. The
    sample suppliers are read by that classifier too, as they would be.

The lexicon was partly written while reading these families' misses, so even "unseen" flatters
us; the gap between the columns is the least that a family without customs data loses.

Training the eight classifiers (four families, two folds) takes about half an hour on two cores;
they are kept in --data-dir, named by a digest of what they learn from, and reused.

    python -m benchmarks.unseen_families [--data-dir DIR] [--json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from benchmarks.ranking import (
    FOLDS,
    _evaluate,
    _import_rows,
    _requirement_rows,
    _use_classifier,
    pooled,
)
from benchmarks.real_text import (
    CUSTOMS,
    PER_HEADING,
    SHARED_DATA,
    TUNE_CLASSIFIER,
    TUNE_FOLD_CLASSIFIERS,
    real_text_queries,
    supplier_truths,
    tune_fold,
)

ROOT = Path(__file__).resolve().parents[1]
# Families of HS chapters, as the nomenclature groups them by material and by machine.
FAMILIES = {
    "plastics-rubber": ("39", "40"),
    "metals": ("72", "73", "74", "75", "76", "82", "83"),
    "machinery-electrical-vehicles": ("84", "85", "87", "90"),
    "leather-textiles": ("41", "42", *(str(c) for c in range(50, 61))),
}
# What a leave-family-out classifier learns from: a change to any of these retrains it.
TRAINING_INPUTS = (
    ROOT / "scripts" / "build_capability_classifier.py",
    ROOT / "indexer" / "vocabulary" / "hs_capabilities.toml",
    ROOT / "indexer" / "vocabulary" / "capabilities.toml",
    ROOT / "indexer" / "vocabulary" / "processes.toml",
    SHARED_DATA / "hs-nomenclature-2022-vi-en.csv",
    CUSTOMS,
)


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)  # stdout carries the table or the JSON


def family_of(hs_code: str) -> str | None:
    return next((name for name, chapters in FAMILIES.items() if hs_code[:2] in chapters), None)


def _digest() -> str:
    digest = hashlib.sha256()
    for path in TRAINING_INPUTS:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _train(family: str, fold: str, out: Path) -> str:
    """One fold's classifier without `family`'s customs descriptions (run in a worker process)."""
    from scripts.build_capability_classifier import examples, train

    started = time.perf_counter()
    texts, targets, weights = examples(SHARED_DATA, f"tune-{fold}", frozenset(FAMILIES[family]))
    partial_out = out.with_suffix(".partial.npz")
    train(texts, targets, weights).save(partial_out)
    partial_out.replace(out)  # a run stopped midway leaves no half-written classifier behind
    return f"{family}, fold {fold}: {time.perf_counter() - started:.0f} s"


def leave_out_classifiers(data_dir: Path) -> dict[tuple[str, str], Path]:
    """(family, fold) → a classifier learnt from that tune fold without the family, trained
    where missing, two at a time."""
    folder = data_dir / "classifiers"
    folder.mkdir(parents=True, exist_ok=True)
    digest = _digest()
    paths = {(f, fold): folder / f"{f}-{fold}-{digest}.npz" for f in FAMILIES for fold in ("a", "b")}
    missing = [key for key, path in paths.items() if not path.exists()]
    if missing:
        _progress(f"training {len(missing)} leave-family-out classifiers (5-9 min each, two at a time)")
        with ProcessPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
            jobs = [pool.submit(_train, family, fold, paths[family, fold]) for family, fold in missing]
            for done, job in enumerate(as_completed(jobs), start=1):
                _progress(f"  [{done}/{len(jobs)}] {job.result()}")
    return paths


def family_queries(fold: str) -> dict[str, list[dict]]:
    """The tune fold's real-text queries (real-tune-cv's and real-tune-extra-cv's) by family."""
    queries = real_text_queries("tune") + real_text_queries("tune", beyond=PER_HEADING)
    by_family: dict[str, list[dict]] = {name: [] for name in FAMILIES}
    for q in queries:
        family = family_of(q["hs_code"])
        if family and tune_fold(q["text"]) == fold:
            by_family[family].append(q)
    return by_family


def _workspace(data_dir: Path, name: str, queries: list[dict]):
    from matchmaker.matching import indexing
    from matchmaker.records import importing
    from matchmaker.workspace import Workspace

    ws = Workspace.at(data_dir / name)
    importing.import_sample_data(ws)
    _import_rows(ws, data_dir / f"{name}.jsonl", "requirements", _requirement_rows(queries))
    indexing.update_index(ws)
    return ws


def run(data_dir: Path) -> dict:
    """{family: {"seen": metrics, "unseen": metrics}}, every system in the same run."""
    classifiers = leave_out_classifiers(data_dir)
    truths = supplier_truths()
    seen: dict[str, list[dict]] = {name: [] for name in FAMILIES}
    unseen: dict[str, list[dict]] = {name: [] for name in FAMILIES}
    for fold, other in FOLDS:
        by_family = family_queries(fold)
        _progress(f"fold {fold}: ranking {sum(map(len, by_family.values()))} queries, seen")
        _use_classifier(TUNE_FOLD_CLASSIFIERS[other])
        ws = _workspace(data_dir, f"seen-{fold}", [q for qs in by_family.values() for q in qs])
        for family, queries in by_family.items():
            seen[family].append(_evaluate(ws, queries, truths))
        ws.close()
        for family, queries in by_family.items():
            _progress(f"fold {fold}: {family} unseen")
            _use_classifier(classifiers[family, other])
            ws = _workspace(data_dir, f"unseen-{family}-{fold}", queries)
            unseen[family].append(_evaluate(ws, queries, truths))
            ws.close()
    _use_classifier(TUNE_CLASSIFIER)
    results = {f: {"seen": pooled(seen[f]), "unseen": pooled(unseen[f])} for f in FAMILIES}
    results["all"] = {
        "seen": pooled([r for runs in seen.values() for r in runs]),
        "unseen": pooled([r for runs in unseen.values() for r in runs]),
    }
    return results


def print_table(results: dict) -> None:
    print(f"{'family':<31}{'queries':>8}{'seen':>8}{'unseen':>8}{'change':>8}{'BM25':>8}  hybrid nDCG@10")
    for family, runs in results.items():
        seen, unseen = runs["seen"]["hybrid"]["all"], runs["unseen"]["hybrid"]["all"]
        bm25 = runs["unseen"]["bm25"]["all"]["ndcg@10"]
        change = unseen["ndcg@10"] - seen["ndcg@10"]
        print(
            f"{family:<31}{seen['queries']:>8}{seen['ndcg@10']:>8.3f}{unseen['ndcg@10']:>8.3f}"
            f"{change:>+8.3f}{bm25:>8.3f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data-dir", type=Path, help="workspaces and classifiers (default: a temporary one)")
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
