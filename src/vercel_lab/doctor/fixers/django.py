"""Fixes of the Django family (:mod:`vercel_lab.doctor.checks.django`): Vercel's hosts in
``ALLOWED_HOSTS`` and ``CSRF_TRUSTED_ORIGINS``; the WSGI ``application`` Django's
``api/index.py`` must expose.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from vercel_lab.doctor.findings import Finding
from vercel_lab.doctor.fixers.change import Change, make_change
from vercel_lab.doctor.fixers.python import append_statements, assigns

__all__ = ["vercel_hosts"]

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
