"""``vercel-lab doctor``: find the warning signs of FUNCTION_INVOCATION_FAILED in a project
(statically, never importing its code), in a pasted Vercel log, or by cold-starting it.

>>> from vercel_lab.doctor import check_project, check_log
>>> findings = check_project("examples/seed-broken")      # doctest: +SKIP
>>> findings[0].category                                   # doctest: +SKIP
'wrong-handler-signature'

Every finding has a stable check id, a category, a severity, a place, a message, a fix and a
link to the site (:mod:`vercel_lab.doctor.registry` lists them all).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

from vercel_lab.builder.detect import project_folder
from vercel_lab.doctor import code_checks, config_checks, django_checks, static_checks
from vercel_lab.doctor.analysis import Analysis, analyse
from vercel_lab.doctor.findings import (
    CATEGORIES,
    Finding,
    has_errors,
    render_text,
    sort_findings,
    to_json,
)
from vercel_lab.doctor.log_checks import check_log_text
from vercel_lab.doctor.project import Project
from vercel_lab.doctor.registry import CHECKS, ORDER, markdown_table

__all__ = [
    "CATEGORIES",
    "CHECKS",
    "Finding",
    "bench_static",
    "check_log",
    "check_project",
    "check_run",
    "has_errors",
    "markdown_table",
    "render_text",
    "sort_findings",
    "to_json",
]

_GROUPS: tuple[tuple[str, Callable[[Analysis], list[Finding]]], ...] = (
    ("entrypoint", static_checks.check),
    ("code", code_checks.check),
    ("Django", django_checks.check),
    ("configuration", config_checks.check),
)


def check_project(project: str | Path) -> list[Finding]:
    """The static findings for ``project``, sorted (errors first, root causes first).

    Raises FileNotFoundError / NotADirectoryError for a bad path; anything odd *inside* the
    project (unreadable files, syntax errors, loops) becomes a note, never an exception.
    """
    return sort_findings(_static(project_folder(project)), ORDER)


def _static(root: Path) -> list[Finding]:
    project = Project(root)
    findings: list[Finding] = []
    try:
        analysis = analyse(project)
    except (OSError, ValueError, RecursionError, KeyError) as exc:
        project.fail("import-graph", exc)
        return project.notes
    for name, group in _GROUPS:
        try:
            findings += group(analysis)
        except (OSError, ValueError, TypeError, AttributeError, KeyError, RecursionError) as exc:
            # One group's bug must not hide the others' findings ("never crash").
            project.fail(name, exc)
    return findings + project.notes


def check_log(text: str, project: str | Path | None = None) -> list[Finding]:
    """The findings for a pasted Vercel build or function log. With ``project``, module
    names in the log are judged against it (your code, or a package to declare)."""
    root = project_folder(project) if project is not None else None
    return sort_findings(check_log_text(text, root), ORDER)


def check_run(project: str | Path, path: str = "/", mode: str = "fluid") -> list[Finding]:
    """Cold-start ``project`` under the real runtime, request ``path``, and report what
    failed in the categories of the static checks (plus a note of what answered)."""
    from vercel_lab.doctor.run_check import run_findings

    return sort_findings(run_findings(project_folder(project), path, mode), ORDER)


def bench_static(path: str | Path, repeat: int = 20) -> float:
    """The median wall time, in seconds, of ``repeat`` static doctor runs over ``path``
    (each run walks, reads and parses the project anew, as a command-line run does)."""
    root = project_folder(path)
    times: list[float] = []
    for _ in range(repeat):
        started = time.perf_counter()
        _static(root)
        times.append(time.perf_counter() - started)
    return statistics.median(times)
