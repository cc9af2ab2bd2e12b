"""``doctor --fix``: each change applied alone, then all together, to a copy of the project,
built and run through :func:`vercel_lab.doctor.checks.run.invoke_probes` (the same
:class:`~vercel_lab.runtime.function.Function` and probes as ``doctor --run``), and judged
against the run before any fix:

- ``verified``: the first request that failed before now answers < 400 without a platform
  error code, and no probed request answers worse than before;
- ``not-enough``: it still fails (``reason`` says with what: the next finding);
- ``not-verifiable``: nothing fails locally before the fix, the project cannot be started, or
  what it fails with now needs a real service (a database).

The project itself is only read: every run works on a fresh copy in a temporary folder.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from vercel_lab.doctor.analysis import analyse
from vercel_lab.doctor.checks.run import invoke_probes, outcome_findings
from vercel_lab.doctor.findings import Finding
from vercel_lab.doctor.fixers import changes_for, combine
from vercel_lab.doctor.fixers.change import Change
from vercel_lab.doctor.probes import Probe, probes
from vercel_lab.doctor.project import Project
from vercel_lab.runtime.interpreters import EnvironmentSetupError
from vercel_lab.runtime.outcome import Outcome

__all__ = ["Proof", "Proving", "describe", "grade", "prove"]

Status = Literal["verified", "not-enough", "not-verifiable"]

#: How many fixed copies run at once (each is a function's child process).
PARALLEL_RUNS: Final = 2
#: Folders never copied (version control, environments, caches, Vercel's own output).
_SKIP: Final = (".git", ".venv", "venv", "node_modules", "__pycache__", ".vercel", ".mypy_cache")
#: What an answer says when it needs a real service, not a code change (log text).
_SERVICES: Final = (
    "OperationalError",
    "Connection refused",
    "could not connect to server",
    "could not translate host name",
)


#: A log line naming an exception: ``ModuleNotFoundError: No module named 'x'``.
_EXCEPTION: Final = re.compile(r"^[\w.]*(Error|Exception|Configured|Exit)\b")


@dataclass(frozen=True)
class Proof:
    """What running ``changes`` came to: ``status``, the request it was judged on
    (``outcome``, None when none failed before), every request re-run (``outcomes``) and a
    ``reason`` (one line)."""

    changes: tuple[Change, ...]
    status: Status
    outcome: Outcome | None
    outcomes: tuple[Outcome, ...]
    reason: str

    @property
    def verified(self) -> bool:
        """True only for ``verified``."""
        return self.status == "verified"


@dataclass(frozen=True)
class Proving:
    """Everything ``--fix`` ran: the probes, the run before any fix, the findings that run
    adds, one proof per change and the proof of all of them together (its one change is
    :func:`~vercel_lab.doctor.fixers.combine`'s; None for fewer than two changes)."""

    probes: tuple[Probe, ...]
    before: tuple[Outcome, ...]
    run_findings: tuple[Finding, ...]
    proofs: tuple[Proof, ...]
    together: Proof | None
    error: str = ""  # why nothing could be run, when so


def grade(outcome: Outcome, synthetic: bool = False) -> int:
    """How bad an answer is: 0 answered < 400; 1 a 4xx the app chose (0 for a ``synthetic``
    probe, which may be refused); 2 the app answered >= 500; 3 a platform error code or no
    answer."""
    if outcome.error_code is not None or outcome.status is None:
        return 3
    if outcome.status >= 500:
        return 2
    if outcome.status >= 400:
        return 0 if synthetic else 1
    return 0


def describe(outcome: Outcome) -> str:
    """``GET / -> 500 FUNCTION_INVOCATION_FAILED (init)``."""
    answer = str(outcome.status) if outcome.status is not None else "no answer"
    code = f" {outcome.error_code}" if outcome.error_code else ""
    phase = f" ({outcome.phase})" if outcome.phase else ""
    return f"{outcome.request.method} {outcome.request.path} -> {answer}{code}{phase}"


def log_line(outcome: Outcome) -> str:
    """The last line of the function log that names an error (or its last line), <= 200
    characters; "" for an empty log."""
    lines = [line.strip() for line in outcome.log.splitlines() if line.strip()]
    named = [
        line
        for line in lines
        if _EXCEPTION.match(line) and not line.startswith("Error: Runtime exited")
    ]
    return (named or lines or [""])[-1][:200]


def copy_project(root: Path, dest: Path) -> Path:
    """A copy of ``root`` at ``dest`` (symbolic links followed, so a link out of the project
    still resolves; :data:`_SKIP` folders left out)."""

    def ignore(folder: str, names: list[str]) -> set[str]:
        # Skipped folders, and links that lead nowhere (copytree's own test of a dangling link
        # reads a relative link from the current folder, not from the link's).
        here = Path(folder)
        return {n for n in names if n in _SKIP or not (here / n).exists()}

    shutil.copytree(root.resolve(), dest, symlinks=False, ignore=ignore)
    return dest


def git_apply(folder: Path, diff: str, check: bool = False) -> str:
    """Apply ``diff`` under ``folder`` with ``git apply -p1`` (``--check``: only test);
    returns git's error text, "" when it applied."""
    if not diff:
        return ""
    args = ["git", "apply", "-p1", "--whitespace=nowarn"] + (["--check"] if check else [])
    prefix = subprocess.run(
        ["git", "rev-parse", "--show-prefix"], cwd=folder, capture_output=True, text=True
    )
    if prefix.returncode == 0 and prefix.stdout.strip():
        # Inside a repository git reads patch paths from its top: point them at the project.
        args.append(f"--directory={prefix.stdout.strip().rstrip('/')}")
    done = subprocess.run(args, cwd=folder, input=diff, capture_output=True, text=True, check=False)
    return "" if done.returncode == 0 else (done.stderr.strip() or "git apply failed")


def _run(
    root: Path, work: Path, name: str, chosen: list[Probe], changes: tuple[Change, ...]
) -> list[Outcome]:
    """A fresh copy of ``root`` with ``changes`` applied, run. Raises ValueError when a diff
    does not apply, and what :func:`invoke_probes` raises."""
    folder = copy_project(root, work / name)
    env: dict[str, str] = {}
    for change in changes:
        if error := git_apply(folder, change.diff):
            raise ValueError(f"the diff of {change.check} does not apply: {error}")
        env.update(change.env)
    try:
        return invoke_probes(folder, chosen, env=env)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def judge(
    chosen: list[Probe], before: list[Outcome], after: list[Outcome], changes: tuple[Change, ...]
) -> Proof:
    """The proof of ``changes`` from the runs before and after (pure)."""
    synthetic = [probe.origin != "default" for probe in chosen]
    failing = [i for i, o in enumerate(before) if grade(o, synthetic[i]) > 0]
    if not failing:
        return Proof(
            changes,
            "not-verifiable",
            None,
            tuple(after),
            "no probed request fails before the fix ("
            + ", ".join(describe(o) for o in before)
            + "): the local run does not reproduce this finding",
        )
    target = failing[0]
    if target >= len(after):
        return Proof(changes, "not-enough", None, tuple(after), "the run stopped earlier")
    now = after[target]
    worse = [
        describe(after[i])
        for i in range(min(len(before), len(after)))
        if grade(after[i], synthetic[i]) > grade(before[i], synthetic[i])
    ]
    line = log_line(now)
    if grade(now, synthetic[target]) == 0 and not worse:
        return Proof(
            changes,
            "verified",
            now,
            tuple(after),
            f"{describe(before[target])} is now {describe(now)}",
        )
    if worse:
        reason = "another request answers worse: " + ", ".join(worse)
    else:
        reason = f"now {describe(now)}" + (f": {line}" if line else "")
    if any(marker in now.log for marker in _SERVICES):
        return Proof(
            changes,
            "not-verifiable",
            now,
            tuple(after),
            f"needs a real service (a database): {line}",
        )
    return Proof(changes, "not-enough", now, tuple(after), reason)


def prove(root: Path, findings: list[Finding]) -> Proving:
    """Run ``root`` before any fix, make a change for every finding with a remedy (the static
    ``findings`` and those of that run), run each alone and all together, and judge them."""
    try:
        chosen = probes(analyse(Project(root)))
    except (OSError, ValueError, RecursionError, KeyError):
        chosen = [Probe("GET", "/", "default")]
    with tempfile.TemporaryDirectory(prefix="vercel-lab-fix-") as temp:
        work = Path(temp)
        try:
            before = _run(root, work, "before", chosen, ())
        except (EnvironmentSetupError, OSError, ValueError) as exc:
            changes = changes_for(root, findings)
            reason = f"the project cannot be run locally: {str(exc).splitlines()[0][:200]}"
            unproven = tuple(Proof((c,), "not-verifiable", None, (), reason) for c in changes)
            return Proving(tuple(chosen), (), (), unproven, None, reason)
        run_findings: list[Finding] = []
        for probe, outcome in zip(chosen, before, strict=False):
            run_findings += outcome_findings(outcome, root, synthetic=probe.origin != "default")
        changes = changes_for(root, [*findings, *run_findings])
        combined = combine(root, changes) if len(changes) > 1 else None
        runs: list[tuple[str, tuple[Change, ...]]] = [
            (f"fix{i}", (change,)) for i, change in enumerate(changes)
        ]
        if combined is not None:
            runs.append(("together", (combined,)))
        # Each run is a child process on its own copy: run them side by side.
        with ThreadPoolExecutor(max_workers=PARALLEL_RUNS) as pool:
            done = list(
                pool.map(lambda run: _prove(root, work, run[0], chosen, before, run[1]), runs)
            )
        proofs = done[: len(changes)]
        together = done[-1] if combined is not None else None
        if len(changes) > 1 and combined is None:
            reason = "the changes do not combine: one of them no longer applies after the others"
            together = Proof(tuple(changes), "not-verifiable", None, (), reason)
    return Proving(tuple(chosen), tuple(before), tuple(run_findings), tuple(proofs), together)


def _prove(
    root: Path,
    work: Path,
    name: str,
    chosen: list[Probe],
    before: list[Outcome],
    changes: tuple[Change, ...],
) -> Proof:
    try:
        after = _run(root, work, name, chosen, changes)
    except (EnvironmentSetupError, OSError, ValueError) as exc:
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        return Proof(changes, "not-verifiable", None, (), reason)
    return judge(chosen, before, after, changes)
