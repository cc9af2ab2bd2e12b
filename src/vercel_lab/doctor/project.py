"""A project as the doctor sees it: its files (walked once, with caps), Python sources parsed on
demand, and what the builder makes of it (:mod:`vercel_lab.builder.detect`,
:mod:`vercel_lab.builder.config`).

This is the doctor's I/O edge: nothing here imports or runs the user's code, and nothing raises
for odd input. A file that cannot be read (binary, not UTF-8, too large, a broken symlink, a
symlink loop, no permission) becomes a ``could-not-read`` note and the checks go on without it.
"""

from __future__ import annotations

import ast
import os
import posixpath
import stat
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Final

from vercel_lab.builder.config import (
    PYTHON_FRAMEWORKS,
    ConfigError,
    ProjectConfig,
    detect_framework,
    parse_quietly,
    read_pyproject,
)
from vercel_lab.builder.entrypoint import CANDIDATE_ENTRYPOINTS, BuildError, Entrypoint
from vercel_lab.builder.plan import (
    AUTO,
    BuildPlan,
    Settings,
    choose_preset,
    plan_functions,
    read_settings,
    with_routes,
)
from vercel_lab.doctor.declare import Check, check, make
from vercel_lab.doctor.findings import Finding

# The checks of this family, declared next to the code that raises them; ``rank`` is the
# priority within a severity (lower first: the most specific cause first).
# One check per block reads better than one argument per line.
# fmt: off
CHECKS: Final[tuple[Check, ...]] = (
    check("could-not-read", "other", "info", "static",
       "Not checked: {reason}.",
       "Nothing to do if the file is not part of the function; otherwise make it readable "
       "UTF-8 text.", rank=570),
    check("check-failed", "other", "info", "static",
       "The {check} checks stopped on this project ({error}); the other checks ran.",
       "Report it with the project's layout; the other findings stand.", rank=580),
)
# fmt: on

MAX_FILES: Final = 20_000
MAX_DEPTH: Final = 32
#: Python files larger than this are not parsed (generated code or data, not an app).
MAX_SOURCE_BYTES: Final = 1_000_000
#: Text files read whole (requirements, .python-version, settings) are capped at this size.
MAX_TEXT_BYTES: Final = 1_000_000
# Folders that are never part of a deployment: the builder's excludes and `vercel build`'s
# ignore list; a folder holding pyvenv.cfg (a virtualenv by another name) is skipped too.
SKIP_DIRS: Final = frozenset(
    {".git", ".hg", ".svn", ".vercel", ".next", ".nuxt", ".venv", "venv", "node_modules"}
    | {"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", ".tox", ".nox", ".cache"}
    | {".pnpm-store", "site-packages"}
)


@dataclass(frozen=True)
class SourceFile:
    """A parsed Python file; ``tree`` is None when it could not be read or parsed, and
    ``syntax_error`` then holds Python's message and line for a file that does not parse."""

    rel: str
    tree: ast.Module | None
    syntax_error: tuple[str, int | None] | None = None


class Project:
    """The files of ``root`` and the builder's view of them. Never raises for odd content."""

    def __init__(self, root: Path, *, framework: str | None = AUTO) -> None:
        self.root = root
        self.files: dict[str, int] = {}  # relative POSIX path -> size in bytes
        self.dirs: set[str] = {""}
        self.notes: list[Finding] = []
        self._sources: dict[str, SourceFile] = {}
        self._data: dict[str, bytes | None] = {}
        self._walk()
        # The builder's plan, step by step, so a broken vercel.json or a failing step becomes a
        # finding or a note instead of an exception.
        self.config_error: str | None = None
        try:
            settings = read_settings(root)
        except ConfigError as exc:
            self.config_error = str(exc)
            empty = ProjectConfig({}, (), (), (), {})
            settings = Settings(root, empty, read_pyproject(root), detect_framework(root))
        given = framework != AUTO
        preset, source = choose_preset(settings, framework if given else None, overridden=given)
        self.plan = BuildPlan(settings, preset, source)
        if self.config_error is None:
            try:
                entries = plan_functions(settings, preset)
                self.plan = with_routes(replace(self.plan, entrypoints=entries))
            except BuildError as exc:
                self.plan = replace(self.plan, build_error=exc)
            except (OSError, ValueError, RecursionError) as exc:
                self.fail("entrypoint", exc)
        self.config: ProjectConfig = settings.config
        self.framework: str | None = preset
        self.entrypoints: list[Entrypoint] = list(self.plan.entrypoints)
        self.build_error: BuildError | None = self.plan.build_error

    # -- the walk ------------------------------------------------------------------------------

    def _walk(self) -> None:
        seen = {os.path.realpath(self.root)}
        stack: list[tuple[str, int]] = [("", 0)]
        while stack:
            rel, depth = stack.pop()
            try:
                with os.scandir(self.root / rel if rel else self.root) as it:
                    entries = sorted(it, key=lambda e: e.name, reverse=True)
            except OSError as exc:
                self.unreadable(rel or ".", f"the folder cannot be listed ({exc.strerror})")
                continue
            for entry in entries:
                path = f"{rel}/{entry.name}" if rel else entry.name
                if entry.name in SKIP_DIRS:
                    continue
                try:
                    info = os.stat(entry.path)  # follows symlinks
                except OSError:
                    if entry.is_symlink():
                        self.unreadable(path, "a broken symlink or a symlink loop")
                    continue
                if stat.S_ISDIR(info.st_mode):
                    real = os.path.realpath(entry.path)
                    if real in seen:
                        self.unreadable(
                            path, "a symlink to a folder walked already (a loop, or a second link)"
                        )
                    elif depth >= MAX_DEPTH:
                        self.unreadable(path, f"nested deeper than {MAX_DEPTH} folders")
                    elif not os.path.exists(os.path.join(entry.path, "pyvenv.cfg")):
                        seen.add(real)
                        self.dirs.add(path)
                        stack.append((path, depth + 1))
                elif stat.S_ISREG(info.st_mode):
                    if len(self.files) >= MAX_FILES:
                        self.unreadable(
                            None,
                            f"the project has more than {MAX_FILES} files; "
                            "the rest were not walked",
                        )
                        return
                    self.files[path] = info.st_size

    # -- reading -------------------------------------------------------------------------------

    def unreadable(self, rel: str | None, reason: str) -> None:
        """Record a ``could-not-read`` note for ``rel``."""
        self.notes.append(make("could-not-read", rel, None, reason=reason))

    def fail(self, check: str, exc: BaseException) -> None:
        """Record that the ``check`` checks stopped on an unexpected error."""
        detail = f"{type(exc).__name__}: {exc}"[:200]
        self.notes.append(make("check-failed", None, None, check=check, error=detail))

    def exists(self, rel: str) -> bool:
        return rel in self.files

    def is_dir(self, rel: str) -> bool:
        return rel.strip("/") in self.dirs

    def text(self, rel: str) -> str | None:
        """The file as text (UTF-8, BOM dropped, undecodable bytes replaced), or None when it
        is absent, binary or larger than :data:`MAX_TEXT_BYTES` (noted once)."""
        data = self.data(rel)
        return None if data is None else data.decode("utf-8-sig", errors="replace")

    def data(self, rel: str) -> bytes | None:
        """The file's bytes (cached), or None when absent, binary or too large (noted once)."""
        if rel not in self._data:
            self._data[rel] = self._read(rel)
        return self._data[rel]

    def _read(self, rel: str) -> bytes | None:
        if rel not in self.files:
            return None
        if self.files[rel] > MAX_TEXT_BYTES:
            self.unreadable(rel, f"larger than {MAX_TEXT_BYTES // 1_000_000} MB")
            return None
        try:
            with open(self.root / rel, "rb") as handle:
                data = handle.read(MAX_TEXT_BYTES + 1)
        except OSError as exc:
            self.unreadable(rel, f"cannot be read ({exc.strerror})")
            return None
        if b"\0" in data[:8192]:
            self.unreadable(rel, "a binary file, not text")
            return None
        return data

    def source(self, rel: str) -> SourceFile:
        """``rel`` parsed (cached). Files that are not UTF-8 or do not parse have no tree."""
        if rel not in self._sources:
            self._sources[rel] = self._parse(rel)
        return self._sources[rel]

    def _parse(self, rel: str) -> SourceFile:
        if rel in self.files and self.files[rel] > MAX_SOURCE_BYTES:
            self.unreadable(rel, f"a Python file larger than {MAX_SOURCE_BYTES // 1_000_000} MB")
            return SourceFile(rel, None)
        data = self.data(rel)
        if data is None:
            return SourceFile(rel, None)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            self.unreadable(rel, "not UTF-8 text, so Python cannot import it as written")
            return SourceFile(rel, None)
        try:
            return SourceFile(rel, parse_quietly(text, rel))
        except SyntaxError as exc:
            return SourceFile(rel, None, (exc.msg, exc.lineno))
        except (ValueError, RecursionError, MemoryError) as exc:
            self.unreadable(rel, f"Python cannot parse it ({type(exc).__name__})")
            return SourceFile(rel, None)

    # -- the builder's view -------------------------------------------------------------------

    @property
    def python_preset(self) -> bool:
        """True when Vercel builds one app function (a Python framework preset)."""
        return self.framework in PYTHON_FRAMEWORKS

    def python_files(self, under: str = "") -> list[str]:
        prefix = f"{under.strip('/')}/" if under else ""
        return [f for f in self.files if f.endswith(".py") and f.startswith(prefix)]

    def api_files(self) -> list[str]:
        """``api/**/*.py`` files the builder considers (not hidden, not ``_``-prefixed)."""
        return [f for f in self.python_files("api") if "/." not in f and "/_" not in f]

    def function_files(self) -> list[str]:
        """The files Vercel imports as functions: the builder's entrypoints; when the build
        fails, every file it would have looked at (candidates, api/ files, ``builds`` sources)."""
        if self.entrypoints:
            return sorted({e.file for e in self.entrypoints if e.file in self.files})
        found = {c for c in CANDIDATE_ENTRYPOINTS if c in self.files}
        found.update(self.api_files())
        builds = self.config.raw.get("builds")
        if isinstance(builds, list):
            for build in builds:
                src = build.get("src") if isinstance(build, dict) else None
                if isinstance(src, str) and posixpath.normpath(src).lstrip("/") in self.files:
                    found.add(posixpath.normpath(src).lstrip("/"))
        return sorted(f for f in found if f.endswith(".py"))

    # -- modules -------------------------------------------------------------------------------

    def module_file(self, dotted: str, roots: list[str]) -> str | None:
        """The file (or namespace folder, with a trailing ``/``) that ``import dotted`` finds
        under one of ``roots`` (project-relative folders, "" is the root); None if none."""
        parts = dotted.split(".")
        if not all(p.isidentifier() for p in parts):
            return None
        for root in roots:
            base = posixpath.join(root, *parts) if root else posixpath.join(*parts)
            for candidate in (f"{base}.py", f"{base}/__init__.py"):
                if candidate in self.files:
                    return candidate
            if base in self.dirs:
                return base + "/"
        return None

    def find_anywhere(self, top: str) -> str | None:
        """A module or package named ``top`` anywhere in the project (for "it exists, but not
        where the import looks"): its path, shortest first; None if there is none."""
        hits = sorted(
            (f for f in self.files if f.endswith((f"/{top}.py", f"/{top}/__init__.py"))),
            key=lambda f: (f.count("/"), f),
        )
        return hits[0] if hits else None
