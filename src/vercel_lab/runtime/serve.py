"""The server of ``vercel-lab serve``: click around a project locally, routed the way Vercel routes
it (the subcommand itself is :mod:`vercel_lab.cli.serve`).

Each request goes through :meth:`vercel_lab.Function.invoke`, which routes it through the
routes ``vercel build`` would write (:attr:`~vercel_lab.builder.plan.BuildPlan.routes`: cleanUrls,
trailingSlash, redirects, headers, the filesystem, rewrites, the preset's catch-all, the ``miss``
and ``error`` phases) with the router real build output uses
(:func:`vercel_lab.builder.routing.resolve`): static files, redirects and 404s are the edge's,
functions run under the real runtime, so crashes, timeouts and size limits answer with the same
status, ``x-vercel-error`` header and error page as ``vercel-lab invoke``. Not reproduced:
``has``/``missing`` conditions and middleware.

One :class:`~vercel_lab.Function` serves the whole project. In fluid mode (the default)
concurrent requests share its instance and each response streams to the client chunk by chunk
as the runtime writes it (``Transfer-Encoding: chunked``); in lambda mode requests reach it one
at a time (a lock) and each body is sent whole. With ``reload`` a changed project file rebuilds
the function before the next request (its instances stop; the port stays). Each request prints
one line: method, path, status, error code and phase, cold start, duration and mode. Ctrl-C (or
SIGTERM) stops the server and every function instance it started.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from typing import Any

from vercel_lab.runtime.events import Request
from vercel_lab.runtime.function import Function
from vercel_lab.runtime.interpreters import EnvironmentSetupError
from vercel_lab.runtime.outcome import Outcome

__all__ = ["Server", "project_stamp", "serve", "static_file"]

#: Folders whose changes never restart the function (caches, tools, build output).
_NOT_WATCHED = frozenset({".git", "__pycache__", ".vercel", "node_modules", ".venv", ".nox"})


def project_stamp(root: Path) -> tuple[int, int]:
    """(file count, newest modification time in ns) of ``root``'s files, caches left out: any
    edit, new or deleted file changes it."""
    count, newest = 0, 0
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in _NOT_WATCHED]
        for name in files:
            try:
                newest = max(newest, os.stat(os.path.join(folder, name)).st_mtime_ns)
            except OSError:
                continue
            count += 1
    return count, newest


_ALLOWED_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def static_file(public: Path, path: str) -> Path | None:
    """The file of ``public/`` that Vercel serves for request ``path`` (a folder's
    ``index.html`` included), or None; never a file outside ``public/``."""
    bare = path.split("?", 1)[0].split("#", 1)[0]
    relative = bare.lstrip("/")
    if not public.is_dir() or "\x00" in relative:
        return None
    root = public.resolve()
    for candidate in (root / relative, root / relative / "index.html"):
        try:
            real = candidate.resolve()
        except OSError:
            continue
        if real.is_file() and real.is_relative_to(root):
            return real
    return None


class Server(ThreadingHTTPServer):
    """The HTTP server: one project, one function, one log printer."""

    daemon_threads = True  # a request still running never keeps the process alive on Ctrl-C

    def __init__(
        self,
        address: tuple[str, int],
        function: Function,
        *,
        quiet: bool,
        rebuild: Callable[[], Function] | None = None,
    ) -> None:
        super().__init__(address, _Handler)
        self.function = function
        self.public = function.project / "public"
        self.quiet = quiet
        self.rebuild = rebuild
        self.stamp = project_stamp(function.project) if rebuild else (0, 0)
        self.function_lock = threading.Lock()
        self.reload_lock = threading.Lock()
        self.print_lock = threading.Lock()

    def current_function(self) -> Function:
        """The function, rebuilt first when reloading is on and a project file changed."""
        if self.rebuild is None:
            return self.function
        with self.reload_lock:
            stamp = project_stamp(self.function.project)
            if stamp != self.stamp:
                self.stamp = stamp
                old, self.function = self.function, self.rebuild()
                old.close()
                self.log(f"reloaded: a project file changed ({self.function.project})")
            return self.function

    def log(self, text: str) -> None:
        with self.print_lock:
            print(text, flush=True)


class _Handler(BaseHTTPRequestHandler):
    server: Server
    protocol_version = "HTTP/1.1"

    def version_string(self) -> str:
        return "Vercel"  # the Server header Vercel's edge sends

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the standard per-request line: :meth:`_answer` prints its own."""

    def _serve(self) -> None:
        started = time.monotonic()
        function = self.server.current_function()
        try:
            length = int(self.headers.get("content-length") or 0)
        except ValueError:
            self._answer(400, (), b"Bad Content-Length\n", started, "bad request")
            return
        body = self.rfile.read(length) if length > 0 else b""
        headers = tuple((name.lower(), value) for name, value in self.headers.items())
        request = Request(self.command, self.path, headers, body)
        stream = _Stream(self)
        try:
            if function.mode == "fluid":
                outcome = function.invoke(request, on_head=stream.head, on_chunk=stream.chunk)
            else:
                with self.server.function_lock:
                    outcome = function.invoke(request)
        except EnvironmentSetupError as exc:  # installing --deployed-deps failed
            self._answer(500, (), f"vercel-lab: {exc}\n".encode(), started, "setup failed")
            return
        if outcome.status is None:  # a reload whose build failed: no deployment would exist
            message = f"vercel-lab: the build failed: {outcome.error_code}\n{outcome.log}"
            self._answer(500, (), message.encode(), started, outcome)
        elif stream.started:
            stream.finish()
            self._log_line(outcome.status, started, outcome)
        else:
            self._answer(outcome.status, outcome.headers, outcome.body, started, outcome)

    def send_head(
        self, status: int, headers: tuple[tuple[str, str], ...], length: int | None
    ) -> None:
        """Status line and headers (the function's or the platform's, with vercel.json's
        ``headers`` already set by the routes); a body of unknown ``length`` goes chunked."""
        skip = {"content-length", "connection", "server", "date", "transfer-encoding"}
        self.send_response(status)
        for name, value in headers:
            if name.lower() not in skip:
                self.send_header(name, value)
        if length is None:
            self.send_header("transfer-encoding", "chunked")
        else:
            self.send_header("content-length", str(length))
        self.end_headers()

    def _answer(
        self,
        status: int,
        headers: tuple[tuple[str, str], ...],
        body: bytes,
        started: float,
        what: Outcome | str,
    ) -> None:
        self.send_head(status, headers, len(body))
        if self.command != "HEAD":
            self.wfile.write(body)
        self._log_line(status, started, what)

    def _log_line(self, status: int, started: float, what: Outcome | str) -> None:
        """One line per request: method, path, status, error code (phase), cold start,
        duration and mode; then the function log unless ``--quiet``."""
        elapsed = (time.monotonic() - started) * 1000
        line = f"{self.command} {self.path} {status}"
        log = ""
        if isinstance(what, Outcome):
            if what.error_code:
                line += f" {what.error_code}" + (f" ({what.phase})" if what.phase else "")
            elif what.entrypoint is None:  # the edge answered: a static file or a redirect
                line += " redirect" if 300 <= status < 400 else " static"
            if what.cold_start_ms is not None:
                line += f" cold start {what.cold_start_ms:.0f} ms"
            log = what.log.strip("\n")
        elif what:
            line += f" {what}"
        line += f" {elapsed:.1f} ms"
        if isinstance(what, Outcome) and (what.entrypoint is not None or what.phase):
            line += f" [{what.mode}]"  # a function ran (the edge's own answers have no mode)
        if log and not self.server.quiet:
            line += "\n" + "\n".join(f"  | {text}" for text in log.splitlines())
        self.server.log(line)

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _serve


class _Stream:
    """Writes a streamed response to the client as it arrives (chunked); a client that hangs
    up stops the writing, never the invocation."""

    def __init__(self, handler: _Handler) -> None:
        self.handler = handler
        self.started = False
        self.gone = False

    def head(self, status: int, headers: tuple[tuple[str, str], ...]) -> None:
        self.started = True
        try:
            self.handler.send_head(status, headers, 0 if self.handler.command == "HEAD" else None)
        except OSError:
            self.gone = True

    def chunk(self, data: bytes) -> None:
        if self.gone or self.handler.command == "HEAD":
            return
        try:
            self.handler.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.handler.wfile.flush()
        except OSError:
            self.gone = True

    def finish(self) -> None:
        if not self.gone and self.handler.command != "HEAD":
            try:
                self.handler.wfile.write(b"0\r\n\r\n")
            except OSError:
                self.gone = True


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # SIGTERM (and SIGINT) stop the server the way Ctrl-C does


def serve(
    function: Function,
    host: str = "127.0.0.1",
    port: int = 3000,
    *,
    quiet: bool = False,
    rebuild: Callable[[], Function] | None = None,
) -> None:
    """Serve ``function``'s project until Ctrl-C or SIGTERM, then stop every instance.

    Raises ValueError when the builder refuses the project (no deployment would exist: the
    caller says so instead of serving) and OSError when ``host``:``port`` cannot be bound.
    ``rebuild`` (``--reload``) makes a fresh function after a project file changed.
    """
    if function.build_error is not None:
        raise ValueError(f"the build failed: {function.build_error.code}")
    server = Server((host, port), function, quiet=quiet, rebuild=rebuild)
    # SIGINT explicitly too: a shell starts background jobs with SIGINT ignored, and Python then
    # leaves it ignored, so Ctrl-C (or kill -INT) would not stop the server.
    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    bound_host, bound_port = server.server_address[:2]
    routes = ", ".join(function.describe_entrypoints()) or "none"
    print(
        f"Serving {function.project} at http://{bound_host!s}:{bound_port} "
        f"(functions: {routes}; preset: {function.plan.preset or 'Other'}, "
        f"{function.plan.preset_source}; mode: {function.mode}"
        f"{'; reloading on changes' if rebuild else ''}); Ctrl-C to stop",
        flush=True,
    )
    if function.plan.preset_note:
        print(f"Note: {function.plan.preset_note}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        server.server_close()
        server.function.close()  # kills every instance, even one a request thread waits on
    print("Stopped; every function instance was stopped.", flush=True)
