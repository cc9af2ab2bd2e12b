"""vercel_lab.logs, the one log reader, pinned on real log lines: Django, Flask, FastAPI under
uvicorn, Lambda's ``[ERROR]`` form, bare exceptions and vercel_runtime's own messages."""

from __future__ import annotations

import re

import pytest

from vercel_lab import logs

# (line as the log shows it, kind, fields read from it)
LINES: list[tuple[str, str, dict[str, str]]] = [
    # Django: the settings raise while the WSGI app loads (env.db() of django-environ).
    (
        "django.core.exceptions.ImproperlyConfigured: Set the DATABASE_URL environment variable",
        "exception",
        {
            "type": "django.core.exceptions.ImproperlyConfigured",
            "message": "Set the DATABASE_URL environment variable",
        },
    ),
    (
        "django.core.exceptions.DisallowedHost: Invalid HTTP_HOST header: 'x.vercel.app'. "
        "You may need to add 'x.vercel.app' to ALLOWED_HOSTS.",
        "exception",
        {
            "type": "django.core.exceptions.DisallowedHost",
            "message": "Invalid HTTP_HOST header: 'x.vercel.app'. "
            "You may need to add 'x.vercel.app' to ALLOWED_HOSTS.",
        },
    ),
    # Flask's request logger, as Lambda prefixes it, then the exception that ended the view.
    ("[ERROR] 2025-04-11T17:22:03.512Z Exception on /upload [POST]", "text", {}),
    (
        "OSError: [Errno 30] Read-only file system: 'uploads/avatar.png'",
        "exception",
        {"type": "OSError", "message": "[Errno 30] Read-only file system: 'uploads/avatar.png'"},
    ),
    # FastAPI under uvicorn: the request marker, then a plain exception.
    ("ERROR:    Exception in ASGI application", "text", {}),
    ("Exception: boom", "exception", {"type": "Exception", "message": "boom"}),
    ("KeyboardInterrupt", "exception", {"type": "KeyboardInterrupt"}),
    # Lambda's form of an error that ended the invocation.
    (
        "[ERROR] Runtime.ImportModuleError: Unable to import module 'vc__handler__python': "
        "No module named 'flask_cors'",
        "lambda-error",
        {
            "type": "Runtime.ImportModuleError",
            "message": "Unable to import module 'vc__handler__python': "
            "No module named 'flask_cors'",
        },
    ),
    (
        "[ERROR] RemoteDisconnected: Remote end closed connection without response",
        "lambda-error",
        {"type": "RemoteDisconnected", "message": "Remote end closed connection without response"},
    ),
    # vercel_runtime's own messages (vc_init.py:567, resolver.py:33 and :86).
    ('could not import "api/index.py":', "runtime", {"file": "api/index.py"}),
    (
        'RuntimeError: missing variable "app" in file "api.index".',
        "runtime",
        {"variable": "app", "module": "api.index"},
    ),
    (
        "RuntimeError: Could not determine the application interface for 'api.index:handler'",
        "runtime",
        {"target": "api.index:handler"},
    ),
    # The traceback's own lines.
    ("Traceback (most recent call last):", "traceback", {}),
    (
        '  File "/var/task/api/index.py", line 30, in handler',
        "frame",
        {"file": "/var/task/api/index.py", "line": "30", "func": "handler"},
    ),
    ("The above exception was the direct cause of the following exception:", "chain", {}),
    # The platform's lines.
    (
        "Error: Runtime exited with error: exit status 1",
        "platform",
        {"reason": "exit status 1"},
    ),
    (
        "Vercel Runtime Timeout Error: Task timed out after 10 seconds",
        "platform",
        {"seconds": "10"},
    ),
    # A log viewer's prefix is not part of the line.
    (
        "2025-04-11T17:22:03.512Z [error] ValueError: invalid literal for int() with base 10: 'a'",
        "exception",
        {"type": "ValueError", "message": "invalid literal for int() with base 10: 'a'"},
    ),
    # Not exceptions: a request line and prose with a colon.
    ('127.0.0.1 - - [29/Nov/2026 10:00:00] "GET / HTTP/1.1" 200 -', "text", {}),
    ("Note: the settings were read", "text", {}),
]


@pytest.mark.parametrize(("line", "kind", "fields"), LINES, ids=[row[0][:40] for row in LINES])
def test_each_real_line_is_read_as_what_it_is(line: str, kind: str, fields: dict[str, str]) -> None:
    reading = logs.read_line(line)
    assert (reading.kind, dict(reading.fields)) == (kind, fields)


DATABASE_URL = "Set the DATABASE_URL environment variable"
DJANGO_CHAIN = """\
could not import "api/wsgi.py":
Traceback (most recent call last):
  File "/var/task/_vendor/environ/environ.py", line 388, in get_value
    value = self.ENVIRON[var_name]
  File "<frozen os>", line 714, in __getitem__
KeyError: 'DATABASE_URL'

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "/var/task/api/wsgi.py", line 9, in <module>
    application = get_wsgi_application()
  File "/var/task/_vendor/environ/environ.py", line 392, in get_value
    raise ImproperlyConfigured(error_msg) from exc
django.core.exceptions.ImproperlyConfigured: Set the DATABASE_URL environment variable
Error: Runtime exited with error: exit status 1
"""

UVICORN = """\
ERROR:    Exception in ASGI application
Traceback (most recent call last):
  File "/var/task/main.py", line 8, in root
    raise Exception("boom")
Exception: boom
"""

INTERRUPTED = """\
Traceback (most recent call last):
  File "/var/task/api/index.py", line 4, in <module>
    time.sleep(60)
KeyboardInterrupt
"""


def test_a_chained_django_crash_is_two_linked_tracebacks() -> None:
    first, second = logs.parse_tracebacks(DJANGO_CHAIN)
    assert first.cause_of is second
    assert (first.exception, first.message) == ("KeyError", "'DATABASE_URL'")
    assert second.short_type == "ImproperlyConfigured"
    assert [f.file for f in second.frames] == [
        "/var/task/api/wsgi.py",
        "/var/task/_vendor/environ/environ.py",
    ]
    assert second.frames[0] == logs.Frame(
        "/var/task/api/wsgi.py", 9, "<module>", "application = get_wsgi_application()"
    )
    assert first.frames[1] == logs.Frame("<frozen os>", 714, "__getitem__", "")


@pytest.mark.parametrize(
    ("log", "line"),
    [
        (DJANGO_CHAIN, f"django.core.exceptions.ImproperlyConfigured: {DATABASE_URL}"),
        (UVICORN, "Exception: boom"),
        (INTERRUPTED, "KeyboardInterrupt"),
        ("all fine\n", ""),
    ],
    ids=["django-improperly-configured", "uvicorn-exception", "keyboard-interrupt", "none"],
)
def test_the_exception_line_is_the_last_tracebacks(log: str, line: str) -> None:
    assert logs.exception_line(log) == line


def test_every_exception_line_in_log_order() -> None:
    assert logs.exception_lines(DJANGO_CHAIN) == [
        "KeyError: 'DATABASE_URL'",
        f"django.core.exceptions.ImproperlyConfigured: {DATABASE_URL}",
    ]


def test_local_folders_and_var_task() -> None:
    text = "OSError: [Errno 30] Read-only file system: '/tmp/a/b.func/logs/x.log'"
    assert logs.to_task(text, ["/tmp/a", "/tmp/a/b.func/"]) == (
        "OSError: [Errno 30] Read-only file system: '/var/task/logs/x.log'"
    )
    assert logs.task_relative("/var/task/api/index.py") == "api/index.py"
    assert logs.task_relative("/home/me/site/api/index.py", ["/home/me/site/"]) == "api/index.py"
    assert logs.task_relative("/usr/lib/python3.12/os.py", ["/home/me/site"]) == (
        "/usr/lib/python3.12/os.py"
    )


def test_frames_of_a_file_are_taken_out_with_their_source_lines() -> None:
    log = (
        "Traceback (most recent call last):\n"
        '  File "/var/task/api/index.py", line 3, in <module>\n'
        '    open("x", "w")\n'
        '  File "/site/vercel_lab/runtime/readonly.py", line 90, in _audit\n'
        "    raise OSError(30, 'Read-only file system', path)\n"
        "    ^^^^^^^^^^^^^^^^\n"
        "OSError: [Errno 30] Read-only file system: 'x'\n"
    )
    own = re.compile(r"/vercel_lab/runtime/readonly\.py$")
    assert logs.without_frames(log, own) == (
        "Traceback (most recent call last):\n"
        '  File "/var/task/api/index.py", line 3, in <module>\n'
        '    open("x", "w")\n'
        "OSError: [Errno 30] Read-only file system: 'x'\n"
    )
