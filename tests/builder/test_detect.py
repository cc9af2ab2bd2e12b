"""The builder's entrypoint detection (vercel_lab.builder.detect), checked against the rules and
texts of @vercel/python 6.56.2 and the vercel CLI 58.10.0 (see the module docstring for the
sources)."""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path

import pytest

from vercel_lab.builder.detect import (
    CANDIDATE_ENTRYPOINTS,
    BuildError,
    Entrypoint,
    entrypoint_from_option,
    find_app_or_handler,
    find_entrypoints,
    find_variable,
    select_entrypoint,
)

DOCS = "https://vercel.com/docs/functions/runtimes/python#python-entrypoints"
GUIDE_HANDLER = "def handler(req, res):\n    return res.send('hi')\n"
FLASK_APP = "from flask import Flask\napp = Flask(__name__)\n"


def make_project(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write a tiny project: {relative path: text or bytes}; returns its folder."""
    root.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def build_error(project: Path) -> BuildError:
    with pytest.raises(BuildError) as info:
        find_entrypoints(project)
    return info.value


# -- the static check (findAppOrHandler) -------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("app = Flask(__name__)\n", "app"),
        ("application = get_wsgi_application()\n", "application"),
        ("app: FastAPI = FastAPI()\n", "app"),
        ("def app(environ, start_response):\n    pass\n", "app"),
        ("async def app(scope, receive, send):\n    pass\n", "app"),
        ("from server import app\n", "app"),
        ("from server import application as app\n", "app"),
        ("from server import create as application\n", "application"),
        ("class handler(BaseHTTPRequestHandler):\n    pass\n", "handler"),
        ("class Handler(BaseHTTPRequestHandler):\n    pass\n", "Handler"),
        ("x = app = 1\n", "app"),
        ("application = app = 1\n", "application"),
        ("class Handler: pass\napp = 1\n", "Handler"),
        ("return 1\napp = 1\n", "app"),
        ("\ufeffapp = 1\n", "app"),
    ],
)
def test_top_level_binding_of_app_application_or_handler_class_is_found(
    source: str, expected: str
) -> None:
    assert find_app_or_handler(source) == expected


@pytest.mark.parametrize(
    "source",
    [
        GUIDE_HANDLER,
        "def handler(request):\n    return {'statusCode': 200}\n",
        "handler = app_factory()\n",
        "import server as app\n",
        "import app\n",
        "app, other = 1, 2\n",
        "app.config = {}\n",
        "if True:\n    app = 1\n",
        "try:\n    from server import app\nexcept ImportError:\n    pass\n",
        "def create():\n    app = Flask(__name__)\n    return app\n",
        "class HANDLER:\n    pass\n",  # the JS pre-check looks for "handler"/"Handler" only
        "def invalid(\napp = 1\n",
        "app = 1\x00\n",
        "print 'python 2'\napp = 1\n",
        "",
    ],
)
def test_other_shapes_and_unparsable_sources_are_not_entrypoints(source: str) -> None:
    assert find_app_or_handler(source) is None


def test_file_with_invalid_utf8_is_read_with_replacement_like_node(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"a.py": b"# caf\xe9\napp = 1\n", "b.py": b"\x89PNG\x00\x01"})
    assert find_variable(project / "a.py") == "app"
    assert find_variable(project / "b.py") is None
    assert find_variable(project / "missing.py") is None


def test_variable_cache_sees_a_changed_file(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"api/index.py": GUIDE_HANDLER})
    assert find_variable(project / "api/index.py") is None
    (project / "api/index.py").write_text("app = 1  # fixed\n")
    assert find_variable(project / "api/index.py") == "app"


# -- Entrypoint and BuildError -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "module", "route"),
    [
        (Entrypoint("api/index.py", "app"), "api.index", "/api/index"),
        (Entrypoint("api/users/[id].py", "app", "api"), "api.users.[id]", "/api/users/[id]"),
        (Entrypoint("app.py", "app"), "app", "/"),
        (Entrypoint("mysite/wsgi.py", "application", "app"), "mysite.wsgi", "/"),
        (Entrypoint("pkg/__init__.py", "app", "app"), "pkg", "/"),
        (Entrypoint("api/index.py", "handler", "build"), "api.index", "/api/index.py"),
        (Entrypoint("api/index.py", "app", "app"), "api.index", "/"),
    ],
)
def test_module_name_and_route_follow_the_builder(
    entry: Entrypoint, module: str, route: str
) -> None:
    assert (entry.module_name, entry.route) == (module, route)


def test_build_error_str_is_the_builders_message_and_survives_pickling() -> None:
    error = BuildError("PYTHON_ENTRYPOINT_NOT_FOUND", "Nope.", DOCS)
    assert str(error) == "Nope."
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.code, copy.message, copy.link, str(copy)) == (error.code, "Nope.", DOCS, "Nope.")


# -- project folder ----------------------------------------------------------------------------


def test_missing_project_folder_is_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError) as info:
        find_entrypoints(tmp_path / "nope")
    assert str(info.value) == f"no such project folder: {tmp_path / 'nope'}"


def test_project_that_is_a_file_is_not_a_directory(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    with pytest.raises(NotADirectoryError) as info:
        find_entrypoints(tmp_path / "file")
    assert str(info.value) == f"not a project folder: {tmp_path / 'file'}"


def test_empty_project_builds_no_function(tmp_path: Path) -> None:
    assert find_entrypoints(tmp_path) == []


# -- zero-config api/ folder (preset "Other") --------------------------------------------------


def test_each_api_file_with_an_entrypoint_is_its_own_function_deepest_first(tmp_path: Path) -> None:
    project = make_project(
        tmp_path,
        {
            "api/index.py": FLASK_APP,
            "api/users.py": "class handler(BaseHTTPRequestHandler):\n    pass\n",
            "api/v1/deep.py": "application = object()\n",
        },
    )
    assert find_entrypoints(project) == [
        Entrypoint("api/v1/deep.py", "application", "api"),
        Entrypoint("api/index.py", "app", "api"),
        Entrypoint("api/users.py", "handler", "api"),
    ]


def test_api_file_without_app_or_handler_is_silently_not_a_function(tmp_path: Path) -> None:
    # isPythonEntrypoint filters it out of detectBuilders: no build error, no function.
    project = make_project(tmp_path, {"api/index.py": GUIDE_HANDLER, "index.html": "<p>hi</p>"})
    assert find_entrypoints(project) == []


def test_private_hidden_init_and_vendored_api_files_are_skipped(tmp_path: Path) -> None:
    project = make_project(
        tmp_path,
        {
            "api/index.py": "app = 1\n",
            "api/_helpers.py": "app = 1\n",
            "api/_lib/db.py": "app = 1\n",
            "api/__init__.py": "app = 1\n",
            "api/.hidden.py": "app = 1\n",
            "api/node_modules/x.py": "app = 1\n",
            "api/__pycache__/index.py": "app = 1\n",
            "api/test_index.py": "app = 1\n",  # no exclusion for tests
            "api/readme.txt": "app = 1\n",
            "lib/app.py": "app = 1\n",  # outside api/: not a function
        },
    )
    assert [e.file for e in find_entrypoints(project)] == ["api/index.py", "api/test_index.py"]


def test_functions_pattern_matching_no_function_fails_the_build(tmp_path: Path) -> None:
    project = make_project(
        tmp_path,
        {
            "api/index.py": GUIDE_HANDLER,
            "vercel.json": json.dumps({"functions": {"api/index.py": {"maxDuration": 30}}}),
        },
    )
    error = build_error(project)
    assert (error.code, error.message, error.link) == (
        "unused_function",
        'The pattern "api/index.py" defined in `functions` doesn\'t match any Serverless Functions'
        " inside the `api` directory.",
        "https://vercel.link/unmatched-function-pattern",
    )


def test_functions_patterns_used_by_python_or_other_runtimes_pass(tmp_path: Path) -> None:
    project = make_project(
        tmp_path,
        {
            "api/index.py": "app = 1\n",
            "api/edge.js": "export default () => {}\n",
            "vercel.json": json.dumps(
                {"functions": {"api/*.py": {"maxDuration": 5}, "api/*.js": {"memory": 1024}}}
            ),
        },
    )
    assert find_entrypoints(project) == [Entrypoint("api/index.py", "app", "api")]


def test_symlink_loop_in_api_folder_is_not_followed(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"api/index.py": "app = 1\n"})
    os.symlink(project / "api", project / "api" / "loop")
    assert find_entrypoints(project) == [Entrypoint("api/index.py", "app", "api")]


# -- vercel.json "builds" ----------------------------------------------------------------------


def builds(src: str, **config: object) -> str:
    entry: dict[str, object] = {"src": src, "use": "@vercel/python"}
    if config:
        entry["config"] = config
    return json.dumps({"builds": [entry], "routes": [{"src": "/(.*)", "dest": src}]})


def test_builds_entry_with_the_guides_handler_fails_with_could_not_find(tmp_path: Path) -> None:
    project = make_project(
        tmp_path, {"api/index.py": GUIDE_HANDLER, "vercel.json": builds("api/index.py")}
    )
    error = build_error(project)
    assert (error.code, str(error), error.link) == (
        "PYTHON_ENTRYPOINT_NOT_FOUND",
        'Could not find a top-level "app", "application", or "handler" in "api/index.py".',
        DOCS,
    )


def test_builds_entry_is_served_at_its_file_path(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"api/index.py": FLASK_APP, "vercel.json": builds("api/*.py")})
    [entry] = find_entrypoints(project)
    assert (entry, entry.route) == (Entrypoint("api/index.py", "app", "build"), "/api/index.py")


def test_builds_handler_function_config_names_the_variable_without_checking(tmp_path: Path) -> None:
    project = make_project(
        tmp_path,
        {"api/index.py": GUIDE_HANDLER, "vercel.json": builds("api/index.py", handlerFunction="x")},
    )
    assert find_entrypoints(project) == [Entrypoint("api/index.py", "x", "build")]


def test_builds_glob_matching_a_non_python_file_is_not_found(tmp_path: Path) -> None:
    project = make_project(
        tmp_path,
        {"api/data.json": "{}", "api/index.py": "app = 1\n", "vercel.json": builds("api/*")},
    )
    error = build_error(project)
    assert (error.code, error.message) == (
        "PYTHON_ENTRYPOINT_NOT_FOUND",
        'Configured Python entrypoint "api/data.json.py" was not found.',
    )


def test_builds_for_other_builders_create_no_python_function(tmp_path: Path) -> None:
    config = {"builds": [{"src": "index.html", "use": "@vercel/static"}]}
    project = make_project(
        tmp_path, {"index.html": "", "api/index.py": "app=1\n", "vercel.json": json.dumps(config)}
    )
    assert find_entrypoints(project) == []


def test_builds_without_use_is_an_invalid_build_specification(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"vercel.json": json.dumps({"builds": [{"src": "a.py"}]})})
    error = build_error(project)
    assert (error.code, error.message) == (
        "invalid_build_specification",
        "Field `use` is missing in build specification",
    )


def test_builds_together_with_functions_is_a_bad_request(tmp_path: Path) -> None:
    config = {"builds": [], "functions": {"api/*.py": {"maxDuration": 10}}}
    project = make_project(tmp_path, {"vercel.json": json.dumps(config)})
    error = build_error(project)
    assert (error.code, error.message) == (
        "bad_request",
        "The `functions` property cannot be used in conjunction with the `builds` property."
        " Please remove one of them.",
    )


# -- a Python framework preset: one app function -----------------------------------------------


def test_flask_preset_finds_app_in_the_first_candidate_file(tmp_path: Path) -> None:
    project = make_project(
        tmp_path,
        {"requirements.txt": "Flask==3.1\n", "app.py": "x = 1\n", "src/main.py": FLASK_APP},
    )
    [entry] = find_entrypoints(project)
    assert (entry, entry.route) == (Entrypoint("src/main.py", "app", "app"), "/")


def test_candidate_order_is_root_then_src_app_api(tmp_path: Path) -> None:
    assert CANDIDATE_ENTRYPOINTS[:7] == (
        "app.py",
        "index.py",
        "server.py",
        "main.py",
        "wsgi.py",
        "asgi.py",
        "src/app.py",
    )
    assert CANDIDATE_ENTRYPOINTS[-1] == "api/asgi.py"
    project = make_project(
        tmp_path, {"requirements.txt": "", "api/index.py": "app = 1\n", "wsgi.py": "app = 2\n"}
    )
    assert find_entrypoints(project) == [Entrypoint("wsgi.py", "app", "app")]


def test_python_preset_rejects_the_guides_api_handler(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"requirements.txt": "", "api/index.py": GUIDE_HANDLER})
    error = build_error(project)
    assert (error.code, error.message, error.link) == (
        "PYTHON_ENTRYPOINT_NOT_FOUND",
        'Found api/index.py but it does not export a top-level "app", "application", or "handler"'
        " variable.",
        DOCS,
    )


def test_flask_preset_lists_every_candidate_without_app(tmp_path: Path) -> None:
    project = make_project(
        tmp_path, {"requirements.txt": "flask\n", "app.py": "", "main.py": "", "api/index.py": ""}
    )
    error = build_error(project)
    assert (error.code, error.message, error.link) == (
        "FLASK_ENTRYPOINT_NOT_FOUND",
        'Found app.py, main.py, api/index.py but none define a top-level "app" Flask instance.',
        "https://vercel.com/docs/frameworks/backend/flask#exporting-the-flask-application",
    )


def test_error_suggests_entrypoints_found_elsewhere(tmp_path: Path) -> None:
    project = make_project(
        tmp_path, {"requirements.txt": "fastapi\n", "backend/server_app.py": "app = FastAPI()\n"}
    )
    assert build_error(project).message == (
        "No FastAPI entrypoint found in default locations, but found potential entrypoints:\n"
        "  backend/server_app.py (variable: app)\n\n"
        "Add this to your pyproject.toml:\n\n"
        '[tool.vercel]\nentrypoint = "backend.server_app:app"'
    )


def test_no_entry_file_at_all_names_every_candidate(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"requirements.txt": "requests\n"})
    error = build_error(project)
    assert (error.code, error.message) == (
        "PYTHON_ENTRYPOINT_NOT_FOUND",
        'No python entrypoint found. Set "tool.vercel.entrypoint" in pyproject.toml or define an'
        " entrypoint in one of: app.py, index.py, server.py, main.py, wsgi.py, asgi.py,"
        " src/app.py, src/index.py, src/server.py, src/main.py, src/wsgi.py, src/asgi.py,"
        " app/app.py, app/index.py, app/server.py, app/main.py, app/wsgi.py, app/asgi.py,"
        " api/app.py, api/index.py, api/server.py, api/main.py, api/wsgi.py, api/asgi.py.",
    )


def test_explicit_framework_argument_overrides_detection(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"requirements.txt": "", "api/index.py": "app = 1\n"})
    assert find_entrypoints(project, framework=None) == [Entrypoint("api/index.py", "app", "api")]
    assert find_entrypoints(project, framework="python")[0].kind == "app"
    # Detected: fs-detectors says "python", and its one api/ function is a candidate the preset
    # takes as its app (api/index.py), so the preset stands: the app serves every path.
    assert find_entrypoints(project)[0].kind == "app"
    # Two api/ functions (Vercel's deployment-test layout) are modelled as "Other": each its own.
    (project / "api" / "other.py").write_text("app = 2\n")
    assert [e.kind for e in find_entrypoints(project)] == ["api", "api"]


# -- pyproject.toml ----------------------------------------------------------------------------


def test_tool_vercel_entrypoint_maps_module_to_file(tmp_path: Path) -> None:
    project = make_project(
        tmp_path,
        {
            "pyproject.toml": '[tool.vercel]\nentrypoint = "backend.web : api"\n',
            "backend/web/__init__.py": "",
            "app.py": "app = 1\n",  # detection is skipped
        },
    )
    assert find_entrypoints(project) == [Entrypoint("backend/web/__init__.py", "api", "app")]


def test_tool_vercel_entrypoint_without_module_file_fails(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"pyproject.toml": '[tool.vercel]\nentrypoint = "main:app"\n'})
    error = build_error(project)
    assert (error.code, error.message) == (
        "PYTHON_ENTRYPOINT_NOT_FOUND",
        '"tool.vercel.entrypoint" in "pyproject.toml" is "main:app" but no matching module file'
        ' was found. Use "module:object" format (e.g. "main:app") and ensure the module file'
        " exists, or remove the setting to use automatic entrypoint detection.",
    )


def test_tool_vercel_entrypoint_that_is_not_a_string_is_invalid(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"pyproject.toml": "[tool.vercel]\nentrypoint = 1\n"})
    error = build_error(project)
    assert (error.code, error.message) == (
        "PYTHON_INVALID_ENTRYPOINT",
        '"tool.vercel.entrypoint" in "pyproject.toml" must be a string in "module:object" format'
        ' (e.g. "main:app").',
    )


def test_tool_vercel_entrypoint_is_ignored_without_a_python_preset(tmp_path: Path) -> None:
    project = make_project(
        tmp_path,
        {
            "pyproject.toml": '[tool.vercel]\nentrypoint = "main:app"\n',
            "vercel.json": '{"framework": null}',
            "api/index.py": "app = 1\n",
        },
    )
    assert find_entrypoints(project) == [Entrypoint("api/index.py", "app", "api")]


def test_project_scripts_app_is_the_fallback_after_the_candidates(tmp_path: Path) -> None:
    project = make_project(
        tmp_path,
        {"pyproject.toml": '[project.scripts]\napp = "srv:application"\n', "srv.py": ""},
    )
    assert find_entrypoints(project) == [Entrypoint("srv.py", "application", "app")]
    (project / "srv.py").unlink()
    assert build_error(project).message == (
        'pyproject.toml [project.scripts] defines app = "srv:application" but srv.py or'
        " srv/__init__.py was not found."
    )


# -- Django ------------------------------------------------------------------------------------

MANAGE = (
    "import os\n\ndef main():\n"
    "    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n"
)


def django(root: Path, settings: str, **extra: str) -> Path:
    files = {"manage.py": MANAGE, "mysite/__init__.py": "", "mysite/settings.py": settings}
    return make_project(root, {**files, **extra})


def test_django_entrypoint_is_the_module_named_by_wsgi_application(tmp_path: Path) -> None:
    project = django(tmp_path, "WSGI_APPLICATION = 'mysite.wsgi.application'\n")
    [entry] = find_entrypoints(project)
    assert (entry, entry.module_name, entry.route) == (
        Entrypoint("mysite/wsgi.py", "application", "app"),
        "mysite.wsgi",
        "/",
    )


def test_django_asgi_application_wins_over_wsgi_application(tmp_path: Path) -> None:
    settings = (
        "ASGI_APPLICATION = 'mysite.asgi.application'\nWSGI_APPLICATION = 'mysite.wsgi.app'\n"
    )
    project = django(tmp_path, settings)
    assert find_entrypoints(project) == [Entrypoint("mysite/asgi.py", "application", "app")]


def test_django_settings_beat_the_guides_api_handler_and_tool_vercel(tmp_path: Path) -> None:
    project = django(
        tmp_path,
        "WSGI_APPLICATION = 'mysite.wsgi.application'\n",
        **{
            "api/index.py": GUIDE_HANDLER,
            "pyproject.toml": '[tool.vercel]\nentrypoint = "api.index:handler"\n',
        },
    )
    assert find_entrypoints(project) == [Entrypoint("mysite/wsgi.py", "application", "app")]


def test_django_in_a_subfolder_prefixes_the_entry_file(tmp_path: Path) -> None:
    django(tmp_path / "backend", "WSGI_APPLICATION = 'mysite.wsgi.application'\n")
    (tmp_path / "requirements.txt").write_text("Django\n")
    assert find_entrypoints(tmp_path) == [
        Entrypoint("backend/mysite/wsgi.py", "application", "app")
    ]


def test_django_split_settings_are_followed_through_star_imports(tmp_path: Path) -> None:
    project = make_project(
        tmp_path,
        {
            "manage.py": MANAGE.replace("mysite.settings", "mysite.settings.prod"),
            "mysite/settings/__init__.py": "",
            "mysite/settings/base.py": "WSGI_APPLICATION = 'mysite.wsgi.application'\n",
            "mysite/settings/prod.py": "from .base import *\nDEBUG = False\n",
        },
    )
    assert find_entrypoints(project) == [Entrypoint("mysite/wsgi.py", "application", "app")]


def test_django_without_wsgi_or_asgi_application_cannot_resolve(tmp_path: Path) -> None:
    project = django(tmp_path, "DEBUG = True\nWSGI_APPLICATION = None\n")
    error = build_error(project)
    assert (error.code, error.message, error.link) == (
        "DJANGO_ENTRYPOINT_NOT_FOUND",
        'Found Django manage.py in "." but could not resolve the application entrypoint. Ensure'
        " WSGI_APPLICATION or ASGI_APPLICATION is set in your Django settings.",
        "https://vercel.com/docs/frameworks/full-stack/django#configure-the-django-entrypoint",
    )


def test_django_with_missing_settings_module_fails_to_read_settings(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"manage.py": MANAGE})
    error = build_error(project)
    assert (error.code, error.message) == (
        "DJANGO_SETTINGS_FAILED",
        f"Failed to read Django application settings from {project}/manage.py:\n"
        "ModuleNotFoundError: No module named 'mysite'",
    )


# -- --entrypoint FILE[:VAR] -------------------------------------------------------------------


def test_entrypoint_option_with_variable_skips_detection(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"api/index.py": GUIDE_HANDLER})
    entry = entrypoint_from_option(project, "api/index.py:handler")
    assert (entry, entry.route) == (Entrypoint("api/index.py", "handler", "app"), "/")


def test_entrypoint_option_without_variable_uses_static_detection(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"api/index.py": FLASK_APP, "bad.py": GUIDE_HANDLER})
    assert entrypoint_from_option(project, "./api/../api/index.py") == Entrypoint(
        "api/index.py", "app", "app"
    )
    with pytest.raises(BuildError) as info:
        entrypoint_from_option(project, "bad.py")
    assert (info.value.code, info.value.message) == (
        "PYTHON_ENTRYPOINT_NOT_FOUND",
        'Could not find a top-level "app", "application", or "handler" in "bad.py".',
    )


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", '--entrypoint "" names no file: expected FILE[:VAR], e.g. api/index.py:app'),
        (":app", '--entrypoint ":app" names no file: expected FILE[:VAR], e.g. api/index.py:app'),
        (
            "/srv/api/index.py",
            '--entrypoint "/srv/api/index.py" is absolute: give a path relative to the project',
        ),
        ("../other/index.py", '--entrypoint "../other/index.py" points outside the project folder'),
        ("api/../../x.py", '--entrypoint "api/../../x.py" points outside the project folder'),
        ("api/data.json", '--entrypoint "api/data.json" is not a Python file (.py)'),
        (
            "api/index.py:1app",
            '--entrypoint "api/index.py:1app": "1app" is not a Python identifier',
        ),
        (
            "api/index.py:class",
            '--entrypoint "api/index.py:class": "class" is not a Python identifier',
        ),
        ("api/index.py:", '--entrypoint "api/index.py:": "" is not a Python identifier'),
    ],
)
def test_entrypoint_option_rejects_bad_specs(tmp_path: Path, spec: str, message: str) -> None:
    project = make_project(tmp_path / "p", {"api/index.py": "app = 1\n", "api/data.json": "{}"})
    with pytest.raises(ValueError) as info:
        entrypoint_from_option(project, spec)
    assert str(info.value) == message


def test_entrypoint_option_rejects_a_missing_file_and_a_symlink_out(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", {})
    (tmp_path / "outside.py").write_text("app = 1\n")
    os.symlink(tmp_path / "outside.py", project / "link.py")
    with pytest.raises(ValueError) as info:
        entrypoint_from_option(project, "api/index.py")
    assert str(info.value) == f'--entrypoint "api/index.py" does not exist in {project}'
    with pytest.raises(ValueError) as info:
        entrypoint_from_option(project, "link.py:app")
    assert str(info.value) == '--entrypoint "link.py" points outside the project folder'


# -- which function serves a path --------------------------------------------------------------

API = [
    Entrypoint("api/users/[id].py", "app", "api"),
    Entrypoint("api/users/me.py", "app", "api"),
    Entrypoint("api/index.py", "app", "api"),
    Entrypoint("api/hello.py", "handler", "api"),
]


@pytest.mark.parametrize(
    ("path", "file"),
    [
        ("/api/hello", "api/hello.py"),
        ("/api/hello/", "api/hello.py"),
        ("/api/hello.py", "api/hello.py"),
        ("/api/hello?name=x&y=/api/index", "api/hello.py"),
        ("/api", "api/index.py"),
        ("/api/", "api/index.py"),
        ("/api/index", "api/index.py"),
        ("/api/index.py", "api/index.py"),
        ("/api/users/me", "api/users/me.py"),  # a static route before the dynamic one
        ("/api/users/42", "api/users/[id].py"),
    ],
)
def test_api_function_is_selected_by_its_route(path: str, file: str) -> None:
    assert select_entrypoint(API, path).file == file


def test_unmatched_path_is_a_lookup_error_listing_the_routes() -> None:
    with pytest.raises(LookupError) as info:
        select_entrypoint(API[2:], "/about")
    assert str(info.value) == (
        'no function serves "/about"; the functions are served at: /api/index, /api/hello'
    )
    with pytest.raises(LookupError) as info:
        select_entrypoint([], "/")
    assert str(info.value) == 'no Python function is built for this project, so none serves "/"'


def test_app_function_serves_every_path_and_build_function_only_its_file() -> None:
    app = Entrypoint("mysite/wsgi.py", "application", "app")
    assert select_entrypoint([app], "/admin/login/?next=/") is app
    build = Entrypoint("api/index.py", "app", "build")
    assert select_entrypoint([build], "/api/index.py") is build
    with pytest.raises(LookupError):
        select_entrypoint([build], "/api/index")
