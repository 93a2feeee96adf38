"""Page tests for officers and organisers, in real headless Chromium: importing files, events and
their schedules, duplicate review and certificate verification."""

from browser import ARTIFACTS, needs_chromium, sign_in

from matchmaker.accounts.service import create_account
from models import Supplier

pytestmark = needs_chromium


def test_officer_imports_a_spreadsheet_after_checking_it(site, page, workspace, tmp_path):
    with workspace.sessions() as session:
        create_account(
            db_session=session,
            email="officer@test.vn",
            name="Sở Công Thương",
            role="officer",
            password="pw-officer",
        )
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name,employees\nN1,Cơ khí Mới,10\nN2,,20\n", encoding="utf-8")
    good = tmp_path / "good.csv"
    good.write_text("id,name,products\nN1,Công ty Lò xo Mới,lò xo nén; lò xo xoắn\n", encoding="utf-8")

    sign_in(page, site, "officer@test.vn", "pw-officer")
    page.goto(f"{site}/import")
    page.set_input_files("#file", str(bad))
    page.click("#import-check-button")
    errors = page.inner_text("#import-errors")
    assert "3" in errors and "name" in errors
    page.screenshot(path=str(ARTIFACTS / "import-errors.png"), full_page=True)
    with workspace.sessions() as session:
        assert session.get(Supplier, "N1") is None  # nothing half-written

    page.set_input_files("#file", str(good))
    page.click("#import-check-button")
    page.click("#import-confirm")
    page.wait_for_selector("#import-done")
    with workspace.sessions() as session:
        assert session.get(Supplier, "N1").products == ["lò xo nén", "lò xo xoắn"]


def test_organiser_creates_an_event_schedules_it_and_opens_an_agenda(site, page, workspace, tmp_path):
    import json

    with workspace.sessions() as session:
        create_account(
            db_session=session,
            email="fair@test.vn",
            name="Sở Công Thương",
            role="organiser",
            password="pw-fair",
        )
    event = {
        "id": "E-WEB",
        "name": "Hội chợ CNHT Hà Nội",
        "tables": 2,
        "slots": [
            {"start": "2026-11-10T09:00", "end": "2026-11-10T09:20"},
            {"start": "2026-11-10T09:20", "end": "2026-11-10T09:40"},
        ],
        "buyers": [{"id": "Yamaha", "requirement_ids": ["R-DC-JA"]}],
        "suppliers": [{"id": "0101000001"}, {"id": "0101000002"}],
    }
    path = tmp_path / "event.json"
    path.write_text(json.dumps(event, ensure_ascii=False), encoding="utf-8")
    sign_in(page, site, "fair@test.vn", "pw-fair")
    page.goto(f"{site}/events")
    page.set_input_files("#file", str(path))
    page.click("#event-upload")
    page.wait_for_url(f"{site}/events/E-WEB")
    page.click("#build-schedule")
    page.wait_for_selector("#grid")
    assert "2" in page.inner_text("#plan-summary") and "Minh Long" in page.inner_text("#grid")
    page.screenshot(path=str(ARTIFACTS / "event.png"), full_page=True)
    page.click("#agendas a[href$='/agenda/0101000001']")
    assert "Yamaha" in page.inner_text("body")


def test_organiser_drafts_an_event_from_open_requirements_and_records_the_meetings(site, page, workspace):
    with workspace.sessions() as session:
        create_account(
            db_session=session, email="fair2@test.vn", name="VASI", role="organiser", password="pw-fair2"
        )
    sign_in(page, site, "fair2@test.vn", "pw-fair2")
    page.goto(f"{site}/events")
    page.fill("#d-id", "E-DRAFT")
    page.fill("#d-name", "Kết nối cung cầu Bắc Ninh")
    page.fill("#d-day", "2026-11-10")
    page.fill("#d-start", "09:00")
    page.fill("#d-end", "10:00")
    page.fill("#d-breaks", "09:20-09:30")
    page.fill("#d-tables", "3")
    page.click("#event-draft")
    page.wait_for_url(f"{site}/events/E-DRAFT")
    assert "2 khung giờ" in page.inner_text("main") or "2 slots" in page.inner_text("main")
    page.click("#build-schedule")
    page.wait_for_selector("#grid")
    main = page.inner_text("main")  # the solver's words come in the reader's language
    assert "objective" not in main and "qualifying counterpart" not in main and "điểm mục tiêu" in main
    agenda_links = page.locator("#agendas a:text('PDF')")
    assert agenda_links.count() >= 2
    pdf = page.request.get(site + agenda_links.first.get_attribute("href"))
    assert (
        pdf.status == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.body()[:5] == b"%PDF-"
    )
    page.locator("#meetings select").first.select_option("held")
    page.locator("#meetings button").first.click()
    page.wait_for_selector("#results-summary")
    assert page.inner_text("#results-summary").startswith("1 ")
    page.screenshot(path=str(ARTIFACTS / "event-results.png"), full_page=True)


def test_officer_reviews_duplicates_merges_undoes_and_verifies_a_certificate(site, page, workspace):
    from conftest import DATA

    from matchmaker.matching import indexing
    from matchmaker.records import importing

    with workspace.sessions() as session:
        importing.import_file(db_session=session, kind="suppliers", path=DATA / "duplicates.jsonl")
        create_account(
            db_session=session, email="cb@sct.vn", name="Cán bộ Sở", role="officer", password="pw-cb"
        )
    indexing.update_index(workspace)
    sign_in(page, site, "cb@sct.vn", "pw-cb")
    page.click("#nav-records")
    pairs = page.inner_text("#duplicate-pairs")
    assert "Minh Long Aluminium Die Casting" in pairs and "cùng mã số thuế 0106666666" in pairs
    page.screenshot(path=str(ARTIFACTS / "records.png"), full_page=True)
    row = (
        page.locator("#duplicate-pairs tr", has_text="HN-KS-0042")
        .filter(has_text="Minh Long Aluminium")
        .first
    )
    row.locator("button", has_text="FAIR-7").click()
    page.wait_for_selector("#merge-log")
    assert "FAIR-7" in page.inner_text("#merge-log") and "HN-KS-0042" in page.inner_text("#merge-log")
    page.goto(f"{site}/suppliers/HN-KS-0042")
    assert "FAIR-7" in page.inner_text("#merged-note")
    page.goto(f"{site}/records")
    page.locator("#merge-log button").first.click()
    page.wait_for_selector("#merge-log")
    assert "(" in page.inner_text("#merge-log")  # undone (by, date)

    page.goto(f"{site}/suppliers/0101234567")
    assert "IATF 16949" in page.inner_text("#certificates")
    page.fill("#certificates input[name=evidence]", "https://tuv.example/0123456")
    page.click("#certificates button")
    page.wait_for_selector("#certificates .chip.ok")
    sources = page.inner_text("#sources")
    assert "duplicates.jsonl:1" in sources and "Cán bộ Sở" in sources
    page.screenshot(path=str(ARTIFACTS / "supplier-provenance.png"), full_page=True)
