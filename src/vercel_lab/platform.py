"""Vercel's facts, in one place and importing nothing of vercel-lab: the error catalogue (what a
client of a failed function receives), the limits, the default maximum duration, the region and
request ids, the task root (``/var/task``) and the lines the platform writes to a function log.

Codes, statuses and meanings follow Vercel's error reference
(https://vercel.com/docs/errors); the builder codes are the ones ``@vercel/python`` raises.
Each entry names the site section that explains it, so outcomes can link to the lesson.
"""

from __future__ import annotations

import secrets
import signal
import string
import time
from dataclasses import dataclass

#: Vercel's limit on a request or response body of a function: 4.5 MB
#: (https://vercel.com/docs/functions/limitations#request-body-size).
PAYLOAD_LIMIT_BYTES = 4_718_592

#: The region ``vercel-lab`` pretends to run in; Vercel's default function region.
DEFAULT_REGION = "iad1"

#: Vercel's default maximum duration of a function, in seconds, when vercel.json sets none
#: (https://vercel.com/docs/functions/configuring-functions/duration).
DEFAULT_MAX_DURATION = 300.0

#: Where a function's files are on Vercel (Lambda's ``LAMBDA_TASK_ROOT``): the working folder and
#: the first entry of ``sys.path``
#: (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html).
TASK_ROOT = "/var/task"
#: The folder of the bundle that holds every installed package (``@vercel/python``'s
#: ``__VC_HANDLER_VENDOR_DIR``, set by ``createRuntimeTrampoline`` in ``dist/index.js``).
VENDOR_DIR = "_vendor"
#: The trampoline module ``@vercel/python`` generates as each function's handler file.
TRAMPOLINE_FILE = "vc__handler__python.py"
#: Where Lambda's Python runtime keeps the interpreter and its standard library.
LANG_ROOT = "/var/lang"


@dataclass(frozen=True)
class PlatformError:
    """One error a deployment can answer with instead of the function's response."""

    code: str
    status: int | None  # None for build errors: no deployment exists, so no HTTP status
    kind: str  # the status reason Vercel prints on its error page, or "BUILD_ERROR"
    meaning: str
    chapter: str  # the docs page (without suffix) that explains it

    @property
    def is_build_error(self) -> bool:
        return self.status is None


CATALOGUE: dict[str, PlatformError] = {
    e.code: e
    for e in (
        PlatformError(
            "FUNCTION_INVOCATION_FAILED",
            500,
            "INTERNAL_SERVER_ERROR",
            "The function crashed: it failed to import, its variable is missing or is neither "
            "WSGI nor ASGI, or it raised or exited while handling the request without answering.",
            "tutorial/01-the-fix",
        ),
        PlatformError(
            "FUNCTION_INVOCATION_TIMEOUT",
            504,
            "GATEWAY_TIMEOUT",
            "The function did not answer within its maximum duration (vercel.json "
            "functions.maxDuration); the instance is stopped.",
            "tutorial/04-warning-signs",
        ),
        PlatformError(
            "FUNCTION_PAYLOAD_TOO_LARGE",
            413,
            "PAYLOAD_TOO_LARGE",
            "The request body is larger than 4.5 MB; the function is not called.",
            "tutorial/04-warning-signs",
        ),
        PlatformError(
            "FUNCTION_RESPONSE_PAYLOAD_TOO_LARGE",
            500,
            "INTERNAL_SERVER_ERROR",
            "The function answered with a body larger than 4.5 MB; the client gets an error "
            "instead.",
            "tutorial/04-warning-signs",
        ),
        PlatformError(
            "NOT_FOUND",
            404,
            "NOT_FOUND",
            "No function and no static file serves this path.",
            "tutorial/06-testing-the-fix",
        ),
        PlatformError(
            "PYTHON_ENTRYPOINT_NOT_FOUND",
            None,
            "BUILD_ERROR",
            "The builder found no entrypoint file, or none with a top-level app, application "
            "or handler: the deployment is never created.",
            "tutorial/02-root-cause",
        ),
    )
}


def lookup(code: str) -> PlatformError:
    """The catalogue entry for ``code``; unknown builder codes get a generic build-error entry."""
    try:
        return CATALOGUE[code]
    except KeyError:
        return PlatformError(
            code, None, "BUILD_ERROR", "The build failed.", "tutorial/02-root-cause"
        )


_ID_ALPHABET = string.ascii_lowercase + string.digits


def new_request_id(region: str = DEFAULT_REGION) -> str:
    """A fresh ``x-vercel-id`` in Vercel's ``<region>::<5 chars>-<epoch ms>-<12 hex>`` form."""
    short = "".join(secrets.choice(_ID_ALPHABET) for _ in range(5))
    return f"{region}::{short}-{int(time.time() * 1000)}-{secrets.token_hex(6)}"


def error_page(code: str, request_id: str) -> str:
    """The plain-text body Vercel's edge answers with for ``code``.

    Vercel's error page reads "500: INTERNAL_SERVER_ERROR / Code: FUNCTION_INVOCATION_FAILED /
    ID: <region>::<id>"; the reason for the failure is never in it, only in the function log.
    """
    error = lookup(code)
    return f"{error.status}: {error.kind}\nCode: {error.code}\nID: {request_id}\n"


def error_headers(code: str, request_id: str) -> tuple[tuple[str, str], ...]:
    """The headers of Vercel's error response for ``code``."""
    return (
        ("content-type", "text/plain; charset=utf-8"),
        ("server", "Vercel"),
        ("x-vercel-error", code),
        ("x-vercel-id", request_id),
    )


def death(kind: str, exit_status: int | None, duration: float) -> tuple[str, str]:
    """The error code and the platform's log line for an instance that died (``kind`` "exit",
    with its exit status, negative for a signal) or hung (``kind`` "timeout").

    The lines are in the form Lambda and Vercel print them in the function log."""
    if kind == "timeout":
        return (
            "FUNCTION_INVOCATION_TIMEOUT",
            f"Vercel Runtime Timeout Error: Task timed out after {duration:g} seconds\n",
        )
    if exit_status is not None and exit_status < 0:
        reason = f"signal: {_signal_name(-exit_status)}"
    else:
        reason = f"exit status {exit_status}"
    return "FUNCTION_INVOCATION_FAILED", f"Error: Runtime exited with error: {reason}\n"


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name.removeprefix("SIG").lower()
    except ValueError:
        return str(number)
