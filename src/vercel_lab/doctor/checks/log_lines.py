"""A pasted log's single lines (the platform's and the builder's own messages: "Task timed out
after", "Could not find a top-level", ...) and the reading of a whole log into findings:
:func:`check_log_text` normalises it (:func:`vercel_lab.logs.normalise`), names a failed build
step, classifies every raised exception (:func:`vercel_lab.doctor.checks.log.classify`) and
applies the line rules to the normalised text."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Final

from vercel_lab import logs
from vercel_lab.doctor.checks import log, log_build, log_causes
from vercel_lab.doctor.declare import make
from vercel_lab.doctor.findings import Finding
from vercel_lab.logs import LogRecord

__all__ = ["check_log_text", "check_records"]


# -- single lines ------------------------------------------------------------------------------

LineRule = tuple[re.Pattern[str], Callable[[re.Match[str]], Finding]]


def _entrypoint(match: re.Match[str]) -> Finding:
    message = match.group(0).removeprefix("Error: ").strip()
    named = re.search(r'"([^"]+\.py)"', message)
    return make(
        "log-entrypoint-not-found", named.group(1) if named else None, None, message=message
    )


_LINE_RULES: Final[tuple[LineRule, ...]] = (
    (
        logs.TIMED_OUT,
        lambda m: make("log-timeout", limit=f" ({m.group(1)} s)"),
    ),
    (
        re.compile(r"FUNCTION_INVOCATION_TIMEOUT|504: GATEWAY_TIMEOUT"),
        lambda m: make("log-timeout", limit=""),
    ),
    (
        re.compile(r"FUNCTION_(RESPONSE_)?PAYLOAD_TOO_LARGE|Request Entity Too Large"),
        lambda m: make("log-payload-too-large", code=m.group(0)),
    ),
    (
        re.compile(r".*(exceeds the maximum size limit|exceeded the unzipped maximum size).*"),
        lambda m: make("log-bundle-too-large", detail=m.group(0).strip()),
    ),
    (
        re.compile(r"Invalid HTTP_HOST header: '([^']+)'"),
        lambda m: make("log-disallowed-host", host=m.group(1)),
    ),
    (
        re.compile(
            r"(Error: )?(Could not find a top-level \"app\", \"application\", or \"handler\""
            r" in \"[^\"]+\"\.|No \w+ entrypoint found.*|Found \S+ but (it does not|none) "
            r"(define|export).*|Configured Python entrypoint \"[^\"]+\" was not found\.)"
        ),
        _entrypoint,
    ),
    (
        logs.NO_INTERFACE,
        lambda m: log._interface(m.group(1), (None, None)),
    ),
    (
        logs.MISSING_VARIABLE,
        lambda m: make("log-missing-variable", variable=m.group(1), module=m.group(2)),
    ),
    (re.compile(r"issubclass\(\) arg 1 must be a class"), lambda m: make("log-handler-not-class")),
    (
        re.compile(
            r"(?:Unable to import module '[^']+': |^(?:ModuleNotFoundError|ImportError): )"
            r"No module named '([^']+)'",
            re.MULTILINE,
        ),
        lambda m: log._module(m.group(1), None, None, (None, None)),
    ),
    (
        re.compile(
            r".*(No matching distribution found for \S+|Could not find a version that "
            r"satisfies the requirement \S+|pg_config executable not found|Failed building "
            r"wheel for \S+|No solution found when resolving dependencies).*"
        ),
        lambda m: make("log-pip-failed", detail=m.group(1)),
    ),
    (
        re.compile(
            r".*(Python version \"[^\"]+\" (detected in|declared in) .*|Unable to find any "
            r"supported Python versions\.|Python version \S+ detected in .* is below the "
            r"minimum supported version.*)"
        ),
        lambda m: make("log-python-version", detail=m.group(1).strip()),
    ),
    (
        re.compile(
            r".*(Function Runtimes must have a valid version.*|The pattern \"[^\"]+\" "
            r"defined in `functions` doesn't match any Serverless Functions.*|The `functions`"
            r" property cannot be used in conjunction with the `builds` property.*|Invalid "
            r"vercel\.json.*|should NOT have additional property.*|If `rewrites`, "
            r"`redirects`, `headers`, `cleanUrls` or `trailingSlash` are used, then `routes`"
            r" cannot be present.*)"
        ),
        lambda m: make("log-vercel-json", "vercel.json", None, detail=m.group(1).strip()),
    ),
    (
        re.compile(r"Due to `builds` existing in your configuration file"),
        lambda m: make("log-builds-warning", "vercel.json"),
    ),
    (
        re.compile(
            r"(?:GET|HEAD) (/static/\S+)\S* 404|Not Found: (/static/\S+)|Missing staticfiles"
            r" manifest entry for '([^']+)'"
        ),
        lambda m: make("log-static-not-found", path=next(g for g in m.groups() if g)),
    ),
    (
        # Fluid era: SIGKILL is how the platform stops a process over its memory (modelled,
        # as the Lambda era's "signal: killed")
        re.compile(
            r"Runtime exited with error: signal: killed|Runtime\.OutOfMemory"
            r"|Python process exited with signal: 9 \(SIGKILL\)"
        ),
        lambda m: make("log-out-of-memory", detail=m.group(0)),
    ),
    (
        logs.RUNTIME_EXITED,
        lambda m: make("log-runtime-exited", detail=f"Runtime exited with error: {m.group(1)}"),
    ),
    (
        logs.PROCESS_EXITED,
        lambda m: make("log-runtime-exited", detail=f"Python process exited with {m.group(1)}"),
    ),
    (
        re.compile(r"\[ERROR\] RemoteDisconnected: Remote end closed connection without response"),
        lambda m: make("log-request-crashed", exception="RemoteDisconnected"),
    ),
)


#: A literal part of every line rule: only the lines holding one are matched against the rules
#: (a 10,000-line log has a handful). Every rule has a realistic log in the tests, which fail if
#: its words are missing here.
_WORDS: Final = (
    "Task timed out",
    "FUNCTION_",
    "GATEWAY_TIMEOUT",
    "Request Entity Too Large",
    "maximum size",
    "Invalid HTTP_HOST",
    "Could not find a top-level",
    "entrypoint",
    "Found ",
    "Could not determine the application interface",
    "missing variable",
    "issubclass",
    "No module named",
    "No matching distribution",
    "Could not find a version",
    "pg_config",
    "Failed building wheel",
    "No solution found",
    "Python version",
    "supported Python",
    "Function Runtimes",
    "`functions`",
    "vercel.json",
    "additional property",
    "`routes`",
    "Due to `builds`",
    "/static/",
    "staticfiles",
    "Runtime exited",
    "Python process exited",
    "Runtime.OutOfMemory",
    "RemoteDisconnected",
)
# A rule that starts with ``.*`` is tried only at line starts: unanchored, ``finditer`` would
# retry it from every character of a 10,000-line log (quadratic in the line length).
_ANCHORED: Final[tuple[LineRule, ...]] = tuple(
    (re.compile("^" + p.pattern, p.flags | re.MULTILINE) if p.pattern.startswith(".*") else p, b)
    for p, b in _LINE_RULES
)


def _candidate_lines(text: str) -> str:
    """The lines of ``text`` that hold one of :data:`_WORDS`, in order (found with
    ``str.find``, so the cost is in the matches, not in the lines)."""
    spans: set[tuple[int, int]] = set()
    for word in _WORDS:
        found = text.find(word)
        while found != -1:
            start = text.rfind("\n", 0, found) + 1
            end = text.find("\n", found)
            end = len(text) if end == -1 else end
            spans.add((start, end))
            found = text.find(word, end)
    return "\n".join(text[start:end] for start, end in sorted(spans))


def check_log_text(text: str, root: Path | None = None) -> list[Finding]:
    """The findings of one pasted log (unsorted), in whatever form it was copied
    (:func:`vercel_lab.logs.normalise`). A log with nothing recognisable gives one
    ``log-unrecognised`` note. Generic findings (an exit, a crash without a cause) are dropped
    when the log also names a specific cause."""
    records = logs.normalise(text)
    return check_records(records, root)


def check_records(records: list[LogRecord], root: Path | None = None) -> list[Finding]:
    """:func:`check_log_text` of records already normalised."""
    manifest = logs.install_source(records)
    findings: list[Finding] = []
    failure = logs.build_failure(records)
    if failure is not None:
        findings.append(log_build.build_findings(failure, root))
    for model in logs.parse_records(records):
        for raised, chain in log._exceptions(model):
            if raised.exc_type:
                findings.append(log.classify(raised, root, manifest, chain))
    clean = _candidate_lines("\n".join(r.text for r in records))
    for pattern, build in _ANCHORED:
        for match in pattern.finditer(clean):
            findings.append(build(match))
    if manifest is not None:
        findings = [
            replace(f, fix=log_causes.dependency_fix(f.message.split("'")[1], manifest))
            if f.id == "log-module-not-found" and f.file is None and "'" in f.message
            else f
            for f in findings
        ]
    if silent := log_causes.silent_500(records):
        findings.append(silent)
    if any(f.id not in log.GENERIC and f.severity == "error" for f in findings):
        findings = [f for f in findings if f.id not in log.GENERIC]
    if failure is not None:  # the build's own failure outranks the resolver's words about it
        findings = [f for f in findings if f.id != "log-pip-failed"]
    # A line rule may repeat what a traceback already said, with less detail: keep the one
    # that knows the file.
    located = {f.id for f in findings if f.file is not None}
    findings = [f for f in findings if f.file is not None or f.id not in located]
    if not findings:
        findings = [make("log-unrecognised")]
    return findings
