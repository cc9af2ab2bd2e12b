"""The doctor's speed, in-process medians (printed, never asserted: shared, noisy machines).

1. Static doctor on a ``django-admin startproject`` project plus an ``api/`` folder (two
   functions): each run walks, reads and parses the project anew, as a command-line run does
   (:func:`vercel_lab.doctor.bench_static`). Target <= 50 ms.
2. ``doctor --log`` on a 10,000-line log (the real-shaped corpus logs of
   ``tests/doctor/corpus_logs`` between access-log lines, one traceback every ~50 lines): the
   whole reading, normalising, parsing and classifying (:func:`vercel_lab.doctor.check_log`).
   Target <= 200 ms.

Run: ``python benchmarks/bench_doctor.py`` (``nox -s bench`` runs it after the runtime's).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from vercel_lab.doctor import bench_static, check_log

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "doctor" / "corpus_logs"
LOG_LINES = 10_000

API_INDEX = """\
from mysite.wsgi import application as app
"""
API_HEALTH = """\
from http.server import BaseHTTPRequestHandler


class handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok")
"""


def startproject(folder: Path) -> Path:
    """A fresh ``django-admin startproject mysite`` in ``folder`` with ``api/index.py`` (the
    Django app) and ``api/health.py`` (a handler class) and a requirements.txt."""
    subprocess.run(
        [sys.executable, "-m", "django", "startproject", "mysite", str(folder)], check=True
    )
    (folder / "api").mkdir()
    (folder / "api" / "index.py").write_text(API_INDEX)
    (folder / "api" / "health.py").write_text(API_HEALTH)
    (folder / "requirements.txt").write_text("django>=5.2\n")
    return folder


def ten_thousand_lines() -> str:
    """About :data:`LOG_LINES` lines: access-log lines with the corpus logs spread between."""
    pieces = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.log"))]
    access = '127.0.0.1 - - [29/Nov/2026 21:14:03] "GET /api/items?page={n} HTTP/1.1" 200 -'
    lines: list[str] = []
    index = 0
    while len(lines) < LOG_LINES:
        lines.extend(access.format(n=n) for n in range(40))
        lines.extend(pieces[index % len(pieces)].splitlines())
        index += 1
    return "\n".join(lines[:LOG_LINES]) + "\n"


def log_ms(text: str, repeat: int = 10) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        check_log(text)
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        project = startproject(Path(folder) / "site")
        static = bench_static(project, repeat=20) * 1000
    text = ten_thousand_lines()
    log = log_ms(text)
    print("doctor (in-process medians)")
    print(f"  static, startproject + api/ (20 runs):  {static:8.1f} ms  (target <= 50)")
    print(f"  --log, {text.count(chr(10))} lines (10 runs):        {log:8.1f} ms  (target <= 200)")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
