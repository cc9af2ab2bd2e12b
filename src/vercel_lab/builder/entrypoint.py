"""One function's entrypoint, and the builder's static check of a Python file for its variable.

The value types (:class:`Entrypoint`, :class:`BuildError`) and ``findAppOrHandler`` of
``@vercel/python-analysis`` 0.13.2 (Rust ``contains_app_or_handler_impl``, run as WASM by
``@vercel/python``), statically with ``ast``: user code is never imported. Split from
:mod:`vercel_lab.builder.detect`, which decides which files become functions.
"""

from __future__ import annotations

import ast
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from vercel_lab.builder.config import (
    parse_quietly,
)

Mode = Literal["app", "api", "build"]
DOCS_URL: Final = "https://vercel.com/docs/functions/runtimes/python#python-entrypoints"
NOT_FOUND: Final = "PYTHON_ENTRYPOINT_NOT_FOUND"
#: ``PYTHON_CANDIDATE_ENTRYPOINTS``: the dirs "", src, app, api, each with these names, in order.
CANDIDATE_ENTRYPOINTS: Final = tuple(
    posixpath.join(d, f"{n}.py")
    for d in ("", "src", "app", "api")
    for n in ("app", "index", "server", "main", "wsgi", "asgi")
)


def module_name(file: str) -> str:
    """``entrypointToModule``: ``api/index.py`` -> ``api.index``, ``pkg/__init__.py`` -> ``pkg``."""
    name = re.sub(r"\.py\Z", "", file.replace("\\", "/"), flags=re.IGNORECASE)
    return re.sub(r"/__init__\Z", "", name, flags=re.IGNORECASE).replace("/", ".")


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
        return module_name(self.file)

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
