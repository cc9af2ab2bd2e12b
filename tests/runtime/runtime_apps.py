"""Helpers of the runtime tests: the apps in ``tests/runtime/apps``, private copies of them (so a
test can assert that no process is left running in its folder), and that check."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

APPS = Path(__file__).resolve().parent / "apps"

AppCopy = Callable[[str], Path]


@pytest.fixture
def app_copy(tmp_path: Path) -> AppCopy:
    """``app_copy(name)``: a private copy of ``tests/runtime/apps/<name>``."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(APPS / name, target)
        return target

    return copy


def live_processes_in(folder: Path) -> list[int]:
    """Pids of live (not zombie) processes whose working directory is ``folder``."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if Path(os.readlink(entry / "cwd")) == folder.resolve():
                if "State:\tZ" not in (entry / "status").read_text():
                    pids.append(int(entry.name))
        except OSError:
            continue
    return pids
