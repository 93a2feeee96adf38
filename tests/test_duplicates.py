"""Duplicate suppliers: found with reasons, merged only on confirmation (or equal tax codes),
undone exactly; every write leaves provenance; tax codes are checked on import."""

import json
import subprocess
import sys

import pytest
from conftest import DATA

from matchmaker.matching import indexing
from matchmaker.matching import service as matching
from matchmaker.records import duplicates, importing, merging, provenance
from models.supplier import Supplier, canonical_tax_code


@pytest.fixture
def records(workspace):
    with workspace.sessions() as session:
        report = importing.import_file(db_session=session, kind="suppliers", path=DATA / "duplicates.jsonl")
        assert report.ok, report.errors
    indexing.update_index(workspace)
    return workspace


def pairs(ws):
    return {(p.a, p.b): p for p in duplicates.find_duplicates(ws)}


def test_name_variants_branches_and_tax_codes_are_found_and_look_alikes_are_not(records):
    found = pairs(records)
    same = [
        ("0101234567", "HN-KS-0042"),  # no diacritics, "Cty"
        ("0101234567", "FAIR-7"),  # English name, legal form "Co., Ltd", same phone written differently
        ("0101234567", "0101234567-001"),  # a branch (tax code -001, "Chi nhánh Bắc Ninh")
        ("0106666666", "SELF-1"),  # the same tax code, one in the id, one in a field
    ]
    for pair in same:
        assert pair in found, (pair, sorted(found))
    assert found[("0106666666", "SELF-1")].reasons[0] == "same tax code 0106666666"
    assert "branch" in found[("0101234567", "0101234567-001")].reasons[0]
    assert "same phone" in found[("0101234567", "FAIR-7")].reasons
    different = [
        ("0101234567", "0109876543"),  # "Minh Long Hải": its own tax code
        ("0101234567", "0105555555"),  # "Cơ khí Minh Long" in Đà Nẵng: another trade, another firm
        ("0101234567", "0107777777"),  # "Minh Lộc" is not "Minh Long"
        ("HN-KS-0042", "0107777777"),
    ]
    for a, b in different:
        assert (min(a, b), max(a, b)) not in found


def test_the_command_prints_the_contract_json(records, cli_env, tmp_path):
    env = {**cli_env, "MATCHMAKER_DATA_DIR": str(records.settings.data_dir)}
    env["MATCHMAKER_DATABASE_URL"] = records.settings.database_url
    result = subprocess.run(
        [sys.executable, "-m", "matchmaker", "duplicates", "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    body = json.loads(result.stdout)
    assert body and set(body[0]) == {"a", "b", "score", "reasons"}
    assert [p["score"] for p in body] == sorted((p["score"] for p in body), reverse=True)


def test_tax_codes_are_validated_on_import(cli_env, tmp_path):
    assert canonical_tax_code("0101 234 567") == "0101234567"
    assert canonical_tax_code("0101234567001") == "0101234567-001"
    assert canonical_tax_code("010123456") is None and canonical_tax_code("0101234567-01") is None
    assert canonical_tax_code("101234567") == "0101234567"  # a spreadsheet number lost its leading 0
    assert canonical_tax_code("MST: 3600252847") == "3600252847"
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name,tax_code\nS1,Công ty A,0101234567\nS2,Công ty B,12345\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "matchmaker", "import", "suppliers", str(bad)],
        env=cli_env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "bad.csv:3: tax_code:" in result.stderr and "10 digits" in result.stderr


def test_merge_keeps_everything_and_undo_restores_it_exactly(records):
    ws = records
    with ws.sessions() as session:
        before = {s.id: s.to_dict() for s in session.query(Supplier)}
    merged = merging.merge(ws, "0101234567", "HN-KS-0042", by="officer@so-cong-thuong", reasons=["test"])
    with ws.sessions() as session:
        survivor, other = session.get(Supplier, "0101234567"), session.get(Supplier, "HN-KS-0042")
        assert other.merged_into == "0101234567"  # kept, not deleted
        assert survivor.export_markets == ["Japan"]  # a value only the duplicate had
        assert survivor.certifications == before["0101234567"]["certifications"]
    # The merged record leaves search; the survivor stays.
    found = [m.supplier_id for m in matching.search(ws, "đúc nhôm vỏ hộp số", top=20)]
    assert "HN-KS-0042" not in found and "0101234567" in found
    assert ("0101234567", "HN-KS-0042") not in pairs(ws)
    with pytest.raises(Exception, match="already merged"):
        merging.merge(ws, "FAIR-7", "HN-KS-0042", by="x")
    # Provenance: the import (file and line) and the merge, both on record.
    sources = [v["source"] for v in provenance.history(ws, "supplier", "0101234567")]
    assert sources == ["duplicates.jsonl:1", f"merge:{merged['id']}"]
    assert provenance.field_sources(ws, "0101234567")["export_markets"]["kind"] == "merge"

    merging.undo(ws, merged["id"], by="officer@so-cong-thuong")
    with ws.sessions() as session:
        after = {s.id: s.to_dict() for s in session.query(Supplier)}
    assert after == before
    assert "HN-KS-0042" in [m.supplier_id for m in matching.search(ws, "đúc nhôm vỏ hộp số", top=20)]
    assert [v["kind"] for v in provenance.history(ws, "supplier", "HN-KS-0042")] == [
        "file",
        "merge",
        "unmerge",
    ]
    assert merging.merges(ws)[0]["undone_by"] == "officer@so-cong-thuong"
    with pytest.raises(Exception, match="already undone"):
        merging.undo(ws, merged["id"], by="x")


def test_equal_tax_codes_merge_automatically_and_nothing_else_does(records):
    done = merging.auto_merge(records)
    assert [(m["survivor_id"], m["merged_id"]) for m in done] == [("0106666666", "SELF-1")]
    with records.sessions() as session:
        assert session.get(Supplier, "HN-KS-0042").merged_into is None


def test_provenance_on_import_edit_and_confirmation(records):
    from models.supplier import SupplierIn

    ws = records
    edit = SupplierIn(id="FAIR-7", name="Minh Long Aluminium Die Casting Co., Ltd", employees=120)
    importing.save_record(ws, "suppliers", edit, source="web:Minh Long")
    fields = provenance.field_sources(ws, "FAIR-7")
    assert fields["employees"]["source"] == "web:Minh Long"
    assert fields["products"]["source"] == "duplicates.jsonl:3"  # untouched by the edit
    fresh = provenance.confirm(ws, "FAIR-7", by="Minh Long")
    assert fresh["stale"] is False and fresh["age_days"] == 0
    assert provenance.field_sources(ws, "FAIR-7")["products"]["kind"] == "confirmed"
    assert provenance.stale_suppliers(ws, days=365) == []
    assert {r["supplier_id"] for r in provenance.stale_suppliers(ws, days=-1)} >= {"FAIR-7", "0101234567"}
