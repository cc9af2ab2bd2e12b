"""The pieces every lab check shares: the requests it sends and how a verdict is put together."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from vercel_lab import Outcome, Request
from vercel_lab.labs.feedback import Result, Section, key_line

# Vercel's edge always sends it; without it the portfolio's settings redirect to https://.
HTTPS = (("x-forwarded-proto", "https"),)
PORTFOLIO = "<h1>Portfolio</h1>"

CheckFunction = Callable[[str | Path], Result]


def get(path: str) -> Request:
    return Request("GET", path, HTTPS)


def observed(outcome: Outcome) -> str:
    """One line per request: what the client got."""
    what = f"{outcome.request.method} {outcome.request.path} -> "
    if outcome.status is None:
        return what + f"build failed: {outcome.error_code}"
    if outcome.error_code:
        phase = f" (phase {outcome.phase})" if outcome.phase else ""
        return what + f"{outcome.status} {outcome.error_code}{phase}"
    body = outcome.text.strip().replace("\n", " ")
    return what + f"{outcome.status} {body[:60]!r}"


@dataclass(frozen=True)
class Reporter:
    """Builds one check's verdicts: ``lab`` and ``check`` name it, ``outcomes`` are every request
    it sent (shown to the learner as what the requests got)."""

    lab: str
    check: str
    outcomes: Sequence[Outcome]

    def not_yet(
        self,
        title: str,
        explanation: str,
        hint: Section | None,
        failing: Outcome | None = None,
        *,
        phase: str | None = None,
    ) -> Result:
        """A "not yet": ``failing`` gives the phase and the log line that matter; ``phase``
        names the phase where the outcome has none (no function was built: "build")."""
        made = self._make(False, title, explanation, hint, failing)
        return replace(made, phase=phase) if phase else made

    def passed(self, title: str, explanation: str, hint: Section | None) -> Result:
        return self._make(True, title, explanation, hint, None)

    def crashed(self, outcome: Outcome, hint: Section) -> Result:
        """The fallback for a failure none of the specific diagnoses recognise."""
        if outcome.phase is None:  # the platform answered without running the function
            title = f"The platform answered {outcome.status} {outcome.error_code}"
            why = " ".join(outcome.notes) or "The function never ran for this request."
        else:
            title, why = _FALLBACK[outcome.phase]
        return self.not_yet(title, why, hint, outcome)

    def _make(
        self, passed: bool, title: str, why: str, hint: Section | None, failing: Outcome | None
    ) -> Result:
        return Result(
            self.lab,
            self.check,
            passed,
            title,
            why,
            phase=failing.phase if failing else None,
            log_line=evidence(failing) if failing else None,
            hint=hint,
            observed=tuple(observed(o) for o in self.outcomes),
        )


_FALLBACK = {
    "build": ("The build fails", "The builder refuses the project: no deployment exists."),
    "init": (
        "The function fails at cold start (phase init)",
        "The runtime could not import your file or use its variable; the log says why.",
    ),
    "invoke": (
        "The function fails while handling a request (phase invoke)",
        "It started, then raised or answered in a way the runtime cannot send.",
    ),
}


def evidence(outcome: Outcome) -> str | None:
    """The log line that matters; for a request no function served (an empty log), the note
    saying why."""
    found = key_line(outcome.log)
    if found is None and outcome.notes:
        return f"(no function ran) {outcome.notes[0]}"
    return found


def no_function(outcome: Outcome) -> bool:
    """True when the deployment has no function for the request: a failed build, or a build
    that turned no file into a function (every path then answers 404 NOT_FOUND)."""
    return outcome.phase == "build" or (
        outcome.error_code == "NOT_FOUND" and not outcome.entrypoint
    )


def unreadable(lab: str, check: str, error: Exception) -> Result:
    """The verdict for a project ``vercel_lab`` cannot even load (a malformed vercel.json...)."""
    return Result(
        lab,
        check,
        False,
        "The project cannot be read",
        "Vercel would refuse it before building. Fix the file the error names.",
        phase="build",
        log_line=f"{type(error).__name__}: {error}",
    )


def guarded(lab: str, check: str) -> Callable[[CheckFunction], CheckFunction]:
    """Turn the errors a malformed project raises while loading into a "not yet" verdict: a
    learner's typo in vercel.json must read as feedback, not as a traceback."""

    def wrap(function: CheckFunction) -> CheckFunction:
        @functools.wraps(function)
        def checked(folder: str | Path) -> Result:
            if not Path(folder).is_dir():
                raise FileNotFoundError(f"no lab folder at {folder}: run labs.start(...) first")
            try:
                return function(folder)
            except ValueError as error:  # vercel.json, .env or an option Vercel would refuse
                return unreadable(lab, check, error)

        return checked

    return wrap


def read_text(folder: Path, name: str) -> str | None:
    try:
        return (folder / name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
