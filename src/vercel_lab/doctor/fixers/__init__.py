"""``doctor --fix``: the doctor's remedies as changes (a diff, environment variables), found by
the id of the check they fix, one module per family as in :mod:`vercel_lab.doctor.checks`:

- :mod:`.code`: ``undeclared-import`` (the manifest the builder reads), ``logging-file-handler``;
- :mod:`.files`: ``write-at-import``, ``write-in-request``, a ``logging-file-handler`` call
  (the path moved under ``/tmp``);
- :mod:`.django`: ``allowed-hosts-local-only``, ``allowed-hosts-no-vercel``,
  ``builder-entrypoint-not-found`` (Django's ``application``);
- :mod:`.config`: ``legacy-builds``, ``python-version-not-offered``,
  ``python-version-discontinued``;
- :mod:`.entrypoint`: ``wsgi-function-named-handler``, ``app-name-collision``;
- :mod:`.env`: the variables a check names (``env-required-at-import``, ``env-guard-at-import``,
  ``log-env-var``, ``log-env-improperly-configured``, ``log-env-var-named``).

:mod:`.prove` runs them; :mod:`.write` applies the verified ones.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Final

import libcst

from vercel_lab.doctor.findings import Finding
from vercel_lab.doctor.fixers import code, config, django, entrypoint, env, files, poetry
from vercel_lab.doctor.fixers.change import Change, make_change

__all__ = ["FIXERS", "Change", "changes_for", "combine"]

Fixer = Callable[[Path, Finding], Change | None]

#: check id -> the function that makes its change.
FIXERS: Final[dict[str, Fixer]] = {
    "undeclared-import": code.add_dependency,
    "dependency-only-in-extra": code.add_dependency,
    "logging-file-handler": code.console_logging,
    "write-at-import": files.write_under_tmp,
    "write-in-request": files.write_under_tmp,
    "allowed-hosts-local-only": django.vercel_hosts,
    "allowed-hosts-no-vercel": django.vercel_hosts,
    "builder-entrypoint-not-found": entrypoint.entrypoint_variable,
    "legacy-builds": config.zero_config,
    "pyproject-poetry-only": poetry.pep621_from_poetry,
    "preset-rewrite-destination-path": config.framework_null,
    "python-version-not-offered": config.python_pin,
    "python-version-discontinued": config.python_pin,
    "python-pin-fails-install": config.python_pin,
    "wsgi-function-named-handler": entrypoint.expose_app,
    "app-name-collision": entrypoint.rename_application,
    "env-required-at-import": env.set_variable,
    "env-guard-at-import": env.set_variable,
    "log-env-var": env.set_variable,
    "log-env-improperly-configured": env.set_variable,
    "log-env-var-named": env.set_variable,
}

#: What a fixer may meet in a broken project: the change is then not offered (the finding
#: stays, as it is), never a crash.
_UNFIXABLE: Final = (
    OSError,
    UnicodeDecodeError,
    ValueError,
    TypeError,
    KeyError,
    json.JSONDecodeError,
    tomllib.TOMLDecodeError,
    libcst.ParserSyntaxError,
)


def changes_for(root: Path, findings: Iterable[Finding]) -> list[Change]:
    """One change per finding with a mechanical remedy, in the findings' order; a second
    finding with the same change (the same diff and variables) is not repeated."""
    changes: list[Change] = []
    seen: dict[tuple[str, tuple[str, ...]], int] = {}
    for finding in findings:
        fixer = FIXERS.get(finding.id)
        if fixer is None:
            continue
        try:
            change = fixer(root, finding)
        except _UNFIXABLE:
            continue
        if change is None:
            continue
        change = replace(change, finding=finding)
        same = (change.diff, tuple(name for name, _ in change.env))
        if same in seen:
            first = changes[seen[same]]
            also = (*first.also, (finding.id, finding.file, finding.line))
            changes[seen[same]] = replace(first, also=also)
        else:
            seen[same] = len(changes)
            changes.append(change)
    return changes


def combine(root: Path, changes: list[Change]) -> Change | None:
    """One change doing all of ``changes``: each made again, in order, on a copy that holds the
    ones before it (so edits of one file compose); None when one no longer applies."""
    if len(changes) == 1:
        return changes[0]
    touched: set[str] = set()
    env: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="vercel-lab-combine-") as temp:
        copy = Path(temp) / "project"
        shutil.copytree(root.resolve(), copy, symlinks=True, ignore=shutil.ignore_patterns(".git"))
        for change in changes:
            if change.finding is None or (fixer := FIXERS.get(change.check)) is None:
                return None
            try:
                again = fixer(copy, change.finding) if change.edits else change
            except _UNFIXABLE:
                return None
            if again is None:
                return None
            again.apply(copy)
            touched |= {edit.path for edit in again.edits}
            env.update(change.env)  # the placeholder already shown for this change
        edits: dict[str, str | None] = {
            rel: (copy / rel).read_text(encoding="utf-8") if (copy / rel).exists() else None
            for rel in touched
        }
        combined = make_change(
            root,
            "+".join(c.check for c in changes),
            None,
            None,
            "all together: " + "; ".join(c.summary for c in changes),
            edits,
            env,
        )
    if combined is None:
        return None
    return replace(combined, also=tuple(key for c in changes for key in c.covers))
