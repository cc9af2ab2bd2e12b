"""A ``serve`` soak: many requests from many concurrent clients leak no threads, file
descriptors or processes. The suite runs 1,000 requests x 20 clients; ``nox -s soak`` runs
10,000 x 50 (``VERCEL_LAB_SOAK=REQUESTS,CLIENTS``)."""

from __future__ import annotations

import http.client
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.runtime.runtime_apps import InProcessServer, app_copy, live_processes_in
from vercel_lab import Function

REQUESTS, CLIENTS = (int(n) for n in os.environ.get("VERCEL_LAB_SOAK", "1000,20").split(","))


def _children() -> list[int]:
    """Pids of this process's live descendants."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                parents[int(entry.name)] = int(fields[1])
    found, frontier = [], [os.getpid()]
    while frontier:
        parent = frontier.pop()
        kids = [pid for pid, ppid in parents.items() if ppid == parent]
        found += kids
        frontier += kids
    return sorted(found)


def _resources() -> tuple[int, int, list[int]]:
    return threading.active_count(), len(os.listdir("/proc/self/fd")), _children()


def _settled(target: tuple[int, int, list[int]] | None = None) -> tuple[int, int, list[int]]:
    """The resources once the last request threads are gone (they end just after answering):
    when they equal ``target``, or have stayed the same for 0.3 s, within 5 s."""
    limit = time.monotonic() + 5
    now = _resources()
    while now != target and time.monotonic() < limit:
        time.sleep(0.3)
        previous, now = now, _resources()
        if target is None and now == previous:
            break
    return now


def test_serve_leaks_no_threads_descriptors_or_processes(tmp_path: Path) -> None:
    project = app_copy(tmp_path, "flask_ok")
    with InProcessServer(Function(project)) as served:
        assert served.get("/")[0] == 200  # the cold start: its process and reader threads
        before = _settled()
        assert len(before[2]) == 1

        def one(_: int) -> int:
            connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=60)
            try:
                connection.request("GET", "/")
                response = connection.getresponse()
                response.read()
                return response.status
            finally:
                connection.close()

        with ThreadPoolExecutor(CLIENTS) as pool:
            statuses = list(pool.map(one, range(REQUESTS)))
        after = _settled(target=before)
    assert statuses == [200] * REQUESTS
    assert after == before, f"threads, fds, children before {before}, after {after}"
    assert live_processes_in(project) == []
