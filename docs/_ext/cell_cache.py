"""Executed cells, cached on their inputs: a page whose cells and inputs did not change since a
build that ran them is not run again, even after ``docs/_build`` and ``docs/jupyter_execute``
were deleted (``nox -s docs`` builds from a clean state).

The key of one page's notebook is the SHA-256 of: the kernel name, the execution options, every
cell's source, and a fingerprint of everything the cells can read: the ``vercel_lab`` package's
files, ``examples/``, ``pyproject.toml``, the installed ``vercel-runtime`` release and this
Python's version. Change any of them and every page runs again. A notebook is stored only when
no cell raised and none wrote to stderr, so a failure is never replayed from the cache.

The cache lives in ``$VERCEL_LAB_DOCS_CACHE`` (default ``~/.cache/vercel-lab/docs-cells``);
``VERCEL_LAB_DOCS_CACHE=off`` turns it off (every cell runs, as on Read the Docs, where nothing
persists between builds anyway). It wraps ``jupyter_sphinx.execute.execute_cells``, the one
function jupyter-sphinx 0.5.3 runs a page's cells through.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

ROOT = Path(__file__).resolve().parents[2]
_SKIP = {"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".vercel", "node_modules"}


def cache_dir() -> Path | None:
    """Where notebooks are kept, or None when the cache is off."""
    setting = os.environ.get("VERCEL_LAB_DOCS_CACHE", "")
    if setting.lower() in {"off", "0", "no"}:
        return None
    return Path(setting) if setting else Path.home() / ".cache" / "vercel-lab" / "docs-cells"


def _files(folder: Path) -> list[Path]:
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not _SKIP.intersection(path.relative_to(folder).parts):
            found.append(path)
    return found


def fingerprint() -> str:
    """The SHA-256 of every input the cells can read besides their own source."""
    digest = hashlib.sha256()
    spec = importlib.util.find_spec("vercel_lab")  # located, not imported
    folders = [Path(p) for p in (spec.submodule_search_locations or [])] if spec else []
    examples = Path(os.environ.get("VERCEL_LAB_EXAMPLES", ROOT / "examples"))
    for folder in (*folders, examples):
        for path in _files(folder):
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    for extra in (ROOT / "pyproject.toml",):
        if extra.is_file():
            digest.update(extra.read_bytes())
    try:
        runtime = importlib.metadata.version("vercel-runtime")
    except importlib.metadata.PackageNotFoundError:
        runtime = "none"
    digest.update(f"{runtime}\0{sys.version}".encode())
    return digest.hexdigest()


def _clean(notebook: Any) -> bool:
    """Whether no cell of ``notebook`` raised or wrote to stderr."""
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return False
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                return False
    return True


def cached(execute: Callable[..., Any]) -> Callable[..., Any]:
    """``execute`` (jupyter-sphinx's ``execute_cells``) behind the cache. The
    :func:`fingerprint` is taken at the first page that runs cells (a no-change rebuild runs
    none, and so never pays for it)."""
    import nbformat

    inputs: list[str] = []

    def execute_cells(kernel_name: str, cells: list[Any], execute_kwargs: Any) -> Any:
        folder = cache_dir()
        if folder is None:
            return execute(kernel_name, cells, execute_kwargs)
        if not inputs:
            inputs.append(fingerprint())
        key = hashlib.sha256(
            json.dumps(
                [inputs[0], kernel_name, repr(execute_kwargs), [c.source for c in cells]]
            ).encode()
        ).hexdigest()
        path = folder / f"{key}.ipynb"
        if path.is_file():
            return nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
        notebook = execute(kernel_name, cells, execute_kwargs)
        if _clean(notebook):
            folder.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.tmp")
            partial.write_text(nbformat.writes(notebook), encoding="utf-8")
            partial.replace(path)
        return notebook

    return execute_cells


def setup(app: Sphinx) -> dict[str, Any]:
    import jupyter_sphinx.execute as execute

    if cache_dir() is not None and not getattr(execute.execute_cells, "_vercel_lab", False):
        wrapped = cached(execute.execute_cells)
        wrapped._vercel_lab = True  # type: ignore[attr-defined]
        execute.execute_cells = wrapped
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
