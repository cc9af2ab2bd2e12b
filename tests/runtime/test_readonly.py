"""Vercel's read-only filesystem (everything but /tmp), as the child process installs it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import vercel_lab.runtime.readonly


def run_guarded(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter with the guard installed (hooks cannot be removed)."""
    prelude = (
        "import importlib.util as u, os\n"
        f"s = u.spec_from_file_location('ro', {vercel_lab.runtime.readonly.__file__!r})\n"
        "m = u.module_from_spec(s); s.loader.exec_module(m); m.install(read_only=[os.getcwd()])\n"
    )
    return subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(code)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("open('out.txt', 'w')", "OSError: [Errno 30] Read-only file system: 'out.txt'"),
        ("open('data.txt', 'a')", "OSError: [Errno 30] Read-only file system: 'data.txt'"),
        (
            "import os; os.open('x', os.O_CREAT | os.O_WRONLY)",
            "OSError: [Errno 30] Read-only file system: 'x'",
        ),
        ("import os; os.mkdir('logs')", "OSError: [Errno 30] Read-only file system: 'logs'"),
        (
            "import os; os.remove('data.txt')",
            "OSError: [Errno 30] Read-only file system: 'data.txt'",
        ),
        (
            "import logging; logging.FileHandler('app.log')",
            "OSError: [Errno 30] Read-only file system: '{cwd}/app.log'",
        ),
        (
            "import sqlite3; sqlite3.connect('new.sqlite3')",
            "sqlite3.OperationalError: unable to open database file",
        ),
        (
            "import sqlite3; c = sqlite3.connect('db.sqlite3'); c.execute('create table t (x)')",
            "sqlite3.OperationalError: attempt to write a readonly database",
        ),
    ],
)
def test_writes_outside_tmp_fail_as_on_vercel(tmp_path: Path, code: str, error: str) -> None:
    (tmp_path / "data.txt").write_text("x")
    import sqlite3

    sqlite3.connect(tmp_path / "db.sqlite3").close()
    done = run_guarded(code, tmp_path)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == error.format(cwd=tmp_path)


def test_reads_and_tmp_writes_still_work(tmp_path: Path) -> None:
    (tmp_path / "data.txt").write_text("hello")
    done = run_guarded(
        """
        import os, sqlite3, tempfile
        print(open('data.txt').read())
        with tempfile.NamedTemporaryFile('w', dir='/tmp') as f:
            f.write('ok')
        os.makedirs('/tmp/vercel-lab-test-ro', exist_ok=True)
        db = sqlite3.connect('/tmp/vercel-lab-test-ro/db.sqlite3')
        db.execute('create table if not exists t (x)')
        print(open(os.devnull, 'w').write('x'))
        """,
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["hello", "1"]


def test_kernel_order_missing_folder_and_existing_folder_keep_their_own_errors(
    tmp_path: Path,
) -> None:
    (tmp_path / "logs").mkdir()
    done = run_guarded(
        """
        import os
        for action in (lambda: open('missing/x.log', 'w'), lambda: os.mkdir('logs')):
            try:
                action()
            except OSError as exc:
                print(type(exc).__name__, exc.errno)
        """,
        tmp_path,
    )
    assert done.stdout.splitlines() == ["FileNotFoundError 2", "FileExistsError 17"]


def test_writable_roots_resolve_links_and_dots() -> None:
    assert vercel_lab.runtime.readonly.is_writable("/tmp/a/../b")
    assert not vercel_lab.runtime.readonly.is_writable("/tmp/project/x", read_only=["/tmp/project"])
    assert not vercel_lab.runtime.readonly.is_writable("/tmp/../etc/passwd")
    assert not vercel_lab.runtime.readonly.is_writable("/tmpfoo")
