"""A project's configuration as Vercel reads it: ``vercel.json``, ``pyproject.toml``,
``.python-version`` and the framework preset. Pure parsing: files are read with pathlib, nothing
is imported or run.

Sources mirrored (vercel CLI 58.10.0, which bundles ``@vercel/fs-detectors``,
``@vercel/frameworks`` and depends on ``@vercel/python@6.56.2``):

- ``getFunction`` in fs-detectors (``detect-builders``): a file takes the settings of the *first*
  key of ``functions`` that equals it or matches it as a minimatch glob;
- ``validateFunctions``: ``maxDuration`` is an integer in 1..1800, or ``"max"``;
- the Python presets of ``@vercel/frameworks`` and ``matches``/``removeSupersededFrameworks`` in
  fs-detectors (``detect-framework``) for :func:`detect_framework`;
- ``computeRequiresPython`` / ``maybeLoadPythonRequest`` in ``@vercel/python-analysis`` for
  :func:`python_version_request`;
- ``templates/vc_django_settings.py`` of ``@vercel/python`` (which *runs* manage.py and imports
  the settings) for :func:`django_settings_module` and :func:`django_settings`, done statically.
"""

from __future__ import annotations

import ast
import json
import tomllib
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from vercel_lab.builder.frameworks import detect_frameworks
from vercel_lab.builder.globs import glob_match

__all__ = [
    "MAX_DURATION_LIMIT",
    "PYTHON_FRAMEWORKS",
    "ConfigError",
    "ProjectConfig",
    "detect_framework",
    "django_settings",
    "django_settings_module",
    "glob_match",
    "load_config",
    "parse_quietly",
    "python_version_request",
    "read_pyproject",
]

#: ``DEFAULT_MAX_DURATION_LIMIT`` in @vercel/build-utils ``max-duration.js``.
MAX_DURATION_LIMIT = 1800

#: ``PYTHON_FRAMEWORKS`` in @vercel/build-utils ``framework-helpers.js``: the presets whose
#: project is built as one app function instead of one function per ``api/*.py`` file.
PYTHON_FRAMEWORKS = ("fastapi", "flask", "django", "python", "fasthtml")


class ConfigError(ValueError):
    """A configuration file that Vercel would refuse; the message names the file (and line)."""


@dataclass(frozen=True)
class ProjectConfig:
    """The parts of ``vercel.json`` the lab acts on, plus the whole parsed document."""

    max_duration: dict[str, float]
    rewrites: tuple[tuple[str, str], ...]
    redirects: tuple[dict[str, object], ...]
    headers: tuple[dict[str, object], ...]
    raw: dict[str, object]
    # Every ``functions`` key in file order: the first match wins even when it sets no
    # maxDuration (``keys.find`` in ``getFunction``), so the order must be kept.
    function_patterns: tuple[str, ...] = field(default=(), repr=False)

    def max_duration_for(self, file: str) -> float | None:
        """The ``maxDuration`` Vercel applies to ``file`` (e.g. ``"api/index.py"``): that of the
        first ``functions`` key equal to it or matching it as a glob (``api/*.py``,
        ``api/**/*.py``). None when no key matches, or the first match sets none or ``"max"``."""
        for pattern in self.function_patterns:
            if pattern == file or glob_match(file, pattern):
                return self.max_duration.get(pattern)
        return None


def load_config(project: Path) -> ProjectConfig:
    """Parse ``project/vercel.json``; an absent file is an empty configuration.

    Raises :class:`ConfigError` for text that is not UTF-8, invalid JSON (with line and column),
    a top level that is not an object, or ``functions``/``rewrites``/``redirects``/``headers``
    of the wrong shape, and a ``maxDuration`` the vercel CLI rejects.
    """
    path = Path(project) / "vercel.json"
    try:
        data = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return ProjectConfig({}, (), (), (), {})
    except OSError as exc:
        raise ConfigError(f"vercel.json: cannot be read ({exc.strerror})") from exc
    try:
        # load-json-file (used by the CLI's readLocalConfig) strips a byte-order mark.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"vercel.json: not UTF-8 text (byte at offset {exc.start})") from exc
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"vercel.json: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"vercel.json: the top level must be an object, not {_kind(raw)}")
    functions = _typed(raw, "functions", dict)
    patterns: list[str] = []
    durations: dict[str, float] = {}
    for pattern, settings in functions.items():
        if not isinstance(settings, dict):
            raise ConfigError(f'vercel.json: functions["{pattern}"]: Function must be an object.')
        patterns.append(pattern)
        value = settings.get("maxDuration")
        if value is None or value == "max":
            continue  # absent, or "max": the plan's maximum, which the lab cannot know
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not 1 <= value <= MAX_DURATION_LIMIT
            or value != int(value)
        ):
            raise ConfigError(
                f'vercel.json: functions["{pattern}"]: Functions must have a maxDuration between'
                f' 1 and {MAX_DURATION_LIMIT}, or "max".'
            )
        durations[pattern] = float(value)
    rewrites: list[tuple[str, str]] = []
    for index, entry in enumerate(_typed(raw, "rewrites", list)):
        source = entry.get("source") if isinstance(entry, dict) else None
        destination = entry.get("destination") if isinstance(entry, dict) else None
        if not isinstance(source, str) or not isinstance(destination, str):
            raise ConfigError(
                f'vercel.json: rewrites[{index}] needs a "source" and a "destination" string'
            )
        rewrites.append((source, destination))
    return ProjectConfig(
        max_duration=durations,
        rewrites=tuple(rewrites),
        redirects=_objects(raw, "redirects"),
        headers=_objects(raw, "headers"),
        raw=raw,
        function_patterns=tuple(patterns),
    )


def _kind(value: object) -> str:
    if isinstance(value, dict | list | str):
        return {dict: "an object", list: "an array", str: "a string"}[type(value)]
    return "a value"


def _typed[T](raw: dict[str, object], key: str, kind: type[T]) -> T:
    value = raw.get(key)
    if value is None:
        return kind()
    if not isinstance(value, kind):
        wanted = "an object" if kind is dict else "an array"
        raise ConfigError(f"vercel.json: `{key}` should be {wanted}, not {_kind(value)}")
    return value


def _objects(raw: dict[str, object], key: str) -> tuple[dict[str, object], ...]:
    entries: list[object] = _typed(raw, key, list)
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise ConfigError(f"vercel.json: {key}[{index}] should be an object")
    return tuple(e for e in entries if isinstance(e, dict))


# -- minimatch subset ------------------------------------------------------------------------


def read_pyproject(project: Path) -> dict[str, object] | None:
    """``project/pyproject.toml`` parsed, or None when absent or not valid TOML: the builder's
    ``readConfigFile`` logs the parse error and carries on as if there were no file."""
    try:
        return tomllib.loads((Path(project) / "pyproject.toml").read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None


def python_version_request(project: Path) -> str | None:
    """The Python version the project asks for, as written: the first request line of
    ``.python-version`` (comments and blank lines skipped), else ``[project] requires-python``
    of ``pyproject.toml``; None when neither says. ``.python-version`` wins even when pyproject
    also says, as in ``computeRequiresPython``.

    Raises :class:`ConfigError` for a ``.python-version`` without any request (the builder fails
    with ``PYTHON_VERSION_FILE_PARSE_ERROR``) and for a ``pyproject.toml`` that is not TOML.
    """
    root = Path(project)
    try:
        text = (root / ".python-version").read_bytes().decode("utf-8", errors="replace")
    except OSError:
        text = None
    if text is not None:
        for line in text.splitlines():
            if line.strip() and not line.strip().startswith("#"):
                return line.strip()
        raise ConfigError(
            ".python-version: could not parse .python-version file: no valid Python version"
            " requests found"
        )
    try:
        data = (root / "pyproject.toml").read_bytes()
    except OSError:
        return None
    try:
        pyproject = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"pyproject.toml: not UTF-8 text (byte at offset {exc.start})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"pyproject.toml: invalid TOML: {exc}") from exc
    table = pyproject.get("project")
    requires = table.get("requires-python") if isinstance(table, dict) else None
    return requires.strip() if isinstance(requires, str) and requires.strip() else None


# The Python presets of @vercel/frameworks in list order (the first match wins after
# superseded ones are removed): slug -> ("some"|"every", [(path, matchContent regex or None)]).
def detect_framework(project: Path) -> str | None:
    """The preset Vercel's detection finds for ``project``: the first of
    :func:`~vercel_lab.builder.frameworks.detect_frameworks` (``"flask"``, ``"python"``,
    ``"nextjs"``...), None when nothing matches ("Other"). This is ``@vercel/fs-detectors``'
    answer alone; the preset vercel-lab runs a project with is
    :func:`vercel_lab.builder.plan.detect_preset`'s.
    """
    found = detect_frameworks(Path(project))
    return found[0] if found else None


# -- Django settings, read statically ----------------------------------------------------------


def django_settings_module(manage_py: Path) -> str | None:
    """The ``DJANGO_SETTINGS_MODULE`` that ``manage.py`` sets: the string of its first
    ``os.environ.setdefault("DJANGO_SETTINGS_MODULE", "...")`` call or
    ``os.environ["DJANGO_SETTINGS_MODULE"] = "..."``; None when there is none, or no parse.
    (The builder *runs* manage.py with a patched ``execute_from_command_line`` to find out.)"""
    try:
        tree = parse_quietly(manage_py.read_bytes().decode("utf-8", errors="replace"))
    except (OSError, SyntaxError, ValueError, RecursionError):
        return None
    found: list[tuple[int, int, str]] = []
    for node in ast.walk(tree):
        value: ast.expr | None = None
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "os.environ.setdefault":
            if len(node.args) >= 2 and _constant(node.args[0]) == "DJANGO_SETTINGS_MODULE":
                value = node.args[1]
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if (
                isinstance(target, ast.Subscript)
                and ast.unparse(target.value) == "os.environ"
                and _constant(target.slice) == "DJANGO_SETTINGS_MODULE"
            ):
                value = node.value
        if value is not None and isinstance(_constant(value), str):
            found.append((value.lineno, value.col_offset, str(_constant(value))))
    return min(found)[2] if found else None


def parse_quietly(source: str, filename: str = "<unknown>") -> ast.Module:
    """``ast.parse`` without the SyntaxWarnings (invalid escapes...) it would print to stderr."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(source, filename=filename)


def _constant(node: ast.expr) -> object:
    return node.value if isinstance(node, ast.Constant) else _UNKNOWN


_UNKNOWN = object()  # a value that only running the code would tell


def django_settings(
    root: Path, module: str, _seen: frozenset[str] = frozenset()
) -> dict[str, object]:
    """The upper-case settings of ``module`` (e.g. ``"mysite.settings"``, found under ``root``
    as Python would import it with ``root`` as the working folder), from top-level assignments
    of constants, ``if``/``try`` blocks included and ``from x import *`` followed; the last
    assignment wins, as when the module runs. A value that is not a constant is an opaque object.

    Raises ModuleNotFoundError or SyntaxError as importing the module would.
    """
    if module in _seen:
        return {}
    file, parts, path = None, module.split("."), root
    for index, part in enumerate(parts):
        if index < len(parts) - 1 and (path / part).is_dir():
            path = path / part
            continue
        if index == len(parts) - 1:
            for candidate in (path / part / "__init__.py", path / f"{part}.py"):
                if candidate.is_file():
                    file = candidate
                    break
            if file is not None or (path / part).is_dir():
                break
        raise ModuleNotFoundError(f"No module named '{'.'.join(parts[: index + 1])}'")
    if file is None:
        return {}  # a namespace package: no settings at all
    tree = parse_quietly(file.read_bytes().decode("utf-8", errors="replace"), file.name)
    package = module if file.name == "__init__.py" else module.rpartition(".")[0]
    values: dict[str, object] = {}
    for stmt in _flatten(tree.body):
        if isinstance(stmt, ast.ImportFrom) and [a.name for a in stmt.names] == ["*"]:
            base = (
                package.split(".")[: len(package.split(".")) - stmt.level + 1] if stmt.level else []
            )
            target = ".".join([*base, stmt.module] if stmt.module else base)
            values.update(django_settings(root, target, _seen | {module}))
        elif isinstance(stmt, ast.Assign | ast.AnnAssign) and stmt.value is not None:
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for target_node in targets:
                if isinstance(target_node, ast.Name) and target_node.id.isupper():
                    values[target_node.id] = _constant(stmt.value)
    return values


def _flatten(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    for stmt in body:
        yield stmt
        if isinstance(stmt, ast.If | ast.With):
            yield from _flatten(stmt.body)
            yield from _flatten(getattr(stmt, "orelse", []))
        elif isinstance(stmt, ast.Try | ast.TryStar):
            for block in (stmt.body, *(h.body for h in stmt.handlers), stmt.orelse, stmt.finalbody):
                yield from _flatten(block)
