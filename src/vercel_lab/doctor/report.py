"""The doctor's report: gather the findings the options ask for and render them.

:mod:`vercel_lab.cli.doctor` only wires the subcommand: :func:`report` does the work and raises
ValueError for bad input (exit status 2 there).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Final, TextIO

from vercel_lab.builder.detect import project_folder
from vercel_lab.doctor import check_log, check_project, check_run
from vercel_lab.doctor.findings import Finding, has_errors, render_text, sort_findings, to_json
from vercel_lab.doctor.registry import ORDER

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
    mode: str = "fluid",
) -> tuple[str, bool]:
    """(output, whether any finding is an error) of ``vercel-lab doctor``. Without ``log``,
    ``project`` defaults to the current folder; with ``log`` alone only the log is read. Raises
    ValueError for a project folder that does not exist or a log that cannot be read."""
    if project is None and (log is None or run):
        project = "."
    root: Path | None = None
    if project is not None:
        try:
            root = project_folder(project)
        except OSError as exc:  # the CLI reports ValueError as bad usage (exit 2)
            raise ValueError(str(exc)) from None
    findings: list[Finding] = []
    parts: list[str] = []
    if root is not None:
        findings += check_project(root)
        parts.append(f"project {project}")
    if log is not None:
        findings += check_log(read_log(log, stdin), root)
        parts.append("log " + ("(standard input)" if log == "-" else log))
    if run and root is not None:
        findings += check_run(root, mode=mode)
        parts.append("a local cold start")
    findings = sort_findings(findings, ORDER)
    if as_json:
        output = json.dumps(to_json(findings), indent=2) + "\n"
    else:
        output = render_text(findings, title=f"vercel-lab doctor: {', '.join(parts)}")
    return output, has_errors(findings)
