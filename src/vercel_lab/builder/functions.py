"""Which files become functions, when no framework preset decides: vercel.json ``builds``, the
zero-config ``api/`` folder, and an entrypoint named by the caller (``--entrypoint``).

Mirrors ``@vercel/fs-detectors`` (bundled in vercel CLI 58.10.0): ``detectBuilders``,
``maybeGetApiBuilder``, ``checkUnusedFunctions``; the CLI's ``expandBuild`` for ``builds``; and
``detectPythonEntrypoint`` of ``@vercel/python@6.56.2`` for a configured entrypoint. A step of
:mod:`vercel_lab.builder.plan`.
"""

from __future__ import annotations

import keyword
import posixpath
from pathlib import Path, PurePosixPath

from vercel_lab.builder._scan import OTHER_RUNTIMES, dynamic_segment, project_folder, walk
from vercel_lab.builder.config import ProjectConfig, glob_match
from vercel_lab.builder.entrypoint import (
    DOCS_URL,
    NOT_FOUND,
    BuildError,
    Entrypoint,
    Mode,
    find_variable,
)

__all__ = ["api_functions", "configured", "entrypoint_from_option", "legacy_builds"]


def configured(root: Path, file: str, variable: str | None, mode: Mode) -> Entrypoint:
    """``detectPythonEntrypoint`` with a configured entrypoint (a ``builds`` source or
    ``--entrypoint``): ``file`` (``.py`` added when missing) with ``variable``, else the variable
    the static check finds. Raises :class:`BuildError` when the file or the variable is missing."""
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


def legacy_builds(root: Path, builds: list[object]) -> list[Entrypoint]:
    """The functions of vercel.json ``builds`` (mode ``"build"``): ``expandBuild`` of ``vercel
    build`` matches each ``@vercel/python`` ``src`` against the project's files (minimatch,
    ``dot: true``); the builder gets each match as a configured entrypoint and
    ``config.handlerFunction`` as its variable. Raises :class:`BuildError` for a malformed entry."""
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
                found.append(configured(root, name, variable, "build"))
    return found


# -- zero-config: one function per api/ file -------------------------------------------------


def _segment_order(name: str) -> tuple[int, int, str, str]:
    # sortFilesBySegmentCount (the array detectBuilders iterates, sorted in place): deeper
    # paths first, then fewer trailing [dynamic] segments, then localeCompare (approximated).
    trailing = 0
    for segment in name.split("/"):
        trailing = trailing + 1 if dynamic_segment(segment) is not None else 0
    return (-name.count("/"), trailing, name.casefold(), name)


def api_functions(root: Path, config: ProjectConfig) -> list[Entrypoint]:
    """Zero-config functions (mode ``"api"``): one per file under ``api/`` that
    ``isPythonEntrypoint`` accepts, in ``detectBuilders``' order. Raises :class:`BuildError`
    (``unused_function``) for a ``functions`` pattern that matches no file of ``api/``."""
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
    return configured(root, norm, variable if sep else None, "app")
