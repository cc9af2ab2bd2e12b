"""``vercel-lab doctor`` on the command line: exit status and the exact --json shape."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from tests.helpers import MakeProject
from vercel_lab.cli.main import main
from vercel_lab.doctor.findings import JSON_KEYS
from vercel_lab.examples import example


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        status = main(["doctor", *argv])
    except SystemExit as exit:  # argparse and usage errors
        status = int(exit.code or 0)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_a_fixed_example_exits_0_with_no_findings(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, str(example("fixed-api-index")))
    assert status == 0
    assert out.splitlines()[1:] == ["No problems found.", "0 errors, 0 warnings, 0 notes"]


def test_a_broken_example_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, str(example("missing-dependency")))
    assert status == 1
    assert "api/index.py:9: error [undeclared-import] import-error-missing-dependency" in out


def test_json_has_exactly_the_documented_keys(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, str(example("seed-broken")), "--json")
    document = json.loads(out)
    assert status == 1
    assert list(document) == ["findings"]
    assert all(tuple(f) == JSON_KEYS for f in document["findings"])
    assert document["findings"][0] == {
        "id": "handler-node-signature",
        "category": "wrong-handler-signature",
        "severity": "error",
        "file": "api/index.py",
        "line": 27,
        "message": "`def handler(req, res)` is Express's handler(req, res): Vercel's Python "
        "runtime passes no request and response objects; it takes a two-argument callable for "
        "a WSGI app and calls `handler(environ, start_response)`, so every request fails.",
        "fix": "Serve a WSGI or ASGI app as a top-level `app`: Django `app = "
        "get_wsgi_application()`, Flask `app = Flask(__name__)`, FastAPI `app = FastAPI()`; "
        "or subclass BaseHTTPRequestHandler in a top-level `class handler`.",
        "docs_url": "https://vercel-lab.readthedocs.io/en/latest/reference/doctor-checks.html"
        "#handler-node-signature",
    }


def test_warnings_alone_exit_0(
    capsys: pytest.CaptureFixture[str], make_project: MakeProject
) -> None:
    root = make_project(
        {
            "app.py": "from flask import Flask\nimport psycopg2\napp = Flask(__name__)\n",
            "pyproject.toml": '[project]\nname = "x"\nversion = "1"\ndependencies = ["flask"]\n'
            '[project.optional-dependencies]\ndb = ["psycopg2-binary"]\n',
        }
    )
    status, out, _ = run(capsys, str(root), "--json")
    assert status == 0
    found = json.loads(out)["findings"]
    assert [(f["id"], f["severity"]) for f in found] == [("dependency-only-in-extra", "warning")]


def test_a_log_from_standard_input(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    log = b"Vercel Runtime Timeout Error: Task timed out after 10 seconds\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(log)))
    status, out, _ = run(capsys, "--log", "-", "--json")
    assert status == 1
    assert [f["id"] for f in json.loads(out)["findings"]] == ["log-timeout"]


def test_a_log_file_with_a_project_adds_both(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    log = tmp_path / "vercel.log"
    log.write_text("FUNCTION_PAYLOAD_TOO_LARGE\n")
    status, out, _ = run(capsys, str(example("timeout")), "--log", str(log), "--json")
    ids = [f["id"] for f in json.loads(out)["findings"]]
    assert status == 1
    assert ids == ["sleep-exceeds-max-duration", "log-payload-too-large"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["/no/such/project"], "vercel-lab: error: no such project folder: /no/such/project\n"),
        (
            ["--log", "/no/such.log"],
            "vercel-lab: error: cannot read --log file /no/such.log: No such file or directory\n",
        ),
    ],
)
def test_bad_input_exits_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    status, out, err = run(capsys, *argv)
    assert (status, out, err) == (2, "", message)


def test_a_file_is_not_a_project(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, str(example("flask") / "app.py"))
    assert status == 2
    assert err.endswith("not a project folder: " + str(example("flask") / "app.py") + "\n")


def test_an_unknown_option_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "--fix-everything")
    assert status == 2
    assert "unrecognized arguments: --fix-everything" in err
