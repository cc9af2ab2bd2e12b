"""The Django preset's build steps, run with the deployed dependencies: read the settings through
``manage.py``, then ``collectstatic`` when the builder would, into a static output.

Sources (@vercel/python 6.56.2, ``node_modules/@vercel/python/dist/index.js`` of vercel@58.10.0,
"py6562"; FACTS.md (e)):

- the Django hook (py6562:11099-11160) runs only when ``manage.py`` is in the project's root
  (or the detected base folder); it runs ``python -c <templates/vc_django_settings.py>`` in that
  folder with the build venv (``getDjangoSettings``, py6562:10138-10151); a failure is
  ``DJANGO_SETTINGS_FAILED``: ``Failed to read Django application settings from
  <folder>/manage.py:\\n<stderr>`` (py6562:11115-11130);
- ``runDjangoCollectStatic`` (py6562:10153-10240): a ``storages.backends.*`` storage publishes
  nothing; neither ``STATIC_ROOT`` nor ``WHITENOISE_USE_FINDERS = True`` -> "No collectstatic
  strategy configured" and nothing is published; otherwise ``manage.py collectstatic
  --noinput`` with a shim settings module whose ``STATIC_ROOT`` is the output's
  ``static/<STATIC_URL path>`` folder (and ``WHITENOISE_USE_FINDERS = False``);
- the output's routes put ``{"handle": "filesystem"}`` first (py6562:12452-12480): a collected
  file is served from the CDN, any other ``/static/...`` path goes to the function.

Here the steps run in the staged copy (never the user's project); the shim lives in its own
temporary folder put on ``PYTHONPATH`` (the builder writes it beside ``manage.py`` and deletes it).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from vercel_lab.builder.entrypoint import BuildError

__all__ = ["DjangoBuild", "run_django_build"]

#: ``templates/vc_django_settings.py`` of @vercel/python 6.56.2, byte for byte (its line 9 is
#: ``import django.core.management``, the line real build errors point at).
SETTINGS_SCRIPT = '''"""
Discover Django settings by running manage.py with a patched
execute_from_command_line. This lets manage.py set DJANGO_SETTINGS_MODULE
via whatever mechanism it uses (os.environ.setdefault, conditionals, etc.),
then loads the settings module and prints all uppercase attributes as JSON.
"""

import os, sys, json, runpy
import django.core.management


class _Escape(Exception):
    pass


def _stop(*a, **kw):
    raise _Escape


django.core.management.execute_from_command_line = _stop

sys.argv = ["manage.py"]
try:
    runpy.run_path("manage.py", run_name="__main__")
except _Escape:
    pass

settings_module = os.environ.get("DJANGO_SETTINGS_MODULE")
if not settings_module:
    print(json.dumps(None))
else:
    import importlib

    mod = importlib.import_module(settings_module)
    settings = {k: getattr(mod, k) for k in dir(mod) if k.isupper()}
    import django

    print(
        json.dumps(
            {
                "settings_module": settings_module,
                "django_settings": settings,
                "django_version": django.VERSION[:3],
            },
            default=str,
        )
    )
'''

_SHIM = "_vercel_collectstatic_settings"


@dataclass(frozen=True)
class DjangoBuild:
    """What the Django steps came to: ``lines`` the builder's log lines, ``static_files`` URL
    path (``/static/app.css``) -> collected file, ``error`` the build error (or None)."""

    lines: tuple[str, ...] = ()
    static_files: Mapping[str, Path] = field(default_factory=dict)
    error: BuildError | None = None


def _settings(
    python: str, folder: Path, env: dict[str, str], shown: Path
) -> tuple[dict[str, object] | None, BuildError | None]:
    done = subprocess.run(
        [python, "-c", SETTINGS_SCRIPT],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if done.returncode != 0:
        detail = done.stderr.rstrip() or f"exit status {done.returncode}"
        message = f"Failed to read Django application settings from {shown}/manage.py:\n{detail}"
        return None, BuildError("DJANGO_SETTINGS_FAILED", message)
    try:
        parsed = json.loads(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        parsed = None
    if not isinstance(parsed, dict):
        message = (
            f"Failed to read Django application settings from {shown}/manage.py:\n"
            "manage.py did not return any settings"
        )
        return None, BuildError("DJANGO_SETTINGS_FAILED", message)
    return parsed, None


def run_django_build(
    python: str,
    task_root: Path,
    shown_root: Path,
    env: Mapping[str, str],
    output_dir: Path,
) -> DjangoBuild:
    """Run the Django hook in ``task_root`` (the staged copy) with ``python`` (the deployed
    venv's); collected files go to ``output_dir`` (created once: an existing complete output is
    reused). ``shown_root`` is the project folder named in error messages.

    Never raises for the project's content: failures are :attr:`DjangoBuild.error`.
    """
    if not (task_root / "manage.py").is_file():
        return DjangoBuild()
    base_env = {**env, "PYTHONDONTWRITEBYTECODE": "1"}
    parsed, error = _settings(python, task_root, base_env, shown_root)
    if error is not None or parsed is None:
        return DjangoBuild(error=error)
    settings = parsed.get("django_settings")
    settings = settings if isinstance(settings, dict) else {}
    lines: list[str] = []
    version = parsed.get("django_version")
    if isinstance(version, list):
        lines.append(f"Django {'.'.join(str(v) for v in version)} detected")
    storages = settings.get("STORAGES")
    backend = ""
    if isinstance(storages, dict) and isinstance(storages.get("staticfiles"), dict):
        backend = str(storages["staticfiles"].get("BACKEND", ""))
    if backend.startswith("storages.backends."):
        return DjangoBuild(
            (*lines, "django-storages detected — running collectstatic with original settings")
        )
    finders = settings.get("WHITENOISE_USE_FINDERS") is True
    if settings.get("STATIC_ROOT") is None and not finders:
        return DjangoBuild(
            (*lines, "No collectstatic strategy configured — skipping collectstatic")
        )
    url_path = str(settings.get("STATIC_URL") or "/static/").strip("/") or "static"
    target = output_dir / url_path
    lines.append("Running collectstatic...")
    if not (output_dir / ".complete").is_file():
        error = _collect(
            python, task_root, base_env, str(parsed["settings_module"]), target, finders, shown_root
        )
        if error is not None:
            return DjangoBuild(tuple(lines), error=error)
        (output_dir / ".complete").write_text("")
    files = {
        f"/{url_path}/{path.relative_to(target).as_posix()}": path
        for path in sorted(target.rglob("*"))
        if path.is_file()
    }
    return DjangoBuild(tuple(lines), files)


def _collect(
    python: str,
    task_root: Path,
    env: dict[str, str],
    module: str,
    target: Path,
    finders: bool,
    shown_root: Path,
) -> BuildError | None:
    shutil.rmtree(target.parent, ignore_errors=True)
    target.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="vercel-lab-shim-") as shim_dir:
        shim = [f"from {module} import *", f"STATIC_ROOT = {json.dumps(str(target))}"]
        if finders:
            shim.append("WHITENOISE_USE_FINDERS = False")
        Path(shim_dir, f"{_SHIM}.py").write_text("\n".join(shim) + "\n")
        path = os.pathsep.join(filter(None, [shim_dir, str(task_root), env.get("PYTHONPATH")]))
        done = subprocess.run(
            [python, "manage.py", "collectstatic", "--noinput"],
            cwd=task_root,
            env={**env, "DJANGO_SETTINGS_MODULE": _SHIM, "PYTHONPATH": path},
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
    if done.returncode == 0:
        return None
    shutil.rmtree(target.parent, ignore_errors=True)
    command = f"{python} manage.py collectstatic --noinput"
    return BuildError(
        "DJANGO_COLLECTSTATIC_FAILED",
        f"Command failed: {command} (in {shown_root})\n{done.stderr.rstrip()}",
    )
