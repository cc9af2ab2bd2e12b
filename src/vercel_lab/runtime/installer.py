"""The deployed dependency set: exactly what the builder installs, with uv, into an atomic cache.

Mirrors @vercel/python 6.56.2's steps (py6562:6401-6480, 11603-11680; facts in
``research/deploy-facts.md``): a staged copy of the manifest's folder (never the user's tree:
``uv lock`` writes files), the converted ``pyproject.toml`` the builder writes for Pipfile* and
requirements* (``requires-python = "~=X.Y.0"``), ``uv venv --python X.Y``, ``uv lock`` when the
user has no lock, ``uv sync --active --no-dev (--frozen|--locked) --no-editable``, then ``uv pip
install vercel-runtime==V``; no bytecode is compiled, as the builder compiles only when
``VERCEL_PYTHON_COMPILEALL`` is set (py6562:10368-10387). It installs for the local platform,
so the function can run here; the builder resolves for ``x86_64-unknown-linux-gnu`` (the same
platform on a Linux x86-64 host).

The venv is created with the builder's selected Python when this machine has it
(:func:`find_python`: ``pythonX.Y`` on PATH, pyenv's versions, uv's managed Pythons), else with
the Python running vercel-lab, and :class:`Installed` says which.

A cache entry is ``<cache>/deps/<key>/``, built in ``<cache>/deps/.tmp-<key>-<pid>`` and renamed
into place only after every step succeeded: a failure leaves nothing half-installed. The key is
the manifest's content digest, the requirement set, the Python version and the runtime version.
uv's own output goes to ``progress`` (stderr) as it comes: a first install is never silent.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO

from vercel_lab.builder.entrypoint import BuildError
from vercel_lab.builder.manifest import Manifest
from vercel_lab.builder.python_version import PythonChoice

__all__ = ["InstallError", "Installed", "cache_key", "find_python", "find_uv", "install"]

_COPY_IGNORE = shutil.ignore_patterns(
    ".git", ".vercel", ".venv", "venv", "node_modules", "__pycache__", "*.pyc"
)


#: uv's words for "the package index could not be reached" (offline, DNS, connection, a package
#: that is only missing from an offline cache): vercel-lab's own failure, not the project's.
_NETWORK = (
    "offline",
    "not found in the cache",
    "Failed to fetch",
    "dns error",
    "error sending request",
    "Could not connect",
    "Connection refused",
    "timed out",
    "network",
)


class InstallError(RuntimeError):
    """vercel-lab's own failure (exit status 2): ``str(exc)`` is one line naming the manifest and
    the uv step, e.g. ``could not install the dependencies of requirements.txt: step
    `uv lock` failed: error: ...``."""


@dataclass(frozen=True)
class Installed:
    """``venv``: the cached environment; ``cached``: True when no install ran; ``key``: the cache
    key; ``python_found``: True when the venv runs the selected Python version (False: this
    machine lacks it, so the venv runs vercel-lab's own Python)."""

    venv: Path
    cached: bool
    key: str
    python_found: bool = True

    @property
    def python(self) -> Path:
        """The venv's interpreter."""
        return self.venv / "bin" / "python"


def find_uv() -> str | None:
    """uv on PATH, else beside this interpreter, else the ``uv`` package's binary."""
    beside = Path(sys.executable).with_name("uv")
    if found := shutil.which("uv") or (str(beside) if beside.is_file() else None):
        return found
    try:
        from uv import find_uv_bin  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return None
    try:
        return str(find_uv_bin())
    except FileNotFoundError:
        return None


def _version_of(python: str) -> str | None:
    try:
        done = subprocess.run(
            [python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            check=False,
            timeout=20,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def find_python(version: str) -> str | None:
    """An interpreter of ``version`` (``"3.13"``) on this machine: $VERCEL_LAB_PYTHON_X_Y, this
    interpreter, ``pythonX.Y`` on PATH, pyenv's versions, uv's managed Pythons; None when none
    is found (never downloaded)."""
    candidates = [os.environ.get(f"VERCEL_LAB_PYTHON_{version.replace('.', '_')}", "")]
    if f"{sys.version_info[0]}.{sys.version_info[1]}" == version:
        candidates.append(sys.executable)
    candidates.append(shutil.which(f"python{version}") or "")
    pyenv_root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    candidates += sorted(glob.glob(f"{pyenv_root}/versions/{version}.*/bin/python{version}"))
    uv_root = os.environ.get("UV_PYTHON_INSTALL_DIR") or os.path.expanduser(
        "~/.local/share/uv/python"
    )
    candidates += sorted(glob.glob(f"{uv_root}/cpython-{version}.*/bin/python{version}"))
    for candidate in filter(None, candidates):
        if "/shims/" not in candidate and _version_of(candidate) == version:
            return candidate
    return None


def cache_key(manifest: Manifest, python: PythonChoice, runtime_version: str) -> str:
    """sha256 (hex) over the manifest's content digest, the requirement set, the Python version,
    the runtime version and this platform."""
    payload = json.dumps(
        [
            manifest.digest,
            manifest.kind,
            list(manifest.requirements),
            manifest.installs_project,
            python.version,
            runtime_version,
            sys.platform,
        ]
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _run(
    args: list[str],
    cwd: Path,
    env: dict[str, str],
    step: str,
    manifest: Manifest,
    progress: IO[str],
) -> None:
    proc = subprocess.Popen(
        args, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    assert proc.stderr is not None
    error_lines: list[str] = []
    output: list[str] = []
    for line in proc.stderr:
        # uv's hint to activate the venv names a temporary folder the user never needs.
        if not line.lstrip().startswith("Activate with:"):
            progress.write(line)
            progress.flush()
        output.append(line)
        stripped = line.strip()
        if stripped.startswith("error:") and not error_lines:
            error_lines.append(stripped)
        elif error_lines and len(error_lines) < 2 and stripped.startswith("cause:"):
            error_lines.append(stripped.removeprefix("cause:").strip())
    if proc.wait() != 0:
        where = manifest.path or "no manifest"
        text = "".join(output)
        if step in ("uv lock", "uv sync") and not any(w in text for w in _NETWORK):
            # The project's content fails uv (an unsatisfiable set, a lock for another
            # platform): the build fails on Vercel too, with the builder's text
            # (py6562:5496-5505; the code is vercel-lab's, the builder prints none).
            # The builder's own arguments (it resolves for the platform Vercel runs).
            builder_args = manifest.sync_args if step == "uv sync" else args[1:]
            shown = " ".join(["uv", *builder_args])
            raise BuildError(
                f"UV_{step.split()[1].upper()}_FAILED",
                f'Failed to run "{shown}": Command failed: {shown}\n{text.rstrip()}',
            )
        raise InstallError(
            f"could not install the dependencies of {where}: step `{step}` failed: "
            f"{': '.join(error_lines) or f'exit {proc.returncode}'}"
        )


def _stage(project_root: Path, manifest: Manifest, python: PythonChoice, dest: Path) -> None:
    """Copy the manifest's folder (all of it when the project installs itself), and write the
    converted ``pyproject.toml`` the builder writes for Pipfile* / requirements* / no manifest
    (``requires-python = "~=<python.version>.0"``)."""
    src = project_root / manifest.project_dir
    if manifest.installs_project:
        shutil.copytree(src, dest, ignore=_COPY_IGNORE, symlinks=True)
    else:
        dest.mkdir(parents=True)
        for rel in (manifest.path, manifest.lock):
            if rel is not None and not manifest.converted:
                shutil.copy2(project_root / rel, dest / Path(rel).name)
    if manifest.converted or manifest.path is None:
        deps = ", ".join(json.dumps(r) for r in manifest.requirements if not r.startswith("-e"))
        (dest / "pyproject.toml").write_text(
            f'[project]\nname = "app"\nversion = "0.1.0"\n'
            f'requires-python = "~={python.version}.0"\ndependencies = [{deps}]\n'
        )


#: uv settings that would send the install elsewhere or change what is installed; the rest (the
#: index, certificates, the cache, offline mode) are the user's and kept.
_UV_REDIRECTS = (
    "VIRTUAL_ENV",
    "UV_PROJECT_ENVIRONMENT",
    "UV_PYTHON",
    "UV_FROZEN",
    "UV_LOCKED",
    "UV_NO_SYNC",
    "UV_DEV",
    "UV_NO_DEV",
    "UV_SYSTEM_PYTHON",
    "UV_COMPILE_BYTECODE",
    "UV_LINK_MODE",
)


def _uv_env(offline: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _UV_REDIRECTS}
    env["UV_PYTHON_DOWNLOADS"] = "never"  # the builder's image Pythons only, never a download
    if offline:
        env["UV_OFFLINE"] = "1"
    return env


def install(
    project_root: Path,
    manifest: Manifest,
    python: PythonChoice,
    runtime_version: str,
    cache_dir: Path,
    *,
    offline: bool = False,
    progress: IO[str] | None = None,
) -> Installed:
    """The cached venv for this (manifest, Python, runtime), installing it first when missing.

    Raises :class:`InstallError` (one line) when uv is missing or a uv step cannot reach the
    package index (e.g. offline with an empty uv cache);
    :class:`~vercel_lab.builder.entrypoint.BuildError` (``UV_LOCK_FAILED``/``UV_SYNC_FAILED``)
    when ``uv lock``/``uv sync`` fails on the project's content, as the build would; ValueError
    when ``manifest.error`` is set or ``python.install_fails`` (build errors the plan holds).
    """
    if manifest.error is not None:
        raise ValueError(f"manifest has a build error: {manifest.error.message}")
    if python.install_fails:
        raise ValueError(f"the build fails on the Python pin: {python.failure}")
    key = cache_key(manifest, python, runtime_version)
    final = cache_dir / key
    if (final / "complete.json").is_file():
        found = json.loads((final / "complete.json").read_text()).get("python_found", True)
        return Installed(final / "venv", True, key, bool(found))
    uv = find_uv()
    if uv is None:
        raise InstallError(
            f"could not install the dependencies of {manifest.path or 'no manifest'}:"
            " step `find uv` failed: uv is not installed (`pip install uv`)"
        )
    if progress is None:
        # VERCEL_LAB_QUIET_INSTALL=1 (the docs build sets it): an executed cell's output must
        # not depend on whether the cache was warm, and text on stderr fails a -W build.
        quiet = os.environ.get("VERCEL_LAB_QUIET_INSTALL") == "1"
        progress = open(os.devnull, "w") if quiet else sys.stderr  # noqa: SIM115
    where = manifest.path or "no manifest"
    progress.write(f"vercel-lab: installing the deployed dependencies of {where} (once)...\n")
    executable = find_python(python.version)
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = cache_dir / f".tmp-{key[:16]}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    env = _uv_env(offline)
    try:
        project, venv = tmp / "project", tmp / "venv"
        # Without the selected version here, the venv runs this Python: the converted manifest
        # then asks for it (the builder writes the selected one).
        running = f"{sys.version_info[0]}.{sys.version_info[1]}"
        staged = python if executable else replace(python, version=running)
        _stage(project_root, manifest, staged, project)
        _run(
            [uv, "venv", str(venv), "--relocatable", "--python", executable or sys.executable],
            project,
            env,
            "uv venv",
            manifest,
            progress,
        )
        env_venv = {**env, "VIRTUAL_ENV": str(venv)}
        if manifest.lock is None:
            lock = [uv, "lock", "--python", str(venv / "bin" / "python")]
            _run(lock, project, env_venv, "uv lock", manifest, progress)
        sync = [uv, "sync", "--active", "--no-dev", "--no-editable"]
        sync.append("--frozen" if manifest.lock else "--locked")
        _run(sync, project, env_venv, "uv sync", manifest, progress)
        runtime = [uv, "pip", "install", "--python", str(venv / "bin" / "python")]
        runtime += [f"vercel-runtime=={runtime_version}"]
        _run(runtime, project, env_venv, "uv pip install vercel-runtime", manifest, progress)
        record = {"key": key, "manifest": manifest.path, "python_found": executable is not None}
        (tmp / "complete.json").write_text(json.dumps(record))
        try:
            os.rename(tmp, final)
        except OSError:
            if not (final / "complete.json").is_file():
                raise
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return Installed(final / "venv", False, key, executable is not None)
