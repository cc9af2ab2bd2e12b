"""`vercel-lab invoke` and `explain`: output, --json keys, exit statuses, bad input, Ctrl-C."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import MakeProject, processes_in
from vercel_lab.cli.main import main
from vercel_lab.examples import example
from vercel_lab.site import SITE_URL

JSON_KEYS = [
    "status",
    "headers",
    "body",
    "body_encoding",
    "error_code",
    "phase",
    "log",
    "cold_start_ms",
    "deps",
    "env_sources",
    "excluded_files",
    "preset",
    "preset_source",
    "mode",
    "ttfb_ms",
]


def run_cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "vercel_lab", *args], capture_output=True, text=True, timeout=timeout
    )


def test_json_for_a_build_failure_has_exactly_the_documented_keys() -> None:
    done = run_cli("invoke", str(example("seed-broken")), "--json")
    data = json.loads(done.stdout)
    assert done.returncode == 1
    assert list(data) == JSON_KEYS
    assert (data["status"], data["phase"], data["error_code"], data["cold_start_ms"]) == (
        None,
        "build",
        "PYTHON_ENTRYPOINT_NOT_FOUND",
        None,
    )


def test_json_for_a_forced_entrypoint_shows_the_invoke_crash() -> None:
    done = run_cli(
        "invoke", str(example("seed-broken")), "--entrypoint", "api/index.py:handler", "--json"
    )
    data = json.loads(done.stdout)
    assert done.returncode == 1
    assert (data["status"], data["error_code"], data["phase"]) == (
        500,
        "FUNCTION_INVOCATION_FAILED",
        "invoke",
    )
    assert "AttributeError: 'dict' object has no attribute 'method'" in data["log"]
    assert ["x-vercel-error", "FUNCTION_INVOCATION_FAILED"] in data["headers"]
    assert data["body_encoding"] == "text" and isinstance(data["cold_start_ms"], float)


def test_human_output_shows_status_headers_body_and_log(make_project: MakeProject) -> None:
    project = make_project(
        {
            "api/index.py": """
        def app(environ, start_response):
            print("handling", environ["REQUEST_METHOD"], environ["wsgi.input"].read().decode())
            start_response("201 Created", [("Content-Type", "text/plain"), ("X-Extra", "1")])
            return [b"made it"]
    """
        }
    )
    done = run_cli(
        "invoke",
        str(project),
        "--path",
        "/api/index",
        "-X",
        "post",
        "--data",
        "payload",
        "-H",
        "X-Client: yes",
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "POST /api/index"
    assert lines[1].startswith(
        "HTTP 201  answered by the function  ·  api/index.py:app  ·  cold start "
    )
    assert "content-type: text/plain" in lines
    assert "made it" in lines
    assert "handling POST payload" in lines


def test_data_from_a_file_and_binary_body_in_json(
    make_project: MakeProject, tmp_path: Path
) -> None:
    project = make_project(
        {
            "api/index.py": """
        def app(environ, start_response):
            start_response("200 OK", [("Content-Type", "application/octet-stream")])
            return [environ["wsgi.input"].read() + b"\\xff"]
    """
        }
    )
    body = tmp_path / "body.bin"
    body.write_bytes(b"abc")
    done = run_cli(
        "invoke", str(project), "--path", "/api/index", "-X", "POST", "--data", f"@{body}", "--json"
    )
    data = json.loads(done.stdout)
    assert (data["body"], data["body_encoding"]) == ("YWJj/w==", "base64")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["invoke", "/no/such/folder"],
            "vercel-lab: error: no such project folder: /no/such/folder",
        ),
        (["invoke", ".", "--timeout", "0"], "argument --timeout: must be more than 0 seconds: '0'"),
        (
            ["invoke", ".", "--env", "NOEQUALS"],
            "argument --env: expected KEY=VALUE, got 'NOEQUALS'",
        ),
        (
            ["invoke", ".", "-H", "no colon"],
            "argument -H/--header: expected 'Name: value', got 'no colon'",
        ),
        (
            ["invoke", ".", "--path", "relative"],
            "vercel-lab: error: the request path must start with '/': 'relative'",
        ),
        (
            ["invoke", ".", "--data", "@/no/such/file"],
            "vercel-lab: error: cannot read --data file /no/such/file: No such file or directory",
        ),
        (
            ["invoke", ".", "--runtime-version", "latest"],
            "vercel-lab: error: not a vercel-runtime release number: 'latest' (e.g. 0.10.0)",
        ),
        (
            ["explain", "NOPE"],
            "vercel-lab: error: unknown error code 'NOPE'; run 'vercel-lab explain' for the list",
        ),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(
    args: list[str],
    message: str,
    make_project: MakeProject,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(make_project({"api/index.py": "def app(e, s): pass\n"}))
    with pytest.raises(SystemExit) as exited:
        main(args)
    assert exited.value.code == 2
    assert message in capsys.readouterr().err


def test_bad_entrypoint_option_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["invoke", str(example("seed-broken")), "--entrypoint", "api/missing.py:app"])
    assert exited.value.code == 2
    assert capsys.readouterr().err.startswith("vercel-lab: error: ")


def test_explain_names_status_meaning_and_chapter(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "function_invocation_failed"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "FUNCTION_INVOCATION_FAILED: HTTP 500 INTERNAL_SERVER_ERROR"
    assert out[-1] == f"Explained in: {SITE_URL}tutorial/01-the-fix.html"


def test_ctrl_c_during_invoke_stops_the_function_and_exits_130(make_project: MakeProject) -> None:
    project = make_project(
        {
            "api/index.py": """
        import time
        def app(environ, start_response):
            print("started", flush=True)
            time.sleep(60)
    """
        }
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "vercel_lab", "invoke", str(project), "--path", "/api/index"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while not processes_in(project) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert processes_in(project), "the function never started"
    time.sleep(0.5)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert err.strip().endswith("vercel-lab: interrupted; the function's process was stopped")
    assert processes_in(project) == []


def test_python_dash_m_and_version() -> None:
    done = run_cli("--version")
    assert done.returncode == 0 and done.stdout.startswith("vercel-lab 0.1.0")
