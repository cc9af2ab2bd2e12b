"""Vercel's edge, as pure functions: what the client receives for each way an invocation ends.

Given what became of an invocation in the child (a :class:`~vercel_lab.runtime.process.Reply`),
the request and the function's identity, these return the :class:`Outcome`: the function's own
response with the hop-by-hop and internal headers removed and Vercel's added, or the platform's
error page (``x-vercel-error``, the status of :data:`vercel_lab.platform.CATALOGUE`) when the
function crashed, timed out, or a body is over :data:`~vercel_lab.platform.PAYLOAD_LIMIT_BYTES`.
Nothing here starts a process or reads a file, so every mapping is testable with plain values.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from vercel_lab import platform
from vercel_lab.runtime.events import Request, from_result
from vercel_lab.runtime.outcome import Outcome, Phase

if TYPE_CHECKING:
    from vercel_lab.runtime.process import Reply

__all__ = [
    "HOP_HEADERS",
    "INTERNAL_PREFIX",
    "Stamp",
    "answer",
    "build_failure",
    "oversized",
    "platform_error",
    "with_cold_start",
]

#: Response headers that belong to the hop between the runtime's local server and vc_handler, or
#: that the platform strips.
HOP_HEADERS = frozenset({"connection", "keep-alive", "transfer-encoding", "date", "server"})
#: The runtime's internal headers (its timing header is read by the platform, never sent on).
INTERNAL_PREFIX = "x-vercel-internal-"


@dataclass(frozen=True)
class Stamp:
    """What every outcome of one function carries: the region its request ids name, the
    ``vercel-runtime`` release that ran it and the project folder (displays map it to
    ``/var/task``)."""

    region: str
    runtime_version: str
    project: str


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
    error = platform.lookup(code)
    request_id = platform.new_request_id(stamp.region)
    return Outcome(
        request,
        error.status,
        platform.error_headers(code, request_id),
        platform.error_page(code, request_id).encode(),
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
        headers = [
            (k.lower(), v)
            for k, v in response.headers
            if k.lower() not in HOP_HEADERS and not k.lower().startswith(INTERNAL_PREFIX)
        ]
        headers += [("server", "Vercel"), ("x-vercel-id", request_id)]
        return Outcome(
            request,
            response.status,
            tuple(headers),
            response.body,
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
    code, line = platform.death(reply.kind, reply.exit_status, duration)
    return platform_error(stamp, request, code, "invoke", log + line, elapsed_ms, entrypoint)


def build_failure(stamp: Stamp, request: Request, code: str, message: str) -> Outcome:
    """The outcome of every request to a project the builder refuses: no status (no
    deployment exists), the builder's code, and its message as the build log's error line."""
    return Outcome(
        request,
        None,
        error_code=code,
        phase="build",
        log=f"Error: {message}\n",
        runtime_version=stamp.runtime_version,
        project=stamp.project,
    )


def with_cold_start(outcome: Outcome, cold_start_ms: float) -> Outcome:
    """``outcome`` marked as the first answer of a new instance."""
    return replace(outcome, cold_start_ms=cold_start_ms)
