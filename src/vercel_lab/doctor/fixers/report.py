"""``vercel-lab doctor PROJECT --fix [--write [--force]]``: the static findings, the fixes and
their proofs, rendered; with ``--write``, the verified changes written to the project.

Exit status (from :func:`fix_report`'s second value): failed when an error finding remains
without a verified fix. A ``--write`` precondition not met raises ValueError (status 2).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from vercel_lab.builder.detect import project_folder
from vercel_lab.doctor import check_project, ignores
from vercel_lab.doctor.findings import Finding, render_text, sort_findings, to_json
from vercel_lab.doctor.fixers import combine
from vercel_lab.doctor.fixers.change import Change
from vercel_lab.doctor.fixers.output import fix_json, fix_text
from vercel_lab.doctor.fixers.prove import Proving, prove
from vercel_lab.doctor.fixers.write import WriteRefused, check_writable, write_changes
from vercel_lab.doctor.registry import CHECKS, ORDER

__all__ = ["fix_report", "to_write", "unfixed_errors"]


def to_write(root: Path, proving: Proving) -> list[Change]:
    """The changes ``--write`` applies: those verified alone (combined into one when there
    are several, :func:`~vercel_lab.doctor.fixers.combine`); when none is but all of them
    together are verified, all of them."""
    alone = [p.changes[0] for p in proving.proofs if p.verified]
    if not alone and proving.together is not None and proving.together.verified:
        return list(proving.together.changes)
    if len(alone) > 1 and (combined := combine(root, alone)) is not None:
        return [combined]
    return alone[:1]


def unfixed_errors(
    findings: Sequence[Finding], proving: Proving, chosen: list[Change]
) -> list[Finding]:
    """The error findings the ``chosen`` changes (:func:`to_write`) do not cover, and those of
    the run before any fix when none is chosen (a verified change made the failing request
    answer)."""
    covered = {key for change in chosen for key in change.covers}
    run = [] if chosen else [f for f in proving.run_findings if f.severity == "error"]
    return [
        f for f in findings if f.severity == "error" and (f.id, f.file, f.line) not in covered
    ] + run


def fix_report(
    project: str,
    fmt: str | None = None,
    ignore: Sequence[str] = (),
    write: bool = False,
    force: bool = False,
) -> tuple[str, bool]:
    """(output, whether an error finding remains without a verified fix). Raises ValueError
    for a bad project folder or check id, and for a ``--write`` precondition not met (nothing
    is written then)."""
    try:
        root = project_folder(project)
    except OSError as exc:
        raise ValueError(str(exc)) from None
    listed, source = ignores.configured(root)
    for ids, where in ((list(ignore), "--ignore"), (listed, source)):
        if bad := ignores.unknown(ids, CHECKS):
            raise ValueError(f"{where}: no such check: {', '.join(bad)}")
    skipped = set(ignore) | set(listed)
    if write:  # refuse before running anything
        try:
            check_writable(root, [], force)
        except WriteRefused as exc:
            raise ValueError(str(exc)) from None
    static = [f for f in check_project(root) if f.id not in skipped]
    proving = prove(root, static)
    # The run's findings name the temporary copy's files: they make changes (a variable a
    # log names) and count for the exit status, but the report lists the project's own.
    findings = sort_findings(static, ORDER)
    written = ""
    chosen = to_write(root, proving)
    if write and (changes := chosen):
        try:
            written = write_changes(root, changes, force)
        except WriteRefused as exc:
            raise ValueError(str(exc)) from None
    remaining = unfixed_errors(findings, proving, chosen)
    if fmt == "json":
        document = {**to_json(findings), **fix_json(proving)}
        if write:
            document["written"] = written
        return json.dumps(document, indent=2) + "\n", bool(remaining)
    if fmt not in (None, "text"):
        raise ValueError("--fix prints text or json (--format text|json)")
    text = render_text(findings, f"vercel-lab doctor: project {project}, --fix") + fix_text(proving)
    if write:
        text += (
            f"--write: wrote to {root}:\n{written}"
            if written
            else "--write: nothing verified, nothing written.\n"
        )
    return text, bool(remaining)
