"""Nothing vercel-lab runs changes a byte of the project it runs: ``invoke``, ``serve`` and
``doctor --run`` on every example and on a Django project that commits its SQLite database and
writes to it in a view (Vercel's filesystem is read-only: that view answers Django's 500)."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from tests.runtime.test_serve import serving
from vercel_lab.doctor import check_run
from vercel_lab.examples import examples_root
from vercel_lab.runtime.function import Function

DJANGO_SQLITE = Path(__file__).parents[1] / "fixtures" / "django-sqlite"


def snapshot(folder: Path) -> dict[str, str]:
    """Every entry under ``folder`` -> sha256 of its bytes (a link: its text; a folder: "dir")."""
    found: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[rel] = "link:" + os.readlink(path)
            elif path.is_dir():
                found[rel] = "dir"
            else:
                found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def projects() -> list[Path]:
    return sorted(p for p in examples_root().iterdir() if p.is_dir() and not p.name.startswith("_"))


@pytest.mark.network
def test_invoke_serve_and_doctor_run_change_no_byte_of_any_example() -> None:
    before = snapshot(examples_root())
    for project in projects():
        with Function(project, max_duration=10) as function:
            function.invoke("/")
            if function.entrypoints:
                function.invoke(function.entrypoints[0].route)
            refused = function.build_error is not None
        check_run(project)
        if not refused:  # serve does not start on a project the builder refuses
            with serving(project) as server:
                server.get("/")
                server.stop()
    assert snapshot(examples_root()) == before


@pytest.mark.network
def test_a_view_writing_the_committed_sqlite_database_fails_and_changes_nothing(
    tmp_path: Path,
) -> None:
    project = Path(shutil.copytree(DJANGO_SQLITE, tmp_path / "django-sqlite"))
    before = snapshot(project)
    with Function(project) as function:
        outcome = function.invoke("/")
    assert (outcome.status, outcome.error_code) == (500, None)
    assert "<h1>Server Error (500)</h1>" in outcome.text
    assert "attempt to write a readonly database" in outcome.log
    check_run(project)
    with serving(project) as server:
        status, _, _ = server.get("/")
        assert status == 500
        server.stop()
    assert snapshot(project) == before


def test_the_audit_hook_refuses_every_sqlite_connect_form(tmp_path: Path) -> None:
    """In the child: plain path, ``uri=True`` with a path, ``file:`` URIs with ``mode=rw`` and
    ``mode=rwc``, ``sqlite3.dbapi2.connect``; a missing file cannot be created."""
    db = tmp_path / "project" / "db.sqlite3"
    db.parent.mkdir()
    import sqlite3

    with sqlite3.connect(db) as connection:
        connection.execute("create table t (x)")
    connection.close()
    (db.parent / "api").mkdir()
    (db.parent / "api" / "index.py").write_text(
        "import json, sqlite3, sqlite3.dbapi2\n"
        f"DB = {str(db)!r}\n"
        "FORMS = [\n"
        "    lambda: sqlite3.connect(DB),\n"
        "    lambda: sqlite3.connect(DB, uri=True),\n"
        "    lambda: sqlite3.connect('file:' + DB + '?mode=rw', uri=True),\n"
        "    lambda: sqlite3.connect('file:' + DB + '?mode=rwc', uri=True),\n"
        "    lambda: sqlite3.dbapi2.connect(DB, check_same_thread=False, uri=True),\n"
        "    lambda: sqlite3.connect(DB + '-new'),\n"
        "]\n"
        "def app(environ, start_response):\n"
        "    results = []\n"
        "    for form in FORMS:\n"
        "        try:\n"
        "            connection = form()\n"
        "            connection.execute('insert into t values (1)')\n"
        "            connection.commit()\n"
        "            results.append('written')\n"
        "        except sqlite3.OperationalError as exc:\n"
        "            results.append(str(exc))\n"
        "    start_response('200 OK', [])\n"
        "    return [json.dumps(results).encode()]\n"
    )
    before = db.read_bytes()
    with Function(db.parent, dependencies="current") as function:
        outcome = function.invoke("/api/index")
    assert outcome.text == (
        '["attempt to write a readonly database", "attempt to write a readonly database", '
        '"attempt to write a readonly database", "attempt to write a readonly database", '
        '"attempt to write a readonly database", "unable to open database file"]'
    )
    assert db.read_bytes() == before
    assert not (db.parent / "db.sqlite3-new").exists()


def test_os_calls_outside_tmp_are_refused(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "api").mkdir(parents=True)
    (project / "data.txt").write_text("data")
    (project / "api" / "index.py").write_text(
        "import json, os, shutil\n"
        "CALLS = [\n"
        "    lambda: os.remove('data.txt'),\n"
        "    lambda: os.rename('data.txt', 'moved.txt'),\n"
        "    lambda: os.open('new.txt', os.O_WRONLY | os.O_CREAT),\n"
        "    lambda: os.mkdir('folder'),\n"
        "    lambda: os.chmod('data.txt', 0o777),\n"
        "    lambda: os.utime('data.txt'),\n"
        "    lambda: shutil.copy('data.txt', 'copy.txt'),\n"
        "    lambda: open('data.txt', 'a').write('x'),\n"
        "]\n"
        "def app(environ, start_response):\n"
        "    results = []\n"
        "    for call in CALLS:\n"
        "        try:\n"
        "            call()\n"
        "            results.append('done')\n"
        "        except OSError as exc:\n"
        "            results.append(exc.errno)\n"
        "    start_response('200 OK', [])\n"
        "    return [json.dumps(results).encode()]\n"
    )
    before = snapshot(project)
    with Function(project, dependencies="current") as function:
        outcome = function.invoke("/api/index")
    assert outcome.text == "[30, 30, 30, 30, 30, 30, 30, 30]"
    assert snapshot(project) == before
