"""Vercel's framework detection over a project's files: ``@vercel/fs-detectors``' answer.

The data is ``frameworks.json`` beside this module: ``frameworkList`` of ``@vercel/frameworks``
3.34.0 in list order, reduced to the fields detection reads (slug, name, ``experimental``,
``runtimeFramework``, ``detectors``, ``supersedes``, ``useRuntime``, ``ignoreRuntimes``). The
Python presets and their order (fastapi, flask, fasthtml, django, ..., python) are the same in
the list vercel CLI 58.10.0 bundles (``dist/chunks/chunk-IBIZT5M4.js:15878-17739``). Regenerate
with :data:`REGENERATE` (Node, ``npm i @vercel/frameworks@3.34.0``).

The algorithm is ``@vercel/fs-detectors`` 7.7.3 ``dist/detect-framework.js`` (the same code is
bundled at ``chunk-IBIZT5M4.js:23381-23560``): ``filterFrameworkList`` (31-50: experimental
presets dropped unless ``VERCEL_USE_EXPERIMENTAL_FRAMEWORKS``), ``matches`` (51-139: a detector's
``path`` defaults to ``package.json``; ``matchContent`` is ``new RegExp(x, "m")`` *searched*, so
``Flask-Cors`` or a comment counts; ``every`` needs all items, ``some`` one),
``removeSupersededFrameworks`` (140-160) and ``detectFrameworks`` (the matches in list order).
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any, Final

from vercel_lab.builder._scan import read_text

__all__ = ["REGENERATE", "detect_frameworks", "framework", "framework_list"]

#: The Node one-liner that wrote ``frameworks.json`` (then compacted to one preset per line).
REGENERATE: Final = (
    "node -e \"const {frameworkList}=require('@vercel/frameworks');"
    "console.log(JSON.stringify({frameworks: frameworkList.map(f=>({slug:f.slug??null,"
    "name:f.name,experimental:f.experimental,runtimeFramework:f.runtimeFramework,"
    "detectors:f.detectors,supersedes:f.supersedes,useRuntime:f.useRuntime,"
    'ignoreRuntimes:f.ignoreRuntimes}))}))"'
)


@cache
def framework_list() -> tuple[dict[str, Any], ...]:
    """``frameworkList`` in order: one dict per preset with the fields named above."""
    data = json.loads(Path(__file__).with_name("frameworks.json").read_text(encoding="utf-8"))
    return tuple(data["frameworks"])


def framework(slug: str | None) -> dict[str, Any]:
    """The list entry of preset ``slug``; ``{}`` for None ("Other") or an unknown slug."""
    return next((f for f in framework_list() if slug and f.get("slug") == slug), {})


def _match_package(name: str) -> str:
    # matches(): matchPackage becomes a regex over package.json's (dev)dependencies.
    return rf'"(dev)?(d|D)ependencies":\s*{{[^}}]*"{name}":\s*"(.+?)"[^}}]*}}'


def _check(root: Path, detector: dict[str, Any]) -> bool:
    path = str(detector.get("path") or "package.json")
    content = detector.get("matchContent")
    if detector.get("matchPackage"):
        content = _match_package(str(detector["matchPackage"]))
    target = root / path
    if not target.exists():  # fs.hasPath: a file or a folder
        return False
    if not content:
        return True
    text = read_text(target) if target.is_file() else None
    if text is None:
        return False
    try:
        pattern = re.compile(str(content), re.MULTILINE)
    except re.error:
        return False  # a JavaScript-only pattern: counted as no match
    return pattern.search(text) is not None


def _matches(root: Path, entry: dict[str, Any]) -> bool:
    detectors = entry.get("detectors")
    if not isinstance(detectors, dict):
        return False
    results: list[bool] = []
    if isinstance(detectors.get("every"), list):
        results.extend(_check(root, item) for item in detectors["every"])
    if isinstance(detectors.get("some"), list):
        results.append(any(_check(root, item) for item in detectors["some"]))
    return bool(results) and all(results)


def _remove_superseded(matched: list[dict[str, Any]], slug: str) -> None:
    index = next((i for i, f in enumerate(matched) if f.get("slug") == slug), None)
    if index is None:
        return
    for inner in matched[index].get("supersedes") or []:
        _remove_superseded(matched, inner)
    index = next((i for i, f in enumerate(matched) if f.get("slug") == slug), None)
    if index is not None:
        del matched[index]


def detect_frameworks(root: Path, *, experimental: bool = False) -> list[str]:
    """``detectFrameworks``: the slugs whose detectors match the files of ``root``, in list
    order, superseded ones removed (``python`` under flask, fastapi, fasthtml, django).
    Experimental presets count only with ``experimental``. The first is what ``vercel link``
    offers and a first deployment's build takes (``detectFrameworkRecord``)."""
    listed = [f for f in framework_list() if experimental or not f.get("experimental")]
    matched = [f for f in listed if _matches(root, f)]
    for entry in list(matched):
        for slug in entry.get("supersedes") or []:
            _remove_superseded(matched, slug)
    return [str(f["slug"]) for f in matched if f.get("slug")]
