"""Load benchmark: concurrent searches against a real server, idle and while an import and an
index run, in the same run.

A `matchmaker serve` process holds the sample data; N client threads post searches for a
fixed time and record latency, errors and empty answers. Then the same load runs again
while `matchmaker import` adds 2,000 suppliers and `matchmaker index` embeds them.

    python -m benchmarks.load [--clients 50] [--seconds 60] [--suppliers 2000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

QUERIES = [
    "đúc áp lực nhôm",
    "aluminium die casting",
    "khuôn ép nhựa",
    "rubber seals",
    "ダイカスト",
    "다이캐스팅",
    "压铸",
    "bu lông cường độ cao",
    "dây điện ô tô",
    "vải dệt kim",
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _load(base: str, clients: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors = empty = 0
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(seed: int) -> None:
        nonlocal errors, empty
        rng = random.Random(seed)
        with httpx.Client(base_url=base, timeout=120) as http:
            while time.monotonic() < deadline:
                started = time.perf_counter()
                try:
                    response = http.post("/api/v1/search", json={"text": rng.choice(QUERIES), "top": 10})
                    ok, none = (
                        response.status_code == 200,
                        response.status_code == 200 and not response.json()["matches"],
                    )
                except httpx.HTTPError:
                    ok, none = False, False
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    errors += not ok
                    empty += none

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return round(1000 * ordered[min(len(ordered) - 1, int(p * len(ordered)))], 1) if ordered else 0.0

    return {
        "requests": len(latencies),
        "errors": errors,
        "empty": empty,
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "max_ms": round(1000 * max(latencies, default=0), 1),
        "mean_ms": round(1000 * statistics.mean(latencies), 1) if latencies else 0.0,
    }


def _extra_suppliers(path: Path, count: int) -> None:
    """`count` new suppliers cloned from the sample data under new ids (real texts)."""
    from importlib import resources

    sample = resources.files("matchmaker") / "sample_data" / "suppliers.jsonl"
    rows = [json.loads(line) for line in sample.read_text(encoding="utf-8").splitlines()]
    with path.open("w", encoding="utf-8") as handle:
        for i in range(count):
            row = dict(rows[i % len(rows)])
            row["id"] = f"LOAD-{i:05d}"
            row["name"] = f"{row['name']} (chi nhánh {i})"
            row.pop("tax_code", None)
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def run(clients: int, seconds: float, suppliers: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "MATCHMAKER_DATA_DIR": tmp}
        cli = [sys.executable, "-m", "matchmaker"]
        print("preparing the sample data …", file=sys.stderr)
        subprocess.run([*cli, "demo", "--no-serve"], env=env, check=True, capture_output=True)
        port = _free_port()
        server = subprocess.Popen([*cli, "serve", "--port", str(port)], env=env, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    if httpx.get(f"{base}/api/v1/health", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            httpx.post(f"{base}/api/v1/search", json={"text": "warm up"}, timeout=60)
            print(f"idle: {clients} clients for {seconds:.0f} s …", file=sys.stderr)
            idle = _load(base, clients, seconds)
            extra = Path(tmp) / "extra.jsonl"
            _extra_suppliers(extra, suppliers)
            print(
                f"under load: the same, while importing and indexing {suppliers} suppliers …", file=sys.stderr
            )
            writer = subprocess.Popen(
                ["bash", "-c", f"{' '.join(cli)} import suppliers {extra} && {' '.join(cli)} index"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            busy = _load(base, clients, seconds)
            writer.wait()
        finally:
            server.terminate()
            server.wait(timeout=30)
    return {"clients": clients, "seconds": seconds, "idle": idle, "during_import_and_index": busy}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--suppliers", type=int, default=2000)
    args = parser.parse_args()
    result = run(args.clients, args.seconds, args.suppliers)
    columns = ("requests", "errors", "empty", "p50 ms", "p95 ms", "p99 ms", "max ms")
    print(f"{'phase':<26}" + "".join(f"{c:>9}" for c in columns))
    for phase in ("idle", "during_import_and_index"):
        r = result[phase]
        print(
            f"{phase:<26}{r['requests']:>9}{r['errors']:>8}{r['empty']:>7}"
            f"{r['p50_ms']:>9}{r['p95_ms']:>9}{r['p99_ms']:>9}{r['max_ms']:>9}"
        )
    ratio = result["during_import_and_index"]["p99_ms"] / max(result["idle"]["p99_ms"], 1e-9)
    print(f"p99 under load / idle p99: {ratio:.2f}")


if __name__ == "__main__":
    main()
