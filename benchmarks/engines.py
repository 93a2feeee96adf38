"""Embedded engine against Elasticsearch on the same data, in one run: nDCG@10 of each (the
ranking benchmark's dev set), overlap@10 of their top tens, and match latency.

Needs a cluster: MATCHMAKER_ES_URL=http://elastic:PASSWORD@localhost:9200 python -m benchmarks.engines
The indices it makes (prefix `mmbench-<pid>`) are deleted afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.ranking import JUDGMENTS, ndcg


def compare(es_url: str, data_dir: Path, prefix: str | None = None) -> dict:
    from matchmaker.config import Settings
    from matchmaker.matching import indexing
    from matchmaker.matching import service as matching
    from matchmaker.records import importing
    from matchmaker.workspace import Workspace

    url = f"sqlite:///{data_dir / 'matchmaker.db'}"
    embedded = Workspace(Settings(data_dir=data_dir, database_url=url))
    importing.import_sample_data(embedded)
    indexing.update_index(embedded)
    remote = Workspace(
        Settings(
            data_dir=data_dir,
            database_url=url,
            search_backend="elasticsearch",
            es_url=es_url,
            es_index_prefix=prefix or f"mmbench-{os.getpid()}",
        )
    )
    try:
        started = time.perf_counter()
        indexing.update_index(remote, rebuild=True)
        index_seconds = time.perf_counter() - started
        judgments = [json.loads(line) for line in JUDGMENTS.read_text(encoding="utf-8").splitlines()]
        rows: dict[str, list] = {"embedded": [], "elasticsearch": []}
        overlaps = []
        latency: dict[str, list[float]] = {"embedded": [], "elasticsearch": []}
        for j in judgments:
            tops = {}
            for name, ws in (("embedded", embedded), ("elasticsearch", remote)):
                started = time.perf_counter()
                tops[name] = [
                    m.supplier_id for m in matching.match_requirement(ws, j["requirement_id"], top=10)
                ]
                latency[name].append((time.perf_counter() - started) * 1000)
                rows[name].append(ndcg(tops[name], j["grades"]))
            overlaps.append(len(set(tops["embedded"]) & set(tops["elasticsearch"])) / 10)
        return {
            "queries": len(judgments),
            "ndcg@10": {name: round(statistics.mean(v), 3) for name, v in rows.items()},
            "overlap@10": round(statistics.mean(overlaps), 3),
            "match_ms_p50": {name: round(statistics.median(v), 1) for name, v in latency.items()},
            "elasticsearch_index_seconds": round(index_seconds, 1),
            "hybrid_mode": "native rrf" if remote.backend._rrf_allowed() else "msearch + client-side fusion",
        }
    finally:
        remote.backend.drop()
        embedded.close()
        remote.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.parse_args()
    es_url = os.environ.get("MATCHMAKER_ES_URL")
    if not es_url:
        raise SystemExit("set MATCHMAKER_ES_URL to a cluster (see docker-compose.yml)")
    with tempfile.TemporaryDirectory() as tmp:
        print(json.dumps(compare(es_url, Path(tmp)), indent=2))


if __name__ == "__main__":
    main()
