"""A fix as a change, not a sentence: a unified diff against the project and/or environment
variables to set, and the helpers every fixer shares to make one.

A :class:`Change` is a plain value. Its ``diff`` is ``git apply -p1`` compatible: paths are POSIX,
relative to the project root, prefixed ``a/`` and ``b/`` (``/dev/null`` for a created or removed
file). Its ``env`` maps a variable name to a generated placeholder (:func:`placeholder`), to set in
the Vercel project's Environment Variables for Production and Preview.
"""

from __future__ import annotations

import difflib
import json
import secrets
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from vercel_lab.doctor.findings import Finding

__all__ = ["Change", "Edit", "dump_json", "make_change", "placeholder"]

#: Length of a generated secret placeholder (characters of [A-Za-z0-9]): well over Django's 50
#: and the guards' usual minimum of 32.
PLACEHOLDER_LENGTH: Final = 50
_ALPHABET: Final = string.ascii_letters + string.digits


def placeholder(length: int = PLACEHOLDER_LENGTH) -> str:
    """A strong random value (``secrets``), ``length`` letters and digits: never a word a guard
    rejects such as ``change-me``."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


@dataclass(frozen=True)
class Edit:
    """The new text of one file (POSIX path relative to the root); ``None`` deletes it."""

    path: str
    text: str | None


@dataclass(frozen=True)
class Change:
    """One fix for one finding: ``check`` (the finding's id), ``file`` and ``line`` (where it
    was found), a ``summary`` (one line), the ``edits`` it makes and their ``diff``, and the
    ``env`` to set (name -> value)."""

    check: str
    file: str | None
    line: int | None
    summary: str
    edits: tuple[Edit, ...] = ()
    diff: str = ""
    env: tuple[tuple[str, str], ...] = field(default=())
    #: The other findings (id, file, line) the same change fixes.
    also: tuple[tuple[str, str | None, int | None], ...] = ()
    #: The finding it was made for (to make it again on a changed copy: :func:`.combine`).
    finding: Finding | None = field(default=None, compare=False, repr=False)

    @property
    def covers(self) -> tuple[tuple[str, str | None, int | None], ...]:
        """Every finding (id, file, line) this change fixes."""
        return ((self.check, self.file, self.line), *self.also)

    def apply(self, root: Path) -> None:
        """Write its edits under ``root`` (a copy of the project, or the project with
        ``--write``). Raises OSError when a file cannot be written."""
        for edit in self.edits:
            target = root / edit.path
            if edit.text is None:
                target.unlink(missing_ok=True)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(edit.text, encoding="utf-8")


def _read(root: Path, rel: str) -> str | None:
    path = root / rel
    return path.read_text(encoding="utf-8") if path.is_file() else None


def unified(rel: str, old: str | None, new: str | None) -> str:
    """The ``git apply -p1`` diff of one file from ``old`` to ``new`` (None: absent)."""
    before = (old or "").splitlines(keepends=True)
    after = (new or "").splitlines(keepends=True)
    for lines in (before, after):
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n\\ No newline at end of file\n"
    header = f"diff --git a/{rel} b/{rel}\n"
    if old is None:
        header += "new file mode 100644\n"
    elif new is None:
        header += "deleted file mode 100644\n"
    body = difflib.unified_diff(
        before,
        after,
        "/dev/null" if old is None else f"a/{rel}",
        "/dev/null" if new is None else f"b/{rel}",
    )
    return header + "".join(body)


def make_change(
    root: Path,
    check: str,
    file: str | None,
    line: int | None,
    summary: str,
    edits: dict[str, str | None] | None = None,
    env: dict[str, str] | None = None,
) -> Change | None:
    """A :class:`Change` from the new texts of files (relative path -> text, None to delete),
    its diff computed against the files under ``root``; None when it changes nothing."""
    parts, kept = [], []
    for rel, new in sorted((edits or {}).items()):
        old = _read(root, rel)
        if old == new:
            continue
        parts.append(unified(rel, old, new))
        kept.append(Edit(rel, new))
    if not kept and not env:
        return None
    return Change(
        check, file, line, summary, tuple(kept), "".join(parts), tuple((env or {}).items())
    )


def dump_json(data: object) -> str:
    """vercel.json's text: 2-space indent, keys in their order, a final newline (stable)."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
