"""Which functions Vercel's Python builder would create for a project, and from which file and
variable: the builder's own rules, error codes and messages, statically (``ast``; user code is
never imported).

Mirrored sources (vercel CLI 58.10.0 with ``@vercel/python@6.56.2``; the detection code of the
newest ``@vercel/python``, 25.0.0, is the same):

- ``@vercel/python`` ``dist/index.js``, section ``src/entrypoint.ts``: ``detectPythonEntrypoint``,
  ``findValidEntrypoint``, ``detectDjangoPythonEntrypoint``, ``getVercelToolsEntrypoint``,
  ``makeDiagnosticError``, ``entrypointToModule``; section ``src/index.ts``: ``build`` and the
  ``django`` entry of ``frameworkHooks``;
- ``@vercel/python-analysis`` 0.13.2 ``findAppOrHandler`` (Rust ``contains_app_or_handler_impl``
  in ``crates/vercel_python_analysis/src/entrypoint.rs``, run as WASM);
- ``@vercel/fs-detectors`` (bundled in the CLI): ``detectBuilders``, ``maybeGetApiBuilder``,
  ``createRouteFromPath``, ``checkUnusedFunctions``; the CLI's ``vercel build``
  for ``builds`` (``expandBuild``) and the output path of each function
  (``writeBuildResultV3``).
"""

from __future__ import annotations

import ast
import keyword
import os
import posixpath
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Final, Literal

from vercel_lab.config import (
    PYTHON_FRAMEWORKS,
    ProjectConfig,
    detect_framework,
    django_settings,
    django_settings_module,
    glob_match,
    load_config,
    parse_quietly,
    read_pyproject,
)

__all__ = [
    "CANDIDATE_ENTRYPOINTS",
    "BuildError",
    "Entrypoint",
    "entrypoint_from_option",
    "find_app_or_handler",
    "find_entrypoints",
    "find_variable",
    "select_entrypoint",
]

Mode = Literal["app", "api", "build"]
DOCS_URL: Final = "https://vercel.com/docs/functions/runtimes/python#python-entrypoints"
NOT_FOUND: Final = "PYTHON_ENTRYPOINT_NOT_FOUND"
#: ``PYTHON_CANDIDATE_ENTRYPOINTS``: the dirs "", src, app, api, each with these names, in order.
CANDIDATE_ENTRYPOINTS: Final = tuple(
    posixpath.join(d, f"{n}.py")
    for d in ("", "src", "app", "api")
    for n in ("app", "index", "server", "main", "wsgi", "asgi")
)
_DETECT: Final = "<detect>"  # the builder's own placeholder for "detect the entrypoint"
# Folders `vercel build` leaves out of the project's files (the default ignore list).
_IGNORED: Final = frozenset(
    {".hg", ".git", ".svn", ".cache", ".next", ".now", ".vercel", ".venv"}
    | {"node_modules", "__pycache__", "venv", "CVS"}
)
_MODULE_ATTR = re.compile(r"([A-Za-z_][\w.]*)\s*:\s*([A-Za-z_]\w*)", re.ASCII)
_OTHER_RUNTIMES = re.compile(r"\.(js|mjs|ts|tsx|rb|rs)$|(?<!_test)\.go$")


@dataclass(frozen=True)
class Entrypoint:
    """One function: its file (POSIX, relative to the project) and the variable vc_init serves.

    ``mode`` says how Vercel routes to it: ``"api"`` (zero-config ``api/`` file, served at its
    path without ``.py``), ``"app"`` (a framework preset's single function, served for every
    path) or ``"build"`` (a ``builds`` entry of vercel.json, served at its file path). None means
    ``"api"`` for files under ``api/`` and ``"app"`` otherwise.
    """

    file: str
    variable: str
    mode: Mode | None = None

    @property
    def kind(self) -> Mode:
        return self.mode or ("api" if self.file.startswith("api/") else "app")

    @property
    def module_name(self) -> str:
        """``entrypointToModule``: ``api/index.py`` -> ``api.index``, ``pkg/__init__.py`` -> ``pkg``
        (the trampoline's ``__VC_HANDLER_MODULE_NAME``)."""
        name = re.sub(r"\.py\Z", "", self.file.replace("\\", "/"), flags=re.IGNORECASE)
        return re.sub(r"/__init__\Z", "", name, flags=re.IGNORECASE).replace("/", ".")

    @property
    def route(self) -> str:
        """The output path of the function: ``/api/index`` for ``api/index.py`` (zero-config
        drops the extension), ``/`` for an app entrypoint, ``/api/index.py`` for a ``builds``
        entry (``writeBuildResultV3`` keeps the source path when not zero-config)."""
        if self.kind == "app":
            return "/"
        if self.kind == "build":
            return "/" + self.file
        return "/" + posixpath.splitext(self.file)[0]


class BuildError(Exception):
    """The build fails: ``code`` and ``message`` are the builder's (``NowBuildError``)."""

    def __init__(self, code: str, message: str, link: str | None = None) -> None:
        super().__init__(code, message, link)
        self.code = code
        self.message = message
        self.link = link

    def __str__(self) -> str:
        return self.message


# -- the static check of one file ------------------------------------------------------------


def find_app_or_handler(source: str) -> str | None:
    """``findAppOrHandler``: the first top-level statement that binds ``app`` or ``application``
    (assignment target, annotated assignment, ``def``/``async def``, ``from x import ...`` name or
    alias) or is a ``class`` named ``handler`` in any ASCII case; None when there is none or the
    source does not parse. Not recognised, as in the builder: ``handler = ...``, ``def handler``,
    ``import x as app``, tuple targets, and anything inside ``if``/``try``/functions."""
    # The JS wrapper skips the parser when none of these substrings occur (so a lone
    # `class HANDLER` is not found).
    if "app" not in source and "handler" not in source and "Handler" not in source:
        return None
    try:
        # ruff's parser skips a leading byte-order mark; CPython's rejects it in a str.
        tree = parse_quietly(source.removeprefix("\ufeff"))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None  # "Returns null for invalid Python syntax"
    names = ("app", "application")
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                if isinstance(target, ast.Name) and target.id in names:
                    return target.id
        elif isinstance(stmt, ast.AnnAssign):
            if isinstance(stmt.target, ast.Name) and stmt.target.id in names:
                return stmt.target.id
        elif isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            if stmt.name in names:
                return stmt.name
        elif isinstance(stmt, ast.ImportFrom):
            for alias in stmt.names:
                if (alias.asname or alias.name) in names:
                    return alias.asname or alias.name
        elif (
            isinstance(stmt, ast.ClassDef)
            and stmt.name.isascii()
            and stmt.name.lower() == "handler"  # eq_ignore_ascii_case
        ):
            return stmt.name
    return None


_CACHE: dict[tuple[str, int, int], str | None] = {}


def find_variable(path: Path) -> str | None:
    """:func:`find_app_or_handler` on a file read as the builder reads it (UTF-8, invalid bytes
    replaced); None when it cannot be read. Cached on path, mtime and size."""
    try:
        stat = path.stat()
        key = (str(path), stat.st_mtime_ns, stat.st_size)
        if key not in _CACHE:
            if len(_CACHE) > 4096:
                _CACHE.clear()
            source = path.read_bytes().decode("utf-8", errors="replace")
            _CACHE[key] = find_app_or_handler(source)
        return _CACHE[key]
    except OSError:
        return None


def _read(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return None


def _walk(root: Path, rel: str = "", skip_hidden: bool = False) -> Iterator[str]:
    """Files under ``root/rel`` depth-first in name order, as POSIX paths relative to ``root``.
    Symlinked folders are not entered (like readdir's Dirent.isDirectory), so loops are harmless."""
    try:
        with os.scandir(root / rel if rel else root) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.name in _IGNORED or (skip_hidden and entry.name.startswith(".")):
            continue
        path = f"{rel}/{entry.name}" if rel else entry.name
        try:
            if entry.is_dir(follow_symlinks=False):
                yield from _walk(root, path, skip_hidden)
            elif entry.is_file():
                yield path
        except OSError:
            continue


# -- the builds Vercel creates for a project -------------------------------------------------


def _check_project(project: Path) -> Path:
    root = Path(project).expanduser()
    if not root.exists():
        raise FileNotFoundError(f"no such project folder: {project}")
    if not root.is_dir():
        raise NotADirectoryError(f"not a project folder: {project}")
    return root


def find_entrypoints(project: Path, *, framework: str | None = _DETECT) -> list[Entrypoint]:
    """All functions the builder would create for ``project``, in build order.

    - ``builds`` in vercel.json: one per matching ``@vercel/python`` source (mode ``"build"``);
    - a Python framework preset (``framework``, else vercel.json ``framework``, else
      :func:`~vercel_lab.config.detect_framework`): the one app entrypoint (mode ``"app"``);
    - otherwise (preset "Other", None): one per ``api/**/*.py`` file with a top-level app,
      application or handler class (mode ``"api"``). Files without one are *not functions*; the
      list is empty when no file qualifies (the deployment is then static files only).

    Raises :class:`BuildError` where the builder fails, FileNotFoundError/NotADirectoryError
    for a missing project and :class:`~vercel_lab.config.ConfigError` for a broken vercel.json.
    """
    root = _check_project(project)
    config = load_config(root)
    builds = config.raw.get("builds")
    if builds not in (None, False, 0, "") and config.raw.get("functions") not in (None, False, ""):
        raise BuildError(
            "bad_request",
            "The `functions` property cannot be used in conjunction with the `builds` property."
            " Please remove one of them.",
            "https://vercel.link/functions-and-builds",
        )
    if isinstance(builds, list) and builds:
        return _legacy_builds(root, builds)
    if framework == _DETECT:
        preset = config.raw.get("framework", _DETECT)  # vercel.json overrides project settings
        framework = (
            detect_framework(root)
            if preset == _DETECT
            else (preset if isinstance(preset, str) else None)
        )
    if isinstance(framework, str) and framework in PYTHON_FRAMEWORKS:
        return [_app_entrypoint(root, framework)]
    return _api_functions(root, config)


def _configured(root: Path, file: str, variable: str | None, mode: Mode) -> Entrypoint:
    # detectPythonEntrypoint with a configured entrypoint (a `builds` source or --entrypoint).
    entry = file if file.endswith(".py") else f"{file}.py"
    if not (root / entry).is_file():
        raise BuildError(
            NOT_FOUND, f'Configured Python entrypoint "{entry}" was not found.', DOCS_URL
        )
    found = variable if variable is not None else find_variable(root / entry)
    if not found:
        raise BuildError(
            NOT_FOUND,
            f'Could not find a top-level "app", "application", or "handler" in "{entry}".',
            DOCS_URL,
        )
    return Entrypoint(entry, found, mode)


def _legacy_builds(root: Path, builds: list[object]) -> list[Entrypoint]:
    # `vercel build` with `builds`: expandBuild matches each src against the project's files
    # (minimatch, dot: true); the builder then gets each match as a configured entrypoint and
    # `config.handlerFunction` as its variable.
    files: list[str] | None = None
    found: list[Entrypoint] = []
    for build in builds:
        if not isinstance(build, dict) or not build.get("use"):
            raise BuildError(
                "invalid_build_specification",
                "Field `use` is missing in build specification",
                "https://vercel.com/docs/concepts/projects/project-configuration#builds",
            )
        use, src = str(build["use"]), posixpath.normpath(str(build.get("src") or "**"))
        if src in (".", "./"):
            raise BuildError(
                "invalid_build_specification",
                "A build `src` path resolves to an empty string",
                "https://vercel.com/docs/concepts/projects/project-configuration#builds",
            )
        if use != "@vercel/python" and not use.startswith("@vercel/python@"):
            continue
        src = src.removeprefix("/")
        files = list(_walk(root)) if files is None else files
        settings = build.get("config")
        handler = settings.get("handlerFunction") if isinstance(settings, dict) else None
        variable = handler if isinstance(handler, str) else None
        for name in files:
            if name == src or glob_match(name, src, dot=True):
                found.append(_configured(root, name, variable, "build"))
    return found


# -- zero-config: one function per api/ file -------------------------------------------------


def _dynamic(segment: str) -> str | None:
    name = posixpath.splitext(segment)[0]
    return name[1:-1] if name.startswith("[") and name.endswith("]") else None


def _segment_order(name: str) -> tuple[int, int, str, str]:
    # sortFilesBySegmentCount (the array detectBuilders iterates, sorted in place): deeper
    # paths first, then fewer trailing [dynamic] segments, then localeCompare (approximated).
    trailing = 0
    for segment in name.split("/"):
        trailing = trailing + 1 if _dynamic(segment) is not None else 0
    return (-name.count("/"), trailing, name.casefold(), name)


def _api_functions(root: Path, config: ProjectConfig) -> list[Entrypoint]:
    files = sorted(_walk(root, "api"), key=_segment_order)
    found: list[Entrypoint] = []
    used: set[str] = set()
    for name in files:
        # maybeGetApiBuilder: hidden, `_`-prefixed (so __init__.py and _lib/) and node_modules
        # paths are never functions; a .py file is one only if isPythonEntrypoint finds a
        # top-level app/application/handler class. There is no exclusion for tests.
        if "/." in name or "/_" in name or "/node_modules/" in name or name.endswith(".d.ts"):
            continue
        variable = find_variable(root / name) if name.endswith(".py") else None
        if variable is None and not (_OTHER_RUNTIMES.search(name) and not name.endswith(".py")):
            continue
        # getFunction: the first `functions` key equal to or matching the file is "used".
        used.update([p for p in config.function_patterns if p == name or glob_match(name, p)][:1])
        if variable is not None:
            found.append(Entrypoint(name, variable, "api"))
    unused = [p for p in config.function_patterns if p not in used]
    if unused:
        raise BuildError(
            "unused_function",
            f'The pattern "{unused[0]}" defined in `functions` doesn\'t match any Serverless'
            " Functions inside the `api` directory.",
            "https://vercel.link/unmatched-function-pattern",
        )
    return found


# -- zero-config with a Python framework preset: one app function -----------------------------

_DISPLAY = {"fastapi": "FastAPI", "flask": "Flask", "django": "Django", "fasthtml": "FastHTML"}
_DOCS = {
    "fastapi": "https://vercel.com/docs/frameworks/backend/fastapi#exporting-the-fastapi-application",
    "flask": "https://vercel.com/docs/frameworks/backend/flask#exporting-the-flask-application",
    "django": "https://vercel.com/docs/frameworks/full-stack/django#configure-the-django-entrypoint",
}


def _app_entrypoint(root: Path, framework: str) -> Entrypoint:
    # build(): detectPythonEntrypoint(framework, workPath), then the framework hook, whose
    # entrypoint wins (`hookResult?.entrypoint ?? detected?.entrypoint`).
    detected, base_dir = _tool_vercel_entrypoint(root), None
    existing: list[str] = []
    if detected is None:
        if framework == "django":
            base_dir, detected, existing = _django_candidates(root)
        else:
            detected, existing = _find_valid(root, CANDIDATE_ENTRYPOINTS)
    error = None
    if detected is None:
        detected, script, checked = _pyproject_app_script(root)
        if detected is not None:
            base_dir = None  # returned as { entrypoint } alone: the Django baseDir is dropped
        else:
            error = _diagnostic_error(root, framework, existing, script, checked, base_dir)
            if base_dir is None:
                raise error
    hooked = _django_hook(root, base_dir) if framework == "django" else None
    if hooked is not None:
        return hooked
    if detected is None:
        raise error or BuildError(
            NOT_FOUND, "No Python entrypoint could be detected. Please specify an entrypoint file."
        )
    return detected


def _find_valid(root: Path, candidates: Iterable[str]) -> tuple[Entrypoint | None, list[str]]:
    existing: list[str] = []
    for candidate in candidates:
        if (root / candidate).is_file():
            variable = find_variable(root / candidate)
            if variable:
                return Entrypoint(candidate, variable, "app"), existing
            existing.append(candidate)
    return None, existing


def _module_file(root: Path, value: str) -> tuple[Entrypoint | None, list[str]]:
    # resolveModuleAttrEntrypoint: "pkg.mod:attr" -> pkg/mod.py or pkg/mod/__init__.py.
    match = _MODULE_ATTR.search(value)
    if not match:
        return None, []
    rel = match.group(1).replace(".", "/")
    candidates = [f"{rel}.py", f"{rel}/__init__.py"]
    for candidate in candidates:
        if (root / candidate).is_file():
            return Entrypoint(candidate, match.group(2), "app"), candidates
    return None, candidates


def _tool_vercel_entrypoint(root: Path) -> Entrypoint | None:
    table = _table(read_pyproject(root), "tool", "vercel")
    if "entrypoint" not in table:
        return None
    value = table["entrypoint"]
    if not isinstance(value, str):
        raise BuildError(
            "PYTHON_INVALID_ENTRYPOINT",
            '"tool.vercel.entrypoint" in "pyproject.toml" must be a string in "module:object"'
            ' format (e.g. "main:app").',
            DOCS_URL,
        )
    found, _ = _module_file(root, value)
    if found is None:
        raise BuildError(
            NOT_FOUND,
            f'"tool.vercel.entrypoint" in "pyproject.toml" is "{value}" but no matching module'
            ' file was found. Use "module:object" format (e.g. "main:app") and ensure the module'
            " file exists, or remove the setting to use automatic entrypoint detection.",
            DOCS_URL,
        )
    return found


def _table(data: object, *keys: str) -> dict[str, object]:
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data if isinstance(data, dict) else {}


def _pyproject_app_script(root: Path) -> tuple[Entrypoint | None, str | None, list[str]]:
    # getPyprojectEntrypointWithDiagnostics: [project.scripts] app = "module:attr".
    script = _table(read_pyproject(root), "project", "scripts").get("app")
    if not isinstance(script, str):
        return None, None, []
    found, checked = _module_file(root, script)
    return found, script, [] if found else checked


def _django_candidates(root: Path) -> tuple[str | None, Entrypoint | None, list[str]]:
    # detectDjangoPythonEntrypoint: the first of "", then the non-hidden folders in name order,
    # whose manage.py mentions DJANGO_SETTINGS_MODULE; else the candidate names in all of them.
    try:
        with os.scandir(root) as it:
            dirs = sorted(e.name for e in it if e.is_dir(follow_symlinks=False))
    except OSError:
        dirs = []
    roots = ["", *(d for d in dirs if not d.startswith("."))]
    for base in roots:
        if "DJANGO_SETTINGS_MODULE" in (_read(root / base / "manage.py") or ""):
            return base, None, []
    names = ("app", "index", "server", "main", "wsgi", "asgi")
    candidates = (posixpath.join(b, f"{n}.py") for b in roots for n in names)
    found, existing = _find_valid(root, candidates)
    return None, found, existing


def _django_hook(root: Path, base_dir: str | None) -> Entrypoint | None:
    # frameworkHooks.django: read the settings (the builder runs manage.py and imports them);
    # ASGI_APPLICATION wins over WSGI_APPLICATION; "a.b.c" -> file "a/b.py", variable "c",
    # prefixed with the manage.py folder. The file is not checked to exist.
    if base_dir is None:
        if not (root / "manage.py").exists():
            return None
        base_dir = ""
    django_path = root / base_dir if base_dir else root
    module = django_settings_module(django_path / "manage.py")
    try:
        if module is None:
            raise LookupError("manage.py did not return any settings")
        settings = django_settings(django_path, module)
    except (LookupError, ImportError, SyntaxError, ValueError, RecursionError, OSError) as exc:
        detail = str(exc) if type(exc) is LookupError else f"{type(exc).__name__}: {exc}"
        raise BuildError(
            "DJANGO_SETTINGS_FAILED",
            f"Failed to read Django application settings from {django_path}/manage.py:\n{detail}",
        ) from exc
    for key in ("ASGI_APPLICATION", "WSGI_APPLICATION"):
        value = settings.get(key)
        if isinstance(value, str):
            parts = value.split(".")
            rel = "/".join(parts[:-1]) + ".py"
            return Entrypoint(f"{base_dir}/{rel}" if base_dir else rel, parts[-1], "app")
    return None


def _diagnostic_error(
    root: Path,
    framework: str,
    existing: list[str],
    script: str | None,
    checked: list[str],
    django_base: str | None,
) -> BuildError:
    # makeDiagnosticError, getMissingExportMessage and renderCandidateSuggestion.
    display = _DISPLAY.get(framework, framework)
    # findEntrypointCandidates scans every .py file (readdir order; here name order), skipping
    # hidden names, __pycache__ and node_modules; venv/ is skipped here too, as on Vercel,
    # where it is never uploaded.
    elsewhere = [
        Entrypoint(name, variable, "app")
        for name in _walk(root, skip_hidden=True)
        if name.endswith(".py") and (variable := find_variable(root / name))
    ]
    suggestion = ""
    if elsewhere:
        lines = "\n".join(f"  {e.file} (variable: {e.variable})" for e in elsewhere)
        suggestion = (
            f"but found potential entrypoints:\n{lines}\n\nAdd this to your pyproject.toml:\n\n"
            f'[tool.vercel]\nentrypoint = "{elsewhere[0].module_name}:{elsewhere[0].variable}"'
        )
    if existing:
        files, one = ", ".join(existing[:3]), len(existing) == 1
        subject, verb = ("it", "does not define") if one else ("none", "define")
        what = {
            "fastapi": '"app" FastAPI',
            "flask": '"app" Flask',
            "django": '"application" ASGI or WSGI',
            "fasthtml": '"app" FastHTML',
        }.get(framework)
        if what:
            message = f"Found {files} but {subject} {verb} a top-level {what} instance."
        else:
            message = f"Found {files} but {'it does not' if one else 'none'} export a top-level"
            message += ' "app", "application", or "handler" variable.'
    elif django_base is not None:
        message = (
            f'Found Django manage.py in "{django_base or "."}" but could not resolve the'
            " application entrypoint. Ensure WSGI_APPLICATION or ASGI_APPLICATION is set in"
            " your Django settings."
        )
    elif script and checked:
        message = (
            f'pyproject.toml [project.scripts] defines app = "{script}" but'
            f" {' or '.join(checked)} was not found."
        )
    elif suggestion:
        return BuildError(
            f"{framework.upper()}_ENTRYPOINT_NOT_FOUND",
            f"No {display} entrypoint found in default locations, {suggestion}",
            _DOCS.get(framework, DOCS_URL),
        )
    else:
        message = (
            f'No {display} entrypoint found. Set "tool.vercel.entrypoint" in pyproject.toml or'
            f" define an entrypoint in one of: {', '.join(CANDIDATE_ENTRYPOINTS)}."
        )
    if suggestion and (existing or django_base is not None or (script and checked)):
        message += f"\n\n{suggestion}"
    return BuildError(
        f"{framework.upper()}_ENTRYPOINT_NOT_FOUND", message, _DOCS.get(framework, DOCS_URL)
    )


def select_entrypoint(entrypoints: list[Entrypoint], path: str) -> Entrypoint:
    """The function that serves request ``path`` (query string and fragment ignored).

    An ``api`` function matches its route as ``createRouteFromPath`` writes it: ``api/users.py``
    serves ``/api/users``, ``/api/users/`` and ``/api/users.py``; ``api/index.py`` also ``/api``
    and ``/api/``; a ``[name]`` segment matches any one segment. Static routes are tried before
    dynamic ones (filesystem before rewrites). An ``app`` function serves every path; a
    ``build`` function only its file path. Raises LookupError when none matches.
    """
    bare = "/" + path.split("#", 1)[0].split("?", 1)[0].lstrip("/")
    order = {"api": 0, "build": 2, "app": 3}
    ranked = sorted(
        entrypoints,
        key=lambda e: order[e.kind] + (1 if any(_dynamic(s) for s in e.file.split("/")) else 0),
    )
    for entry in ranked:
        if re.fullmatch(_route_pattern(entry), bare):
            return entry
    if not entrypoints:
        raise LookupError(f'no Python function is built for this project, so none serves "{bare}"')
    routes = ", ".join(e.route for e in entrypoints)
    raise LookupError(f'no function serves "{bare}"; the functions are served at: {routes}')


def _route_pattern(entry: Entrypoint) -> str:
    if entry.kind == "app":
        return ".*"
    if entry.kind == "build":
        return re.escape("/" + entry.file)
    parts = entry.file.split("/")
    out: list[str] = []
    for index, segment in enumerate(parts):
        if _dynamic(segment) is not None:
            out.append("([^/]+)")
        elif index == len(parts) - 1:
            stem, ext = posixpath.splitext(segment)
            name = re.escape(stem)
            out.append(
                f"(/|/index|/index{re.escape(ext)})?"
                if stem == "index"
                else f"({name}/|{name}|{name}{re.escape(ext)})"
            )
        else:
            out.append(re.escape(segment))
    if posixpath.splitext(parts[-1])[0] == "index":
        return "/" + "/".join(out[:-1]) + out[-1]
    return "/" + "/".join(out)


def entrypoint_from_option(project: Path, spec: str) -> Entrypoint:
    """Parse ``--entrypoint FILE[:VAR]`` (``"api/index.py:handler"``), skipping detection like
    ``[tool.vercel] entrypoint``: the result is an ``app`` function that serves every path.
    Without ``:VAR`` the builder's static check picks the variable (:class:`BuildError` when it
    finds none).

    Raises ValueError for an empty spec, an absolute path, a path outside the project, a file
    that is not ``.py`` or does not exist, and a VAR that is not a Python identifier.
    """
    root = _check_project(project)
    text = spec.strip()
    file, sep, variable = text.rpartition(":") if ":" in text else (text, "", "")
    file = file.strip().replace("\\", "/")
    if not file:
        raise ValueError(
            f'--entrypoint "{spec}" names no file: expected FILE[:VAR], e.g. api/index.py:app'
        )
    if sep and not (variable.isidentifier() and not keyword.iskeyword(variable)):
        raise ValueError(f'--entrypoint "{spec}": "{variable}" is not a Python identifier')
    if PurePosixPath(file).is_absolute() or Path(file).is_absolute():
        raise ValueError(f'--entrypoint "{file}" is absolute: give a path relative to the project')
    norm = posixpath.normpath(file)
    outside = ValueError(f'--entrypoint "{file}" points outside the project folder')
    if norm == ".." or norm.startswith("../"):
        raise outside
    if not norm.endswith(".py"):
        raise ValueError(f'--entrypoint "{file}" is not a Python file (.py)')
    if not (root / norm).is_file():
        raise ValueError(f'--entrypoint "{norm}" does not exist in {project}')
    if not (root / norm).resolve().is_relative_to(root.resolve()):
        raise outside  # a symlink to a file elsewhere
    return _configured(root, norm, variable if sep else None, "app")
