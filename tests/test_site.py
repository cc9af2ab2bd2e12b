"""The published address: one constant, read by the docs, the notebooks and the lab checks."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

from vercel_lab.labs.feedback import SECTIONS
from vercel_lab.site import SITE_URL, page

ROOT = Path(__file__).resolve().parent.parent


def test_pages_are_joined_to_the_one_site_url() -> None:
    assert SITE_URL.endswith("/") and SITE_URL.startswith("https://")
    assert page("tutorial/01-the-fix.html") == f"{SITE_URL}tutorial/01-the-fix.html"
    assert page("labs.html", "run-the-labs") == f"{SITE_URL}labs.html#run-the-labs"
    with pytest.raises(ValueError, match="give a path inside the site"):
        page("/tutorial/01-the-fix.html")
    with pytest.raises(ValueError, match="give a path inside the site"):
        page("https://example.com/x.html")


def test_lab_hints_and_notebooks_link_through_the_constant() -> None:
    assert all(section.url.startswith(SITE_URL) for section in SECTIONS)
    generator = runpy.run_path(str(ROOT / "labs" / "_build_notebooks.py"))
    assert generator["DOCS"] + "/" == SITE_URL


def test_read_the_docs_builds_with_the_docs_group_on_its_standard_image() -> None:
    config = (ROOT / ".readthedocs.yaml").read_text(encoding="utf-8")
    for line in ("version: 2", "os: ubuntu-24.04", 'python: "3.12"', "--group docs"):
        assert line in config
    assert "configuration: docs/conf.py" in config
