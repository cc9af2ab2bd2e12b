"""Helpers the tests share (import them: ``from tests.helpers import MakeProject``); the
``make_project`` fixture itself is in conftest.py."""

from __future__ import annotations

import contextlib
import os
import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

#: ``make_project(files, name="project") -> Path``: the ``make_project`` fixture.
MakeProject = Callable[..., Path]


def write_files(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write ``files`` (relative path -> content; text dedented, bytes as they are) under
    ``root``, creating folders; returns ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"))
    return root


def staged_root(project: Path) -> Path:
    """The staged copy a function of ``project`` runs from (its working directory)."""
    from vercel_lab.builder.plan import build_plan
    from vercel_lab.runtime.interpreters import cache_root
    from vercel_lab.runtime.staging import content_key

    plan = build_plan(project.resolve())
    assert plan.install is not None
    return cache_root() / "stage" / content_key(plan.root, plan.install.files) / "task"


def processes_in(folder: Path) -> list[int]:
    """Pids of live processes whose working directory is ``folder`` or the staged copy of that
    project (function instances)."""
    pids = []
    folders = {folder.resolve()}
    with contextlib.suppress(OSError, ValueError):
        folders.add(staged_root(folder))
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if Path(os.readlink(entry / "cwd")) in folders:
                status = (entry / "status").read_text()
                if "State:\tZ" not in status:
                    pids.append(int(entry.name))
        except OSError:
            continue
    return pids
