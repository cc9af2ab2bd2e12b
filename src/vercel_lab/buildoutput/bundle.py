"""Invoke a function that ``vercel build`` produced, as Lambda would run it.

A ``.func`` folder (``.vercel/output/functions/<route>.func``) is what Vercel deploys: the
generated trampoline ``vc__handler__python.py``, the user's files and a ``_vendor`` folder with
every dependency, ``vercel_runtime`` included, at the release the builder chose.
:class:`BundleFunction` runs it through the same machinery as :class:`~vercel_lab.Function`
(child process, warm instance, outcome mapping), except that the child imports the handler named
by ``.vc-config.json`` from the folder instead of ``vercel_runtime.vc_init`` from this
environment, and sees only the standard library and the bundle (``_child._bundle_handler``).

A standalone build (``vercel build --standalone``) holds every file in the ``.func`` folder. A
plain build lists them in ``filePathMap`` instead (paths relative to the project); the upload
would copy them, so :func:`materialize` does the same into a temporary folder.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from vercel_lab.builder.detect import Entrypoint
from vercel_lab.builder.routing import Resolution
from vercel_lab.buildoutput.reader import (
    FunctionConfig,
    function_folders,
    read_vc_config,
    trampoline_entrypoint,
)
from vercel_lab.platform import DEFAULT_MAX_DURATION
from vercel_lab.runtime.events import Request
from vercel_lab.runtime.function import Function
from vercel_lab.runtime.interpreters import Interpreter

__all__ = ["BundleFunction", "find_function_folder", "materialize", "vendored_runtime"]


def find_function_folder(path: Path) -> Path:
    """The ``.func`` folder that ``path`` names: the folder itself, or the only function of a
    build output folder (``.vercel/output``) or of a project that holds one.

    Raises FileNotFoundError when there is none and :class:`ValueError` listing them when there
    are several (name one).
    """
    path = Path(path)
    if (path / ".vc-config.json").is_file():
        return path
    for output in (path, path / ".vercel" / "output"):
        found = function_folders(output / "functions")
        if len(found) == 1:
            return found[0]
        if found:
            names = ", ".join(str(p) for p in found)
            raise ValueError(f"{path} holds several functions; name one of: {names}")
    raise FileNotFoundError(
        f"no function bundle at {path}: expected a .func folder from `vercel build` "
        "(.vercel/output/functions/...)"
    )


def _project_of(func_dir: Path) -> Path:
    """The project a ``.func`` folder was built from: the parent of ``.vercel/output``."""
    for parent in func_dir.resolve().parents:
        if parent.name == "output" and parent.parent.name == ".vercel":
            return parent.parent.parent
    raise ValueError(
        f"{func_dir} lists its files in filePathMap, relative to the project it was built from, "
        "but is not inside a .vercel/output folder; build with `vercel build --standalone`"
    )


def materialize(func_dir: Path, config: FunctionConfig, target: Path) -> Path:
    """Copy the function folder and the files of its ``filePathMap`` into ``target`` (what the
    upload of a prebuilt deployment puts in ``/var/task``); returns ``target``.

    Raises FileNotFoundError for a listed file that no longer exists.
    """
    project = _project_of(func_dir)
    shutil.copytree(func_dir, target, symlinks=False, dirs_exist_ok=True)
    for inside, source in config.file_path_map.items():
        destination = target / inside
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(project / source, destination)
    return target


def vendored_runtime(task: Path) -> str | None:
    """The ``vercel-runtime`` release inside a bundle's ``_vendor`` folder, or None."""
    for info in sorted((task / "_vendor").glob("vercel_runtime-*.dist-info")):
        return info.name.removeprefix("vercel_runtime-").removesuffix(".dist-info")
    return None


def _runs_as(python: str, version: tuple[int, int]) -> bool:
    """True if ``python`` starts and is ``version``: pyenv's shims answer "command not found"
    for a version that is installed but not selected."""
    try:
        done = subprocess.run(
            [python, "-c", "import sys; print(*sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0 and done.stdout.split() == [str(part) for part in version]


def _python_for(version: tuple[int, int] | None, runtime: str) -> str:
    """An interpreter of the bundle's Python version: this one, ``pythonX.Y`` on PATH, or a
    pyenv-managed version."""
    if version is None:
        raise ValueError(f"not a Python function: its runtime is {runtime!r}")
    if sys.version_info[:2] == version:
        return sys.executable
    name = f"python{version[0]}.{version[1]}"
    pyenv_root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    candidates = [
        shutil.which(name),
        *sorted(glob.glob(f"{pyenv_root}/versions/{name[6:]}.*/bin/{name}"), reverse=True),
    ]
    for candidate in filter(None, candidates):
        if _runs_as(candidate, version):
            return candidate
    raise ValueError(
        f"the bundle needs {runtime} (its _vendor packages are built for it); put {name} on PATH"
    )


class BundleFunction(Function):
    """A function bundle of ``vercel build`` (a ``.func`` folder), run as Lambda runs it.

    ``path`` is the ``.func`` folder, or a build output or project folder with exactly one
    function. The request path is sent as given: which function serves a URL, and which path it
    then sees, is the routes' business (:func:`vercel_lab.builder.routing.resolve`). The maximum
    duration is ``.vc-config.json``'s ``maxDuration`` unless ``max_duration`` is given;
    the environment is ``.vc-config.json``'s, then Vercel's system variables, then ``env``.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        env: Mapping[str, str] | None = None,
        max_duration: float | None = None,
        read_only: bool = True,
        mode: str = "fluid",
    ) -> None:
        self.func_dir = find_function_folder(Path(path).expanduser())
        self.function_config = read_vc_config(self.func_dir)
        python = _python_for(self.function_config.python_version, self.function_config.runtime)
        self._scratch: Path | None = None
        task = self.func_dir
        if self.function_config.file_path_map:
            self._scratch = Path(tempfile.mkdtemp(prefix="vercel-lab-bundle-"))
            task = materialize(self.func_dir, self.function_config, self._scratch / "task")
        module = self.function_config.handler.rpartition(".")[0]
        trampoline = task / f"{module.replace('.', '/')}.py"
        try:
            if not trampoline.is_file():
                raise ValueError(f"the handler module {module!r} is not in {self.func_dir}")
            file, variable = trampoline_entrypoint(trampoline.read_text(encoding="utf-8"))
        except ValueError:
            self._remove_scratch()
            raise
        try:
            super().__init__(
                task,
                entrypoint=f"{file}:{variable}",
                env=env,
                env_file=False,  # on Vercel, variables come from the project settings, not .env
                max_duration=max_duration
                or self.function_config.max_duration
                or DEFAULT_MAX_DURATION,
                read_only=read_only,
                mode=mode,
            )
        except Exception:
            self._remove_scratch()
            raise
        self.runtime_version = vendored_runtime(task) or "unknown"
        self._python = python

    def route(self, request: Request | str) -> Resolution:
        """One bundle, one function: every request reaches it with its own path (the routes
        of the build output chose this bundle and the path already)."""
        path = request.path if isinstance(request, Request) else request
        names = list(self.plan.functions)
        return Resolution("function", names[0], path) if names else Resolution("status", status=404)

    def _interpreter_for(self) -> Interpreter:
        return Interpreter(self._python, self.runtime_version)

    def _child_env(self, entry: Entrypoint, interpreter: Interpreter) -> dict[str, str]:
        env = self._platform_env(self.function_config.environment)  # e.g. PYTHONPATH=_vendor
        # The trampoline sets the __VC_HANDLER_* variables itself, then imports vc_init.
        env["__VCLAB_HANDLER"] = self.function_config.handler
        return env

    def close(self) -> None:
        """Stop the instance and remove the materialized copy, if one was made."""
        self.reset()
        self._remove_scratch()

    def _remove_scratch(self) -> None:
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None
