"""Fixtures of the builder's tests: tiny projects of the shared cases (deploy_cases.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.builder.deploy_cases import CASES, Files, MakeProject, write_files


@pytest.fixture
def deploy_project(tmp_path: Path) -> MakeProject:
    counter = iter(range(1000))

    def make(files: Files) -> Path:
        return write_files(tmp_path / f"p{next(counter)}", files)

    return make


@pytest.fixture
def case(deploy_project: MakeProject) -> Callable[[str], Path]:
    return lambda name: deploy_project(CASES[name])
