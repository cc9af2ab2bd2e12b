"""A function, run locally the way Vercel runs it: build, cold start, invoke, and what it came to.

:class:`Function` "builds" a project with the builder's own detection rules
(:mod:`vercel_lab.builder.detect`), cold-starts each function in a child process under the real
``vercel_runtime.vc_init`` (:mod:`vercel_lab.runtime.process`), keeps it warm between invocations,
and maps every way an invocation can end to what Vercel's edge returns to the client
(:mod:`vercel_lab.runtime.edge`, with :mod:`vercel_lab.platform`'s catalogue): a crash at import is
phase ``init`` and 500 ``FUNCTION_INVOCATION_FAILED``; a crash while handling a request is phase
``invoke`` and the same code; exceeding ``maxDuration`` is 504 ``FUNCTION_INVOCATION_TIMEOUT``;
request bodies over 4.5 MB are 413. A crashed or timed-out instance is discarded, so the next
invocation is a cold start.

Two modes (``mode``): ``"fluid"`` (the default, as Vercel runs Python since Fluid compute became
the default for new projects on 2025-04-23) plays the platform of IPC mode
(``vercel_lab.runtime.fluid``): the body streams, has no size limit, and requests share one
instance. ``"lambda"`` drives the legacy ``vc_handler(event, context)`` entry
(:mod:`vercel_lab.runtime.process`): the body is buffered and over 4.5 MB is 500
``FUNCTION_RESPONSE_PAYLOAD_TOO_LARGE``. No vercel.json key selects the mode: the CLI's
vercel.json schema has none (vercel@58.10.0 ``chunk-IBIZT5M4.js`` l. 58763-58788); Fluid is a
project setting, so lambda mode is asked for explicitly.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from types import TracebackType

from vercel_lab import platform
from vercel_lab.builder import routing
from vercel_lab.builder.config import ProjectConfig
from vercel_lab.builder.detect import project_folder
from vercel_lab.builder.entrypoint import BuildError, Entrypoint
from vercel_lab.builder.plan import AUTO, BuildPlan, build_plan
from vercel_lab.platform import DEFAULT_MAX_DURATION
from vercel_lab.runtime import edge, interpreters, routed
from vercel_lab.runtime.envfile import collect_env
from vercel_lab.runtime.events import EventOptions, Request, send_headers, to_event
from vercel_lab.runtime.exchange import ChunkSink, HeadSink
from vercel_lab.runtime.fluid import FluidInstance
from vercel_lab.runtime.function_base import FunctionBase
from vercel_lab.runtime.interpreters import DependencyMode, Interpreter
from vercel_lab.runtime.outcome import Outcome, evolve, with_pending_log
from vercel_lab.runtime.process import Instance, Reply

__all__ = ["DEFAULT_MAX_DURATION", "MODES", "Function", "invoke"]

#: The platform modes: Fluid (IPC, the default) and the legacy Lambda entry.
MODES = ("fluid", "lambda")


def _host_for(project: Path) -> str:
    slug = re.sub(r"[^a-z0-9-]+", "-", project.name.lower()).strip("-") or "project"
    return f"{slug}.vercel.app"


class Function(FunctionBase):
    """A Vercel project's function(s), run locally under Vercel's real Python runtime.

    ``entrypoint`` (``"api/index.py:handler"``) skips the builder's detection, as
    ``[tool.vercel] entrypoint`` does, so a handler the builder refuses can still be pushed
    through to the runtime. User variables come as on Vercel from the project settings, never
    from a project ``.env``: the pulled ``.vercel/.env.<target>.local`` when ``vercel pull``
    wrote it, then ``env_files`` in order, then ``env`` (``env_file=True`` adds the project's
    ``.env`` as the first ``env_files``); ``target`` (production, preview, development) is also
    ``VERCEL_ENV``. ``max_duration`` overrides ``vercel.json``
    (default :data:`~vercel_lab.platform.DEFAULT_MAX_DURATION`). ``read_only`` makes writes
    outside ``/tmp`` fail as on Vercel. ``dependencies`` is ``"deployed"`` (the default: exactly
    what the builder installs, in a cached venv) or ``"current"`` (this environment: faster,
    unfaithful). ``runtime_version`` runs another ``vercel-runtime`` release. ``framework`` (a
    preset slug, or None for "Other") overrides the preset as the project settings would
    (``--framework``); by default it is detected.

    The function runs from a staged copy of the files its bundle holds
    (:mod:`vercel_lab.runtime.staging`), never from the project itself. Every request goes
    through the build's routes (:attr:`~vercel_lab.builder.plan.BuildPlan.routes`) with the
    router real build output uses (:func:`vercel_lab.builder.routing.resolve`): the function it
    picks sees the path the routes give it (under a preset, a rewrite's destination); static
    files, redirects and statuses are answered by the edge; route headers are set on every
    answer.

    Raises :class:`FileNotFoundError` / :class:`NotADirectoryError` for a bad project path and
    :class:`ValueError` for a malformed option, ``.env`` or ``vercel.json``; a project the
    builder would refuse is not an exception: every invocation returns the build outcome.
    """

    def __init__(
        self,
        project: str | Path,
        *,
        entrypoint: str | None = None,
        env: Mapping[str, str] | None = None,
        env_file: bool = False,
        env_files: Sequence[str | Path] = (),
        target: str = "production",
        max_duration: float | None = None,
        read_only: bool = True,
        dependencies: DependencyMode = "deployed",
        runtime_version: str | None = None,
        region: str = platform.DEFAULT_REGION,
        framework: str | None = AUTO,
        mode: str = "fluid",
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}: {mode!r}")
        self.mode = mode
        root = project_folder(project)
        if max_duration is not None and not max_duration > 0:
            raise ValueError(f"max_duration must be a positive number of seconds: {max_duration}")
        # The builder's plan (configuration read once, then preset, functions, routes); a
        # project the builder refuses keeps its error there and every invocation answers it.
        self.plan: BuildPlan = build_plan(root.resolve(), entrypoint=entrypoint, preset=framework)
        self.project = self.plan.root
        self.config: ProjectConfig = self.plan.config
        self.entrypoints: list[Entrypoint] = list(self.plan.entrypoints)
        self.build_error: BuildError | None = self.plan.build_error
        files = [self.project / ".env"] if env_file and (self.project / ".env").is_file() else []
        files += [Path(f) for f in env_files]
        self.target = target
        self.user_env, self.env_sources = collect_env(
            self.project, target=target, env_files=tuple(files), env=dict(env or {})
        )
        install = self.plan.install
        self.excluded_files: dict[str, str] = dict(install.files.excluded) if install else {}
        #: URL path -> file the build publishes as static (Django's collectstatic), known once
        #: the build steps ran (the first invocation).
        self.static_files: dict[str, Path] = dict(self.plan.static_files)
        self.task_root: Path = self.project  # the staged copy, once made
        self.max_duration = max_duration
        self.read_only = read_only
        self.dependencies: DependencyMode = dependencies
        if runtime_version is not None:
            interpreters.check_release(runtime_version)
        self.runtime_version = runtime_version or interpreters.pinned_runtime()
        self.region = region
        self.event_options = EventOptions(host=_host_for(self.project))
        self._requested_runtime = runtime_version
        self._interpreter: Interpreter | None = None
        self._instances: dict[Entrypoint, Instance | FluidInstance] = {}
        self._start_lock = threading.Lock()

    # -- public API --------------------------------------------------------------------------

    def invoke(
        self,
        request: Request | str = "/",
        *,
        on_head: HeadSink | None = None,
        on_chunk: ChunkSink | None = None,
    ) -> Outcome:
        """Send one request; return what the client and the function log would see.

        In fluid mode, ``on_head(status, headers)`` (the headers as the client gets them) and
        ``on_chunk(data)`` see the function's response as it streams, before this returns;
        neither is called when the platform answers instead (the outcome holds its error).
        Thread-safe in fluid mode: concurrent calls share one instance.
        """
        request = Request.get(request) if isinstance(request, str) else request
        if self.mode == "fluid" and self.build_error is None:
            self._interpreter_for()  # the build's install and steps, once
        fluid = self.mode == "fluid" and self.build_error is None
        if fluid and request.path.split("?")[0] not in self.static_files:
            found = self.route(request)
            if found.kind == "function":
                # Streamed straight through: the route's headers join the function's own.
                def head(status: int, headers: tuple[tuple[str, str], ...]) -> None:
                    if on_head is not None:
                        names = {name.lower() for name, _ in found.headers}
                        kept = tuple((k, v) for k, v in headers if k.lower() not in names)
                        on_head(status, kept + tuple(found.headers))

                entry = self.plan.functions[found.target]
                called = replace(request, path=found.path)
                outcome = self._invoke_fluid(entry, called, head, on_chunk)
                outcome = routed.with_headers(evolve(outcome, request=request), found.headers)
                preset = self.plan.preset
                return self._stamped(
                    routed.with_path_note(outcome, preset, request.path, found.path)
                )
        return self.invoke_many([request])[0]

    def invoke_many(self, requests: Sequence[Request | str]) -> list[Outcome]:
        """Send ``requests`` at once to one warm instance, as concurrent clients would.

        The instance handles them on threads, as Vercel's does. In fluid mode each outcome
        carries its own invocation's log (the runtime tags each line); in lambda mode each
        carries the log of the whole batch. All requests must reach the same function.
        """
        batch = [Request.get(r) if isinstance(r, str) else r for r in requests]
        if not batch:
            return []
        if self.build_error is None:
            self._interpreter_for()  # the build's install and steps, once
        if self.build_error is not None:
            return [self._stamped(self._build_failure(r)) for r in batch]
        if all(r.path.split("?")[0] in self.static_files for r in batch):
            return [self._stamped(self._static(r)) for r in batch]
        return self._invoke_routed(batch)

    def _invoke_routed(self, batch: list[Request]) -> list[Outcome]:
        where = [self.route(r) for r in batch]
        targets = {w.target for w in where if w.kind == "function"}
        if len(targets) > 1:
            raise ValueError("invoke_many: every request must reach the same function")
        called = [
            replace(r, path=w.path)
            for r, w in zip(batch, where, strict=True)
            if w.kind == "function"
        ]
        entry = self.plan.functions[targets.pop()] if called else None
        if entry is None:
            results: list[Outcome] = []
        elif self.mode == "fluid":
            with ThreadPoolExecutor(len(called)) as pool:
                results = list(pool.map(lambda r: self._invoke_fluid(entry, r, None, None), called))
        else:
            results = self._invoke_on(entry, called)
        replies = iter(results)
        outcomes = []
        for request, found in zip(batch, where, strict=True):
            if found.kind == "function":
                outcome = routed.with_headers(evolve(next(replies), request=request), found.headers)
                outcome = routed.with_path_note(outcome, self.plan.preset, request.path, found.path)
            else:
                outcome = routed.answer(self._stamp(), request, found, self._static_root)
                if found.kind == "status" and found.status in (None, 404):
                    outcome = replace(outcome, notes=(self._no_function_note(request.path),))
            outcomes.append(self._stamped(outcome))
        return outcomes

    def route(self, request: Request | str) -> routing.Resolution:
        """Where the build's routes send ``request`` (:func:`vercel_lab.builder.routing.resolve`),
        without running anything."""
        path = request.path if isinstance(request, Request) else request
        return routing.resolve(self.plan.routes, path, self.plan.filesystem)

    @property
    def _static_root(self) -> Path:
        return self.project / self.plan.static_root if self.plan.static_root else self.project

    def _stamped(self, outcome: Outcome) -> Outcome:
        """``outcome`` with the build's preset and how the project was deployed."""
        return evolve(
            self._deployment(outcome),
            preset=self.plan.preset,
            preset_source=self.plan.preset_source,
        )

    def prepare(self) -> None:
        """Run the build's install and steps now (else the first invocation does): may set
        :attr:`build_error`; raises
        :class:`~vercel_lab.runtime.interpreters.EnvironmentSetupError` when the dependency set
        cannot be installed."""
        if self.build_error is None:
            self._interpreter_for()

    def reset(self) -> None:
        """Stop every warm instance: the next invocation is a cold start."""
        for instance in self._instances.values():
            instance.kill()
        self._instances.clear()

    close = reset

    def __enter__(self) -> Function:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Function({str(self.project)!r}, entrypoints={self.describe_entrypoints()})"

    def describe_entrypoints(self) -> list[str]:
        return [f"{e.file}:{e.variable}" for e in self.entrypoints]

    # -- internals ---------------------------------------------------------------------------

    def _invoke_on(self, entry: Entrypoint, batch: list[Request]) -> list[Outcome]:
        duration = self._duration_for(entry)
        cold_start_ms: float | None = None
        init_log = ""
        instance = self._instances.get(entry)
        if not isinstance(instance, Instance) or not instance.alive:
            interpreter = self._interpreter_for()
            instance = Instance(
                interpreter.python,
                self.task_root,
                self._child_env(entry, interpreter),
                read_only=self.read_only,
            )
            startup = instance.wait_ready(duration)
            if startup.kind != "ready":
                instance.kill()
                code, line = platform.death(startup.kind, startup.exit_status, duration, "lambda")
                log = startup.log + line
                return [
                    edge.with_cold_start(
                        self._platform_error(r, code, "init", log, startup.duration_ms, entry),
                        startup.duration_ms,
                    )
                    for r in batch
                ]
            self._instances[entry] = instance
            cold_start_ms = startup.duration_ms
            init_log = startup.log

        oversized = [edge.oversized(r.body) for r in batch]
        events = [
            to_event(r, self.event_options)
            for r, big in zip(batch, oversized, strict=True)
            if not big
        ]
        started = time.monotonic()
        replies: Iterable[Reply] = []
        log = ""
        if events:
            replies, log = instance.invoke(events, duration)
        elapsed = (time.monotonic() - started) * 1000
        if not instance.alive:
            self._instances.pop(entry, None)
        reply_iter = iter(replies)
        outcomes = []
        for request, big in zip(batch, oversized, strict=True):
            if big:  # the edge refuses it: the function is never called
                outcomes.append(
                    self._platform_error(
                        request, "FUNCTION_PAYLOAD_TOO_LARGE", "invoke", "", None, entry
                    )
                )
                continue
            outcome = edge.answer(
                self._stamp(),
                request,
                next(reply_iter),
                init_log + log,
                duration,
                f"{entry.file}:{entry.variable}",
                elapsed,
            )
            if cold_start_ms is not None:
                outcome = edge.with_cold_start(outcome, cold_start_ms)
            outcomes.append(outcome)
        if any(
            o.phase == "invoke" and o.error_code == "FUNCTION_INVOCATION_FAILED" for o in outcomes
        ):
            self._instances.pop(entry, None)
            instance.kill()  # a crashed instance is not reused
        return outcomes

    def _fluid_instance(
        self, entry: Entrypoint, request: Request, duration: float
    ) -> tuple[FluidInstance, float | None] | Outcome:
        """The warm instance of ``entry``, cold-started when there is none (then also its cold
        start in ms), or the init failure's outcome."""
        with self._start_lock:
            instance = self._instances.get(entry)
            if isinstance(instance, FluidInstance) and instance.alive:
                return instance, None
            interpreter = self._interpreter_for()
            fresh = FluidInstance(
                interpreter.python,
                self.task_root,
                self._child_env(entry, interpreter),
                read_only=self.read_only,
            )
            startup = fresh.wait_ready(duration)
            if startup.kind != "ready":
                fresh.kill()
                code, line = platform.death(startup.kind, startup.exit_status, duration, "fluid")
                outcome = self._platform_error(
                    request, code, "init", startup.log + line, startup.duration_ms, entry
                )
                return edge.with_cold_start(outcome, startup.duration_ms)
            self._instances[entry] = fresh  # it hands its init log to its first invocation
            return fresh, startup.duration_ms

    def _invoke_fluid(
        self,
        entry: Entrypoint,
        request: Request,
        on_head: HeadSink | None,
        on_chunk: ChunkSink | None,
    ) -> Outcome:
        """One request through the platform of Fluid (IPC) mode."""
        duration = self._duration_for(entry)
        if edge.oversized(request.body):  # the edge refuses it: the function is never called
            code = "FUNCTION_PAYLOAD_TOO_LARGE"
            return self._platform_error(request, code, "invoke", "", None, entry)
        got = self._fluid_instance(entry, request, duration)
        if isinstance(got, Outcome):
            return got
        instance, cold_start_ms = got
        request_id = platform.new_request_id(self.region)

        def head(status: int, headers: tuple[tuple[str, str], ...]) -> None:
            if on_head is not None:
                on_head(status, edge.client_headers(headers, request_id))

        reply = instance.invoke(
            request.method,
            request.path,
            send_headers(request, self.event_options),
            request.body,
            duration,
            on_head=head,
            on_chunk=on_chunk,
        )
        where = f"{entry.file}:{entry.variable}"
        outcome = edge.answer_fluid(self._stamp(), request, reply, duration, where, request_id)
        if reply.pending is not None:
            outcome = with_pending_log(outcome, reply.pending)
        if reply.exit_status is not None or reply.exchange.timed_out:
            with self._start_lock:
                if self._instances.get(entry) is instance:
                    self._instances.pop(entry)
            instance.kill()  # a dead or hung instance is not reused
        if cold_start_ms is not None:
            outcome = edge.with_cold_start(outcome, cold_start_ms)
        return outcome


def invoke(project: str | Path, request: Request | str = "/", **options: object) -> Outcome:
    """Cold-start ``project``, send one request, stop it: ``Function(project, **options)``."""
    with Function(project, **options) as function:  # type: ignore[arg-type]
        return function.invoke(request)
