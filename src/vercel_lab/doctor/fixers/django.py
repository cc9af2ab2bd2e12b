"""Fixes of the Django family (:mod:`vercel_lab.doctor.checks.django`): Vercel's hosts in
``ALLOWED_HOSTS`` and ``CSRF_TRUSTED_ORIGINS``; the WSGI ``application`` a Django
``api/index.py`` must expose.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from vercel_lab.doctor.analysis import analyse
from vercel_lab.doctor.findings import Finding
from vercel_lab.doctor.fixers.change import Change, make_change
from vercel_lab.doctor.fixers.python import append_statements, assigns
from vercel_lab.doctor.project import Project

__all__ = ["vercel_hosts", "wsgi_application"]

#: Every deployment and preview URL (``*.vercel.app``), as Django matches hosts
#: (https://docs.djangoproject.com/en/5.2/ref/settings/#allowed-hosts: a leading dot matches the
#: domain and its subdomains) and origins (``CSRF_TRUSTED_ORIGINS`` takes ``https://*.domain``).
HOST: Final = ".vercel.app"
ORIGIN: Final = "https://*.vercel.app"


def vercel_hosts(root: Path, finding: Finding) -> Change | None:
    """``allowed-hosts-local-only`` / ``allowed-hosts-no-vercel``: ``.vercel.app`` added to
    ``ALLOWED_HOSTS`` (kept entries first) and ``https://*.vercel.app`` to
    ``CSRF_TRUSTED_ORIGINS``, appended at the end of the settings module."""
    rel = finding.file
    if rel is None or not rel.endswith(".py") or not (root / rel).is_file():
        return None
    source = (root / rel).read_text(encoding="utf-8")
    hosts = (
        f'ALLOWED_HOSTS = [*ALLOWED_HOSTS, "{HOST}"]'
        if assigns(source, "ALLOWED_HOSTS")
        else f'ALLOWED_HOSTS = ["{HOST}", "localhost", "127.0.0.1"]'
    )
    origins = (
        f'CSRF_TRUSTED_ORIGINS = [*CSRF_TRUSTED_ORIGINS, "{ORIGIN}"]'
        if assigns(source, "CSRF_TRUSTED_ORIGINS")
        else f'CSRF_TRUSTED_ORIGINS = ["{ORIGIN}"]'
    )
    code = (
        "\n# vercel-lab doctor --fix: answer on every deployment URL (*.vercel.app).\n"
        f"{hosts}\n{origins}\n"
    )
    return make_change(
        root,
        finding.id,
        rel,
        finding.line,
        "add `.vercel.app` to ALLOWED_HOSTS and CSRF_TRUSTED_ORIGINS",
        {rel: append_statements(source, code)},
    )


def wsgi_application(root: Path, finding: Finding) -> Change | None:
    """``builder-entrypoint-not-found`` in a Django project: the entrypoint file ends with
    Django's WSGI ``application`` (``get_wsgi_application()``, the settings module the
    project's settings file names set as default), the variable the builder looks for."""
    rel = finding.file
    if rel is None or not rel.endswith(".py") or not (root / rel).is_file():
        return None
    analysis = analyse(Project(root))
    if analysis.settings_file is None:
        return None
    module = analysis.settings_file.removesuffix(".py").replace("/", ".")
    source = (root / rel).read_text(encoding="utf-8")
    if assigns(source, "application") or assigns(source, "app"):
        return None
    code = (
        "\n# vercel-lab doctor --fix: Django's WSGI application, the variable the builder finds.\n"
        "import os\n\n"
        "from django.core.wsgi import get_wsgi_application\n\n"
        f'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "{module}")\n'
        "application = get_wsgi_application()\n"
    )
    return make_change(
        root,
        finding.id,
        rel,
        finding.line,
        "expose Django's WSGI `application = get_wsgi_application()`",
        {rel: append_statements(source, code)},
    )
