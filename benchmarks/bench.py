"""Speed ratios, printed (never asserted: these machines are shared and noisy).

1. Warm invoke of the portfolio's home page through the real runtime (child process, vc_handler,
   the runtime's local HTTP server, Django) vs the same request through Django's test client
   in-process: median of N requests each. Target ratio <= 1.5.
2. Cold start of the function (new process, vc_init, the user's import) vs a bare
   ``python -c "import api.index"`` in a new process: median of M runs each. Target <= 1.3.
3. The doctor (:mod:`bench_doctor`): static on a startproject + ``api/`` (<= 50 ms) and
   ``--log`` on a 10,000-line log (<= 200 ms).
4. ``doctor --fix`` (:mod:`bench_fix`) on a Django example with two findings vs one invoke:
   target <= (fixes + 2) x.

Run: ``nox -s bench`` (or ``python benchmarks/bench.py --requests 200 --starts 10``).
"""

from __future__ import annotations

import argparse
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

PROJECT = example("fixed-api-index")
HOST = "fixed-api-index.vercel.app"


def median_ms(action: Callable[[], object], times: int) -> float:
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def warm_invoke_ms(requests: int) -> float:
    with Function(PROJECT) as function:
        first = function.invoke("/")
        assert first.status == 200, first.log
        return median_ms(lambda: function.invoke("/"), requests)


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


def cold_start_ms(starts: int) -> float:
    samples = []
    with Function(PROJECT) as function:
        for _ in range(starts):
            function.reset()
            outcome = function.invoke("/")
            assert outcome.cold_start_ms is not None, outcome.log
            samples.append(outcome.cold_start_ms)
    return statistics.median(samples)


def bare_import_ms(starts: int) -> float:
    env = {"PATH": os.environ["PATH"], "PYTHONDONTWRITEBYTECODE": "1"}
    env.update(read_env_file(PROJECT / ".env") if (PROJECT / ".env").is_file() else {})
    command = [sys.executable, "-c", "import api.index"]

    def run() -> None:
        subprocess.run(command, cwd=PROJECT, env=env, check=True, capture_output=True)

    return median_ms(run, starts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--starts", type=int, default=10)
    args = parser.parse_args()

    runtime = warm_invoke_ms(args.requests)
    floor = vc_handler_floor_ms(args.requests)
    cold = cold_start_ms(args.starts)
    bare = bare_import_ms(args.starts)
    client = django_test_client_ms(args.requests)  # last: it imports Django into this process
    print(f"warm invoke, portfolio home ({args.requests} requests, median)")
    print(f"  through the runtime:       {runtime:8.2f} ms")
    print(f"  vc_handler in-process:     {floor:8.2f} ms  (the runtime's own floor)")
    print(f"  Django test client:        {client:8.2f} ms")
    print(f"  ratio runtime / client:    {runtime / client:8.2f}  (target <= 1.5)")
    print(f"  ratio runtime / floor:     {runtime / floor:8.2f}  (what vercel-lab adds)")
    print(f"cold start ({args.starts} starts, median)")
    print(f"  function cold start:       {cold:8.1f} ms")
    print(f"  bare import in a process:  {bare:8.1f} ms")
    print(f"  ratio:                     {cold / bare:8.2f}  (target <= 1.3)")
    sys.stdout.flush()
    bench_doctor.main()  # the doctor: static on a startproject + api/, --log on 10,000 lines
    sys.stdout.flush()
    bench_fix.main()  # doctor --fix on a Django example with two findings vs one invoke


if __name__ == "__main__":
    main()
