"""The `matchmaker` command end to end, as CONTRACT.md runs it (real processes, real files)."""

import json
import subprocess
import sys
from pathlib import Path

from conftest import DATA


def run(env, *args, check=True):
    result = subprocess.run(
        [sys.executable, "-m", "matchmaker", *args], env=env, capture_output=True, text=True, timeout=300
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


def test_import_index_match_opportunities(cli_env):
    run(cli_env, "import", "suppliers", str(DATA / "suppliers.jsonl"))
    run(cli_env, "import", "requirements", str(DATA / "requirements.jsonl"))
    indexed = run(cli_env, "index")
    assert "15 added" in indexed.stderr

    single = json.loads(run(cli_env, "match", "R-DC-JA", "--top", "3", "--format", "json").stdout)
    assert single["requirement_id"] == "R-DC-JA" and len(single["matches"]) == 3
    assert single["matches"][0]["supplier_id"] == "0101000001"

    lines = run(cli_env, "match", "--all", "--top", "5", "--format", "jsonl").stdout.strip().splitlines()
    assert len(lines) == 5
    for line in lines:
        body = json.loads(line)
        scores = [m["score"] for m in body["matches"]]
        assert scores == sorted(scores, reverse=True)
        assert all({"supplier_id", "score", "explanation"} <= set(m) for m in body["matches"])

    table = run(cli_env, "match", "R-BASE-VI", "--top", "3").stdout
    assert "0101000011" in table

    opportunities = json.loads(run(cli_env, "opportunities", "0101000010", "--format", "json").stdout)
    assert opportunities["supplier_id"] == "0101000010"
    assert opportunities["opportunities"][0]["requirement_id"] == "R-SOLE-KO"


def test_bad_file_exits_2_listing_every_bad_row(cli_env, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name,employees\nA1,Good firm,10\nA2,,20\nA3,Bad,many\n", encoding="utf-8")
    result = run(cli_env, "import", "suppliers", str(bad), check=False)
    assert result.returncode == 2
    assert f"{bad}:3: name:" in result.stderr
    assert f"{bad}:4: employees:" in result.stderr
    assert "nothing imported" in result.stderr
    run(cli_env, "import", "suppliers", str(DATA / "suppliers.jsonl"))
    ok = run(cli_env, "import", "suppliers", str(DATA / "suppliers.jsonl"), "--dry-run")
    assert "would import 15" in ok.stderr


def test_unknown_ids_exit_2_without_traceback(cli_env):
    result = run(cli_env, "match", "NOPE", check=False)
    assert result.returncode == 2 and "NOPE" in result.stderr and "Traceback" not in result.stderr
    result = run(cli_env, "opportunities", "NOPE", check=False)
    assert result.returncode == 2


def test_unknown_backend_exits_1_with_one_line(cli_env):
    env = {**cli_env, "MATCHMAKER_SEARCH_BACKEND": "solr"}
    run(env, "import", "requirements", str(DATA / "requirements.jsonl"))
    result = run(env, "match", "R-DC-JA", check=False)
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "Traceback" not in result.stderr


def test_tokens_and_outcomes_from_the_command_line(cli_env):
    run(cli_env, "import", "suppliers", str(DATA / "suppliers.jsonl"))
    run(cli_env, "import", "requirements", str(DATA / "requirements.jsonl"))
    token = run(cli_env, "token", "create", "--role", "buyer", "--name", "Changshin buyer").stdout.strip()
    assert token.startswith("mm_") and len(token) > 30
    assert run(cli_env, "token", "create", "--role", "supplier", check=False).returncode == 2
    assert run(cli_env, "token", "create", "--role", "king", check=False).returncode == 2

    event = json.loads(
        run(
            cli_env,
            "outcome",
            "add",
            "R-SOLE-KO",
            "0101000010",
            "contract",
            "--value-vnd",
            "1500000000",
            "--date",
            "2026-03-02",
        ).stdout
    )
    assert (
        event["stage"] == "contract"
        and event["value_vnd"] == 1_500_000_000
        and event["event_date"] == "2026-03-02"
    )
    rejected = run(cli_env, "outcome", "add", "R-SOLE-KO", "0101000011", "rejected", check=False)
    assert rejected.returncode == 2 and "reason" in rejected.stderr
    assert run(cli_env, "outcome", "add", "R-SOLE-KO", "NOPE", "contacted", check=False).returncode == 2


def test_a_second_demo_on_the_same_data_is_quiet(cli_env):
    """The README's main job, twice: the second run reads every row as unchanged and writes no
    record version, no outcome and no account again."""
    from sqlalchemy import func, select

    from matchmaker.workspace import Workspace
    from models.outcome import Outcome
    from models.provenance import RecordVersion

    def counts() -> tuple[int, int]:
        ws = Workspace.at(Path(cli_env["MATCHMAKER_DATA_DIR"]), cli_env.get("MATCHMAKER_DATABASE_URL"))
        with ws.sessions() as session:
            found = (
                session.scalar(select(func.count()).select_from(RecordVersion)),
                session.scalar(select(func.count()).select_from(Outcome)),
            )
        ws.close()
        return found

    first = run(cli_env, "demo", "--no-serve")
    assert "355 new" in first.stderr
    before = counts()
    second = run(cli_env, "demo", "--no-serve")
    assert "0 new, 0 updated, 355 unchanged" in second.stderr and "simulated" not in second.stderr
    assert counts() == before and before[0] > 0
