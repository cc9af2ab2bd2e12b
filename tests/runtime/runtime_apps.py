"""Helpers of the runtime tests (not a conftest: tests import ``tests/conftest.py`` by name): the
apps in ``tests/runtime/apps``, private copies of them (so a test can assert that no process is
left running in its folder), that check, and ``serve``'s server in a thread."""

from __future__ import annotations

import http.client
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

from tests.helpers import processes_in
from vercel_lab.runtime.function import Function
from vercel_lab.runtime.serve import Server

APPS = Path(__file__).resolve().parent / "apps"


def app_copy(tmp_path: Path, name: str) -> Path:
    """A private copy of ``tests/runtime/apps/<name>`` in ``tmp_path``."""
    target = tmp_path / name
    shutil.copytree(APPS / name, target)
    return target


def live_processes_in(folder: Path) -> list[int]:
    """Pids of live (not zombie) processes whose working directory is ``folder`` or the staged
    copy of that project, where function instances run (:func:`tests.helpers.processes_in`)."""
    return processes_in(folder)


class InProcessServer:
    """``vercel-lab serve``'s server on a free port, in a thread of this process (so a test can
    count this process's threads and file descriptors around it). Use as a context manager;
    leaving it stops the server and every instance of its function."""

    def __init__(self, function: Function, rebuild: Callable[[], Function] | None = None) -> None:
        self.server = Server(("127.0.0.1", 0), function, quiet=True, rebuild=rebuild)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> InProcessServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(10)
        self.server.function.close()

    def get(self, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()
