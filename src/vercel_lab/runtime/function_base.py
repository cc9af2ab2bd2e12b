"""The state and the build-side helpers of :class:`~vercel_lab.runtime.function.Function`: how
the project was deployed (the dependency set, the staged copy, Django's build steps, the
variables), the environment of each instance's process, and the platform's own answers (a build
failure, a platform error). :class:`~vercel_lab.runtime.function.Function` adds the request
path: routing, and the two modes that run an instance.

Kept apart so that each module stays one concern; nothing here starts a function's process.
"""

from __future__ import annotations

import mimetypes
import tempfile
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from vercel_lab.builder.config import ProjectConfig
from vercel_lab.builder.entrypoint import BuildError, Entrypoint
from vercel_lab.builder.plan import BuildPlan
from vercel_lab.platform import DEFAULT_MAX_DURATION
from vercel_lab.runtime import edge, interpreters
from vercel_lab.runtime.django_build import run_django_build
from vercel_lab.runtime.events import EventOptions, Request
from vercel_lab.runtime.interpreters import DependencyMode, Interpreter
from vercel_lab.runtime.outcome import Outcome, Phase, evolve
from vercel_lab.runtime.process import python_env_base
from vercel_lab.runtime.staging import stage

__all__ = ["FunctionBase"]


class FunctionBase:
    """What :class:`~vercel_lab.runtime.function.Function` knows of its build and deployment
    (set by its ``__init__``), and the helpers that read it."""

    plan: BuildPlan
    project: Path
    config: ProjectConfig
    entrypoints: list[Entrypoint]
    build_error: BuildError | None
    target: str
    user_env: dict[str, str]
    env_sources: dict[str, str]
    excluded_files: dict[str, str]
    static_files: dict[str, Path]
    task_root: Path
    max_duration: float | None
    read_only: bool
    dependencies: DependencyMode
    runtime_version: str
    region: str
    mode: str
    event_options: EventOptions
    _requested_runtime: str | None
    _interpreter: Interpreter | None

    def _deployment(self, outcome: Outcome) -> Outcome:
        """``outcome`` with how the project was deployed: deps, env sources, left-out files."""
        deps = dict(self._interpreter.deps) if self._interpreter is not None else None
        install = self.plan.install
        if (
            not deps
            and install is not None
            and type(self)._interpreter_for is FunctionBase._interpreter_for
        ):
            # The build stopped before installing: what it would have installed from.
            deps = {
                "mode": self.dependencies,
                "manifest": install.manifest.path,
                "python": install.python.version,
                "cached": None,
            }
        staged, project = str(self.task_root), str(self.project)
        return evolve(
            outcome,
            # the staged copy stands for the project (a pending log is mapped when it completes)
            (lambda log: log.replace(staged, project)) if staged != project else None,
            deps=deps or None,
            env_sources=dict(self.env_sources),
            excluded_files=dict(self.excluded_files),
        )

    def _static(self, request: Request) -> Outcome:
        """A file the build published as static: served by Vercel's CDN, not the function."""
        path = self.static_files[request.path.split("?")[0]]
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        body = path.read_bytes() if request.method != "HEAD" else b""
        stamp = self._stamp()
        headers = (("content-type", kind), ("x-vercel-cache", "HIT"))
        return Outcome(
            request,
            200,
            headers,
            body,
            runtime_version=stamp.runtime_version,
            project=stamp.project,
        )

    def deployment_lines(self, show_files: bool = False) -> list[str]:
        """The text output's lines on how the project was deployed (deps, env, files)."""
        lines = list(self._interpreter.notes) if self._interpreter is not None else []
        if self._interpreter is None and self.plan.install is not None:
            where = self.plan.install.manifest.path or "no manifest"
            lines.append(
                f"deps: {self.dependencies} set from {where}: not installed (build failed)"
            )
        names = ", ".join(f"{k} ({v})" for k, v in sorted(self.env_sources.items()))
        lines.append(f"env: {names or 'no user variables'} (VERCEL_ENV={self.target})")
        if show_files:
            lines += [f"excluded: {p} ({why})" for p, why in sorted(self.excluded_files.items())]
        elif self.excluded_files:
            lines.append(f"files: {len(self.excluded_files)} left out of the bundle (--show-files)")
        return lines

    def _no_function_note(self, path: str) -> str:
        if not self.entrypoints:
            return (
                f"No function serves {path}: the builder found no Python entrypoint in this "
                "project (see docs/tutorial/02-root-cause)."
            )
        routes = ", ".join(e.route for e in self.entrypoints)
        return f"No function serves {path}: this project's functions answer at {routes}."

    def _duration_for(self, entry: Entrypoint) -> float:
        if self.max_duration is not None:
            return self.max_duration
        configured = self.config.max_duration_for(entry.file)
        return configured if configured is not None else DEFAULT_MAX_DURATION

    def _interpreter_for(self) -> Interpreter:
        """The interpreter, after the build's install and steps (once): the dependency set, the
        staged copy of the bundle's files, Django's settings and collectstatic (which may set
        :attr:`build_error`)."""
        if self._interpreter is None:
            install = self.plan.install
            try:
                self._interpreter = interpreters.resolve(
                    self.project, self.dependencies, self._requested_runtime, install
                )
            except BuildError as exc:  # uv fails on the project's content: so does the build
                self.build_error = exc
                self._interpreter = interpreters.failed_install(install)
                return self._interpreter
            if install is not None:
                cache = interpreters.cache_root() / "stage"
                if not self.read_only:  # writes land in the copy: never in a shared one
                    cache = Path(tempfile.mkdtemp(prefix="vercel-lab-task-"))
                self.task_root = stage(self.project, install.files, cache)
                if self.plan.preset == "django":
                    self._django_build(self._interpreter)
        return self._interpreter

    def _django_build(self, interpreter: Interpreter) -> None:
        key = f"{self.task_root.parent.name[:24]}-{interpreter.deps.get('python')}"
        output = interpreters.cache_root() / "static" / key
        env = {**self._platform_env(), "VERCEL_ENV": self.target}
        done = run_django_build(interpreter.python, self.task_root, self.project, env, output)
        if done.error is not None:
            self.build_error = done.error
        self.static_files.update(done.static_files)

    def _platform_env(self, bundle_env: Mapping[str, str] | None = None) -> dict[str, str]:
        """What every instance's process sees: the base, a bundle's own variables, Vercel's
        system variables, then the user's."""
        env = python_env_base(bundle_env)
        env.update(
            {
                # Vercel's system environment variables
                # (https://vercel.com/docs/environment-variables/system-environment-variables).
                "VERCEL": "1",
                "VERCEL_ENV": self.target,
                "VERCEL_URL": self.event_options.host,
                "VERCEL_REGION": self.region,
            }
        )
        env.update(self.user_env)
        return env

    def _child_env(self, entry: Entrypoint, interpreter: Interpreter) -> dict[str, str]:
        env = self._platform_env()
        env.update(
            {
                # What the generated trampoline sets before importing vc_init
                # (createRuntimeTrampoline in @vercel/python's dist/index.js).
                "__VC_HANDLER_MODULE_NAME": entry.module_name,
                "__VC_HANDLER_ENTRYPOINT": entry.file,
                "__VC_HANDLER_ENTRYPOINT_ABS": str(self.task_root / entry.file),
                "__VC_HANDLER_VENDOR_DIR": "_vendor",
                "__VC_HANDLER_VARIABLE_NAME": entry.variable,
                "__VCLAB_EXTRA_PATH": ":".join(interpreter.extra_path),
                "__VCLAB_READ_ONLY_PATHS": str(self.project),
            }
        )
        return env

    def _stamp(self) -> edge.Stamp:
        return edge.Stamp(self.region, self.runtime_version, str(self.project), self.mode)

    def _build_failure(self, request: Request) -> Outcome:
        assert self.build_error is not None
        error = self.build_error
        outcome = edge.build_failure(self._stamp(), request, error.code, error.message)
        install = self.plan.install
        if install is None or error.code not in ("UV_SYNC_FAILED", "DJANGO_SETTINGS_FAILED"):
            return outcome
        # The builder's own lines before its error (Python selection, the manifest it installs).
        lines = [*install.python.log_lines, install.manifest.log_line]
        return replace(outcome, log="".join(f"{line}\n" for line in lines) + outcome.log)

    def _platform_error(
        self,
        request: Request,
        code: str,
        phase: Phase | None,
        log: str,
        elapsed_ms: float | None,
        entry: Entrypoint | None = None,
    ) -> Outcome:
        where = f"{entry.file}:{entry.variable}" if entry else None
        return edge.platform_error(self._stamp(), request, code, phase, log, elapsed_ms, where)
