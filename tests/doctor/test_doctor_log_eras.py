"""The doctor reads function logs of both eras: the Lambda era's lines (``Error: Runtime exited
with error: ...``, ``[ERROR] RemoteDisconnected``) and the Fluid era's (``Python process exited
with exit status: N. ...``, the runtime server's ``Exception occurred during processing of
request`` block), because users paste logs of both; and ``doctor --run`` classifies what either
mode of vercel-lab writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from vercel_lab import platform
from vercel_lab.doctor.checks.log_lines import check_log_text
from vercel_lab.doctor.checks.run import run_findings

APPS = Path(__file__).resolve().parent.parent / "runtime" / "apps"

FLUID_EXIT = (
    "Python process exited with exit status: 1. The logs above can help with debugging the issue.\n"
)
LAMBDA_EXIT = "Error: Runtime exited with error: exit status 1\n"
SERVER_CRASH = (
    "----------------------------------------\n"
    "Exception occurred during processing of request from ('127.0.0.1', 48646)\n"
    "Traceback (most recent call last):\n"
    '  File "/var/lang/lib/python3.12/socketserver.py", line 692, in process_request_thread\n'
    "    self.finish_request(request, client_address)\n"
    '  File "/var/task/_vendor/vercel_runtime/vc_init.py", line 1223, in handle_request\n'
    "    response = wsgi_user_app(env, start_response)\n"
    "LookupError: no response at all\n"
    "----------------------------------------\n"
)


def ids(text: str) -> list[tuple[str, str]]:
    return sorted((f.id, f.message) for f in check_log_text(text))


@pytest.mark.parametrize(
    ("line", "detail"),
    [
        (FLUID_EXIT, "Python process exited with exit status: 1"),
        (LAMBDA_EXIT, "Runtime exited with error: exit status 1"),
    ],
)
def test_the_exit_line_of_either_era_is_recognised(line: str, detail: str) -> None:
    [(found, message)] = ids("some output\n" + line)
    assert found == "log-runtime-exited"
    assert f"`{detail}`" in message


def test_the_fluid_exit_line_is_the_one_vercel_lab_writes() -> None:
    assert platform.death("exit", 1, 300.0)[1] == FLUID_EXIT
    assert platform.death("exit", 1, 300.0, "lambda")[1] == LAMBDA_EXIT


@pytest.mark.parametrize(
    "line",
    [
        "Error: Runtime exited with error: signal: killed\n",
        "Python process exited with signal: 9 (SIGKILL). The logs above can help with "
        "debugging the issue.\n",
    ],
)
def test_a_killed_process_of_either_era_is_out_of_memory(line: str) -> None:
    assert "log-out-of-memory" in [found for found, _ in ids(line)]


def test_a_request_crash_of_the_fluid_era_is_recognised_without_remote_disconnected() -> None:
    found = [f for f in check_log_text(SERVER_CRASH) if f.id == "log-request-crashed"]
    assert [f.message.split("`")[1] for f in found] == ["LookupError: no response at all"]


def test_a_request_crash_of_the_lambda_era_is_still_recognised() -> None:
    text = "[ERROR] RemoteDisconnected: Remote end closed connection without response\n"
    [(found, message)] = ids(text)
    assert found == "log-request-crashed" and "`RemoteDisconnected`" in message


@pytest.mark.parametrize("mode", ["fluid", "lambda"])
def test_doctor_run_classifies_a_request_crash_in_either_mode(mode: str) -> None:
    findings = run_findings(APPS / "wsgi_raise_early", "/", mode=mode)
    crashed = [f for f in findings if f.id == "log-request-crashed"]
    assert crashed, [f.id for f in findings]


@pytest.mark.parametrize("mode", ["fluid", "lambda"])
def test_doctor_run_classifies_an_import_crash_in_either_mode(mode: str) -> None:
    findings = run_findings(APPS / "import_crash", "/", mode=mode)
    assert "log-module-not-found" in [f.id for f in findings] or any(
        "not_a_module_anywhere" in f.message for f in findings
    ), [(f.id, f.message) for f in findings]
