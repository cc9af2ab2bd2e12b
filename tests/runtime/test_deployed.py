"""Running a project as Vercel deploys it: the shared real-world cases (tests/fixtures/cases, right
values from real `vercel build` runs, see research/deploy-facts.md), the deployed dependency
set, the environment from the project settings, and the bad inputs.

The deployed sets are installed from PyPI with uv (marked ``network``; CI has PyPI)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import MakeProject
from vercel_lab.runtime.function import Function

CASES = Path(__file__).parents[1] / "fixtures" / "cases"
DJANGO_SQLITE = Path(__file__).parents[1] / "fixtures" / "django-sqlite"


def copy_case(name: str, tmp_path: Path) -> Path:
    """A fresh copy of a shared case (the tests never run the fixture itself)."""
    return Path(shutil.copytree(CASES / name, tmp_path / name, symlinks=True))


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "vercel_lab", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
        check=False,
    )


@pytest.mark.network
def test_uvlock_hides_requirements_crashes_at_init_without_flask(tmp_path: Path) -> None:
    with Function(copy_case("uvlock-hides-requirements", tmp_path)) as function:
        outcome = function.invoke("/api")
    assert (outcome.status, outcome.error_code, outcome.phase) == (
        500,
        "FUNCTION_INVOCATION_FAILED",
        "init",
    )
    assert "ModuleNotFoundError: No module named 'flask'" in outcome.log
    assert outcome.deps is not None
    assert (outcome.deps["mode"], outcome.deps["manifest"], outcome.deps["python"]) == (
        "deployed",
        "pyproject.toml",
        "3.12",
    )
    assert function.plan.install is not None
    assert function.plan.install.manifest.log_line == (
        "Installing required dependencies from uv.lock..."
    )


@pytest.mark.network
def test_poetry_only_pyproject_installs_nothing(tmp_path: Path) -> None:
    with Function(copy_case("poetry-only-pyproject", tmp_path)) as function:
        outcome = function.invoke(function.entrypoints[0].route)
    assert (outcome.error_code, outcome.phase) == ("FUNCTION_INVOCATION_FAILED", "init")
    assert "No module named 'fastapi'" in outcome.log


@pytest.mark.network
def test_driver_only_in_extra_is_never_installed(tmp_path: Path) -> None:
    project = copy_case("driver-only-in-extra", tmp_path)
    with Function(project, env={"DATABASE_URL": "postgres://db.example/x"}) as function:
        health = function.invoke("/health")
        dashboard = function.invoke("/")
    assert (health.status, health.text) == (200, '{"ok":true}')
    assert (dashboard.status, dashboard.error_code, dashboard.text) == (
        500,
        None,
        "Internal Server Error",
    )
    # The log holds "Exception in ASGI application ... No module named 'psycopg2'" where the
    # runtime routes Python logging to the platform (fluid mode); Starlette's 500 is the answer.
    assert function.plan.install is not None
    assert function.plan.install.manifest.requirements == ("fastapi>=0.110",)
    assert dashboard.env_sources == {"DATABASE_URL": "--env"}


def test_python_311_pin_with_uvlock_fails_the_build(tmp_path: Path) -> None:
    project = copy_case("python-version-311-with-uvlock", tmp_path)
    done = run_cli("invoke", str(project), "--json")
    data = json.loads(done.stdout)
    assert done.returncode == 1
    assert (data["status"], data["phase"], data["error_code"]) == (None, "build", "UV_SYNC_FAILED")
    assert data["log"].splitlines()[:4] == [
        'Warning: Python version "3.11" detected in .python-version is not installed and will '
        "be ignored. https://vercel.link/python-version",
        "Using python version: 3.12",
        "Installing required dependencies from uv.lock...",
        'Error: Failed to run "uv sync --active --no-dev --link-mode hardlink --frozen '
        '--python-platform x86_64-unknown-linux-gnu --no-editable": Command failed: uv sync '
        "--active --no-dev --link-mode hardlink --frozen --python-platform "
        "x86_64-unknown-linux-gnu --no-editable",
    ]
    assert data["log"].splitlines()[4] == (
        "error: No interpreter found for Python 3.11 in managed installations or search path"
    )


def test_stale_root_manage_py_fails_the_build(tmp_path: Path) -> None:
    project = copy_case("stale-root-manage-py", tmp_path)
    done = run_cli("invoke", str(project), "--json")
    data = json.loads(done.stdout)
    assert done.returncode == 1
    assert (data["phase"], data["error_code"]) == ("build", "DJANGO_SETTINGS_FAILED")
    lines = data["log"].splitlines()
    assert lines[:3] == [
        "No Python version specified in .python-version, pyproject.toml, or Pipfile.lock. "
        "Using python version: 3.12",
        "Installing required dependencies from requirements.txt...",
        f"Error: Failed to read Django application settings from {project}/manage.py:",
    ]
    assert lines[3:5] == [
        "Traceback (most recent call last):",
        '  File "<string>", line 9, in <module>',
    ]
    assert lines[-1] == "ModuleNotFoundError: No module named 'django'"
    assert data["deps"] == {
        "mode": "deployed",
        "manifest": "requirements.txt",
        "python": "3.12",
        "cached": data["deps"]["cached"],
    }


READS_AT_IMPORT = {
    "api/index.py": """
        import os
        API_KEY = os.environ["API_KEY"]
        def app(environ, start_response):
            start_response("200 OK", [])
            return [API_KEY.encode()]
    """,
    ".env": "API_KEY=from-dotenv\n",
    ".gitignore": ".env\n",
}


def test_a_dotenv_file_never_becomes_the_environment(make_project: MakeProject) -> None:
    project = make_project(READS_AT_IMPORT)
    default = run_cli("invoke", str(project), "--path", "/api/index", "--json")
    given = run_cli(
        "invoke",
        str(project),
        "--path",
        "/api/index",
        "--json",
        "--env-file",
        str(project / ".env"),
    )
    crashed, answered = json.loads(default.stdout), json.loads(given.stdout)
    assert (default.returncode, crashed["phase"], crashed["error_code"]) == (
        1,
        "init",
        "FUNCTION_INVOCATION_FAILED",
    )
    assert "KeyError: 'API_KEY'" in crashed["log"]
    assert crashed["env_sources"] == {}
    assert (given.returncode, answered["status"], answered["body"]) == (0, 200, "from-dotenv")
    assert answered["env_sources"] == {"API_KEY": f"--env-file {project / '.env'}"}


def test_pulled_settings_then_env_files_then_env(make_project: MakeProject) -> None:
    project = make_project(
        {
            "api/index.py": """
            import json, os
            def app(environ, start_response):
                start_response("200 OK", [])
                keys = ["A", "B", "C", "VERCEL_ENV"]
                return [json.dumps([os.environ.get(k) for k in keys]).encode()]
        """,
            ".vercel/.env.preview.local": "A=pulled\nB=pulled\nC=pulled\n",
            "one.env": "B=one\nC=one\n",
            "two.env": "C=two\n",
        }
    )
    done = run_cli(
        "invoke",
        str(project),
        "--path",
        "/api/index",
        "--target",
        "preview",
        "--env-file",
        str(project / "one.env"),
        "--env-file",
        str(project / "two.env"),
        "--env",
        "A=option",
    )
    assert done.returncode == 0, done.stderr
    assert '["option", "one", "two", "preview"]' in done.stdout
    assert (
        f"env: A (--env), B (--env-file {project / 'one.env'}), "
        f"C (--env-file {project / 'two.env'}) (VERCEL_ENV=preview)" in done.stdout
    )


def test_a_file_left_out_of_the_bundle_does_not_exist(make_project: MakeProject) -> None:
    project = make_project(
        {
            "api/index.py": """
            from pathlib import Path
            def app(environ, start_response):
                body = Path("templates/hidden.html").read_bytes()
                start_response("200 OK", [])
                return [body]
        """,
            "templates/hidden.html": "secret",
            ".vercelignore": "templates/hidden.html\n",
        }
    )
    done = run_cli("invoke", str(project), "--path", "/api/index", "--json")
    data = json.loads(done.stdout)
    assert (
        "FileNotFoundError: [Errno 2] No such file or directory: 'templates/hidden.html'"
        in (data["log"])
    )
    assert data["excluded_files"]["templates/hidden.html"] == ".vercelignore"
    shown = run_cli("invoke", str(project), "--path", "/api/index", "--show-files")
    assert "excluded: templates/hidden.html (.vercelignore)" in shown.stdout


def test_current_deps_say_they_are_unfaithful(make_project: MakeProject) -> None:
    project = make_project({"api/index.py": "from flask import Flask\napp = Flask(__name__)\n"})
    done = run_cli("invoke", str(project), "--path", "/api/index", "--deps", "current", "--json")
    data = json.loads(done.stdout)
    assert data["deps"] == {
        "mode": "current",
        "manifest": None,
        "python": f"{sys.version_info[0]}.{sys.version_info[1]}",
        "cached": None,
    }
    text = run_cli("invoke", str(project), "--path", "/api/index", "--deps", "current")
    assert "deps: current environment (--deps current: faster, unfaithful" in text.stdout


def test_unparseable_requirements_is_a_build_error(make_project: MakeProject) -> None:
    project = make_project({"api/index.py": "app = 1\n", "requirements.txt": "flask>=>3\n"})
    done = run_cli("invoke", str(project), "--path", "/api/index", "--json")
    data = json.loads(done.stdout)
    assert done.returncode == 1
    assert (data["phase"], data["error_code"]) == ("build", "PYTHON_REQUIREMENTS_PARSE_ERROR")
    assert data["log"].startswith("Error: could not parse requirements.txt: ")


@pytest.mark.network
def test_a_lock_for_another_platform_is_a_build_error(make_project: MakeProject) -> None:
    project = make_project(
        {
            "api/index.py": "app = 1\n",
            "pyproject.toml": (
                '[project]\nname = "mac-only"\nversion = "0.1.0"\nrequires-python = ">=3.12"\n'
                "dependencies = []\n\n[tool.uv]\nenvironments = [\"sys_platform == 'darwin'\"]\n"
            ),
            "uv.lock": (
                'version = 1\nrevision = 3\nrequires-python = ">=3.12"\n'
                "resolution-markers = [\"sys_platform == 'darwin'\"]\n"
                "supported-markers = [\"sys_platform == 'darwin'\"]\n\n"
                '[manifest]\n\n[[package]]\nname = "mac-only"\nversion = "0.1.0"\n'
                'source = { virtual = "." }\n'
            ),
        }
    )
    done = run_cli("invoke", str(project), "--path", "/api/index", "--json")
    data = json.loads(done.stdout)
    assert done.returncode == 1, done.stderr
    assert (data["phase"], data["error_code"]) == ("build", "UV_SYNC_FAILED")
    errors = [line for line in data["log"].splitlines() if line.startswith("Error: ")]
    assert errors == [
        'Error: Failed to run "uv sync --active --no-dev --link-mode hardlink --frozen '
        '--python-platform x86_64-unknown-linux-gnu --no-editable": Command failed: uv sync '
        "--active --no-dev --link-mode hardlink --frozen --python-platform "
        "x86_64-unknown-linux-gnu --no-editable"
    ]
    assert "not compatible with the lockfile's supported environments" in data["log"]


def test_an_uncached_install_offline_is_vercel_labs_own_failure(
    make_project: MakeProject, tmp_path: Path
) -> None:
    project = make_project({"api/index.py": "app = 1\n", "requirements.txt": "flask>=3\n"})
    cache = tmp_path / "cache"
    done = run_cli(
        "invoke",
        str(project),
        "--path",
        "/api/index",
        env={
            "UV_OFFLINE": "1",
            "UV_CACHE_DIR": str(tmp_path / "empty-uv-cache"),
            "VERCEL_LAB_CACHE": str(cache),
        },
    )
    assert done.returncode == 2
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith(
        "vercel-lab: error: could not install the dependencies of requirements.txt: "
        "step `uv lock` failed: error: No solution found when resolving dependencies"
    )
    assert os.listdir(cache / "deps") == []  # nothing half-installed
    assert sorted(p.name for p in project.rglob("*")) == ["api", "index.py", "requirements.txt"]


@pytest.mark.network
def test_collected_static_files_are_served_as_static_exactly_when_the_build_collects(
    tmp_path: Path,
) -> None:
    from vercel_lab.examples import example

    with Function(example("fixed-django-preset")) as function:  # WHITENOISE_USE_FINDERS = True
        css = function.invoke("/static/css/style.css")
        assert "/static/css/style.css" in function.static_files
    assert (css.status, css.header("x-vercel-cache"), css.header("content-type")) == (
        200,
        "HIT",
        "text/css",
    )
    assert css.entrypoint is None and css.log == ""  # the CDN answered, not the function
    project = Path(shutil.copytree(DJANGO_SQLITE, tmp_path / "django-sqlite"))
    with Function(project) as function:  # neither STATIC_ROOT nor WHITENOISE_USE_FINDERS
        missing = function.invoke("/static/app.css")
        assert function.static_files == {}
    assert missing.entrypoint == "counter/wsgi.py:application"


VERSION_APP = """
import sys
def app(environ, start_response):
    start_response("200 OK", [])
    return [("%d.%d" % sys.version_info[:2]).encode()]
"""


@pytest.mark.network
def test_the_selected_python_runs_when_this_machine_has_it(make_project: MakeProject) -> None:
    from vercel_lab.runtime.installer import find_python

    project = make_project({"api/index.py": VERSION_APP, ".python-version": "3.13\n"})
    done = run_cli("invoke", str(project), "--path", "/api/index", "--json")
    data = json.loads(done.stdout)
    assert data["deps"]["python"] == "3.13"
    expected = "3.13" if find_python("3.13") else f"{sys.version_info[0]}.{sys.version_info[1]}"
    assert data["body"] == expected
    newest = make_project({"api/index.py": VERSION_APP, ".python-version": "3.14\n"}, "newest")
    text = run_cli("invoke", str(newest), "--path", "/api/index").stdout
    if find_python("3.14") is None:
        running = f"{sys.version_info[0]}.{sys.version_info[1]}"
        assert f"Python 3.14 is not on this machine: running under {running}" in text
