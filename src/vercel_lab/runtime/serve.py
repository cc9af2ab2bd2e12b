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

One :class:`~vercel_lab.Function` serves the whole project and is not thread-safe, so requests
reach it one at a time (a lock); the server itself answers on threads. Ctrl-C (or SIGTERM) stops
the server and every function instance it started.
"""

from __future__ import annotations

import signal
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from typing import Any

from vercel_lab.runtime.events import Request
from vercel_lab.runtime.function import Function
from vercel_lab.runtime.interpreters import EnvironmentSetupError
from vercel_lab.runtime.outcome import Outcome

__all__ = ["Server", "serve", "static_file"]

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

    def __init__(self, address: tuple[str, int], function: Function, *, quiet: bool) -> None:
        super().__init__(address, _Handler)
        self.function = function
        self.public = function.project / "public"
        self.quiet = quiet
        self.function_lock = threading.Lock()
        self.print_lock = threading.Lock()

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
        try:
            length = int(self.headers.get("content-length") or 0)
        except ValueError:
            self._answer(400, (), b"Bad Content-Length\n", started, "bad request")
            return
        body = self.rfile.read(length) if length > 0 else b""
        headers = tuple((name.lower(), value) for name, value in self.headers.items())
        request = Request(self.command, self.path, headers, body)
        with self.server.function_lock:
            try:
                outcome = self.server.function.invoke(request)
            except EnvironmentSetupError as exc:  # installing --deployed-deps failed
                self._answer(500, (), f"vercel-lab: {exc}\n".encode(), started, "setup failed")
                return
        assert outcome.status is not None  # the build succeeded, or serve would not start
        self._answer(outcome.status, outcome.headers, outcome.body, started, outcome)

    def _answer(
        self,
        status: int,
        headers: tuple[tuple[str, str], ...],
        body: bytes,
        started: float,
        what: Outcome | str,
    ) -> None:
        self.send_response(status)
        for name, value in headers:
            if name.lower() not in {"content-length", "connection", "server", "date"}:
                self.send_header(name, value)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
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
        if log and not self.server.quiet:
            line += "\n" + "\n".join(f"  | {text}" for text in log.splitlines())
        self.server.log(line)

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _serve


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # SIGTERM (and SIGINT) stop the server the way Ctrl-C does


def serve(
    function: Function, host: str = "127.0.0.1", port: int = 3000, *, quiet: bool = False
) -> None:
    """Serve ``function``'s project until Ctrl-C or SIGTERM, then stop every instance.

    Raises ValueError when the builder refuses the project (no deployment would exist: the
    caller says so instead of serving) and OSError when ``host``:``port`` cannot be bound.
    """
    if function.build_error is not None:
        raise ValueError(f"the build failed: {function.build_error.code}")
    server = Server((host, port), function, quiet=quiet)
    # SIGINT explicitly too: a shell starts background jobs with SIGINT ignored, and Python then
    # leaves it ignored, so Ctrl-C (or kill -INT) would not stop the server.
    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    bound_host, bound_port = server.server_address[:2]
    routes = ", ".join(function.describe_entrypoints()) or "none"
    print(
        f"Serving {function.project} at http://{bound_host!s}:{bound_port} "
        f"(functions: {routes}; preset: {function.plan.preset or 'Other'}, "
        f"{function.plan.preset_source}); Ctrl-C to stop",
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
        function.close()  # kills every instance, even one a request thread still waits on
    print("Stopped; every function instance was stopped.", flush=True)
