"""The real ``vercel build`` captures under ``tests/fixtures/real/<case>/`` (vercel CLI 58.10.0,
``vercel build --yes --prod --standalone`` offline with Python 3.12.1 and uv): ``project/`` (the
files), ``project.json`` (the settings used), ``build.log``, ``config.json``, ``outputs.txt``
(the functions and static files of the output), ``ENV`` when ``VERCEL_FIRST_DEPLOYMENT=1`` was set.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vercel_lab.builder.config import detect_framework
from vercel_lab.builder.routing import Filesystem

REAL = Path(__file__).resolve().parent.parent / "fixtures" / "real"


@dataclass(frozen=True)
class RealCase:
    """One captured build: the project, the preset it was built with, the real output."""

    name: str
    project: Path
    preset: str | None  # the merged settings' framework, as `vercel build` used it
    routes: list[dict[str, Any]] | None  # None: the build failed
    filesystem: Filesystem | None
    build_log: str


def _filesystem(listing: Path) -> Filesystem:
    static, functions = set(), set()
    for line in listing.read_text(encoding="utf-8").split():
        if line.startswith("static/"):
            static.add(line.removeprefix("static/"))
        elif line.startswith("functions/"):
            name = line.removeprefix("functions/").removesuffix("/.vc-config.json")
            functions.add(name.removesuffix(".func"))
    return Filesystem(frozenset(static), frozenset(functions))


def load_case(name: str) -> RealCase:
    folder = REAL / name
    project = folder / "project"
    preset = json.loads((folder / "project.json").read_text(encoding="utf-8"))["settings"].get(
        "framework"
    )
    vercel_json = project / "vercel.json"
    raw = json.loads(vercel_json.read_text(encoding="utf-8")) if vercel_json.is_file() else {}
    if "framework" in raw:  # pickOverrides: vercel.json's key wins, null included
        preset = raw["framework"]
    env = folder / "ENV"
    if not preset and env.is_file() and "FIRST_DEPLOYMENT=1" in env.read_text():
        preset = detect_framework(project)  # detectFirstDeploymentFramework
    config = folder / "config.json"
    routes = (
        json.loads(config.read_text(encoding="utf-8")).get("routes") if config.is_file() else None
    )
    listing = folder / "outputs.txt"
    return RealCase(
        name,
        project,
        preset,
        routes,
        _filesystem(listing) if routes is not None and listing.is_file() else None,
        (folder / "build.log").read_text(encoding="utf-8"),
    )


def real_cases() -> list[RealCase]:
    return [load_case(p.name) for p in sorted(REAL.iterdir()) if (p / "project.json").is_file()]
