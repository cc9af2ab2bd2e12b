"""The doctor's checks, one module per family, each declaring its checks (``CHECKS``) next to
the code that raises them:

- :mod:`~vercel_lab.doctor.checks.entrypoint`: the handler Vercel calls, the object it serves,
  the variable the builder looks for;
- :mod:`~vercel_lab.doctor.checks.startup`: the app/application collision, import_module of a
  sibling, a variable guard raising at import, Windows path separators;
- :mod:`~vercel_lab.doctor.checks.code`: what the code does at import and per request;
- :mod:`~vercel_lab.doctor.checks.django`: Django's settings on Vercel;
- :mod:`~vercel_lab.doctor.checks.config`: vercel.json, the Python version, the bundle;
- :mod:`~vercel_lab.doctor.checks.manifest`: what the builder installs (the manifest it picks,
  extras, a Python pin the install cannot honour);
- :mod:`~vercel_lab.doctor.checks.log`, :mod:`~vercel_lab.doctor.checks.log_build`,
  :mod:`~vercel_lab.doctor.checks.log_causes`: a pasted build or function log (read by
  :mod:`~vercel_lab.doctor.checks.log_lines`);
- :mod:`~vercel_lab.doctor.checks.run`: a local cold start (``--run``);

plus the notes of :mod:`vercel_lab.doctor.project` (a file it could not read, a check that
stopped). Importing this package declares every check; :data:`CHECKS` lists them by rank.
"""

from __future__ import annotations

from typing import Final

from vercel_lab.doctor import project
from vercel_lab.doctor.checks import (
    code,
    config,
    django,
    entrypoint,
    log,
    log_build,
    log_causes,
    manifest,
    run,
    startup,
)
from vercel_lab.doctor.declare import Check

__all__ = ["CHECKS", "FAMILIES"]

#: The families, in the order the static ones run.
FAMILIES: Final = (
    entrypoint,
    startup,
    code,
    django,
    config,
    manifest,
    log,
    log_build,
    log_causes,
    run,
    project,
)

#: Every check by id, in rank order: the most specific cause of a failure first.
CHECKS: Final[dict[str, Check]] = {
    c.id: c for c in sorted((c for f in FAMILIES for c in f.CHECKS), key=lambda c: c.rank)
}
