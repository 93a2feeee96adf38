"""Events end to end: the schedule command on imported data, drafting from open requirements,
agendas, what happened after, and who is invited (real database, real matcher, the CLI)."""

import json

from conftest import DATA, load
from test_scheduling import run_cli

from matchmaker.events import scheduling
from models.event import EventIn


def test_schedule_command_uses_the_matcher(cli_env, tmp_path):
    def run(*args):
        return run_cli(cli_env, *args)

    run("import", "suppliers", str(DATA / "suppliers.jsonl"))
    run("import", "requirements", str(DATA / "requirements.jsonl"))
    event = {
        "id": "E1",
        "name": "Kết nối cung cầu 2026",
        "tables": 2,
        "slots": [
            {"start": "2026-11-10T09:00", "end": "2026-11-10T09:20"},
            {"start": "2026-11-10T09:20", "end": "2026-11-10T09:40"},
        ],
        "buyers": [
            {"id": "Yamaha", "requirement_ids": ["R-DC-JA"], "max_meetings": 2, "unavailable_slots": []},
            {"id": "Changshin", "requirement_ids": ["R-SOLE-KO"], "max_meetings": 2},
        ],
        "suppliers": [{"id": "0101000001"}, {"id": "0101000010"}, {"id": "0101000011", "max_meetings": 1}],
        "requests": [{"buyer_id": "Yamaha", "supplier_id": "0101000011", "kind": "avoid"}],
    }
    path = tmp_path / "event.json"
    path.write_text(json.dumps(event, ensure_ascii=False), encoding="utf-8")
    result = run("schedule", str(path), "--format", "json")
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert {"meetings", "objective", "bound", "unmet_requests"} <= set(body)
    pairs = {(m["buyer_id"], m["supplier_id"]) for m in body["meetings"]}
    assert ("Yamaha", "0101000001") in pairs and ("Changshin", "0101000010") in pairs
    assert ("Yamaha", "0101000011") not in pairs
    for fmt, marker in (("csv", "slot,start,end"), ("ics", "BEGIN:VCALENDAR"), ("html", "<table>")):
        assert marker in run("schedule", str(path), "--format", fmt).stdout
    per_person = tmp_path / "calendars"
    assert run("schedule", str(path), "--format", "ics", "--out", str(per_person)).returncode == 0
    assert (
        "0101000001" in (per_person / "Yamaha.ics").read_text()
        or "0101000001" in (per_person / "0101000001.ics").read_text()
    )
    assert sorted(p.name for p in per_person.iterdir()) == sorted(
        f"{x}.ics" for x in ["Yamaha", "Changshin", "0101000001", "0101000010", "0101000011"]
    )
    assert (
        run("schedule", str(path), "--format", "agenda", "--out", str(tmp_path / "agendas")).returncode == 0
    )
    agenda = (tmp_path / "agendas" / "0101000001.html").read_text()
    assert "Yamaha" in agenda
    assert "<title>Công ty TNHH Đúc nhôm Minh Long · " in agenda  # a name, not an id, in the title
    held = run("event", "held", "E1", "Yamaha", "0101000001", "--by", "organiser")
    assert held.returncode == 0, held.stderr
    outcome = json.loads(held.stdout)
    assert (outcome["requirement_id"], outcome["stage"], outcome["event_date"]) == (
        "R-DC-JA",
        "meeting",
        "2026-11-10",
    )
    assert run("event", "held", "E1", "Yamaha", "0101000011").returncode == 2  # never scheduled (avoided)
    event["suppliers"].append({"id": "NOT-IMPORTED"})
    path.write_text(json.dumps(event), encoding="utf-8")
    bad = run("schedule", str(path))
    assert bad.returncode == 2 and "NOT-IMPORTED" in bad.stderr


def test_draft_schedule_agendas_and_what_happened_after(cli_env, tmp_path):
    """An organiser drafts an event from the open requirements, schedules it, prints PDF agendas
    and records afterwards which meetings were held and how far the pairs went."""
    from pypdf import PdfReader

    def run(*args):
        return run_cli(cli_env, *args)

    run("import", "suppliers", str(DATA / "suppliers.jsonl"))
    run("import", "requirements", str(DATA / "requirements.jsonl"))
    path = tmp_path / "fair.json"
    drafted = run(
        "event", "draft", "--id", "FAIR", "--name", "Hội chợ CNHT Hà Nội", "--day", "2026-11-10",
        "--start", "09:00", "--end", "10:30", "--break", "09:40-09:50", "--tables", "3",
        "--per-requirement", "3", "--out", str(path),
    )  # fmt: skip
    assert drafted.returncode == 0, drafted.stderr
    event = json.loads(path.read_text())
    requirements = [json.loads(line) for line in (DATA / "requirements.jsonl").read_text().splitlines()]
    assert sum(len(b["requirement_ids"]) for b in event["buyers"]) == len(requirements)
    assert 3 <= len(event["suppliers"]) <= 3 * len(requirements)
    assert len(EventIn.model_validate(event).slots) == 4  # 09:00, 09:20, 09:50, 10:10
    pdfs = tmp_path / "pdf"
    made = run("schedule", str(path), "--format", "pdf", "--out", str(pdfs))
    assert made.returncode == 0, made.stderr
    plan = json.loads(run("schedule", str(path)).stdout)
    first = plan["meetings"][0]
    suppliers = {
        s["id"]: s["name"] for s in map(json.loads, (DATA / "suppliers.jsonl").read_text().splitlines())
    }
    text = " ".join(page.extract_text() for page in PdfReader(pdfs / f"{first['buyer_id']}.pdf").pages)
    assert (
        "Hội chợ CNHT Hà Nội" in text and suppliers[first["supplier_id"]] in text
    )  # names, diacritics intact
    assert len(list(pdfs.glob("*.pdf"))) == len(event["buyers"]) + len(event["suppliers"])
    # Japanese and Korean requirement titles print too (Noto Sans CJK from PyPI), read back:
    printed = "".join(
        page.extract_text() for pdf in sorted(pdfs.glob("*.pdf")) for page in PdfReader(pdf).pages
    ).translate({ord(" "): None, 0: None})
    assert "二輪エンジン用アルミダイカスト部品" in printed and "신발밑창" in printed

    second = plan["meetings"][1]
    assert run("event", "held", "FAIR", first["buyer_id"], first["supplier_id"]).returncode == 0
    missing_reason = run(
        "event", "not-held", "FAIR", second["buyer_id"], second["supplier_id"], "--reason", "x"
    )
    assert missing_reason.returncode == 2
    assert (
        run(
            "event",
            "not-held",
            "FAIR",
            second["buyer_id"],
            second["supplier_id"],
            "--reason",
            "supplier_absent",
        )
    ).returncode == 0
    contract = run(
        "event",
        "follow-up",
        "FAIR",
        first["buyer_id"],
        first["supplier_id"],
        "contract",
        "--value-vnd",
        "500000000",
    )
    assert contract.returncode == 0, contract.stderr
    results = json.loads(run("event", "results", "FAIR").stdout)
    assert (results["held"], results["not_held"], results["not_held_reasons"]) == (
        1,
        1,
        {"supplier_absent": 1},
    )
    assert results["unrecorded"] == len(plan["meetings"]) - 2 and results["furthest_stage"] == {"contract": 1}
    assert results["attendance_rate"] == 0.5
    # A correction is a new record; the later one counts.
    run("event", "held", "FAIR", second["buyer_id"], second["supplier_id"])
    assert json.loads(run("event", "results", "FAIR").stdout)["held"] == 2


def test_suppliers_lacking_a_required_certificate_are_invited_last(cli_env):
    """R-DC-EN requires IATF 16949: 0101000001 holds it, 0101000005's expired, 0101000006 is
    only implementing it. With one table and one slot, the holder gets the meeting."""
    from pathlib import Path

    from conftest import open_workspace

    run_cli(cli_env, "import", "suppliers", str(DATA / "suppliers.jsonl"))
    run_cli(cli_env, "import", "requirements", str(DATA / "requirements.jsonl"))
    ws = open_workspace(Path(cli_env["MATCHMAKER_DATA_DIR"]))
    event = EventIn(
        id="E-CERT",
        name="Kết nối",
        tables=1,
        slots=[{"start": "2026-11-10T09:00", "end": "2026-11-10T09:20"}],
        buyers=[{"id": "Honda", "requirement_ids": ["R-DC-EN"], "max_meetings": 1}],
        suppliers=[{"id": s} for s in ("0101000005", "0101000006", "0101000001")],
    )
    scores = scheduling.pair_scores(ws, event)
    assert scores[("Honda", "0101000001")] > max(scores[("Honda", s)] for s in ("0101000005", "0101000006"))
    assert scheduling.solve(event, scores).meetings[0]["supplier_id"] == "0101000001"
    ws.close()


def test_a_lead_firm_spelled_two_ways_is_one_buyer(workspace, tmp_path):
    from datetime import date

    from matchmaker.events import service as events
    from models.event import TimetableIn

    load(workspace)
    extra = tmp_path / "more.jsonl"
    extra.write_text(
        json.dumps({"id": "R-DC-VI", "lead_firm": "Yamaha Motor Việt Nam", "title": "Vỏ nhôm đúc áp lực"})
        + "\n",
        encoding="utf-8",
    )
    from matchmaker.matching import indexing
    from matchmaker.records import importing

    with workspace.sessions() as session:
        assert importing.import_file(db_session=session, kind="requirements", path=extra).ok
    indexing.update_index(workspace)
    drafted = events.draft_event(
        workspace,
        event_id="F",
        name="Hội chợ",
        timetable=TimetableIn(days=[date(2026, 11, 10)], start="09:00", end="10:00", slot_minutes=20),
        tables=5,
    )
    yamaha = [b for b in drafted.buyers if "yamaha" in b.id]
    assert len(yamaha) == 1 and set(yamaha[0].requirement_ids) == {"R-DC-JA", "R-DC-VI"}


def test_pairs_that_met_at_an_earlier_event_count_less_unless_asked_for(workspace):

    from matchmaker.events import service as events
    from models.event import MeetingRecord

    load(workspace)
    event = EventIn(
        id="E-NEXT",
        name="Lần hai",
        tables=2,
        slots=[{"start": "2026-11-10T09:00", "end": "2026-11-10T09:20"}],
        buyers=[{"id": "Honda", "requirement_ids": ["R-DC-EN"]}],
        suppliers=[{"id": "0101000001"}, {"id": "0101000004"}],
    )
    before = scheduling.pair_scores(workspace, event)
    events.save_event(workspace, event.model_copy(update={"id": "E-FIRST"}), "organiser")
    with workspace.sessions() as session:  # the first fair: Honda met 0101000001
        session.add(
            MeetingRecord(
                event_id="E-FIRST", buyer_id="Honda", supplier_id="0101000001", result="held", recorded_by="o"
            )
        )
        session.commit()
    after = scheduling.pair_scores(workspace, event)
    assert after[("Honda", "0101000001")] < before[("Honda", "0101000001")]
    assert after[("Honda", "0101000004")] == before[("Honda", "0101000004")]
    wish = [{"buyer_id": "Honda", "supplier_id": "0101000001", "kind": "want"}]
    asked = EventIn.model_validate({**event.model_dump(), "requests": wish})
    assert (
        scheduling.pair_scores(workspace, asked)[("Honda", "0101000001")] == before[("Honda", "0101000001")]
    )
