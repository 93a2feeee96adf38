"""The Elasticsearch engine against a real cluster: wherever MATCHMAKER_ES_URL points at one
(`docker compose up elasticsearch`), else skipped. Each test uses its own index prefix and
deletes it afterwards."""

import os
import uuid

import numpy as np
import pytest
from conftest import load, open_workspace

pytestmark = [
    pytest.mark.elasticsearch,
    pytest.mark.skipif(
        not os.environ.get("MATCHMAKER_ES_URL"),
        reason="no Elasticsearch cluster: set MATCHMAKER_ES_URL (docker compose up elasticsearch) to run",
    ),
]


@pytest.fixture
def es_workspace(tmp_path):
    from matchmaker.config import Settings
    from matchmaker.workspace import Workspace

    base = open_workspace(tmp_path)
    load(base)
    ws = Workspace(
        Settings(
            data_dir=tmp_path,
            database_url=base.settings.database_url,
            search_backend="elasticsearch",
            es_url=os.environ["MATCHMAKER_ES_URL"],
            es_index_prefix=f"mmtest-{uuid.uuid4().hex[:8]}",
        )
    )
    yield base, ws
    ws.backend.drop()
    ws.close()
    base.close()


def test_same_candidates_and_ranking_as_the_embedded_engine(es_workspace):
    from matchmaker.matching import indexing
    from matchmaker.matching import service as matching

    embedded, remote = es_workspace
    indexing.update_index(remote)
    assert remote.backend.count("supplier") == embedded.backend.count("supplier")
    for requirement_id in ("R-DC-JA", "R-SOLE-KO"):
        here = [m.supplier_id for m in matching.match_requirement(embedded, requirement_id, top=5)]
        there = [m.supplier_id for m in matching.match_requirement(remote, requirement_id, top=5)]
        assert len(set(here) & set(there)) >= 4, (here, there)
        assert here[0] == there[0]


def test_filters_diacritics_and_vectors_round_trip(es_workspace):
    from indexer.backends.base import Query
    from matchmaker.matching import indexing

    embedded, remote = es_workspace
    indexing.update_index(remote)
    stored = embedded.backend.fetch("supplier", ["0101000001"])["0101000001"]
    fetched = remote.backend.fetch("supplier", ["0101000001"])["0101000001"]
    assert np.allclose(stored.vector, fetched.vector) and fetched.payload == stored.payload
    query = Query(["nhom"], [], stored.vector, {"province": [stored.payload["province"]]})
    found = remote.backend.hybrid("supplier", query, 10)
    assert found and all(
        remote.backend.fetch("supplier", [c.id])[c.id].payload["province"] == stored.payload["province"]
        for c in found
    )
    folded = remote.backend.client.indices.analyze(
        index=remote.backend.alias, analyzer="folded_text", text="Khuôn đúc nhôm"
    ).body
    tokens = {t["token"] for t in folded["tokens"]}
    assert {"khuôn", "khuon", "đúc", "duc", "nhôm", "nhom"} <= tokens


def test_a_rebuild_swaps_the_alias_without_downtime(es_workspace):
    from matchmaker.matching import indexing

    _, remote = es_workspace
    indexing.update_index(remote)
    before = set(remote.backend.client.indices.get_alias(name=remote.backend.alias).body)
    indexing.update_index(remote, rebuild=True)
    after = set(remote.backend.client.indices.get_alias(name=remote.backend.alias).body)
    assert before and after and before.isdisjoint(after)
    assert remote.backend.count("supplier") > 0
    assert indexing.index_is_current(remote)


def test_ranking_benchmark_on_both_engines(tmp_path):
    from benchmarks.engines import compare

    figures = compare(os.environ["MATCHMAKER_ES_URL"], tmp_path, prefix=f"mmtest-{uuid.uuid4().hex[:8]}")
    print(figures)  # shown with pytest -s: overlap@10, nDCG@10 of each engine, latency
    assert figures["overlap@10"] >= 0.7
    assert figures["ndcg@10"]["elasticsearch"] >= figures["ndcg@10"]["embedded"] - 0.05
