"""The fixed Django examples are production-grade: settings from the environment, Django's own
deployment checklist passes, nothing is written at runtime, a crashing view stays private."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from vercel_lab import Function
from vercel_lab.examples import example

FIXED = ["fixed-api-index", "fixed-django-preset"]
# What a real deployment sets in Project Settings > Environment Variables.
PRODUCTION_KEY = "k3v-" + "portfolio-production-secret-" + "Zq8rT2wLx9mNc4bVh7jKd1pQs6yFg0eU"


def django(project: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``python -m django ARGS`` in ``project`` with only ``env`` (plus what Python needs)."""
    base = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONDONTWRITEBYTECODE": "1",
        "DJANGO_SETTINGS_MODULE": "portfolio.settings",
        "PYTHONPATH": str(project),
    }
    return subprocess.run(
        [sys.executable, "-m", "django", *args],
        cwd=project, env={**base, **env}, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def settings_of(project: Path, env: dict[str, str]) -> list[str]:
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, len(s.SECRET_KEY) >= 50, s.SECRET_KEY == " + repr(PRODUCTION_KEY) + "); "
        "print(*s.ALLOWED_HOSTS)"
    )
    base = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONDONTWRITEBYTECODE": "1",
        "DJANGO_SETTINGS_MODULE": "portfolio.settings",
        "PYTHONPATH": str(project),
    }
    done = subprocess.run([sys.executable, "-c", code], cwd=project, env={**base, **env},
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


@pytest.mark.parametrize("name", FIXED)
def test_check_deploy_finds_no_issue_under_production_variables(name: str) -> None:
    done = django(example(name), "check", "--deploy", "--fail-level", "DEBUG",
                  env={"DJANGO_SECRET_KEY": PRODUCTION_KEY})  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    # The one silenced check is HSTS preload: a decision for a domain's owner (base_settings).
    assert done.stdout == "System check identified no issues (1 silenced).\n"
    assert done.stderr == ""


def test_check_deploy_flags_a_deployment_without_a_secret_key() -> None:
    done = django(example("fixed-api-index"), "check", "--deploy", "--fail-level", "WARNING",
                  env={})  # fmt: skip
    assert done.returncode == 1
    assert (
        "?: (pages.W001) DJANGO_SECRET_KEY is not set, so each process uses a random "
        "SECRET_KEY." in done.stderr
    )


@pytest.mark.parametrize("name", FIXED)
def test_secret_key_debug_and_hosts_come_from_the_environment(name: str) -> None:
    project = example(name)
    production = settings_of(project, {"DJANGO_SECRET_KEY": PRODUCTION_KEY})
    assert production == ["False True True", ".vercel.app localhost 127.0.0.1"]
    # No key configured: still no debug, and a random key, never one written in the source.
    assert settings_of(project, {})[0] == "False True False"
    custom = settings_of(project, {"DJANGO_DEBUG": "1", "DJANGO_ALLOWED_HOSTS": "a.example, b"})
    # Debug mode (a laptop) uses the fixed development key; production never does.
    assert custom == ["True False False", ".vercel.app localhost 127.0.0.1 a.example b"]
    assert settings_of(project, {"DJANGO_DEBUG": "true"})[0].startswith("False")


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
    }


@pytest.mark.parametrize("name", FIXED)
def test_the_portfolio_writes_nothing_to_its_folder_at_runtime(name: str, tmp_path: Path) -> None:
    # A writable copy: a write would succeed here, so only a changed tree can reveal it.
    project = tmp_path / name
    shutil.copytree(example(name), project, symlinks=False)
    before = snapshot(project)
    with Function(project, read_only=False, env={"DJANGO_SECRET_KEY": PRODUCTION_KEY}) as f:
        statuses = [
            f.invoke(p).status
            for p in ("/", "/projects/", "/about/", "/static/css/style.css", "/crash/", "/x/")
        ]
    assert statuses == [200, 200, 200, 200, 500, 404]
    assert snapshot(project) == before


@pytest.mark.parametrize("name", FIXED)
def test_a_crashing_view_is_djangos_generic_500_and_the_traceback_stays_in_the_log(
    name: str,
) -> None:
    with Function(example(name), env={"DJANGO_SECRET_KEY": PRODUCTION_KEY}) as function:
        crash = function.invoke("/crash/")
        after = function.invoke("/")
    # The function answered: Django's page, not Vercel's FUNCTION_INVOCATION_FAILED.
    assert (crash.status, crash.error_code, crash.phase) == (500, None, None)
    assert crash.header("x-vercel-error") is None
    assert "<title>Server Error (500)</title>" in crash.text
    assert "<h1>Server Error (500)</h1>" in crash.text
    for secret in ("Traceback", "RuntimeError", "fails on purpose", "views.py", "SECRET_KEY"):
        assert secret not in crash.text
    assert crash.log_lines("ERROR django.request: Internal Server Error: /crash/")
    assert crash.log_lines("Traceback (most recent call last):")
    assert crash.log_lines("RuntimeError: This view fails on purpose, to show Django's 500 page.")
    # The instance survived the crash: the next request is served warm.
    assert (after.status, after.cold_start_ms) == (200, None)
