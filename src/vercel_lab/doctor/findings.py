"""What the doctor reports: findings, their categories and severities, and how they print.

A :class:`Finding` is a plain value; ordering, JSON and text rendering are pure functions of a
list of findings, so the command line, the site and the tests share them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Final, Literal, get_args

Category = Literal[
    "wrong-handler-signature",
    "missing-app-variable",
    "app-not-wsgi-or-asgi",
    "import-error-missing-dependency",
    "import-error-module-path",
    "django-settings",
    "env-var-missing",
    "readonly-fs-write",
    "static-files",
    "source-exposed",
    "size-limit",
    "timeout",
    "python-version",
    "runtime-crash-in-view",
    "vercel-json-misconfig",
    "other",
]
#: Every category, in the order the issue lists them (the order of the reference table).
CATEGORIES: Final[tuple[Category, ...]] = get_args(Category)

Severity = Literal["error", "warning", "info"]
SEVERITIES: Final[tuple[Severity, ...]] = get_args(Severity)

#: What a check looks at: the project's files (``"static"``), a pasted log (``"log"``) or a
#: local cold start (``"run"``).
Source = Literal["static", "log", "run"]

#: The keys of one finding in ``--json`` output, in order.
JSON_KEYS: Final = ("id", "category", "severity", "file", "line", "message", "fix", "docs_url")


@dataclass(frozen=True)
class Finding:
    """One problem (or note) found in a project, a log or a run.

    ``file`` is POSIX and relative to the project (or as the log names it) and ``line`` is
    1-based; both are None when the finding is about the project as a whole. ``source`` is what
    its check looks at (not part of the ``--json`` keys).
    """

    id: str
    category: Category
    severity: Severity
    file: str | None
    line: int | None
    message: str
    fix: str
    docs_url: str
    source: Source
    #: The values its message and fix were filled from (``{"module": "yaml", ...}``), for the
    #: fixers (:mod:`vercel_lab.doctor.fixers`); not part of equality nor of ``--json``.
    fields: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    def value_of(self, name: str) -> str | None:
        """The value of placeholder ``name`` this finding was made with, or None."""
        return dict(self.fields).get(name)

    @property
    def location(self) -> str:
        """``file:line``, ``file``, or, without a file, what the finding is about:
        ``(log)``, ``(run)`` or ``(project)``, from its :attr:`source`."""
        if self.file is None:
            return {"log": "(log)", "run": "(run)"}.get(self.source, "(project)")
        return f"{self.file}:{self.line}" if self.line is not None else self.file

    def to_json(self) -> dict[str, Any]:
        """Exactly the documented keys (:data:`JSON_KEYS`)."""
        return {key: getattr(self, key) for key in JSON_KEYS}


def _rank(finding: Finding, order: dict[str, int]) -> tuple[int, int, str, int]:
    return (
        SEVERITIES.index(finding.severity),
        order.get(finding.id, len(order)),
        finding.file or "",
        finding.line or 0,
    )


def sort_findings(findings: Iterable[Finding], order: dict[str, int]) -> list[Finding]:
    """Errors first, then warnings, then notes; within a severity, by ``order`` (the
    registry's order, most specific cause first), then file and line. Duplicates (same id,
    file, line and message) are dropped."""
    unique: dict[tuple[str, str | None, int | None, str], Finding] = {}
    for finding in findings:
        unique.setdefault((finding.id, finding.file, finding.line, finding.message), finding)
    return sorted(unique.values(), key=lambda f: _rank(f, order))


def has_errors(findings: Iterable[Finding]) -> bool:
    """Whether any finding is an error (the command line then exits with status 1)."""
    return any(f.severity == "error" for f in findings)


def to_json(findings: Iterable[Finding]) -> dict[str, list[dict[str, Any]]]:
    """The ``--json`` document: ``{"findings": [...]}``."""
    return {"findings": [f.to_json() for f in findings]}


def summary(findings: list[Finding]) -> str:
    """``2 errors, 1 warning, 0 notes``."""
    counts = {s: sum(1 for f in findings if f.severity == s) for s in SEVERITIES}
    names = {"error": "error", "warning": "warning", "info": "note"}
    return ", ".join(f"{counts[s]} {names[s]}{'' if counts[s] == 1 else 's'}" for s in SEVERITIES)


def render_text(findings: list[Finding], title: str = "") -> str:
    """The readable report: one block per finding, then a summary line."""
    lines = [title] if title else []
    if not findings:
        lines.append("No problems found.")
    for finding in findings:
        lines.append(f"{finding.location}: {finding.severity} [{finding.id}] {finding.category}")
        lines.append(f"  {finding.message}")
        lines.append(f"  fix: {finding.fix}")
        lines.append(f"  see: {finding.docs_url}")
    lines.append(summary(findings))
    return "\n".join(lines) + "\n"
