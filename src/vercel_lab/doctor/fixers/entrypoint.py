"""Fixes of the entrypoint and start-up families (:mod:`vercel_lab.doctor.checks.entrypoint`,
:mod:`~vercel_lab.doctor.checks.startup`): a WSGI-shaped ``def handler`` exposed as ``app``;
an object named ``application`` that shadows the real ``app`` renamed.
"""

from __future__ import annotations

from pathlib import Path

from vercel_lab.doctor.findings import Finding
from vercel_lab.doctor.fixers.change import Change, make_change
from vercel_lab.doctor.fixers.python import append_statements, assigns, rename_module_name

__all__ = ["expose_app", "rename_application"]


def expose_app(root: Path, finding: Finding) -> Change | None:
    """``wsgi-function-named-handler``: ``app = handler`` appended (the builder finds ``app``;
    the function keeps its name for its callers)."""
    rel = finding.file
    if rel is None or not (root / rel).is_file():
        return None
    source = (root / rel).read_text(encoding="utf-8")
    if assigns(source, "app"):
        return None
    code = "\n# vercel-lab doctor --fix: the builder serves a top-level `app`.\napp = handler\n"
    return make_change(
        root,
        finding.id,
        rel,
        finding.line,
        "expose the WSGI function as `app`",
        {rel: append_statements(source, code)},
    )


def entrypoint_variable(root: Path, finding: Finding) -> Change | None:
    """``builder-entrypoint-not-found``: Django's ``application`` for a Django project
    (:func:`~vercel_lab.doctor.fixers.django.wsgi_application`), else ``app = handler`` where
    the file binds its app to ``handler`` at top level (a Flask or FastAPI object the preset's
    builder does not look for under that name)."""
    from vercel_lab.doctor.fixers.django import wsgi_application

    django = wsgi_application(root, finding)
    if django is not None:
        return django
    rel = finding.file
    if rel is None or not (root / rel).is_file():
        return None
    source = (root / rel).read_text(encoding="utf-8")
    if not assigns(source, "handler") or assigns(source, "app"):
        return None
    return expose_app(root, finding)


def rename_application(root: Path, finding: Finding) -> Change | None:
    """``app-name-collision``: the object bound to ``application`` (not an app) renamed
    ``bot_application`` throughout its module, so the builder finds ``app``."""
    rel = finding.file
    if rel is None or not (root / rel).is_file():
        return None
    source = (root / rel).read_text(encoding="utf-8")
    try:
        new = rename_module_name(source, "application", "bot_application")
    except ValueError:
        return None
    return make_change(
        root,
        finding.id,
        rel,
        finding.line,
        "rename the object `application` to `bot_application` (the builder serves `app`)",
        {rel: new},
    )
