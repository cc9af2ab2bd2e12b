"""Build-log failures of Vercel's Python builder, named by the build step that failed.

Every text matched is printed by a source cited per rule (``@vercel/python`` 6.56.2 and 25.0.0
dist/index.js, ``@vercel/python-analysis`` 0.13.2 dist/index.js, uv). The manifest the builder
installed from is its own line "Installing required dependencies from X..." (6.56.2
dist/index.js:6422-6437; 25.0.0:6497-6512). Pure; raises nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from vercel_lab.logs.forms import LogRecord

_INSTALLING: Final = re.compile(r"Installing required dependencies from (?P<manifest>\S+?)\.\.\.")


@dataclass(frozen=True)
class BuildFailure:
    """One failed build: ``kind`` (a stable id), ``step`` (the builder step that failed),
    ``manifest`` (what the builder installed from, None if the log does not say), ``detail``
    (the failing tool's own words), ``subject`` (the file, module or version the failure names),
    ``line`` (1-based input line of the failure's first text)."""

    kind: str
    step: str
    manifest: str | None
    detail: str
    subject: str | None
    line: int


@dataclass(frozen=True)
class _Rule:
    kind: str
    step: str
    pattern: re.Pattern[str]
    source: str  # where the text comes from (kept beside the pattern it justifies)


# Order = priority: the most specific explanation of a failed build first.
_RULES: Final[tuple[_Rule, ...]] = (
    _Rule(
        "uv-lock-no-project",
        "lock dependencies (uv lock)",
        re.compile(r"No `project` table found in: `?(?P<subject>[^`\s]+)`?"),
        'uv\'s error; wrapped as Failed to run "uv lock ..." (6.56.2 dist/index.js:5422-5431, '
        "5486-5505)",
    ),
    _Rule(
        "python-interpreter-missing",
        "install dependencies (uv sync)",
        re.compile(r"No interpreter found for Python (?P<subject>[\d.]+)"),
        "uv's error; uv sync --active --no-dev ... --frozen (6.56.2 dist/index.js:5404-5406)",
    ),
    _Rule(
        "django-settings",
        "read Django settings (manage.py)",
        re.compile(
            r"Failed to read Django application settings from (?P<subject>\S+?manage\.py):?"
        ),
        "6.56.2 dist/index.js:11124-11130 (DJANGO_SETTINGS_FAILED); 25.0.0:11280",
    ),
    _Rule(
        "manifest-parse",
        "read the dependency manifest",
        re.compile(
            r"[Cc]ould not parse (?P<subject>requirements[\w.-]*\.(?:txt|in)|pyproject\.toml|"
            r"Pipfile\.lock|Pipfile|uv\.toml|uv\.lock|\.python-version file)"
        ),
        "@vercel/python-analysis 0.13.2 dist/index.js:1966-2173 (PYTHON_*_PARSE_ERROR)",
    ),
    _Rule(
        "python-version-discontinued",
        "select the Python version",
        re.compile(r'Python version "(?P<subject>[\d.]+)" detected in .* is discontinued'),
        "6.56.2 dist/index.js:6153-6159",
    ),
    _Rule(
        "no-python-version",
        "select the Python version",
        re.compile(r"Unable to find any supported Python versions\.(?P<subject>)"),
        "6.56.2 dist/index.js:6051-6059 (PYTHON_NOT_FOUND); public log novatorem/novatorem#80",
    ),
    _Rule(
        "lock-without-pyproject",
        "install dependencies",
        re.compile(r'Expected "pyproject\.toml" next to "(?P<subject>[^"]+)"'),
        "6.56.2 dist/index.js:6414-6418",
    ),
    _Rule(
        "dependency-resolution",
        "install dependencies",
        re.compile(
            r"(?P<subject>No solution found when resolving dependencies|No matching distribution "
            r"found for \S+|Because .* we can conclude that .* unsatisfiable)"
        ),
        "uv / pip resolver errors",
    ),
    _Rule(
        "dependency-sync-failed",
        "install dependencies",
        re.compile(r"Failed to install Python dependencies from (?P<subject>\S+?):"),
        "6.56.2 dist/index.js:8964-8972 (PYTHON_DEPENDENCY_SYNC_FAILED)",
    ),
    _Rule(
        "uv-lock-failed",
        "lock dependencies (uv lock)",
        re.compile(r'Failed to run "(?P<subject>uv lock[^"]*)"'),
        "6.56.2 dist/index.js:5486-5505",
    ),
    _Rule(
        "uv-sync-failed",
        "install dependencies (uv sync)",
        re.compile(r'Failed to run "(?P<subject>uv sync[^"]*)"'),
        "6.56.2 dist/index.js:5486-5505",
    ),
    _Rule(
        "pip-install-failed",
        "install dependencies (pip)",
        re.compile(r'Failed to run "(?P<subject>\S*pip[^"]*) install[^"]*"(?!, falling back)'),
        "6.56.2 dist/index.js:6528-6531",
    ),
)
_STEP_OF_COMMAND: Final = (
    (re.compile(r'Failed to run "uv lock'), "lock dependencies (uv lock)"),
    (re.compile(r'Failed to run "uv sync'), "install dependencies (uv sync)"),
    (re.compile(r'Failed to run "uv pip install'), "install dependencies (uv pip install)"),
)
_STOP: Final = re.compile(
    r"^(Error:|Learn More:|Build Completed|Deployment |Command \"vercel build\")"
)


def install_source(lines: Sequence[LogRecord] | Sequence[str]) -> str | None:
    """The manifest of the builder's last "Installing required dependencies from X..." line:
    ``uv.lock``, ``pylock.toml``, ``pyproject.toml``, ``Pipfile``, ``Pipfile.lock`` or a
    requirements file's path; None when the log has no such line."""
    manifest = None
    for record in lines:
        text = record.text if isinstance(record, LogRecord) else record
        if match := _INSTALLING.search(text):
            manifest = match.group("manifest")
    return manifest


def _step(texts: list[str], index: int, default: str) -> str:
    """The step of the CLI's ``Failed to run "<command>"`` line just before uv's words, else
    the rule's own step."""
    for text in reversed(texts[max(0, index - 3) : index + 1]):
        for pattern, step in _STEP_OF_COMMAND:
            if pattern.search(text):
                return step
    return default


def _detail(texts: list[str], index: int) -> str:
    """The failure's text: its line and the lines that continue it (uv's stderr, Django's
    traceback's last line), up to the next CLI line."""
    parts = [texts[index].strip()]
    for text in texts[index + 1 : index + 12]:
        stripped = text.strip()
        if not stripped or _STOP.match(stripped):
            break
        parts.append(stripped)
    return "\n".join(parts)


def build_failure(lines: Sequence[LogRecord] | Sequence[str]) -> BuildFailure | None:
    """The failed build step the log shows, most specific rule first, or None when no rule
    matches (a build that succeeded, or a failure this reader does not know)."""
    records = [
        r if isinstance(r, LogRecord) else LogRecord(str(r), i) for i, r in enumerate(lines, 1)
    ]
    texts = [r.text for r in records]
    manifest = install_source(records)
    for rule in _RULES:
        for index, text in enumerate(texts):
            if (match := rule.pattern.search(text)) is None:
                continue
            start = index
            # Report the CLI's "Error: Failed to run ..." line when uv's words follow it.
            if index and texts[index - 1].lstrip().startswith("Error: Failed to run"):
                start = index - 1
            return BuildFailure(
                kind=rule.kind,
                step=_step(texts, index, rule.step),
                manifest=manifest,
                detail=_detail(texts, start),
                subject=match.group("subject") or None,
                line=records[start].line,
            )
    return None
