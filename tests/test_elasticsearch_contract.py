"""The Elasticsearch engine by contract: the exact mapping and request bodies it sends, as the
real client serialises them, pinned in tests/contracts/elasticsearch/. No cluster runs here
(the live suite, test_elasticsearch_live.py, runs wherever MATCHMAKER_ES_URL points at one).

After a deliberate change, rewrite the pinned files with MATCHMAKER_UPDATE_CONTRACTS=1 and
review the diff like code.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import DATA
from elasticsearch import Elasticsearch

from indexer.backends import elastic, elastic_requests
from indexer.backends.base import Query
from indexer.documents import supplier_document

CONTRACTS = Path(__file__).parent / "contracts" / "elasticsearch"
UPDATE = os.environ.get("MATCHMAKER_UPDATE_CONTRACTS") == "1"
# The client is only used for its serialiser; it never connects.
SERIALIZERS = Elasticsearch("http://localhost:9200").transport.serializers

QUERY = Query(
    lexical_tokens=["khuon", "duc", "nhom", "ap", "luc"],
    concept_tokens=["cxdiecasting", "cxaluminium"],
    vector=np.array([0.5, -0.25, 0.125, 0.8], dtype=np.float32),
    filters={
        "ownership": ["domestic", "joint_venture"],
        "province": ["Hà Nội", "Bắc Ninh"],
        "certification": ["IATF 16949"],
    },
)


def wire(body) -> bytes:
    """The bytes the real client puts on the wire for a JSON body."""
    return SERIALIZERS.dumps(body, mimetype="application/json")


BODIES = {
    "index_template": lambda: elastic_requests.index_body(dim=4),
    "lexical_search": lambda: elastic_requests.lexical_body("supplier", QUERY, 120),
    "knn_search": lambda: elastic_requests.knn_body("supplier", QUERY, 120),
    "rrf_search": lambda: elastic_requests.rrf_body("supplier", QUERY, 120),
    "document_frequencies": lambda: elastic_requests.frequency_body(
        "supplier", ["nhom", "duc", "cxdiecasting"]
    ),
}


@pytest.mark.parametrize("name", sorted(BODIES))
def test_request_bodies_are_pinned(name):
    sent = wire(BODIES[name]())
    pinned = CONTRACTS / f"{name}.json"
    if UPDATE:
        pinned.write_text(json.dumps(json.loads(sent), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert json.loads(sent) == json.loads(pinned.read_text(encoding="utf-8")), f"{name} changed"


def test_the_mapping_folds_vietnamese_and_quantises_vectors():
    body = elastic_requests.index_body(dim=384)
    analysis = body["settings"]["analysis"]
    assert analysis["filter"]["folding"] == {"type": "asciifolding", "preserve_original": True}
    for analyzer in analysis["analyzer"].values():
        assert analyzer["filter"] == ["lowercase", "folding"]
    fields = body["mappings"]["properties"]
    assert fields["lexical"]["analyzer"] == "folded_tokens"
    assert {f for f, spec in fields.items() if spec["type"] == "keyword"} >= {
        "ownership",
        "province",
        "sectors",
        "status",
        "kind",
    }
    assert fields["certifications"]["type"] == "nested"
    assert fields["vector"] == {
        "type": "dense_vector",
        "dims": 384,
        "index": True,
        "similarity": "cosine",
        "index_options": {"type": "int8_hnsw", "m": 16, "ef_construction": 100},
    }
    assert body["mappings"]["dynamic"] == "strict"


def test_filters_mean_what_the_embedded_engine_means():
    clauses = elastic_requests.filter_clauses("supplier", QUERY.filters)
    assert clauses[0] == {"term": {"kind": "supplier"}}
    assert {"terms": {"province": ["Bắc Ninh", "Hà Nội"]}} in clauses
    (certificate,) = [c for c in clauses if "nested" in c]
    inner = certificate["nested"]["query"]["bool"]["filter"]
    assert {"term": {"certifications.standard": "IATF 16949"}} in inner
    assert {"term": {"certifications.state": "granted"}} in inner  # not in progress, not withdrawn
    # The knn search filters the same way (a filtered kNN, not a post-filter).
    assert elastic_requests.knn_body("supplier", QUERY, 10)["knn"]["filter"] == clauses


def test_stored_documents_carry_certificate_states_and_the_exact_vector():
    records = [json.loads(line) for line in (DATA / "suppliers.jsonl").read_text().splitlines()]
    for record in records:
        record.setdefault("certifications", [])
    record = dict(records[0])
    record["certifications"] = [
        {"standard": "ISO 9001", "valid_until": "2030-01-01"},
        {"standard": "IATF 16949", "status": "in_progress"},
        {"standard": "ISO/TS 16949"},  # withdrawn in 2018
    ]
    doc = supplier_document(record)
    vector = np.linspace(-1, 1, 4, dtype=np.float32)
    source = elastic_requests.to_source(doc, vector)
    states = {c["standard"]: c["state"] for c in source["certifications"]}
    assert states["ISO 9001"] == "granted" and states["IATF 16949"] == "in_progress"
    assert "granted" not in {s for std, s in states.items() if "16949" in std and std != "IATF 16949"}
    assert source["vector"] == [float(x) for x in vector]
    assert source["payload"] == doc.payload and source["kind"] == "supplier"
    json.loads(wire(source))  # serialisable as is (no numpy types left)
    assert set(source) <= set(
        elastic_requests.index_body(4)["mappings"]["properties"]
    )  # fits the strict mapping


def test_passwords_never_appear_in_messages():
    assert (
        elastic.redact("https://elastic:s3cret@es.example.vn:9200")
        == "https://elastic:***@es.example.vn:9200"
    )
    assert elastic.redact("http://localhost:9200") == "http://localhost:9200"


def test_an_unreachable_cluster_is_one_clear_line_and_exit_1(cli_env):
    env = {
        **cli_env,
        "MATCHMAKER_SEARCH_BACKEND": "elasticsearch",
        "MATCHMAKER_ES_URL": "http://elastic:s3cret@127.0.0.1:9",  # nothing listens on port 9
    }
    subprocess.run(
        [sys.executable, "-m", "matchmaker", "import", "suppliers", str(DATA / "suppliers.jsonl")],
        env=env,
        capture_output=True,
        check=True,
    )
    result = subprocess.run(
        [sys.executable, "-m", "matchmaker", "index"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert "http://elastic:***@127.0.0.1:9" in lines[0] and "s3cret" not in result.stderr
    assert "Connection" in lines[0]  # the cause, not just "failed"
