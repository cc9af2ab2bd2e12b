"""Shared fixtures: tiny Vercel projects written into tmp_path (the helpers are in helpers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import MakeProject, write_files


@pytest.fixture
def make_project(tmp_path: Path) -> MakeProject:
    """``make_project({"api/index.py": "app = ..."})`` writes the files (dedented) and returns the
    project folder. Bytes values are written as they are."""

    def make(files: dict[str, str | bytes], name: str = "project") -> Path:
        return write_files(tmp_path / name, files)

    return make
