"""vercel-lab playing the platform for one Fluid (IPC mode) instance of a Python function.

The platform side of the protocol of ``vercel_runtime/vc_init.py`` (messages:
:mod:`vercel_lab.runtime.ipc`): listen on a Unix stream socket, start the child
(``_child.py`` with ``__VCLAB_MODE=fluid``) with ``VERCEL_IPC_PATH`` naming it, accept the
runtime's one connection, wait for ``server-started {httpPort}`` (or ``unrecoverable-error`` and
exit status 1 at a failed cold start), then send each request as plain HTTP/1.1 to
``127.0.0.1:httpPort`` with ``x-vercel-internal-invocation-id`` / ``-request-id`` (read and
stripped by the runtime: 0.24.1 l. 955-986 WSGI, l. 665-697 ASGI). A reader thread files the
``log`` messages under their invocation, and ``end`` marks an invocation's end. Concurrent
requests share the instance: the runtime serves each on its own thread (WSGI
``ThreadingHTTPServer``) or task (uvicorn).

Modelled (no public source): the invocation-id format (32 hex digits), the request-id sequence
(1, 2, ...), and giving log lines that come without an invocation id (written outside a request
context, e.g. uvicorn's ``Exception in ASGI application`` after Starlette's 500, which arrives
after ``end``) to the one invocation in flight, else to the invocation that ended last
(:meth:`FluidInstance._file_log`).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import tempfile
import threading
import time
import uuid
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from vercel_lab.runtime.exchange import ChunkSink, Exchange, HeadSink, exchange
from vercel_lab.runtime.ipc import NO_INVOCATION, FrameDecoder, LogLine, Message, decode_log
from vercel_lab.runtime.ipc import log_text as line_text
from vercel_lab.runtime.process import (
    CHILD_SCRIPT,
    BoundedLog,
    Startup,
    _kill_group,
    without_own_frames,
)

__all__ = ["FluidInstance", "FluidReply"]

#: How long the IPC socket must stay quiet after a failed response before its log is final
#: (lines the runtime writes after ``end`` come within milliseconds), and the bound of that wait.
SETTLE_S = 0.05
SETTLE_BOUND_S = 2.0


@dataclass
class _Record:
    """The IPC side of one invocation (written by the reader thread under the lock)."""

    invocation_id: str
    request_id: int
    log: BoundedLog = field(default_factory=BoundedLog)
    after_end: int = 0  # untagged lines given to it after its end (modelled)
    ended: threading.Event = field(default_factory=threading.Event)
    ended_at: float = 0.0  # time.monotonic() when its end came


@dataclass(frozen=True)
class FluidReply:
    """One invocation through the platform: the HTTP ``exchange``, the function ``log`` (text),
    whether the runtime sent ``end``, the process's ``exit_status`` when it died (negative: a
    signal), and ``after_end``: how many untagged lines were attributed to it after its end.
    ``pending``, when set, completes the log later (a response that came whole: its log is
    final at ``end``, which the caller need not wait for); ``log`` is then empty."""

    exchange: Exchange
    log: str
    ended: bool
    exit_status: int | None
    after_end: int
    pending: Callable[[], str] | None = None


class FluidInstance:
    """One child process running ``vercel_runtime.vc_init`` in IPC mode: a warm Fluid instance.

    ``python`` must import ``vercel_runtime``; ``cwd`` is the bundle root; ``env`` the process
    environment (the ``__VC_HANDLER_*`` variables included). ``hive`` makes the runtime take its
    Hive (Fluid compute) branch. Thread-safe: :meth:`invoke` may run on many threads at once.
    """

    def __init__(
        self,
        python: str,
        cwd: os.PathLike[str] | str,
        env: Mapping[str, str],
        *,
        read_only: bool,
        hive: bool = True,
    ) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="vercel-lab-ipc-")
        self._sock_path = os.path.join(self._tmp.name, "ipc.sock")
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._listener.bind(self._sock_path)
        self._listener.listen(1)
        child_env = dict(env)
        child_env.update(
            {
                "VERCEL_IPC_PATH": self._sock_path,
                "PYTHONUNBUFFERED": "1",
                "__VCLAB_MODE": "fluid",
                "__VCLAB_READ_ONLY": "1" if read_only else "0",
            }
        )
        if hive:
            child_env["__VCLAB_HIVE"] = "1"
        self.started_at = time.monotonic()
        self.process = subprocess.Popen(
            [python, str(CHILD_SCRIPT)],
            cwd=cwd,
            env=child_env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._finalizer = weakref.finalize(self, _kill_group, self.process)
        self.http_port: int | None = None
        self.unrecoverable: str | None = None
        self._lock = threading.Lock()
        self._records: dict[str, _Record] = {}
        self._last_ended: _Record | None = None
        self._init_log: list[str] = []
        self._output = BoundedLog()  # what the process wrote to its real stdout/stderr
        self._server_started = threading.Event()
        self._ipc_closed = threading.Event()
        self._last_untagged_at = 0.0  # when the last line without an invocation id came
        self._request_ids = iter(range(1, 1 << 62))
        self._closed = False
        self._threads: list[threading.Thread] = []
        self._spawn(self._read_output)

    @property
    def alive(self) -> bool:
        return not self._closed and self.process.poll() is None and not self._ipc_closed.is_set()

    # -- cold start -------------------------------------------------------------------------

    def wait_ready(self, timeout: float) -> Startup:
        """Wait for ``server-started`` (kind "ready"), the process's exit ("exit", after
        ``unrecoverable-error`` when vc_init sent one) or ``timeout`` seconds ("timeout"). The
        log of a failed start is what the process wrote to stderr: vc_init's fatal text, then
        the init-log buffer it flushes at exit (init_log_buffer.py l. 79-88)."""
        deadline = self.started_at + timeout
        conn = self._accept(deadline)
        self._listener.close()
        if conn is not None:
            self._spawn(self._read_ipc, conn)
            while time.monotonic() < deadline and self.process.poll() is None:
                if self._server_started.wait(0.01):
                    break
        duration = (time.monotonic() - self.started_at) * 1000
        if self.http_port is not None:  # the start-up output goes to the first invocation
            with self._lock:
                self._init_log.insert(0, self._output_text())
            return Startup("ready", "", duration)
        if self.process.poll() is None and time.monotonic() >= deadline:
            self.kill()
            return Startup("timeout", without_own_frames(self._output_text()), duration)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(5)
        for thread in self._threads:
            thread.join(2)
        status = self.process.poll()
        with self._lock:
            log = self._output_text() + "".join(self._init_log)
        self.kill()
        return Startup("exit", without_own_frames(log), duration, exit_status=status)

    def _accept(self, deadline: float) -> socket.socket | None:
        self._listener.settimeout(0.01)
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            conn.settimeout(None)
            return conn
        return None

    # -- requests ---------------------------------------------------------------------------

    def invoke(
        self,
        method: str,
        path: str,
        headers: Sequence[tuple[str, str]],
        body: bytes,
        timeout: float,
        *,
        on_head: HeadSink | None = None,
        on_chunk: ChunkSink | None = None,
    ) -> FluidReply:
        """Send one request with the platform's internal headers and read the streamed body.

        The response is complete when the body is. For a whole response below 500 the reply
        comes at once and its ``pending`` completes the log: it waits for the invocation's
        ``end`` (which follows the body; ``wait_until`` work delays it), bounded by ``timeout``,
        then for the socket to go quiet (late untagged lines are given to it, modelled, without
        an ``after_end`` count: the reply has gone).
        Otherwise ``end`` is awaited before returning, and after a failed response
        (status >= 500, a dropped or cut connection) the log is collected until the IPC socket
        has been quiet for :data:`SETTLE_S`, so lines the runtime writes after ``end`` are in it.
        """
        if self.http_port is None:
            raise RuntimeError("the instance has not started")
        record = _Record(uuid.uuid4().hex, next(self._request_ids))
        with self._lock:
            self._records[record.invocation_id] = record
            for text in self._init_log:  # flushed by server-started (init_log_buffer.py l. 68)
                record.log.write(text.encode())
            self._init_log.clear()
        internal = (
            ("x-vercel-internal-invocation-id", record.invocation_id),
            ("x-vercel-internal-request-id", str(record.request_id)),
        )
        started = time.monotonic()
        result = exchange(
            self.http_port,
            method,
            path,
            (*headers, *internal),
            body,
            timeout=timeout,
            on_head=on_head,
            on_chunk=on_chunk,
        )
        remaining = max(timeout - (time.monotonic() - started), 0.0)
        if result.status is not None and result.status < 500 and not result.truncated:
            return FluidReply(result, "", True, None, 0, self._completer(record, remaining))
        exit_status: int | None = None
        if result.timed_out:
            ended = False
        else:
            ended = record.ended.wait(remaining if result.status is not None else 2.0)
        if result.dropped or result.truncated or not ended:
            with contextlib.suppress(subprocess.TimeoutExpired):
                exit_status = self.process.wait(0.5 if not self._ipc_closed.is_set() else 5)
        if result.status is None or result.status >= 500 or result.truncated:
            self._settle(record.ended_at or time.monotonic())
        with self._lock:
            self._records.pop(record.invocation_id, None)
            log = record.log.text()
        ended = ended and not self._ipc_closed.is_set()
        return FluidReply(result, without_own_frames(log), ended, exit_status, record.after_end)

    def _completer(self, record: _Record, bound: float) -> Callable[[], str]:
        deadline = time.monotonic() + bound

        def complete() -> str:
            # end, then the lines the runtime writes after it (a WSGI body cut by an exception
            # leaves a 200 and socketserver's traceback, untagged, just after end)
            if record.ended.wait(max(deadline - time.monotonic(), 0.0)):
                self._settle(record.ended_at)
            with self._lock:
                self._records.pop(record.invocation_id, None)
                text = record.log.text()
            return without_own_frames(text)

        return complete

    def _settle(self, since: float) -> None:
        """Wait until no untagged line has come for :data:`SETTLE_S` after ``since`` (an
        invocation's end), at most :data:`SETTLE_BOUND_S`: the lines the runtime writes after
        ``end`` come within milliseconds. Other invocations' tagged lines do not delay it."""
        limit = time.monotonic() + SETTLE_BOUND_S
        while (now := time.monotonic()) < limit:
            with self._lock:
                quiet = now - max(since, self._last_untagged_at)
            if quiet >= SETTLE_S:
                return
            time.sleep(SETTLE_S - quiet)

    # -- lifecycle --------------------------------------------------------------------------

    def kill(self) -> None:
        """Stop the process group and the reader threads; idempotent."""
        if self._closed:
            return
        self._closed = True
        self._finalizer()
        with contextlib.suppress(OSError):
            self._listener.close()
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join(5)
        self._tmp.cleanup()

    def _spawn(self, target: object, *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)  # type: ignore[arg-type]
        thread.start()
        self._threads.append(thread)

    # -- reader threads ---------------------------------------------------------------------

    def _output_text(self) -> str:
        return self._output.text()

    def _read_output(self) -> None:
        """The process's real stdout/stderr: before ``server-started`` the start-up output;
        afterwards (writes below ``sys.stdout``, subprocesses) untagged function log."""
        assert self.process.stdout is not None
        fd = self.process.stdout.fileno()
        while chunk := os.read(fd, 1 << 16):
            with self._lock:
                if self.http_port is None:
                    self._output.write(chunk)
                else:
                    text = chunk.decode("utf-8", "replace")
                    self._file_log(LogLine(NO_INVOCATION, text, "stdout", None))
        self.process.stdout.close()

    def _read_ipc(self, conn: socket.socket) -> None:
        decoder = FrameDecoder()
        with conn, contextlib.suppress(OSError):
            while data := conn.recv(1 << 16):
                for message in decoder.feed(data):
                    self._dispatch(message)
        self._ipc_closed.set()
        with self._lock:
            for record in self._records.values():
                record.ended.set()

    def _dispatch(self, message: Message) -> None:
        with self._lock:
            kind, payload = message.kind, message.payload
            if kind == "log":
                self._file_log(decode_log(message))
            elif kind == "end":
                record = self._records.pop(message.invocation_id or "", None)
                if record is not None:  # its log is final (late untagged lines aside)
                    record.ended_at = time.monotonic()
                    self._last_ended = record
                    record.ended.set()
            elif kind == "server-started":
                self.http_port = int(payload["httpPort"])
                self._server_started.set()
            elif kind == "unrecoverable-error":
                self.unrecoverable = str(payload.get("message", ""))

    def _file_log(self, line: LogLine) -> None:
        """File one line (caller holds the lock). Tagged lines go to their invocation. An
        untagged line goes to the one invocation in flight, else to the invocation whose ``end``
        came last (MODELLED: the platform's own attribution is not public; with several
        requests in flight the line stays with none of them and is dropped into the last
        ended one), else, before any request, to the init log."""
        text = line_text(line)
        if line.invocation_id == NO_INVOCATION:
            self._last_untagged_at = time.monotonic()
        else:
            record = self._records.get(line.invocation_id)
            if record is not None:  # else its invocation has returned: nobody reads it
                record.log.write(text.encode())
            return
        in_flight = [r for r in self._records.values() if not r.ended.is_set()]
        if len(in_flight) == 1:
            in_flight[0].log.write(text.encode())
        elif self._last_ended is not None:
            self._last_ended.log.write(text.encode())
            self._last_ended.after_end += 1
        else:
            self._init_log.append(text)
