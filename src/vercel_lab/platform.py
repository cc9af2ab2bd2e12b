"""Vercel's facts, in one place and importing nothing of vercel-lab: the error catalogue (what a
client of a failed function receives), the limits, the default maximum duration, the region and
request ids, the task root (``/var/task``) and the lines the platform writes to a function log.

Codes, statuses and meanings follow Vercel's error reference
(https://vercel.com/docs/errors); the builder codes are the ones ``@vercel/python`` raises.
Each entry names the site section that explains it, so outcomes can link to the lesson.
"""

from __future__ import annotations

import html
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


#: Where the sources are. ``DEV``: the pinned CLI's ``vercel dev`` (vercel@58.10.0,
#: ``node_modules/vercel/dist/commands/dev/index.js``), read as code; ``PY25``: the newest
#: builder, ``@vercel/python`` 25.0.0 ``dist/index.js``; ``RT``: ``vercel_runtime/vc_init.py``
#: 0.24.1 (same in 0.23.2); ``DOCS``: Vercel's error reference.
DEV = "vercel@58.10.0 dist/commands/dev/index.js"
PY25 = "@vercel/python 25.0.0 dist/index.js"
RT = "vercel_runtime 0.24.1 vc_init.py"
DOCS = "https://vercel.com/docs/errors"
#: ``evidence`` of a catalogue entry: read in a real source, or decided by vercel-lab.
OBSERVED = "observed"
MODELLED = "modelled"


@dataclass(frozen=True)
class PlatformError:
    """One error a deployment can answer with instead of the function's response.

    ``source`` names where the code and its status come from (a Vercel doc URL or a CLI or
    builder file and line); ``evidence`` is "observed" or "modelled" (``note`` says what part is
    vercel-lab's model).
    """

    code: str
    status: int | None  # None for build errors: no deployment exists, so no HTTP status
    kind: str  # the status reason Vercel prints on its error page, or "BUILD_ERROR"
    meaning: str
    chapter: str  # the docs page (without suffix) that explains it
    source: str = ""
    evidence: str = OBSERVED
    note: str = ""

    @property
    def is_build_error(self) -> bool:
        return self.status is None


def _build(code: str, meaning: str, source: str) -> PlatformError:
    return PlatformError(code, None, "BUILD_ERROR", meaning, "tutorial/02-root-cause", source)


CATALOGUE: dict[str, PlatformError] = {
    e.code: e
    for e in (
        PlatformError(
            "FUNCTION_INVOCATION_FAILED", 500, "INTERNAL_SERVER_ERROR",
            "The function crashed: it failed to import, its variable is missing or is neither "
            "WSGI nor ASGI, or its process exited while handling the request.",
            "tutorial/01-the-fix", f"{DOCS}/FUNCTION_INVOCATION_FAILED",
        ),
        PlatformError(
            "FUNCTION_INVOCATION_TIMEOUT", 504, "GATEWAY_TIMEOUT",
            "The function did not answer within its maximum duration (vercel.json "
            "functions.maxDuration); the instance is stopped.",
            "tutorial/04-warning-signs", f"{DOCS}/FUNCTION_INVOCATION_TIMEOUT",
        ),
        PlatformError(
            "FUNCTION_PAYLOAD_TOO_LARGE", 413, "PAYLOAD_TOO_LARGE",
            "The request body is larger than 4.5 MB; the function is not called.",
            "tutorial/04-warning-signs", f"{DOCS}/FUNCTION_PAYLOAD_TOO_LARGE",
        ),
        PlatformError(
            "FUNCTION_RESPONSE_PAYLOAD_TOO_LARGE", 500, "INTERNAL_SERVER_ERROR",
            "The function answered with a body larger than 4.5 MB without streaming (lambda "
            "mode); the client gets an error instead. Streamed (Fluid) responses have no limit.",
            "tutorial/04-warning-signs", f"{DOCS}/FUNCTION_RESPONSE_PAYLOAD_TOO_LARGE",
            note="no limit for streamed responses: https://vercel.com/guides/"
            "how-to-bypass-vercel-body-size-limit-serverless-functions; Python functions are "
            f"built with supportsResponseStreaming: true ({PY25}:12138)",
        ),
        PlatformError(
            "NO_RESPONSE_FROM_FUNCTION", 502, "BAD_GATEWAY",
            "A function invocation completed without returning a response (Vercel's docs). "
            "vercel dev answers it when a Lambda invocation throws; vercel-lab never does: "
            "for a dropped connection it answers FUNCTION_INVOCATION_FAILED (modelled).",
            "tutorial/04-warning-signs", f"{DOCS}/NO_RESPONSE_FROM_FUNCTION", OBSERVED,
            f"vercel dev: {DEV}:20460-20467, 20600-20611; a proxied dev server that fails "
            f"before headers gets 500 FUNCTION_INVOCATION_FAILED instead ({DEV}:22104-22113)",
        ),
        PlatformError(
            "NOT_FOUND", 404, "NOT_FOUND", "No function and no static file serves this path.",
            "tutorial/06-testing-the-fix", f"{DOCS}/NOT_FOUND",
        ),
        _build(
            "PYTHON_ENTRYPOINT_NOT_FOUND",
            "The builder found no entrypoint file, or none with a top-level app, application "
            "or handler: the deployment is never created.", f"{PY25}:7691",
        ),
        _build(
            "PYTHON_INVALID_ENTRYPOINT",
            "The configured entrypoint ([tool.vercel] entrypoint) is not a module:variable "
            "the builder accepts.", f"{PY25}:7679",
        ),
        *(
            _build(
                f"{name.upper()}_ENTRYPOINT_NOT_FOUND",
                f"The {name} preset found no entrypoint file with a top-level app in the places "
                "it looks: the deployment is never created.", f"{PY25}:7763",
            )
            for name in ("fastapi", "flask", "django", "python", "fasthtml")
        ),
        _build(
            "DJANGO_SETTINGS_FAILED",
            "The django preset could not read the settings module (DJANGO_SETTINGS_MODULE) "
            "to find WSGI_APPLICATION / ASGI_APPLICATION.", f"{PY25}:11279",
        ),
        _build(
            "PYTHON_DEPENDENCY_SYNC_FAILED",
            "uv could not install the project's dependencies (uv sync / uv pip install of "
            "requirements.txt, pyproject.toml or Pipfile failed).", f"{PY25}:9075, 9097",
        ),
        _build(
            "RUNTIME_DEPENDENCY_INSTALLATION_FAILED",
            "uv could not install the builder's own packages (vercel-runtime) next to the "
            "project's.", f"{PY25}:5797-5832",
        ),
        _build(
            "UV_ERROR", "The builder could not find or run uv.", f"{PY25}:5696, 5704, 6313"
        ),
        _build(
            "UV_LOCK_FAILED",
            "`uv lock` failed on the project's manifest (the builder prints `Failed to run "
            "\"uv lock ...\"` and uv's error; the code is vercel-lab's, the builder prints none).",
            "@vercel/python 6.56.2 dist/index.js:5496-5505",
        ),
        _build(
            "UV_SYNC_FAILED",
            "`uv sync` failed: a lock for another platform, or a Python pin the build image "
            "lacks (the builder prints `Failed to run \"uv sync ...\"` and uv's error; the code "
            "is vercel-lab's).",
            "@vercel/python 6.56.2 dist/index.js:5496-5505",
        ),
        _build(
            "PYTHON_PYPROJECT_PARSE_ERROR",
            "The builder could not parse pyproject.toml: the build stops before "
            "installing anything.",
            "@vercel/python-analysis 0.13.2 dist/index.js:1966-2173",
        ),
        _build(
            "PYTHON_REQUIREMENTS_PARSE_ERROR",
            "The builder could not parse a requirements file: the build stops before "
            "installing anything.",
            "@vercel/python-analysis 0.13.2 dist/index.js:1966-2173",
        ),
        _build(
            "PYTHON_PIPFILE_PARSE_ERROR",
            "The builder could not parse Pipfile: the build stops before "
            "installing anything.",
            "@vercel/python-analysis 0.13.2 dist/index.js:1966-2173",
        ),
        _build(
            "PYTHON_PIPFILE_LOCK_PARSE_ERROR",
            "The builder could not parse Pipfile.lock: the build stops before "
            "installing anything.",
            "@vercel/python-analysis 0.13.2 dist/index.js:1966-2173",
        ),
        _build(
            "PYTHON_UV_LOCK_PARSE_ERROR",
            "The builder could not parse uv.lock: the build stops before "
            "installing anything.",
            "@vercel/python-analysis 0.13.2 dist/index.js:1966-2173",
        ),
        _build(
            "DJANGO_COLLECTSTATIC_FAILED",
            "The django preset's build-time `collectstatic` failed (the builder's text; the "
            "code is vercel-lab's).",
            "@vercel/python 6.56.2 dist/index.js:10153-10240",
        ),
        _build(
            "CONFLICTING_IGNORE_FILES",
            "Both .vercelignore and .nowignore exist: the CLI refuses to deploy.",
            "vercel@58.10.0 @vercel/client getVercelIgnore (client:46289-46363)",
        ),
        _build(
            "bad_request",
            "vercel.json uses `functions` together with `builds`.",
            "vercel@58.10.0 (vercel.json validation)",
        ),
        _build(
            "invalid_build_specification",
            "A `builds` entry of vercel.json has no `use` or an empty `src`.",
            "https://vercel.com/docs/concepts/projects/project-configuration#builds",
        ),
        _build(
            "unused_function",
            "A `functions` pattern of vercel.json matches no function in `api/`.",
            "vercel@58.10.0 (vercel.json validation)",
        ),
    )
}  # fmt: skip


def lookup(code: str) -> PlatformError:
    """The catalogue entry for ``code``; unknown builder codes get a generic build-error entry."""
    try:
        return CATALOGUE[code]
    except KeyError:
        return PlatformError(
            code, None, "BUILD_ERROR", "The build failed.", "tutorial/02-root-cause", "", MODELLED
        )


_ID_ALPHABET = string.ascii_lowercase + string.digits


def new_request_id(region: str = DEFAULT_REGION) -> str:
    """A fresh ``x-vercel-id`` in Vercel's ``<region>::<5 chars>-<epoch ms>-<12 hex>`` form."""
    short = "".join(secrets.choice(_ID_ALPHABET) for _ in range(5))
    return f"{region}::{short}-{int(time.time() * 1000)}-{secrets.token_hex(6)}"


@dataclass(frozen=True)
class Text:
    """One platform-side text: ``key`` names it, ``text`` is its form (``{...}`` fields),
    ``source`` where it was read and ``evidence`` "observed" or "modelled"."""

    key: str
    text: str
    source: str
    evidence: str
    note: str = ""


#: Every platform-side text vercel-lab writes, apart from the codes of ``CATALOGUE``.
TEXTS: dict[str, Text] = {
    t.key: t
    for t in (
        Text("body.text", "{title}\n\n{code}\n", f"{DEV}:21668-21672", OBSERVED,
             "for a client that sends no Accept (DEV:21625) or */*, like curl and like "
             "vercel-lab's Request; production captures agree on the first line ('Error "
             "Response Body: A server error has occurred', 500, x-vercel-error: "
             "FUNCTION_INVOCATION_FAILED)"),
        Text("body.json", '{{"error":{{"code":{status},"message":"{title}"}}}}\n',
             f"{DEV}:21626-21635", OBSERVED,
             "when Accept contains 'json' (checked first); production's JSON form has no public "
             "capture: modelled as vercel dev's"),
        Text("body.html", "{status}: {description} / Code: {code} / ID: {id}",
             f"{DEV}:17990-18036 (templates error, error_404, error_502, error_base)", OBSERVED,
             "when Accept contains 'html'; the page without its CSS (modelled)"),
        Text("title", "500 A server error has occurred; 404 The page could not be found.; 413 "
             "Request Entity Too Large; 502 An error occurred with this application.; 504 An "
             "error occurred with your deployment", f"{DEV}:17948-17983", OBSERVED),
        Text("header.x-vercel-error", "{code}",
             "public production captures ('500 + X-Vercel-Error: FUNCTION_INVOCATION_FAILED')",
             OBSERVED, "vercel dev never sends it; production does"),
        Text("header.x-vercel-id", "{region}::{5 chars}-{epoch ms}-{12 hex}",
             "https://http.dev/x-vercel-id (iad1::d4285-1769280933622-449e98882f00)", OBSERVED),
        Text("header.server", "Vercel", f"{DEV}:21715", OBSERVED),
        Text("header.cache-control", "public, max-age=0, must-revalidate", f"{DEV}:21713",
             OBSERVED),
        Text("log.exit",
             "Python process exited with exit status: {status}. The logs above can help with "
             "debugging the issue.",
             "public Vercel logs of an index.py import error (e.g. infojelantahgo-glitch/"
             "jelantahgo-backend FIX_VERCEL_IMPORT_ERROR.md@dc262e15)", OBSERVED,
             "Fluid era: what Vercel logs today when a Python process exits"),
        Text("log.signal",
             "Python process exited with signal: {number} ({name}). The logs above can help "
             "with debugging the issue.",
             "a public pasted Vercel log ('Python process exited with signal: 5 (SIGTRAP) (core "
             "dumped). The logs above ...')", OBSERVED,
             "without ' (core dumped)': vercel-lab cannot tell whether a core was dumped"),
        Text("log.lambda-exit", "Error: Runtime exited with error: {reason}",
             "AWS Lambda's runtime, in pre-Fluid Vercel logs", OBSERVED,
             "lambda mode keeps it; the doctor reads both eras"),
        Text("log.timeout",
             "Vercel Runtime Timeout Error: Task timed out after {seconds} seconds",
             "public Vercel logs of FUNCTION_INVOCATION_TIMEOUT", OBSERVED),
        Text("log.after-end", "(lines without an invocation id that arrive after its end)",
             f"{RT}:213-214, 255-256 (invocationId '0' outside a request context)", MODELLED,
             "given to the invocation in flight, else the one that ended last"),
        Text("status.dropped", "500 FUNCTION_INVOCATION_FAILED",
             f"{DEV}:22104-22113 (a proxied dev server failing before headers)", MODELLED,
             "what the client gets when the runtime drops the connection in fluid mode; no "
             "public source shows production's answer (vercel dev's Lambda path answers 502 "
             f"NO_RESPONSE_FROM_FUNCTION, {DEV}:20600-20611)"),
    )
}  # fmt: skip

_TITLES = {
    400: "Bad request", 404: "The page could not be found.", 413: "Request Entity Too Large",
    500: "A server error has occurred", 502: "An error occurred with this application.",
    503: "The deployment is currently unavailable", 504: "An error occurred with your deployment",
}  # fmt: skip


def error_response(
    code: str, request_id: str, accept: str | None = "*/*"
) -> tuple[int, tuple[tuple[str, str], ...], bytes]:
    """The client's view of platform error ``code``: (status, headers, body).

    The body follows ``accept`` as ``vercel dev`` writes it (DEV:21618-21674): "json" anywhere
    wins (``application/json``), then "html" (the page with Code and ID), otherwise, and when
    Accept is missing, ``text/plain`` ``"<title>\\n\\n<code>\\n"``. Headers: ``TEXTS`` entries
    ``header.*`` (``x-vercel-error`` as production sends it).
    """
    error = lookup(code)
    status = error.status or 500
    title = _TITLES.get(status, "An error occurred")
    accept = (accept or "text/plain").lower()
    if "json" in accept:
        content_type = "application/json"
        body = TEXTS["body.json"].text.format(status=status, title=title)
    elif "html" in accept:
        content_type = "text/html; charset=utf-8"
        body = _html_page(status, error.kind, code, request_id)
    else:
        content_type = "text/plain; charset=utf-8"
        body = TEXTS["body.text"].text.format(title=title, code=code)
    headers = (
        ("cache-control", TEXTS["header.cache-control"].text),
        ("content-type", content_type),
        ("server", "Vercel"),
        ("x-vercel-error", code),
        ("x-vercel-id", request_id),
    )
    return status, headers, body.encode()


def _html_page(status: int, description: str, code: str, request_id: str) -> str:
    """``error_base`` around ``error`` (DEV:17990-18036), without the CSS."""
    e = html.escape
    crashed = (
        '<p class="error-title error-title-guilty"><strong>This Serverless Function</strong>'
        "<span> has crashed.</span></p>"
        if code == "FUNCTION_INVOCATION_FAILED"
        else ""
    )
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{status}: '
        f'{e(description)}</title></head><body><div class="container"><main>{crashed}'
        f'<p class="devinfo-container"><span class="error-code"><strong>{status}</strong>: '
        f'{e(description)}</span> <span class="devinfo-line">Code: <code>{e(code)}</code>'
        f'</span> <span class="devinfo-line">ID: <code>{e(request_id)}</code></span></p>'
        "</main></div></body></html>\n"
    )


def death(
    kind: str, exit_status: int | None, duration: float, mode: str = "fluid"
) -> tuple[str, str]:
    """The error code and the platform's log line for an instance that died (``kind`` "exit",
    with its exit status, negative for a signal) or hung (``kind`` "timeout").

    ``mode`` "fluid" writes today's line (``TEXTS["log.exit"]``/``["log.signal"]``), "lambda"
    the Lambda era's (``TEXTS["log.lambda-exit"]``)."""
    if kind == "timeout":
        return "FUNCTION_INVOCATION_TIMEOUT", (
            TEXTS["log.timeout"].text.format(seconds=f"{duration:g}") + "\n"
        )
    signalled = exit_status is not None and exit_status < 0
    if mode == "lambda":
        reason = (
            f"signal: {_signal_name(-exit_status)}"  # type: ignore[operator]
            if signalled
            else f"exit status {exit_status}"
        )
        return "FUNCTION_INVOCATION_FAILED", TEXTS["log.lambda-exit"].text.format(
            reason=reason
        ) + "\n"
    if signalled:
        number = -exit_status  # type: ignore[operator]
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = str(number)
        line = TEXTS["log.signal"].text.format(number=number, name=name)
    else:
        line = TEXTS["log.exit"].text.format(status=exit_status)
    return "FUNCTION_INVOCATION_FAILED", line + "\n"


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name.removeprefix("SIG").lower()
    except ValueError:
        return str(number)
