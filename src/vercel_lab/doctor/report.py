"""The doctor's report: gather the findings the options ask for and render them.

:mod:`vercel_lab.cli.doctor` only wires the subcommand: :func:`report` does the work and raises
ValueError for bad input (exit status 2 there).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final, TextIO

from vercel_lab.builder.detect import project_folder
from vercel_lab.builder.plan import AUTO
from vercel_lab.doctor import check_log, check_project, check_run, ignores
from vercel_lab.doctor.findings import Finding, Severity, sort_findings
from vercel_lab.doctor.formats import Format, fails, render
from vercel_lab.doctor.registry import CHECKS, ORDER

#: Where a finding about the whole project is placed in SARIF (GitHub code scanning places a
#: result only with a location), else on the log file read.
_PROJECT_FILES: Final = ("vercel.json", "pyproject.toml", "requirements.txt")
#: A pasted log longer than this is cut (its end is kept: the failure is usually last).
MAX_LOG_BYTES: Final = 5_000_000


def read_log(source: str, stdin: TextIO | None = None) -> str:
    """The log at ``source`` (a file, or ``-`` for standard input), at most the last
    :data:`MAX_LOG_BYTES`, undecodable bytes replaced. Raises ValueError if unreadable."""
    if source == "-":
        stream = stdin or sys.stdin
        data = stream.buffer.read() if hasattr(stream, "buffer") else stream.read().encode()
    else:
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            raise ValueError(f"cannot read --log file {source}: {exc.strerror}") from None
    return data[-MAX_LOG_BYTES:].decode("utf-8", errors="replace")


def report(
    project: str | None,
    log: str | None = None,
    run: bool = False,
    as_json: bool = False,
    stdin: TextIO | None = None,
    fmt: Format | None = None,
    fail_level: Severity = "error",
    ignore: Sequence[str] = (),
    run_options: Mapping[str, Any] | None = None,
) -> tuple[str, bool]:
    """(output, whether the command fails) of ``vercel-lab doctor``. Without ``log``,
    ``project`` defaults to the current folder; with ``log`` alone only the log is read (the
    ignore list then comes from the current folder). ``fmt`` is one of
    :data:`~vercel_lab.doctor.formats.FORMATS` (default ``text``, or ``json`` with
    ``as_json``); the command fails when a finding reaches ``fail_level``. The ids in
    ``ignore`` and in the project's ignore list (:mod:`~vercel_lab.doctor.ignores`) are left
    out. Raises ValueError for a project folder that does not exist, a log that cannot be
    read, an unknown check id or an unreadable configuration file."""
    if project is None and (log is None or run):
        project = "."
    root: Path | None = None
    if project is not None:
        try:
            root = project_folder(project)
        except OSError as exc:  # the CLI reports ValueError as bad usage (exit 2)
            raise ValueError(str(exc)) from None
    listed, source = ignores.configured(root or Path.cwd())
    for ids, where in ((list(ignore), "--ignore"), (listed, source)):
        if bad := ignores.unknown(ids, CHECKS):
            raise ValueError(f"{where}: no such check: {', '.join(bad)}")
    findings: list[Finding] = []
    parts: list[str] = []
    if root is not None:
        findings += check_project(root, framework=(run_options or {}).get("framework", AUTO))
        parts.append(f"project {project}")
    if log is not None:
        findings += check_log(read_log(log, stdin), root)
        parts.append("log " + ("(standard input)" if log == "-" else log))
    if run and root is not None:
        findings += check_run(root, **(run_options or {}))
        parts.append("a local cold start")
    skipped = set(ignore) | set(listed)
    findings = [f for f in sort_findings(findings, ORDER) if f.id not in skipped]
    project_file = next(
        (n for n in _PROJECT_FILES if root is not None and (root / n).is_file()),
        log if log not in (None, "-") else None,  # a log alone: its findings sit on the log
    )
    chosen: Format = fmt or ("json" if as_json else "text")
    output = render(
        findings, chosen, f"vercel-lab doctor: {', '.join(parts)}", project_file=project_file
    )
    return output, fails(findings, fail_level)
