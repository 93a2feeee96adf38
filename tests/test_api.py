"""The JSON API, over a real uvicorn server on loopback."""

import socket
import threading
import time

import httpx
import pytest
import uvicorn
from conftest import load

from matchmaker.accounts.service import create_token
from web.app import create_app


def serve(ws):
    """A real uvicorn server for a workspace, on a free loopback port; yields an HTTP client."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(create_app(ws), host="127.0.0.1", port=port, log_level="warning")
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


@pytest.fixture
def server(loaded):
    """Read-only API tests share the indexed small test set."""
    yield from serve(loaded)


@pytest.fixture
def writable(workspace):
    """Write tests get their own freshly loaded workspace."""
    load(workspace)
    yield from serve(workspace)


def token(ws, role, supplier_id=None):
    with ws.sessions() as session:
        return create_token(db_session=session, role=role, name=f"test {role}", supplier_id=supplier_id)


def bearer(value):
    return {"Authorization": f"Bearer {value}"}


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
        # numbers JSON parsers read as infinity or NaN: the error that echoes them is still JSON
        *[
            (
                "post",
                "/api/v1/search",
                {"content": body, "headers": {"content-type": "application/json"}},
                422,
            )
            for body in (b'{"text": "van", "top": 1e400}', b'{"text": "van", "top": NaN}')
        ],
    ],
)
def test_malformed_requests_get_4xx(server, method, path, kwargs, status):
    assert getattr(server, method)(path, **kwargs).status_code == status


def test_requirement_page_renders(server):
    page = server.get("/requirements/R-DC-JA")
    assert page.status_code == 200 and "Minh Long" in page.text


# ── writing: tokens and roles ────────────────────────────────────────────────

NEW_SUPPLIER = {
    "id": "0109000001",
    "name": "Công ty TNHH Lò xo Mới",
    "products": ["lò xo nén", "lò xo xoắn"],
    "province": "Vĩnh Phúc",
}
NEW_REQUIREMENT = {"id": "R-SPRING", "lead_firm": "Piaggio Việt Nam", "title": "Lò xo nén cho xe tay ga"}


def test_writing_needs_a_valid_token(writable):
    assert writable.post("/api/v1/suppliers", json=NEW_SUPPLIER).status_code == 401
    response = writable.post("/api/v1/suppliers", json=NEW_SUPPLIER, headers=bearer("mm_wrong"))
    assert response.status_code == 401 and response.headers["www-authenticate"] == "Bearer"
    assert (
        writable.post("/api/v1/outcomes", json={}, headers={"Authorization": "Basic abc"}).status_code == 401
    )


def test_roles_decide_who_writes_what(writable, workspace):
    buyer, supplier = token(workspace, "buyer"), token(workspace, "supplier", "0101000010")
    assert writable.post("/api/v1/suppliers", json=NEW_SUPPLIER, headers=bearer(buyer)).status_code == 403
    assert (
        writable.post("/api/v1/requirements", json=NEW_REQUIREMENT, headers=bearer(supplier)).status_code
        == 403
    )
    outcome = {"requirement_id": "R-SOLE-KO", "supplier_id": "0101000010", "stage": "contacted"}
    assert writable.post("/api/v1/outcomes", json=outcome, headers=bearer(supplier)).status_code == 403
    organiser = token(workspace, "organiser")
    assert (
        writable.post("/api/v1/requirements", json=NEW_REQUIREMENT, headers=bearer(organiser)).status_code
        == 403
    )


def test_a_supplier_edits_only_its_own_profile(writable, workspace):
    own = token(workspace, "supplier", "0101000010")
    mine = {"id": "0101000010", "name": "Công ty TNHH Đế giày Phương Nam", "employees": 320}
    assert writable.post("/api/v1/suppliers", json=mine, headers=bearer(own)).status_code == 201
    assert writable.get("/api/v1/suppliers/0101000010").json()["employees"] == 320
    theirs = {"id": "0101000011", "name": "Hijacked"}
    assert writable.post("/api/v1/suppliers", json=theirs, headers=bearer(own)).status_code == 403
    assert writable.get("/api/v1/suppliers/0101000011").json()["name"] != "Hijacked"


def test_posted_records_are_matched_at_once(writable, workspace):
    officer, buyer = token(workspace, "officer"), token(workspace, "buyer")
    created = writable.post("/api/v1/suppliers", json=NEW_SUPPLIER, headers=bearer(officer))
    assert created.status_code == 201 and created.json() == {"id": "0109000001", "created": True}
    assert (
        writable.post("/api/v1/requirements", json=NEW_REQUIREMENT, headers=bearer(buyer)).status_code == 201
    )
    matches = writable.get("/api/v1/requirements/R-SPRING/matches", params={"top": 1}).json()["matches"]
    assert matches[0]["supplier_id"] == "0109000001"


def test_malformed_bodies_get_422_and_change_nothing(writable, workspace):
    officer = token(workspace, "officer")
    for body in ({"name": "no id"}, {"id": "X1", "name": "Bad", "employees": "many"}, {"id": "X2"}, [1, 2]):
        assert writable.post("/api/v1/suppliers", json=body, headers=bearer(officer)).status_code == 422
    assert writable.get("/api/v1/suppliers/X1").status_code == 404
    bad = writable.post(
        "/api/v1/suppliers", content=b"{oops", headers={**bearer(officer), "content-type": "application/json"}
    )
    assert bad.status_code == 422


def test_outcomes_are_appended_and_validated(writable, workspace):
    buyer = token(workspace, "buyer")
    pair = {"requirement_id": "R-SOLE-KO", "supplier_id": "0101000010"}
    first = writable.post("/api/v1/outcomes", json={**pair, "stage": "contacted"}, headers=bearer(buyer))
    assert first.status_code == 201 and first.json()["recorded_by"] == "test buyer"
    correction = {**pair, "stage": "meeting", "supersedes_id": first.json()["id"], "event_date": "2026-01-15"}
    second = writable.post("/api/v1/outcomes", json=correction, headers=bearer(buyer))
    assert second.status_code == 201 and second.json()["supersedes_id"] == first.json()["id"]
    for body in (
        {**pair, "stage": "rejected"},  # a rejection needs a reason
        {**pair, "stage": "won"},
        {**pair, "stage": "contract", "value_vnd": -5},
        {"requirement_id": "NOPE", "supplier_id": "0101000010", "stage": "contacted"},
        {**pair, "stage": "meeting", "supersedes_id": 999},
    ):
        assert writable.post("/api/v1/outcomes", json=body, headers=bearer(buyer)).status_code == 422, body


def test_outcome_events_cannot_be_edited_in_place(workspace):
    from models import Outcome
    from models.outcome import OutcomeIn

    load(workspace)
    from matchmaker.evaluation.outcomes import record_outcome

    with workspace.sessions() as session:
        event = record_outcome(
            db_session=session,
            data=OutcomeIn(requirement_id="R-SOLE-KO", supplier_id="0101000010", stage="contacted"),
            recorded_by="t",
        )
        event.stage = "contract"
        with pytest.raises(PermissionError):
            session.commit()
        session.rollback()
        with pytest.raises(PermissionError):
            session.delete(session.get(Outcome, event.id))
            session.commit()


EVENT = {
    "id": "E-API",
    "name": "Kết nối cung cầu",
    "tables": 2,
    "slots": [
        {"start": "2026-12-10T09:00", "end": "2026-12-10T09:20"},
        {"start": "2026-12-10T09:20", "end": "2026-12-10T09:40"},
    ],
    "buyers": [{"id": "Yamaha", "requirement_ids": ["R-DC-JA"], "max_meetings": 2}],
    "suppliers": [{"id": "0101000001"}, {"id": "0101000002"}],
    "requests": [{"buyer_id": "Yamaha", "supplier_id": "0101000002", "kind": "must"}],
}


def test_events_and_schedules(writable, workspace):
    organiser, buyer = token(workspace, "organiser"), token(workspace, "buyer")
    assert writable.post("/api/v1/events", json=EVENT).status_code == 401
    assert writable.post("/api/v1/events", json=EVENT, headers=bearer(buyer)).status_code == 403
    assert (
        writable.post("/api/v1/events", json={**EVENT, "tables": 0}, headers=bearer(organiser)).status_code
        == 422
    )
    created = writable.post("/api/v1/events", json=EVENT, headers=bearer(organiser))
    assert created.status_code == 201 and created.json() == {"id": "E-API", "created": True}
    assert writable.get("/api/v1/events/E-API/schedule").status_code == 404  # not scheduled yet
    assert writable.post("/api/v1/events/E-API/schedule", headers=bearer(buyer)).status_code == 403
    plan = writable.post("/api/v1/events/E-API/schedule", headers=bearer(organiser))
    assert plan.status_code == 201
    pairs = {(m["buyer_id"], m["supplier_id"]) for m in plan.json()["meetings"]}
    assert pairs == {("Yamaha", "0101000001"), ("Yamaha", "0101000002")}
    assert writable.get("/api/v1/events/E-API/schedule").json() == plan.json()
    assert writable.post("/api/v1/events/NOPE/schedule", headers=bearer(organiser)).status_code == 404
    broken = {**EVENT, "id": "E-BAD", "suppliers": [{"id": "NOT-IMPORTED"}], "requests": []}
    assert writable.post("/api/v1/events", json=broken, headers=bearer(organiser)).status_code == 201
    assert writable.post("/api/v1/events/E-BAD/schedule", headers=bearer(organiser)).status_code == 422


def test_meeting_results_after_the_event(writable, workspace):
    organiser = token(workspace, "organiser")
    past = {
        **EVENT,
        "id": "E-PAST",
        "slots": [
            {"start": "2026-11-10T09:00", "end": "2026-11-10T09:20"},
            {"start": "2026-11-10T09:20", "end": "2026-11-10T09:40"},
        ],
    }
    for event in (EVENT, past):
        writable.post("/api/v1/events", json=event, headers=bearer(organiser))
        writable.post(f"/api/v1/events/{event['id']}/schedule", headers=bearer(organiser))
    pair = {"buyer_id": "Yamaha", "supplier_id": "0101000001"}

    def post(event_id, body, who=organiser):
        return writable.post(f"/api/v1/events/{event_id}/meetings", json=body, headers=bearer(who))

    assert post("E-PAST", {**pair, "result": "held"}, who=token(workspace, "buyer")).status_code == 403
    assert post("E-PAST", {**pair, "result": "not_held"}).status_code == 422  # why not?
    assert post("E-PAST", {**pair, "result": "teleported"}).status_code == 422
    assert (
        post("E-PAST", {**pair, "supplier_id": "0101000009", "result": "held"}).status_code == 422
    )  # not met
    assert post("E-API", {**pair, "result": "held"}).status_code == 422  # the event is still ahead
    held = post("E-PAST", {**pair, "result": "held"})
    assert held.status_code == 201 and held.json()["outcome"]["stage"] == "meeting"
    assert held.json()["outcome"]["event_date"] == "2026-11-10"
    rfq = post("E-PAST", {**pair, "result": "rfq"})
    assert rfq.status_code == 201 and rfq.json()["outcome"]["requirement_id"] == "R-DC-JA"
    other = {
        "buyer_id": "Yamaha",
        "supplier_id": "0101000002",
        "result": "not_held",
        "reason": "buyer_absent",
    }
    assert post("E-PAST", other).status_code == 201
    results = writable.get("/api/v1/events/E-PAST/results").json()
    assert (results["held"], results["not_held"], results["unrecorded"]) == (1, 1, 0)
    assert results["furthest_stage"] == {"rfq": 1} and results["not_held_reasons"] == {"buyer_absent": 1}
    assert writable.get("/api/v1/events/NOPE/results").status_code == 404


def test_health_names_the_database_and_the_engine(loaded):
    for client in serve(loaded):
        body = client.get("/api/v1/health").json()
        assert body["status"] == "ok" and body["search_backend"] == "embedded"
        assert body["database"] in ("sqlite", "postgresql") and body["suppliers_indexed"] == 15


def test_records_api_duplicates_merges_certificates_provenance(writable, workspace):
    from conftest import DATA

    from matchmaker.records import importing

    with workspace.sessions() as session:
        importing.import_file(db_session=session, kind="suppliers", path=DATA / "duplicates.jsonl")
    officer, buyer = token(workspace, "officer"), token(workspace, "buyer")
    assert writable.get("/api/v1/duplicates", headers=bearer(buyer)).status_code == 403
    found = writable.get("/api/v1/duplicates", headers=bearer(officer)).json()
    assert {"a": "0106666666", "b": "SELF-1"}.items() <= next(p for p in found if p["b"] == "SELF-1").items()
    merge = {"survivor_id": "0101234567", "merged_id": "FAIR-7"}
    assert writable.post("/api/v1/merges", json=merge, headers=bearer(buyer)).status_code == 403
    assert (
        writable.post(
            "/api/v1/merges", json={**merge, "merged_id": "NOPE"}, headers=bearer(officer)
        ).status_code
        == 404
    )
    done = writable.post("/api/v1/merges", json=merge, headers=bearer(officer))
    assert done.status_code == 201
    assert writable.post("/api/v1/merges", json=merge, headers=bearer(officer)).status_code == 422  # twice
    undone = writable.post(f"/api/v1/merges/{done.json()['id']}/undo", headers=bearer(officer))
    assert undone.status_code == 200 and undone.json()["undone_at"]

    verify = {"standard": "IATF16949", "evidence": "https://tuv.example/cert/0123456"}
    assert (
        writable.post(
            "/api/v1/suppliers/0101234567/certificates/verify", json=verify, headers=bearer(buyer)
        ).status_code
        == 403
    )
    checked = writable.post(
        "/api/v1/suppliers/0101234567/certificates/verify", json=verify, headers=bearer(officer)
    )
    assert (
        checked.status_code == 200 and checked.json()["standing"] == "verified" and checked.json()["counts"]
    )
    missing = writable.post(
        "/api/v1/suppliers/0101234567/certificates/verify",
        json={"standard": "ISO 14001"},
        headers=bearer(officer),
    )
    assert missing.status_code == 422 and "lists no ISO 14001" in missing.json()["detail"]

    origin = writable.get("/api/v1/suppliers/0101234567/provenance").json()
    assert origin["fields"]["certifications"]["source"].startswith("officer:")
    assert (
        origin["fields"]["name"]["source"] == "duplicates.jsonl:1" and origin["freshness"]["stale"] is False
    )
    assert writable.get("/api/v1/suppliers/0101234567/history").status_code == 401
    history = writable.get("/api/v1/suppliers/0101234567/history", headers=bearer(officer)).json()
    assert [v["kind"] for v in history["versions"]] == ["file", "merge", "unmerge", "officer"]
    assert writable.get("/api/v1/suppliers/NOPE/provenance").status_code == 404
