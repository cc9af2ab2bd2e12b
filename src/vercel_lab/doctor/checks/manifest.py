"""Checks of what the builder installs: the manifest it picks, what that manifest leaves out, and
a Python pin the install cannot honour.

Reads the same model the runtime installs from (:func:`vercel_lab.builder.plan.plan_install`:
:mod:`~vercel_lab.builder.manifest`, :mod:`~vercel_lab.builder.python_version`), so the doctor and
``invoke`` never disagree on which file counts. Sources and verified builds: FACTS.md (a), (b).
"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path
from typing import Final

from packaging.requirements import InvalidRequirement, Requirement

from vercel_lab.builder.manifest import Manifest, select_manifest
from vercel_lab.builder.python_version import IMAGE_PYTHONS, select_python
from vercel_lab.doctor.analysis import Analysis
from vercel_lab.doctor.declare import Check, check, make
from vercel_lab.doctor.deps import MODULE_PACKAGES
from vercel_lab.doctor.findings import Finding

# The checks of this family, declared next to the code that raises them; ``rank`` is the
# priority within a severity (lower first: the most specific cause first).
# One check per block reads better than one argument per line.
# fmt: off
CHECKS: Final[tuple[Check, ...]] = (
    check("python-pin-fails-install", "python-version", "error", "static",
       "{source} asks for Python {request}, which Vercel's build image does not have (it has "
       "{offered}): the builder warns and picks 3.12, but `uv sync` honours the pin and stops "
       "(`No interpreter found for Python {request}`), so the build fails.",
       "Ask for a version the image has (`3.12` in {source}), then re-lock (`uv lock`).",
       rank=562),
    check("manifest-hides-another", "import-error-missing-dependency", "error", "static",
       "{hidden} is ignored because {manifest} exists (the builder installs from {kind}); "
       "{names} {verb} declared only there, so the function cannot import {them}.",
       "Declare {names} in {manifest} (`[project].dependencies`, then `uv lock`), or remove "
       "{manifest} so the builder installs {hidden}.", rank=564),
    check("pyproject-poetry-only", "import-error-missing-dependency", "error", "static",
       "pyproject.toml has no `[project]` table (Poetry only): the builder installs nothing "
       "from it{beside}.",
       "Declare the dependencies in `[project].dependencies` (PEP 621; `poetry` 2 reads it), "
       "or remove pyproject.toml so the builder installs requirements.txt.", rank=566),
    check("dependency-only-in-extra", "import-error-missing-dependency", "warning", "static",
       "`{package}` is declared only in `[project.optional-dependencies].{extra}`, and "
       "`{module}` is imported in {importer}: the builder installs `[project].dependencies` only "
       "(never extras), so that import fails on Vercel.",
       "Move `{package}` to `[project].dependencies` (then `uv lock`).", rank=568),
)
# fmt: on


def _name(requirement: str) -> str | None:
    try:
        return re.sub(r"[-_.]+", "-", Requirement(requirement).name).lower()
    except InvalidRequirement:
        return None


def _modules_of(package: str) -> set[str]:
    """Import names that ``package`` provides (the well-known mismatches, else its own name)."""
    found = {m for m, packages in MODULE_PACKAGES.items() if package in packages}
    return found or {package.replace("-", "_")}


def _imports(analysis: Analysis) -> dict[str, str]:
    """Top-level module -> first project file importing it (anywhere in the file)."""
    found: dict[str, str] = {}
    for rel in sorted(analysis.project.python_files()):
        tree = analysis.tree(rel)
        for node in ast.walk(tree) if tree is not None else ():
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                found.setdefault(name.split(".")[0], rel)
    return found


def supersede(found: list[Finding]) -> list[Finding]:
    """``found`` without the findings this family's own explain better: the generic
    ``undeclared-import`` of a module an extra declares, and ``python-version-not-offered``
    ("the builder ignores it") where the pin in fact fails the install."""
    extras = {f.file for f in found if f.id == "dependency-only-in-extra"}
    modules = {
        m.group(1)
        for f in found
        if f.id == "dependency-only-in-extra"
        and (m := re.search(r"`(\w+)` is imported", f.message))
    }
    pins = {f.file for f in found if f.id == "python-pin-fails-install"}

    def superseded(f: Finding) -> bool:
        if f.id == "python-version-not-offered":
            return f.file in pins
        if f.id == "undeclared-import" and extras:
            return any(f"`{m}` is imported" in f.message for m in modules)
        return False

    return [f for f in found if not superseded(f)]


def findings(analysis: Analysis) -> list[Finding]:
    project = analysis.project
    entry = project.entrypoints[0].file if project.entrypoints else "index.py"
    manifest = select_manifest(project.root, entry)
    if manifest.error is not None:
        return []
    found = _pin(project.root, manifest)
    found += _hidden(analysis, manifest)
    found += _extras(analysis, manifest)
    return found


def _pin(root: Path, manifest: Manifest) -> list[Finding]:
    choice = select_python(root, manifest)
    if not choice.install_fails or choice.requested is None:
        return []
    return [
        make(
            "python-pin-fails-install",
            choice.source,
            None,
            source=choice.source,
            request=choice.requested,
            offered=", ".join(IMAGE_PYTHONS),
        )
    ]


def _hidden(analysis: Analysis, manifest: Manifest) -> list[Finding]:
    project = analysis.project
    if manifest.path is None:
        return []
    if manifest.kind == "pyproject.toml" and any("no [project] table" in n for n in manifest.notes):
        beside = [h for h in manifest.hidden if h.endswith(".txt")]
        text = f"; {beside[0]} beside it is ignored" if beside else ""
        return [make("pyproject-poetry-only", manifest.path, None, beside=text)]
    installed = {n for n in map(_name, manifest.requirements) if n}
    results: list[Finding] = []
    for hidden in manifest.hidden:
        if not hidden.endswith((".txt", ".in")):
            continue
        text = project.text(hidden) or ""
        names = [
            n
            for n in (_name(line.split("#")[0].strip()) for line in text.splitlines())
            if n and not n.startswith("-") and n not in installed
        ]
        if not names:
            continue
        shown = ", ".join(f"`{n}`" for n in names)
        them = "it" if len(names) == 1 else "them"
        verb = "is" if len(names) == 1 else "are"
        results.append(
            make(
                "manifest-hides-another",
                hidden,
                None,
                hidden=hidden,
                manifest=manifest.path,
                kind=manifest.kind,
                names=shown,
                verb=verb,
                them=them,
            )
        )
    return results


def _extras(analysis: Analysis, manifest: Manifest) -> list[Finding]:
    if manifest.kind not in ("pyproject.toml", "uv.lock", "pylock.toml") or not manifest.path:
        return []
    data = analysis.project.text(manifest.path) or ""
    try:
        table = tomllib.loads(data).get("project")
    except tomllib.TOMLDecodeError:
        return []
    if not isinstance(table, dict) or not isinstance(table.get("optional-dependencies"), dict):
        return []
    installed = {n for n in map(_name, manifest.requirements) if n}
    imported = _imports(analysis)
    results: list[Finding] = []
    for extra, requirements in table["optional-dependencies"].items():
        for requirement in requirements if isinstance(requirements, list) else []:
            package = _name(str(requirement))
            if package is None or package in installed:
                continue
            for module in sorted(_modules_of(package)):
                if module in imported:
                    results.append(
                        make(
                            "dependency-only-in-extra",
                            manifest.path,
                            None,
                            package=package,
                            extra=extra,
                            module=module,
                            importer=imported[module],
                        )
                    )
    return results
