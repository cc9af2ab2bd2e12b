"""Failed builds in a pasted build log (``vercel build``, ``vercel inspect --logs``, the
dashboard's build log), each an error naming the builder step that failed and its fix.

The failure is read by :func:`vercel_lab.logs.build_failure` (texts and their sources are cited
there: ``@vercel/python`` 6.56.2, ``@vercel/python-analysis`` 0.13.2 and uv); the manifest the
builder installed from is its own "Installing required dependencies from X..." line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from vercel_lab.doctor.declare import Check, check, make
from vercel_lab.doctor.findings import Finding
from vercel_lab.logs import BuildFailure

_VERSIONS: Final = "3.12, 3.13 or 3.14"

# fmt: off
CHECKS: Final[tuple[Check, ...]] = (
    check("log-build-uv-lock", "import-error-missing-dependency", "error", "log",
       "The build failed at step \"{step}\": uv found no `[project]` table in "
       "`{subject}`, so it could not lock the dependencies.",
       "Give pyproject.toml a `[project]` table (`name`, `version`, `dependencies = [...]` "
       "listing every package) or remove pyproject.toml so the builder reads requirements.txt; "
       "{advice}", rank=581),
    check("log-build-python-interpreter", "python-version", "error", "log",
       "The build failed at step \"{step}\": no Python {subject} on the build image (`{detail}`); "
       "the builder picked its default Python, but installing from {manifest} honours the "
       "version the project pins.",
       "Ask for a version Vercel offers (" + _VERSIONS + "; 3.12 is the default) in "
       ".python-version and `requires-python`, then regenerate uv.lock (`uv lock`) and commit "
       "both.", rank=582),
    check("log-build-django-settings", "django-settings", "error", "log",
       "The build failed at step \"{step}\": the Django preset ran `{subject}` to read the "
       "settings and it raised `{detail}`.",
       "Make the Django app the builder sees importable: {advice}", rank=583),
    check("log-build-manifest-parse", "import-error-missing-dependency", "error", "log",
       "The build failed at step \"{step}\": the builder could not parse `{subject}` "
       "(`{detail}`).",
       "Fix the line of {subject} the message quotes (one PEP 508 requirement per line: "
       "`name==1.2`, no shell commands, no stray characters) and redeploy.", rank=584),
    check("log-build-step-failed", "import-error-missing-dependency", "error", "log",
       "The build failed at step \"{step}\": `{detail}`.",
       "{advice}", rank=585),
)
# fmt: on

_STEP_ADVICE: Final[dict[str, str]] = {
    "python-version-discontinued": "Ask for a Python version Vercel offers ("
    + _VERSIONS
    + ") in .python-version or requires-python.",
    "no-python-version": "Ask for a Python version Vercel offers ("
    + _VERSIONS
    + ") in .python-version or requires-python.",
    "lock-without-pyproject": "Commit pyproject.toml next to uv.lock, or delete uv.lock.",
    "dependency-resolution": "Check the names and versions in the manifest the build installs "
    "from; prefer packages with Linux wheels (`psycopg2-binary` rather than `psycopg2`).",
}
_DEFAULT_ADVICE: Final = (
    "Reproduce the step locally (`uv sync` or `uv pip install -r requirements.txt` on Python "
    "3.12) and fix the manifest it names."
)


def _backends(root: Path | None) -> list[str]:
    if root is None:
        return []
    return sorted(p.parent.name + "/" for p in root.glob("*/manage.py"))


def build_findings(failure: BuildFailure, root: Path | None) -> Finding:
    """The finding for one failed build step (``failure.line`` is its log line)."""
    first = failure.detail.splitlines()[0] if failure.detail else ""
    last = failure.detail.splitlines()[-1] if failure.detail else ""
    manifest = failure.manifest or "the manifest"
    if failure.kind == "uv-lock-no-project" or (
        failure.kind == "uv-lock-failed" and "project" in failure.detail
    ):
        if failure.manifest in ("requirements.txt", None):
            advice = (
                "builders before @vercel/python 6.56 wrote a pyproject.toml without `[project]` "
                "for an empty requirements.txt: list at least one dependency in "
                "requirements.txt, or redeploy with the current builder."
            )
        else:
            advice = "then redeploy."
        return make(
            "log-build-uv-lock",
            step=failure.step,
            subject=failure.subject or "pyproject.toml",
            advice=advice,
        )
    if failure.kind == "python-interpreter-missing":
        return make(
            "log-build-python-interpreter",
            ".python-version",
            None,
            step=failure.step,
            subject=failure.subject or "",
            detail=first,
            manifest=manifest,
        )
    if failure.kind == "django-settings":
        found = _backends(root)
        where = f" (here: {', '.join(found)})" if found else ""
        advice = (
            f"if the app to deploy lives in a subfolder{where}, set the project's Root "
            f"Directory to it (Settings > Build and Deployment) or remove the stale root "
            f"manage.py and requirements.txt; otherwise declare Django in {manifest}."
        )
        return make(
            "log-build-django-settings",
            step=failure.step,
            subject="manage.py",
            detail=last,
            advice=advice,
        )
    if failure.kind == "manifest-parse":
        return make(
            "log-build-manifest-parse",
            failure.subject,
            None,
            step=failure.step,
            subject=failure.subject or manifest,
            detail=first,
        )
    advice = _STEP_ADVICE.get(failure.kind, _DEFAULT_ADVICE)
    return make("log-build-step-failed", step=failure.step, detail=first, advice=advice)
