"""Fuzz the OpenAPI schema against a real server: whatever arrives, never a 500, and every
answer (errors included) has the shape the schema documents."""

import pytest
import schemathesis
from conftest import load, open_workspace
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import response_schema_conformance
from test_api import serve

from matchmaker.accounts.service import create_token
from web.app import create_app

# The schema does not depend on the data, so it is read from an app with no workspace.
SCHEMA = schemathesis.openapi.from_dict(create_app(None).openapi())  # type: ignore[arg-type]
OPERATIONS = {op.ok().label: op.ok() for op in SCHEMA.get_all_operations()}


@pytest.fixture(scope="module")
def fuzz_target(tmp_path_factory):

    path = tmp_path_factory.mktemp("fuzz")
    ws = open_workspace(path)
    load(ws)
    with ws.sessions() as session:
        token = create_token(db_session=session, role="admin", name="fuzzer")
    for client in serve(ws):
        yield str(client.base_url), token
    ws.close()


@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_no_request_makes_a_server_error(label, fuzz_target):
    base_url, token = fuzz_target

    @given(case=OPERATIONS[label].as_strategy(), authorised=st.booleans())
    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
    def check(case, authorised):
        headers = {"Authorization": f"Bearer {token}"} if authorised else None
        response = case.call(base_url=base_url, headers=headers)
        assert response.status_code < 500, (label, case.path_parameters, case.body, response.text[:300])
        case.validate_response(response, checks=(response_schema_conformance,))

    check()


def test_every_schemathesis_phase_finds_no_server_error_and_no_schema_violation(fuzz_target):
    """Coverage, fuzzing and stateful phases over the whole API, as an outside check would run
    them (revoking tokens is left out: the fuzzer would revoke its own credentials)."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    base_url, token = fuzz_target
    cli = shutil.which("schemathesis") or str(Path(sys.executable).parent / "schemathesis")
    run = subprocess.run(
        [
            cli, "run", f"{base_url}/openapi.json",
            "--phases", "coverage,fuzzing,stateful",
            "--checks", "not_a_server_error,response_schema_conformance,status_code_conformance",
            "-H", f"Authorization: Bearer {token}",
            "--exclude-path", "/api/v1/tokens/revoke",
            "--max-examples", "10",
            "--seed", "20261203",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-4000:]
