"""Programme figures against hand-computed ones: back-dated, duplicate and superseded events."""

import json
import os
import subprocess
import sys
from datetime import date

import pytest
from conftest import load
from openpyxl import load_workbook
from test_api import serve

from matchmaker.evaluation import reports
from matchmaker.evaluation import service as evaluation
from matchmaker.evaluation.outcomes import record_outcome
from models.outcome import OutcomeIn

PAIR_A = ("R-DC-JA", "0101000001")  # domestic, Hà Nội
PAIR_B = ("R-DC-JA", "0101000002")  # domestic, Hà Nội
PAIR_C = ("R-SOLE-KO", "0101000010")  # domestic, Bình Dương → TP Hồ Chí Minh
PAIR_D = ("R-DC-EN", "0101000004")  # foreign-owned, Bắc Ninh


def add(session, pair, stage, day, **extra):
    data = OutcomeIn(requirement_id=pair[0], supplier_id=pair[1], stage=stage, event_date=day, **extra)
    return record_outcome(db_session=session, data=data, recorded_by="test")


@pytest.fixture
def history(workspace):
    load(workspace)
    with workspace.sessions() as s:
        add(s, PAIR_A, "shortlisted", date(2025, 3, 1))
        add(s, PAIR_A, "contacted", date(2025, 3, 10))
        add(s, PAIR_A, "contract", date(2025, 6, 1), value_vnd=1_000_000_000)
        add(s, PAIR_A, "contract", date(2025, 6, 2), value_vnd=1_000_000_000)  # a duplicate click
        add(s, PAIR_B, "contacted", date(2025, 4, 1))
        wrong = add(s, PAIR_B, "contract", date(2025, 5, 1), value_vnd=7_000_000_000)
        add(s, PAIR_B, "rejected", date(2025, 5, 1), reason="price", supersedes_id=wrong.id)  # the correction
        add(s, PAIR_C, "meeting", date(2024, 11, 20))  # back-dated into the previous year
        add(s, PAIR_D, "contract", date(2025, 8, 1), value_vnd=500_000_000)
    return workspace


def test_year_figures_match_hand_computed_ones(history):
    with history.sessions() as s:
        figures = evaluation.summary(db_session=s, period=evaluation.Period(2025))
    assert figures["period"] == "2025"
    assert figures["requirements"] == 2
    assert figures["funnel"] == {
        "shortlisted": 3,
        "contacted": 3,
        "meeting": 2,
        "rfq": 2,
        "sample_approved": 2,
        "audit_passed": 2,
        "contract": 2,
        "rejected": 1,
    }
    assert figures["recorded"]["contract"] == 2 and figures["recorded"]["shortlisted"] == 1
    assert figures["suppliers_contracted"] == 2 and figures["domestic_suppliers_contracted"] == 1
    assert figures["contract_value_vnd"] == 1_500_000_000  # duplicate once, superseded never
    assert figures["by_province"]["Hà Nội"]["funnel"]["contract"] == 1
    assert figures["by_province"]["Bắc Ninh"]["contract_value_vnd"] == 500_000_000
    assert figures["by_sector"]["automotive"]["funnel"]["contract"] == 2
    assert figures["by_sector"]["automotive"]["localisation_target_2030"] == "22-30%"


def test_back_dated_events_fall_in_their_own_period(history):
    with history.sessions() as s:
        figures = evaluation.summary(db_session=s, period=evaluation.Period(2024))
        quarter = evaluation.summary(db_session=s, period=evaluation.Period(2025, 2))
    assert figures["funnel"]["meeting"] == 1 and figures["funnel"]["contract"] == 0
    assert figures["requirements"] == 1
    assert quarter["funnel"]["contract"] == 1 and quarter["contract_value_vnd"] == 1_000_000_000


def test_province_filter_uses_todays_provinces(history):
    with history.sessions() as s:
        figures = evaluation.summary(db_session=s, period=evaluation.Period(2025), province="Bắc Giang")
    assert figures["province"] == "Bắc Ninh"
    assert figures["funnel"]["contract"] == 1 and figures["contract_value_vnd"] == 500_000_000


def test_report_formats_carry_the_same_numbers(history, tmp_path):
    with history.sessions() as s:
        figures = evaluation.summary(db_session=s, period=evaluation.Period(2025))
    csv_text = reports.to_csv(figures)
    total = csv_text.splitlines()[1].split(",")
    assert total[:3] == ["2025", "total", "all"] and "1500000000" in total
    reports.to_xlsx(figures, tmp_path / "r.xlsx")
    sheet = load_workbook(tmp_path / "r.xlsx")["Report"]
    assert sheet.cell(row=2, column=reports.HEADER.index("contract_value_vnd") + 1).value == 1_500_000_000
    html = reports.to_html(figures)
    assert "1,500,000,000 VND" in html
    assert "<th>Mẫu đạt / Sample approved</th>" in html and "<th>sample_approved</th>" not in html


def test_cli_report_and_api_match_the_service(history):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MATCHMAKER_")}
    env["MATCHMAKER_DATA_DIR"] = str(history.settings.data_dir)
    env["MATCHMAKER_DATABASE_URL"] = history.settings.database_url
    command = [sys.executable, "-m", "matchmaker", "report", "--year", "2025", "--format", "json"]
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    with history.sessions() as s:
        expected = json.loads(
            reports.to_json(evaluation.summary(db_session=s, period=evaluation.Period(2025)))
        )
    assert json.loads(out) == expected
    for client in serve(history):
        assert client.get("/api/v1/evaluation/summary", params={"year": 2025}).json() == expected
        assert client.get("/api/v1/evaluation/summary", params={"province": "Atlantis"}).status_code == 422
        assert client.get("/api/v1/evaluation/summary", params={"quarter": 2}).status_code == 422


def test_impressions_are_logged_and_ranking_quality_read_from_them(history):
    from sqlalchemy import func, select

    from matchmaker.evaluation.impressions import log_impressions, ranking_quality
    from matchmaker.matching.ranking import Match
    from models import Impression

    with history.sessions() as s:
        shown = [Match("R-DC-JA", "0101000002", 0.9), Match("R-DC-JA", "0101000001", 0.8)]
        log_impressions(
            db_session=s, requirement_id="R-DC-JA", matches=shown, channel="cli", viewer_role=None
        )
        quality = ranking_quality(db_session=s, stage="contract")
    # contracted pairs: A (shown at position 2) and D (never shown)
    assert quality == {
        "stage": "contract",
        "pairs": 2,
        "shown": 1,
        "hit@1": 0.0,
        "hit@5": 0.5,
        "hit@10": 0.5,
        "mrr": 0.25,
    }
    from matchmaker.accounts.service import create_token

    with history.sessions() as s:
        token = create_token(db_session=s, role="buyer", name="Honda purchasing", lead_firm="Honda Vietnam")
    for client in serve(history):
        client.get("/api/v1/requirements/R-DC-EN/matches", params={"top": 3})  # anonymous: not logged
        with history.sessions() as s:
            assert not s.scalars(select(Impression).where(Impression.channel == "api")).all()
        client.get(
            "/api/v1/requirements/R-DC-EN/matches",
            params={"top": 3},
            headers={"Authorization": f"Bearer {token}"},
        )
    with history.sessions() as s:
        rows = s.scalars(select(Impression).where(Impression.channel == "api")).all()
        assert [r.position for r in rows] == [1, 2, 3] and {r.ranker for r in rows} == {"hand-v1"}
        assert s.scalar(select(func.count()).select_from(Impression)) == 5
        assert ranking_quality(db_session=s, stage="contract")["shown"] == 2  # D is now shown for R-DC-EN


def test_demand_gaps_name_near_miss_suppliers_and_missing_certificates(loaded):
    from matchmaker.evaluation.gaps import demand_gaps

    gaps = demand_gaps(loaded)
    assert gaps["open_requirements"] == 5
    unmet = {r["requirement_id"] for r in gaps["unmet_requirements"]}
    assert "R-DC-JA" not in unmet  # 0101000001 is capable and holds a valid IATF 16949
    for r in gaps["unmet_requirements"]:  # each says why: nobody makes it, or makers lack a certificate
        assert r["reason"] in ("no_domestic_maker", "uncertified_makers")
        assert (r["reason"] == "uncertified_makers") == bool(r["missing_certifications"])
    near = {
        (r["supplier_id"], r["requirement_id"]): r
        for rows in gaps["near_miss_suppliers_by_province"].values()
        for r in rows
    }
    assert near[("0101000002", "R-DC-JA")]["missing"] == ["IATF 16949"]
    assert "expired" in near[("0101000005", "R-DC-JA")]["reasons"][0]
    assert "0101000007" not in {s for s, _ in near}  # a trader is no near-miss maker
    assert gaps["missing_certifications_by_sector"]["automotive"]["IATF 16949"] >= 3
    assert ("0101000005", "R-DC-JA") in {
        (r["supplier_id"], r["requirement_id"]) for r in gaps["near_miss_suppliers_by_province"]["Bắc Ninh"]
    }


def test_dashboard_agrees_with_the_report(history):
    for client in serve(history):
        page = client.get("/dashboard", params={"year": 2025})
        assert page.status_code == 200
        assert '<p class="big" id="headline">1</p>' in page.text  # one domestic supplier contracted
        assert "1,500,000,000" in page.text and "22-30%" in page.text
        assert client.get("/dashboard", params={"province": "Atlantis"}).status_code == 422


def test_conversion_median_days_and_lead_firms(history):
    with history.sessions() as s:
        figures = evaluation.summary(db_session=s, period=evaluation.Period(2025))
    assert figures["conversion"]["shortlisted→contacted"] == 1.0
    assert figures["conversion"]["audit_passed→contract"] == 1.0
    assert figures["median_days"]["shortlisted→contacted"] == 9.0  # pair A: 1 → 10 March
    assert figures["median_days"]["contacted→meeting"] is None  # nobody recorded both
    assert figures["by_lead_firm"]["Yamaha Motor Vietnam"]["funnel"]["contract"] == 1
    assert figures["by_lead_firm"]["Honda Vietnam"]["contract_value_vnd"] == 500_000_000
