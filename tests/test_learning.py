"""The learned ranker recovers a hidden utility from simulated logs, and is adopted only when it wins."""

from pathlib import Path

import pytest
from conftest import open_workspace

from matchmaker.evaluation import learning
from matchmaker.matching import indexing
from matchmaker.matching.learned import FEATURES
from matchmaker.records import importing


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory) -> Path:
    """The bundled sample data, imported and indexed once for this module."""
    path = tmp_path_factory.mktemp("sample")
    ws = open_workspace(path)
    importing.import_sample_data(ws)
    indexing.update_index(ws)
    ws.close()
    return path


def test_no_logs_no_learning(sample_dir):
    ws = open_workspace(sample_dir)
    report = learning.train(ws)
    assert report["adopted"] is False
    assert ws.scorer.version == "hand-v1"


def test_learner_recovers_a_hidden_utility_and_is_adopted(sample_dir):
    ws = open_workspace(sample_dir)
    # Buyers here care about nearness far more than the hand-set weights assume.
    events = learning.simulate(ws, {"concept": 1.0, "province": 2.0}, noise=0.2)
    assert events > 100
    report = learning.train(ws)
    assert report["gain"] > learning.ADOPTION_MARGIN and report["adopted"] is True, report
    coef = report["coef"]
    assert max(coef, key=coef.get) == "province" and coef["concept"] > 0
    adopted = open_workspace(sample_dir)
    assert adopted.scorer.version == "learned-v1"
    from matchmaker.matching import service as matching

    found = matching.match_requirement(adopted, "R01", top=10)
    assert found and {m.explanation["ranker"] for m in found} == {"learned-v1"}
    # Hard constraints still apply on top of what was learned.
    missing = [m for m in found if m.explanation["certifications"]["missing"]]
    assert all(m.explanation["components"]["certification_factor"] < 1 for m in missing)
    assert set(FEATURES) == set(coef)
