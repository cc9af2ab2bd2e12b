"""Which functions Vercel's Python builder would create for a project, and from which file and
variable: the builder's own rules, error codes and messages, statically (``ast``; user code is
never imported).

The entry points to the builder for code that wants the functions only; the pipeline itself is
:mod:`vercel_lab.builder.plan` (configuration read once, then preset, functions, routes), and
the names below are defined in its steps' modules.

Mirrored sources (vercel CLI 58.10.0 with ``@vercel/python@6.56.2``; the detection code of the
newest ``@vercel/python``, 25.0.0, is the same):

- ``@vercel/python`` ``dist/index.js``, section ``src/entrypoint.ts``: ``detectPythonEntrypoint``,
  ``findValidEntrypoint``, ``detectDjangoPythonEntrypoint``, ``getVercelToolsEntrypoint``,
  ``makeDiagnosticError``, ``entrypointToModule``; section ``src/index.ts``: ``build`` and the
  ``django`` entry of ``frameworkHooks``;
- ``@vercel/python-analysis`` 0.13.2 ``findAppOrHandler`` (Rust ``contains_app_or_handler_impl``
  in ``crates/vercel_python_analysis/src/entrypoint.rs``, run as WASM);
- ``@vercel/fs-detectors`` (bundled in the CLI): ``detectBuilders``, ``maybeGetApiBuilder``,
  ``createRouteFromPath``, ``checkUnusedFunctions``; the CLI's ``vercel build``
  for ``builds`` (``expandBuild``) and the output path of each function
  (``writeBuildResultV3``).
"""

from __future__ import annotations

from pathlib import Path

from vercel_lab.builder._scan import DETECT, project_folder
from vercel_lab.builder.config import ProjectConfig
from vercel_lab.builder.entrypoint import (
    CANDIDATE_ENTRYPOINTS,
    BuildError,
    Entrypoint,
    find_app_or_handler,
    find_variable,
)
from vercel_lab.builder.functions import entrypoint_from_option
from vercel_lab.builder.plan import choose_preset, plan_functions, read_settings
from vercel_lab.builder.routing import select_entrypoint

__all__ = [
    "CANDIDATE_ENTRYPOINTS",
    "BuildError",
    "Entrypoint",
    "entrypoint_from_option",
    "find_app_or_handler",
    "find_entrypoints",
    "find_variable",
    "project_folder",
    "select_entrypoint",
]


def find_entrypoints(
    project: str | Path, *, framework: str | None = DETECT, config: ProjectConfig | None = None
) -> list[Entrypoint]:
    """All functions the builder would create for ``project``, in build order.

    - ``builds`` in vercel.json: one per matching ``@vercel/python`` source (mode ``"build"``);
    - a Python framework preset (``framework``, else vercel.json ``framework``, else
      :func:`~vercel_lab.builder.config.detect_framework`): the one app entrypoint (mode ``"app"``);
    - otherwise (preset "Other", None): one per ``api/**/*.py`` file with a top-level app,
      application or handler class (mode ``"api"``). Files without one are *not functions*; the
      list is empty when no file qualifies (the deployment is then static files only).

    ``config`` is the project's already loaded configuration (read from the project otherwise).
    The steps of :mod:`vercel_lab.builder.plan`, without the plan around them.

    Raises :class:`BuildError` where the builder fails, FileNotFoundError/NotADirectoryError
    for a missing project and :class:`~vercel_lab.builder.config.ConfigError` for a broken
    vercel.json.
    """
    settings = read_settings(project, config=config)
    preset, _ = choose_preset(
        settings, None if framework == DETECT else framework, overridden=framework != DETECT
    )
    return list(plan_functions(settings, preset))
