"""The I/O edge of the runtime: one child process running one instance of a function.

:class:`Instance` starts ``_child.py`` under a given interpreter, waits for its cold start, sends
invocations and collects replies and the function log with deadlines. It knows nothing of HTTP or
Vercel's error codes; :mod:`vercel_lab.runtime.function` and :mod:`vercel_lab.runtime.edge` map
what happens here to outcomes.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import selectors
import signal
import subprocess
import time
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vercel_lab import logs
from vercel_lab.runtime import _child

CHILD_SCRIPT = Path(_child.__file__)
_END_MARK = _child.END_MARK.encode()

#: The log kept per invocation: the first and the last half of this many bytes. A function that
#: prints megabytes must not exhaust the parent's memory or the notebook that displays it.
LOG_LIMIT_BYTES = 256 * 1024


# The file of vercel-lab's own read-only hook (readonly.py): on Vercel the kernel refuses the
# write, so no frame of it exists there; logs leave this module without its frames.
_OWN_FILE = re.compile(r"[/\\]vercel_lab[/\\]runtime[/\\]readonly\.py$")


def without_own_frames(log: str) -> str:
    """``log`` without traceback frames that belong to vercel-lab rather than to the function."""
    return logs.without_frames(log, _OWN_FILE)


class BoundedLog:
    """Bytes written to the log, keeping the head and the tail when there are too many."""

    def __init__(self, limit: int = LOG_LIMIT_BYTES) -> None:
        self.limit = limit
        self.head = bytearray()
        self.tail = bytearray()
        self.dropped = 0

    def write(self, data: bytes) -> None:
        room = self.limit // 2 - len(self.head)
        if room > 0:
            self.head += data[:room]
            data = data[room:]
        if data:
            self.tail += data
            excess = len(self.tail) - self.limit // 2
            if excess > 0:
                del self.tail[:excess]
                self.dropped += excess

    def text(self) -> str:
        middle = f"\n[... {self.dropped} bytes of log omitted ...]\n" if self.dropped else ""
        return self.head.decode("utf-8", "replace") + middle + self.tail.decode("utf-8", "replace")


@dataclass(frozen=True)
class Reply:
    """What became of one invocation in the child."""

    kind: str  # "result" (vc_handler returned), "error" (it raised), "exit", "timeout"
    result: dict[str, Any] | None = None
    error: str | None = None
    exit_status: int | None = None


@dataclass(frozen=True)
class Startup:
    """What became of the cold start."""

    kind: str  # "ready", "exit", "timeout"
    log: str
    duration_ms: float
    exit_status: int | None = None


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """Kill the child and everything it started (it leads its own process group)."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            process.kill()
    process.wait()


class Instance:
    """One running child process: a warm instance of a function.

    Not thread-safe: one caller at a time (concurrent requests go through :meth:`invoke` as a
    batch, and the child runs them on threads).
    """

    def __init__(self, python: str, cwd: Path, env: Mapping[str, str], *, read_only: bool) -> None:
        control_in_r, control_in_w = os.pipe()
        control_out_r, control_out_w = os.pipe()
        log_r, log_w = os.pipe()
        child_env = dict(env)
        child_env["__VCLAB_CONTROL_IN"] = str(control_in_r)
        child_env["__VCLAB_CONTROL_OUT"] = str(control_out_w)
        child_env["__VCLAB_READ_ONLY"] = "1" if read_only else "0"
        child_env["PYTHONUNBUFFERED"] = "1"
        self.started_at = time.monotonic()
        try:
            self.process = subprocess.Popen(
                [python, str(CHILD_SCRIPT)],
                cwd=cwd,
                env=child_env,
                stdin=subprocess.DEVNULL,
                stdout=log_w,
                stderr=log_w,
                pass_fds=(control_in_r, control_out_w),
                start_new_session=True,  # a group to kill, and no terminal Ctrl-C of its own
            )
        finally:
            for fd in (control_in_r, control_out_w, log_w):
                os.close(fd)
        self._finalizer = weakref.finalize(self, _kill_group, self.process)
        self._control_in = os.fdopen(control_in_w, "wb")
        self._control_out = control_out_r
        self._log_fd = log_r
        self._control_buffer = b""
        self._log_buffer = b""
        self._log: BoundedLog = BoundedLog()
        self._next_id = 0
        self._closed = False

    @property
    def alive(self) -> bool:
        return not self._closed and self.process.poll() is None

    def wait_ready(self, timeout: float) -> Startup:
        """Wait for the cold start to finish (or fail, or exceed ``timeout`` seconds)."""
        deadline = self.started_at + timeout
        messages, outcome = self._pump(deadline, until=lambda msgs, _: bool(msgs))
        log = self._take_log()
        duration = (time.monotonic() - self.started_at) * 1000
        if messages and messages[0].get("type") == "ready":
            return Startup("ready", log, duration)
        if outcome == "timeout":
            self.kill()
            return Startup("timeout", log, duration)
        status = self._reap()
        return Startup("exit", log, duration, exit_status=status)

    def invoke(self, events: Sequence[dict[str, str]], timeout: float) -> tuple[list[Reply], str]:
        """Send ``events`` at once; wait for every reply or ``timeout`` seconds.

        Returns one :class:`Reply` per event, in order, and the log written meanwhile. After an
        ``exit`` or ``timeout`` reply the instance is dead.
        """
        ids = []
        try:
            for event in events:
                ids.append(self._next_id)
                line = json.dumps({"id": self._next_id, "event": event}) + "\n"
                self._control_in.write(line.encode())
                self._next_id += 1
            self._control_in.flush()
        except BrokenPipeError:
            pass  # the child is gone; _pump sees the exit
        wanted = set(ids)
        marks: set[int] = set()
        deadline = time.monotonic() + timeout

        def finished(messages: list[dict[str, Any]], ended: set[int]) -> bool:
            replied = {m.get("id") for m in messages}
            return wanted <= replied and wanted <= ended

        messages, outcome = self._pump(deadline, until=finished, marks=marks)
        by_id = {m.get("id"): m for m in messages}
        if outcome == "timeout":
            self.kill()
        status = self._reap() if outcome == "exit" else None
        replies = []
        for invocation_id in ids:
            message = by_id.get(invocation_id)
            if message is None:
                if outcome == "timeout":
                    replies.append(Reply("timeout"))
                else:
                    replies.append(Reply("exit", exit_status=status))
            elif message.get("type") == "result":
                replies.append(Reply("result", result=message["result"]))
            else:
                replies.append(Reply("error", error=str(message.get("error"))))
        return replies, self._take_log()

    def kill(self) -> None:
        """Stop the instance and everything it started; idempotent."""
        if self._closed:
            return
        self._closed = True
        self._finalizer()
        for closer in (
            self._control_in.close,
            lambda: os.close(self._control_out),
            lambda: os.close(self._log_fd),
        ):
            with contextlib.suppress(OSError):
                closer()

    # -- internals -------------------------------------------------------------------------

    def _reap(self) -> int | None:
        try:
            status = self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            status = None
        self.kill()
        return status

    def _take_log(self) -> str:
        if self._log_buffer:
            self._log.write(self._log_buffer)
            self._log_buffer = b""
        text = without_own_frames(self._log.text())
        self._log = BoundedLog()
        return text

    def _on_log(self, data: bytes, marks: set[int]) -> None:
        """Append log bytes, lifting out the end marks the child writes after each invocation."""
        buffer = self._log_buffer + data
        while (start := buffer.find(_END_MARK)) >= 0:
            end = buffer.find(b"\n", start)
            if end < 0:  # a mark whose id has not arrived yet
                self._log.write(buffer[:start])
                self._log_buffer = buffer[start:]
                return
            marks.add(int(buffer[start + len(_END_MARK) : end]))
            self._log.write(buffer[:start])
            buffer = buffer[end + 1 :]
        # Hold back a tail that could be the beginning of a mark split across two reads.
        keep = len(buffer)
        for size in range(min(len(buffer), len(_END_MARK) - 1), 0, -1):
            if buffer.endswith(_END_MARK[:size]):
                keep -= size
                break
        self._log.write(buffer[:keep])
        self._log_buffer = buffer[keep:]

    def _pump(
        self,
        deadline: float,
        *,
        until: Callable[[list[dict[str, Any]], set[int]], bool],
        marks: set[int] | None = None,
    ) -> tuple[list[dict[str, Any]], str]:
        """Read control messages and the log until ``until(messages, marks)`` holds.

        Returns the control messages and why it stopped: "done", "exit" (the child closed its
        control pipe, so it is exiting) or "timeout".
        """
        ended: set[int] = marks if marks is not None else set()
        messages: list[dict[str, Any]] = []
        if self._closed:
            return messages, "exit"
        selector = selectors.DefaultSelector()
        selector.register(self._control_out, selectors.EVENT_READ, "control")
        selector.register(self._log_fd, selectors.EVENT_READ, "log")
        try:
            while not until(messages, ended):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return messages, "timeout"
                for key, _ in selector.select(remaining):
                    data = os.read(key.fd, 1 << 16)
                    if not data:
                        selector.unregister(key.fd)
                        if key.data == "control":
                            self._drain_log(selector, time.monotonic() + 1.0, ended)
                            return messages, "exit"
                    elif key.data == "log":
                        self._on_log(data, ended)
                    else:
                        messages.extend(self._on_control(data))
            return messages, "done"
        finally:
            selector.close()

    def _drain_log(
        self, selector: selectors.BaseSelector, deadline: float, ended: set[int]
    ) -> None:
        while selector.get_map() and time.monotonic() < deadline:
            ready = selector.select(max(deadline - time.monotonic(), 0))
            if not ready:
                return
            for key, _ in ready:
                data = os.read(key.fd, 1 << 16)
                if not data:
                    selector.unregister(key.fd)
                else:
                    self._on_log(data, ended)

    def _on_control(self, data: bytes) -> list[dict[str, Any]]:
        self._control_buffer += data
        *lines, self._control_buffer = self._control_buffer.split(b"\n")
        return [json.loads(line) for line in lines if line.strip()]


def python_env_base(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The process environment every instance starts from, before Vercel's and the user's own.

    Vercel functions do not inherit the developer's shell; only what keeps an interpreter working
    here is passed (``PATH`` for subprocesses, and the locale and time zone Lambda sets).
    """
    env = {
        "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "TZ": "UTC",
        "TMPDIR": "/tmp",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONNOUSERSITE": "1",
    }
    if extra:
        env.update(extra)
    return env
