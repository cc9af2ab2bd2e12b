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

import keyword
import posixpath
import re
from pathlib import Path, PurePosixPath

from vercel_lab.builder._scan import DETECT, OTHER_RUNTIMES, walk
from vercel_lab.builder.config import (
    PYTHON_FRAMEWORKS,
    ProjectConfig,
    glob_match,
    load_config,
    resolve_framework,
)
from vercel_lab.builder.entrypoint import (
    CANDIDATE_ENTRYPOINTS,
    DOCS_URL,
    NOT_FOUND,
    BuildError,
    Entrypoint,
    Mode,
    find_app_or_handler,
    find_variable,
)
from vercel_lab.builder.presets import app_entrypoint

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

# -- the builds Vercel creates for a project -------------------------------------------------


def project_folder(project: str | Path) -> Path:
    """``project`` as a folder path; FileNotFoundError / NotADirectoryError with a clear
    message when it is missing or not a folder."""
    root = Path(project).expanduser()
    if not root.exists():
        raise FileNotFoundError(f"no such project folder: {project}")
    if not root.is_dir():
        raise NotADirectoryError(f"not a project folder: {project}")
    return root


def find_entrypoints(
    project: Path, *, framework: str | None = DETECT, config: ProjectConfig | None = None
) -> list[Entrypoint]:
    """All functions the builder would create for ``project``, in build order.

    - ``builds`` in vercel.json: one per matching ``@vercel/python`` source (mode ``"build"``);
    - a Python framework preset (``framework``, else vercel.json ``framework``, else
      :func:`~vercel_lab.builder.config.detect_framework`): the one app entrypoint (mode ``"app"``);
    - otherwise (preset "Other", None): one per ``api/**/*.py`` file with a top-level app,
      application or handler class (mode ``"api"``). Files without one are *not functions*; the
      list is empty when no file qualifies (the deployment is then static files only).

    ``config`` is the project's already loaded configuration (read from the project otherwise).

    Raises :class:`BuildError` where the builder fails, FileNotFoundError/NotADirectoryError
    for a missing project and :class:`~vercel_lab.builder.config.ConfigError` for a broken
    vercel.json.
    """
    root = project_folder(project)
    config = config if config is not None else load_config(root)
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
    if framework == DETECT:
        framework = resolve_framework(root, config)
    if isinstance(framework, str) and framework in PYTHON_FRAMEWORKS:
        return [app_entrypoint(root, framework)]
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
        files = list(walk(root)) if files is None else files
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
    files = sorted(walk(root, "api"), key=_segment_order)
    found: list[Entrypoint] = []
    used: set[str] = set()
    for name in files:
        # maybeGetApiBuilder: hidden, `_`-prefixed (so __init__.py and _lib/) and node_modules
        # paths are never functions; a .py file is one only if isPythonEntrypoint finds a
        # top-level app/application/handler class. There is no exclusion for tests.
        if "/." in name or "/_" in name or "/node_modules/" in name or name.endswith(".d.ts"):
            continue
        variable = find_variable(root / name) if name.endswith(".py") else None
        if variable is None and not (OTHER_RUNTIMES.search(name) and not name.endswith(".py")):
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
    root = project_folder(project)
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
