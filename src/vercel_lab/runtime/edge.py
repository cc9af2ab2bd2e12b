"""Vercel's edge, as pure functions: what the client receives for each way an invocation ends.

Given what became of an invocation in the child (a :class:`~vercel_lab.runtime.process.Reply`),
the request and the function's identity, these return the :class:`Outcome`: the function's own
response with the hop-by-hop and internal headers removed and Vercel's added, or the platform's
error page (``x-vercel-error``, the status of :data:`vercel_lab.platform.CATALOGUE`) when the
function crashed, timed out, or a body is over :data:`~vercel_lab.platform.PAYLOAD_LIMIT_BYTES`.
Nothing here starts a process or reads a file, so every mapping is testable with plain values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from vercel_lab import platform
from vercel_lab.runtime.events import Request, from_result
from vercel_lab.runtime.outcome import Outcome, Phase, evolve

if TYPE_CHECKING:
    from vercel_lab.runtime.fluid import FluidReply
    from vercel_lab.runtime.process import Reply

__all__ = [
    "HOP_HEADERS",
    "INTERNAL_PREFIX",
    "Stamp",
    "answer",
    "answer_fluid",
    "build_failure",
    "client_headers",
    "oversized",
    "platform_error",
    "with_cold_start",
]

#: Response headers that belong to the hop between the runtime's local server and vc_handler, or
#: that the platform strips.
HOP_HEADERS = frozenset({"connection", "keep-alive", "transfer-encoding", "date", "server"})
#: What vercel-lab answers when the runtime drops the connection in fluid mode (TEXTS
#: ``status.dropped``), said in the outcome.
DROPPED_NOTE = (
    "modelled: the runtime closed the connection without a response; what production answers "
    "then is not public (vercel-lab answers as vercel dev does for a proxied server that fails "
    "before its headers; see platform.TEXTS['status.dropped'])"
)
#: The runtime's internal headers (its timing header is read by the platform, never sent on).
INTERNAL_PREFIX = "x-vercel-internal-"


@dataclass(frozen=True)
class Stamp:
    """What every outcome of one function carries: the region its request ids name, the
    ``vercel-runtime`` release that ran it and the project folder (displays map it to
    ``/var/task``) and the ``mode`` the platform runs it in ("fluid" or "lambda")."""

    region: str
    runtime_version: str
    project: str
    mode: str = "fluid"


def oversized(body: bytes) -> bool:
    """Whether a request or response body is over Vercel's 4.5 MB limit."""
    return len(body) > platform.PAYLOAD_LIMIT_BYTES


def platform_error(
    stamp: Stamp,
    request: Request,
    code: str,
    phase: Phase | None,
    log: str,
    elapsed_ms: float | None,
    entrypoint: str | None = None,
) -> Outcome:
    """The platform's answer instead of the function's: ``code``'s status, headers and error
    page, with a fresh request id. ``entrypoint`` is ``"file:variable"`` when a function was
    involved."""
    request_id = platform.new_request_id(stamp.region)
    status, headers, body = platform.error_response(code, request_id, request.accept)
    error = platform.lookup(code)
    notes = (f"modelled: {error.note}",) if error.evidence == platform.MODELLED else ()
    return Outcome(
        request,
        status,
        headers,
        body,
        notes=notes,
        mode=stamp.mode,
        error_code=code,
        phase=phase,
        log=log,
        duration_ms=elapsed_ms or 0.0,
        entrypoint=entrypoint,
        runtime_version=stamp.runtime_version,
        project=stamp.project,
    )


def answer(
    stamp: Stamp,
    request: Request,
    reply: Reply,
    log: str,
    duration: float,
    entrypoint: str,
    elapsed_ms: float,
) -> Outcome:
    """What the client receives for ``reply``: the function's response (header names
    lower-cased, as Vercel's edge speaks HTTP/2; hop and internal headers dropped; ``server``
    and ``x-vercel-id`` added), 500 ``FUNCTION_RESPONSE_PAYLOAD_TOO_LARGE`` for a body over the
    limit, 500 ``FUNCTION_INVOCATION_FAILED`` when the handler raised, and the platform's line
    appended to the log when the instance died or ran over ``duration`` seconds."""
    if reply.kind == "result" and reply.result is not None:
        response = from_result(reply.result)
        if oversized(response.body):
            return platform_error(
                stamp,
                request,
                "FUNCTION_RESPONSE_PAYLOAD_TOO_LARGE",
                "invoke",
                log,
                elapsed_ms,
                entrypoint,
            )
        request_id = platform.new_request_id(stamp.region)
        return Outcome(
            request,
            response.status,
            client_headers(response.headers, request_id),
            response.body,
            mode=stamp.mode,
            ttfb_ms=elapsed_ms,  # buffered: the first byte leaves with the last
            log=log,
            duration_ms=elapsed_ms,
            entrypoint=entrypoint,
            runtime_version=stamp.runtime_version,
            project=stamp.project,
        )
    if reply.kind == "error":
        return platform_error(
            stamp, request, "FUNCTION_INVOCATION_FAILED", "invoke", log, elapsed_ms, entrypoint
        )
    code, line = platform.death(reply.kind, reply.exit_status, duration, stamp.mode)
    return platform_error(stamp, request, code, "invoke", log + line, elapsed_ms, entrypoint)


def client_headers(
    headers: tuple[tuple[str, str], ...], request_id: str
) -> tuple[tuple[str, str], ...]:
    """The function's response headers as the client gets them: names lower-cased (Vercel's
    edge speaks HTTP/2), hop-by-hop and ``x-vercel-internal-*`` headers dropped, ``server`` and
    ``x-vercel-id`` added."""
    kept = [
        (k.lower(), v)
        for k, v in headers
        if k.lower() not in HOP_HEADERS and not k.lower().startswith(INTERNAL_PREFIX)
    ]
    return (*kept, ("server", "Vercel"), ("x-vercel-id", request_id))


def answer_fluid(
    stamp: Stamp,
    request: Request,
    reply: FluidReply,
    duration: float,
    entrypoint: str,
    request_id: str,
) -> Outcome:
    """What the client receives for one Fluid-mode invocation: the streamed response whatever
    its size (a body cut short after the status line stays a cut body: the status and headers
    had gone), 504 when it ran over ``duration`` seconds, 500 ``FUNCTION_INVOCATION_FAILED`` and
    today's exit line when the process died before answering, and 500
    ``FUNCTION_INVOCATION_FAILED`` (MODELLED, :data:`DROPPED_NOTE`) when the runtime closed the
    connection without a status line and lives on."""
    ex = reply.exchange
    log, notes = reply.log, []
    if reply.after_end:
        notes.append(
            f"modelled: {reply.after_end} log write(s) came after the invocation's end without "
            "an invocation id; vercel-lab gave them to this invocation"
        )
    if ex.timed_out or (ex.status is None and reply.exit_status is not None):
        kind = "timeout" if ex.timed_out else "exit"
        code, line = platform.death(kind, reply.exit_status, duration, stamp.mode)
        outcome = platform_error(
            stamp, request, code, "invoke", log + line, ex.total_ms, entrypoint
        )
        return evolve(outcome, notes=(*outcome.notes, *notes), ttfb_ms=ex.ttfb_ms)
    if ex.status is None:
        outcome = platform_error(
            stamp, request, "FUNCTION_INVOCATION_FAILED", "invoke", log, ex.total_ms, entrypoint
        )
        return evolve(outcome, notes=(DROPPED_NOTE, *outcome.notes, *notes))
    if reply.exit_status is not None:
        log += platform.death("exit", reply.exit_status, duration, stamp.mode)[1]
    if ex.truncated:
        notes.append("the body was cut short after the status line (a short read)")
    return Outcome(
        request,
        ex.status,
        client_headers(ex.headers, request_id),
        ex.body,
        log=log,
        duration_ms=ex.total_ms,
        entrypoint=entrypoint,
        runtime_version=stamp.runtime_version,
        project=stamp.project,
        notes=tuple(notes),
        mode=stamp.mode,
        ttfb_ms=ex.ttfb_ms,
    )


def build_failure(stamp: Stamp, request: Request, code: str, message: str) -> Outcome:
    """The outcome of every request to a project the builder refuses: no status (no
    deployment exists), the builder's code, and its message as the build log's error line."""
    return Outcome(
        request,
        None,
        error_code=code,
        phase="build",
        mode=stamp.mode,
        log=f"Error: {message}\n",
        runtime_version=stamp.runtime_version,
        project=stamp.project,
    )


def with_cold_start(outcome: Outcome, cold_start_ms: float) -> Outcome:
    """``outcome`` marked as the first answer of a new instance."""
    return evolve(outcome, cold_start_ms=cold_start_ms)
