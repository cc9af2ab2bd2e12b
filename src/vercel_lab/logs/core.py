"""Line patterns, the printed-traceback model (:class:`Traceback` of :class:`Frame`), the runtime's
messages and Vercel's paths: the part of :mod:`vercel_lab.logs` that reads Python's own text
(see the package docstring for every shape and its source)."""

from __future__ import annotations

import builtins
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final, Literal

from vercel_lab.platform import TASK_ROOT

__all__ = [
    "CHAIN_MARKERS",
    "COULD_NOT_IMPORT",
    "EXCEPTION",
    "FRAME",
    "LAMBDA_ERROR",
    "MISSING_VARIABLE",
    "NO_INTERFACE",
    "PROCESS_EXITED",
    "RUNTIME_EXITED",
    "TIMED_OUT",
    "TRACEBACK_START",
    "Frame",
    "LineReading",
    "Traceback",
    "read_line",
    "task_relative",
    "to_task",
    "without_frames",
]

# -- the patterns --------------------------------------------------------------------------------

#: The header of every printed traceback.
TRACEBACK_START: Final = "Traceback (most recent call last):"
#: A frame line: ``  File "/var/task/api/index.py", line 30, in handler`` (``, in`` is absent for
#: a SyntaxError's location).
FRAME: Final = re.compile(r'^\s*File "(?P<file>[^"]+)", line (?P<line>\d+)(?:, in (?P<func>\S+))?')
#: A traceback's exception line, read only where a traceback ends (after its frames): the type,
#: qualified or not, and the message after ``: `` if any (``KeyboardInterrupt`` has none).
EXCEPTION: Final = re.compile(
    r"^(?:\[ERROR\]\s*)?(?P<type>[A-Za-z_][\w.]*)(?::\s?(?P<message>.*))?$"
)
#: What joins the tracebacks of a chain (``raise ... from``, or an exception while handling one).
CHAIN_MARKERS: Final = (
    "The above exception was the direct cause",
    "During handling of the above exception",
)
#: A log line's prefix as Vercel's log viewer shows it: an ISO timestamp and/or a ``[level]``.
STAMP: Final = re.compile(r"^\s*(\d{4}-\d\d-\d\d[T ][\d:.]+Z?\s+)?(\[[a-z]+\]\s+)?", re.IGNORECASE)
#: Lambda's form of an error that ended the invocation: ``[ERROR] Type: message``.
LAMBDA_ERROR: Final = re.compile(r"^\[ERROR\]\s+(?P<type>[A-Za-z_][\w.]*): (?P<message>.*)$")
#: ``vc_init`` could not import the entrypoint (the traceback follows).
COULD_NOT_IMPORT: Final = re.compile(r'could not import "(?P<file>[^"]+)"')
#: The entrypoint has no such variable (``resolve_app``).
MISSING_VARIABLE: Final = re.compile(
    r'missing variable "(?P<variable>\w+)" in file "(?P<module>[\w.]+)"'
)
#: The variable is neither WSGI nor ASGI (``detect_app_type``).
NO_INTERFACE: Final = re.compile(
    r"Could not determine the application interface for '(?P<target>[^']+)'"
)
#: The platform's line for an instance that died (:func:`vercel_lab.platform.death`), Lambda era.
RUNTIME_EXITED: Final = re.compile(r"Runtime exited with error: (?P<reason>[^\n]+)")
#: The same line in the Fluid era (``platform.TEXTS["log.exit"]`` / ``["log.signal"]``).
PROCESS_EXITED: Final = re.compile(
    r"Python process exited with (?P<reason>exit status: \d+|signal: \d+ \(\w+\)"
    r"(?: \(core dumped\))?)\."
)
#: The platform's line for an invocation over its maximum duration.
TIMED_OUT: Final = re.compile(r"Task timed out after (?P<seconds>[\d.]+) seconds")


# -- the model -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Frame:
    """One frame of a printed traceback: ``file`` as printed, 1-based ``line``, the function
    (None for a SyntaxError's location) and the source line shown under it ("" when none)."""

    file: str
    line: int
    function: str | None = None
    code: str = ""


@dataclass
class Traceback:
    """One ``Traceback (most recent call last):`` block as printed.

    ``exception`` is the type as printed (``django.core.exceptions.ImproperlyConfigured``),
    ``message`` what follows ``: `` ("" for ``KeyboardInterrupt``), ``exception_line`` the whole
    line without the log viewer's prefix (a block cut before its exception line is not read).
    ``code_lines`` are the source lines shown under its frames, ``context``
    the (up to three) non-blank log lines before the block, one per line, ``cause_of`` the next
    traceback of a chain. Built by :func:`vercel_lab.logs.parse_tracebacks` from the richer
    :class:`~vercel_lab.logs.TracebackModel`.
    """

    frames: list[Frame] = field(default_factory=list)
    exception: str = ""
    message: str = ""
    exception_line: str = ""
    code_lines: list[str] = field(default_factory=list)
    context: str = ""
    cause_of: Traceback | None = None

    @property
    def short_type(self) -> str:
        """The exception's class name without its module: ``ImproperlyConfigured``."""
        return self.exception.rpartition(".")[2]


# -- one line at a time --------------------------------------------------------------------------

LineKind = Literal[
    "traceback", "frame", "chain", "runtime", "platform", "lambda-error", "exception", "text"
]


@dataclass(frozen=True)
class LineReading:
    """What one log line is, read on its own (without the lines around it).

    ``kind``: ``"traceback"`` (a traceback's header), ``"frame"``, ``"chain"`` (a chain header),
    ``"runtime"`` (one of ``vercel_runtime``'s messages), ``"platform"`` (the platform's death or
    timeout line), ``"lambda-error"`` (``[ERROR] Type: message``), ``"exception"`` (a line shaped
    like an exception line whose type names an exception: a built-in exception, a name ending in
    ``Error``, ``Exception``, ``Exit``, ``Interrupt``, ``Warning`` or ``Configured``, or a
    class name qualified by its module, ``django.core.exceptions.DisallowedHost``; inside a
    traceback its position decides for any other name) or ``"text"``.
    ``fields`` holds the named parts (``type``, ``message``, ``file``, ``line``, ...).
    """

    kind: LineKind
    fields: tuple[tuple[str, str], ...] = ()

    def get(self, name: str) -> str | None:
        return dict(self.fields).get(name)


_EXCEPTION_NAME = re.compile(r"(Error|Exception|Exit|Interrupt|Warning|Configured)$")
_BUILTIN_EXCEPTIONS: Final = frozenset(
    name
    for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
)


def _named(match: re.Match[str]) -> tuple[tuple[str, str], ...]:
    return tuple((k, v) for k, v in match.groupdict().items() if v is not None)


def read_line(line: str) -> LineReading:
    """What ``line`` is on its own (see :class:`LineReading`); the log viewer's prefix is
    ignored."""
    if found := LAMBDA_ERROR.match(line.strip()):
        return LineReading("lambda-error", _named(found))
    text = STAMP.sub("", line, count=1).strip()
    if TRACEBACK_START in text:
        return LineReading("traceback")
    if frame := FRAME.match(line):
        return LineReading("frame", _named(frame))
    if any(text.startswith(marker) for marker in CHAIN_MARKERS):
        return LineReading("chain")
    for pattern in (COULD_NOT_IMPORT, MISSING_VARIABLE, NO_INTERFACE):
        if found := pattern.search(text):
            return LineReading("runtime", _named(found))
    for pattern in (RUNTIME_EXITED, PROCESS_EXITED, TIMED_OUT):
        if found := pattern.search(text):
            return LineReading("platform", _named(found))
    found = EXCEPTION.match(text)
    if found:
        module, _, short = found["type"].rpartition(".")
        if (
            short in _BUILTIN_EXCEPTIONS
            or _EXCEPTION_NAME.search(short)
            or (module and short[:1].isupper() and not short.isupper())
        ):
            return LineReading("exception", _named(found))
    return LineReading("text")


# -- paths: the machine's and Vercel's ----------------------------------------------------------


def to_task(text: str, roots: Iterable[str]) -> str:
    """``text`` with each of ``roots`` (local folders that are ``/var/task`` on Vercel) written
    as ``/var/task``, the longest first so a folder inside another is not half-replaced."""
    for root in sorted({r.rstrip("/") for r in roots if r.rstrip("/")}, key=len, reverse=True):
        text = text.replace(root, TASK_ROOT)
    return text


def task_relative(file: str, roots: Iterable[str] = ()) -> str:
    """``file`` relative to the project when it is under ``/var/task`` or one of ``roots``
    (``/var/task/api/index.py`` -> ``api/index.py``); unchanged otherwise."""
    if file.startswith(TASK_ROOT + "/"):
        return file[len(TASK_ROOT) + 1 :]
    for root in roots:
        base = root.rstrip("/")
        if base and file.startswith(base + "/"):
            return file[len(base) + 1 :]
    return file


def without_frames(log: str, file: re.Pattern[str]) -> str:
    """``log`` without the traceback frames (and their source lines) whose file matches
    ``file``: frames of vercel-lab's own machinery, which do not exist on Vercel."""
    out: list[str] = []
    skipping = False
    for line in log.splitlines(keepends=True):
        frame = FRAME.match(line)
        if frame is not None:
            skipping = line.startswith("  File ") and file.search(frame["file"]) is not None
            if skipping:
                continue
        elif skipping and line.startswith("    "):
            continue
        else:
            skipping = False
        out.append(line)
    return "".join(out)
