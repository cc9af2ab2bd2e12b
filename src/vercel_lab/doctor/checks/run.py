"""``doctor --run``: cold-start the project under the real runtime and name what failed.

The outcome of one request (:class:`vercel_lab.runtime.function.Function`) maps onto the categories
of the static checks: a build error is read like a build log, a crash at cold start or during the
request like a function log (:mod:`vercel_lab.doctor.checks.log`), a timeout or an oversized body by
its platform error code. A run that answered leaves a note with status and cold start.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from vercel_lab.doctor.analysis import analyse
from vercel_lab.doctor.checks.log import GENERIC
from vercel_lab.doctor.checks.log_lines import check_log_text
from vercel_lab.doctor.declare import Check, check, make
from vercel_lab.doctor.findings import Finding
from vercel_lab.doctor.probes import Probe, probes
from vercel_lab.doctor.project import Project
from vercel_lab.runtime.events import Request
from vercel_lab.runtime.interpreters import EnvironmentSetupError
from vercel_lab.runtime.outcome import Outcome

# The checks of this family, declared next to the code that raises them; ``rank`` is the
# priority within a severity (lower first: the most specific cause first).
# One check per block reads better than one argument per line.
# fmt: off
CHECKS: Final[tuple[Check, ...]] = (
    # -- --run ---------------------------------------------------------------------------------
    check("run-no-function", "missing-app-variable", "error", "run",
       "The build made no Python function, so `GET {path}` answers 404 NOT_FOUND.",
       "Give an entrypoint file a top-level `app` or `class handler`; see the static findings "
       "for which file.", rank=900),
    check("run-failed", "other", "error", "run",
       "`{request}` failed with {code} (phase: {phase}) and the function log holds no more "
       "specific error.",
       "Read the function log: `vercel-lab invoke PROJECT --path {path}`.", rank=910),
    check("run-server-error", "runtime-crash-in-view", "warning", "run",
       "`{request}` answered {status}: the function ran, but the app failed on this request.",
       "Read the traceback in the function log (`vercel-lab invoke PROJECT --path {path}`).",
       rank=920),
    check("run-answered", "other", "info", "run",
       "`{request}` answered {status}{start}.",
       "Nothing to fix.", rank=930),
    check("run-probe-refused", "other", "info", "run",
       "`{request}` answered {status}{reason}: the app refused a synthetic request, as it "
       "should; this is not a failure.",
       "Nothing to fix; send a real request (`vercel-lab invoke PROJECT --path ...`) to "
       "check this path with a valid body.", rank=935),
    check("run-could-not-start", "other", "info", "run",
       "The function could not be started locally: {error}.",
       "Check that the project's dependencies can be installed, or run without `--run`.", rank=940),
)
# fmt: on

#: A cold start or request longer than this is a timeout for the doctor, unless vercel.json
#: allows less: the doctor must not wait Vercel's default 300 s on a hung import.
RUN_TIMEOUT: Final = 60.0


#: Log findings that only say "the view raised": not a cause of their own.
_VIEW: Final = frozenset({"log-view-exception", "log-unrecognised", "log-silent-500"})

_REFUSALS: Final = {
    400: " (the body or parameters the view validates are missing)",
    401: " (no credentials)",
    403: " (Django's CSRF protection refuses a POST without a token, or a permission check)",
    405: " (the view does not take this method)",
    422: " (the body the view validates is missing)",
}


def _request(probe: Probe) -> Request:
    if probe.method == "POST":
        headers = (("content-type", "application/json"),)
        return Request(method="POST", path=probe.path, headers=headers, body=b"{}")
    return Request.get(probe.path)


def invoke_probes(
    root: Path,
    chosen: list[Probe],
    options: Mapping[str, Any] | None = None,
    *,
    env: Mapping[str, str] | None = None,
) -> list[Outcome]:
    """The outcomes of ``chosen``, in order, on one warm instance per function; stops after a
    failed build or cold start (every later request would fail the same way). ``options`` are
    :class:`~vercel_lab.runtime.function.Function` keywords (the deployed dependency set by
    default); ``env`` adds user variables on top of theirs. ``doctor --run`` and ``doctor
    --fix`` both run a project through here."""
    from vercel_lab.runtime.function import Function

    keywords = dict(options or {})
    if env:
        keywords["env"] = {**keywords.get("env", {}), **env}
    outcomes: list[Outcome] = []
    with Function(root, **keywords) as function:
        if not function.config.max_duration:
            function.max_duration = RUN_TIMEOUT
        for probe in chosen:
            outcome = function.invoke(_request(probe))
            if (
                outcome.error_code == "NOT_FOUND"
                and probe.path == "/"
                and probe.origin == "default"
                and function.entrypoints
            ):
                # "/" may not be routed (no rewrites): ask the first function at its own route.
                outcome = function.invoke(function.entrypoints[0].route)
            outcomes.append(outcome)
            if outcome.error_code is not None and outcome.phase in ("build", "init"):
                break
    return outcomes


def outcome_findings(outcome: Outcome, root: Path | None, synthetic: bool = False) -> list[Finding]:
    """The findings for one outcome (pure: no process is started); a 4xx answer to a
    ``synthetic`` probe (a routed path read from the code, a POST without a real body) is a
    note, never an error."""
    path = outcome.request.path
    request = f"{outcome.request.method} {path}"
    if outcome.error_code is None:
        if outcome.status is not None and outcome.status >= 500:
            # The app answered 500 itself (Django, Starlette): a specific cause in its log
            # (a missing variable, an undeclared module) is the finding; a plain exception in
            # a view stays a warning, as a synthetic request may provoke it.
            specific = [
                f
                for f in check_log_text(outcome.log, root)
                if f.id not in GENERIC | _VIEW and f.severity == "error"
            ]
            return specific or [
                make("run-server-error", path=path, request=request, status=outcome.status)
            ]
        if outcome.status is not None and 400 <= outcome.status < 500 and synthetic:
            reason = _REFUSALS.get(outcome.status, "")
            return [
                make("run-probe-refused", request=request, status=outcome.status, reason=reason)
            ]
        start = (
            f" after a cold start of {outcome.cold_start_ms:.0f} ms"
            if outcome.cold_start_ms is not None
            else " (warm instance)"
        )
        return [make("run-answered", request=request, status=outcome.status, start=start)]
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
            make(
                "run-failed",
                path=path,
                request=request,
                code=outcome.error_code,
                phase=outcome.phase or "none",
            )
        )
    return findings


def run_findings(root: Path, path: str = "/", **options: Any) -> list[Finding]:
    """Cold-start ``root`` and send it ``GET /`` plus the paths it routes
    (:func:`vercel_lab.doctor.probes.probes`), or only ``path`` when it is not ``/``; return
    what they came to as findings.

    ``options`` are :class:`~vercel_lab.runtime.function.Function` keywords: by default the
    deployed dependency set, so a package missing only from this environment is never blamed on
    the project; a set that cannot be installed is a note (``run-could-not-start``)."""
    if path == "/":
        try:
            chosen = probes(analyse(Project(root)))
        except (OSError, ValueError, RecursionError, KeyError):
            chosen = [Probe("GET", "/", "default")]
    else:
        chosen = [Probe("GET", path, "default")]
    try:
        outcomes = invoke_probes(root, chosen, options)
    except (EnvironmentSetupError, OSError, ValueError) as exc:
        return [make("run-could-not-start", error=str(exc).splitlines()[0][:200])]
    findings: list[Finding] = []
    for probe, outcome in zip(chosen, outcomes, strict=False):
        findings += outcome_findings(outcome, root, synthetic=probe.origin != "default")
    return findings
