"""Project configuration (vercel_lab.builder.config): vercel.json, pyproject.toml,
.python-version, the framework preset and Django settings, read as Vercel reads them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vercel_lab.builder.config import (
    ConfigError,
    ProjectConfig,
    detect_framework,
    django_settings,
    django_settings_module,
    glob_match,
    load_config,
    python_version_request,
    read_pyproject,
)


def make_project(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write a tiny project: {relative path: text or bytes}; returns its folder."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def vercel_json(root: Path, config: object) -> Path:
    return make_project(root, {"vercel.json": json.dumps(config)})


def config_error(root: Path) -> str:
    with pytest.raises(ConfigError) as info:
        load_config(root)
    return str(info.value)


# -- vercel.json -------------------------------------------------------------------------------


def test_missing_vercel_json_is_an_empty_configuration(tmp_path: Path) -> None:
    assert load_config(tmp_path) == ProjectConfig({}, (), (), (), {})


def test_vercel_json_sections_are_parsed(tmp_path: Path) -> None:
    raw = {
        "functions": {"api/*.py": {"maxDuration": 30}, "api/slow.py": {"memory": 3009}},
        "rewrites": [{"source": "/(.*)", "destination": "/api/index"}],
        "redirects": [{"source": "/old", "destination": "/new", "permanent": True}],
        "headers": [{"source": "/(.*)", "headers": [{"key": "x-a", "value": "1"}]}],
        "cleanUrls": True,
    }
    config = load_config(vercel_json(tmp_path, raw))
    assert config.max_duration == {"api/*.py": 30.0}
    assert config.rewrites == (("/(.*)", "/api/index"),)
    assert config.redirects == ({"source": "/old", "destination": "/new", "permanent": True},)
    assert config.headers == ({"source": "/(.*)", "headers": [{"key": "x-a", "value": "1"}]},)
    assert config.raw == raw


def test_vercel_json_with_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    make_project(tmp_path, {"vercel.json": b'\xef\xbb\xbf{"cleanUrls": true}'})
    assert load_config(tmp_path).raw == {"cleanUrls": True}


def test_invalid_json_names_the_file_line_and_column(tmp_path: Path) -> None:
    make_project(tmp_path, {"vercel.json": '{\n  "rewrites": []\n  "functions": {}\n}'})
    assert config_error(tmp_path) == (
        "vercel.json: invalid JSON at line 3, column 3: Expecting ',' delimiter"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"a": "\xff"}', "vercel.json: not UTF-8 text (byte at offset 7)"),
        (b"[]", "vercel.json: the top level must be an object, not an array"),
        (b'{"functions": []}', "vercel.json: `functions` should be an object, not an array"),
        (b'{"rewrites": {}}', "vercel.json: `rewrites` should be an array, not an object"),
        (b'{"headers": "x"}', "vercel.json: `headers` should be an array, not a string"),
        (b'{"redirects": [1]}', "vercel.json: redirects[0] should be an object"),
        (
            b'{"rewrites": [{"source": "/a"}]}',
            'vercel.json: rewrites[0] needs a "source" and a "destination" string',
        ),
        (
            b'{"functions": {"api/*.py": 30}}',
            'vercel.json: functions["api/*.py"]: Function must be an object.',
        ),
    ],
)
def test_malformed_vercel_json_is_a_config_error(
    tmp_path: Path, content: bytes, message: str
) -> None:
    make_project(tmp_path, {"vercel.json": content})
    assert config_error(tmp_path) == message


@pytest.mark.parametrize("value", [0, 1.5, 1801, "60", True, -5])
def test_max_duration_outside_what_the_cli_accepts_is_a_config_error(
    tmp_path: Path, value: object
) -> None:
    vercel_json(tmp_path, {"functions": {"api/index.py": {"maxDuration": value}}})
    assert config_error(tmp_path) == (
        'vercel.json: functions["api/index.py"]: Functions must have a maxDuration between 1 and'
        ' 1800, or "max".'
    )


@pytest.mark.parametrize(
    ("functions", "file", "expected"),
    [
        ({"api/index.py": {"maxDuration": 10}}, "api/index.py", 10.0),
        ({"api/*.py": {"maxDuration": 10}}, "api/index.py", 10.0),
        ({"api/*.py": {"maxDuration": 10}}, "api/v1/users.py", None),
        ({"api/**/*.py": {"maxDuration": 10}}, "api/v1/users.py", 10.0),
        ({"api/**/*.py": {"maxDuration": 10}}, "api/index.py", 10.0),
        ({"api/**": {"maxDuration": 10}}, "api/index.py", 10.0),
        ({"api/{index,users}.py": {"maxDuration": 10}}, "api/users.py", 10.0),
        ({"api/*.py": {"memory": 1024}, "api/index.py": {"maxDuration": 10}}, "api/index.py", None),
        ({"api/index.py": {"maxDuration": "max"}}, "api/index.py", None),
        ({"api/index.py": {"maxDuration": 10}}, "app.py", None),
    ],
)
def test_max_duration_comes_from_the_first_matching_functions_key(
    tmp_path: Path, functions: dict[str, object], file: str, expected: float | None
) -> None:
    config = load_config(vercel_json(tmp_path, {"functions": functions}))
    assert config.max_duration_for(file) == expected


# -- minimatch subset --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "pattern", "expected"),
    [
        ("api/index.py", "api/*.py", True),
        ("api/v1/index.py", "api/*.py", False),
        ("api/v1/index.py", "api/**/*.py", True),
        ("api/index.py", "api/**/*.py", True),
        ("api/.hidden.py", "api/*.py", False),
        ("api/.x/index.py", "api/**/*.py", False),
        ("api/index.js", "api/**/*.+(js|mjs|ts|tsx)", True),
        ("api/index.py", "api/**/*.+(js|mjs|ts|tsx)", False),
        ("api/main_test.go", "api/**/!(*_test).go", False),
        ("api/main.go", "api/**/!(*_test).go", True),
        ("api/a.py", "api/[ab].py", True),
        ("api/c.py", "api/[!ab].py", True),
        ("api/a.py", "api/?.py", True),
        ("api/users.py", "api/{index,users}.py", True),
        ("api/a{b}.py", "api/a{b}.py", True),
        ("api/index.py", "api/index.py", True),
        ("api/index.pyc", "api/index.py", False),
        ("api/index.py", "/api/index.py", False),
        ("api/", "api/*", False),
        ("api/[id].py", "api/\\[id\\].py", True),
        ("api/[id].py", "api/[[]id].py", True),
    ],
)
def test_glob_match_follows_minimatch(path: str, pattern: str, expected: bool) -> None:
    assert glob_match(path, pattern) is expected


def test_glob_match_with_dot_matches_hidden_segments() -> None:
    assert glob_match("api/.env.py", "api/*.py", dot=True)
    assert glob_match(".github/x.py", "**/*.py", dot=True)


# -- python version ----------------------------------------------------------------------------


def test_python_version_file_wins_over_requires_python(tmp_path: Path) -> None:
    make_project(
        tmp_path,
        {
            ".python-version": "# pinned\n\n3.12\n3.13\n",
            "pyproject.toml": '[project]\nrequires-python = ">=3.13"\n',
        },
    )
    assert python_version_request(tmp_path) == "3.12"


def test_requires_python_is_used_without_a_python_version_file(tmp_path: Path) -> None:
    make_project(tmp_path, {"pyproject.toml": '[project]\nrequires-python = " >=3.12,<3.14 "\n'})
    assert python_version_request(tmp_path) == ">=3.12,<3.14"


def test_no_version_request_is_none(tmp_path: Path) -> None:
    assert python_version_request(tmp_path) is None
    make_project(tmp_path, {"pyproject.toml": '[project]\nname = "x"\n'})
    assert python_version_request(tmp_path) is None


def test_python_version_file_without_a_request_fails_like_the_builder(tmp_path: Path) -> None:
    make_project(tmp_path, {".python-version": "# nothing\n\n"})
    with pytest.raises(ConfigError) as info:
        python_version_request(tmp_path)
    assert str(info.value) == (
        ".python-version: could not parse .python-version file: no valid Python version requests"
        " found"
    )


def test_invalid_pyproject_is_a_config_error_for_the_version(tmp_path: Path) -> None:
    make_project(tmp_path, {"pyproject.toml": "[project]\nrequires-python = >=3.12\n"})
    with pytest.raises(ConfigError) as info:
        python_version_request(tmp_path)
    assert str(info.value) == "pyproject.toml: invalid TOML: Invalid value (at line 2, column 19)"
    assert read_pyproject(tmp_path) is None  # the builder's readConfigFile ignores it


# -- framework preset --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"requirements.txt": "fastapi==0.115\n"}, "fastapi"),
        ({"requirements.txt": "Flask\n"}, "flask"),
        ({"requirements.txt": "flask\nDjango\n"}, "flask"),  # Flask comes first in the list
        ({"pyproject.toml": '[project]\ndependencies = ["django>=5"]\n'}, "django"),
        ({"manage.py": "os.environ['DJANGO_SETTINGS_MODULE'] = 'x'\n"}, "django"),
        ({"requirements.txt": "python-fasthtml\n"}, "fasthtml"),
        ({"Pipfile": "[packages]\nrequests = '*'\n"}, "python"),
        ({"requirements.txt": b"\xff\xfe"}, "python"),
        ({"api/index.py": "app = 1\n"}, None),
        ({}, None),
    ],
)
def test_python_framework_preset_is_detected_like_vercel(
    tmp_path: Path, files: dict[str, str | bytes], expected: str | None
) -> None:
    assert detect_framework(make_project(tmp_path, files)) == expected


# -- Django settings ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'a.settings')\n",
            "a.settings",
        ),
        ('os.environ["DJANGO_SETTINGS_MODULE"] = "b.settings"\n', "b.settings"),
        (
            "def main():\n    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'first')\n"
            "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'second')\n",
            "first",
        ),
        ("os.environ.setdefault('DJANGO_SETTINGS_MODULE', name)\n", None),
        ("os.environ.setdefault('DJANGO_SETTINGS_MODULE', \n", None),
    ],
)
def test_settings_module_is_read_from_manage_py(
    tmp_path: Path, source: str, expected: str | None
) -> None:
    make_project(tmp_path, {"manage.py": source})
    assert django_settings_module(tmp_path / "manage.py") == expected


def test_settings_follow_star_imports_and_the_last_assignment_wins(tmp_path: Path) -> None:
    make_project(
        tmp_path,
        {
            "site/settings/__init__.py": "from site.settings.base import *\nDEBUG = False\n",
            "site/settings/base.py": (
                "import os\nDEBUG = True\nWSGI_APPLICATION = 'x.wsgi.app'\n"
                "try:\n    from .local import *\nexcept ImportError:\n    pass\n"
                "SECRET_KEY = os.environ['KEY']\n"
            ),
            "site/settings/local.py": "WSGI_APPLICATION = 'site.wsgi.application'\n",
        },
    )
    settings = django_settings(tmp_path, "site.settings")
    assert settings["DEBUG"] is False
    assert settings["WSGI_APPLICATION"] == "site.wsgi.application"
    assert not isinstance(settings["SECRET_KEY"], str)  # only running the code would tell


def test_missing_or_broken_settings_raise_like_an_import(tmp_path: Path) -> None:
    make_project(tmp_path, {"site/__init__.py": "", "site/settings.py": "DEBUG = (\n"})
    for module, missing in (("other.settings", "other"), ("site.prod", "site.prod")):
        with pytest.raises(ModuleNotFoundError) as info:
            django_settings(tmp_path, module)
        assert str(info.value) == f"No module named '{missing}'"
    with pytest.raises(SyntaxError) as syntax:
        django_settings(tmp_path, "site.settings")
    assert (syntax.value.filename, syntax.value.lineno) == ("settings.py", 1)
