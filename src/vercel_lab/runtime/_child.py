"""The child process: one warm instance of a Vercel Python function.

Run as a script (``python _child.py``) by :mod:`vercel_lab.runtime.process`, possibly by an
interpreter that does not have ``vercel_lab`` installed (the "deployed dependencies" environment),
so it uses the standard library only. It does what Vercel's generated trampoline does
(``createRuntimeTrampoline`` in ``@vercel/python``: stamp ``__VC_PY_BOOT_START_MS``, then ``from
vercel_runtime.vc_init import vc_handler``), then serves invocations from the parent.

Protocol (newline-delimited JSON on two inherited pipes, never on stdout/stderr, which are the
function log):

- child -> parent, once: ``{"type": "ready", "import_ms": float}`` when ``vc_init`` has imported
  the user's file and started its server. If the import fails, ``vc_init`` exits with status 1
  after printing the reason, exactly as on Vercel, and no ``ready`` is sent.
- parent -> child: ``{"id": int, "event": {...}}``; each is handled on its own thread, as
  concurrent requests are on one Vercel instance.
- child -> parent: ``{"type": "result", "id": int, "result": {...}}`` or
  ``{"type": "error", "id": int, "error": "Type: message"}`` when ``vc_handler`` raised (the
  function crashed without answering). Before either, the child writes ``END_MARK`` + id to the
  log, so the parent can tell which log lines belong to the invocation.

Fluid (IPC) mode (``__VCLAB_MODE=fluid``, :mod:`vercel_lab.runtime.fluid` is the parent): no
pipes. ``VERCEL_IPC_PATH`` names the parent's Unix socket; importing ``vc_init`` connects to it,
sends ``server-started`` and serves HTTP until the process is stopped (vc_init.py 0.24.1
l. 1249-1252), or sends ``unrecoverable-error`` and exits 1 (l. 113-140). With
``__VCLAB_HIVE=1`` the runtime is told it runs on Hive (Fluid compute: ``VERCEL_IPC_PATH ==
"/opt/vercel/ipc.sock"``, l. 89-90, 1209-1231; 0.23.2 has no such branch) and its one
``connect`` to that path is redirected to the parent's socket (modelled: the platform's own path
is not reachable here).
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import sys
import threading
import time
from typing import Any

END_MARK = "\x00vercel-lab:end:"

_LOG_FD = 1  # stdout and stderr share one pipe: the function log, in the order it was written


def _send(stream: Any, lock: threading.Lock, message: dict[str, Any]) -> None:
    data = (json.dumps(message) + "\n").encode()
    with lock:
        stream.write(data)
        stream.flush()


def _mark_end(invocation_id: int) -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # the user may have closed or replaced them
            stream.flush()
    os.write(_LOG_FD, f"{END_MARK}{invocation_id}\n".encode())


def _install_read_only_filesystem(project: str) -> None:
    """Load readonly.py (beside this file) by path: this folder must not be on sys.path."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "readonly.py")
    spec = importlib.util.spec_from_file_location("_vercel_lab_readonly", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.install(read_only=[project])


def _bundle_handler(spec: str, root: str) -> Any:
    """Bundle mode: import ``module.attr`` (``.vc-config.json`` ``handler``, e.g.
    ``vc__handler__python.vc_handler``) from a ``vercel build`` function folder, as Lambda does.

    Lambda's Python has the standard library only, so everything else is taken off ``sys.path``
    (this interpreter's site-packages, .pth additions): the bundle's ``_vendor`` folder, put there
    by the trampoline, must bring every package, ``vercel_runtime`` included.
    """
    import importlib

    base_lib = os.path.dirname(os.path.realpath(os.path.dirname(os.__file__)))
    declared = set(filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep)))

    def kept(entry: str) -> bool:
        real = os.path.realpath(entry or ".")
        if entry in declared or real == os.path.realpath(root):
            return True
        return real.startswith(base_lib + os.sep) and "site-packages" not in real.split(os.sep)

    sys.path[:] = [entry for entry in sys.path if kept(entry)]
    module_name, _, attribute = spec.rpartition(".")
    return getattr(importlib.import_module(module_name), attribute)


def _trampoline() -> Any:
    """The last line of Vercel's generated trampoline; it exits with status 1, after printing why,
    when the user's file cannot be imported or served."""
    from vercel_runtime.vc_init import vc_handler

    return vc_handler


_HIVE_IPC_PATH = "/opt/vercel/ipc.sock"


def _redirect_hive_connect(real_path: str) -> None:
    """Make the next ``connect`` to the Hive path go to ``real_path``, once."""
    import socket

    original = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> None:
        if address == _HIVE_IPC_PATH:
            socket.socket.connect = original  # type: ignore[method-assign]
            address = real_path
        original(self, address)

    socket.socket.connect = connect  # type: ignore[method-assign,assignment]


def _setup(boot_start: float) -> str:
    """What both modes do before the runtime is imported; returns the bundle handler spec."""
    read_only = os.environ.pop("__VCLAB_READ_ONLY", "") == "1"
    # The parent starts us unbuffered so the log interleaves as written; like Vercel's own
    # variables, the setting itself is not something the user's code should see.
    os.environ.pop("PYTHONUNBUFFERED", None)

    # The bundle root is the working directory and the first entry of sys.path, as /var/task is
    # on Vercel; this file's own folder must not shadow the user's modules.
    root = os.getcwd()
    if sys.path and os.path.dirname(os.path.abspath(__file__)) == os.path.abspath(sys.path[0]):
        sys.path.pop(0)
    sys.path.insert(0, root)
    # A runtime release other than the installed one goes ahead of site-packages.
    for folder in reversed(os.environ.pop("__VCLAB_EXTRA_PATH", "").split(os.pathsep)):
        if folder:
            sys.path.insert(1, folder)
    os.environ["__VC_PY_BOOT_START_MS"] = str(int(boot_start * 1000))

    if read_only:
        _install_read_only_filesystem(root)
    return os.environ.pop("__VCLAB_HANDLER", "")


def _fluid_main(boot_start: float) -> None:
    """Fluid mode: import the runtime with ``VERCEL_IPC_PATH`` set; it never returns."""
    handler_spec = _setup(boot_start)
    if os.environ.pop("__VCLAB_HIVE", "") == "1":
        _redirect_hive_connect(os.environ["VERCEL_IPC_PATH"])
        os.environ["VERCEL_IPC_PATH"] = _HIVE_IPC_PATH
    if handler_spec:  # the bundle's trampoline imports vc_init, which then serves
        _bundle_handler(handler_spec, os.getcwd())
    else:
        import vercel_runtime.vc_init  # noqa: F401  (serves until the process is stopped)


def main() -> None:
    boot_start = time.monotonic()
    if os.environ.pop("__VCLAB_MODE", "") == "fluid":
        _fluid_main(boot_start)
        return
    control_in = os.fdopen(int(os.environ.pop("__VCLAB_CONTROL_IN")), "rb")
    control_out = os.fdopen(int(os.environ.pop("__VCLAB_CONTROL_OUT")), "wb")
    # Bundle mode (vercel_lab.buildoutput.bundle) imports a `vercel build` trampoline instead.
    handler_spec = _setup(boot_start)
    vc_handler = _bundle_handler(handler_spec, os.getcwd()) if handler_spec else _trampoline()

    lock = threading.Lock()
    _send(control_out, lock, {"type": "ready", "import_ms": (time.monotonic() - boot_start) * 1e3})

    def invoke(invocation_id: int, event: dict[str, Any]) -> None:
        try:
            result = vc_handler(event, None)
        except Exception as exc:  # the function closed the connection without a response
            # Lambda's runtime logs an unhandled handler error in this form.
            print(f"[ERROR] {type(exc).__name__}: {exc}", file=sys.stderr)
            _mark_end(invocation_id)
            _send(
                control_out,
                lock,
                {"type": "error", "id": invocation_id, "error": f"{type(exc).__name__}: {exc}"},
            )
            return
        _mark_end(invocation_id)
        _send(control_out, lock, {"type": "result", "id": invocation_id, "result": result})

    for line in control_in:
        message = json.loads(line)
        threading.Thread(target=invoke, args=(message["id"], message["event"]), daemon=True).start()
    # The parent closed the pipe: the instance is being recycled. Skip vc_init's atexit
    # shutdown, which waits for the server's poll interval.
    os._exit(0)


if __name__ == "__main__":
    main()
