"""``doctor --fix --write``: the verified changes applied to the project itself, after its
preconditions: a git work tree with nothing uncommitted (unless ``force``), a folder that can
be written. Every precondition not met raises :class:`WriteRefused` before anything is written.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from vercel_lab.doctor.fixers.change import Change
from vercel_lab.doctor.fixers.prove import git_apply

__all__ = ["WriteRefused", "check_writable", "write_changes"]


class WriteRefused(Exception):
    """A ``--write`` precondition is not met (exit status 2; nothing was written)."""


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)


def check_writable(root: Path, changes: list[Change], force: bool) -> None:
    """Raise :class:`WriteRefused` when ``root`` is not a git work tree or has uncommitted
    changes (both unless ``force``), when a file to change or its folder is not writable, or
    when a diff does not apply."""
    if not force:
        inside = _git(root, "rev-parse", "--is-inside-work-tree")
        if inside.returncode != 0 or inside.stdout.strip() != "true":
            raise WriteRefused(
                f"--write: {root} is not in a git repository, so the change could not be "
                "undone; commit the project to git first, or add --force"
            )
        dirty = _git(root, "status", "--porcelain", "--", ".")
        if dirty.stdout.strip():
            raise WriteRefused(
                f"--write: {root} has uncommitted changes; commit or stash them first "
                "(so the fix is its own change), or add --force"
            )
    if os.statvfs(root).f_flag & os.ST_RDONLY:
        raise WriteRefused(f"--write: {root} is on a read-only file system; nothing was written")
    for change in changes:
        for edit in change.edits:
            target = root / edit.path
            where = target if target.exists() else target.parent
            if not os.access(where, os.W_OK) or not os.access(target.parent, os.W_OK):
                raise WriteRefused(f"--write: {where} is read-only; nothing was written")
        if error := git_apply(root, change.diff, check=True):
            raise WriteRefused(f"--write: the fix for {change.check} does not apply: {error}")


def write_changes(root: Path, changes: list[Change], force: bool) -> str:
    """Apply ``changes`` to ``root`` (their diffs, with ``git apply``) after
    :func:`check_writable`; returns the diff written."""
    check_writable(root, changes, force)
    written = []
    for change in changes:
        if error := git_apply(root, change.diff):
            raise WriteRefused(f"--write: the fix for {change.check} does not apply: {error}")
        written.append(change.diff)
    return "".join(written)
