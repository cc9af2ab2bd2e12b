"""Python tracebacks in normalised log records: exception type, message, frames, chained
causes and exception-group members.

The shapes read are CPython's (Lib/traceback.py 3.12.1: ``_cause_message`` and
``_context_message`` lines 81-87, exception groups 990-1035) and AWS Lambda's (awslambdaric
4.2.2 bootstrap.py 121-148: ``[ERROR] Type: message`` then ``Traceback (most recent call
last):`` and frames from ``traceback.format_list``; :func:`vercel_lab.logs.forms.normalise` has
already moved the exception line after the frames). Frames may have lost their indentation
(the dashboard's copy does that: public log quoted in FACTS.md (d)), so a line is told apart
by its content, not its indent. Pure; raises nothing.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Final, Literal

from vercel_lab.logs.core import Frame, Traceback
from vercel_lab.logs.forms import LogRecord

_FRAME: Final = re.compile(
    r'^\s*File "(?P<file>[^"]+)",? [Ll]ine (?P<line>\d+)(?:, in (?P<func>[^\s]+))?'
)
_EXCEPTION: Final = re.compile(
    r"^(?P<type>(?:[A-Za-z_]\w*\.)*(?P<last>[A-Za-z_]\w*))(?:(?P<colon>:)(?: (?P<msg>.*))?)?$"
)
_BARE_TYPE: Final = re.compile(r"(Error|Exception|Exit|Interrupt|Warning|Group|Iteration)$")
_HEADERS: Final = (
    "Traceback (most recent call last):",
    "Exception Group Traceback (most recent call last):",
)
_CAUSE: Final = "The above exception was the direct cause of the following exception:"
_CONTEXT: Final = "During handling of the above exception, another exception occurred:"
_DETAIL_STOP: Final = re.compile(
    r"^(Python process exited|Error importing|could not import|INFO:|WARNING:|ERROR:|"
    r"INIT_REPORT|START RequestId|END RequestId|REPORT RequestId|\[ERROR\]|\[WARNING\]|"
    # an access-log line (werkzeug's, http.server's): ``127.0.0.1 - - [29/Nov/2026 ...] "GET``
    r"\S+ - \S+ \[[^\]]+\] \")"
)
_MAX_DETAIL: Final = 10

Link = Literal["cause", "context"]


@dataclass
class TracebackModel:
    """One raised exception as printed.

    ``cause`` is the exception printed *before* this one in a chain, related by ``link``
    (``"cause"``: raised ``from`` it; ``"context"``: raised while handling it). ``exceptions``
    are an exception group's members. ``detail`` holds the message's continuation lines
    (pydantic's field list, for one). ``line`` is the 1-based input line of the
    ``Traceback`` header; ``context`` up to three lines of text printed before it.
    """

    exc_type: str
    message: str
    frames: list[Frame] = field(default_factory=list)
    detail: list[str] = field(default_factory=list)
    cause: TracebackModel | None = None
    link: Link | None = None
    exceptions: list[TracebackModel] = field(default_factory=list)
    line: int = 0
    request_id: str | None = None
    context: list[str] = field(default_factory=list)

    @property
    def short_type(self) -> str:
        """The type without its module (``ValidationError`` for ``pydantic_core...``)."""
        return self.exc_type.rpartition(".")[2]

    def chain(self) -> Iterator[TracebackModel]:
        """This exception, then its causes, most recent first."""
        current: TracebackModel | None = self
        while current is not None:
            yield current
            current = current.cause


def _as_records(lines: Sequence[LogRecord] | Sequence[str]) -> list[LogRecord]:
    return [r if isinstance(r, LogRecord) else LogRecord(str(r), i) for i, r in enumerate(lines, 1)]


def split_exception_line(text: str) -> tuple[str, str] | None:
    """(type, message) if ``text`` is an exception line such as ``KeyError: 'X'``."""
    match = _EXCEPTION.match(text.strip())
    if match is None:
        return None
    last = match.group("last")
    if not last[0].isupper():
        return None
    if match.group("colon") is None and not _BARE_TYPE.search(last):
        return None
    return match.group("type"), match.group("msg") or ""


def _caret(text: str) -> bool:
    stripped = text.strip()
    return bool(stripped) and set(stripped) <= set("^~ ")


def _parse_block(records: list[LogRecord], start: int) -> tuple[TracebackModel | None, int]:
    """The traceback whose header is ``records[start]``; returns it and the next index."""
    header = records[start]
    depth = header.group_depth
    model = TracebackModel("", "", line=header.line, request_id=header.request_id)
    index = start + 1
    code_pending = False
    strays = 0
    while index < len(records):
        record = records[index]
        text = record.text
        if record.marker or record.group_depth != depth or text.strip() in _HEADERS:
            return None, index
        if (frame := _FRAME.match(text)) is not None:
            model.frames.append(
                Frame(frame.group("file"), int(frame.group("line")), frame.group("func"))
            )
            code_pending, strays = True, 0
        elif not text.strip() or _caret(text):
            pass
        elif (exc := split_exception_line(text)) is not None and not text.startswith((" ", "\t")):
            model.exc_type, model.message = exc
            return model, _detail(records, index + 1, model, record)
        elif code_pending and model.frames:
            last = model.frames[-1]
            model.frames[-1] = Frame(last.file, last.line, last.function, text.strip())
            code_pending = False
        elif text.startswith((" ", "\t")):
            pass  # a statement's continuation lines (3.13 prints them)
        else:
            strays += 1
            if strays > 3:
                return None, index
        index += 1
    return None, index


def _detail(records: list[LogRecord], index: int, model: TracebackModel, exc: LogRecord) -> int:
    while index < len(records) and len(model.detail) < _MAX_DETAIL:
        record = records[index]
        text = record.text.strip()
        if (
            not text
            or record.marker
            or record.group_depth != exc.group_depth
            or text in _HEADERS
            or text in (_CAUSE, _CONTEXT)
            or _DETAIL_STOP.match(text)
            or (record.timestamp is not None and record.timestamp != exc.timestamp)
            or record.request_id != exc.request_id
        ):
            break
        model.detail.append(text)
        index += 1
    return index


def _members(records: list[LogRecord], index: int, depth: int) -> tuple[list[TracebackModel], int]:
    """An exception group's members: the records after its exception line, split at the
    ``+---- n ----`` separators of depth ``depth``, up to the closing ``+-----``."""
    members: list[TracebackModel] = []
    if index >= len(records) or records[index].marker != "group-item":
        return members, index
    block: list[LogRecord] = []
    while index < len(records):
        record = records[index]
        if record.group_depth < depth or (
            record.marker == "group-end" and record.group_depth == depth
        ):
            index += record.marker == "group-end"
            break
        if record.marker == "group-item" and record.group_depth == depth:
            members.extend(_member(block))
            block = []
        else:
            block.append(record)
        index += 1
    members.extend(_member(block))
    return members, index


def _member(block: list[LogRecord]) -> list[TracebackModel]:
    """One group member: a raised exception (its traceback) or one never raised (its
    exception line alone; a nested group's members follow it)."""
    if not block:
        return []
    first = block[0]
    if first.text.strip() in _HEADERS:
        return parse_records(block)[:1]
    exc = split_exception_line(first.text)
    if exc is None:
        return []
    model = TracebackModel(exc[0], exc[1], line=first.line, request_id=first.request_id)
    model.exceptions, _ = _members(block, 1, first.group_depth)
    return [model]


def parse_records(lines: Sequence[LogRecord] | Sequence[str]) -> list[TracebackModel]:
    """Every traceback in ``lines`` (records from :func:`~vercel_lab.logs.forms.normalise`, or
    plain strings), one model per chain: the last exception printed, its ``cause`` the one
    before. Headers without an exception line (a cut-off paste) are skipped."""
    records = _as_records(lines)
    found: list[TracebackModel] = []
    last_end = -1
    index = 0
    while index < len(records):
        record = records[index]
        if record.marker or record.text.strip() not in _HEADERS:
            index += 1
            continue
        model, end = _parse_block(records, index)
        if model is None:
            index = max(end, index + 1)
            continue
        if record.text.strip() == _HEADERS[1]:
            model.exceptions, end = _members(records, end, record.group_depth)
        gap = [r.text.strip() for r in records[last_end:index]] if last_end >= 0 else []
        link: Link | None = "cause" if _CAUSE in gap else "context" if _CONTEXT in gap else None
        # A chain's parts are joined by its marker; a line or two printed in between (the
        # runtime's "could not import ..." when the log interleaves) does not break the chain.
        if found and link and sum(t not in ("", _CAUSE, _CONTEXT) for t in gap) <= 2:
            model.cause, model.link = found.pop(), link
        before = [r.text.strip() for r in records[max(0, index - 3) : index] if r.text.strip()]
        model.context = before
        found.append(model)
        last_end = end
        index = end
    return found


# -- the line model's view ---------------------------------------------------------------------


def _as_traceback(model: TracebackModel) -> Traceback:
    line = f"{model.exc_type}: {model.message}" if model.message else model.exc_type
    return Traceback(
        frames=list(model.frames),
        exception=model.exc_type,
        message=model.message,
        exception_line=line,
        code_lines=[f.code for f in model.frames if f.code],
        context="\n".join(model.context),
    )


def parse_tracebacks(text: str) -> list[Traceback]:
    """Every traceback of ``text`` in log order as the plain :class:`~vercel_lab.logs.Traceback`
    model, read through :func:`~vercel_lab.logs.forms.normalise` and :func:`parse_records` (so
    every copy form is read); a chain's parts are linked forward through ``cause_of`` (the
    exception raised first points to the one raised from it)."""
    from vercel_lab.logs.forms import normalise

    found: list[Traceback] = []
    for model in parse_records(normalise(text)):
        chain = [_as_traceback(link) for link in reversed(list(model.chain()))]
        for earlier, later in itertools.pairwise(chain):
            earlier.cause_of = later
        found.extend(chain)
    return found


def exception_lines(log: str) -> list[str]:
    """The exception line of every traceback in ``log``, in log order
    (``django.core.exceptions.ImproperlyConfigured: ...``, ``Exception: boom``,
    ``KeyboardInterrupt``)."""
    return [tb.exception_line for tb in parse_tracebacks(log) if tb.exception_line]


def exception_line(log: str) -> str:
    """The exception finally raised in ``log``: the last traceback's exception line; "" when
    the log holds no complete traceback."""
    lines = exception_lines(log)
    return lines[-1] if lines else ""
