"""``doctor --fix``'s speed against a single invoke (printed, never asserted: shared, noisy
machines).

The project: the ``readonly-fs`` Django example with ``ALLOWED_HOSTS = ["localhost"]`` added,
so it has two error findings with a fix each (``logging-file-handler``,
``allowed-hosts-local-only``). ``--fix`` runs it before any fix, each fix alone and both
together; the unit is one ``invoke`` of the same project (a fresh function: build, cold start,
``GET /``; dependencies of the current environment, already installed). Target:
``--fix`` <= (fixes + 2) x invoke.

Run: ``python benchmarks/bench_fix.py`` (``nox -s bench`` runs it last).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from vercel_lab import Function
from vercel_lab.doctor import check_project
from vercel_lab.doctor.fixers.prove import copy_project, prove
from vercel_lab.examples import example

REPEAT = 3


def project(folder: Path) -> Path:
    root = copy_project(example("readonly-fs"), folder / "two-findings")
    settings = root / "portfolio" / "settings.py"
    settings.write_text(settings.read_text() + '\nALLOWED_HOSTS = ["localhost"]\n')
    return root


def seconds(action: Callable[[], object], repeat: int = REPEAT) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    with tempfile.TemporaryDirectory() as temp:
        root = project(Path(temp))
        findings = check_project(root)

        def invoke() -> None:
            with Function(root) as function:
                function.invoke("/")

        def fix() -> None:
            proving = prove(root, findings)
            assert len(proving.proofs) == 2, [p.changes[0].check for p in proving.proofs]

        single = seconds(invoke)
        fixing = seconds(fix)
    print(f"doctor --fix, Django with two findings ({REPEAT} runs, median)")
    print(f"  one invoke (build, cold start, GET /): {single * 1000:8.0f} ms")
    print(f"  --fix (before, 2 alone, together):    {fixing * 1000:8.0f} ms")
    print(f"  ratio:                                 {fixing / single:8.2f}  (target <= 4)")


if __name__ == "__main__":
    main()
