"""``doctor --fix``: each fixer's exact change, the proof on a copy, ``--write``'s
preconditions, and an independent re-check of every verified fix."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import EXAMPLES
from vercel_lab.cli.main import main
from vercel_lab.doctor import check_project
from vercel_lab.doctor.fixers import changes_for
from vercel_lab.doctor.fixers.change import placeholder
from vercel_lab.doctor.fixers.poetry import poetry_constraint
from vercel_lab.doctor.fixers.prove import copy_project, git_apply, prove
from vercel_lab.runtime.function import Function

CASES = Path(__file__).resolve().parents[1] / "fixtures" / "cases"


def _project(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "project"
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def _diff(root: Path, check: str) -> str:
    changes = [c for c in changes_for(root, check_project(root)) if c.check == check]
    assert len(changes) == 1, changes
    return changes[0].diff


def test_requirement_added_to_requirements_txt(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        {
            "requirements.txt": "flask>=3.0",
            "api/index.py": "import yaml\nfrom flask import Flask\napp = Flask(__name__)\n",
        },
    )
    assert _diff(root, "undeclared-import") == (
        "diff --git a/requirements.txt b/requirements.txt\n"
        "--- a/requirements.txt\n"
        "+++ b/requirements.txt\n"
        "@@ -1 +1,2 @@\n"
        "-flask>=3.0\n"
        "\\ No newline at end of file\n"
        "+flask>=3.0\n"
        "+PyYAML\n"
    )


def test_dependency_moved_from_extra_to_project_dependencies(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(CASES / "driver-only-in-extra", root)
    assert _diff(root, "dependency-only-in-extra") == (
        "diff --git a/pyproject.toml b/pyproject.toml\n"
        "--- a/pyproject.toml\n"
        "+++ b/pyproject.toml\n"
        "@@ -4,6 +4,7 @@\n"
        ' requires-python = ">=3.12"\n'
        " dependencies = [\n"
        '     "fastapi>=0.110",\n'
        '+    "psycopg2-binary>=2.9",\n'
        " ]\n"
        " \n"
        " [project.optional-dependencies]\n"
    )


def test_legacy_builds_become_zero_config_with_rewrites(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(EXAMPLES / "lambda-style", root)
    assert _diff(root, "legacy-builds") == (
        "diff --git a/vercel.json b/vercel.json\n"
        "--- a/vercel.json\n"
        "+++ b/vercel.json\n"
        "@@ -1,4 +1,8 @@\n"
        " {\n"
        '-  "builds": [{ "src": "api/index.py", "use": "@vercel/python" }],\n'
        '-  "routes": [{ "src": "/(.*)", "dest": "api/index.py" }]\n'
        '+  "rewrites": [\n'
        "+    {\n"
        '+      "source": "/(.*)",\n'
        '+      "destination": "/api/index"\n'
        "+    }\n"
        "+  ]\n"
        " }\n"
    )


def test_python_pin(tmp_path: Path) -> None:
    root = _project(tmp_path, {".python-version": "3.11\n", "app.py": "app = None\n"})
    assert _diff(root, "python-pin-fails-install") == (
        "diff --git a/.python-version b/.python-version\n"
        "--- a/.python-version\n"
        "+++ b/.python-version\n"
        "@@ -1 +1 @@\n"
        "-3.11\n"
        "+3.12\n"
    )


def test_application_object_renamed(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(CASES / "bot-object-named-application", root)
    diff = _diff(root, "app-name-collision")
    assert "-application = Application.builder()" in diff
    assert "+bot_application = Application.builder()" in diff
    assert (
        "+        await bot_application.process_update(Update.de_json(payload, "
        "bot_application.bot))\n" in diff
    )
    assert git_apply(copy_project(root, tmp_path / "copy"), diff) == ""


def test_allowed_hosts_for_vercel_app(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        {
            "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 's')\n",
            "requirements.txt": "django\n",
            "s.py": 'SECRET_KEY = "x" * 50\nALLOWED_HOSTS = ["localhost"]  # local\n',
        },
    )
    changes = [c for c in changes_for(root, check_project(root)) if "allowed-hosts" in c.check]
    assert changes and changes[0].diff.endswith(
        ' ALLOWED_HOSTS = ["localhost"]  # local\n'
        "+\n"
        "+# vercel-lab doctor --fix: answer on every deployment URL (*.vercel.app).\n"
        '+ALLOWED_HOSTS = [*ALLOWED_HOSTS, ".vercel.app"]\n'
        '+CSRF_TRUSTED_ORIGINS = ["https://*.vercel.app"]\n'
    )


def test_placeholder_is_strong() -> None:
    values = {placeholder() for _ in range(20)}
    assert len(values) == 20
    assert all(len(v) >= 32 and v.isalnum() and "change" not in v.lower() for v in values)


def _usage(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2


def _checksum(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(root)).encode() + path.read_bytes())
    return digest.hexdigest()


def _git_project(tmp_path: Path, example: str) -> Path:
    root = tmp_path / example
    copy_project(EXAMPLES / example, root)
    for args in (
        ["init", "-q"],
        ["add", "."],
        ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"],
    ):
        subprocess.run(["git", *args], cwd=root, check=True)
    return root


@pytest.mark.parametrize("example", ["readonly-fs", "improperly-configured"])
def test_fix_verified_and_project_untouched(
    example: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / example
    copy_project(EXAMPLES / example, root)
    before = _checksum(root)
    assert main(["doctor", str(root), "--fix", "--json"]) == 0
    assert _checksum(root) == before
    fixes = json.loads(capsys.readouterr().out)["fixes"]
    assert [f["status"] for f in fixes] == ["verified"]
    # Independently: the diff applied with git apply, the env passed to Function.
    for fix in fixes:
        copy = copy_project(root, tmp_path / "recheck")
        assert git_apply(copy, fix["diff"]) == ""
        with Function(copy, env=fix["env"]) as function:
            outcome = function.invoke(fix["outcome"]["path"])
        assert outcome.error_code is None and outcome.status is not None
        assert outcome.status < 400


def test_write_then_doctor_reports_no_claimed_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _git_project(tmp_path, "readonly-fs")
    assert main(["doctor", str(root), "--fix", "--write"]) == 0
    out = capsys.readouterr().out
    assert "--write: wrote to" in out and '+    "handlers": {"console"' in out
    assert "logging-file-handler" not in {f.id for f in check_project(root)}


def test_write_refused_outside_git_and_on_dirty_tree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = tmp_path / "plain"
    copy_project(EXAMPLES / "readonly-fs", plain)
    before = _checksum(plain)
    _usage(["doctor", str(plain), "--fix", "--write"])
    assert "is not in a git repository" in capsys.readouterr().err
    assert _checksum(plain) == before
    dirty = _git_project(tmp_path, "improperly-configured")
    (dirty / "README.md").write_text("edited\n")
    before = _checksum(dirty)
    _usage(["doctor", str(dirty), "--fix", "--write"])
    assert "has uncommitted changes" in capsys.readouterr().err
    assert _checksum(dirty) == before


def test_write_needs_fix(capsys: pytest.CaptureFixture[str]) -> None:
    _usage(["doctor", str(EXAMPLES / "flask"), "--write"])
    assert "--write and --force need --fix" in capsys.readouterr().err


def test_unparseable_files_stay_findings(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        {
            "vercel.json": "{not json",
            ".python-version": "3.11\n",
            "api/index.py": "def handler(:\n",
        },
    )
    assert main(["doctor", str(root), "--fix"]) == 1


BROKEN = (
    "seed-broken",
    "seed-fix",
    "lambda-style",
    "import-crash",
    "readonly-fs",
    "timeout",
    "missing-dependency",
    "improperly-configured",
)


@pytest.mark.parametrize("example", BROKEN)
def test_write_leaves_no_claimed_error(
    example: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Property: after ``--fix --write``, ``doctor`` reports no error finding of a check whose
    fix ``--fix`` verified (and wrote)."""
    root = _git_project(tmp_path, example)
    main(["doctor", str(root), "--fix", "--write", "--json"])
    document = json.loads(capsys.readouterr().out)
    claimed = {(f["check"], f["file"]) for f in document["fixes"] if f["verified"] and f["diff"]}
    assert all(f["diff"] in document["written"] for f in document["fixes"] if f["verified"])
    after = {(f.id, f.file) for f in check_project(root) if f.severity == "error"}
    assert not claimed & after


def test_write_refused_on_read_only_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests run as root, for whom a mode bit is no obstacle: the folder is read-only to the
    # permission test --write makes, as a read-only folder is for a user.
    from vercel_lab.doctor.fixers import write

    root = _git_project(tmp_path, "readonly-fs")
    before = _checksum(root)
    monkeypatch.setattr(write.os, "access", lambda path, mode: False)
    _usage(["doctor", str(root), "--fix", "--write"])
    assert "is read-only; nothing was written" in capsys.readouterr().err
    assert _checksum(root) == before


def test_write_under_tmp_and_all_together(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        {
            "api/index.py": (
                "import logging\n"
                "import os\n\n"
                'os.makedirs("cache/data", exist_ok=True)  # keep\n'
                'logging.basicConfig(filename="app.log", level=logging.INFO)\n\n\n'
                "def app(environ, start_response):\n"
                '    start_response("200 OK", [])\n'
                '    return [b"ok"]\n'
            )
        },
    )
    changes = changes_for(root, check_project(root))
    assert [c.check for c in changes] == ["logging-file-handler", "write-at-import"]
    assert changes[1].diff == (
        "diff --git a/api/index.py b/api/index.py\n"
        "--- a/api/index.py\n"
        "+++ b/api/index.py\n"
        "@@ -1,7 +1,7 @@\n"
        " import logging\n"
        " import os\n"
        " \n"
        '-os.makedirs("cache/data", exist_ok=True)  # keep\n'
        '+os.makedirs("/tmp/data", exist_ok=True)  # keep\n'
        ' logging.basicConfig(filename="app.log", level=logging.INFO)\n'
        " \n"
        " \n"
    )
    proving = prove(root, check_project(root))
    # Fluid mode (the default) sets up the root logger before the app imports: basicConfig's
    # file is then never opened (vc_init setup_logging), so moving the write alone is enough.
    assert [p.status for p in proving.proofs] == ["not-enough", "verified"]
    assert proving.together is not None and proving.together.status == "verified"
    combined = proving.together.changes[0]
    copy = copy_project(root, tmp_path / "recheck")
    assert git_apply(copy, combined.diff) == ""
    with Function(copy) as function:
        outcome = function.invoke("/api/index")
    assert (outcome.status, outcome.error_code) == (200, None)


def test_django_entrypoint_gets_application(tmp_path: Path) -> None:
    root = tmp_path / "seed-fix"
    copy_project(EXAMPLES / "seed-fix", root)
    assert _diff(root, "builder-entrypoint-not-found").endswith(
        "+\n"
        "+# vercel-lab doctor --fix: Django's WSGI application, the variable the builder finds.\n"
        "+import os\n"
        "+\n"
        "+from django.core.wsgi import get_wsgi_application\n"
        "+\n"
        '+os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portfolio.settings")\n'
        "+application = get_wsgi_application()\n"
    )


def test_wsgi_function_named_handler_exposed_as_app(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        {
            "api/index.py": (
                "def handler(environ, start_response):\n"
                '    start_response("200 OK", [])\n'
                '    return [b"ok"]\n'
            )
        },
    )
    assert _diff(root, "wsgi-function-named-handler") == (
        "diff --git a/api/index.py b/api/index.py\n"
        "--- a/api/index.py\n"
        "+++ b/api/index.py\n"
        "@@ -1,3 +1,6 @@\n"
        " def handler(environ, start_response):\n"
        '     start_response("200 OK", [])\n'
        '     return [b"ok"]\n'
        "+\n"
        "+# vercel-lab doctor --fix: the builder serves a top-level `app`.\n"
        "+app = handler\n"
    )


@pytest.mark.parametrize(
    ("spec", "pep440"),
    [
        ("^1.2", ">=1.2,<2"),
        ("^0.110", ">=0.110,<0.111"),
        ("^0.0.3", ">=0.0.3,<0.0.4"),
        ("~1.2", ">=1.2,<1.3"),
        ("*", ""),
        ("1.2.3", "==1.2.3"),
        (">=1,<2", ">=1,<2"),
        ("^1 || ^2", None),
    ],
)
def test_poetry_constraints_become_pep_440(spec: str, pep440: str | None) -> None:
    assert poetry_constraint(spec) == pep440


@pytest.mark.network
def test_poetry_only_pyproject_gets_a_project_table_and_is_verified(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(CASES / "poetry-only-pyproject", root)
    diff = _diff(root, "pyproject-poetry-only")
    assert "+[project]\n" in diff
    assert '+    "fastapi>=0.110,<0.111",\n' in diff
    assert "+[tool.uv]\n+package = false\n" in diff
    proving = prove(root, check_project(root))
    assert [(p.changes[0].check, p.status) for p in proving.proofs] == [
        ("pyproject-poetry-only", "verified")
    ]


def test_flask_object_named_handler_is_exposed_as_app(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        {
            "requirements.txt": "flask\n",
            "api/index.py": "from flask import Flask\n\nhandler = Flask(__name__)\n",
        },
    )
    assert _diff(root, "builder-entrypoint-not-found").endswith(
        "+# vercel-lab doctor --fix: the builder serves a top-level `app`.\n+app = handler\n"
    )
