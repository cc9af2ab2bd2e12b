"""``vercel-lab doctor --run``: what a local cold start came to, in the doctor's categories."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import MakeProject
from vercel_lab import Request
from vercel_lab.doctor import check_run
from vercel_lab.doctor.checks.run import outcome_findings, run_findings
from vercel_lab.examples import example
from vercel_lab.runtime.outcome import Outcome

GET = Request.get("/")


def _ids(outcome: Outcome) -> list[str]:
    return [f.id for f in outcome_findings(outcome, None)]


def test_an_answer_is_a_note_with_status_and_cold_start() -> None:
    (finding,) = outcome_findings(Outcome(GET, 200, cold_start_ms=412.4), None)
    assert (finding.id, finding.severity) == ("run-answered", "info")
    assert finding.message == "`GET /` answered 200 after a cold start of 412 ms."


def test_a_5xx_from_the_app_is_a_crash_in_a_view() -> None:
    (finding,) = outcome_findings(Outcome(GET, 500), None)
    assert (finding.id, finding.category) == ("run-server-error", "runtime-crash-in-view")


def test_a_build_error_is_read_like_a_build_log() -> None:
    log = (
        'Error: Could not find a top-level "app", "application", or "handler" in "api/index.py".\n'
    )
    outcome = Outcome(GET, None, error_code="PYTHON_ENTRYPOINT_NOT_FOUND", phase="build", log=log)
    assert _ids(outcome) == ["log-entrypoint-not-found"]


def test_no_function_at_all_is_a_missing_app() -> None:
    note = "No function serves /: the builder found no Python entrypoint in this project (...)."
    outcome = Outcome(GET, 404, error_code="NOT_FOUND", notes=(note,))
    assert _ids(outcome) == ["run-no-function"]


def test_a_timeout_without_a_log_line_is_still_a_timeout() -> None:
    outcome = Outcome(GET, 504, error_code="FUNCTION_INVOCATION_TIMEOUT", phase="invoke")
    assert _ids(outcome) == ["log-timeout"]


def test_an_oversized_request_is_a_size_limit() -> None:
    outcome = Outcome(GET, 413, error_code="FUNCTION_PAYLOAD_TOO_LARGE", phase="invoke")
    assert _ids(outcome) == ["log-payload-too-large"]


def test_a_crash_with_an_unexplained_log_is_reported_as_such() -> None:
    outcome = Outcome(
        GET,
        500,
        error_code="FUNCTION_INVOCATION_FAILED",
        phase="init",
        log="Error: Runtime exited with error: exit status 1\n",
    )
    findings = outcome_findings(outcome, None)
    assert [f.id for f in findings] == ["log-runtime-exited", "run-failed"]
    assert findings[1].message == (
        "`GET /` failed with FUNCTION_INVOCATION_FAILED (phase: init) and the function log holds "
        "no more specific error."
    )


def test_a_project_that_cannot_start_is_a_note(make_project: MakeProject) -> None:
    root = make_project({"api/index.py": "app = None\n", ".env": "not an assignment\n"})
    (finding,) = run_findings(Path(root), env_files=(Path(root) / ".env",))
    assert (finding.id, finding.severity) == ("run-could-not-start", "info")


def test_import_crash_example_fails_at_cold_start_in_its_entrypoint() -> None:
    findings = check_run(example("import-crash"))
    assert [(f.id, f.file, f.line) for f in findings] == [
        ("log-module-not-found", "api/index.py", 20)
    ]


@pytest.mark.parametrize("name", ["handler-class"])
def test_a_working_example_answers(name: str) -> None:
    (finding,) = check_run(example(name))
    assert finding.id == "run-answered"
    assert finding.message.startswith("`GET /api/index` answered 200 after a cold start of ")
