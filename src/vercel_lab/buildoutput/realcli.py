"""The real CLI's side of the parity harness (:mod:`vercel_lab.buildoutput.parity`): ``vercel``
pinned and installed once with npm, a case's project staged into a fresh folder (``vercel build``
writes into the project it builds), and the offline build itself, with only the Pythons Vercel's
build image has visible to it. I/O only; the comparison lives in ``parity``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from vercel_lab.buildoutput.cases import Case
from vercel_lab.runtime.interpreters import find_uv

__all__ = [
    "CLI_VERSION",
    "LEAKY_VARIABLES",
    "PROJECT_LINK",
    "base_python_bin",
    "build",
    "ensure_cli",
    "stage",
]

CLI_VERSION = "58.10.0"
PROJECT_LINK = {"projectId": "prj_vercellab", "orgId": "team_vercellab"}


def ensure_cli(cache: Path) -> Path:
    """``vercel`` pinned to :data:`CLI_VERSION`, installed once with npm into ``cache``."""
    binary = cache / "node_modules" / ".bin" / "vercel"
    package = cache / "node_modules" / "vercel" / "package.json"
    if package.is_file() and json.loads(package.read_text())["version"] == CLI_VERSION:
        return binary
    cache.mkdir(parents=True, exist_ok=True)
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is not installed")
    subprocess.run(
        [
            npm,
            "install",
            "--prefix",
            str(cache),
            "--save-exact",
            "--no-audit",
            "--no-fund",
            f"vercel@{CLI_VERSION}",
        ],
        check=True,
    )
    return binary


def stage(case: Case, workdir: Path) -> Path:
    """A copy of ``case``'s project with links resolved, linked to a local project whose
    settings hold the case's stored preset."""
    source = case.folder
    target = workdir / case.name
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(
        source,
        target,
        symlinks=False,
        ignore=shutil.ignore_patterns("__pycache__", ".vercel", ".venv"),
    )
    # The preset the project settings hold, as stored in the case table (never detected here).
    settings = {"framework": case.preset}
    (target / ".vercel").mkdir()
    link = {**PROJECT_LINK, "settings": settings}
    (target / ".vercel" / "project.json").write_text(json.dumps(link, indent=2) + "\n")
    return target


#: Variables that would point the builder's ``uv`` at another environment than its own venv: nox
#: sets ``UV_PYTHON`` and ``VIRTUAL_ENV`` to the session's, where ``uv pip install`` and
#: ``uv sync --active`` would then install the bundle's packages. Or change what Python imports.
LEAKY_VARIABLES = frozenset(
    {"VIRTUAL_ENV", "CONDA_PREFIX", "UV_PYTHON", "UV_PROJECT_ENVIRONMENT", "UV_SYSTEM_PYTHON"}
    | {"PYTHONPATH", "PYTHONHOME"}
)


def base_python_bin(python: str) -> Path:
    """The ``bin`` folder of the interpreter behind ``python`` (outside any virtualenv): the
    builder asks ``uv`` for installed Pythons, and ``uv`` does not count a venv's."""
    done = subprocess.run(
        [python, "-c", "import os, sys; print(os.path.realpath(sys._base_executable))"],
        capture_output=True, text=True, check=True, timeout=30,
    )  # fmt: skip
    return Path(done.stdout.strip()).parent


def build(cli: Path, project: Path, python_bin: Path, global_config: Path) -> tuple[int, str]:
    """Run ``vercel build``; returns its exit status and output (stdout and stderr)."""
    uv = find_uv() or str(Path(sys.executable).with_name("uv"))
    path = os.pathsep.join([str(python_bin), str(Path(uv).parent), os.environ.get("PATH", "")])
    env = {k: v for k, v in os.environ.items() if k not in LEAKY_VARIABLES}
    env.update({"PATH": path, "VERCEL_TELEMETRY_DISABLED": "1", "CI": "1"})
    done = subprocess.run(
        [
            str(cli),
            "build",
            "--yes",
            "--prod",
            "--standalone",
            "--global-config",
            str(global_config),
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    return done.returncode, done.stdout + done.stderr
