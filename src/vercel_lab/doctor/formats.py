"""Linter-grade output of the doctor: ``--format text|json|sarif|github`` and ``--fail-level``.

- ``sarif``: SARIF 2.1.0 (OASIS; validated in the tests against ``sarif-2.1.0-rtm.5.json``,
  vendored from npm ``@microsoft/jest-sarif`` 1.0.0-beta.0). ``level`` is ``error``,
  ``warning`` or ``note`` (the schema's ``result.level`` enum is none|note|warning|error, so the
  doctor's ``info`` is ``note``); one ``reportingDescriptor`` per check that fired, with its
  ``helpUri`` (the check's anchor on the reference page); a result's location is an
  ``artifactLocation`` relative to ``%SRCROOT%`` with ``region.startLine``: GitHub code scanning
  places an alert only with a start line (microsoft/sarif-sdk rule GH1003), so a finding with a
  file but no line is put on line 1 and one without a file on the project's own configuration
  file (``project_file``) when there is one. The fix is the message's second paragraph and
  ``properties.fix``: SARIF's ``fixes`` describe byte edits, which the doctor does not make.
- ``github``: workflow commands, ``::error file={name},line={line},title={title}::{message}``
  (also ``warning`` and ``notice``; GitHub docs "Workflow commands for GitHub Actions"), escaped
  as actions/toolkit ``packages/core/src/command.ts`` (a944251): data ``%``, ``\\r``, ``\\n``;
  properties also ``:`` and ``,``; properties without a value are left out.

Pure functions of a list of findings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from importlib import metadata
from typing import Any, Final, Literal, get_args

from vercel_lab.doctor.declare import REFERENCE_URL
from vercel_lab.doctor.findings import SEVERITIES, Finding, Severity, render_text, to_json

__all__ = [
    "FORMATS",
    "Format",
    "escape_data",
    "escape_property",
    "fails",
    "render",
    "title",
    "to_github",
    "to_sarif",
]

Format = Literal["text", "json", "sarif", "github"]
FORMATS: Final[tuple[Format, ...]] = get_args(Format)

#: The ``$schema`` a SARIF log names (SchemaStore's copy of the OASIS schema).
SCHEMA_URI: Final = "https://json.schemastore.org/sarif-2.1.0-rtm.5.json"
LEVELS: Final[dict[Severity, str]] = {"error": "error", "warning": "warning", "info": "note"}
COMMANDS: Final[dict[Severity, str]] = {"error": "error", "warning": "warning", "info": "notice"}

_CLAUSE = re.compile(r"^(.+?)(?:[.:](?:\s|$)|$)")
_SPAN = re.compile(r"^`([^`\n]+)`")


def fails(findings: Iterable[Finding], level: Severity = "error") -> bool:
    """Whether any finding is at least as severe as ``level`` (``error`` > ``warning`` >
    ``info``): the command then exits with status 1."""
    limit = SEVERITIES.index(level)
    return any(SEVERITIES.index(f.severity) <= limit for f in findings)


def title(finding: Finding) -> str:
    """A one-line title: the message's leading `code span` (most log messages start with the
    exception as printed), else its first clause; backticks removed, at most 100 characters."""
    message = finding.message.strip()
    span = _SPAN.match(message)
    first = _CLAUSE.match(message.replace("`", ""))
    text = span.group(1) if span else first.group(1) if first else finding.category
    return text if len(text) <= 100 else text[:99] + "\u2026"


def escape_data(text: str) -> str:
    """A workflow command's message (toolkit ``escapeData``)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command property's value (toolkit ``escapeProperty``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def to_github(findings: Iterable[Finding]) -> list[str]:
    """One workflow command per finding: the message, a blank line, ``Fix: ...`` and the
    reference link."""
    lines: list[str] = []
    for finding in findings:
        properties = {
            "file": finding.file,
            "line": str(finding.line) if finding.line is not None else None,
            "title": f"{title(finding)} [{finding.id}]",
        }
        shown = ",".join(f"{k}={escape_property(v)}" for k, v in properties.items() if v)
        body = f"{finding.message}\n\nFix: {finding.fix}\nSee {finding.docs_url}"
        lines.append(f"::{COMMANDS[finding.severity]} {shown}::{escape_data(body)}")
    return lines


def _version() -> str:
    try:
        return metadata.version("vercel-lab")
    except metadata.PackageNotFoundError:  # a source tree that is not installed
        return "0.0.0"


def _rule(finding: Finding) -> dict[str, Any]:
    return {
        "id": finding.id,
        "name": "".join(part.capitalize() for part in finding.id.split("-")),
        "shortDescription": {"text": title(finding)},
        "helpUri": finding.docs_url,
        "help": {"text": f"{finding.fix}\nSee {finding.docs_url}"},
        "defaultConfiguration": {"level": LEVELS[finding.severity]},
        "properties": {"category": finding.category, "source": finding.source},
    }


def to_sarif(findings: Iterable[Finding], project_file: str | None = None) -> dict[str, Any]:
    """One SARIF 2.1.0 log with one run of ``vercel-lab``: a rule per check that fired (in
    first-seen order) and a result per finding (in the order given)."""
    rules: dict[str, dict[str, Any]] = {}
    results: list[dict[str, Any]] = []
    for finding in findings:
        rules.setdefault(finding.id, _rule(finding))
        result: dict[str, Any] = {
            "ruleId": finding.id,
            "ruleIndex": list(rules).index(finding.id),
            "level": LEVELS[finding.severity],
            "message": {"text": f"{finding.message}\n\nFix: {finding.fix}"},
            "properties": {"fix": finding.fix, "category": finding.category},
        }
        uri = finding.file or project_file
        if uri is not None:
            physical = {
                "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": finding.line or 1},
            }
            result["locations"] = [{"physicalLocation": physical}]
        results.append(result)
    driver = {
        "name": "vercel-lab",
        "version": _version(),
        "informationUri": REFERENCE_URL,
        "rules": list(rules.values()),
    }
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "results": results}],
    }


def render(
    findings: list[Finding], fmt: Format, title_line: str = "", project_file: str | None = None
) -> str:
    """The report in ``fmt`` (one of :data:`FORMATS`), ending with a newline (``github``
    prints nothing for no findings)."""
    if fmt == "json":
        return json.dumps(to_json(findings), indent=2) + "\n"
    if fmt == "sarif":
        return json.dumps(to_sarif(findings, project_file), indent=2) + "\n"
    if fmt == "github":
        return "".join(line + "\n" for line in to_github(findings))
    return render_text(findings, title=title_line)
