"""Fluid (IPC) mode, the default: vercel-lab plays the platform against the real vercel-runtime.

The apps are in ``tests/runtime/apps`` (a vercel.json rewrites every path to ``/api/index``).
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from importlib.metadata import version
from pathlib import Path

import pytest

from tests.runtime.runtime_apps import APPS, app_copy, live_processes_in
from vercel_lab import Function
from vercel_lab.runtime.events import Request

EXIT_LINE = (
    "Python process exited with exit status: 1. The logs above can help with debugging the issue."
)


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "vercel_lab", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_flask_answers_and_never_sees_the_internal_headers() -> None:
    with Function(APPS / "flask_ok") as function:
        outcome = function.invoke("/")
    assert (outcome.status, outcome.mode, outcome.error_code) == (200, "fluid", None)
    assert json.loads(outcome.body) == {"path": "/", "internal": []}
    # print() in the request and the runtime's access line, both tagged with this invocation
    lines = outcome.log_lines()
    assert lines[0] == "hello from flask None"
    assert lines[1].endswith('"GET / HTTP/1.1" 200 -') and len(lines) == 2
    assert outcome.ttfb_ms is not None and 0 < outcome.ttfb_ms <= outcome.duration_ms
    assert outcome.cold_start_ms is not None


def test_fastapi_route_that_raises_is_500_with_uvicorns_line_in_its_log() -> None:
    with Function(APPS / "fastapi_raise") as function:
        outcome = function.invoke("/boom")
        after = function.invoke("/ok")
    assert (outcome.status, outcome.body, outcome.error_code) == (
        500,
        b"Internal Server Error",
        None,
    )
    assert outcome.log.startswith("about to fail\nException in ASGI application\n")
    assert outcome.log.endswith('raise ValueError("kaboom 42")\nValueError: kaboom 42\n')
    # uvicorn logs after the invocation's end, without an invocation id: the attribution is
    # vercel-lab's model, and the outcome says so
    assert [n for n in outcome.notes if n.startswith("modelled: 1 log write(s) came after")]
    assert after.status == 200 and after.log == "" and after.notes == ()


def test_the_fastapi_fixture_through_the_cli_says_fluid_in_json() -> None:
    done = cli("invoke", str(APPS / "fastapi_raise"), "--path", "/boom", "--json")
    data = json.loads(done.stdout)
    assert done.returncode == 0  # the function answered (its own 500)
    assert (data["status"], data["mode"]) == (500, "fluid")
    assert "Exception in ASGI application" in data["log"]
    assert "ValueError: kaboom 42" in data["log"]
    assert isinstance(data["ttfb_ms"], float)


def test_an_init_crash_answers_the_text_body_and_logs_todays_exit_line(tmp_path: Path) -> None:
    project = app_copy(tmp_path, "import_crash")
    with Function(project) as function:
        outcome = function.invoke("/")
    assert (outcome.status, outcome.error_code, outcome.phase) == (
        500,
        "FUNCTION_INVOCATION_FAILED",
        "init",
    )
    assert outcome.text == "A server error has occurred\n\nFUNCTION_INVOCATION_FAILED\n"
    assert outcome.header("content-type") == "text/plain; charset=utf-8"
    assert outcome.log.startswith('could not import "api/index.py":\nTraceback')
    # vc_init writes its fatal text first, then flushes the init-log buffer at exit
    assert outcome.log.index("No module named 'not_a_module_anywhere'") < outcome.log.index(
        "before the crash"
    )
    assert outcome.log_lines()[-1] == EXIT_LINE
    assert "Runtime exited" not in outcome.log
    assert live_processes_in(project) == []


@pytest.mark.parametrize(
    ("accept", "content_type", "start"),
    [
        (None, "text/plain; charset=utf-8", b"A server error has occurred\n\n"),
        ("*/*", "text/plain; charset=utf-8", b"A server error has occurred\n\n"),
        ("text/html,application/xhtml+xml", "text/html; charset=utf-8", b"<!DOCTYPE html>"),
        ("application/json", "application/json", b'{"error":{"code":500,'),
    ],
)
def test_the_platforms_error_body_follows_accept(
    accept: str | None, content_type: str, start: bytes
) -> None:
    headers = (("accept", accept),) if accept else ()
    with Function(APPS / "import_crash") as function:
        outcome = function.invoke(Request("GET", "/", headers))
    assert outcome.header("content-type") == content_type
    assert outcome.body.startswith(start)
    assert outcome.header("x-vercel-error") == "FUNCTION_INVOCATION_FAILED"
    if accept and "html" in accept:
        assert b"<code>FUNCTION_INVOCATION_FAILED</code>" in outcome.body
        assert f"<code>{outcome.header('x-vercel-id')}</code>".encode() in outcome.body


def test_a_wsgi_app_that_raises_before_start_response_is_a_modelled_crash(
    tmp_path: Path,
) -> None:
    project = app_copy(tmp_path, "wsgi_raise_early")
    with Function(project) as function:
        outcome = function.invoke("/")
        pids = live_processes_in(project)
        again = function.invoke("/")
    assert (outcome.status, outcome.error_code, outcome.phase) == (
        500,
        "FUNCTION_INVOCATION_FAILED",
        "invoke",
    )
    assert outcome.notes[0].startswith("modelled: the runtime closed the connection")
    assert "LookupError: no response at all" in outcome.log
    assert "(modelled)" in str(outcome).splitlines()[1]
    # the runtime lives on in fluid mode: the next request goes to the same warm instance
    assert len(pids) == 1 and again.cold_start_ms is None
    assert live_processes_in(project) == []


@pytest.mark.parametrize("mode", ["fluid", "lambda"])
def test_an_exception_after_start_response_gives_200_and_a_cut_body(mode: str) -> None:
    with Function(APPS / "wsgi_mid_raise", mode=mode) as function:
        outcome = function.invoke("/")
    assert (outcome.status, outcome.body, outcome.error_code) == (200, b"first part;", None)
    assert "RuntimeError: broken mid-body" in outcome.log


def test_os_exit_in_a_request_is_a_crash_and_the_instance_is_replaced(tmp_path: Path) -> None:
    project = app_copy(tmp_path, "flask_ok")
    (project / "api" / "index.py").write_text(
        "import os\n\ndef app(environ, start_response):\n    print('bye', flush=True)\n"
        "    os._exit(1)\n"
    )
    with Function(project) as function:
        outcome = function.invoke("/")
        pids = live_processes_in(project)
    assert (outcome.status, outcome.error_code, outcome.phase) == (
        500,
        "FUNCTION_INVOCATION_FAILED",
        "invoke",
    )
    assert outcome.log_lines() == ["bye", EXIT_LINE]
    assert pids == []


def test_a_request_over_the_duration_is_504_and_the_instance_is_stopped(
    tmp_path: Path,
) -> None:
    project = app_copy(tmp_path, "flask_ok")
    (project / "api" / "index.py").write_text(
        "import time\n\ndef app(environ, start_response):\n    time.sleep(30)\n"
    )
    with Function(project, max_duration=1) as function:
        outcome = function.invoke("/")
        pids = live_processes_in(project)
    assert (outcome.status, outcome.error_code) == (504, "FUNCTION_INVOCATION_TIMEOUT")
    assert outcome.log_lines()[-1] == (
        "Vercel Runtime Timeout Error: Task timed out after 1 seconds"
    )
    assert pids == []


def test_ten_concurrent_requests_share_one_instance_on_ten_threads(tmp_path: Path) -> None:
    project = app_copy(tmp_path, "slow")
    with Function(project) as function:
        outcomes = function.invoke_many(["/slow"] * 10)
        pids = live_processes_in(project)
    assert [o.status for o in outcomes] == [200] * 10
    bodies = [json.loads(o.body) for o in outcomes]
    assert all(b["together"] for b in bodies)  # all ten were in the handler at once
    assert len({b["thread"] for b in bodies}) == 10
    assert len(pids) == 1
    for outcome in outcomes:  # each log holds its own print and access line, nothing else
        assert outcome.log_lines()[0] == "slow done" and len(outcome.log_lines()) == 2
    assert live_processes_in(project) == []


def test_concurrent_invoke_calls_from_threads_share_the_instance(tmp_path: Path) -> None:
    project = app_copy(tmp_path, "slow")
    results: list[int | None] = []
    with Function(project) as function:
        threads = [
            threading.Thread(target=lambda: results.append(function.invoke("/slow").status))
            for _ in range(10)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(live_processes_in(project)) == 1
    assert results == [200] * 10
    assert live_processes_in(project) == []


def test_invoke_json_says_fluid_by_default_and_lambda_when_asked() -> None:
    fluid = json.loads(cli("invoke", str(APPS / "flask_ok"), "--json").stdout)
    legacy = json.loads(cli("invoke", str(APPS / "flask_ok"), "--json", "--mode", "lambda").stdout)
    assert (fluid["mode"], fluid["status"]) == ("fluid", 200)
    assert (legacy["mode"], legacy["status"]) == ("lambda", 200)
    # lambda mode has no IPC: the print goes to the process's stdout, untagged, all the same
    assert "hello from flask" in legacy["log"]


def test_an_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="mode must be one of fluid, lambda"):
        Function(APPS / "flask_ok", mode="edge")
    done = cli("invoke", str(APPS / "flask_ok"), "--mode", "edge")
    assert done.returncode == 2 and "invalid choice: 'edge'" in done.stderr


def test_the_mode_help_says_no_vercel_json_key_turns_fluid_off() -> None:
    for command in ("invoke", "serve", "doctor"):
        text = " ".join(cli(command, "--help").stdout.split())
        assert "No vercel.json key turns Fluid off" in text, command


def test_a_bundle_style_project_path_resolves(tmp_path: Path) -> None:
    """Requests for paths no function serves still answer the platform's 404 text."""
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "index.py").write_text(
        "def app(environ, start_response):\n    start_response('200 OK', [])\n    return [b'x']\n"
    )
    with Function(tmp_path) as function:
        outcome = function.invoke("/nowhere")
    assert (outcome.status, outcome.text) == (404, "The page could not be found.\n\nNOT_FOUND\n")


def test_a_failed_asgi_lifespan_startup_crashes_the_function(tmp_path: Path) -> None:
    """0.23.2 (the pin) announces ``server-started`` before uvicorn's lifespan startup, which
    then fails and exits 0; 0.24.1 on Hive waits for it and exits 1 at init (vc_init.py 0.24.1
    l. 1209-1231). Either way the client gets FUNCTION_INVOCATION_FAILED."""
    project = app_copy(tmp_path, "asgi_lifespan_fail")
    with Function(project) as function:
        outcome = function.invoke("/")
    hive = tuple(int(p) for p in version("vercel-runtime").split(".")[:2]) >= (0, 24)
    assert (outcome.status, outcome.error_code) == (500, "FUNCTION_INVOCATION_FAILED")
    assert "RuntimeError: database unreachable at startup" in outcome.log
    status = 1 if hive else 0
    assert outcome.phase == ("init" if hive else "invoke")
    assert outcome.log_lines()[-1] == EXIT_LINE.replace("status: 1", f"status: {status}")
    assert live_processes_in(project) == []
