"""One pasted log, however it was copied, as a list of :class:`LogRecord` (one per line of text).

``normalise(text)`` removes what each copy form puts before the message, so the traceback and
build readers see Python's own text:

- ``vercel logs --json`` lines (three shapes, see :mod:`vercel_lab.logs.jsonlines`), grouped by
  request id;
- timestamps: ``2026-08-28 21:14:03.112  ``, ISO ``2022-02-12T08:42:23.682Z  `` (what
  ``vercel inspect --logs`` prints: ISO date, two spaces; vercel 58.10.0
  dist/chunks/chunk-L6BFCLXF.js:1064-1072 ``printBuildLog``), optional ``[error]`` level tag
  (public log: ``2026-02-27 18:14:01.064 [error] Error importing app/api/index.py:``), the
  dashboard build log's ``23:52:59.483 | `` and ``[22:39:45.915] `` and ``00:29:45.738  \\t``;
- the dashboard's runtime-log columns (time, [method], status, host, [path], message) — the
  column order is *modelled*: no Vercel page documents the copy form;
- the CLI's tables: a header line naming ``MESSAGE`` (vercel 58.10.0 commands-bulk.js:53311-53345,
  vercel 64.0.2 ``runtimeRenderer``) gives the message column for every following row;
  ``vercel logs --follow``'s detail line + dashes (58.10.0 chunk-L6BFCLXF.js:1084-1120);
  the legacy Functions tab's ``[GET] /path`` and ``14:16:53:29`` lines;
- the ``|`` margins of exception groups (CPython Lib/traceback.py ``_ExceptionPrintContext.emit``
  and ``TracebackException.format``, 3.12.1 lines 656-676, 990-1035);
- Lambda's ``[ERROR] Type: message`` first, traceback after (awslambdaric 4.2.2 bootstrap.py
  121-148, indentation replaced with U+00A0): the exception line is moved after the frames;
- a traceback pasted collapsed onto one line is split again at its frames.

Pure: no I/O. Errors: none raised; unreadable JSON lines are kept as text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Final, Literal

Marker = Literal["", "group-item", "group-end"]


@dataclass(slots=True)
class LogRecord:
    """One line of log text with its copy-form prefix removed (a value: never mutated after
    :func:`normalise` returns; not frozen only because frozen dataclasses are 3x slower to
    build, which a 10,000-line log feels).

    ``line`` is the 1-based line of the pasted text it came from (JSON lines expand into several
    records with the same ``line``; 0 for a request known only from a ``request`` record).
    ``group_depth`` is the exception-group nesting (0 outside a group); ``marker`` flags
    the ``+---- n ----`` separators (``group-item``, whose ``group_depth`` is the group's own
    depth) and the closing ``+-----`` (``group-end``).
    """

    text: str
    line: int
    form: str = "plain"
    timestamp: str | None = None
    level: str | None = None
    request_id: str | None = None
    method: str | None = None
    path: str | None = None
    status: int | None = None
    host: str | None = None
    group_depth: int = 0
    marker: Marker = ""


_METHODS: Final = "GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS"
_CLOCK: Final = r"\d\d:\d\d:\d\d(?:[.,:]\d+)?"
_DATE: Final = r"\d{4}-\d\d-\d\d[T ]" + _CLOCK + r"(?:Z|[+-]\d\d:?\d\d)?"
_MONTH_DATE: Final = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\d{1,2},? +" + _CLOCK
_TIME: Final = rf"(?:{_DATE}|{_MONTH_DATE}|{_CLOCK})"

# (form, pattern); group "rest" keeps the separator run so the common width can be removed.
_PREFIXES: Final[tuple[tuple[str, re.Pattern[str]], ...]] = (
    ("bracket-time", re.compile(rf"^\[(?P<ts>{_TIME})\](?P<rest>.*)$")),
    ("pipe-time", re.compile(rf"^(?P<ts>{_TIME}) \| ?(?P<rest>.*)$")),
    (
        "dashboard-columns",
        re.compile(
            rf"^(?P<ts>{_TIME})[ \t]+(?:(?P<method>{_METHODS})[ \t]+)?(?P<status>\d{{3}}|---)"
            r"[ \t]+(?P<host>[\w-]+(?:\.[\w-]+)+)[ \t]+(?:(?P<path>/\S*)[ \t]+)?(?P<rest>.*)$"
        ),
    ),
    (
        "timestamp",
        re.compile(
            rf"^(?P<ts>{_TIME})(?:[ \t]+\[(?P<level>[a-z]+)\])?(?P<rest>(?:[ \t].*)?)$",
            re.IGNORECASE,
        ),
    ),
)
_LEGACY_REQUEST: Final = re.compile(rf"^\[(?P<method>{_METHODS})\] (?P<path>/\S*)$")
_LEGACY_CLOCK: Final = re.compile(r"^\d\d:\d\d:\d\d:\d\d$")
_FOLLOW_DETAIL: Final = re.compile(
    rf"^(?P<ts>{_CLOCK})  \S+  (?P<method>{_METHODS})  (?P<status>\d{{3}}|---)  "
    r"(?P<host>\S*)  \S?\s+(?P<path>/\S*)$"
)
_DASHES: Final = re.compile(r"^-{20,}$")
_MONTHS: Final = frozenset(
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
)
_PREFIX_START: Final = frozenset("0123456789[")
# First characters of the lines the CLI-layout pass looks at (header, detail, legacy, dashes).
_SPECIAL_START: Final = frozenset("T0123456789[-")
_TABLE_HEADER: Final = re.compile(r"^TIME\s.*\bMESSAGE\s*$")
_GROUP_ITEM: Final = re.compile(
    r"^(?P<lead> *)(?P<first>\+-)?(?P<pad> *)\+-{16} (?:\d+|\.\.\.) -{16}$"
)
_GROUP_END: Final = re.compile(r"^(?P<lead> *)\+-{36}$")
_GROUP_LINE: Final = re.compile(r"^(?P<lead> *)[|+] ?(?P<rest>.*)$")
_LAMBDA_ERROR: Final = re.compile(r"^\[ERROR\]\s+(?P<exc>[A-Za-z_][\w.]*(?::.*)?)$")
_TRACEBACK: Final = "Traceback (most recent call last):"
_COLLAPSED_SPLIT: Final = re.compile(
    r"(?<=\S)(?:\s*(?=\[ERROR\] |Traceback \(most recent call last\):)"
    r"|(?=\s+File \"[^\"]+\", line \d+))"
)


def _unfold(text: str) -> list[str]:
    """Lines, with a traceback pasted onto one line split again at ``[ERROR]``, ``Traceback``
    and each ``File "...", line N``; leading U+00A0 (Lambda's indent) become spaces."""
    lines: list[str] = []
    for raw in text.splitlines():
        raw = raw.replace("\r", "")
        stripped = raw.lstrip("\u00a0")
        raw = " " * (len(raw) - len(stripped)) + stripped
        after = raw.split(_TRACEBACK, 1)[1] if _TRACEBACK in raw else ""
        if raw.count('File "') > 1 or 'File "' in after:
            lines.extend(part for part in _COLLAPSED_SPLIT.split(raw) if part)
        else:
            lines.append(raw)
    return lines


def _timed(raw: str, starts: str) -> bool:
    """Whether ``raw`` may begin with a clock (``HH:``), a date (``YYYY-``), ``[``, or one of
    ``starts``: every prefix form does, and the test spares the regexes the other lines
    (access logs begin with an IP address)."""
    return raw[2:3] == ":" or raw[4:5] == "-" or raw[:1] == "[" or (raw[:1] in starts)


def _strip_prefixes(lines: list[str], first_line: int) -> list[LogRecord]:
    """Records of raw lines: the CLI's layouts first (a ``TIME ... MESSAGE`` header fixes the
    message column of the rows after it; ``--follow``'s detail line and the legacy ``[GET] /path``
    + clock lines carry request data to the lines after them and are dropped), then the
    prefixes of :data:`_PREFIXES`."""
    column: int | None = None
    context: dict[str, str] = {}
    kept: list[tuple[int, str, dict[str, str]]] = []  # (line number, text, request context)
    table: set[int] = set()
    for index, raw in enumerate(lines):
        number = first_line + index
        if column is None and not (raw[:1] in _SPECIAL_START and _timed(raw, "T-")):
            kept.append((number, raw, context))
            continue
        if _TABLE_HEADER.match(raw):
            column = raw.index("MESSAGE")
            continue
        if column is not None and (raw[:column].strip() or raw.startswith(" " * column)):
            table.add(number)
            kept.append((number, raw[column:] if len(raw) > column else "", context))
            continue
        if (match := _FOLLOW_DETAIL.match(raw)) or (match := _LEGACY_REQUEST.match(raw)):
            context = {k: v for k, v in match.groupdict().items() if v}
            continue
        if _DASHES.match(raw) or _LEGACY_CLOCK.match(raw):
            continue
        kept.append((number, raw, context))
    matches: list[tuple[str, re.Match[str]] | None] = []
    for number, raw, _ in kept:
        found = None
        gated = (raw[:1] in _PREFIX_START and _timed(raw, "")) or raw[:3] in _MONTHS
        for form, pattern in _PREFIXES if gated and number not in table else ():
            if (match := pattern.match(raw)) is not None:
                found = (form, match)
                break
        matches.append(found)
    # The separator after a prefix is the narrowest run of blanks seen for that form: what is
    # left beyond it is the message's own indentation (tracebacks, group margins).
    width: dict[str, int] = {}
    for found in matches:
        if found is not None and (rest := found[1].group("rest")).strip():
            run = len(rest) - len(rest.lstrip(" \t"))
            width[found[0]] = min(width.get(found[0], run), run)
    records: list[LogRecord] = []
    for (number, raw, ctx), found in zip(kept, matches, strict=True):
        if found is None and not ctx and number not in table:
            records.append(LogRecord(raw, number))
            continue
        groups: dict[str, str | None] = dict(ctx)
        text, form = raw, "cli-table" if number in table else "plain"
        if found is not None:
            form, match = found
            groups.update({k: v for k, v in match.groupdict().items() if v is not None})
            text = match.group("rest")[width.get(form, 0) :].replace("\t", "    ")
        status = groups.get("status")
        records.append(
            LogRecord(
                text=text,
                line=number,
                form=form,
                timestamp=groups.get("ts"),
                level=groups.get("level") or None,
                method=groups.get("method"),
                path=groups.get("path"),
                status=int(status) if status and status.isdigit() else None,
                host=groups.get("host") or None,
            )
        )
    return records


def _group_margins(records: list[LogRecord]) -> list[LogRecord]:
    """Remove exception-group margins (``  | ``, ``  + ``) and turn separators into markers."""
    if not any("Exception Group Traceback" in r.text for r in records):
        return records
    out: list[LogRecord] = []
    inside = False
    for record in records:
        text = record.text
        if "Exception Group Traceback" in text:
            inside = True
        if not inside:
            out.append(record)
            continue
        if match := _GROUP_ITEM.match(text):
            lead = len(match.group("lead")) + len(match.group("pad"))
            depth = lead // 2 if match.group("first") else lead // 2 - 1
            out.append(replace(record, text="", group_depth=depth, marker="group-item"))
        elif match := _GROUP_END.match(text):
            depth = len(match.group("lead")) // 2 - 1
            out.append(replace(record, text="", group_depth=depth, marker="group-end"))
            inside = depth > 1
        elif match := _GROUP_LINE.match(text):
            depth = max(1, len(match.group("lead")) // 2)
            out.append(replace(record, text=match.group("rest"), group_depth=depth))
        else:
            inside = False
            out.append(record)
    return out


def _is_frame_part(text: str) -> bool:
    stripped = text.strip()
    return (
        stripped.startswith('File "') or text.startswith((" ", "\t")) or set(stripped) <= set("^~ ")
    )


def _lambda_order(records: list[LogRecord]) -> list[LogRecord]:
    """Lambda prints ``[ERROR] Type: message`` and then the frames: put the exception line after
    the last frame, as CPython prints it, so the traceback reader sees one shape."""
    if not any(r.text.lstrip().startswith("[ERROR]") for r in records):
        return records
    out = list(records)
    index = 0
    while index < len(out):
        match = _LAMBDA_ERROR.match(out[index].text.strip())
        nxt = index + 1
        if match and nxt < len(out) and out[nxt].text.strip() == _TRACEBACK:
            end = nxt + 1
            while end < len(out) and out[end].text and _is_frame_part(out[end].text):
                end += 1
            moved = replace(out[index], text=match.group("exc"), form=out[index].form + "+lambda")
            out = out[:index] + out[nxt:end] + [moved] + out[end:]
            index = end
        index += 1
    return out


def normalise_text_lines(lines: Iterable[str], first_line: int = 1) -> list[LogRecord]:
    """Records of plain (non-JSON) log lines; see the module docstring for the forms read."""
    return _lambda_order(_group_margins(_strip_prefixes(list(lines), first_line)))


def normalise(text: str) -> list[LogRecord]:
    """Every line of ``text`` as a :class:`LogRecord`, prefixes removed, ``vercel logs --json``
    objects expanded and grouped by request id, a ``vercel inspect --logs --json`` array
    expanded into its events' lines (:mod:`vercel_lab.logs.jsonlines`)."""
    from vercel_lab.logs.jsonlines import expand_build_events, expand_json_lines

    events = expand_build_events(text, normalise_text_lines)
    if events is not None:
        return events
    return expand_json_lines(_unfold(text), normalise_text_lines)
