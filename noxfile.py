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
# Functions run with PYTHONDONTWRITEBYTECODE=1 as on Vercel, whose builder ships compiled bytecode
# (vc_compileall.py): compile at install time too, or every cold start recompiles Django.
os.environ.setdefault("UV_COMPILE_BYTECODE", "1")

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
    for name in ("python3.12", "python3.13", "python3"):  # 3.12: Vercel's default
        if found := shutil.which(name):
            candidates.append(found)
    pyenv_root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    candidates += sorted(glob.glob(f"{pyenv_root}/versions/3.12*/bin/python3"), reverse=True)
    candidates += sorted(glob.glob(f"{pyenv_root}/versions/3.1[3-9]*/bin/python3"))
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
    """Ruff (lint + format check), mypy --strict on src, and the layer contracts (import-linter)."""
    install(session, "lint")
    session.run("ruff", "check", "src", "tests", "noxfile.py")
    session.run("ruff", "format", "--check", "src", "tests", "noxfile.py")
    session.run("mypy")
    session.run("lint-imports")


@nox.session(python=PYTHON, default=False)
def bench(session: nox.Session) -> None:
    """Print speed ratios: fluid warm invoke vs the runtime's own floor and vs lambda mode, time
    to first byte vs last byte of a streamed 6 MB body, cold start vs a bare import, the doctor
    (static, --log), doctor --fix vs one invoke, and the deployed dependency set."""
    install(session, "test")
    session.run("python", "benchmarks/bench.py", *session.posargs)
    # The deployed dependency set: first install vs the builder's, cached invoke vs current.
    session.run("python", "benchmarks/bench_deps.py")


@nox.session(python=PYTHON, default=False)
def soak(session: nox.Session) -> None:
    """``serve`` under 10,000 requests from 50 concurrent clients: no thread, file descriptor or
    process may leak (the suite runs 1,000 x 20)."""
    install(session, "test")
    session.run(
        "pytest",
        "-q",
        "tests/runtime/test_soak.py",
        *session.posargs,
        env={"VERCEL_LAB_SOAK": "10000,50"},
    )


@nox.session(name="runtime-latest", python=PYTHON, default=False)
def runtime_latest(session: nox.Session) -> None:
    """Run the suite against the newest vercel-runtime: each failure is a behaviour that moved."""
    install(session, "test")
    session.install("--upgrade", "vercel-runtime")
    pinned = next(d for d in PYPROJECT["project"]["dependencies"] if "vercel-runtime" in d)
    session.run(
        "python",
        "-c",
        "import importlib.metadata as m; "
        f"print('testing vercel-runtime', m.version('vercel-runtime'), '/ pin: {pinned}')",
    )
    session.run("pytest", "-q", "-rf", *session.posargs)


DOCS_OUT = "docs/_build/html"


def _timed_sphinx_build(session: nox.Session, label: str) -> float:
    import time

    started = time.monotonic()
    # -j auto: the executed pages build in parallel (a cold cell cache: ~110 s alone, ~66 s on 2).
    options = ["-j", "auto", "-n", "-W", "--keep-going", "-q", "-b", "html"]
    session.run("sphinx-build", *options, "docs", DOCS_OUT)
    elapsed = time.monotonic() - started
    session.log(f"{label}: {elapsed:.1f} s")
    return elapsed


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    """Build the site from a clean state (-n -W); print build times and the heaviest page."""
    install(session, "docs")
    # Clean: the executed cells' cache (jupyter_execute) would otherwise hide a broken cell.
    for folder in ("docs/_build", "docs/jupyter_execute"):
        shutil.rmtree(ROOT / folder, ignore_errors=True)
    clean = _timed_sphinx_build(session, "clean build")
    rebuild = _timed_sphinx_build(session, "no-change rebuild")
    session.run("python", "docs/_tools/page_weight.py", DOCS_OUT)
    session.log(f"docs: clean build {clean:.1f} s, no-change rebuild {rebuild:.1f} s")


@nox.session(name="docs-live", python=PYTHON, default=False)
def docs_live(session: nox.Session) -> None:
    """Rebuild the site on every change and serve it on http://127.0.0.1:8000."""
    install(session, "docs")
    session.run(
        "sphinx-autobuild",
        "--host", "127.0.0.1",
        "--port", "8000",
        # The executed cells write notebooks under docs/jupyter_execute: watching them would
        # rebuild forever. Changes to the package and the examples change executed outputs.
        "--ignore", "*/jupyter_execute/*",
        "--watch", "src",
        "--watch", "examples",
        "-n", "--keep-going",
        "docs", DOCS_OUT,
        *session.posargs,
    )  # fmt: skip


@nox.session(name="docs-browser", python=PYTHON, default=False)
def docs_browser(session: nox.Session) -> None:
    """Open the built site in headless Chromium (Debian's): no errors, tabs, copy, search, and
    axe-core on every page in light and dark mode (fails on serious or critical violations)."""
    if not (ROOT / DOCS_OUT / "index.html").is_file():
        session.error(f"no built site in {DOCS_OUT}: run `nox -s docs` first")
    if shutil.which("npm") is None:  # not a skip: the accessibility check is part of the session
        session.error("npm is not on PATH: axe-core, pinned in docs/_tools/axe.py, comes from npm")
    session.install(*nox.project.dependency_groups(PYPROJECT, "browser"))
    session.run("python", "docs/_tools/browser_check.py", DOCS_OUT, *session.posargs)


@nox.session(python=PYTHON, default=False)
def lab(session: nox.Session) -> None:
    """Start JupyterLab on labs/ (headless: open the printed http://127.0.0.1 URL; Ctrl-C stops)."""
    install(session, "lab")
    argv = ["--no-browser", "--ip", "127.0.0.1", f"--ServerApp.root_dir={ROOT / 'labs'}"]
    if os.geteuid() == 0:  # containers often run as root; JupyterLab refuses it unless told
        argv.append("--allow-root")
    session.log("JupyterLab prints the URL to open (with its token) once it is up.")
    session.run("jupyter", "lab", *argv, *session.posargs)


@nox.session(name="vercel-build", python=PYTHON, default=False)
def vercel_build(session: nox.Session) -> None:
    """Build every example with Vercel's real CLI, invoke the bundles, print the parity table."""
    if not (shutil.which("node") and shutil.which("npm")):
        session.skip("Node.js and npm are not installed: Vercel's CLI cannot run here")
    # uv: the builder installs the project's dependencies with it, and so does the emulation.
    session.install("uv")
    session.install("-e", ".")
    # The builder needs a Python 3.12 that uv sees as installed: the one nox found (its base
    # interpreter when it is a venv's), wherever it lives (pyenv included).
    session.run(
        "python", "-m", "vercel_lab.buildoutput.parity", "--python", PYTHON, *session.posargs
    )
