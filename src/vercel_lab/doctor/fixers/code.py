"""Fixes of the code family (:mod:`vercel_lab.doctor.checks.code`): a missing dependency added
to the manifest the builder reads, a logging file handler replaced by the console.

Each fixer takes ``(root, finding)`` and returns a :class:`~.change.Change` or None (no
mechanical remedy for this case).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

import tomlkit
from tomlkit.items import Array

from vercel_lab.doctor import deps
from vercel_lab.doctor.findings import Finding
from vercel_lab.doctor.fixers.change import Change, make_change
from vercel_lab.doctor.fixers.python import append_statements

__all__ = ["DISTRIBUTIONS", "add_dependency", "console_logging", "distribution_for"]

#: The distribution that provides an import, where the names differ (the first choice: a
#: wheel that installs without a compiler, e.g. ``psycopg2-binary``).
DISTRIBUTIONS: Final[dict[str, str]] = {
    "yaml": "PyYAML",
    "PIL": "Pillow",
    "psycopg2": "psycopg2-binary",
    "dotenv": "python-dotenv",
    "sklearn": "scikit-learn",
    "bs4": "beautifulsoup4",
    "jwt": "PyJWT",
    "cv2": "opencv-python-headless",
    "dateutil": "python-dateutil",
    "jose": "python-jose",
    "magic": "python-magic",
    "multipart": "python-multipart",
    "skimage": "scikit-image",
    "telegram": "python-telegram-bot",
    "MySQLdb": "mysqlclient",
    "Crypto": "pycryptodome",
}

_NAME: Final = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def distribution_for(module: str) -> str:
    """The distribution to declare for top-level import ``module``: :data:`DISTRIBUTIONS`, then
    the doctor's import table (:func:`vercel_lab.doctor.deps.packages_for`)."""
    return DISTRIBUTIONS.get(module) or deps.packages_for(module)[0]


def _provides(requirement: str, module: str) -> bool:
    match = _NAME.match(requirement)
    if match is None:
        return False
    name = deps.normalize(match.group(1))
    wanted = {deps.normalize(distribution_for(module))}
    wanted |= {deps.normalize(p) for p in deps.packages_for(module)}
    return name in wanted


def _pyproject(text: str, module: str) -> str | None:
    """pyproject.toml with ``module``'s distribution in ``[project].dependencies`` (moved from
    an optional group when it is declared there, so its version range is kept)."""
    document = tomlkit.parse(text)
    project = document.get("project")
    if project is None or not hasattr(project, "get"):
        return None
    dependencies = project.get("dependencies")
    if dependencies is None:
        dependencies = tomlkit.array()
        dependencies.multiline(True)
        project["dependencies"] = dependencies
    if not isinstance(dependencies, Array):
        return None
    requirement = distribution_for(module)
    extras = project.get("optional-dependencies")
    for group in extras.values() if hasattr(extras, "values") else ():
        found = next((str(r) for r in group if _provides(str(r), module)), None)
        if found is not None:
            requirement = found
            break
    dependencies.append(requirement)
    return tomlkit.dumps(document)


def add_dependency(root: Path, finding: Finding) -> Change | None:
    """``undeclared-import`` / ``dependency-only-in-extra``: the distribution that provides the
    module, added to the manifest the builder reads (the doctor names it: ``pyproject.toml``
    ``[project].dependencies``, moved there from an optional group, or a requirements.txt line,
    created at the root when the project declares nothing). A Pipfile or a Poetry-only pyproject
    gets no change (the builder does not read Poetry's table)."""
    module = finding.value_of("module")
    target = finding.value_of("target") or ""
    if finding.id == "dependency-only-in-extra":  # the finding sits on the manifest itself
        target = finding.file or ""
    if module is None:
        return None
    requirement = distribution_for(module)
    if target == "pyproject.toml":
        new = _pyproject((root / "pyproject.toml").read_text(encoding="utf-8"), module)
        if new is None:
            return None
        rel = "pyproject.toml"
    elif target.endswith("requirements.txt"):
        rel = "requirements.txt"
        path = root / rel
        old = path.read_text(encoding="utf-8") if path.is_file() else ""
        new = old + ("" if not old or old.endswith("\n") else "\n") + requirement + "\n"
    else:
        return None
    return make_change(
        root,
        finding.id,
        finding.file,
        finding.line,
        f"declare `{requirement}` (provides `import {module}`) in {rel}",
        {rel: new},
    )


#: Logging that writes to stderr, which Vercel keeps as the function log.
CONSOLE_LOGGING: Final = """
# vercel-lab doctor --fix: log to stderr (Vercel keeps it as the function log); the deployment's
# files are read-only, so a logging.FileHandler fails at import.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
"""


def console_logging(root: Path, finding: Finding) -> Change | None:
    """``logging-file-handler`` in Django settings (a ``LOGGING`` dictionary): ``LOGGING``
    rebound at the end of the settings to one console handler."""
    rel = finding.file
    if rel is None or not rel.endswith(".py"):
        return None
    source = (root / rel).read_text(encoding="utf-8")
    from vercel_lab.doctor.fixers.python import assigns

    if not assigns(source, "LOGGING"):
        from vercel_lab.doctor.fixers.files import write_under_tmp

        return write_under_tmp(root, finding)  # a handler made in code: its file under /tmp
    return make_change(
        root,
        finding.id,
        rel,
        finding.line,
        "log to the console instead of a file (Django LOGGING)",
        {rel: append_statements(source, CONSOLE_LOGGING)},
    )
