"""Fixes that are environment changes: a variable the code needs at import (static checks) or
that a run's log names (log checks), to set in the Vercel project's Environment Variables for
Production and Preview, with a strong generated placeholder (:func:`~.change.placeholder`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

from vercel_lab.doctor.findings import Finding
from vercel_lab.doctor.fixers.change import Change, make_change, placeholder

__all__ = ["set_variable"]

_NAME: Final = re.compile(r"[A-Z_][A-Z0-9_]*")


def set_variable(root: Path, finding: Finding) -> Change | None:
    """The variable the finding names (its ``name`` field), set to a placeholder; None when
    the name is not an environment variable's (``os.environ[x]`` with a computed key)."""
    name = finding.value_of("name")
    if name is None or _NAME.fullmatch(name) is None:
        return None
    return make_change(
        root,
        finding.id,
        finding.file,
        finding.line,
        f"set {name} in the project's Environment Variables (Production and Preview)",
        env={name: placeholder()},
    )
