"""The real build: Vercel's own CLI builds each example, its bundle runs, the emulation is checked.

``nox -s vercel-build`` runs ``python -m vercel_lab.buildoutput.parity``. For every example it

1. copies the project with symlinks resolved (Vercel uploads files, not links) and writes a local
   ``.vercel/project.json`` (no account, no login: ``vercel build`` then needs no network for
   the project settings; ``settings.framework`` is the case's preset as stored in
   :data:`CASES`, what the dashboard would hold, never vercel-lab's own detection, so a
   detection error shows as a disagreement);
2. runs ``vercel build --yes --prod --standalone`` (CLI pinned to :data:`CLI_VERSION`) with
   Python 3.12 and ``uv`` first on ``PATH`` and telemetry off;
3. routes each probe request through the output's ``config.json``
   (:func:`vercel_lab.buildoutput.reader.resolve`, the router the emulation uses too): a static
   file answers 200, a redirect its status and ``Location``, a function bundle is invoked with
   :class:`vercel_lab.buildoutput.bundle.BundleFunction` at the path the routes give it;
4. asks the emulation (:class:`vercel_lab.Function` with the deployed dependencies only, its
   preset detected, running the ``vercel-runtime`` release the bundle vendors, e.g. 0.20.0 for
   CLI 58.10.0, not vercel-lab's pin) the same requests, and prints one parity row per request.

A build that fails with ``ENOENT`` (vercel CLI 58.10.0 builds ``api/*.py`` functions in parallel
on one shared venv and sometimes loses a file) is retried once.

It also checks that nothing under ``.vercel/output/static`` is source, ``.env``, a database or a
settings file, that every published file is reachable, and that the Django examples' stylesheet
is served byte for byte. Exit status 0 when every row agrees and every check passes, else 1.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from vercel_lab import logs
from vercel_lab.buildoutput.bundle import BundleFunction, vendored_runtime
from vercel_lab.buildoutput.cases import CASE_NAMES, CASES, FIXED, HOME, STYLESHEET, Case
from vercel_lab.buildoutput.reader import BuildOutput, leaked_sources, read_build_output, resolve
from vercel_lab.buildoutput.realcli import (
    CLI_VERSION,
    base_python_bin,
    build,
    ensure_cli,
    stage,
)
from vercel_lab.runtime.events import Request
from vercel_lab.runtime.function import Function
from vercel_lab.runtime.interpreters import cache_root
from vercel_lab.runtime.outcome import Outcome

#: The vercel CLI release the lab mirrors (newer majors do not install on Node 20 machines).


@dataclass(frozen=True)
class Observation:
    """What one side showed for one request: enough to say whether two sides agree."""

    status: int | None
    error_code: str | None
    phase: str | None
    detail: str = ""  # the build error, or the last exception line of the log
    extra: str = ""  # the compared headers and the start of the body, when the case asks

    def summary(self) -> str:
        if self.phase == "build":
            return f"build error: {self.detail}"
        head = f"{self.status}" + (f" {self.error_code}" if self.error_code else "")
        head += f" ({self.phase})" if self.phase else ""
        head = f"{head}: {self.detail}" if self.detail else head
        return f"{head} {self.extra}" if self.extra else head


def exception_line(log: str, roots: Iterable[str] = ()) -> str:
    """The exception finally raised in ``log`` (:func:`vercel_lab.logs.exception_line`:
    ``OSError: [Errno 30] ...``, ``django.core.exceptions.ImproperlyConfigured: ...``), with each
    of ``roots`` (the function's folder) written as ``/var/task``; "" when there is none."""
    return logs.to_task(logs.exception_line(log), roots)


def marks(
    headers: Iterable[tuple[str, str]], body: bytes, names: Sequence[str], with_body: bool
) -> str:
    """The compared part of a response: ``names``' header values (``name=value``, absent ones
    left out) and, with ``with_body``, the body's first line (at most 60 characters)."""
    found = {k.lower(): v for k, v in headers}
    parts = [f"{n}={found[n]}" for n in names if n in found]
    if with_body:
        line = body.decode("utf-8", "replace").strip().splitlines()[:1]
        parts.append(f"[{line[0][:60] if line else ''}]")
    return " ".join(parts)


def observe(outcome: Outcome, roots: Iterable[str] = (), case: Case | None = None) -> Observation:
    """The :class:`Observation` of an outcome (emulated or from a bundle)."""
    if outcome.phase == "build":
        message = outcome.log.strip().removeprefix("Error: ")
        return Observation(None, outcome.error_code, "build", message)
    extra = ""
    if case is not None:
        # The body of an error page or a redirect is the edge's (modelled), not compared.
        redirect = outcome.status is not None and 300 <= outcome.status < 400
        body = b"" if outcome.error_code or redirect else outcome.body
        extra = marks(outcome.headers, body, case.headers, case.body and not redirect)
    return Observation(
        outcome.status, outcome.error_code, outcome.phase, exception_line(outcome.log, roots), extra
    )


def agrees(emulated: Observation, real: Observation) -> bool:
    """Same build error text; or same status, error code, phase and exception line. The real
    builder prints no error code, so a build row compares the message only."""
    if "build" in (emulated.phase, real.phase):
        return emulated.phase == real.phase and emulated.detail == real.detail
    return emulated == real


def build_error_message(output: str) -> str | None:
    """The error ``vercel build`` printed: the text after ``Error: `` up to ``Learn More:``."""
    lines = output.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("Error: "):
            message = [line.removeprefix("Error: ")]
            for following in lines[index + 1 :]:
                if following.startswith(("Learn More:", "Error: ")):
                    break
                message.append(following)
            return "\n".join(message).strip()
    return None


@dataclass(frozen=True)
class ParityRow:
    example: str
    request: str
    emulated: Observation
    real: Observation

    @property
    def agrees(self) -> bool:
        return agrees(self.emulated, self.real)


def format_table(rows: Sequence[ParityRow], width: int = 40) -> str:
    """The parity table: one line per request, and the full texts of rows that disagree."""

    def cut(text: str) -> str:
        flat = text.replace("\n", " ")
        return flat if len(flat) <= width else flat[: width - 3] + "..."

    name = max([20, *(len(row.example) for row in rows)])
    header = (
        f"{'example':{name}} {'request':26} {'emulation':{width}} {'vercel build':{width}} agree"
    )
    lines = [header, "-" * len(header)]
    for row in rows:
        lines.append(
            f"{row.example:{name}} {'GET ' + row.request:26} {cut(row.emulated.summary()):{width}} "
            f"{cut(row.real.summary()):{width}} {'yes' if row.agrees else 'NO'}"
        )
    for row in rows:
        if not row.agrees:
            lines += [
                f"\n{row.example} GET {row.request} disagrees:",
                f"  emulation:    {row.emulated.summary()}",
                f"  vercel build: {row.real.summary()}",
            ]
    return "\n".join(lines)


def static_problems(output: BuildOutput, public_files: Iterable[str]) -> list[str]:
    """What is wrong with the published static files: a leaked source or secret, a file the
    routes never serve, or a file of ``public/`` that was not published."""
    problems = [f"static/{f} must not be public" for f in leaked_sources(output.static_files)]
    for file in sorted(output.static_files):
        served = resolve(output, "/" + file)
        if (served.kind, served.target) != ("static", file) or served.status not in (None, 200):
            problems.append(f"static/{file} is published but GET /{file} does not serve it")
    for file in sorted(public_files):
        if file not in output.static_files:
            problems.append(f"public/{file} is not in static/")
    return problems


# -- I/O: the CLI, the build, the two sides ------------------------------------------------------


def emulate(case: Case, runtime_version: str | None = None) -> list[Observation]:
    """The emulation's answers, its preset detected (not the case's), under
    ``runtime_version`` (None: vercel-lab's pin)."""
    with Function(
        case.folder, dependencies="deployed", runtime_version=runtime_version
    ) as function:
        roots = [str(function.project)]
        return [observe(function.invoke(p), roots, case) for p in case.probes]


def real(
    output: BuildOutput, case: Case, expected: dict[str, bytes]
) -> tuple[list[Observation], list[str]]:
    """Each probe routed through the build output; also the stylesheet mismatches."""
    observations, problems = [], []
    functions: dict[str, BundleFunction] = {}
    try:
        for probe in case.probes:
            where = resolve(output, probe)
            body: bytes | None = None
            if where.kind == "static":
                body = (output.root / "static" / where.target).read_bytes()
                extra = marks(where.headers, body, case.headers, case.body)
                observations.append(Observation(where.status or 200, None, None, "", extra))
            elif where.kind == "redirect":
                headers = [*where.headers, ("location", where.location or "")]
                extra = marks(headers, b"", case.headers, False)
                observations.append(Observation(where.status, None, None, "", extra))
            elif where.kind != "function":
                code = "NOT_FOUND" if where.status in (None, 404) else None
                extra = marks(where.headers, b"", case.headers, case.body)
                observations.append(Observation(where.status or 404, code, None, "", extra))
            else:
                if where.target not in functions:
                    functions[where.target] = BundleFunction(output.functions[where.target])
                function = functions[where.target]
                outcome = function.invoke(Request("GET", where.path))
                names = {k for k, _ in where.headers}
                merged = [(k, v) for k, v in outcome.headers if k.lower() not in names]
                outcome = replace(outcome, headers=(*merged, *where.headers))
                observations.append(observe(outcome, [str(function.project)], case))
                body = outcome.body
            if probe in expected and body != expected[probe]:
                problems.append(f"GET {probe} does not answer the file's bytes ({where.kind})")
    finally:
        for function in functions.values():
            function.close()
    return observations, problems


def bundled_runtime(output: BuildOutput) -> str | None:
    """The ``vercel-runtime`` release the build's functions vendor (their ``_vendor`` folder),
    or None when it has no Python function."""
    for folder in output.functions.values():
        if found := vendored_runtime(folder):
            return found
    return None


#: How many fresh builds a case gets while vercel CLI 58.10.0 loses a file of the venv its
#: ``api/*.py`` functions share (they build in parallel: ``ENOENT ... .vercel/python/.venv``).
FLAKE_ATTEMPTS = 4


def _flaked(status: int, log: str) -> bool:
    return status != 0 and "ENOENT" in log and "/.vercel/python/" in log


def _build_case(case: Case, cli: Path, workdir: Path, python_bin: Path) -> tuple[Path, int, str]:
    """The staged project of ``case`` and its build's exit status and log. Fresh copies are
    built up to :data:`FLAKE_ATTEMPTS` times while the CLI's parallel-venv race strikes; then
    once more in the last copy, whose shared venv the raced builds have filled (the race is over
    installing it, so the rebuild only reuses it)."""
    for _ in range(FLAKE_ATTEMPTS):
        project = stage(case, workdir)
        status, log = build(cli, project, python_bin, workdir / ".vercel-global")
        if not _flaked(status, log):
            return project, status, log
    status, log = build(cli, project, python_bin, workdir / ".vercel-global")
    return project, status, log


def check_example(
    case: Case, cli: Path, workdir: Path, python_bin: Path
) -> tuple[list[ParityRow], list[str]]:
    name, probes = case.name, case.probes
    project, status, log = _build_case(case, cli, workdir, python_bin)
    if _flaked(status, log):  # the CLI's own race every time: no build to compare with
        print(f"vercel-build: {name} skipped: vercel CLI's parallel-venv ENOENT race persisted")
        return [], []
    problems: list[str] = []
    if status != 0:
        message = build_error_message(log)
        if message is None:
            problems.append(f"vercel build failed without an error line:\n{log[-3000:]}")
        observations = [Observation(None, None, "build", message or "")] * len(probes)
        emulated = emulate(case)
    else:
        output = read_build_output(project / ".vercel" / "output")
        emulated = emulate(case, bundled_runtime(output))
        public = project / "public"
        published = (
            [p.relative_to(public).as_posix() for p in public.rglob("*") if p.is_file()]
            if public.is_dir()
            else []
        )
        problems += static_problems(output, published)
        stylesheet = project / "pages" / "static" / "css" / "style.css"
        expected = {STYLESHEET: stylesheet.read_bytes()} if stylesheet.is_file() else {}
        observations, mismatches = real(output, case, expected)
        problems += mismatches
    rows = [
        ParityRow(name, p, e, r) for p, e, r in zip(probes, emulated, observations, strict=True)
    ]
    if name in FIXED:
        home = HOME.get(name, "/")
        row = next(r for r in rows if r.request == home)
        if row.real.status != 200:
            problems.append(f"GET {home} from the bundle: {row.real.summary()} (expected 200)")
    return rows, [f"{name}: {p}" for p in problems]


def main(argv: Sequence[str] | None = None) -> int:
    from vercel_lab.buildoutput import parity_cases  # issue 11: the shared real-world cases

    parser = argparse.ArgumentParser(
        prog="python -m vercel_lab.buildoutput.parity",
        description=__doc__ and __doc__.splitlines()[0],
    )
    parser.add_argument("examples", nargs="*", default=list(CASE_NAMES), metavar="CASE")
    parser.add_argument(
        "--cli-cache",
        type=Path,
        default=cache_root() / "vercel-cli",
        help="where npm installs the pinned CLI, once (default: ~/.cache/vercel-lab/vercel-cli)",
    )
    parser.add_argument(
        "--python",
        default=sys.executable,
        help="a Python 3.12 for the builder; its base interpreter's folder goes first on PATH "
        "(default: this interpreter)",
    )
    parser.add_argument("--workdir", type=Path, help="keep the built copies here")
    parser.add_argument("--report", type=Path, help="also write the parity table to this file")
    parser.add_argument(
        "--cases",
        nargs="*",
        default=list(parity_cases.DEPLOY_CASES) if parity_cases.cases_dir().is_dir() else [],
        metavar="CASE",
        help="shared real-world cases to build too (default: all, from a source tree)",
    )
    args = parser.parse_args(argv)
    if shutil.which("node") is None or shutil.which("npm") is None:
        print("vercel-build: skipped: Node.js and npm are needed to run Vercel's CLI")
        return 0
    cli = ensure_cli(args.cli_cache)
    python_bin = base_python_bin(args.python)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="vercel-lab-build-"))
    workdir.mkdir(parents=True, exist_ok=True)
    rows: list[ParityRow] = []
    problems: list[str] = []
    try:
        for name in args.examples:
            if name not in CASE_NAMES:
                parser.error(f"unknown case {name!r}; choose from: {', '.join(CASE_NAMES)}")
            case = next(c for c in CASES if c.name == name)
            print(f"vercel build {name} (preset {case.preset or 'Other'}) ...", flush=True)
            example_rows, example_problems = check_example(case, cli, workdir, python_bin)
            print(format_table(example_rows) + "\n", flush=True)
            rows += example_rows
            problems += example_problems
        for name in args.cases:  # issue 11: the shared real-world cases
            print(f"vercel build case {name} ...", flush=True)
            case_rows, case_problems = parity_cases.check(name, cli, workdir, python_bin)
            print(format_table(case_rows) + "\n", flush=True)
            rows += case_rows
            problems += case_problems
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    table = format_table(rows)
    print(f"Parity: vercel CLI {CLI_VERSION} vs the emulation\n{table}")
    for problem in problems:
        print(f"PROBLEM {problem}")
    disagreements = sum(not row.agrees for row in rows)
    summary = f"{len(rows)} requests, {disagreements} disagreements, {len(problems)} problems"
    if args.report:
        # A committed report is shown on the site as recorded output: it says what produced it.
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(
            f"Recorded output of `nox -s vercel-build` (vercel CLI {CLI_VERSION}): "
            "generated, do not edit by hand\n\n"
            f"{table}\n" + "".join(f"PROBLEM {p}\n" for p in problems) + f"\n{summary}\n"
        )
    print(f"\n{summary}")
    return 0 if not disagreements and not problems else 1


if __name__ == "__main__":
    sys.exit(main())
