"""Fixes of the configuration family (:mod:`vercel_lab.doctor.checks.config`): legacy
``builds``/``routes`` turned into zero-config with ``rewrites``; a Python version Vercel offers.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Final

from vercel_lab.doctor.findings import Finding
from vercel_lab.doctor.fixers.change import Change, dump_json, make_change

__all__ = ["python_pin", "zero_config"]

#: The version to pin: the builder's default, offered by Vercel (3.12, 3.13, 3.14 —
#: https://vercel.com/docs/functions/runtimes/python#python-version).
PYTHON: Final = "3.12"
#: Route keys a rewrite can carry over (anything else, e.g. ``headers`` or ``methods``,
#: leaves the fix to a person).
_ROUTE_KEYS: Final = frozenset({"src", "dest"})


def _destination(dest: str) -> str | None:
    """``api/index.py`` -> ``/api/index`` (a function's route); None for anything else."""
    path = "/" + dest.lstrip("/")
    if "$" in path or not path.startswith("/api/") or not path.endswith(".py"):
        return None
    return path.removesuffix(".py")


def zero_config(root: Path, finding: Finding) -> Change | None:
    """``legacy-builds``: ``builds`` (every one ``@vercel/python`` on an ``api/*.py`` file)
    removed, each ``routes`` entry ``{"src", "dest"}`` turned into a rewrite
    ``{"source", "destination"}``; other keys are kept in their order."""
    text = (root / "vercel.json").read_text(encoding="utf-8")
    config = json.loads(text)
    if not isinstance(config, dict) or "rewrites" in config:
        return None
    builds = config.get("builds")
    if not isinstance(builds, list) or not all(
        isinstance(b, dict)
        and str(b.get("use", "")).startswith("@vercel/python")
        and _destination(str(b.get("src", ""))) is not None
        for b in builds
    ):
        return None
    rewrites = []
    for route in config.get("routes") or []:
        if not isinstance(route, dict) or set(route) - _ROUTE_KEYS or "dest" not in route:
            return None
        destination = _destination(str(route["dest"]))
        if destination is None:
            return None
        rewrites.append({"source": str(route["src"]), "destination": destination})
    fixed: dict[str, object] = {}
    for key, value in config.items():
        if key == "builds" and rewrites:
            fixed["rewrites"] = rewrites
        elif key not in ("builds", "routes", "version"):
            fixed[key] = value
    return make_change(
        root,
        finding.id,
        "vercel.json",
        finding.line,
        "zero-config: drop `builds`, turn `routes` into `rewrites`",
        {"vercel.json": dump_json(fixed)},
    )


def framework_null(root: Path, finding: Finding) -> Change | None:
    """``preset-rewrite-destination-path``: ``"framework": null`` first in vercel.json (the
    "Other" preset: each ``api/`` file its own function, which sees the path requested); other
    keys are kept in their order."""
    config = json.loads((root / "vercel.json").read_text(encoding="utf-8"))
    if not isinstance(config, dict) or "framework" in config:
        return None
    fixed = {"framework": None, **config}
    return make_change(
        root,
        finding.id,
        "vercel.json",
        finding.line,
        'set `"framework": null`: the api/ layout, routed with the path requested',
        {"vercel.json": dump_json(fixed)},
    )


def python_pin(root: Path, finding: Finding) -> Change | None:
    """``python-version-not-offered`` / ``python-version-discontinued`` /
    ``python-pin-fails-install`` found in ``.python-version``: the file pins :data:`PYTHON`."""
    if finding.file != ".python-version":
        return None
    return make_change(
        root,
        finding.id,
        finding.file,
        finding.line,
        f"pin Python {PYTHON}, which Vercel offers",
        {".python-version": PYTHON + "\n"},
    )
