"""``doctor --run``: cold-start the project under the real runtime and name what failed.

The outcome of one request (:class:`vercel_lab.runtime.function.Function`) maps onto the categories
of the static checks: a build error is read like a build log, a crash at cold start or during the
request like a function log (:mod:`vercel_lab.doctor.log_checks`), a timeout or an oversized body by
its platform error code. A run that answered leaves a note with status and cold start.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from vercel_lab.doctor.findings import Finding
from vercel_lab.doctor.log_checks import GENERIC, check_log_text
from vercel_lab.doctor.registry import make
from vercel_lab.runtime.interpreters import EnvironmentSetupError
from vercel_lab.runtime.outcome import Outcome

#: A cold start or request longer than this is a timeout for the doctor, unless vercel.json
#: allows less: the doctor must not wait Vercel's default 300 s on a hung import.
RUN_TIMEOUT: Final = 60.0


def _invoke(root: Path, path: str, mode: str = "fluid") -> Outcome:
    from vercel_lab.runtime.function import Function

    with Function(root, mode=mode) as function:
        if not function.config.max_duration:
            function.max_duration = RUN_TIMEOUT
        outcome = function.invoke(path)
        if outcome.error_code == "NOT_FOUND" and path == "/" and function.entrypoints:
            # "/" may not be routed (no rewrites): ask the first function at its own route.
            outcome = function.invoke(function.entrypoints[0].route)
        return outcome


def outcome_findings(outcome: Outcome, root: Path | None) -> list[Finding]:
    """The findings for one outcome (pure: no process is started)."""
    path = outcome.request.path
    if outcome.error_code is None:
        if outcome.status is not None and outcome.status >= 500:
            return [make("run-server-error", path=path, status=outcome.status)]
        ms = f"{outcome.cold_start_ms:.0f}" if outcome.cold_start_ms is not None else "?"
        return [make("run-answered", path=path, status=outcome.status, ms=ms)]
    if (
        outcome.error_code == "NOT_FOUND"
        and outcome.entrypoint is None
        and any("no Python entrypoint" in n for n in outcome.notes)
    ):
        return [make("run-no-function", path=path)]
    findings = [f for f in check_log_text(outcome.log, root) if f.id != "log-unrecognised"]
    if outcome.error_code == "FUNCTION_INVOCATION_TIMEOUT" and not any(
        f.id == "log-timeout" for f in findings
    ):
        findings.append(make("log-timeout", limit=""))
    if outcome.error_code in ("FUNCTION_PAYLOAD_TOO_LARGE", "FUNCTION_RESPONSE_PAYLOAD_TOO_LARGE"):
        findings.append(make("log-payload-too-large", code=outcome.error_code))
    if not [f for f in findings if f.id not in GENERIC]:
        findings.append(
            make("run-failed", path=path, code=outcome.error_code, phase=outcome.phase or "none")
        )
    return findings


def run_findings(root: Path, path: str = "/", mode: str = "fluid") -> list[Finding]:
    """Cold-start ``root`` in ``mode`` ("fluid" or "lambda"), request ``path``, and return what
    it came to as findings."""
    try:
        outcome = _invoke(root, path, mode)
    except (EnvironmentSetupError, OSError, ValueError) as exc:
        return [make("run-could-not-start", error=str(exc).splitlines()[0][:200])]
    return outcome_findings(outcome, root)
