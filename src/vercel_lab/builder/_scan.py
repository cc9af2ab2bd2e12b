"""The builder's shared file-scanning helpers: the project's files as ``vercel build`` lists them,
tolerant reads, and the patterns the detection steps share.

A private module of :mod:`vercel_lab.builder`: its names are public *within* the builder (so no
underscore name crosses a module boundary) and used nowhere else.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Final

__all__ = [
    "DETECT",
    "IGNORED",
    "MODULE_ATTR",
    "OTHER_RUNTIMES",
    "dynamic_segment",
    "project_folder",
    "read_text",
    "walk",
]

#: The builder's own placeholder for "detect the entrypoint" (a framework not yet resolved).
DETECT: Final = "<detect>"
#: Folders `vercel build` leaves out of the project's files (the default ignore list).
IGNORED: Final = frozenset(
    {".hg", ".git", ".svn", ".cache", ".next", ".now", ".vercel", ".venv"}
    | {"node_modules", "__pycache__", "venv", "CVS"}
)
#: ``module.path:attribute`` (``resolveModuleAttrEntrypoint`` of ``@vercel/python``).
MODULE_ATTR: Final = re.compile(r"([A-Za-z_][\w.]*)\s*:\s*([A-Za-z_]\w*)", re.ASCII)
#: Files under ``api/`` that another runtime builds (``detectBuilders`` of fs-detectors).
OTHER_RUNTIMES: Final = re.compile(r"\.(js|mjs|ts|tsx|rb|rs)$|(?<!_test)\.go$")


def project_folder(project: str | Path) -> Path:
    """``project`` as a folder path; FileNotFoundError / NotADirectoryError with a clear
    message when it is missing or not a folder."""
    root = Path(project).expanduser()
    if not root.exists():
        raise FileNotFoundError(f"no such project folder: {project}")
    if not root.is_dir():
        raise NotADirectoryError(f"not a project folder: {project}")
    return root


def dynamic_segment(segment: str) -> str | None:
    """The parameter name of a ``[name]`` path segment (extension ignored), else None."""
    name = posixpath.splitext(segment)[0]
    return name[1:-1] if name.startswith("[") and name.endswith("]") else None


def read_text(path: Path) -> str | None:
    """``path`` decoded as the builder reads it (UTF-8, invalid bytes replaced); None when it
    cannot be read."""
    try:
        return path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return None


def walk(root: Path, rel: str = "", skip_hidden: bool = False) -> Iterator[str]:
    """Files under ``root/rel`` depth-first in name order, as POSIX paths relative to ``root``.
    Symlinked folders are not entered (like readdir's Dirent.isDirectory), so loops are harmless."""
    try:
        with os.scandir(root / rel if rel else root) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.name in IGNORED or (skip_hidden and entry.name.startswith(".")):
            continue
        path = f"{rel}/{entry.name}" if rel else entry.name
        try:
            if entry.is_dir(follow_symlinks=False):
                yield from walk(root, path, skip_hidden)
            elif entry.is_file():
                yield path
        except OSError:
            continue
