"""Nobody writes what is not theirs: each refusal over real HTTP, and the database's own guard.

A buyer acts for one lead firm; a supplier cannot verify its own certificate or fake a derived
field; contact-like and unknown fields stay private; tokens expire and can be revoked; the
append-only tables refuse UPDATE and DELETE even from raw SQL.
"""

import sqlite3
from datetime import timedelta

import pytest
from sqlalchemy import text, update
from test_api import bearer, serve, writable  # noqa: F401  (fixture)

from matchmaker.accounts.service import create_token
from models.account import ApiToken
from models.base import utcnow
from models.outcome import Outcome
from models.provenance import RecordVersion


def _token(ws, role, **kwargs):
    with ws.sessions() as session:
        return create_token(db_session=session, role=role, name=f"test {role}", **kwargs)


def _requirement(rid, firm, title="Vỏ nhôm đúc áp lực"):
    return {"id": rid, "lead_firm": firm, "title": title}


def _workspace(client):
    return client.app_workspace


@pytest.fixture
def api(workspace):
    """A freshly loaded workspace over a real server; the test also gets the workspace."""
    from conftest import load

    load(workspace)
    for client in serve(workspace):
        client.app_workspace = workspace
        yield client


# ── buyers act for one lead firm ───────────────────────────────────────────────────────
def test_a_buyer_writes_only_its_own_firms_requirements(api):
    ws = _workspace(api)
    honda = bearer(_token(ws, "buyer", lead_firm="Honda Vietnam"))
    assert (
        api.post(
            "/api/v1/requirements", json=_requirement("R-H1", "Honda Vietnam"), headers=honda
        ).status_code
        == 201
    )
    # another firm's new requirement, and another firm's existing one (R-DC-JA is Yamaha's)
    assert (
        api.post("/api/v1/requirements", json=_requirement("R-X", "Canon Vietnam"), headers=honda).status_code
        == 403
    )
    taken = _requirement("R-DC-JA", "Honda Vietnam", "hijacked")
    assert api.post("/api/v1/requirements", json=taken, headers=honda).status_code == 403
    assert api.get("/api/v1/requirements/R-DC-JA").json()["title"] != "hijacked"


def test_a_buyer_token_without_a_firm_is_bound_by_its_first_write(api):
    ws = _workspace(api)
    plain = bearer(_token(ws, "buyer"))  # as `matchmaker token create --role buyer` makes it
    assert (
        api.post(
            "/api/v1/requirements", json=_requirement("R-Y1", "Yamaha Motor Vietnam"), headers=plain
        ).status_code
        == 201
    )
    # a spelling variant of the same firm is the same firm; another firm is not
    variant = _requirement("R-Y2", "YAMAHA MOTOR VIỆT NAM")
    assert api.post("/api/v1/requirements", json=variant, headers=plain).status_code == 201
    assert (
        api.post("/api/v1/requirements", json=_requirement("R-S1", "Samsung"), headers=plain).status_code
        == 403
    )


def test_a_buyer_records_outcomes_only_on_its_own_firms_requirements(api):
    ws = _workspace(api)
    canon = bearer(_token(ws, "buyer", lead_firm="Canon Vietnam"))
    contract = {
        "requirement_id": "R-DC-JA",
        "supplier_id": "0101000001",
        "stage": "contract",
        "value_vnd": 999_999_999_999,
    }
    assert api.post("/api/v1/outcomes", json=contract, headers=canon).status_code == 403
    officer = bearer(_token(ws, "officer"))
    made = api.post("/api/v1/outcomes", json={**contract, "value_vnd": 5_000_000}, headers=officer)
    assert made.status_code == 201
    correction = {
        "requirement_id": "R-DC-JA",
        "supplier_id": "0101000001",
        "stage": "rejected",
        "reason": "other",
        "supersedes_id": made.json()["id"],
    }
    assert api.post("/api/v1/outcomes", json=correction, headers=canon).status_code == 403
    summary = api.get("/api/v1/evaluation/summary").json()
    assert summary["contract_value_vnd"] == 5_000_000


# ── verified means verified; derived fields are derived ────────────────────────────────
def test_a_supplier_cannot_verify_its_own_certificate_or_fake_its_province(api):
    ws = _workspace(api)
    own = bearer(_token(ws, "supplier", supplier_id="0101000001"))
    profile = {
        "id": "0101000001",
        "name": "Công ty TNHH Đúc nhôm Minh Long",
        "province": "Hà Nội",
        "province_canonical": "Cà Mau",
        "certifications": [
            {
                "standard": "IATF 16949",
                "status": "verified",
                "verified_by": "Sở Công Thương",
                "evidence": "javascript:alert(1)",
            }
        ],
    }
    assert api.post("/api/v1/suppliers", json=profile, headers=own).status_code == 201
    stored = api.get("/api/v1/suppliers/0101000001").json()
    assert stored["province_canonical"] == "Hà Nội"
    cert = stored["certifications"][0]
    assert cert["status"] == "claimed"
    assert "verified_by" not in cert and "evidence" not in cert
    page = api.get("/suppliers/0101000001").text
    assert "javascript:" not in page and "Sở Công Thương" not in page


def test_verification_evidence_is_an_http_link_and_survives_the_owners_edit(api):
    ws = _workspace(api)
    officer = bearer(_token(ws, "officer"))
    bad = {"standard": "ISO 9001", "evidence": "javascript:alert(document.cookie)"}
    assert (
        api.post("/api/v1/suppliers/0101000001/certificates/verify", json=bad, headers=officer).status_code
        == 422
    )
    good = {"standard": "ISO 9001", "evidence": "https://quacert.vn/cert/123"}
    assert (
        api.post("/api/v1/suppliers/0101000001/certificates/verify", json=good, headers=officer).status_code
        == 200
    )
    own = bearer(_token(ws, "supplier", supplier_id="0101000001"))
    edit = {
        "id": "0101000001",
        "name": "Công ty TNHH Đúc nhôm Minh Long",
        "certifications": ["ISO 9001:2015"],
    }
    assert api.post("/api/v1/suppliers", json=edit, headers=own).status_code == 201
    cert = api.get("/api/v1/suppliers/0101000001").json()["certifications"][0]
    assert cert["status"] == "verified" and cert["evidence"] == "https://quacert.vn/cert/123"


# ── contacts are private under any name ────────────────────────────────────────────────
def test_contact_like_and_unknown_fields_are_private(api):
    ws = _workspace(api)
    admin = bearer(_token(ws, "admin"))
    profile = {
        "id": "S-PRIV",
        "name": "Cơ khí Tân Phát",
        "dien_thoai": "0912 345 678",
        "mobile": "+84 98 000 0000",
        "contact_email": "ban@tanphat.vn",
        "địa_chỉ": "12 Lê Lợi",
        "ghi_chu_noi_bo": "internal note",
    }
    assert api.post("/api/v1/suppliers", json=profile, headers=admin).status_code == 201
    public = api.get("/api/v1/suppliers/S-PRIV").json()
    for key in ("dien_thoai", "mobile", "contact_email", "địa_chỉ", "ghi_chu_noi_bo"):
        assert key not in public
    page = api.get("/suppliers/S-PRIV").text
    assert "0912 345 678" not in page and "ban@tanphat.vn" not in page


# ── tokens: expiry, revocation, headers ────────────────────────────────────────────────
def test_expired_and_revoked_tokens_are_refused(api):
    ws = _workspace(api)
    value = _token(ws, "officer")
    with ws.sessions() as session:
        session.execute(update(ApiToken).values(expires_at=utcnow() - timedelta(days=1)))
        session.commit()
    probe = {"requirement_id": "R-DC-JA", "supplier_id": "0101000001", "stage": "contacted"}
    assert api.post("/api/v1/outcomes", json=probe, headers=bearer(value)).status_code == 401
    fresh = bearer(_token(ws, "buyer", lead_firm="Yamaha Motor Vietnam"))
    other = bearer(_token(ws, "buyer", lead_firm="Canon Vietnam"))
    with ws.sessions() as session:
        prefix = session.scalars(select_prefixes()).all()[-2]  # `fresh`'s
    assert api.post("/api/v1/tokens/revoke", json={"prefix": prefix}, headers=other).status_code == 403
    assert api.post("/api/v1/tokens/revoke", json={}, headers=fresh).status_code == 200
    assert api.post("/api/v1/outcomes", json=probe, headers=fresh).status_code == 401


def select_prefixes():
    from sqlalchemy import select

    return select(ApiToken.prefix).order_by(ApiToken.id)


def test_pages_send_security_headers(api):
    response = api.get("/")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


# ── append-only in the database itself ─────────────────────────────────────────────────
def test_the_database_refuses_updates_and_deletes_of_history(api):
    ws = _workspace(api)
    officer = bearer(_token(ws, "officer"))
    event = {"requirement_id": "R-DC-JA", "supplier_id": "0101000001", "stage": "contract", "value_vnd": 10}
    assert api.post("/api/v1/outcomes", json=event, headers=officer).status_code == 201
    for statement in (
        update(Outcome).values(value_vnd=999),
        text("DELETE FROM outcomes"),
        update(RecordVersion).values(source="forged"),
        text("DELETE FROM record_versions"),
    ):
        with ws.engine.connect() as connection, pytest.raises(Exception, match="append-only"):
            connection.execute(statement)
            connection.commit()
    if ws.engine.dialect.name == "sqlite":  # and from outside the application altogether
        path = ws.engine.url.database
        with sqlite3.connect(path) as raw, pytest.raises(sqlite3.DatabaseError, match="append-only"):
            raw.execute("UPDATE outcomes SET value_vnd = 1")
    with ws.sessions() as session:
        assert session.scalar(text("SELECT value_vnd FROM outcomes")) == 10


def test_a_settings_token_follows_its_accounts_current_role(api):
    from matchmaker.accounts.service import create_account

    ws = _workspace(api)
    with ws.sessions() as session:
        account = create_account(
            db_session=session,
            email="b@x.vn",
            name="B",
            role="buyer",
            password="pw-b",
            lead_firm="Honda Vietnam",
        )
        value = create_token(
            db_session=session, role="buyer", name="B", lead_firm="Honda Vietnam", account=account
        )
    headers = bearer(value)
    assert (
        api.post(
            "/api/v1/requirements", json=_requirement("R-H9", "Honda Vietnam"), headers=headers
        ).status_code
        == 201
    )
    with ws.sessions() as session:  # demoted to a supplier account: the token follows at once
        create_account(db_session=session, email="b@x.vn", name="B", role="supplier", password="pw-b")
    assert (
        api.post(
            "/api/v1/requirements", json=_requirement("R-H10", "Honda Vietnam"), headers=headers
        ).status_code
        == 403
    )


def test_session_cookies_are_secure_when_served_over_https(tmp_path):
    from dataclasses import replace

    from conftest import open_workspace

    from matchmaker.workspace import Workspace

    plain = open_workspace(tmp_path)
    ws = Workspace(replace(plain.settings, secure_cookies=True))
    for client in serve(ws):
        cookie = client.get("/login").headers["set-cookie"].lower()  # the session (CSRF) cookie
        assert "mm_session=" in cookie and "secure" in cookie and "httponly" in cookie
