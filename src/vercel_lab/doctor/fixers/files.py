"""Fixes of writes outside ``/tmp`` (:mod:`vercel_lab.doctor.checks.code`): the path a call
writes to, replaced by a file of the same name under ``/tmp`` (the only writable folder on
Vercel: https://vercel.com/docs/functions/runtimes#file-system-support).

Handles a path given as the first argument (``open``, ``io.open``, ``os.makedirs``,
``os.mkdir``, ``sqlite3.connect``, the ``logging`` file handlers) or as
``logging.basicConfig(filename=...)``; a ``Path(...).mkdir()`` receiver or a ``LOGGING``
dictionary is left to the other fixers.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Final

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from vercel_lab.doctor.findings import Finding
from vercel_lab.doctor.fixers.change import Change, make_change

__all__ = ["write_under_tmp"]

#: The calls whose first argument is the path written.
_FIRST_ARG: Final = frozenset(
    {
        "open",
        "makedirs",
        "mkdir",
        "connect",
        "FileHandler",
        "RotatingFileHandler",
        "TimedRotatingFileHandler",
        "WatchedFileHandler",
    }
)


def _short(func: cst.BaseExpression) -> str:
    if isinstance(func, cst.Name):
        return func.value
    if isinstance(func, cst.Attribute):
        return func.attr.value
    return ""


class _ToTmp(cst.CSTTransformer):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, line: int, target: str) -> None:
        super().__init__()
        self.line, self.target, self.done = line, target, False

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        if self.done or self.get_metadata(PositionProvider, original).start.line != self.line:
            return updated
        literal = cst.SimpleString(f'"{self.target}"')
        short = _short(updated.func)
        args = list(updated.args)
        if short == "basicConfig":
            for i, arg in enumerate(args):
                if arg.keyword is not None and arg.keyword.value == "filename":
                    args[i] = arg.with_changes(value=literal)
                    self.done = True
        elif short in _FIRST_ARG and args and args[0].keyword is None:
            args[0] = args[0].with_changes(value=literal)
            self.done = True
        return updated.with_changes(args=args)


def write_under_tmp(root: Path, finding: Finding) -> Change | None:
    """``write-at-import`` / ``write-in-request`` / ``logging-file-handler`` outside a
    ``LOGGING`` dictionary: the call at the finding's line writes to ``/tmp/<file name>``."""
    rel, line, path = finding.file, finding.line, finding.value_of("path")
    if rel is None or line is None or path is None or not (root / rel).is_file():
        return None
    name = posixpath.basename(path.rstrip("/"))
    if not name:
        return None
    target = f"/tmp/{name}"
    source = (root / rel).read_text(encoding="utf-8")
    transformer = _ToTmp(line, target)
    new = MetadataWrapper(cst.parse_module(source)).visit(transformer).code
    if not transformer.done:
        return None
    return make_change(
        root, finding.id, rel, line, f"write to `{target}` instead of `{path}`", {rel: new}
    )
