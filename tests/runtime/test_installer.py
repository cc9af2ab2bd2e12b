"""The deployed set's installer: exactly the builder's set, cached by content, atomic."""

from __future__ import annotations

import io
import os
import subprocess
from pathlib import Path

import pytest

from tests.helpers import MakeProject
from vercel_lab.builder.manifest import select_manifest
from vercel_lab.builder.python_version import select_python
from vercel_lab.runtime.installer import InstallError, cache_key, install
from vercel_lab.runtime.interpreters import pinned_runtime

UV_LOCK_EMPTY = """version = 1
revision = 3
requires-python = ">=3.12"

[[package]]
name = "quotes-api"
version = "0.1.0"
source = { virtual = "." }
"""


@pytest.mark.network
def test_the_deployed_set_then_a_cache_hit(make_project: MakeProject, tmp_path: Path) -> None:
    root = make_project(
        {
            "api/index.py": "from flask import Flask\napp = Flask(__name__)\n",
            "pyproject.toml": '[project]\nname = "quotes-api"\nversion = "0.1.0"\n'
            'requires-python = ">=3.12"\ndependencies = []\n',
            "requirements.txt": "flask>=3.0\n",
            "uv.lock": UV_LOCK_EMPTY,
        }
    )
    before = sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))
    manifest = select_manifest(root, "api/index.py")
    choice = select_python(root, manifest)
    first = install(
        root, manifest, choice, pinned_runtime(), tmp_path / "c", progress=io.StringIO()
    )
    assert first.cached is False
    assert first.key == cache_key(manifest, choice, pinned_runtime())
    probe = "import importlib.util as u; print(u.find_spec('flask'), u.find_spec('vercel_lab'))"
    out = subprocess.run([first.python, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["None", "None"]  # flask absent as on Vercel; vercel-lab too
    again = install(root, manifest, choice, pinned_runtime(), tmp_path / "c")
    assert (again.cached, again.venv) == (True, first.venv)
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*")) == before


def test_offline_and_uncached_fails_in_one_line_and_leaves_nothing(
    make_project: MakeProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UV_CACHE_DIR", str(tmp_path / "empty-uv-cache"))
    root = make_project({"a.py": "", "requirements.txt": "flask>=3\n"})
    manifest = select_manifest(root, "a.py")
    progress = io.StringIO()
    with pytest.raises(InstallError) as raised:
        install(
            root,
            manifest,
            select_python(root, manifest),
            pinned_runtime(),
            tmp_path / "cache",
            offline=True,
            progress=progress,
        )
    assert str(raised.value) == (
        "could not install the dependencies of requirements.txt: step `uv lock` failed: error: "
        "No solution found when resolving dependencies: Because flask was not found in the "
        "cache and your project depends on flask>=3, we can conclude that your project's "
        "requirements are unsatisfiable."
    )
    assert "offline" in progress.getvalue()  # uv's own output was streamed
    assert os.listdir(tmp_path / "cache") == []


def test_a_pin_the_install_cannot_honour_is_not_installed(make_project: MakeProject) -> None:
    root = make_project({"main.py": "", "requirements.txt": "", ".python-version": "3.11\n"})
    manifest = select_manifest(root, "main.py")
    with pytest.raises(ValueError, match="the build fails on the Python pin: No interpreter"):
        install(root, manifest, select_python(root, manifest), pinned_runtime(), root / "x")
