"""Locate the example projects from anywhere (notebooks, the docs, tests), never by a relative path.

The examples live in the repository's ``examples/`` folder, beside ``src/``; an installed wheel
carries a copy as package data, ``vercel_lab/_examples`` (``[tool.hatch.build.targets.wheel.
force-include]`` in pyproject.toml), so ``pip install``/``pipx install`` users need no clone.
``VERCEL_LAB_EXAMPLES`` points elsewhere (a copy with symlinks resolved, for instance).
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


#: Where an installed wheel keeps its copy of the examples (a path of this machine).
#:
#: :meta hide-value:
PACKAGED = Path(__file__).resolve().parent / "_examples"
#: Where a checkout (an editable install) keeps them (a path of this machine).
#:
#: :meta hide-value:
CHECKOUT = Path(__file__).resolve().parents[2] / "examples"


def examples_root() -> Path:
    """The folder holding the examples: ``$VERCEL_LAB_EXAMPLES``, else the checkout's
    ``examples/``, else the wheel's ``vercel_lab/_examples``; raises FileNotFoundError when the
    chosen folder does not exist."""
    configured = os.environ.get("VERCEL_LAB_EXAMPLES")
    root = Path(configured) if configured else CHECKOUT if CHECKOUT.is_dir() else PACKAGED
    if not root.is_dir():
        raise FileNotFoundError(
            f"the example projects are not at {root}: reinstall vercel-lab (its wheel carries "
            "them), work from a clone of the repository, or set VERCEL_LAB_EXAMPLES"
        )
    return root


def example(name: str) -> Path:
    """The folder of example ``name`` (one of :data:`NAMES`)."""
    if name not in NAMES:
        raise ValueError(f"unknown example {name!r}; choose one of: {', '.join(NAMES)}")
    return examples_root() / name
