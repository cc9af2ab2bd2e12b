"""What one invocation came to: what the client received and what the function log holds."""

from __future__ import annotations

import base64
import functools
import re
import sys
import sysconfig
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from vercel_lab import display
from vercel_lab.platform import LANG_ROOT, TASK_ROOT, TRAMPOLINE_FILE, VENDOR_DIR
from vercel_lab.runtime import _child
from vercel_lab.runtime.events import Request
from vercel_lab.runtime.interpreters import cache_root

Phase = Literal["build", "init", "invoke"]


@dataclass(frozen=True)
class Outcome:
    """The result of sending one request to a function, as the client and the log see it.

    ``status`` is None only for a build failure (no deployment exists). ``error_code`` is the
    Vercel or builder code when the platform answered instead of the function, else None.
    ``phase`` says where it failed: ``"build"``, ``"init"`` (cold start) or ``"invoke"``
    (during the request); None when the function answered, whatever its status. ``mode`` is how
    the platform ran it: ``"fluid"`` (IPC mode, the body streamed) or ``"lambda"`` (the legacy
    ``vc_handler`` event, the body buffered). ``ttfb_ms`` is the time from sending the request to
    the runtime to its status line and headers (None when none came); ``duration_ms`` runs to
    the last byte of the body. ``notes`` hold what vercel-lab observed or modelled beyond the
    log; a note starting "modelled:" marks a part of the outcome no public source shows.

    In fluid mode the response is complete before the runtime's ``end`` message closes the
    invocation's log, so the outcome is returned at once and ``log`` is finished on first
    access (it waits for ``end``, bounded by the function's maximum duration); see
    :func:`with_pending_log`.
    """

    request: Request
    status: int | None
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    error_code: str | None = None
    phase: Phase | None = None
    log: str = ""
    cold_start_ms: float | None = None
    duration_ms: float = 0.0
    entrypoint: str | None = None  # "api/index.py:app"
    runtime_version: str = ""
    project: str = ""  # the project folder, so displays can map it to Vercel's /var/task
    notes: tuple[str, ...] = field(default=())  # what vercel-lab itself observed (not the log)
    # -- how it was deployed (issue 11): the dependency set {"mode", "manifest", "python",
    # "cached"}, variable name -> where it came from (never values), files left out -> reason.
    deps: dict[str, Any] | None = None
    env_sources: dict[str, str] = field(default_factory=dict)
    excluded_files: dict[str, str] = field(default_factory=dict)
    preset: str | None = None  # the framework preset the build used ("flask"; None: "Other")
    preset_source: str | None = None  # "detected", "configured" or "override"
    mode: str = "fluid"
    ttfb_ms: float | None = None

    @property
    def ok(self) -> bool:
        """True when the function answered (any status), False when the platform did."""
        return self.error_code is None

    @property
    def text(self) -> str:
        """The response body decoded as UTF-8 (undecodable bytes replaced)."""
        return self.body.decode("utf-8", "replace")

    def header(self, name: str, default: str | None = None) -> str | None:
        """The first value of response header ``name`` (case-insensitive), or ``default``."""
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), default)

    def log_lines(self, containing: str = "") -> list[str]:
        """The log's lines that contain ``containing`` (all lines when empty)."""
        return [line for line in self.log.splitlines() if containing in line]

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` form: exactly the documented keys."""
        try:
            body, encoding = self.body.decode("utf-8"), "text"
        except UnicodeDecodeError:
            body, encoding = base64.b64encode(self.body).decode("ascii"), "base64"
        return {
            "status": self.status,
            "headers": [[name, value] for name, value in self.headers],
            "body": body,
            "body_encoding": encoding,
            "error_code": self.error_code,
            "phase": self.phase,
            "log": self.log,
            "cold_start_ms": None if self.cold_start_ms is None else round(self.cold_start_ms, 1),
            "deps": self.deps,
            "env_sources": self.env_sources,
            "excluded_files": self.excluded_files,
            "preset": self.preset,
            "preset_source": self.preset_source,
            "mode": self.mode,
            "ttfb_ms": None if self.ttfb_ms is None else round(self.ttfb_ms, 1),
        }

    def __str__(self) -> str:
        return display.render_text(self)

    def _repr_html_(self) -> str:
        return display.render_html(self)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))


class _Log:
    """The ``log`` attribute of :class:`Outcome`: a string, or a pending one that a callable
    completes on first read (then kept). A data descriptor, so the frozen dataclass's
    ``__init__``, ``replace``, ``==`` and ``repr`` all go through it."""

    def __get__(self, outcome: Outcome | None, owner: type | None = None) -> Any:
        if outcome is None:
            return ""  # the field's default
        state = outcome.__dict__
        pending = state.get("_log_pending")
        if pending is not None:
            with state["_log_lock"]:
                if state.get("_log_pending") is not None:
                    state["_log_value"] = pending()
                    state["_log_pending"] = None
        value: str = state.get("_log_value", "")
        return value

    def __set__(self, outcome: Outcome, value: str) -> None:
        outcome.__dict__["_log_value"] = value


Outcome.log = _Log()  # type: ignore[assignment]


def with_pending_log(outcome: Outcome, complete: Callable[[], str]) -> Outcome:
    """``outcome``, its ``log`` to be ``complete()`` on first read (fluid mode: the log is
    final at the invocation's ``end``, which follows the body). ``complete`` runs once."""
    outcome.__dict__["_log_lock"] = threading.Lock()
    outcome.__dict__["_log_pending"] = complete
    return outcome


def evolve(
    outcome: Outcome, log_map: Callable[[str], str] | None = None, **changes: Any
) -> Outcome:
    """``dataclasses.replace(outcome, **changes)`` that leaves a pending log pending: reading it
    would wait for the invocation's ``end`` (fluid mode), which a response handed to its client
    at once must not do. ``log_map`` rewrites the log, now or when it completes."""
    state = outcome.__dict__
    if "log" in changes or state.get("_log_pending") is None:
        if log_map is not None and "log" not in changes:
            changes["log"] = log_map(outcome.log)
        return replace(outcome, **changes)
    fresh = replace(outcome, log="", **changes)  # "log" given: the pending one is not read
    mapping = log_map or (lambda text: text)
    return with_pending_log(fresh, lambda: mapping(outcome.log))


@functools.lru_cache(maxsize=8)
def _cache_patterns(cache: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    """Packages vercel-lab installed into its cache (a deployed-dependencies venv, a runtime
    release): on Vercel both are in the bundle's ``_vendor`` folder."""
    cache = re.escape(cache)
    vendor = f"{TASK_ROOT}/{VENDOR_DIR}"
    return (
        (re.compile(cache + r"/envs/[0-9a-f]+/lib/python3\.\d+/site-packages"), vendor),
        (re.compile(cache + r"/runtimes/[\d.]+"), vendor),
        (re.compile(cache + r"/deps/[0-9a-f]+/venv/lib/python3\.\d+/site-packages"), vendor),
        (re.compile(cache + r"/stage/[0-9a-f]+/task"), TASK_ROOT),
    )


@functools.lru_cache(maxsize=64)
def _path_replacements(project: str) -> tuple[tuple[str, str], ...]:
    paths = sysconfig.get_paths()
    vendor = f"{TASK_ROOT}/{VENDOR_DIR}"
    pairs = [
        # The child that imports vc_init plays the part of Vercel's generated trampoline.
        (_child.__file__, f"{TASK_ROOT}/{TRAMPOLINE_FILE}"),
        (project, TASK_ROOT),
        (paths["purelib"], vendor),
        (paths["platlib"], vendor),
        (paths["stdlib"], f"{LANG_ROOT}/lib/python{sys.version_info[0]}.{sys.version_info[1]}"),
    ]
    # Longest first, so a venv inside the project is not half-replaced.
    return tuple(sorted({p for p in pairs if p[0]}, key=lambda p: -len(p[0])))


def local_paths(project: str) -> tuple[tuple[str | re.Pattern[str], str], ...]:
    """This machine's paths and Vercel's for a function of ``project``: vercel-lab's cache and
    this interpreter's site-packages are ``/var/task/_vendor``, the child script is the
    trampoline, the project is ``/var/task``, the standard library is ``/var/lang/lib/...``."""
    return (*_cache_patterns(str(cache_root())), *_path_replacements(project))


display.set_path_map(local_paths)
