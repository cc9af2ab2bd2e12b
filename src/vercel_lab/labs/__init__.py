"""The Jupyter labs' side of ``vercel_lab``: lab folders, checks with feedback, solutions.

In a notebook::

    from vercel_lab import labs
    work = labs.start("01")                       # work/01-the-fix: a copy of the starting project
    # %%writefile work/01-the-fix/api/index.py    (a cell per file; or JupyterLab's editor)
    labs.write_project(work, {"api/index.py": SOURCE})   # the same from Python
    labs.check_fix(work)                          # "passed", or "not yet" with the evidence
    print(labs.solution("01"))                    # when stuck
"""

from __future__ import annotations

from vercel_lab.labs.feedback import Result, Section
from vercel_lab.labs.handler_checks import check_counter, check_fix, check_wsgi_app
from vercel_lab.labs.settings_checks import check_django_preset, check_logging
from vercel_lab.labs.solutions import Solution, apply_solution, solution
from vercel_lab.labs.workspace import (
    LABS,
    lab_folder,
    labs_home,
    remove,
    show,
    start,
    write_project,
)

__all__ = [
    "LABS",
    "Result",
    "Section",
    "Solution",
    "apply_solution",
    "check_counter",
    "check_django_preset",
    "check_fix",
    "check_logging",
    "check_wsgi_app",
    "lab_folder",
    "labs_home",
    "remove",
    "show",
    "solution",
    "start",
    "write_project",
]
