"""How ``doctor --fix`` prints: each change (its diff or variables) and its proof, as text, or
the ``fixes`` list of ``--format json``.

Pure: values in, text or JSON-ready dictionaries out.
"""

from __future__ import annotations

from typing import Any

from vercel_lab.doctor.fixers.prove import Proof, Proving, describe, log_line
from vercel_lab.runtime.outcome import Outcome

__all__ = ["fix_json", "fix_text"]


def _outcome(outcome: Outcome) -> dict[str, Any]:
    return {
        "path": outcome.request.path,
        "method": outcome.request.method,
        "status": outcome.status,
        "error_code": outcome.error_code,
        "phase": outcome.phase,
    }


def _entry(proof: Proof) -> dict[str, Any]:
    change = proof.changes[0]
    return {
        "check": change.check,
        "file": change.file,
        "line": change.line,
        "summary": change.summary,
        "diff": change.diff,
        "env": dict(change.env),
        "status": proof.status,
        "verified": proof.verified,
        "outcome": _outcome(proof.outcome) if proof.outcome is not None else None,
        "outcomes": [_outcome(o) for o in proof.outcomes],
        "reason": proof.reason,
    }


def fix_json(proving: Proving) -> dict[str, Any]:
    """``{"fixes": [...], "fixes_together": {...} | None, "before": [...]}``: one entry per
    change, keys ``check``, ``file``, ``line``, ``summary``, ``diff``, ``env``, ``status``,
    ``verified``, ``outcome``, ``outcomes``, ``reason``."""
    together = proving.together
    return {
        "fixes": [_entry(p) for p in proving.proofs],
        "fixes_together": None
        if together is None
        else {
            "checks": [key[0] for c in together.changes for key in (c.also or c.covers)],
            "diff": "".join(c.diff for c in together.changes),
            "env": {k: v for c in together.changes for k, v in c.env},
            "status": together.status,
            "verified": together.verified,
            "outcome": _outcome(together.outcome) if together.outcome is not None else None,
            "outcomes": [_outcome(o) for o in together.outcomes],
            "reason": together.reason,
        },
        "before": [_outcome(o) for o in proving.before],
    }


def _proof_lines(proof: Proof, before: tuple[Outcome, ...]) -> list[str]:
    lines = [f"  {proof.status}: {proof.reason}"]
    if proof.outcome is not None:
        first = next((o for o in before if o.request == proof.outcome.request), None)
        if first is not None:
            lines.append(f"    before: {describe(first)}" + _log(first))
        lines.append(f"    after:  {describe(proof.outcome)}" + _log(proof.outcome))
    return lines


def _log(outcome: Outcome) -> str:
    line = log_line(outcome)
    return f"  | {line}" if line and (outcome.error_code or (outcome.status or 0) >= 400) else ""


def fix_text(proving: Proving) -> str:
    """Each change: its check and summary, its diff or variables, and its proof (before ->
    after: status, error code, the log line)."""
    if proving.error:
        head = [f"--fix: {proving.error}"]
    else:
        head = ["--fix: before any fix: " + ", ".join(describe(o) for o in proving.before)]
    if not proving.proofs:
        return "\n".join([*head, "--fix: no finding has a mechanical fix."]) + "\n"
    lines = head
    for number, proof in enumerate(proving.proofs, 1):
        change = proof.changes[0]
        where = f" ({change.file}:{change.line})" if change.file and change.line else ""
        lines.append(f"fix {number} [{change.check}]{where}: {change.summary}")
        lines += [f"  {line}" for line in change.diff.splitlines()]
        lines += [
            f"  set {name}={value} for Production and Preview (a generated placeholder)"
            for name, value in change.env
        ]
        lines += _proof_lines(proof, proving.before)
    if proving.together is not None:
        checks = [key[0] for c in proving.together.changes for key in (c.also or c.covers)]
        lines.append(f"all {len(proving.proofs)} fixes together ({', '.join(checks)}):")
        lines += _proof_lines(proving.together, proving.before)
    verified = sum(p.verified for p in proving.proofs)
    together = f"; all together: {proving.together.status}" if proving.together is not None else ""
    lines.append(f"--fix: {verified} of {len(proving.proofs)} fixes verified{together}.")
    return "\n".join(lines) + "\n"
