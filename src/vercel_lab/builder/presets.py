"""Zero-config projects with a Python framework preset: the one app function and its errors.

Mirrors ``@vercel/python`` ``dist/index.js``, section ``src/entrypoint.ts``:
``detectPythonEntrypoint``, ``findValidEntrypoint``, ``detectDjangoPythonEntrypoint``,
``getVercelToolsEntrypoint``, ``makeDiagnosticError``, and the ``django`` entry of
``frameworkHooks`` in ``src/index.ts``. A step of :mod:`vercel_lab.builder.plan`, which hands it
the project's ``pyproject.toml`` as already read.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable, Mapping
from pathlib import Path

from vercel_lab.builder._scan import MODULE_ATTR, read_text, walk
from vercel_lab.builder.config import django_settings, django_settings_module
from vercel_lab.builder.entrypoint import (
    CANDIDATE_ENTRYPOINTS,
    DOCS_URL,
    NOT_FOUND,
    BuildError,
    Entrypoint,
    find_variable,
)

# -- zero-config with a Python framework preset: one app function -----------------------------

_DISPLAY = {"fastapi": "FastAPI", "flask": "Flask", "django": "Django", "fasthtml": "FastHTML"}
_DOCS = {
    "fastapi": "https://vercel.com/docs/frameworks/backend/fastapi#exporting-the-fastapi-application",
    "flask": "https://vercel.com/docs/frameworks/backend/flask#exporting-the-flask-application",
    "django": "https://vercel.com/docs/frameworks/full-stack/django#configure-the-django-entrypoint",
}


def app_entrypoint(
    root: Path, framework: str, pyproject: Mapping[str, object] | None
) -> Entrypoint:
    """The one app function of a project built with Python preset ``framework`` (``pyproject``
    is its parsed ``pyproject.toml``, None when absent or invalid). Raises
    :class:`~vercel_lab.builder.entrypoint.BuildError` with the builder's code and message."""
    # build(): detectPythonEntrypoint(framework, workPath), then the framework hook, whose
    # entrypoint wins (`hookResult?.entrypoint ?? detected?.entrypoint`).
    detected, base_dir = _tool_vercel_entrypoint(root, pyproject), None
    existing: list[str] = []
    if detected is None:
        if framework == "django":
            base_dir, detected, existing = _django_candidates(root)
        else:
            detected, existing = _find_valid(root, CANDIDATE_ENTRYPOINTS)
    error = None
    if detected is None:
        detected, script, checked = _pyproject_app_script(root, pyproject)
        if detected is not None:
            base_dir = None  # returned as { entrypoint } alone: the Django baseDir is dropped
        else:
            error = _diagnostic_error(root, framework, existing, script, checked, base_dir)
            if base_dir is None:
                raise error
    hooked = _django_hook(root, base_dir) if framework == "django" else None
    if hooked is not None:
        return hooked
    if detected is None:
        raise error or BuildError(
            NOT_FOUND, "No Python entrypoint could be detected. Please specify an entrypoint file."
        )
    return detected


def _find_valid(root: Path, candidates: Iterable[str]) -> tuple[Entrypoint | None, list[str]]:
    existing: list[str] = []
    for candidate in candidates:
        if (root / candidate).is_file():
            variable = find_variable(root / candidate)
            if variable:
                return Entrypoint(candidate, variable, "app"), existing
            existing.append(candidate)
    return None, existing


def _module_file(root: Path, value: str) -> tuple[Entrypoint | None, list[str]]:
    # resolveModuleAttrEntrypoint: "pkg.mod:attr" -> pkg/mod.py or pkg/mod/__init__.py.
    match = MODULE_ATTR.search(value)
    if not match:
        return None, []
    rel = match.group(1).replace(".", "/")
    candidates = [f"{rel}.py", f"{rel}/__init__.py"]
    for candidate in candidates:
        if (root / candidate).is_file():
            return Entrypoint(candidate, match.group(2), "app"), candidates
    return None, candidates


def _tool_vercel_entrypoint(
    root: Path, pyproject: Mapping[str, object] | None
) -> Entrypoint | None:
    table = _table(pyproject, "tool", "vercel")
    if "entrypoint" not in table:
        return None
    value = table["entrypoint"]
    if not isinstance(value, str):
        raise BuildError(
            "PYTHON_INVALID_ENTRYPOINT",
            '"tool.vercel.entrypoint" in "pyproject.toml" must be a string in "module:object"'
            ' format (e.g. "main:app").',
            DOCS_URL,
        )
    found, _ = _module_file(root, value)
    if found is None:
        raise BuildError(
            NOT_FOUND,
            f'"tool.vercel.entrypoint" in "pyproject.toml" is "{value}" but no matching module'
            ' file was found. Use "module:object" format (e.g. "main:app") and ensure the module'
            " file exists, or remove the setting to use automatic entrypoint detection.",
            DOCS_URL,
        )
    return found


def _table(data: object, *keys: str) -> Mapping[str, object]:
    for key in keys:
        data = data.get(key) if isinstance(data, Mapping) else None
    return data if isinstance(data, Mapping) else {}


def _pyproject_app_script(
    root: Path, pyproject: Mapping[str, object] | None
) -> tuple[Entrypoint | None, str | None, list[str]]:
    # getPyprojectEntrypointWithDiagnostics: [project.scripts] app = "module:attr".
    script = _table(pyproject, "project", "scripts").get("app")
    if not isinstance(script, str):
        return None, None, []
    found, checked = _module_file(root, script)
    return found, script, [] if found else checked


def _django_candidates(root: Path) -> tuple[str | None, Entrypoint | None, list[str]]:
    # detectDjangoPythonEntrypoint: the first of "", then the non-hidden folders in name order,
    # whose manage.py mentions DJANGO_SETTINGS_MODULE; else the candidate names in all of them.
    try:
        with os.scandir(root) as it:
            dirs = sorted(e.name for e in it if e.is_dir(follow_symlinks=False))
    except OSError:
        dirs = []
    roots = ["", *(d for d in dirs if not d.startswith("."))]
    for base in roots:
        if "DJANGO_SETTINGS_MODULE" in (read_text(root / base / "manage.py") or ""):
            return base, None, []
    names = ("app", "index", "server", "main", "wsgi", "asgi")
    candidates = (posixpath.join(b, f"{n}.py") for b in roots for n in names)
    found, existing = _find_valid(root, candidates)
    return None, found, existing


def _django_hook(root: Path, base_dir: str | None) -> Entrypoint | None:
    # frameworkHooks.django: read the settings (the builder runs manage.py and imports them);
    # ASGI_APPLICATION wins over WSGI_APPLICATION; "a.b.c" -> file "a/b.py", variable "c",
    # prefixed with the manage.py folder. The file is not checked to exist.
    if base_dir is None:
        if not (root / "manage.py").exists():
            return None
        base_dir = ""
    django_path = root / base_dir if base_dir else root
    module = django_settings_module(django_path / "manage.py")
    try:
        if module is None:
            raise LookupError("manage.py did not return any settings")
        settings = django_settings(django_path, module)
    except (LookupError, ImportError, SyntaxError, ValueError, RecursionError, OSError) as exc:
        detail = str(exc) if type(exc) is LookupError else f"{type(exc).__name__}: {exc}"
        raise BuildError(
            "DJANGO_SETTINGS_FAILED",
            f"Failed to read Django application settings from {django_path}/manage.py:\n{detail}",
        ) from exc
    for key in ("ASGI_APPLICATION", "WSGI_APPLICATION"):
        value = settings.get(key)
        if isinstance(value, str):
            parts = value.split(".")
            rel = "/".join(parts[:-1]) + ".py"
            return Entrypoint(f"{base_dir}/{rel}" if base_dir else rel, parts[-1], "app")
    return None


def _diagnostic_error(
    root: Path,
    framework: str,
    existing: list[str],
    script: str | None,
    checked: list[str],
    django_base: str | None,
) -> BuildError:
    # makeDiagnosticError, getMissingExportMessage and renderCandidateSuggestion.
    display = _DISPLAY.get(framework, framework)
    # findEntrypointCandidates scans every .py file (readdir order; here name order), skipping
    # hidden names, __pycache__ and node_modules; venv/ is skipped here too, as on Vercel,
    # where it is never uploaded.
    elsewhere = [
        Entrypoint(name, variable, "app")
        for name in walk(root, skip_hidden=True)
        if name.endswith(".py") and (variable := find_variable(root / name))
    ]
    suggestion = ""
    if elsewhere:
        lines = "\n".join(f"  {e.file} (variable: {e.variable})" for e in elsewhere)
        suggestion = (
            f"but found potential entrypoints:\n{lines}\n\nAdd this to your pyproject.toml:\n\n"
            f'[tool.vercel]\nentrypoint = "{elsewhere[0].module_name}:{elsewhere[0].variable}"'
        )
    if existing:
        files, one = ", ".join(existing[:3]), len(existing) == 1
        subject, verb = ("it", "does not define") if one else ("none", "define")
        what = {
            "fastapi": '"app" FastAPI',
            "flask": '"app" Flask',
            "django": '"application" ASGI or WSGI',
            "fasthtml": '"app" FastHTML',
        }.get(framework)
        if what:
            message = f"Found {files} but {subject} {verb} a top-level {what} instance."
        else:
            message = f"Found {files} but {'it does not' if one else 'none'} export a top-level"
            message += ' "app", "application", or "handler" variable.'
    elif django_base is not None:
        message = (
            f'Found Django manage.py in "{django_base or "."}" but could not resolve the'
            " application entrypoint. Ensure WSGI_APPLICATION or ASGI_APPLICATION is set in"
            " your Django settings."
        )
    elif script and checked:
        message = (
            f'pyproject.toml [project.scripts] defines app = "{script}" but'
            f" {' or '.join(checked)} was not found."
        )
    elif suggestion:
        return BuildError(
            f"{framework.upper()}_ENTRYPOINT_NOT_FOUND",
            f"No {display} entrypoint found in default locations, {suggestion}",
            _DOCS.get(framework, DOCS_URL),
        )
    else:
        message = (
            f'No {display} entrypoint found. Set "tool.vercel.entrypoint" in pyproject.toml or'
            f" define an entrypoint in one of: {', '.join(CANDIDATE_ENTRYPOINTS)}."
        )
    if suggestion and (existing or django_base is not None or (script and checked)):
        message += f"\n\n{suggestion}"
    return BuildError(
        f"{framework.upper()}_ENTRYPOINT_NOT_FOUND", message, _DOCS.get(framework, DOCS_URL)
    )
