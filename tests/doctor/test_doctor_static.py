"""Every static check of ``vercel-lab doctor`` fires on a tiny project that has the problem and
stays quiet on the same project fixed: the pairs are files under ``fixtures/<check-id>/``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.helpers import MakeProject
from vercel_lab.doctor import check_project
from vercel_lab.doctor.registry import CHECKS

HANDLER_CLASS = (
    "from http.server import BaseHTTPRequestHandler\n\n\n"
    "class handler(BaseHTTPRequestHandler):\n"
    "    def do_GET(self):\n"
    "        self.send_response(200)\n"
    "        self.end_headers()\n"
)

#: One folder per check, found by convention (pylint's model): ``<check-id>/bad/`` is a tiny
#: project that has the problem, ``<check-id>/good/`` the same project without it.
FIXTURES = Path(__file__).parent / "fixtures"
CHECK_IDS = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())


def _fixture(tmp_path: Path, check_id: str, kind: str) -> Path:
    return Path(shutil.copytree(FIXTURES / check_id / kind, tmp_path / kind))


def test_every_static_check_has_a_fixture_pair() -> None:
    static = {c.id for c in CHECKS.values() if c.source == "static"}
    assert static - {"large-project-files", "check-failed"} == set(CHECK_IDS)
    for check_id in CHECK_IDS:
        assert {p.name for p in (FIXTURES / check_id).iterdir()} == {"bad", "good"}, check_id


@pytest.mark.parametrize("check_id", CHECK_IDS)
def test_check_fires_on_the_bad_project(tmp_path: Path, check_id: str) -> None:
    findings = check_project(_fixture(tmp_path, check_id, "bad"))
    assert check_id in {f.id for f in findings}


@pytest.mark.parametrize("check_id", CHECK_IDS)
def test_check_is_quiet_on_the_good_project(tmp_path: Path, check_id: str) -> None:
    findings = check_project(_fixture(tmp_path, check_id, "good"))
    assert check_id not in {f.id for f in findings}


def test_large_project_files_are_reported_with_the_largest(make_project: MakeProject) -> None:
    root = make_project({"api/index.py": HANDLER_CLASS, "public/index.html": "<p>\n"})
    with open(root / "weights.bin", "wb") as handle:
        handle.truncate(120_000_000)  # sparse: no disk space used
    (finding,) = [f for f in check_project(root) if f.id == "large-project-files"]
    assert finding.message == (
        "The project's files total 120 MB (largest: `weights.bin`, 120 MB); all of them are "
        "bundled with the function and count toward its 500 MB limit."
    )


def test_a_small_project_has_no_size_finding(make_project: MakeProject) -> None:
    root = make_project({"api/index.py": HANDLER_CLASS, "data.bin": b"\0" * 1000})
    assert "large-project-files" not in {f.id for f in check_project(root)}
