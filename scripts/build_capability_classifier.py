"""Train the capability classifiers.

Weak labels from real data, not from our own pen: every row of the bilingual HS nomenclature
and every customs description gets the capability nodes its HS code needs, by the longest
prefix in indexer/vocabulary/hs_capabilities.toml; the rows of chapters no node makes
(OUTSIDE_CHAPTERS) are examples of none. The lexicon's own terms in five languages
are added as one-line examples of their node, so Korean, Japanese and Chinese words are known.

Models of the same recipe, differing in which customs descriptions they learn from:
  * indexer/vocabulary/capability_classifier.npz, shipped: every customs description;
  * benchmarks/data/capability_classifier_tune.npz, for the ranking benchmark: the *tune*
    half only (benchmarks.real_text.split_of), so the test half it reports stays unseen;
  * benchmarks/data/capability_classifier_tune_{a,b}.npz: one fold of the tune half each
    (benchmarks.real_text.tune_fold), so real-tune-cv ranks every tune query with a classifier
    that never saw it.

    python scripts/build_capability_classifier.py [--shared-data ../shared/data]
        [--half all|tune|tune-a|tune-b|both|folds]      (both: all and tune; folds: tune-a and tune-b)
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
import tomllib
from collections import Counter
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.real_text import TUNE_CLASSIFIER as TUNE_MODEL  # noqa: E402
from benchmarks.real_text import TUNE_FOLD_CLASSIFIERS, in_part  # noqa: E402
from indexer.classifier import MODEL_FILE, CapabilityClassifier, vectorizers  # noqa: E402
from indexer.documents import classifier_text  # noqa: E402
from indexer.process_rules import default_rules  # noqa: E402
from indexer.taxonomy import LANGUAGES, default_taxonomy  # noqa: E402

_GENERIC = {"loại khác", "other", "khác", "loại khác:", "other:", "- loại khác", "- other"}
# Chapters of goods no node makes (food, chemicals, wood, furniture, ceramics, toys…): their
# nomenclature rows are learnt as examples of no node, so wall tiles ("gạch men") are not read as
# stamping for want of a ceramics node. Chapters holding some node's goods stay out, whether
# hs_capabilities.toml maps them (glass, paper cartons and labels, railway) or not (wool,
# carpets), and so do seats and lamps (94.01, 94.05: car seats, vehicle lighting). A mapped heading
# of such a chapter (65.05 textile hats: garments) is learnt as its nodes.
OUTSIDE_CHAPTERS = frozenset(
    [f"{c:02d}" for c in range(1, 32)]
    + ["33", "34", "35", "36", "37", "38", "43", "44", "45", "46", "47", "65", "66", "67", "69", "71"]
    + ["88", "89", "91", "92", "93", "94", "95", "97"]
)
INSIDE_HEADINGS = frozenset(["9401", "9405"])


def labeller(path: Path):
    rules = tomllib.loads(path.read_text(encoding="utf-8"))
    prefixes = {**rules["chapters"], **rules["headings"]}

    def labels(code: str) -> list[str]:
        key = max((k for k in prefixes if code.startswith(k)), key=len, default=None)
        return prefixes[key] if key else []

    return labels


def examples(
    shared: Path, half: str = "all", leave_out: frozenset[str] = frozenset()
) -> tuple[list[str], list[list[str]], np.ndarray]:
    """(text, nodes, sample weight) triples; `half` ("tune", "tune-a", …) keeps only that part of
    the customs texts, and the customs texts of the HS chapters in `leave_out` are left out
    (benchmarks/unseen_families.py: goods families the classifier knows only from the
    nomenclature and the lexicon).

    Each customs description is learnt three ways: whole, as its goods name and material, and as
    the ranker's reading hands it to the classifier (`classifier_text`: item, category and
    material), so training sees what ranking asks about. Its examples are weighed by 1 / (rows of
    its HS heading): heading 3926 (plastic articles, 332 rows) would otherwise teach that "nhựa"
    means a plastic part, whatever the plastic-housed fuse or valve actually is."""
    labels = labeller(ROOT / "indexer" / "vocabulary" / "hs_capabilities.toml")
    texts: list[str] = []
    targets: list[list[str]] = []
    headings: list[str | None] = []  # the customs heading of each example, None for the rest

    def add(text: str, concepts: list[str], heading: str | None = None, negative: bool = False) -> None:
        text = (text or "").strip()
        if text and (concepts or negative) and text.lower() not in _GENERIC:
            texts.append(text)
            targets.append(concepts)
            headings.append(heading)

    with (shared / "hs-nomenclature-2022-vi-en.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            concepts = labels(row["hs_code"] or row["heading"])
            outside = row["chapter"] in OUTSIDE_CHAPTERS and row["heading"] not in INSIDE_HEADINGS
            for lang in ("vn", "en"):
                desc, path = row[f"desc_{lang}"], row[f"path_{lang}"]
                # "Loại khác" / "Other" rows say what they are only through their parents.
                tail = " > ".join(path.split(" > ")[-2:]) if desc.strip().lower() in _GENERIC else desc
                add(tail, concepts, negative=outside)
    customs = shared / "customs-goods" / "descriptions-supporting-industry-chapters.jsonl"
    for line in customs.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if not in_part(row["sampleDesc"], half) or row["hsCode"][:2] in leave_out:
            continue
        concepts, heading = labels(row["hsCode"]), row["hsCode"][:4]
        add(row["sampleDesc"], concepts, heading)
        add(" ".join(str(x) for x in (row["tenHang"], row.get("chatLieu")) if x), concepts, heading)
        add(classifier_text(row["sampleDesc"]), concepts, heading)
    taxonomy = default_taxonomy()
    rules = default_rules()
    for concept in taxonomy.concepts.values():
        for lang in LANGUAGES:
            for term in concept.labels.get(lang, []):
                # A process's machines ("injection moulding machines", "máy tiện") say who runs
                # them in a profile, but a buyer naming one buys it from a machine builder.
                if concept.kind == "process" and rules.names_a_machine(term):
                    continue
                add(term, [concept.id])
    return texts, targets, heading_weights(headings)


def heading_weights(headings: list[str | None]) -> np.ndarray:
    """1 for examples of no customs heading; 1 / (examples of its heading) for the others,
    scaled so the customs examples keep their total weight."""
    counts = Counter(h for h in headings if h)
    weights = np.array([1.0 / counts[h] if h else 1.0 for h in headings])
    customs = np.array([h is not None for h in headings])
    if customs.any():
        weights[customs] *= customs.sum() / weights[customs].sum()
    return weights


# Regularisation: C=16. Cross-fitted on the tune half (benchmarks.ranking real-tune-cv: each fold
# ranked with a classifier trained on the other), hybrid nDCG@10 was 0.632 at C=16, 0.621 at C=4
# and 0.630 at C=64. (It was first chosen by reading the test half, which this replaces.)
def train(
    texts: list[str], targets: list[list[str]], weights: np.ndarray, c: float = 16.0
) -> CapabilityClassifier:
    concepts = sorted({cid for t in targets for cid in t})
    words, chars = vectorizers()
    features = sparse.hstack([words.fit_transform(texts), chars.fit_transform(texts)]).tocsr()
    columns, intercepts = [], []
    for i, cid in enumerate(concepts):
        y = np.array([cid in t for t in targets])
        model = LogisticRegression(C=c, solver="liblinear", max_iter=200)
        model.fit(features, y, sample_weight=weights)
        row = model.coef_[0]
        row[np.abs(row) < 0.15] = 0.0  # small weights change no decision; they only take space
        columns.append(sparse.csc_matrix(row.reshape(-1, 1)))
        intercepts.append(model.intercept_[0])
        if sys.stdout.isatty():
            print(f"\r  trained {i + 1}/{len(concepts)} nodes", end="", flush=True)
    if sys.stdout.isatty():
        print()
    coef = sparse.hstack(columns).tocsr()
    return CapabilityClassifier(words, chars, concepts, coef, np.array(intercepts, dtype=np.float32))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared-data", type=Path, default=ROOT.parent / "shared" / "data")
    halves = ("all", "tune", "tune-a", "tune-b", "both", "folds")
    parser.add_argument("--half", choices=halves, default="both")
    args = parser.parse_args()
    outputs = {"all": ROOT / "indexer" / MODEL_FILE, "tune": TUNE_MODEL}
    outputs |= {f"tune-{fold}": path for fold, path in TUNE_FOLD_CLASSIFIERS.items()}
    groups = {"both": ("all", "tune"), "folds": ("tune-a", "tune-b")}
    for half in groups.get(args.half, (args.half,)):
        started = time.perf_counter()
        texts, targets, weights = examples(args.shared_data, half)
        print(f"{half}: {len(texts)} labelled examples")
        classifier = train(texts, targets, weights)
        out = outputs[half]
        classifier.save(out)
        print(
            f"{len(classifier.concepts)} nodes, {classifier.coef.nnz} weights, "
            f"{out.stat().st_size / 1e6:.1f} MB, {time.perf_counter() - started:.0f} s "
            f"→ {out.relative_to(ROOT)}"
        )


if __name__ == "__main__":
    main()
