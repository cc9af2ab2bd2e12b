"""``vercel logs --json`` output: one JSON object per line, expanded into records grouped by
request id.

Three shapes, each from the CLI's own source:

- vercel 58.10.0 (the pinned CLI), ``vercel logs --json`` without ``--follow``: one object per
  *request* (commands-bulk.js:53273-53275 writes ``JSON.stringify(log)``; the object is built
  at 52501-52529): ``id`` (the request id), ``timestamp`` (ms), ``deploymentId``, ``projectId``,
  ``level``, ``message`` (the most severe entry), ``messageTruncated``, ``source``, ``domain``,
  ``requestMethod``, ``requestPath``, ``responseStatusCode``, ``environment``, ``branch``,
  ``cache``, ``cacheReason``, ``pprState``, ``traceId``, and ``logs``: every entry of the
  request as ``{level, message, messageTruncated}``. The request's lines are in ``logs``.
- vercel 58.10.0 ``vercel logs --follow --json``: the runtime-logs API's lines printed raw
  (chunk-L6BFCLXF.js:981-1063, ``printRawLogLine``): ``level``, ``message``, ``rowId``,
  ``source``, ``timestampInMs``, ``domain``, ``messageTruncated``, ``requestMethod``,
  ``requestPath``, ``responseStatusCode`` (REST reference "Get logs for a deployment"). These
  carry **no request id**: their records keep stream order and ``request_id`` None.
- vercel 64.0.2 (newest on npm), ``vercel logs [runtime|requests] --json``: JSON Lines
  ``{"type": "log"|"request", "data": {...}}`` then ``{"type": "summary", ...}`` and
  ``{"type": "warning", ...}`` (commands-bulk.js:1026-1029 ``recordLine``/``summaryLine``); a
  runtime ``data`` selects ``projectId, requestId, branch, deploymentId, domain, environment,
  requestPath, requestMethod, source, service, isSystemLog, region, runtime, level, message,
  stream, traceId, spanId, attributes, truncated`` plus ``timestamp``
  (dist/chunks/chunk-OKFDH3WB.js:9 ``runtimeSource``); a ``request`` ``data`` carries
  ``requestId`` and ``httpStatus`` (``requestsSource``). The CLI lists newest first, so the
  records of one request are sorted by time, oldest first.
- 58.10.0 also prints ``{"type": "deployment_error", "message": ...}`` for a deployment that
  never became ready (commands-bulk.js:53178-53186).

- ``vercel inspect --logs --json`` (58.10.0 commands-bulk.js:45869-45912, 46056-46059): one
  pretty-printed JSON *array* of build events (chunk-L6BFCLXF.js:941-960 keeps those with
  ``created``); each event's ``text`` is one or more lines (``printBuildLog`` 1064-1072 prints
  ``text`` under the ISO date of ``created``).

Grouping: requests in order of first appearance; inside one request, its lines in time order.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from vercel_lab.logs.forms import LogRecord

TextReader = Callable[[Iterable[str], int], list[LogRecord]]


def _time(value: Any) -> tuple[float, str | None]:
    """(sort key in ms, ISO text) of a ms number or an ISO string; (inf, None) if neither."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        stamp = datetime.fromtimestamp(value / 1000, UTC)
        return float(value), stamp.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    if isinstance(value, str) and value:
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return float("inf"), value
        return parsed.timestamp() * 1000, value
    return float("inf"), None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _status(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


Event = tuple[str | None, float, list[LogRecord]]  # (request id, time key, records)


def _event(obj: dict[str, Any], line: int, read: TextReader) -> tuple[list[Event], dict[str, int]]:
    """Events of one JSON object, and request-id -> status facts it gives."""
    kind = obj.get("type")
    if kind in ("summary", "warning"):
        return [], {}
    if kind == "request" and isinstance(obj.get("data"), dict):
        data = obj["data"]
        rid, status = _text(data.get("requestId")), _status(data.get("httpStatus"))
        return [], ({rid: status} if rid and status else {})
    data = obj["data"] if kind == "log" and isinstance(obj.get("data"), dict) else obj
    rid = _text(data.get("requestId")) or (_text(data.get("id")) if "logs" in data else None)
    key, stamp = _time(data.get("timestamp", data.get("timestampInMs")))
    logs = data.get("logs")
    entries: list[Any] = logs if isinstance(logs, list) else [data]
    records: list[LogRecord] = []
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("source") == "delimiter":
            continue
        message = entry.get("message")
        if not isinstance(message, str) or not message.strip():
            continue
        level = _text(entry.get("level"))
        for record in read(message.splitlines(), line):
            records.append(
                replace(
                    record,
                    form="vercel-logs-json",
                    level=level,
                    request_id=rid,
                    method=_text(data.get("requestMethod")),
                    path=_text(data.get("requestPath")),
                    status=_status(data.get("responseStatusCode")),
                    host=_text(data.get("domain")),
                    timestamp=stamp,
                )
            )
    if not records and "logs" in data:
        # A request that printed nothing (Django with DEBUG=False in lambda mode): keep the
        # request itself, with an empty text, so its status is not lost.
        empty = LogRecord("", line, "vercel-logs-json", stamp, None, rid)
        records.append(
            replace(
                empty,
                method=_text(data.get("requestMethod")),
                path=_text(data.get("requestPath")),
                status=_status(data.get("responseStatusCode")),
                host=_text(data.get("domain")),
            )
        )
    return [(rid, key, records)], {}


def expand_build_events(text: str, read: TextReader) -> list[LogRecord] | None:
    """Records of a ``vercel inspect --logs --json`` array, or None if ``text`` is not one."""
    if not text.lstrip().startswith("["):
        return None
    try:
        events = json.loads(text)
    except ValueError:
        return None
    if not isinstance(events, list) or not all(isinstance(e, dict) for e in events):
        return None
    out: list[LogRecord] = []
    for number, event in enumerate(events, start=1):
        body = event.get("text")
        if not isinstance(body, str):
            continue
        _, stamp = _time(event.get("created"))
        level = _text(event.get("level"))
        for record in read(body.splitlines(), number):
            out.append(replace(record, form="inspect-json", timestamp=stamp, level=level))
    return out


def expand_json_lines(lines: list[str], read: TextReader) -> list[LogRecord]:
    """Records of ``lines``: runs of JSON objects expanded and grouped by request id, other
    runs read as text by ``read`` (``lines``' numbering is kept, 1-based)."""
    out: list[LogRecord] = []
    text_run: list[str] = []
    text_start = 1
    events: list[Event] = []
    statuses: dict[str, int] = {}

    def flush_json() -> None:
        order: dict[str | None, int] = {}
        for rid, _, _ in events:
            order.setdefault(rid, len(order))
        unkeyed = [e for e in events if e[0] is None]
        keyed = sorted((e for e in events if e[0] is not None), key=lambda e: (order[e[0]], e[1]))
        for rid, _, records in unkeyed + keyed:
            status = statuses.get(rid) if rid else None
            out.extend(replace(r, status=r.status or status) for r in records)
        for rid, status in statuses.items():  # requests known only by their status
            if rid not in order:
                out.append(LogRecord("", 0, "vercel-logs-json", request_id=rid, status=status))
        events.clear()
        statuses.clear()

    for number, raw in enumerate(lines, start=1):
        obj: Any = None
        if raw.lstrip().startswith("{"):
            try:
                obj = json.loads(raw)
            except ValueError:
                obj = None
        if isinstance(obj, dict):
            if text_run:
                out.extend(read(text_run, text_start))
                text_run = []
            found, facts = _event(obj, number, read)
            events.extend(found)
            statuses.update(facts)
            continue
        if events or statuses:
            flush_json()
        if not text_run:
            text_start = number
        text_run.append(raw)
    if events or statuses:
        flush_json()
    if text_run:
        out.extend(read(text_run, text_start))
    return out
