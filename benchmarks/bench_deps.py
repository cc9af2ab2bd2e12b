"""The deployed dependency set's costs, printed (never asserted: these machines are shared).

1. First install of the deployed set (:func:`vercel_lab.runtime.installer.install` into an empty
   vercel-lab cache) vs the builder's own install of the same project: the uv commands
   @vercel/python 6.56.2 runs (``uv venv --seed``, ``uv lock``, ``uv sync --active --no-dev
   --link-mode hardlink --locked --python-platform x86_64-unknown-linux-gnu --no-editable``,
   ``uv pip install vercel-runtime``; py6562:5404-5424, 11669-11680). Both use the same warm uv
   package cache, so neither downloads. Median of N runs each. Target ratio <= 1.2.
2. ``vercel-lab invoke`` with the cached deployed set vs ``--deps current`` (a new process each:
   build, cold start, one request). Median of M runs each. Target ratio <= 1.2.

Run: ``nox -s bench`` (or ``python benchmarks/bench_deps.py --installs 3 --invokes 5``).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from vercel_lab.builder.plan import build_plan
from vercel_lab.examples import example
from vercel_lab.runtime import installer
from vercel_lab.runtime.interpreters import pinned_runtime

PROJECT = example("flask")
PLATFORM = "x86_64-unknown-linux-gnu"
SYNC = ("sync", "--active", "--no-dev", "--link-mode", "hardlink", "--locked")
RUNTIME = ("pip", "install", "--link-mode", "copy", "--python-platform")


def _timed(action: object) -> float:
    started = time.perf_counter()
    action()  # type: ignore[operator]
    return (time.perf_counter() - started) * 1000


def ours_ms() -> float:
    plan = build_plan(PROJECT)
    assert plan.install is not None
    manifest, python = plan.install.manifest, plan.install.python
    with tempfile.TemporaryDirectory() as cache:
        return _timed(
            lambda: installer.install(
                PROJECT, manifest, python, pinned_runtime(), Path(cache), progress=io.StringIO()
            )
        )


def builders_ms(uv: str, python: str) -> float:
    plan = build_plan(PROJECT)
    assert plan.install is not None
    manifest, choice = plan.install.manifest, plan.install.python
    with tempfile.TemporaryDirectory() as work:
        project, venv = Path(work) / "project", Path(work) / ".venv"
        installer._stage(PROJECT, manifest, choice, project)  # the converted pyproject.toml
        env = {**os.environ, "VIRTUAL_ENV": str(venv), "UV_PROJECT_ENVIRONMENT": str(venv)}
        env["UV_NO_DEV"] = "true"
        vpython = str(venv / "bin" / "python")
        steps = [
            [uv, "venv", str(venv), "--allow-existing", "--seed", "--python", python],
            [uv, "lock", "--python", vpython],
            [uv, *SYNC, "--python-platform", PLATFORM, "--no-editable"],
            [uv, *RUNTIME, PLATFORM, "--python", vpython, f"vercel-runtime=={pinned_runtime()}"],
        ]

        def run() -> None:
            for step in steps:
                subprocess.run(step, cwd=project, env=env, check=True, capture_output=True)

        return _timed(run)


def invoke_ms(deps: str) -> float:
    command = [sys.executable, "-m", "vercel_lab", "invoke", str(PROJECT), "--deps", deps]
    return _timed(lambda: subprocess.run(command, check=True, capture_output=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--installs", type=int, default=3)
    parser.add_argument("--invokes", type=int, default=5)
    args = parser.parse_args()
    uv = installer.find_uv()
    python = installer.find_python("3.12")
    if uv is None or python is None:
        raise SystemExit("bench_deps needs uv and a Python 3.12")
    builders_ms(uv, python)  # warm uv's package cache for both sides
    ours = statistics.median(ours_ms() for _ in range(args.installs))
    builder = statistics.median(builders_ms(uv, python) for _ in range(args.installs))
    print(
        f"first install of the deployed set: {ours:.0f} ms vs the builder's uv steps "
        f"{builder:.0f} ms: ratio {ours / builder:.2f} (target <= 1.2)"
    )
    invoke_ms("deployed")  # the cache entry exists from now on
    deployed = statistics.median(invoke_ms("deployed") for _ in range(args.invokes))
    current = statistics.median(invoke_ms("current") for _ in range(args.invokes))
    print(
        f"invoke, cached deployed set: {deployed:.0f} ms vs --deps current {current:.0f} ms: "
        f"ratio {deployed / current:.2f} (target <= 1.2)"
    )


if __name__ == "__main__":
    main()
