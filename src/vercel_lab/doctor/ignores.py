"""The check ids a project tells the doctor to ignore: ``[tool.vercel-lab] ignore = [...]`` in
a pyproject.toml that already exists, else ``.vercel-lab.toml`` (its own ``ignore = [...]``, or
the same ``[tool.vercel-lab]`` table).

The doctor never creates a pyproject.toml: one that exists makes Vercel's builder install from
it and ignore requirements.txt (shared case uvlock-hides-requirements; @vercel/python 6.56.2
dist/index.js:6422-6437), so a project without one keeps its ignore list in
``.vercel-lab.toml``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Final

__all__ = ["CONFIG_FILE", "configured", "unknown"]

#: The doctor's own configuration file, for projects without a pyproject.toml.
CONFIG_FILE: Final = ".vercel-lab.toml"


def _table(data: dict[str, Any]) -> dict[str, Any] | None:
    tool = data.get("tool")
    table = tool.get("vercel-lab") if isinstance(tool, dict) else None
    return table if isinstance(table, dict) else None


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"cannot read {path.name}: {exc}") from None


def configured(root: Path) -> tuple[list[str], str | None]:
    """(the ignored check ids, the file that lists them) for the project at ``root``; ([],
    None) when neither file lists any. Raises ValueError for a file that is not valid TOML or
    an ``ignore`` that is not a list of strings."""
    found: tuple[dict[str, Any], str] | None = None
    pyproject = root / "pyproject.toml"
    if pyproject.is_file() and (table := _table(_read(pyproject))) is not None:
        found = (table, "pyproject.toml")
    elif (own := root / CONFIG_FILE).is_file():
        data = _read(own)
        found = (_table(data) or data, CONFIG_FILE)
    if found is None or "ignore" not in found[0]:
        return [], None
    ignore = found[0]["ignore"]
    if not isinstance(ignore, list) or not all(isinstance(i, str) for i in ignore):
        raise ValueError(f"{found[1]}: `ignore` must be a list of check ids")
    return list(ignore), found[1]


def unknown(ids: Iterable[str], known: Iterable[str]) -> list[str]:
    """The ids of ``ids`` that name no check, in order."""
    names = set(known)
    return [i for i in ids if i not in names]
