"""The doctor never crashes on odd projects: it notes what it could not read and goes on."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers import MakeProject
from vercel_lab.doctor import check_project
from vercel_lab.doctor.findings import Finding
from vercel_lab.doctor.project import MAX_SOURCE_BYTES

HANDLER = (
    "from http.server import BaseHTTPRequestHandler\n\n\n"
    "class handler(BaseHTTPRequestHandler):\n    def do_GET(self):\n        pass\n"
)


def notes(findings: list[Finding]) -> list[tuple[str | None, str]]:
    return [(f.file, f.message) for f in findings if f.id == "could-not-read"]


def test_an_empty_folder_has_no_findings(tmp_path: Path) -> None:
    assert check_project(tmp_path) == []


def test_a_binary_python_file_is_noted(make_project: MakeProject) -> None:
    root = make_project({"api/index.py": b"\x00\x01ELF\x02" * 100})
    assert notes(check_project(root)) == [("api/index.py", "Not checked: a binary file, not text.")]


def test_a_huge_python_file_is_not_parsed(make_project: MakeProject) -> None:
    huge = b"# padding\n" * (MAX_SOURCE_BYTES // 10 + 1)
    root = make_project(
        {
            "api/index.py": HANDLER,
            "api/_data.py": huge,
            "api/other.py": b"from api._data import *\n" + HANDLER.encode(),
        }
    )
    assert notes(check_project(root)) == [
        ("api/_data.py", "Not checked: a Python file larger than 1 MB.")
    ]


def test_a_file_that_is_not_utf8_is_noted(make_project: MakeProject) -> None:
    root = make_project({"api/index.py": b"x = '\xe9t\xe9'\n" + HANDLER.encode()})
    assert notes(check_project(root)) == [
        ("api/index.py", "Not checked: not UTF-8 text, so Python cannot import it as written.")
    ]


def test_a_syntax_error_in_the_function_is_an_error_with_its_line(
    make_project: MakeProject,
) -> None:
    root = make_project({"api/index.py": "def app(environ, start_response:\n    return []\n"})
    (finding,) = [f for f in check_project(root) if f.id == "syntax-error"]
    assert (finding.file, finding.line, finding.severity) == ("api/index.py", 1, "error")
    assert finding.message == (
        "This file does not parse ('(' was never closed, line 1): as an entrypoint, the "
        "builder finds no app in it and skips or refuses it; imported by the entrypoint, it "
        "fails the cold start with SyntaxError."
    )


def test_a_symlink_loop_is_noted_and_not_followed(make_project: MakeProject) -> None:
    root = make_project({"api/index.py": HANDLER, "public/a.txt": "a\n"})
    os.symlink("..", root / "api" / "up")
    os.symlink("loop-b", root / "loop-a")
    os.symlink("loop-a", root / "loop-b")
    assert sorted(notes(check_project(root))) == [
        ("api/up", "Not checked: a symlink to a folder walked already (a loop, or a second link)."),
        ("loop-a", "Not checked: a broken symlink or a symlink loop."),
        ("loop-b", "Not checked: a broken symlink or a symlink loop."),
    ]


def test_a_fifo_is_skipped_without_blocking(make_project: MakeProject) -> None:
    root = make_project({"api/index.py": HANDLER, "public/a.txt": "a\n"})
    os.mkfifo(root / "api" / "pipe.py")
    assert check_project(root) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file_is_noted(make_project: MakeProject) -> None:
    root = make_project({"api/index.py": HANDLER, "requirements.txt": "flask\n"})
    (root / "api" / "index.py").chmod(0)
    assert ("api/index.py", "Not checked: cannot be read (Permission denied).") in notes(
        check_project(root)
    )


@pytest.mark.parametrize(
    ("files", "check_id", "message"),
    [
        (
            {"vercel.json": '{\n  "rewrites": [\n'},
            "config-file-invalid",
            "vercel.json: invalid JSON at line 3, column 1: Expecting value: the deployment fails "
            "before the build.",
        ),
        (
            {"vercel.json": b"\xff\xfe{}"},
            "config-file-invalid",
            "vercel.json: not UTF-8 text (byte at offset 0): the deployment fails before the "
            "build.",
        ),
        ({"pyproject.toml": "[project\n"}, "config-file-invalid", None),
        ({"requirements.txt": b"\x00\x00\x00"}, "could-not-read", None),
    ],
    ids=["broken-json", "binary-json", "broken-toml", "binary-requirements"],
)
def test_broken_configuration_is_reported_and_the_rest_still_runs(
    make_project: MakeProject,
    files: dict[str, str | bytes],
    check_id: str,
    message: str | None,
) -> None:
    root = make_project({"api/index.py": "def handler(req, res):\n    pass\n", **files})
    findings = check_project(root)
    assert check_id in {f.id for f in findings}
    assert "handler-node-signature" in {f.id for f in findings}
    if message is not None:
        assert [f.message for f in findings if f.id == check_id] == [message]


def test_a_deeply_nested_expression_does_not_crash(make_project: MakeProject) -> None:
    root = make_project({"api/index.py": "x = " + "(" * 5000 + "1" + ")" * 5000 + "\n" + HANDLER})
    assert all(f.severity != "error" or f.id == "syntax-error" for f in check_project(root))


def test_a_check_group_that_fails_is_a_note_and_the_others_run(
    make_project: MakeProject,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import vercel_lab.doctor as doctor

    def broken(analysis: object) -> list[Finding]:
        raise TypeError("boom")

    groups = tuple((n, broken if n == "Django" else g) for n, g in doctor._GROUPS)
    monkeypatch.setattr(doctor, "_GROUPS", groups)
    root = make_project({"api/index.py": "def handler(req, res):\n    pass\n"})
    findings = check_project(root)
    assert "handler-node-signature" in {f.id for f in findings}
    assert [f.message for f in findings if f.id == "check-failed"] == [
        "The Django checks stopped on this project (TypeError: boom); the other checks ran."
    ]
