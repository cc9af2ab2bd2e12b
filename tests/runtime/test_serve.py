"""``vercel-lab serve``: a real server in a subprocess, on a free loopback port, asked over HTTP."""

from __future__ import annotations

import http.client
import json
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.helpers import MakeProject, processes_in
from vercel_lab.examples import example
from vercel_lab.runtime.function import Function
from vercel_lab.runtime.serve import static_file

MARKER = b"<h1>Portfolio</h1>"


class Served:
    def __init__(self, process: subprocess.Popen[str], port: int) -> None:
        self.process = process
        self.port = port
        self.output: list[str] = []

    def get(self, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path)
            response = connection.getresponse()
            return (
                response.status,
                {k.lower(): v for k, v in response.getheaders()},
                response.read(),
            )
        finally:
            connection.close()

    def stop(self) -> int:
        """Ctrl-C, then the exit status (the rest of the output is collected)."""
        self.process.send_signal(signal.SIGINT)
        status = self.process.wait(timeout=30)
        return status


@contextmanager
def serving(project: Path, *options: str) -> Iterator[Served]:
    process = subprocess.Popen(
        [sys.executable, "-m", "vercel_lab", "serve", str(project), "--port", "0", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=project.parent,
    )
    assert process.stdout is not None
    before: list[str] = []  # a first install prints uv's progress before the address
    while (first := process.stdout.readline()) and not first.startswith("Serving "):
        before.append(first)
    found = re.search(r"http://127\.0\.0\.1:(\d+) ", first)
    assert found, "".join(before) + first
    served = Served(process, int(found.group(1)))
    served.output.append(first)
    reader = threading.Thread(target=lambda: served.output.extend(process.stdout or ()))
    reader.start()
    try:
        yield served
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        reader.join(timeout=10)


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    """A private copy of fixed-api-index (links resolved), so only this test's processes run
    in it."""
    target = tmp_path / "fixed-api-index"
    shutil.copytree(example("fixed-api-index"), target, symlinks=False)
    return target


def test_serve_answers_pages_static_and_public_files_and_django_errors(portfolio: Path) -> None:
    with serving(portfolio) as server:
        status, headers, body = server.get("/")
        assert (status, MARKER in body, headers["server"]) == (200, True, "Vercel")
        assert headers["x-vercel-id"].startswith("iad1::")
        status, headers, body = server.get("/static/css/style.css")
        css = portfolio / "pages" / "static" / "css" / "style.css"
        assert (status, body) == (200, css.read_bytes())
        assert headers["content-type"].startswith("text/css")
        status, headers, body = server.get("/robots.txt")
        robots = (portfolio / "public" / "robots.txt").read_bytes()
        assert (status, body, headers["cache-control"]) == (
            200,
            robots,
            "public, max-age=0, must-revalidate",
        )
        # A view that raises is Django's 500, not a platform error.
        status, headers, body = server.get("/crash/")
        assert (status, "x-vercel-error" in headers) == (500, False)
        assert b"Server Error (500)" in body and b"RuntimeError" not in body
        status, _, body = server.get("/no-such-page/")
        assert status == 404
        assert server.stop() == 0
    text = "".join(server.output)
    assert re.search(r"^GET / 200 cold start \d+ ms [\d.]+ ms \[fluid\]$", text, re.MULTILINE)
    assert re.search(r"^GET /robots.txt 200 static [\d.]+ ms$", text, re.MULTILINE)
    assert "RuntimeError: This view fails on purpose" in text  # the traceback is in the log
    assert processes_in(portfolio) == []


CRASHING = {
    "api/index.py": """
        import os, time
        def app(environ, start_response):
            path = environ["PATH_INFO"]
            if path == "/exit":
                os._exit(3)
            if path == "/slow":
                time.sleep(5)
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [path.encode()]
    """,
    "vercel.json": """
        {
          "functions": {"api/index.py": {"maxDuration": 1}},
          "rewrites": [{"source": "/(.*)", "destination": "/api/index"}],
          "redirects": [{"source": "/old/:slug", "destination": "/new/:slug"}],
          "headers": [{"source": "/(.*)", "headers": [{"key": "X-Lab", "value": "yes"}]}]
        }
    """,
}


def test_serve_answers_crashes_and_timeouts_with_vercels_codes(make_project: MakeProject) -> None:
    project = make_project(CRASHING)
    with serving(project) as server:
        status, headers, body = server.get("/exit")
        assert (status, headers["x-vercel-error"]) == (500, "FUNCTION_INVOCATION_FAILED")
        assert body == b"A server error has occurred\n\nFUNCTION_INVOCATION_FAILED\n"
        status, headers, _ = server.get("/slow")
        assert (status, headers["x-vercel-error"]) == (504, "FUNCTION_INVOCATION_TIMEOUT")
        status, headers, body = server.get("/after")  # a new cold start answers
        assert (status, body, headers["x-lab"]) == (200, b"/after", "yes")
        status, headers, _ = server.get("/old/post?x=1")
        assert (status, headers["location"]) == (308, "/new/post?x=1")
        assert "x-lab" not in headers  # the redirect route ends routing before the headers route
        assert server.stop() == 0
    text = "".join(server.output)
    assert "GET /exit 500 FUNCTION_INVOCATION_FAILED (invoke)" in text
    assert (
        "Python process exited with exit status: 3. The logs above can help with debugging the "
        "issue." in text
    )
    assert "GET /slow 504 FUNCTION_INVOCATION_TIMEOUT (invoke)" in text
    assert processes_in(project) == []


def test_serve_refuses_a_project_the_builder_refuses() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "vercel_lab", "serve", str(example("seed-broken")), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr == (
        "vercel-lab serve: the build failed: PYTHON_ENTRYPOINT_NOT_FOUND\n"
        'Could not find a top-level "app", "application", or "handler" in "api/index.py".\n'
    )


def test_the_portfolio_takes_200_sequential_and_50_concurrent_requests(portfolio: Path) -> None:
    with serving(portfolio, "--quiet") as server:
        started = time.monotonic()
        sequential = [server.get(path) for path in ("/", "/about/", "/projects/", "/") * 50]
        sequential_s = time.monotonic() - started
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=50) as pool:
            concurrent = list(pool.map(server.get, ["/", "/static/css/style.css"] * 25))
        concurrent_s = time.monotonic() - started
        assert [s for s, _, _ in sequential] == [200] * 200
        assert all(MARKER in body for _, _, body in sequential)
        assert [s for s, _, _ in concurrent] == [200] * 50
        assert server.stop() == 0
    assert processes_in(portfolio) == []
    print(f"load: 200 sequential in {sequential_s:.2f} s, 50 concurrent in {concurrent_s:.2f} s")


def test_sigint_leaves_no_function_process_behind(portfolio: Path) -> None:
    with serving(portfolio) as server:
        assert server.get("/")[0] == 200
        assert len(processes_in(portfolio)) == 1  # the warm instance
        assert server.stop() == 0
    assert processes_in(portfolio) == []
    assert server.output[-1] == "Stopped; every function instance was stopped.\n"


def test_static_files_never_escape_public(tmp_path: Path) -> None:
    public = tmp_path / "public"
    (public / "docs").mkdir(parents=True)
    (public / "docs" / "index.html").write_text("docs")
    (tmp_path / "secret.txt").write_text("secret")
    assert static_file(public, "/docs/") == public / "docs" / "index.html"
    assert static_file(public, "/docs/index.html?x=1") == public / "docs" / "index.html"
    assert static_file(public, "/../secret.txt") is None
    assert static_file(public, "/missing.css") is None
    assert static_file(tmp_path / "absent", "/x") is None


@pytest.mark.parametrize(
    ("rule", "path", "expected"),
    [
        ({"source": "/old/:slug", "destination": "/new/:slug"}, "/old/a?x=1", (308, "/new/a?x=1")),
        (
            {"source": "/blog/(.*)", "destination": "/posts/$1", "permanent": False},
            "/blog/a/b",
            (307, "/posts/a/b"),
        ),
        (
            {"source": "/gone", "destination": "https://example.com/", "statusCode": 301},
            "/gone",
            (301, "https://example.com/"),
        ),
        ({"source": "/old/:slug", "destination": "/new/:slug"}, "/other", None),
    ],
)
def test_vercel_json_redirects_give_status_and_location(
    make_project: MakeProject,
    rule: dict[str, object],
    path: str,
    expected: tuple[int, str] | None,
) -> None:
    config = json.dumps({"redirects": [rule]})
    project = make_project({"api/index.py": "app = 1\n", "vercel.json": config})
    where = Function(project).route(path)
    got = (where.status, where.location) if where.kind == "redirect" else None
    assert got == expected


def test_vercel_json_headers_apply_to_matching_paths_and_later_rules_win(
    make_project: MakeProject,
) -> None:
    rules: list[dict[str, object]] = [
        {"source": "/(.*)", "headers": [{"key": "X-Frame-Options", "value": "DENY"}]},
        {
            "source": "/static/(.*)",
            "headers": [
                {"key": "Cache-Control", "value": "max-age=60"},
                {"key": "x-frame-options", "value": "SAMEORIGIN"},
            ],
        },
    ]
    config = json.dumps({"headers": rules})
    files = {"api/index.py": "app = 1\n", "public/static/a.css": "a{}", "vercel.json": config}
    function = Function(make_project(files))
    static = function.route("/static/a.css")
    assert (static.kind, static.target) == ("static", "static/a.css")
    assert static.headers == (("cache-control", "max-age=60"), ("x-frame-options", "SAMEORIGIN"))
    assert function.route("/about/").headers == (("x-frame-options", "DENY"),)


def test_serve_prints_a_platform_404_without_a_phase(make_project: MakeProject) -> None:
    project = make_project({"api/index.py": "def app(environ, start_response):\n    pass\n"})
    with serving(project) as server:
        status, headers, _ = server.get("/nothing-here")
        assert (status, headers["x-vercel-error"]) == (404, "NOT_FOUND")
        assert server.stop() == 0
    lines = "".join(server.output).splitlines()
    assert any(line.startswith("GET /nothing-here 404 NOT_FOUND") for line in lines)
    assert not any("(None)" in line for line in lines)
