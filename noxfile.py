"""Development sessions: ``nox -s tests``, ``nox -s docs``, ``nox -s lint``, ``nox -s bench``...

Dependencies come from ``pyproject.toml`` (the project and its dependency groups). Every session
needs Python >= 3.12 (``vercel-runtime`` does); :func:`find_python` finds one even where it exists
only as a pyenv-managed version that pyenv's shims refuse to run.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nox

nox.options.default_venv_backend = "uv|venv"
nox.options.sessions = ["tests", "lint"]
nox.options.download_python = "never"  # no network beyond the package registries here

ROOT = Path(__file__).parent
MIN_PYTHON = (3, 12)


def _version_of(python: str) -> tuple[int, int] | None:
    try:
        out = subprocess.run(
            [python, "-c", "import sys; print(*sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=20,
            check=True,
        ).stdout.split()
        return int(out[0]), int(out[1])
    except (OSError, subprocess.SubprocessError, ValueError, IndexError):
        return None


def find_python() -> str:
    """An interpreter >= 3.12: $VERCEL_LAB_PYTHON, this one, PATH, then pyenv's versions."""
    candidates = [os.environ.get("VERCEL_LAB_PYTHON", ""), sys.executable]
    for name in ("python3.13", "python3.12", "python3"):
        if found := shutil.which(name):
            candidates.append(found)
    pyenv_root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    candidates += sorted(glob.glob(f"{pyenv_root}/versions/3.1[2-9]*/bin/python3"), reverse=True)
    for candidate in filter(None, candidates):
        version = _version_of(candidate)
        if version is not None and version >= MIN_PYTHON:
            return str(Path(candidate).resolve()) if "/shims/" in candidate else candidate
    raise SystemExit("vercel-lab needs Python >= 3.12: none found on PATH or under pyenv")


PYTHON = find_python()
PYPROJECT = nox.project.load_toml("pyproject.toml")


def install(session: nox.Session, *groups: str, editable: bool = True) -> None:
    """Install the project and the named dependency groups from pyproject.toml."""
    if groups:
        session.install(*nox.project.dependency_groups(PYPROJECT, *groups))
    session.install(*(["-e", "."] if editable else ["."]))


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the test suite (pass pytest arguments after --)."""
    install(session, "test")
    session.run("pytest", *session.posargs)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """Ruff (lint + format check) and mypy --strict on src."""
    install(session, "lint")
    session.run("ruff", "check", "src", "tests", "noxfile.py")
    session.run("ruff", "format", "--check", "src", "tests", "noxfile.py")
    session.run("mypy")


@nox.session(python=PYTHON, default=False)
def bench(session: nox.Session) -> None:
    """Print speed ratios: warm invoke vs Django's test client, cold start vs a bare import."""
    install(session, "test")
    session.run("python", "benchmarks/bench.py", *session.posargs)
