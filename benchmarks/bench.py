"""Speed ratios, printed (never asserted: these machines are shared and noisy).

1. Warm invoke of the portfolio's home page in fluid mode (the default: vercel-lab plays the
   platform, HTTP to the runtime's port, the IPC log) vs the runtime's own floor in that mode:
   the same request sent straight to the runtime's port by ``http.client``, nothing of
   vercel-lab in between (target <= 1.10); vs lambda mode (``vc_handler``); vs Django's test
   client in-process (target <= 1.5). Medians of N requests, interleaved.
2. A streamed 6 MiB WSGI body in fluid mode: time to first byte (``ttfb_ms``) vs the last byte.
3. Cold start in fluid mode (new process, vc_init, the user's import, ``server-started``) vs a
   bare ``python -c "import api.index"`` in a new process under the same interpreter, deployed
   dependency set and staged files (no bytecode written, as on Vercel): median of M runs.
   Target <= 1.1.
4. The doctor (:mod:`bench_doctor`): static on a startproject + ``api/`` (<= 50 ms) and
   ``--log`` on a 10,000-line log (<= 200 ms).
4. ``doctor --fix`` (:mod:`bench_fix`) on a Django example with two findings vs one invoke:
   target <= (fixes + 2) x.

Run: ``nox -s bench`` (or ``python benchmarks/bench.py --requests 200 --starts 10``).
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import bench_doctor  # benchmarks/ is on sys.path when this file runs as a script
import bench_fix

from vercel_lab import Function
from vercel_lab.examples import example
from vercel_lab.runtime.envfile import read_env_file
from vercel_lab.runtime.events import EventOptions, Request, send_headers
from vercel_lab.runtime.fluid import FluidInstance

PROJECT = example("fixed-api-index")
HOST = "fixed-api-index.vercel.app"
STREAM = Path(__file__).resolve().parent.parent / "tests" / "runtime" / "apps" / "wsgi_stream"


def median_ms(action: Callable[[], object], times: int) -> float:
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def warm_invoke_ms(requests: int, mode: str = "lambda") -> float:
    with Function(PROJECT, mode=mode) as function:
        first = function.invoke("/")
        assert first.status == 200, first.log
        return median_ms(lambda: function.invoke("/"), requests)


def fluid_vs_floor_ms(requests: int) -> tuple[float, float]:
    """(fluid warm invoke, the same request straight to the runtime's port), medians in ms,
    measured alternately so the machine's load hits both alike."""
    with Function(PROJECT) as function:
        first = function.invoke("/")
        assert first.status == 200, first.log
        [instance] = function._instances.values()
        assert isinstance(instance, FluidInstance) and instance.http_port is not None
        port = instance.http_port
        headers = send_headers(Request.get("/"), EventOptions(host=HOST))
        ids = [("x-vercel-internal-invocation-id", "1"), ("x-vercel-internal-request-id", "1")]

        def direct() -> None:
            connection = http.client.HTTPConnection("127.0.0.1", port)
            connection.putrequest("GET", "/", skip_host=True, skip_accept_encoding=True)
            for name, value in (*headers, *ids):
                connection.putheader(name, value)
            connection.endheaders()
            response = connection.getresponse()
            assert response.status == 200
            response.read()
            connection.close()

        via: list[float] = []
        floor: list[float] = []
        for _ in range(requests):
            via.append(median_ms(lambda: function.invoke("/"), 1))
            floor.append(median_ms(direct, 1))
        return statistics.median(via), statistics.median(floor)


def streamed_ms() -> tuple[float, float, int]:
    """(ttfb, last byte, body bytes) of the 6 MiB streamed WSGI body, fluid mode, warm."""
    with Function(STREAM) as function:
        function.invoke("/")
        outcome = function.invoke("/")
    assert outcome.status == 200 and outcome.ttfb_ms is not None
    return outcome.ttfb_ms, outcome.duration_ms, len(outcome.body)


def django_test_client_ms(requests: int) -> float:
    sys.path.insert(0, str(PROJECT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portfolio.settings")
    import django
    from django.test import Client

    django.setup()
    client = Client(HTTP_HOST=HOST, headers={"x-forwarded-proto": "https"})
    assert client.get("/", secure=True).status_code == 200
    return median_ms(lambda: client.get("/", secure=True), requests)


def vc_handler_floor_ms(requests: int) -> float:
    done = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("vc_handler_floor.py")), str(requests), HOST],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout.split()[-1])


def cold_start_ms(starts: int, mode: str = "fluid") -> float:
    samples = []
    with Function(PROJECT, mode=mode) as function:
        for _ in range(starts):
            function.reset()
            outcome = function.invoke("/")
            assert outcome.cold_start_ms is not None, outcome.log
            samples.append(outcome.cold_start_ms)
    return statistics.median(samples)


def bare_import_ms(starts: int) -> float:
    """``import api.index`` in a new process, under the interpreter and dependency set the
    function runs with (the deployed set, staged files, no bytecode written: as on Vercel), so
    the ratio measures what the platform's start adds, not a difference of environments."""
    with Function(PROJECT) as function:
        function.prepare()
        python = function._interpreter_for()
        cwd = function.task_root
    env = {"PATH": os.environ["PATH"], "PYTHONDONTWRITEBYTECODE": "1"}
    env.update(read_env_file(PROJECT / ".env") if (PROJECT / ".env").is_file() else {})
    if python.extra_path:
        env["PYTHONPATH"] = os.pathsep.join(python.extra_path)
    command = [python.python, "-c", "import api.index"]

    def run() -> None:
        subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)

    return median_ms(run, starts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--starts", type=int, default=10)
    args = parser.parse_args()

    fluid, direct = fluid_vs_floor_ms(args.requests)
    legacy = warm_invoke_ms(args.requests, "lambda")
    floor = vc_handler_floor_ms(args.requests)
    ttfb, last, size = streamed_ms()
    cold = cold_start_ms(args.starts)
    bare = bare_import_ms(args.starts)
    client = django_test_client_ms(args.requests)  # last: it imports Django into this process
    print(f"warm invoke, portfolio home ({args.requests} requests, median)")
    print(f"  fluid mode (default):       {fluid:8.2f} ms")
    print(f"  straight to the runtime:    {direct:8.2f} ms  (its own floor in IPC mode)")
    print(f"  ratio fluid / floor:        {fluid / direct:8.2f}  (target <= 1.10)")
    print(f"  lambda mode:                {legacy:8.2f} ms  (vc_handler floor {floor:.2f} ms)")
    print(f"  ratio fluid / lambda:       {fluid / legacy:8.2f}")
    print(f"  Django test client:         {client:8.2f} ms")
    print(f"  ratio fluid / client:       {fluid / client:8.2f}  (target <= 1.5)")
    print(f"streamed body, fluid mode ({size} bytes)")
    print(f"  time to first byte:         {ttfb:8.1f} ms")
    print(f"  time to last byte:          {last:8.1f} ms")
    print(f"cold start, fluid mode ({args.starts} starts, median)")
    print(f"  function cold start:        {cold:8.1f} ms")
    print(f"  bare import in a process:   {bare:8.1f} ms")
    print(f"  ratio:                      {cold / bare:8.2f}  (target <= 1.1)")
    sys.stdout.flush()
    bench_doctor.main()  # the doctor: static on a startproject + api/, --log on 10,000 lines
    sys.stdout.flush()
    bench_fix.main()  # doctor --fix on a Django example with two findings vs one invoke


if __name__ == "__main__":
    main()
