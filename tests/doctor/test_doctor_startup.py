"""The import-time and request-path checks on the shared real-world cases (right values
established with ``vercel build`` 58.10.0 and vercel-runtime 0.24.1) and on the false alarm
they must not raise."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.helpers import MakeProject
from vercel_lab.doctor import check_project

FIXTURES = Path(__file__).parent / "fixtures"


def _case(tmp_path: Path, check_id: str) -> Path:
    return Path(shutil.copytree(FIXTURES / check_id / "bad", tmp_path / check_id))


def test_bot_object_named_application(tmp_path: Path) -> None:
    # The builder serves `application` (the first in source order), a python-telegram-bot
    # object: "Could not determine the application interface for 'main:application'".
    first = check_project(_case(tmp_path, "app-name-collision"))[0]
    assert (first.id, first.category, first.severity) == (
        "app-name-collision",
        "app-not-wsgi-or-asgi",
        "error",
    )
    assert (first.file, first.line) == ("main.py", 15)
    assert "(line 15) comes before `app` (line 18)" in first.message
    assert "'main:application'" in first.message
    assert "Rename this object" in first.fix
    assert '`[tool.vercel] entrypoint = "main:app"`' in first.fix
    assert "move the dependencies into its `[project].dependencies`" in first.fix


def test_secret_guard_at_import(tmp_path: Path) -> None:
    # run.py calls create_app() at import; Config.apply raises RuntimeError without SECRET_KEY.
    findings = check_project(_case(tmp_path, "env-guard-at-import"))
    first = findings[0]
    assert (first.id, first.category) == ("env-guard-at-import", "env-var-missing")
    assert (first.file, first.line) == ("app/config.py", 15)
    assert "`Config.apply` raises when SECRET_KEY is not set" in first.message
    assert "run.py calls create_app() -> apply()" in first.message
    for word in ("SECRET_KEY", "Production", "Preview", "Development", "redeploy"):
        assert word in first.fix


def test_no_false_alarm_on_a_handler_beside_the_app(make_project: MakeProject) -> None:
    root = make_project(
        {
            "requirements.txt": "flask\n",
            "api/index.py": "from flask import Flask\n\napp = Flask(__name__)\n\n\n"
            "def handler(request):\n    return 'unused'\n",
        }
    )
    # Only api/ holds Python: the project is "Other" (builder/plan.py's modelled api/ rule), whose
    # zero-config static output publishes requirements.txt: that note is right, no alarm is.
    assert [f.id for f in check_project(root) if f.severity != "info"] == []


def test_a_lone_one_argument_handler_is_still_an_error(make_project: MakeProject) -> None:
    root = make_project(
        {"requirements.txt": "", "api/index.py": "def handler(request):\n    return 'x'\n"}
    )
    assert "handler-single-argument" in {f.id for f in check_project(root)}


def test_windows_separators_name_the_literal_and_the_portable_path(tmp_path: Path) -> None:
    (finding,) = [
        f
        for f in check_project(_case(tmp_path, "windows-path-separator"))
        if f.id == "windows-path-separator"
    ]
    assert (finding.file, finding.line) == ("api/index.py", 10)
    assert finding.message.startswith('`open("api\\\\data\\\\quotes.json")` uses Windows')
    assert finding.fix == (
        'Use forward slashes: `"api/data/quotes.json"` (a relative path starts at the working '
        "directory, the project root on Vercel), or join the parts: "
        '`Path("api", "data", "quotes.json")`.'
    )


def test_import_module_of_a_sibling(tmp_path: Path) -> None:
    (finding,) = [
        f
        for f in check_project(_case(tmp_path, "import-module-not-on-sys-path"))
        if f.id == "import-module-not-on-sys-path"
    ]
    assert (finding.file, finding.line, finding.category) == (
        "api/index.py",
        6,
        "import-error-module-path",
    )
    assert '`import_module("api.plugins")`' in finding.fix
