"""bundle_files: the CLI's upload filter then the builder's excludes."""

from __future__ import annotations

import os

import pytest

from tests.builder.deploy_cases import MakeProject
from vercel_lab.builder.files import BundleConfig, ConflictingIgnoreFiles, bundle_files

PROJECT = {
    "app.py": "",
    "requirements.txt": "flask\n",
    ".env": "SECRET=1\n",
    ".env.local": "L=1\n",
    ".env.production.local": "P=1\n",
    "templates/hidden.html": "x",
    "templates/shown.html": "y",
    "data/a.txt": "d",
    ".vercelignore": "templates/hidden.html\n",
    ".gitignore": ".env\n",
    "public/p.txt": "p",
    "pkg/__pycache__/m.cpython-312.pyc": "",
    ".venv/bin/python": "",
    "node_modules/x/index.js": "",
    ".vercel/project.json": "{}",
    "pkg/m.py": "",
    "yarn.lock": "",
    "docs/notes.md": "",
}


def test_upload_then_bundle(deploy_project: MakeProject) -> None:
    root = deploy_project(PROJECT)
    os.symlink("data/a.txt", root / "link.txt")
    fs = bundle_files(root)
    assert fs.included == (
        ".env",
        ".vercelignore",
        "app.py",
        "data/a.txt",
        "docs/notes.md",
        "link.txt",
        "pkg/m.py",
        "requirements.txt",
        "templates/shown.html",
    )
    assert fs.excluded == {
        ".env.local": "upload-default",
        ".env.production.local": "upload-default",
        ".gitignore": "upload-default",
        ".venv/": "upload-default",
        ".vercel/": "upload-default",
        "node_modules/": "upload-default",
        "pkg/__pycache__/": "upload-default",
        "templates/hidden.html": ".vercelignore",
        "yarn.lock": "builder:**/yarn.lock",
    }
    assert fs.symlinks == {"link.txt": "data/a.txt"}
    assert fs.static == ("public/p.txt",)


def test_git_based_deploy_drops_git_ignored_files(deploy_project: MakeProject) -> None:
    fs = bundle_files(deploy_project(PROJECT), BundleConfig(git_based=True))
    assert fs.excluded[".env"] == ".gitignore"
    assert ".env" not in fs.included


def test_exclude_files_string_only(deploy_project: MakeProject) -> None:
    root = deploy_project(PROJECT)
    fs = bundle_files(root, BundleConfig(exclude_files="docs/**"))
    assert fs.excluded["docs/notes.md"] == "excludeFiles"
    # @vercel/python 6.56.2 applies excludeFiles only when it is a string (py6562:11936-11939).
    assert "docs/notes.md" in bundle_files(root, BundleConfig(exclude_files=["docs/**"])).included


def test_vercelignore_negation_and_folder(deploy_project: MakeProject) -> None:
    root = deploy_project(
        {
            "a.py": "",
            "data/x.csv": "",
            "data/keep.csv": "",
            ".vercelignore": "data/*\n!data/keep.csv\n",
        }
    )
    fs = bundle_files(root)
    assert fs.included == (".vercelignore", "a.py", "data/keep.csv")
    assert fs.excluded == {"data/x.csv": ".vercelignore"}


def test_both_ignore_files_refused(deploy_project: MakeProject) -> None:
    root = deploy_project({"a.py": "", ".vercelignore": "x\n", ".nowignore": "y\n"})
    with pytest.raises(ConflictingIgnoreFiles, match=r"Cannot use both a `\.vercelignore`"):
        bundle_files(root)
