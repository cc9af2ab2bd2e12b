"""Locate the example projects from anywhere (notebooks, the docs, tests), never by a relative path.

The examples live in the repository's ``examples/`` folder, beside ``src/``. ``VERCEL_LAB_EXAMPLES``
points elsewhere (a copy with symlinks resolved, for instance).
"""

from __future__ import annotations

import os
from pathlib import Path

#: Every example, in the order the tutorial meets them.
NAMES = (
    "seed-broken",
    "seed-fix",
    "lambda-style",
    "import-crash",
    "readonly-fs",
    "timeout",
    "missing-dependency",
    "improperly-configured",
    "fixed-api-index",
    "fixed-django-preset",
    "handler-class",
    "flask",
    "fastapi",
)


def examples_root() -> Path:
    """The folder holding the examples; raises FileNotFoundError when there is none."""
    configured = os.environ.get("VERCEL_LAB_EXAMPLES")
    root = Path(configured) if configured else Path(__file__).resolve().parents[2] / "examples"
    if not root.is_dir():
        raise FileNotFoundError(
            f"the example projects are not at {root}: work from a clone of the repository "
            "(pip install -e .) or set VERCEL_LAB_EXAMPLES"
        )
    return root


def example(name: str) -> Path:
    """The folder of example ``name`` (one of :data:`NAMES`)."""
    if name not in NAMES:
        raise ValueError(f"unknown example {name!r}; choose one of: {', '.join(NAMES)}")
    return examples_root() / name
