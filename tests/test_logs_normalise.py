"""normalise(): each copy form's prefix removed, JSON lines grouped, Lambda's order fixed."""

from __future__ import annotations

import json

from vercel_lab.logs import normalise, parse_records

NBSP = "\u00a0"


def texts(log: str) -> list[str]:
    return [r.text for r in normalise(log)]


def test_plain_lines_are_kept_as_they_are() -> None:
    assert texts('Traceback (most recent call last):\n  File "a.py", line 1, in <module>') == [
        "Traceback (most recent call last):",
        '  File "a.py", line 1, in <module>',
    ]


def test_timestamp_prefix_keeps_the_message_indentation() -> None:
    log = (
        "2026-08-28 21:14:03.112  Traceback (most recent call last):\n"
        '2026-08-28 21:14:03.112    File "/var/task/app.py", line 3, in <module>\n'
        "2026-08-28 21:14:03.113  KeyError: 'SECRET_KEY'"
    )
    records = normalise(log)
    assert [r.text for r in records] == [
        "Traceback (most recent call last):",
        '  File "/var/task/app.py", line 3, in <module>',
        "KeyError: 'SECRET_KEY'",
    ]
    assert records[0].timestamp == "2026-08-28 21:14:03.112"
    assert records[0].form == "timestamp"


def test_iso_timestamp_of_vercel_inspect_logs() -> None:
    log = "2022-02-12T08:42:25.645Z  Analyzing source code...\n2022-02-12T08:42:26.257Z  Done"
    assert texts(log) == ["Analyzing source code...", "Done"]


def test_level_tag_after_the_timestamp_is_read() -> None:
    records = normalise("2026-02-27 18:14:01.064 [error] Error importing app/api/index.py:")
    assert records[0].text == "Error importing app/api/index.py:"
    assert records[0].level == "error"


def test_dashboard_build_log_forms() -> None:
    log = (
        "23:52:59.483 | Cloning github.com/x/y (Branch: main, Commit: 4a53c97)\n"
        "[22:39:45.915] Error: Unable to find any supported Python versions.\n"
        "00:29:45.738  \tInstalling build runtime..."
    )
    assert texts(log) == [
        "Cloning github.com/x/y (Branch: main, Commit: 4a53c97)",
        "Error: Unable to find any supported Python versions.",
        "Installing build runtime...",
    ]


def test_dashboard_runtime_columns_give_status_host_and_path() -> None:
    log = (
        "Nov 29 21:14:03.11\tGET\t500\tmy-app.vercel.app\t/api\t"
        "ModuleNotFoundError: No module named 'flask'"
    )
    (record,) = normalise(log)
    assert record.text == "ModuleNotFoundError: No module named 'flask'"
    assert (record.method, record.status, record.host, record.path) == (
        "GET",
        500,
        "my-app.vercel.app",
        "/api",
    )


def test_cli_table_header_fixes_the_message_column() -> None:
    # table2's layout (vercel 58.10.0 commands-bulk.js:53311-53345): padded columns.
    widths = (13, 19, 7, 12, 8)
    header = "".join(
        c.ljust(w) for c, w in zip(("TIME", "HOST", "LEVEL", "", "STATUS"), widths, strict=True)
    )
    header += "MESSAGE"
    cells = ("21:14:03.11", "my-app.vercel.app", "error", "\u0192 GET /api", "500")
    row = (
        "".join(c.ljust(w) for c, w in zip(cells, widths, strict=True))
        + "Traceback (most recent call last):"
    )
    cont = " " * header.index("MESSAGE") + '  File "/var/task/app.py", line 1, in <module>'
    assert texts(f"{header}\n{row}\n{cont}") == [
        "Traceback (most recent call last):",
        '  File "/var/task/app.py", line 1, in <module>',
    ]


def test_legacy_functions_tab_request_lines_are_dropped_and_carried() -> None:
    log = (
        "[GET] /\n14:16:53:29\nUnable to import module 'now__handler__python': No module named 'x'"
    )
    (record,) = normalise(log)
    assert record.text.startswith("Unable to import module")
    assert (record.method, record.path) == ("GET", "/")


def test_follow_detail_line_and_dashes_are_dropped() -> None:
    log = (
        "21:14:03.11  \U0001f6ab  GET  500  my-app.vercel.app  \u0192  /api\n"
        + "-" * 60
        + "\nRuntimeError: SECRET_KEY is missing\n"
    )
    (record,) = [r for r in normalise(log) if r.text]
    assert record.text == "RuntimeError: SECRET_KEY is missing"
    assert (record.status, record.path) == (500, "/api")


def test_exception_group_margins_are_removed_with_depths_and_markers() -> None:
    log = (
        "  + Exception Group Traceback (most recent call last):\n"
        '  |   File "/srv/app.py", line 4, in <module>\n'
        "  | ExceptionGroup: two (2 sub-exceptions)\n"
        "  +-+---------------- 1 ----------------\n"
        "    | ValueError: a\n"
        "    +---------------- 2 ----------------\n"
        "    | TypeError: b\n"
        "    +------------------------------------"
    )
    records = normalise(log)
    assert [(r.text, r.group_depth, r.marker) for r in records] == [
        ("Exception Group Traceback (most recent call last):", 1, ""),
        ('  File "/srv/app.py", line 4, in <module>', 1, ""),
        ("ExceptionGroup: two (2 sub-exceptions)", 1, ""),
        ("", 1, "group-item"),
        ("ValueError: a", 2, ""),
        ("", 1, "group-item"),
        ("TypeError: b", 2, ""),
        ("", 1, "group-end"),
    ]


def test_lambda_error_first_is_moved_after_the_frames() -> None:
    log = (
        "[ERROR] TypeError: expected string or bytes-like object\n"
        "Traceback (most recent call last):\n"
        f'{NBSP * 2}File "/var/task/vc__handler__python.py", line 63, in vc_handler\n'
        f"{NBSP * 4}body = base64.b64decode(body)\n"
        "END RequestId: 8f1c"
    )
    assert texts(log) == [
        "Traceback (most recent call last):",
        '  File "/var/task/vc__handler__python.py", line 63, in vc_handler',
        "    body = base64.b64decode(body)",
        "TypeError: expected string or bytes-like object",
        "END RequestId: 8f1c",
    ]


def test_traceback_collapsed_onto_one_line_is_split_at_its_frames() -> None:
    log = (
        "using Asynchronous Server Gateway Interface (ASGI)[ERROR] AttributeError: 'list' object "
        "has no attribute 'encode'Traceback (most recent call last):  File "
        '"/var/task/vc__handler__python.py", line 288, in vc_handler    x = 1'
    )
    assert texts(log) == [
        "using Asynchronous Server Gateway Interface (ASGI)",
        "Traceback (most recent call last):",
        '  File "/var/task/vc__handler__python.py", line 288, in vc_handler    x = 1',
        "AttributeError: 'list' object has no attribute 'encode'",
    ]
    (model,) = parse_records(normalise(log))
    assert (model.exc_type, model.frames[0].line) == ("AttributeError", 288)


def _row(rid: str, ts: int, messages: list[str], status: int = 500) -> str:
    return json.dumps(
        {
            "id": rid,
            "timestamp": ts,
            "deploymentId": "dpl_1",
            "projectId": "prj_1",
            "level": "error",
            "message": messages[-1],
            "source": "serverless",
            "domain": "my-app.vercel.app",
            "requestMethod": "GET",
            "requestPath": "/api",
            "responseStatusCode": status,
            "environment": "production",
            "logs": [{"level": "error", "message": m} for m in messages],
        }
    )


def test_vercel_logs_json_rows_of_cli_58_expand_per_request() -> None:
    log = "\n".join(
        [
            _row(
                "iad1::a",
                1_764_450_000_000,
                [
                    "Traceback (most recent call last):\n"
                    '  File "/var/task/app.py", line 2, in <module>\n'
                    "KeyError: 'A'"
                ],
            ),
            _row("iad1::b", 1_764_450_001_000, ["ValueError: b"], status=502),
        ]
    )
    records = normalise(log)
    assert [(r.request_id, r.text) for r in records] == [
        ("iad1::a", "Traceback (most recent call last):"),
        ("iad1::a", '  File "/var/task/app.py", line 2, in <module>'),
        ("iad1::a", "KeyError: 'A'"),
        ("iad1::b", "ValueError: b"),
    ]
    assert records[3].status == 502
    assert records[0].timestamp == "2025-11-29T21:00:00.000Z"


def test_vercel_logs_json_lines_of_cli_64_are_grouped_by_request_and_time() -> None:
    def log_line(rid: str, ts: str, message: str) -> str:
        return json.dumps(
            {
                "type": "log",
                "data": {"requestId": rid, "timestamp": ts, "level": "error", "message": message},
            }
        )

    lines = [
        log_line("r2", "2026-11-29T21:00:03Z", "ValueError: late"),
        log_line("r1", "2026-11-29T21:00:02Z", "KeyError: 'X'"),
        log_line("r2", "2026-11-29T21:00:01Z", "Traceback (most recent call last):"),
        json.dumps({"type": "request", "data": {"requestId": "r2", "httpStatus": 500}}),
        json.dumps({"type": "summary", "recordsReturned": 3}),
    ]
    records = normalise("\n".join(lines))
    assert [(r.request_id, r.text) for r in records] == [
        ("r2", "Traceback (most recent call last):"),
        ("r2", "ValueError: late"),
        ("r1", "KeyError: 'X'"),
    ]
    assert records[0].status == 500 and records[2].status is None


def test_follow_json_lines_have_no_request_id_and_keep_stream_order() -> None:
    line = {
        "level": "error",
        "message": "RuntimeError: boom",
        "rowId": "1",
        "source": "serverless",
        "timestampInMs": 1_764_450_000_000,
        "domain": "d.vercel.app",
        "messageTruncated": False,
        "requestMethod": "GET",
        "requestPath": "/",
        "responseStatusCode": 500,
    }
    delimiter = {**line, "rowId": "", "source": "delimiter", "message": "limit reached"}
    records = normalise(json.dumps(line) + "\n" + json.dumps(delimiter))
    assert [(r.text, r.request_id, r.status) for r in records] == [
        ("RuntimeError: boom", None, 500)
    ]


def test_text_around_json_lines_is_read_as_text() -> None:
    log = "pasted:\n" + _row("a", 0, ["KeyError: 'K'"]) + "\n2026-08-28 21:14:03.112  end"
    assert [(r.line, r.text) for r in normalise(log)] == [
        (1, "pasted:"),
        (2, "KeyError: 'K'"),
        (3, "end"),
    ]


def test_requests_without_output_keep_their_status() -> None:
    row = _row("silent", 0, ["x"]).replace(
        '"logs": [{"level": "error", "message": "x"}]', '"logs": []'
    )
    only_status = json.dumps({"type": "request", "data": {"requestId": "r9", "httpStatus": 502}})
    records = normalise(row + "\n" + only_status)
    assert [(r.request_id, r.text, r.status) for r in records] == [
        ("silent", "", 500),
        ("r9", "", 502),
    ]


def test_inspect_logs_json_array_of_build_events() -> None:
    events = [
        {
            "created": 1_764_450_843_112,
            "type": "stdout",
            "text": "Installing required dependencies from uv.lock...",
        },
        {
            "created": 1_764_450_844_000,
            "type": "stderr",
            "level": "error",
            "text": (
                'Error: Failed to run "uv lock"\n'
                "error: No `project` table found in: /vercel/path0/pyproject.toml"
            ),
        },
        {"type": "deployment-state"},
    ]
    records = normalise(json.dumps(events, indent=2))
    assert [(r.text, r.level) for r in records] == [
        ("Installing required dependencies from uv.lock...", None),
        ('Error: Failed to run "uv lock"', "error"),
        ("error: No `project` table found in: /vercel/path0/pyproject.toml", "error"),
    ]
    assert records[0].timestamp == "2025-11-29T21:14:03.112Z"
