"""``pyproject-poetry-only``: a PEP 621 ``[project]`` table written from Poetry's, so the builder
installs the dependencies (it reads ``[project].dependencies`` only: research/deploy-facts.md,
@vercel/python-analysis 0.13.2), with ``[tool.uv] package = false`` so that ``uv sync`` does
not try to build the project itself (a Poetry ``[build-system]`` usually has no package folder
that matches ``[project].name``). Edited with tomlkit: Poetry's tables and comments stay.
"""

from __future__ import annotations

import re
from pathlib import Path

import tomlkit
from tomlkit.items import Table

from vercel_lab.doctor.findings import Finding
from vercel_lab.doctor.fixers.change import Change, make_change

__all__ = ["pep621_from_poetry", "poetry_constraint", "project_table"]

_VERSION = re.compile(r"^(\d+)(?:\.(\d+))?(?:\.(\d+))?$")


def poetry_constraint(spec: str) -> str | None:
    """A Poetry version constraint as a PEP 440 specifier: ``^1.2`` -> ``>=1.2,<2``, ``^0.110``
    -> ``>=0.110,<0.111``, ``~1.2`` -> ``>=1.2,<1.3``, ``*`` -> ``""``, ``1.2.3`` -> ``==1.2.3``,
    an operator form (``>=1,<2``) as it is; None for a form this does not know (``||``)."""
    spec = spec.strip()
    if spec in ("", "*"):
        return ""
    if "||" in spec:
        return None
    if spec[0] in "^~":
        caret, version = spec[0] == "^", spec.lstrip("^~=").strip()
        match = _VERSION.match(version)
        if match is None:
            return None
        parts = [int(p) for p in match.groups() if p is not None]
        if caret:
            first = next((i for i, p in enumerate(parts) if p), len(parts) - 1)
            upper = [*parts[:first], parts[first] + 1]
        else:
            upper = [parts[0] + 1] if len(parts) == 1 else [parts[0], parts[1] + 1]
        return f">={version},<{'.'.join(map(str, upper))}"
    if _VERSION.match(spec):
        return f"=={spec}"
    return spec if spec[0] in "<>=!" else None


def project_table(poetry: Table) -> Table | None:
    """``[project]`` from ``[tool.poetry]``: name, version, requires-python and the main
    dependencies (never dev groups); None when a dependency's form is not convertible."""
    dependencies = poetry.get("dependencies", {})
    requirements: list[str] = []
    python = None
    for name, value in dependencies.items():
        spec = value.get("version") if hasattr(value, "get") else value
        if not isinstance(spec, str):
            return None  # a path, git or url dependency: no PEP 508 string to write
        constraint = poetry_constraint(spec)
        if constraint is None:
            return None
        if name == "python":
            python = constraint
            continue
        extras = value.get("extras") if hasattr(value, "get") else None
        extra = f"[{','.join(map(str, extras))}]" if extras else ""
        requirements.append(f"{name}{extra}{constraint}")
    table = tomlkit.table()
    table["name"] = str(poetry.get("name", "app"))
    table["version"] = str(poetry.get("version", "0.1.0"))
    if python:
        table["requires-python"] = python
    array = tomlkit.array()
    array.multiline(True)
    array.extend(requirements)
    table["dependencies"] = array
    return table


def pep621_from_poetry(root: Path, finding: Finding) -> Change | None:
    """``pyproject-poetry-only``: pyproject.toml gains ``[project]`` (from Poetry's table) and
    ``[tool.uv] package = false``."""
    path = root / "pyproject.toml"
    if not path.is_file():
        return None
    document = tomlkit.parse(path.read_text(encoding="utf-8"))
    tool = document.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, Table) else None
    if "project" in document or not isinstance(poetry, Table):
        return None
    table = project_table(poetry)
    if table is None:
        return None
    fixed = tomlkit.document()
    fixed["project"] = table
    for key, value in document.items():
        fixed[key] = value
    tools = fixed.get("tool")
    if not isinstance(tools, Table):
        return None
    uv = tools.setdefault("uv", tomlkit.table())
    uv["package"] = False
    uv.add(tomlkit.nl())
    return make_change(
        root,
        finding.id,
        "pyproject.toml",
        finding.line,
        "declare the Poetry dependencies in `[project]`, which the builder installs",
        {"pyproject.toml": tomlkit.dumps(fixed)},
    )
