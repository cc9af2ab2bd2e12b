"""Parity rows for the shared real-world cases (issue 11), run by :mod:`.parity`'s ``main``.

Each case of ``tests/fixtures/cases`` (copied from the shared cases) is built by the real CLI
with only the Pythons of Vercel's image visible to uv (FACTS.md: the CLI puts node's folder on
the builder's ``PATH``, and ``/usr/bin`` holds a Python 3.11 Vercel does not have), offline for
Python downloads, and compared with the emulation. Build rows compare the builder's error line,
with the project's folder and uv's path written alike (the real text names the built copy and
the absolute uv); uv's reason after it depends on the machine.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from vercel_lab.buildoutput.cases import Case
from vercel_lab.buildoutput.parity import (
    Observation,
    ParityRow,
    build_error_message,
    bundled_runtime,
    observe,
    real,
)
from vercel_lab.buildoutput.reader import read_build_output
from vercel_lab.buildoutput.realcli import LEAKY_VARIABLES, PROJECT_LINK
from vercel_lab.runtime.function import Function
from vercel_lab.runtime.interpreters import find_uv

__all__ = ["DEPLOY_CASES", "cases_dir", "check", "image_path"]

#: The requests sent to each case, and the preset its project settings hold: stored here as the
#: dashboard detected it (``shared/cases/README.md``), independent of vercel-lab's detection, so
#: a detection error shows as a disagreement.
DEPLOY_CASES: dict[str, Case] = {
    "uvlock-hides-requirements": Case("uvlock-hides-requirements", "flask", ("/api",)),
    "poetry-only-pyproject": Case("poetry-only-pyproject", "fastapi", ("/main.py",)),
    "driver-only-in-extra": Case("driver-only-in-extra", "fastapi", ("/health",)),
    "python-version-311-with-uvlock": Case("python-version-311-with-uvlock", "fastapi", ("/",)),
    "stale-root-manage-py": Case("stale-root-manage-py", "django", ("/",)),
}


def cases_dir() -> Path:
    """``tests/fixtures/cases`` of the source tree (absent from an installed wheel)."""
    return Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "cases"


def image_path(workdir: Path, python_bin: Path) -> str:
    """A ``PATH`` on which uv finds Python 3.12 only, as on Vercel's image: ``node`` copied into a
    folder of its own (the CLI puts node's folder on the builder's ``PATH``, and ``/usr/bin``
    may hold a Python Vercel does not have), ``python_bin``, uv, and every tool of
    ``/usr/local/bin``, ``/usr/bin`` and ``/bin`` but ``python*``."""
    nodebin, tools = workdir / "nodebin", workdir / "tools"
    node = shutil.which("node")
    if node and not nodebin.is_dir():
        nodebin.mkdir(parents=True)
        shutil.copy2(node, nodebin / "node")
    if not tools.is_dir():
        tools.mkdir(parents=True)
        for folder in ("/usr/local/bin", "/usr/bin", "/bin"):
            for entry in os.scandir(folder) if os.path.isdir(folder) else ():
                if not entry.name.startswith("python") and not (tools / entry.name).exists():
                    os.symlink(entry.path, tools / entry.name)
    uv = find_uv() or str(Path(sys.executable).with_name("uv"))
    return os.pathsep.join([str(nodebin), str(python_bin), str(Path(uv).parent), str(tools)])


def _case_detail(observation: Observation, project: str) -> Observation:
    """A build row's detail: the builder's error line (uv's own reason after it depends on the
    machine: offline, downloads failing, or another Python on ``PATH``; FACTS.md (b))."""
    if observation.phase != "build":
        return observation
    text = observation.detail.replace(project, "<project>")
    text = re.sub(r"Command failed: \S*/uv ", "Command failed: uv ", text)
    lines = [line for line in text.splitlines() if line.strip()]
    errors = [i for i, line in enumerate(lines) if line.startswith("Error: ")]
    first = lines[errors[0]].removeprefix("Error: ") if errors else (lines[0] if lines else "")
    return Observation(None, None, "build", first)


def check(
    name: str, cli: Path, workdir: Path, python_bin: Path
) -> tuple[list[ParityRow], list[str]]:
    """The parity rows of one shared case, and its problems."""
    case = DEPLOY_CASES[name]
    probes = case.probes
    source = cases_dir() / name
    target = workdir / "cases" / name
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", ".vercel"))
    settings = {"framework": case.preset}
    (target / ".vercel").mkdir()
    link = {**PROJECT_LINK, "settings": settings}
    (target / ".vercel" / "project.json").write_text(json.dumps(link, indent=2) + "\n")
    path = image_path(workdir, python_bin)
    env = {k: v for k, v in os.environ.items() if k not in LEAKY_VARIABLES}
    env.update({"PATH": path, "VERCEL_TELEMETRY_DISABLED": "1", "CI": "1"})
    # The builder sets UV_PYTHON_DOWNLOADS=automatic (py6562:5677-5686): a mirror that does not
    # exist makes a Python the image lacks fail to download here as it cannot exist there.
    env["UV_PYTHON_INSTALL_MIRROR"] = "file:///nonexistent-vercel-image-pythons"
    command = [str(cli), "build", "--yes", "--prod", "--standalone"]
    command += ["--global-config", str(workdir / ".vercel-global")]
    done = subprocess.run(
        command, cwd=target, env=env, capture_output=True, text=True, timeout=900, check=False
    )
    problems: list[str] = []
    if done.returncode != 0:
        message = build_error_message(done.stdout + done.stderr) or ""
        if not message:
            problems.append(f"vercel build failed without an error line:\n{done.stderr[-3000:]}")
        real_side = [_case_detail(Observation(None, None, "build", message), str(target))]
        real_side *= len(probes)
        runtime = None
    else:
        output = read_build_output(target / ".vercel" / "output")
        real_side, problems = real(output, case, {})
        runtime = bundled_runtime(output)
    # The emulation runs the vercel-runtime release the bundle vendors, as for the examples.
    with Function(source, runtime_version=runtime) as function:
        emulated = [
            _case_detail(observe(function.invoke(p), [str(source)]), str(source)) for p in probes
        ]
    rows = [
        ParityRow(f"case:{name}", p, e, r)
        for p, e, r in zip(probes, emulated, real_side, strict=True)
    ]
    return rows, [f"case:{name}: {p}" for p in problems]
