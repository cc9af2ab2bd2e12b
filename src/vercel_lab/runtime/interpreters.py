"""Which Python, with which packages, runs a function: "as deployed" or the current environment.

- ``deployed`` (the default): a virtual environment holding only the runtime and exactly what the
  builder installs from the manifest it picks (:mod:`vercel_lab.builder.manifest`), under the
  Python version it selects (:mod:`vercel_lab.builder.python_version`), installed once per
  manifest content, Python and runtime into an atomic cache (:mod:`vercel_lab.runtime.installer`).
  It never sees the packages installed beside vercel-lab, so "works locally,
  ``ModuleNotFoundError`` on Vercel" reproduces.
- ``current`` (explicit, faster, unfaithful): the interpreter running ``vercel_lab``, with every
  package it can import. A package missing from ``requirements.txt`` still imports here.

A ``runtime_version`` other than the pinned one is installed once into the cache with
``--no-deps`` (releases of ``vercel-runtime`` have no dependencies) and put ahead of the installed
one on the child's ``sys.path``.

The cache lives in ``$VERCEL_LAB_CACHE``, else ``$XDG_CACHE_HOME/vercel-lab``, else
``~/.cache/vercel-lab``. Creating an entry needs the package index; a failure raises
:class:`EnvironmentSetupError` with the installer's output.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from vercel_lab.builder.plan import Install


@functools.cache
def pinned_runtime() -> str:
    """The runtime release this package pins (see pyproject.toml); the site's outputs depend on
    it. Read once, when first needed: importlib.metadata is slow to import for every command."""
    import importlib.metadata

    return importlib.metadata.version("vercel-runtime")


def __getattr__(name: str) -> str:
    # ``PINNED_RUNTIME`` stays available as a module attribute, computed on first use.
    if name == "PINNED_RUNTIME":
        return pinned_runtime()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


DependencyMode = Literal["current", "deployed"]


class EnvironmentSetupError(RuntimeError):
    """An environment could not be created (no network, a requirement that does not exist...)."""


@dataclass(frozen=True)
class Interpreter:
    """How to start a function's child process."""

    python: str
    runtime_version: str
    extra_path: tuple[str, ...] = ()  # folders put ahead of site-packages (a runtime release)
    #: ``{"mode", "manifest", "python", "cached"}``: the dependency set (``--json`` key ``deps``)
    deps: Mapping[str, object] = field(default_factory=dict)
    notes: tuple[str, ...] = ()  # what the text output says about it (one line each)


def cache_root() -> Path:
    if configured := os.environ.get("VERCEL_LAB_CACHE"):
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "vercel-lab"


def declared_requirements(project: Path) -> list[str]:
    """What the project declares, as installer arguments (``-r FILE`` or requirement strings)."""
    requirements = project / "requirements.txt"
    if requirements.is_file():
        return ["-r", str(requirements)]
    pyproject = project / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise EnvironmentSetupError(f"cannot read {pyproject}: {exc}") from exc
        dependencies = data.get("project", {}).get("dependencies", [])
        return [str(d) for d in dependencies]
    return []


def _fingerprint(parts: list[str]) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def _requirement_text(project: Path, args: list[str]) -> list[str]:
    """The content that decides a dependency set: requirement files are read, not named."""
    if args[:1] == ["-r"]:
        return Path(args[1]).read_text(encoding="utf-8", errors="replace").splitlines()
    return args


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Serialise creation of one cache entry between processes (parallel tests, notebooks)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.parent / f"{path.name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _run_installer(argv: list[str]) -> None:
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise EnvironmentSetupError(
            f"installing failed ({' '.join(argv[:3])} ... exit {done.returncode}):\n"
            f"{done.stdout[-2000:]}{done.stderr[-4000:]}"
        )


def find_uv() -> str | None:
    """uv on PATH, else beside this interpreter (a venv that has uv installed but not activated)."""
    beside = Path(sys.executable).with_name("uv")
    return shutil.which("uv") or (str(beside) if beside.is_file() else None)


def _pip_args(python: str) -> list[str]:
    """``python -m pip``, or :class:`EnvironmentSetupError` when neither uv nor pip is there."""
    if python == sys.executable and importlib.util.find_spec("pip") is None:
        raise EnvironmentSetupError(
            "installing needs uv or pip: `pip install uv` (or create the venv with pip)"
        )
    return [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]


def _install(target_python: str, packages: list[str]) -> None:
    uv = find_uv()
    if uv:
        # Compiled now, as Vercel's builder does (vc_compileall.py): functions never write .pyc.
        _run_installer(
            [
                uv,
                "pip",
                "install",
                "--quiet",
                "--compile-bytecode",
                "--python",
                target_python,
                *packages,
            ]
        )
    else:
        _run_installer([*_pip_args(target_python), *packages])


_VERSION = re.compile(r"\d+(\.\d+){1,2}")


def check_release(version: str) -> str:
    """``version`` itself; :class:`ValueError` if it is not a release number like ``0.10.0``."""
    if not _VERSION.fullmatch(version):
        raise ValueError(f"not a vercel-runtime release number: {version!r} (e.g. 0.10.0)")
    return version


def runtime_release(version: str) -> Path:
    """A folder holding ``vercel_runtime`` at ``version``, installed once into the cache."""
    check_release(version)
    folder = cache_root() / "runtimes" / version
    if (folder / "vercel_runtime" / "vc_init.py").is_file():
        return folder
    with _locked(folder):
        if not (folder / "vercel_runtime" / "vc_init.py").is_file():
            staging = folder.with_name(folder.name + ".partial")
            shutil.rmtree(staging, ignore_errors=True)
            _install(
                sys.executable,
                ["--no-deps", "--target", str(staging), f"vercel-runtime=={version}"],
            )
            shutil.rmtree(folder, ignore_errors=True)
            staging.rename(folder)
    return folder


def deployed_environment(project: Path) -> Path:
    """The interpreter of a cached venv with only the runtime and the project's declared deps."""
    requirements = declared_requirements(project)
    key = _fingerprint([sys.version, pinned_runtime(), *_requirement_text(project, requirements)])
    venv = cache_root() / "envs" / key
    python = venv / "bin" / "python"
    if (venv / ".complete").is_file():
        return python
    with _locked(venv):
        if not (venv / ".complete").is_file():
            shutil.rmtree(venv, ignore_errors=True)
            # uv installs into a venv from outside; pip has to live inside it.
            without_pip = ["--without-pip"] if find_uv() else []
            _run_installer([sys.executable, "-m", "venv", *without_pip, str(venv)])
            _install(str(python), [f"vercel-runtime=={pinned_runtime()}", *requirements])
            (venv / ".complete").write_text("\n".join(requirements) + "\n")
    return python


def _deployed(project: Path, install: Install, runtime: str) -> tuple[str, dict[str, object], str]:
    """The deployed set's interpreter, its ``deps`` value and the text line about it."""
    from vercel_lab.runtime.installer import InstallError
    from vercel_lab.runtime.installer import install as install_deps

    manifest, python = install.manifest, install.python
    try:
        done = install_deps(project, manifest, python, runtime, cache_root() / "deps")
    except InstallError as exc:
        raise EnvironmentSetupError(str(exc)) from None
    deps: dict[str, object] = {
        "mode": "deployed",
        "manifest": manifest.path,
        "python": python.version,
        "cached": done.cached,
    }
    where = manifest.path or "no manifest"
    line = (
        f"deps: deployed set from {where} (Python {python.version}, "
        f"{'cached' if done.cached else 'installed now'})"
    )
    if not done.python_found:
        running = f"{sys.version_info[0]}.{sys.version_info[1]}"
        line += f"; Python {python.version} is not on this machine: running under {running}"
    return str(done.python), deps, line


def failed_install(install: Install | None) -> Interpreter:
    """A stand-in interpreter for a deployed set whose install failed as the build does: it
    carries the ``deps`` value (``cached`` False) and is never started."""
    deps: dict[str, object] = {
        "mode": "deployed",
        "manifest": install.manifest.path if install else None,
        "python": install.python.version if install else None,
        "cached": False,
    }
    return Interpreter(sys.executable, pinned_runtime(), (), deps, ())


def resolve(
    project: Path,
    dependencies: DependencyMode = "deployed",
    runtime_version: str | None = None,
    install: Install | None = None,
) -> Interpreter:
    """The interpreter for ``project`` in the given mode and runtime release.

    ``install`` is the build plan's step 5 (computed from ``project`` when None). Raises
    :class:`EnvironmentSetupError` (one line naming the manifest and the uv step) when the
    deployed set cannot be installed, ValueError for a bad mode or a manifest with a build error.
    """
    if dependencies not in ("current", "deployed"):
        raise ValueError(f"dependencies must be 'current' or 'deployed', not {dependencies!r}")
    version = runtime_version or pinned_runtime()
    extra: tuple[str, ...] = ()
    if version != pinned_runtime():
        extra = (str(runtime_release(version)),)
    if dependencies == "current":
        running = f"{sys.version_info[0]}.{sys.version_info[1]}"
        deps: dict[str, object] = {
            "mode": "current",
            "manifest": None,
            "python": running,
            "cached": None,
        }
        line = (
            "deps: current environment (--deps current: faster, unfaithful: packages "
            "installed beside vercel-lab import here, not on Vercel)"
        )
        return Interpreter(sys.executable, version, extra, deps, (line,))
    if install is None:
        from vercel_lab.builder.plan import build_plan

        plan = build_plan(project)
        if plan.install is None:
            raise ValueError(f"the build stopped before installing: {plan.build_error}")
        install = plan.install
    python, deps, line = _deployed(project, install, pinned_runtime())
    return Interpreter(python, version, extra, deps, (line,))
