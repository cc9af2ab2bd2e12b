"""Classify a pasted Vercel build or function log (or a local run's log) into findings.

Two passes: every Python traceback is parsed (frames, exception, chained causes) and named by
its exception; then single lines carry the platform's and the builder's own messages
("Task timed out after", "Could not find a top-level", ...). The file and line of a finding are
those of the last frame in the user's code (not the standard library, installed packages or the
runtime), with Vercel's ``/var/task/`` (or the local project folder) removed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Final

from vercel_lab import logs
from vercel_lab.doctor import deps
from vercel_lab.doctor.findings import Finding
from vercel_lab.doctor.registry import make
from vercel_lab.logs import Traceback
from vercel_lab.platform import TASK_ROOT, TRAMPOLINE_FILE

_LIBRARY = re.compile(
    r"site-packages|dist-packages|/_vendor/|^/var/lang/|/lib/python3\.\d+/|^<|vercel_runtime|"
    r"vc__handler__python|vc_init\.py|/vercel_lab/|/\.pyenv/|^/usr/(local/)?lib/"
)
GENERIC: Final = frozenset({"log-import-crash", "log-request-crashed", "log-runtime-exited"})
_REQUEST_MARKERS = (
    "Internal Server Error:",
    "Exception on /",
    "Exception in ASGI application",
    "Bad Request:",
    "Error handling request",
)
_WSGI_ATTRS = {
    "method",
    "path",
    "headers",
    "body",
    "url",
    "json",
    "args",
    "query",
    "query_params",
    "get_json",
    "form",
    "data",
    "cookies",
    "status",
    "send",
}


def user_location(tb: Traceback | None, root: Path | None) -> tuple[str | None, int | None]:
    """The last frame in the user's code along the chain, made project-relative."""
    while tb is not None:
        for frame in reversed(tb.frames):
            if not _LIBRARY.search(frame.file):
                return _relative(frame.file, root), frame.line
        tb = tb.cause_of
    return None, None


def _relative(file: str, root: Path | None) -> str:
    return logs.task_relative(file, [str(root), str(root.resolve())] if root is not None else [])


# -- one traceback -----------------------------------------------------------------------------


def classify(tb: Traceback, root: Path | None) -> Finding:
    """The most specific finding for one traceback (its exception and frames)."""
    file, line = user_location(tb, root)
    kind, message = tb.short_type, tb.message
    text = f"{tb.exception}: {message}" if message else tb.exception
    where = (file, line)
    if kind in ("ModuleNotFoundError", "ImportError") and (
        m := re.search(r"No module named '([^']+)'", message)
    ):
        return _module(m.group(1), tb, root, where)
    if (
        kind == "ImportError"
        and (m := re.search(r"cannot import name '(\w+)' from '([\w.]+)'", message))
        and "circular import" not in message
    ):
        return make("log-cannot-import-name", *where, name=m.group(1), module=m.group(2))
    if "Read-only file system" in message or (kind == "PermissionError" and TASK_ROOT in message):
        path = re.search(r"'([^']+)'", message)
        shown = f" (`{_relative(path.group(1), root)}`)" if path else ""
        return make("log-read-only-fs", *where, path=shown)
    if (
        kind == "OperationalError"
        and re.search(r"readonly database|unable to open database file|no such table", message)
        and ("sqlite" in " ".join(f.file for f in tb.frames) + tb.exception)
    ):
        return make("log-sqlite-readonly", *where, detail=message)
    if kind == "KeyError" and (
        any(f.file == "<frozen os>" or f.file.endswith("/os.py") for f in tb.frames[-1:])
        or any("environ[" in c for c in tb.code_lines)
    ):
        return make("log-env-var", *where, name=message.strip("'\""))
    if kind == "ImproperlyConfigured":
        env = re.search(r"Set the (\w+) environment variable", message)
        if env:
            return make("log-env-improperly-configured", *where, name=env.group(1))
        return make("log-improperly-configured", *where, detail=message)
    if kind == "DisallowedHost":
        host = re.search(r"header: '([^']+)'", message)
        return make("log-disallowed-host", *where, host=host.group(1) if host else message)
    if "issubclass() arg 1 must be a class" in message:
        return make("log-handler-not-class", *where)
    attribute = re.search(r"'(dict|function)' object has no attribute '(\w+)'", message)
    if kind == "AttributeError" and attribute and attribute.group(2) in _WSGI_ATTRS:
        return make("log-handler-got-environ", *where, detail=text)
    if (
        kind == "TypeError"
        and re.search(
            r"missing \d required positional argument|takes \d positional arguments? but \d",
            message,
        )
        and "handler" in message
    ):
        return make("log-handler-got-environ", *where, detail=text)
    if kind == "TypeError" and "bytes-like object is required" in message and file is None:
        return make("log-response-not-bytes", *where)
    if kind in ("SyntaxError", "IndentationError", "TabError"):
        return make("log-syntax-error", *where, exception=text)
    if kind == "MemoryError":
        return make("log-out-of-memory", *where, detail=text)
    interface = logs.NO_INTERFACE.search(message)
    if interface:
        return _interface(interface.group(1), where)
    missing = logs.MISSING_VARIABLE.search(message)
    if missing:
        return make(
            "log-missing-variable", *where, variable=missing.group(1), module=missing.group(2)
        )
    if "could not import" in tb.context or (
        any(f.file.endswith(TRAMPOLINE_FILE) or "resolver.py" in f.file for f in tb.frames)
        and not any(m in tb.context for m in _REQUEST_MARKERS)
    ):
        return make("log-import-crash", *where, exception=text)
    if "Exception occurred during processing of request" in tb.context:
        return make("log-request-crashed", *where, exception=text)
    return make("log-view-exception", *where, exception=text)


def _interface(target: str, where: tuple[str | None, int | None]) -> Finding:
    check_id = (
        "log-handler-interface" if target.endswith(":handler") else ("log-application-interface")
    )
    return make(check_id, *where, target=target)


def _module(
    name: str, tb: Traceback | None, root: Path | None, where: tuple[str | None, int | None]
) -> Finding:
    top = name.split(".")[0]
    folders: set[str] = set()
    for frame in tb.frames if tb else []:
        if not _LIBRARY.search(frame.file):
            folders.update(_relative(frame.file, root).split("/")[:-1])
    local = top in folders
    if root is not None and not local and not deps.is_stdlib(top):
        local = (
            any((root / p).exists() for p in (f"{top}.py", top))
            or any(True for _ in root.glob(f"*/{top}.py"))
            or any(True for _ in root.glob(f"*/{top}/__init__.py"))
        )
    check_id = "log-module-not-found-local" if local else "log-module-not-found"
    return make(check_id, *where, module=name)


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
        lambda m: _interface(m.group(1), (None, None)),
    ),
    (
        logs.MISSING_VARIABLE,
        lambda m: make("log-missing-variable", variable=m.group(1), module=m.group(2)),
    ),
    (re.compile(r"issubclass\(\) arg 1 must be a class"), lambda m: make("log-handler-not-class")),
    (
        re.compile(r"Unable to import module '[^']+': No module named '([^']+)'"),
        lambda m: _module(m.group(1), None, None, (None, None)),
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


def check_log_text(text: str, root: Path | None = None) -> list[Finding]:
    """The findings of one pasted log (unsorted). A log with nothing recognisable gives one
    ``log-unrecognised`` note. Generic findings (an exit, a crash without a cause) are dropped
    when the log also names a specific cause."""
    findings = [classify(tb, root) for tb in logs.parse_tracebacks(text) if tb.exception]
    for pattern, build in _LINE_RULES:
        for match in pattern.finditer(text):
            findings.append(build(match))
    if any(f.id not in GENERIC and f.severity == "error" for f in findings):
        findings = [f for f in findings if f.id not in GENERIC]
    # A line rule may repeat what a traceback already said, with less detail: keep the one
    # that knows the file.
    located = {f.id for f in findings if f.file is not None}
    findings = [f for f in findings if f.file is not None or f.id not in located]
    if not findings:
        findings = [make("log-unrecognised")]
    return findings
