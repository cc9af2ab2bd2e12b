"""Streaming end to end: from the runtime into the Outcome and to ``serve``'s client, chunk by
chunk; no response size limit in fluid mode, 4.5 MB in lambda mode; ``ttfb_ms``."""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import time
from pathlib import Path

from tests.runtime.runtime_apps import APPS, InProcessServer, app_copy, live_processes_in
from vercel_lab import Function
from vercel_lab.platform import PAYLOAD_LIMIT_BYTES
from vercel_lab.runtime.events import Request

SIX_MIB = 96 * 65536
DRIP = """
import time

def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])

    def body():
        yield b"first;"
        time.sleep(0.8)
        yield b"second"

    return body()
"""


def test_a_6_mb_streamed_wsgi_body_arrives_whole_in_fluid_mode() -> None:
    heads: list[tuple[int, dict[str, str]]] = []
    sizes: list[int] = []
    with Function(APPS / "wsgi_stream") as function:
        outcome = function.invoke(
            "/",
            on_head=lambda status, headers: heads.append((status, dict(headers))),
            on_chunk=lambda data: sizes.append(len(data)),
        )
    assert (outcome.status, outcome.error_code, outcome.mode) == (200, None, "fluid")
    assert outcome.body == b"x" * SIX_MIB and sum(sizes) == SIX_MIB and len(sizes) > 1
    [(status, headers)] = heads
    assert status == 200 and headers["x-vercel-id"] == outcome.header("x-vercel-id")
    assert headers["server"] == "Vercel"
    # the app pauses 20 ms before every 16th chunk: the first bytes come well before the last
    assert outcome.ttfb_ms is not None and outcome.ttfb_ms + 80 < outcome.duration_ms


def test_the_same_body_in_lambda_mode_is_function_response_payload_too_large() -> None:
    with Function(APPS / "wsgi_stream", mode="lambda") as function:
        outcome = function.invoke("/")
    assert (outcome.status, outcome.error_code, outcome.mode) == (
        500,
        "FUNCTION_RESPONSE_PAYLOAD_TOO_LARGE",
        "lambda",
    )
    assert outcome.text == "A server error has occurred\n\nFUNCTION_RESPONSE_PAYLOAD_TOO_LARGE\n"


def test_the_cli_answers_200_with_every_byte_by_default_and_500_in_lambda_mode() -> None:
    def run(*extra: str) -> tuple[int, dict[str, object]]:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "vercel_lab",
                "invoke",
                str(APPS / "wsgi_stream"),
                "--json",
                *extra,
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        return done.returncode, json.loads(done.stdout)

    code, data = run()
    assert (code, data["status"], data["mode"], data["error_code"]) == (0, 200, "fluid", None)
    assert data["body"] == "x" * SIX_MIB
    assert isinstance(data["ttfb_ms"], float)
    code, data = run("--mode", "lambda")
    assert (code, data["status"], data["error_code"]) == (
        1,
        500,
        "FUNCTION_RESPONSE_PAYLOAD_TOO_LARGE",
    )


def test_a_6_mb_asgi_streaming_response_arrives_whole() -> None:
    with Function(APPS / "fastapi_stream") as function:
        outcome = function.invoke("/big")
    assert (outcome.status, outcome.body) == (200, b"y" * SIX_MIB)
    assert outcome.header("transfer-encoding") is None  # a hop header: the edge drops it


def test_a_request_body_over_the_limit_is_still_413_in_fluid_mode(tmp_path: Path) -> None:
    project = app_copy(tmp_path, "wsgi_stream")
    with Function(project) as function:
        over = function.invoke(Request("POST", "/", body=b"x" * (PAYLOAD_LIMIT_BYTES + 1)))
    assert (over.status, over.error_code) == (413, "FUNCTION_PAYLOAD_TOO_LARGE")
    assert over.text == "Request Entity Too Large\n\nFUNCTION_PAYLOAD_TOO_LARGE\n"
    assert live_processes_in(project) == []


def _drip(tmp_path: Path) -> Path:
    project = app_copy(tmp_path, "wsgi_stream")
    (project / "api" / "index.py").write_text(DRIP)
    return project


def test_serve_streams_each_chunk_to_its_client_as_it_comes(tmp_path: Path) -> None:
    project = _drip(tmp_path)
    with InProcessServer(Function(project)) as served:
        served.get("/")  # the cold start, out of the way
        connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=30)
        started = time.monotonic()
        connection.request("GET", "/")
        response = connection.getresponse()
        first = response.read1(64)
        first_at = time.monotonic() - started
        rest = response.read()
        total = time.monotonic() - started
        connection.close()
    assert response.getheader("transfer-encoding") == "chunked"
    assert first == b"first;" and rest == b"second"
    assert first_at < 0.5 < 0.8 <= total  # the first chunk left before the app slept


def test_serve_in_lambda_mode_sends_the_whole_body_at_once(tmp_path: Path) -> None:
    project = _drip(tmp_path)
    with InProcessServer(Function(project, mode="lambda")) as served:
        status, headers, body = served.get("/")
    names = {name.lower(): value for name, value in headers.items()}
    assert (status, body, names.get("transfer-encoding")) == (200, b"first;second", None)
    assert names["content-length"] == "12"


def test_serve_reload_restarts_the_instance_after_a_change_and_keeps_the_port(
    tmp_path: Path,
) -> None:
    project = app_copy(tmp_path, "wsgi_stream")
    index = project / "api" / "index.py"
    index.write_text(DRIP.replace(b"first;".decode(), "v1;").replace("time.sleep(0.8)", "pass"))
    with InProcessServer(Function(project), rebuild=lambda: Function(project)) as served:
        port = served.port
        assert served.get("/")[2] == b"v1;second"
        before = live_processes_in(project)
        index.write_text(index.read_text().replace("v1;", "v2;"))
        assert served.get("/")[2] == b"v2;second"
        after = live_processes_in(project)
        assert served.port == port
    assert len(before) == len(after) == 1 and before != after
    assert live_processes_in(project) == []


def test_serve_prints_one_line_per_request_with_status_code_duration_and_mode(
    tmp_path: Path, capsys: object
) -> None:
    project = app_copy(tmp_path, "import_crash")
    with InProcessServer(Function(project)) as served:
        status, _, body = served.get("/")
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    assert status == 500 and body.startswith(b"A server error has occurred")
    [line] = [line for line in out.splitlines() if line.startswith("GET /")]
    assert line.startswith("GET / 500 FUNCTION_INVOCATION_FAILED (init) cold start ")
    assert line.endswith(" ms [fluid]")
