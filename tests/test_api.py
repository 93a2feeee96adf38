"""The JSON API, over a real uvicorn server on loopback."""

import socket
import threading
import time

import httpx
import pytest
import uvicorn

from web.app import create_app


@pytest.fixture
def server(loaded):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(create_app(loaded), host="127.0.0.1", port=port, log_level="warning")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not instance.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
        yield client
    instance.should_exit = True
    thread.join(timeout=10)


def test_matches_and_opportunities(server):
    body = server.get("/api/v1/requirements/R-DC-JA/matches", params={"top": 3}).json()
    assert body["requirement_id"] == "R-DC-JA" and body["matches"][0]["supplier_id"] == "0101000001"
    body = server.get("/api/v1/suppliers/0101000010/opportunities").json()
    assert body["opportunities"][0]["requirement_id"] == "R-SOLE-KO"


def test_public_profile_hides_contact_details(server):
    profile = server.get("/api/v1/suppliers/0101000001").json()
    assert profile["name"] == "Công ty TNHH Đúc nhôm Minh Long"
    assert "phone" not in profile


def test_search_is_ad_hoc(server):
    body = server.post("/api/v1/search", json={"text": "đế giày cao su", "top": 3}).json()
    assert body["matches"][0]["supplier_id"] == "0101000010"


@pytest.mark.parametrize(
    "method, path, kwargs, status",
    [
        ("get", "/api/v1/requirements/NOPE/matches", {}, 404),
        ("get", "/api/v1/suppliers/NOPE", {}, 404),
        ("get", "/api/v1/requirements/R-DC-JA/matches", {"params": {"top": "many"}}, 422),
        ("post", "/api/v1/search", {"json": {"top": 3}}, 422),
        ("post", "/api/v1/search", {"json": {"text": "", "top": 3}}, 422),
        (
            "post",
            "/api/v1/search",
            {"content": b"{not json", "headers": {"content-type": "application/json"}},
            422,
        ),
    ],
)
def test_malformed_requests_get_4xx(server, method, path, kwargs, status):
    assert getattr(server, method)(path, **kwargs).status_code == status


def test_requirement_page_renders(server):
    page = server.get("/requirements/R-DC-JA")
    assert page.status_code == 200 and "Minh Long" in page.text
