"""A text → capability classifier learnt from real goods texts, beside the hand lexicon.

The lexicon (capabilities.toml) knows the words this team wrote down; real declarations say
"Chốt con lăn inox 316" or "Đế rơ le trung gian". The classifier was trained
(scripts/build_capability_classifier.py) on the HS nomenclature's Vietnamese and English
rows and on every real customs description (whole, as goods name and material, and as the
reading hands it over; every HS heading weighing the same), each labelled with the capability
nodes its HS heading needs (vocabulary/hs_capabilities.toml). The ranking benchmark uses a twin trained
the same way on the tune half only (benchmarks/data/), so its test half stays unseen.
Features are folded word unigrams and bigrams, the first clause's first words (a Vietnamese
goods name puts its head noun first) and character 3-5-grams, so text with or without
diacritics reads the same. It is stored as plain arrays (no pickle): vocabulary, IDF, and
one logistic-regression row per capability node.

Sources: Vietnam's goods nomenclature (Circular 31/2022/TT-BTC, a legal normative document
not protected by copyright); customs descriptions from the HS Knowledge Base
(github.com/ozvietnam/hs-code-api, commit 1825bb3e2e65), CC BY-SA 4.0: this model, derived
from them, is CC BY-SA 4.0 too.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import sparse

from models.vocabulary.text import fold, tokens

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import TfidfVectorizer

MODEL_FILE = "vocabulary/capability_classifier.npz"


_FIRST_CLAUSE = re.compile(r"^[^,;:.()（）\n]*")
# Where a different model file may be named (the ranking benchmark uses one trained on the tune
# half of the customs texts only, so that the test half stays unseen).
MODEL_SETTING = "MATCHMAKER_CAPABILITY_CLASSIFIER"


def word_features(text: str) -> list[str]:
    """Folded words and word pairs (CJK runs as character bigrams), plus the first clause's
    first words marked apart: a Vietnamese goods name puts its head noun first ("Móc quần áo"
    is a hook, "Hộp đựng giấy ăn" a box)."""
    words = tokens(text)
    head = tokens(_FIRST_CLAUSE.match(text).group(0))[:3]
    return (
        words
        + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
        + [f"^{' '.join(head[:n])}" for n in range(1, len(head) + 1)]
    )


def char_text(text: str) -> str:
    return fold(text)


_WHITE_SPACES = re.compile(r"\s\s+")
CHAR_NGRAMS = (3, 5)


def char_ngrams(text: str) -> list[str]:
    """Folded character 3- to 5-grams inside words, each word padded with a space at both ends
    (scikit-learn's "char_wb" analyser, as the classifier was trained with)."""
    low, high = CHAR_NGRAMS
    grams = []
    for word in _WHITE_SPACES.sub(" ", char_text(text)).split():
        word = f" {word} "
        for n in range(low, high + 1):
            offset = 0
            grams.append(word[:n])
            while offset + n < len(word):
                offset += 1
                grams.append(word[offset : offset + n])
            if offset == 0:  # a word shorter than n counts once
                break
    return grams


@dataclass
class TermWeights:
    """A fitted TF-IDF vectoriser as plain arrays, transforming as scikit-learn's
    TfidfVectorizer(sublinear_tf=True, norm="l2") does, without importing scikit-learn at run
    time (most of a second off every command's start; it is needed only to train)."""

    vocabulary_: dict[str, int]
    idf_: np.ndarray
    analyse: Callable[[str], list[str]]

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        rows: list[int] = []
        columns: list[int] = []
        counts: list[int] = []
        for row, text in enumerate(texts):
            found = Counter(i for term in self.analyse(text) if (i := self.vocabulary_.get(term)) is not None)
            rows.extend([row] * len(found))
            columns.extend(found.keys())
            counts.extend(found.values())
        row_of = np.array(rows, dtype=np.int64)
        column_of = np.array(columns, dtype=np.int64)
        weights = (np.log(np.array(counts, dtype=np.float32)) + 1.0) * self.idf_[column_of]
        norms = np.sqrt(np.bincount(row_of, weights * weights, minlength=len(texts))).astype(np.float32)
        weights /= norms[row_of]
        return sparse.csr_matrix((weights, (row_of, column_of)), shape=(len(texts), len(self.idf_)))


def vectorizers() -> tuple[TfidfVectorizer, TfidfVectorizer]:
    """The two feature extractors, configured as trained (for training: scripts/)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    words = TfidfVectorizer(analyzer=word_features, sublinear_tf=True, min_df=2, dtype=np.float32)
    chars = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=CHAR_NGRAMS,
        preprocessor=char_text,
        sublinear_tf=True,
        min_df=3,
        max_features=60000,
        dtype=np.float32,
    )
    return words, chars


@dataclass
class CapabilityClassifier:
    """Per-node probabilities for a text; `predict` keeps the confident ones."""

    words: Any  # TermWeights, or a fitted TfidfVectorizer while training
    chars: Any
    concepts: list[str]
    coef: sparse.csr_matrix  # features × concepts
    intercept: np.ndarray
    fingerprint: str = ""

    def probabilities(self, texts: list[str]) -> np.ndarray:
        features = sparse.hstack([self.words.transform(texts), self.chars.transform(texts)]).tocsr()
        logits = (features @ self.coef).toarray() + self.intercept
        return 1.0 / (1.0 + np.exp(-logits))

    def predict(self, text: str, threshold: float = 0.5, top: int = 3) -> list[tuple[str, float]]:
        """(concept, probability) for the nodes at or above `threshold`, most likely first."""
        return self.predict_many([text], threshold, top)[0]

    def predict_many(
        self, texts: list[str], threshold: float = 0.5, top: int = 3
    ) -> list[list[tuple[str, float]]]:
        """`predict` for several texts in one pass."""
        if not texts:
            return []
        out = []
        for text, probs in zip(texts, self.probabilities(texts), strict=True):
            order = np.argsort(-probs)[:top] if text.strip() else []
            out.append([(self.concepts[i], float(probs[i])) for i in order if probs[i] >= threshold])
        return out

    def distribution(self, text: str) -> dict[str, float]:
        """Every node's probability for one text."""
        return dict(zip(self.concepts, self.probabilities([text])[0].tolist(), strict=True))

    def save(self, path) -> None:
        np.savez_compressed(
            path,
            word_vocabulary=np.array(sorted(self.words.vocabulary_, key=self.words.vocabulary_.get)),
            word_idf=self.words.idf_.astype(np.float32),
            char_vocabulary=np.array(sorted(self.chars.vocabulary_, key=self.chars.vocabulary_.get)),
            char_idf=self.chars.idf_.astype(np.float32),
            concepts=np.array(self.concepts),
            coef_data=self.coef.data.astype(np.float16),
            coef_indices=self.coef.indices,
            coef_indptr=self.coef.indptr,
            coef_shape=np.array(self.coef.shape),
            intercept=self.intercept.astype(np.float32),
        )


def _restore(vocabulary: np.ndarray, idf: np.ndarray, analyse: Callable[[str], list[str]]) -> TermWeights:
    return TermWeights(
        {term: i for i, term in enumerate(vocabulary.tolist())}, idf.astype(np.float32), analyse
    )


def load(path) -> CapabilityClassifier:
    """A classifier saved by `CapabilityClassifier.save`."""
    with open(path, "rb") as handle:
        raw = handle.read()
    data = np.load(io.BytesIO(raw))
    coef = sparse.csr_matrix(
        (data["coef_data"].astype(np.float32), data["coef_indices"], data["coef_indptr"]),
        shape=tuple(data["coef_shape"]),
    )
    return CapabilityClassifier(
        words=_restore(data["word_vocabulary"], data["word_idf"], word_features),
        chars=_restore(data["char_vocabulary"], data["char_idf"], char_ngrams),
        concepts=data["concepts"].tolist(),
        coef=coef,
        intercept=data["intercept"],
        fingerprint=hashlib.sha256(raw).hexdigest()[:16],
    )


@cache
def default_classifier() -> CapabilityClassifier | None:
    """The bundled classifier (or the file MATCHMAKER_CAPABILITY_CLASSIFIER names), or None when
    the package was built without it."""
    if os.environ.get(MODEL_SETTING):
        return load(os.environ[MODEL_SETTING])
    resource = resources.files("indexer").joinpath(MODEL_FILE)
    if not resource.is_file():
        return None
    with resources.as_file(resource) as path:
        return load(path)
