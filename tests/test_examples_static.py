"""Fast checks of the example projects under examples/, without Vercel's runtime.

Files are where a user (and Vercel's builder) would put them, the Django examples share the
portfolio app through sound symlinks, and the fixed Django examples answer in-process as
plain WSGI apps. Each Django example runs in its own subprocess: Django's settings are
global to a process, and every example has a `portfolio.settings` of its own.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SHARED_APP = EXAMPLES / "_portfolio" / "pages"

# Every example and the file Vercel's runtime imports for it.
ENTRY_FILES = {
    "seed-broken": "api/index.py",
    "seed-fix": "api/index.py",
    "lambda-style": "api/index.py",
    "import-crash": "api/index.py",
    "readonly-fs": "api/index.py",
    "timeout": "api/index.py",
    "missing-dependency": "api/index.py",
    "improperly-configured": "api/index.py",
    "fixed-api-index": "api/index.py",
    "fixed-django-preset": "portfolio/wsgi.py",
    "handler-class": "api/index.py",
    "flask": "app.py",
    "fastapi": "main.py",
}

DJANGO_EXAMPLES = [
    "seed-broken",
    "seed-fix",
    "import-crash",
    "improperly-configured",
    "readonly-fs",
    "fixed-api-index",
    "fixed-django-preset",
]

# The examples that must work, and the WSGI application each exposes.
FIXED_DJANGO_APPS = {
    "fixed-api-index": "api.index:app",
    "fixed-django-preset": "portfolio.wsgi:application",
}

REWRITE_ALL_TO_API_INDEX = [{"source": "/(.*)", "destination": "/api/index"}]

HOST = "portfolio.vercel.app"
MARKER = "<h1>Portfolio</h1>"

# Runs in the example's folder: imports its WSGI app and calls it, as a WSGI server would,
# for each requested path. Prints {path: {"status", "headers", "body"}} as JSON.
PROBE = r"""
import importlib, json, sys
from wsgiref.util import setup_testing_defaults

sys.path.insert(0, ".")
target, host, requests = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
module_name, variable = target.split(":")
app = getattr(importlib.import_module(module_name), variable)

results = {}
for key, (path, headers) in requests.items():
    environ = {"PATH_INFO": path, "HTTP_HOST": host, **headers}
    setup_testing_defaults(environ)
    started = {}

    def start_response(status, response_headers, exc_info=None):
        started["status"] = status
        started["headers"] = response_headers

    iterable = app(environ, start_response)
    try:
        body = b"".join(iterable)
    finally:
        if hasattr(iterable, "close"):
            iterable.close()
    results[key] = {
        "status": int(started["status"].split(" ", 1)[0]),
        "headers": {name.lower(): value for name, value in started["headers"]},
        "body": body.decode("utf-8"),
    }
print(json.dumps(results))
"""

# Vercel's edge adds this to every request; without it the fixed settings redirect to HTTPS.
VIA_VERCEL = {"HTTP_X_FORWARDED_PROTO": "https"}

PROBE_REQUESTS = {
    "/": ("/", VIA_VERCEL),
    "/projects/": ("/projects/", VIA_VERCEL),
    "/about/": ("/about/", VIA_VERCEL),
    "/static/css/style.css": ("/static/css/style.css", VIA_VERCEL),
    "/crash/": ("/crash/", VIA_VERCEL),
    "/no-such-page/": ("/no-such-page/", VIA_VERCEL),
    "plain http /": ("/", {}),
}


def clean_env() -> dict[str, str]:
    """The current environment without Django settings that would change the outcome."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # the probe must not write into the examples
    return env


def snapshot(*roots: Path) -> set[str]:
    """Every file and folder below roots (symlinks not followed)."""
    return {str(path) for root in roots for path in root.rglob("*")}


def top_level_function_params(path: Path, name: str) -> list[str]:
    """The parameter names of the top-level function `name` in the file at path."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return [arg.arg for arg in node.args.args]
    raise AssertionError(f"no top-level function {name!r} in {path}")


def run_in_example(example: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=EXAMPLES / example,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- layout -------------------------------------------------------------------------------


def test_examples_folder_holds_exactly_the_known_examples() -> None:
    folders = {p.name for p in EXAMPLES.iterdir() if p.is_dir() and not p.name.startswith("_")}
    assert folders == set(ENTRY_FILES)


@pytest.mark.parametrize(("example", "entry"), sorted(ENTRY_FILES.items()))
def test_example_has_entry_file_and_readme(example: str, entry: str) -> None:
    assert (EXAMPLES / example / entry).is_file()
    assert (EXAMPLES / example / "README.md").is_file()


@pytest.mark.parametrize(
    "example",
    [
        "import-crash",
        "readonly-fs",
        "fixed-api-index",
        "timeout",
        "missing-dependency",
        "improperly-configured",
    ],
)
def test_api_examples_rewrite_every_path_to_the_function(example: str) -> None:
    config = json.loads((EXAMPLES / example / "vercel.json").read_text(encoding="utf-8"))
    assert config["rewrites"] == REWRITE_ALL_TO_API_INDEX


@pytest.mark.parametrize("example", ["seed-broken", "seed-fix", "lambda-style"])
def test_guide_era_examples_use_the_legacy_builds_config(example: str) -> None:
    config = json.loads((EXAMPLES / example / "vercel.json").read_text(encoding="utf-8"))
    assert config == {
        "builds": [{"src": "api/index.py", "use": "@vercel/python"}],
        "routes": [{"src": "/(.*)", "dest": "api/index.py"}],
    }


def test_timeout_example_allows_one_second() -> None:
    config = json.loads((EXAMPLES / "timeout" / "vercel.json").read_text(encoding="utf-8"))
    assert config["functions"] == {"api/index.py": {"maxDuration": 1}}


def test_fixed_api_index_has_a_public_folder() -> None:
    # Without public/, a zero-config build publishes the project's files as static files.
    assert (EXAMPLES / "fixed-api-index" / "public" / "robots.txt").is_file()


def test_django_preset_is_a_plain_django_project() -> None:
    project = EXAMPLES / "fixed-django-preset"
    assert not (project / "vercel.json").exists()
    assert not (project / "api").exists()
    assert "DJANGO_SETTINGS_MODULE" in (project / "manage.py").read_text(encoding="utf-8")
    settings = (project / "portfolio" / "settings.py").read_text(encoding="utf-8")
    assert 'WSGI_APPLICATION = "portfolio.wsgi.application"' in settings


@pytest.mark.parametrize(
    ("example", "params"),
    [
        ("seed-broken", ["req", "res"]),
        ("seed-fix", ["request"]),
        ("lambda-style", ["event", "context"]),
    ],
)
def test_handler_signatures_match_the_scenarios(example: str, params: list[str]) -> None:
    entry = EXAMPLES / example / "api" / "index.py"
    assert top_level_function_params(entry, "handler") == params


def test_missing_dependency_imports_what_requirements_omit() -> None:
    project = EXAMPLES / "missing-dependency"
    source = (project / "api" / "index.py").read_text(encoding="utf-8")
    requirements = (project / "requirements.txt").read_text(encoding="utf-8").lower()
    assert "import markdown" in source
    assert "flask" in requirements
    assert "markdown" not in requirements


# --- the shared portfolio -----------------------------------------------------------------


@pytest.mark.parametrize("example", DJANGO_EXAMPLES)
def test_django_example_links_the_shared_app_relatively(example: str) -> None:
    link = EXAMPLES / example / "pages"
    assert link.is_symlink()
    assert os.readlink(link) == "../_portfolio/pages"
    assert link.resolve() == SHARED_APP.resolve()
    assert (link / "templates" / "pages" / "base.html").is_file()
    assert (link / "static" / "css" / "style.css").is_file()


@pytest.mark.parametrize("example", DJANGO_EXAMPLES)
def test_django_example_has_its_own_settings_and_requirements(example: str) -> None:
    project = EXAMPLES / example
    settings = (project / "portfolio" / "settings.py").read_text(encoding="utf-8")
    assert "from pages.base_settings import *" in settings
    assert (project / "portfolio" / "urls.py").is_file()
    requirements = (project / "requirements.txt").read_text(encoding="utf-8").lower()
    assert "django>=" in requirements
    assert "whitenoise>=" in requirements


# --- the fixed Django examples, served in-process -----------------------------------------


@pytest.fixture(scope="module", params=sorted(FIXED_DJANGO_APPS))
def served(request: pytest.FixtureRequest) -> dict[str, Any]:
    """The example's answers to PROBE_REQUESTS, plus whether the run wrote any file."""
    example = request.param
    before = snapshot(EXAMPLES / example, EXAMPLES / "_portfolio")
    result = run_in_example(
        example, "-c", PROBE, FIXED_DJANGO_APPS[example], HOST, json.dumps(PROBE_REQUESTS)
    )
    after = snapshot(EXAMPLES / example, EXAMPLES / "_portfolio")
    assert result.returncode == 0, result.stderr
    return {
        "responses": json.loads(result.stdout),
        "new_files": after - before,
        "log": result.stderr,
    }


@pytest.mark.parametrize(
    ("path", "title"),
    [("/", "Home"), ("/projects/", "Projects"), ("/about/", "About")],
)
def test_fixed_example_serves_portfolio_pages(
    served: dict[str, Any], path: str, title: str
) -> None:
    response = served["responses"][path]
    assert response["status"] == 200
    assert response["headers"]["content-type"] == "text/html; charset=utf-8"
    assert MARKER in response["body"]
    assert f"<title>{title} | Portfolio</title>" in response["body"]
    assert '<link rel="stylesheet" href="/static/css/style.css">' in response["body"]


def test_fixed_example_serves_the_stylesheet(served: dict[str, Any]) -> None:
    response = served["responses"]["/static/css/style.css"]
    assert response["status"] == 200
    assert response["headers"]["content-type"].startswith("text/css")
    expected = (SHARED_APP / "static" / "css" / "style.css").read_text(encoding="utf-8")
    assert response["body"] == expected


def test_fixed_example_hides_a_crash_behind_the_generic_500_page(served: dict[str, Any]) -> None:
    response = served["responses"]["/crash/"]
    assert response["status"] == 500
    assert "<h1>Server Error (500)</h1>" in response["body"]
    assert "Traceback" not in response["body"]
    assert "fails on purpose" not in response["body"]
    # The details go to the log (stderr), where Vercel keeps them.
    assert "RuntimeError: This view fails on purpose" in served["log"]


def test_fixed_example_answers_404_for_unknown_paths(served: dict[str, Any]) -> None:
    assert served["responses"]["/no-such-page/"]["status"] == 404


def test_fixed_example_redirects_plain_http_to_https(served: dict[str, Any]) -> None:
    response = served["responses"]["plain http /"]
    assert response["status"] == 301
    assert response["headers"]["location"] == f"https://{HOST}/"


def test_fixed_example_sends_hsts_over_https(served: dict[str, Any]) -> None:
    headers = served["responses"]["/"]["headers"]
    assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"


def test_fixed_example_writes_nothing_into_the_project(served: dict[str, Any]) -> None:
    assert served["new_files"] == set()


def test_django_preset_passes_check_deploy() -> None:
    env_key = "x" * 10 + "-portfolio-test-key-" + "0123456789abcdefghijklmnopqrstuvwxyz"
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=EXAMPLES / "fixed-django-preset",
        env={**clean_env(), "DJANGO_SECRET_KEY": env_key},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


# --- the broken examples fail the way their READMEs say, even outside Vercel --------------


def test_import_crash_fails_while_importing_the_entrypoint() -> None:
    result = run_in_example(
        "import-crash", "-c", "import sys; sys.path.insert(0, '.'); import api.index"
    )
    assert result.returncode == 1
    assert result.stderr.rstrip().endswith("ModuleNotFoundError: No module named 'portfolio_blog'")


def test_seed_broken_handler_dies_when_called_as_wsgi() -> None:
    code = (
        "import sys; sys.path.insert(0, '.')\n"
        "from wsgiref.util import setup_testing_defaults\n"
        "import api.index as m\n"
        "environ = {}; setup_testing_defaults(environ)\n"
        "m.handler(environ, lambda status, headers, exc_info=None: None)\n"
    )
    result = run_in_example("seed-broken", "-c", code)
    assert result.returncode == 1
    assert result.stderr.rstrip().endswith(
        "AttributeError: 'dict' object has no attribute 'method'"
    )


# --- the examples in the wheel ------------------------------------------------------------


def test_every_symlink_in_examples_is_packaged_resolved_in_the_wheel() -> None:
    """A wheel holds no symlinks: pyproject's force-include lists each linked folder again."""
    import tomllib

    pyproject = tomllib.loads((EXAMPLES.parent / "pyproject.toml").read_text(encoding="utf-8"))
    included = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    links = sorted(
        str(path.relative_to(EXAMPLES.parent)) for path in EXAMPLES.rglob("*") if path.is_symlink()
    )
    assert links, "no symlinks found: the test would prove nothing"
    assert included["examples"] == "vercel_lab/_examples"
    assert {link: f"vercel_lab/_{link}" for link in links} == {
        source: target for source, target in included.items() if source != "examples"
    }


def test_examples_root_falls_back_to_the_wheels_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vercel_lab import examples

    monkeypatch.delenv("VERCEL_LAB_EXAMPLES", raising=False)
    assert examples.examples_root() == examples.CHECKOUT
    packaged = tmp_path / "_examples"
    (packaged / "flask").mkdir(parents=True)
    monkeypatch.setattr(examples, "CHECKOUT", tmp_path / "no-checkout")
    monkeypatch.setattr(examples, "PACKAGED", packaged)
    assert examples.example("flask") == packaged / "flask"
    monkeypatch.setattr(examples, "PACKAGED", tmp_path / "nothing")
    with pytest.raises(FileNotFoundError, match="reinstall vercel-lab"):
        examples.examples_root()
