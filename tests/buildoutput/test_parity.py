"""The real-build check's pure parts: Build Output parsing and routing, the static-leak scan,
the parity comparison; and a function bundle invoked the way Lambda runs it (no Node needed).

The routes below are copied from ``config.json`` files that ``vercel build`` (CLI 58.10.0)
wrote for the examples.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from tests.helpers import MakeProject, processes_in
from vercel_lab import Outcome, Request
from vercel_lab.buildoutput.bundle import BundleFunction, find_function_folder
from vercel_lab.buildoutput.parity import (
    Observation,
    ParityRow,
    agrees,
    build_error_message,
    exception_line,
    format_table,
    observe,
    static_problems,
)
from vercel_lab.buildoutput.reader import (
    BuildOutput,
    FunctionConfig,
    Resolution,
    is_leaked_source,
    leaked_sources,
    parse_vc_config,
    read_build_output,
    resolve,
    trampoline_entrypoint,
)
from vercel_lab.cli.main import main

# fixed-api-index before `"framework": null`: the Django preset, with the user's rewrite.
DJANGO_PRESET_WITH_REWRITE = [
    {"handle": "filesystem"},
    {"src": "^(?:/(.*))$", "dest": "/api/index", "check": True},
    {
        "src": "/(.*)",
        "dest": "/django",
        "transforms": [{"type": "request.path", "op": "set", "args": "/$1"}],
    },
    {"handle": "error"},
    {"status": 404, "src": "^(?!/api).*$", "dest": "/404.html"},
]
# fixed-django-preset: collectstatic output first, then the app.
DJANGO_PRESET = [
    {"handle": "error"},
    {"status": 404, "src": "^(?!/api).*$", "dest": "/404.html"},
    {"handle": "filesystem"},
    {
        "src": "/(.*)",
        "dest": "/django",
        "transforms": [{"type": "request.path", "op": "set", "args": "/$1"}],
    },
]
# timeout: zero-config api/ ("Other" preset) with a rewrite of every path.
OTHER_WITH_REWRITE = [
    {"handle": "filesystem"},
    {"src": "^(?:/(.*))$", "dest": "/api/index", "check": True},
    {"src": "^/api(/.*)?$", "status": 404},
    {"handle": "error"},
    {"status": 404, "src": "^(?!/api).*$", "dest": "/404.html"},
    {"handle": "miss"},
    {"src": "^/api/(.+)(?:\\.(?:py))$", "dest": "/api/$1", "check": True},
]
# handler-class: zero-config api/ and no vercel.json.
OTHER = [
    {"handle": "filesystem"},
    {"src": "^/api(/.*)?$", "status": 404},
    {"handle": "error"},
    {"status": 404, "src": "^(?!/api).*$", "dest": "/404.html"},
    {"handle": "miss"},
    {"src": "^/api/(.+)(?:\\.(?:py))$", "dest": "/api/$1", "check": True},
]

TRAMPOLINE = """
import os
_here = os.path.dirname(__file__)
os.environ.update({
  "__VC_PY_BOOT_START_MS": "0",
  "__VC_HANDLER_MODULE_NAME": "portfolio.wsgi",
  "__VC_HANDLER_ENTRYPOINT": "portfolio/wsgi.py",
  "__VC_HANDLER_ENTRYPOINT_ABS": os.path.join(_here, "portfolio/wsgi.py"),
  "__VC_HANDLER_VENDOR_DIR": "_vendor",
  "__VC_HANDLER_VARIABLE_NAME": "application"
})
"""


def output_of(
    routes: list[dict[str, object]], static: tuple[str, ...] = (), functions: tuple[str, ...] = ()
) -> BuildOutput:
    return BuildOutput(
        Path("/nonexistent"),
        tuple(routes),
        frozenset(static),
        {name: Path(f"/nonexistent/{name}.func") for name in functions},
    )


def route(output: BuildOutput, path: str) -> Resolution:
    return resolve(output, path)


# -- .vc-config.json and the trampoline ----------------------------------------------------------


def test_vc_config_gives_handler_runtime_duration_environment_and_file_map() -> None:
    config = parse_vc_config(
        {
            "handler": "vc__handler__python.vc_handler",
            "runtime": "python3.12",
            "maxDuration": 1,
            "environment": {"PYTHONPATH": "_vendor"},
            "filePathMap": {"api/index.py": "api/index.py"},
            "supportsResponseStreaming": True,
        }
    )
    assert config == FunctionConfig(
        "vc__handler__python.vc_handler",
        "python3.12",
        1.0,
        {"PYTHONPATH": "_vendor"},
        {"api/index.py": "api/index.py"},
    )
    assert config.python_version == (3, 12)
    assert FunctionConfig("index.handler", "nodejs20.x").python_version is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], ".vc-config.json: expected a JSON object"),
        (
            {"runtime": "python3.12"},
            '.vc-config.json: "handler" must be a string like "module.function"',
        ),
        ({"handler": "a.b"}, '.vc-config.json: "runtime" must be a string like "python3.12"'),
        (
            {"handler": "a.b", "runtime": "python3.12", "maxDuration": 0},
            '.vc-config.json: "maxDuration" must be a positive number of seconds',
        ),
        (
            {"handler": "a.b", "runtime": "python3.12", "maxDuration": True},
            '.vc-config.json: "maxDuration" must be a positive number of seconds',
        ),
        (
            {"handler": "a.b", "runtime": "python3.12", "environment": {"A": 1}},
            '.vc-config.json: "environment" must be an object of strings',
        ),
    ],
)
def test_a_malformed_vc_config_is_refused_with_the_reason(data: object, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_vc_config(data)
    assert str(caught.value) == message


def test_the_trampoline_names_the_entrypoint_file_and_variable() -> None:
    assert trampoline_entrypoint(TRAMPOLINE) == ("portfolio/wsgi.py", "application")
    with pytest.raises(ValueError) as caught:
        trampoline_entrypoint("from vercel_runtime.vc_init import vc_handler\n")
    assert str(caught.value) == (
        "not a @vercel/python trampoline: it does not set __VC_HANDLER_ENTRYPOINT"
    )


# -- routing through config.json -----------------------------------------------------------------


def test_django_preset_with_a_rewrite_hands_django_the_rewritten_path() -> None:
    # What made fixed-api-index pin "framework": null: every page would reach Django as
    # /api/index (CLI 58.10.0 warns about this behaviour change).
    output = output_of(DJANGO_PRESET_WITH_REWRITE, ("robots.txt",), ("django",))
    assert route(output, "/about/") == Resolution("function", "django", "/api/index")
    assert route(output, "/robots.txt") == Resolution("static", "robots.txt")


def test_django_preset_serves_collected_static_files_before_the_app() -> None:
    output = output_of(DJANGO_PRESET, ("static/css/style.css",), ("django",))
    assert route(output, "/static/css/style.css") == Resolution("static", "static/css/style.css")
    assert route(output, "/about/?q=1") == Resolution("function", "django", "/about/?q=1")


def test_zero_config_rewrite_chooses_the_function_but_keeps_the_path() -> None:
    output = output_of(OTHER_WITH_REWRITE, (), ("api/index",))
    assert route(output, "/slow") == Resolution("function", "api/index", "/slow")
    assert route(output, "/") == Resolution("function", "api/index", "/")


def test_zero_config_functions_answer_at_their_path_and_other_paths_are_404() -> None:
    output = output_of(OTHER, (), ("api/index",))
    assert route(output, "/api") == Resolution("function", "api/index", "/api")
    assert route(output, "/api/index.py") == Resolution("function", "api/index", "/api/index.py")
    assert route(output, "/api/missing") == Resolution("status", status=404)
    assert route(output, "/") == Resolution("status", status=404)


def test_a_redirect_route_answers_with_its_status_and_location() -> None:
    routes = [{"src": "^/old$", "headers": {"Location": "/new"}, "status": 308}]
    output = output_of(routes + OTHER, (), ("api/index",))
    assert route(output, "/old") == Resolution(
        "redirect", status=308, location="/new", headers=(("location", "/new"),)
    )


def test_read_build_output_lists_static_files_and_functions(tmp_path: Path) -> None:
    (tmp_path / "static" / "css").mkdir(parents=True)
    (tmp_path / "static" / "css" / "a.css").write_text("a")
    func = tmp_path / "functions" / "api" / "index.func"
    func.mkdir(parents=True)
    (func / ".vc-config.json").write_text('{"handler": "a.b", "runtime": "python3.12"}')
    (tmp_path / "config.json").write_text(json.dumps({"version": 3, "routes": OTHER}))
    output = read_build_output(tmp_path)
    assert output.static_files == {"css/a.css"}
    assert dict(output.functions) == {"api/index": func}
    assert output.routes == tuple(OTHER)
    assert find_function_folder(tmp_path) == func


# -- what must not be published ------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "portfolio/settings.py",
        "api/index.pyc",
        ".env",
        "conf/.env.production",
        "db.sqlite3",
        "settings.json",
        "config/local_settings.toml",
        "SETTINGS.YAML",
    ],
)
def test_sources_secrets_databases_and_settings_files_are_leaks(name: str) -> None:
    assert is_leaked_source(name)


@pytest.mark.parametrize(
    "name", ["robots.txt", "static/css/style.css", "img/settings.png", "settings-icon.svg"]
)
def test_ordinary_static_files_are_not_leaks(name: str) -> None:
    assert not is_leaked_source(name)


def test_static_problems_name_leaks_unreachable_files_and_unpublished_public_files() -> None:
    output = output_of(OTHER, ("robots.txt", "portfolio/settings.py"), ("api/index",))
    assert leaked_sources(output.static_files) == ["portfolio/settings.py"]
    assert static_problems(output, ["robots.txt", "favicon.ico"]) == [
        "static/portfolio/settings.py must not be public",
        "public/favicon.ico is not in static/",
    ]
    hidden = output_of([{"src": "^/robots.txt$", "status": 403}, *OTHER], ("robots.txt",))
    assert static_problems(hidden, []) == [
        "static/robots.txt is published but GET /robots.txt does not serve it"
    ]


# -- parity ------------------------------------------------------------------------------------


BUILD_LOG = """Vercel CLI 58.10.0 (Node.js 20.20.2)
WARNING! Build not running on Vercel. System environment variables will not be available.
Error: Could not find a top-level "app", "application", or "handler" in "api/index.py".
Learn More: https://vercel.com/docs/functions/runtimes/python#python-entrypoints
"""


def test_the_build_error_is_read_from_the_cli_output() -> None:
    assert build_error_message(BUILD_LOG) == (
        'Could not find a top-level "app", "application", or "handler" in "api/index.py".'
    )
    assert build_error_message("Build Completed in .vercel/output [3s]\n") is None


def test_the_exception_line_is_the_last_one_with_the_folder_as_var_task() -> None:
    log = (
        "Traceback (most recent call last):\n"
        '  File "/usr/lib/python3.12/logging/config.py", line 581, in configure\n'
        "    handler = self.configure_handler(handlers[name])\n"
        "OSError: [Errno 30] Read-only file system: '/tmp/x/index.func/logs/a.log'\n"
        "\nThe above exception was the direct cause of the following exception:\n\n"
        "Traceback (most recent call last):\n"
        '  File "/tmp/x/index.func/api/index.py", line 3, in <module>\n'
        "    logging.config.dictConfig(LOGGING)\n"
        "ValueError: Unable to configure handler 'file'\n"
        "Error: Runtime exited with error: exit status 1\n"
    )
    assert exception_line(log) == "ValueError: Unable to configure handler 'file'"
    assert exception_line(log.split("\n\n")[0], ["/tmp/x/index.func"]) == (
        "OSError: [Errno 30] Read-only file system: '/var/task/logs/a.log'"
    )
    assert exception_line("all fine\n") == ""


def test_an_emulated_build_failure_agrees_with_the_same_cli_message() -> None:
    emulated = observe(
        Outcome(
            Request.get("/"),
            None,
            error_code="PYTHON_ENTRYPOINT_NOT_FOUND",
            phase="build",
            log=f"Error: {build_error_message(BUILD_LOG)}\n",
        )
    )
    real = Observation(None, None, "build", build_error_message(BUILD_LOG) or "")
    assert agrees(emulated, real)
    assert not agrees(emulated, Observation(None, None, "build", "something else"))
    assert not agrees(emulated, Observation(200, None, None))


def test_runtime_rows_agree_only_on_the_same_status_code_phase_and_exception() -> None:
    crash = Observation(500, "FUNCTION_INVOCATION_FAILED", "init", "ModuleNotFoundError: x")
    assert agrees(
        crash, Observation(500, "FUNCTION_INVOCATION_FAILED", "init", "ModuleNotFoundError: x")
    )
    assert not agrees(
        crash, Observation(500, "FUNCTION_INVOCATION_FAILED", "invoke", "ModuleNotFoundError: x")
    )
    assert not agrees(Observation(200, None, None), Observation(404, None, None))


def test_the_table_marks_disagreements_and_spells_them_out() -> None:
    rows = [
        ParityRow("fixed", "/", Observation(200, None, None), Observation(200, None, None)),
        ParityRow("api", "/about/", Observation(200, None, None), Observation(404, None, None)),
    ]
    table = format_table(rows)
    lines = table.splitlines()
    assert lines[2].endswith(" yes") and lines[3].endswith(" NO")
    assert table.endswith("api GET /about/ disagrees:\n  emulation:    200\n  vercel build: 404")


# -- a bundle, invoked as Lambda runs it --------------------------------------------------------


def make_bundle(make_project: MakeProject, index: str) -> Path:
    """A standalone .func folder as `vercel build` writes it, with the installed runtime linked
    into _vendor (the builder would install it there)."""
    spec = importlib.util.find_spec("vercel_runtime")
    assert spec is not None and spec.origin is not None
    trampoline = (
        TRAMPOLINE.replace("portfolio.wsgi", "api.index")
        .replace("portfolio/wsgi.py", "api/index.py")
        .replace('"application"', '"app"')
        + "import sys\nsys.path.insert(1, os.path.join(_here, '_vendor'))\n"
        + "from vercel_runtime.vc_init import vc_handler\n"
    )
    func = make_project(
        {
            ".vc-config.json": json.dumps(
                {
                    "handler": "vc__handler__python.vc_handler",
                    "runtime": "python3.12",
                    "maxDuration": 2,
                    "environment": {"PYTHONPATH": "_vendor"},
                }
            ),
            "vc__handler__python.py": trampoline,
            "api/index.py": index,
        },
        name="index.func",
    )
    (func / "_vendor").mkdir()
    (func / "_vendor" / "vercel_runtime").symlink_to(Path(spec.origin).parent)
    return func


def test_a_bundle_answers_through_its_trampoline(make_project: MakeProject) -> None:
    func = make_bundle(
        make_project,
        """
        def app(environ, start_response):
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [environ["PATH_INFO"].encode()]
    """,
    )
    with BundleFunction(func) as function:
        outcome = function.invoke("/about/")
        assert function.max_duration == 2.0
    assert (outcome.status, outcome.text, outcome.entrypoint) == (
        200,
        "/about/",
        "api/index.py:app",
    )
    assert processes_in(func) == []


def test_a_bundle_sees_only_what_it_vendors(make_project: MakeProject) -> None:
    # pytest is installed here but not in the bundle: on Lambda the import fails at cold start.
    func = make_bundle(make_project, "import pytest\napp = None\n")
    with BundleFunction(func) as function:
        outcome = function.invoke("/")
    assert (outcome.status, outcome.error_code, outcome.phase) == (
        500,
        "FUNCTION_INVOCATION_FAILED",
        "init",
    )
    assert exception_line(outcome.log) == "ModuleNotFoundError: No module named 'pytest'"


def test_vercel_lab_invoke_bundle_runs_a_func_folder(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    func = make_bundle(
        make_project,
        """
        def app(environ, start_response):
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"bundle says " + environ["PATH_INFO"].encode()]
    """,
    )
    assert main(["invoke", "--bundle", str(func), "--path", "/hi", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert (printed["status"], printed["body"], printed["error_code"]) == (
        200,
        "bundle says /hi",
        None,
    )
    with pytest.raises(SystemExit) as exited:
        main(["invoke", "--bundle", str(func.parent)])
    assert exited.value.code == 2
    assert capsys.readouterr().err == (
        f"vercel-lab: error: no function bundle at {func.parent}: expected a .func folder from "
        "`vercel build` (.vercel/output/functions/...)\n"
    )


def test_a_bundles_python_is_found_past_pyenvs_refusing_shim(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vercel_lab.buildoutput.bundle import _python_for

    shims = tmp_path / "shims"
    installed = tmp_path / "pyenv" / "versions" / "3.99.1" / "bin"
    for folder, script in (
        (shims, "echo 'pyenv: python3.99: command not found'; exit 127"),
        (installed, "echo 3 99"),
    ):
        folder.mkdir(parents=True)
        (folder / "python3.99").write_text(f"#!/bin/sh\n{script}\n")
        (folder / "python3.99").chmod(0o755)
    monkeypatch.setenv("PATH", f"{shims}:/usr/bin:/bin")
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path / "pyenv"))
    assert _python_for((3, 99), "python3.99") == str(installed / "python3.99")
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path / "nowhere"))
    with pytest.raises(ValueError, match=r"the bundle needs python3.99 .*; put python3.99 on PATH"):
        _python_for((3, 99), "python3.99")


IMPROPERLY_CONFIGURED = """\
could not import "api/index.py":
Traceback (most recent call last):
  File "/tmp/b/index.func/portfolio/settings.py", line 21, in env
    return os.environ[name]
           ~~~~~~~~~~^^^^^^
  File "<frozen os>", line 714, in __getitem__
KeyError: 'DJANGO_SECRET_KEY'

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "/tmp/b/index.func/api/index.py", line 20, in <module>
    app = get_wsgi_application()
  File "/tmp/b/index.func/portfolio/settings.py", line 23, in env
    raise ImproperlyConfigured(f"Set the {name} environment variable")
django.core.exceptions.ImproperlyConfigured: Set the DJANGO_SECRET_KEY environment variable
Error: Runtime exited with error: exit status 1
"""


def test_an_improperly_configured_crash_is_compared_on_its_own_exception_line() -> None:
    # The last exception raised, not the KeyError it was raised while handling.
    observed = observe(
        Outcome(
            Request.get("/"),
            500,
            error_code="FUNCTION_INVOCATION_FAILED",
            phase="init",
            log=IMPROPERLY_CONFIGURED,
        ),
        ["/tmp/b/index.func"],
    )
    assert observed.detail == (
        "django.core.exceptions.ImproperlyConfigured: "
        "Set the DJANGO_SECRET_KEY environment variable"
    )
    assert observed.summary().startswith("500 FUNCTION_INVOCATION_FAILED (init): django.core.")
