"""The build as one pipeline of values: what ``vercel build`` with ``@vercel/python`` decides for a
project, from its files, without running anything.

1. :func:`read_settings`: the project's configuration, read once (``vercel.json``,
   ``pyproject.toml``, the framework preset Vercel would detect) into :class:`Settings`;
2. :func:`choose_preset`: the preset the build uses, and where it came from;
3. :func:`plan_functions`: the functions (file and variable of each), or the builder's error;
4. :func:`plan_routes`: where each function is served;
5. :func:`plan_install`: the manifest the builder installs from
   (:mod:`~vercel_lab.builder.manifest`), the Python it selects
   (:mod:`~vercel_lab.builder.python_version`) and the files the function bundle holds
   (:mod:`~vercel_lab.builder.files`);

each step a function of the previous steps' values, put together by :func:`build_plan` into a
frozen :class:`BuildPlan` that :class:`~vercel_lab.runtime.function.Function` (so ``invoke`` and
``serve``), the doctor and the real-build parity harness consume. The steps call down into the
builder's other modules (:mod:`~vercel_lab.builder.config`, :mod:`~vercel_lab.builder.presets`,
:mod:`~vercel_lab.builder.functions`, :mod:`~vercel_lab.builder.entrypoint`), never back up.

The sources each step mirrors are listed in those modules' docstrings and in
:mod:`vercel_lab.builder.detect`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from vercel_lab.builder import functions, presets
from vercel_lab.builder._scan import project_folder
from vercel_lab.builder.config import (
    PYTHON_FRAMEWORKS,
    ProjectConfig,
    detect_framework,
    load_config,
    read_pyproject,
)
from vercel_lab.builder.entrypoint import BuildError, Entrypoint
from vercel_lab.builder.files import BundleConfig, ConflictingIgnoreFiles, FileSet, bundle_files
from vercel_lab.builder.globs import glob_match
from vercel_lab.builder.manifest import Manifest, select_manifest
from vercel_lab.builder.python_version import PythonChoice, select_python

__all__ = [
    "BuildPlan",
    "Install",
    "PresetSource",
    "Route",
    "Settings",
    "build_plan",
    "choose_preset",
    "plan_functions",
    "plan_install",
    "plan_routes",
    "read_settings",
]

#: Where the build's preset came from: ``"detected"`` (Vercel's detection over the project's
#: files, what the dashboard stores when the project is created), ``"configured"``
#: (``vercel.json`` ``framework``, which overrides the project settings; ``null`` there is
#: "Other") or ``"override"`` (the caller named it, e.g. a test or the project settings of a
#: linked project).
PresetSource = Literal["detected", "configured", "override"]


@dataclass(frozen=True)
class Settings:
    """The project's configuration, read once.

    ``config`` is ``vercel.json`` (empty when absent), ``pyproject`` the parsed
    ``pyproject.toml`` (None when absent or not TOML: the builder then carries on without it),
    ``detected_preset`` the Python framework preset Vercel's detection finds in the files
    (:func:`~vercel_lab.builder.config.detect_framework`; None for "Other").
    """

    root: Path
    config: ProjectConfig
    pyproject: Mapping[str, object] | None
    detected_preset: str | None


@dataclass(frozen=True)
class Route:
    """Where one function is served: ``path`` is its output path (``/api/index`` for a
    zero-config ``api/index.py``, ``/`` for a preset's app, ``/api/index.py`` for a ``builds``
    entry) and ``file`` its entrypoint file. Which request paths reach it is
    :func:`~vercel_lab.builder.detect.select_entrypoint`'s business."""

    path: str
    file: str


@dataclass(frozen=True)
class Install:
    """What the build installs and bundles (step 5): ``manifest`` (the file installed from and
    what it installs), ``python`` (the version selected and the builder's lines), ``files`` (the
    files the function bundle holds, and those left out with the reason)."""

    manifest: Manifest
    python: PythonChoice
    files: FileSet


@dataclass(frozen=True)
class BuildPlan:
    """Everything the builder decides for one project, as a value.

    ``entrypoints`` is empty, and ``build_error`` says why, when the builder refuses the project
    (no deployment exists); an empty ``entrypoints`` without error is a deployment of static
    files only.

    Room left for what the builder also decides but vercel-lab does not model yet (each is
    None or empty until a step computes it):

    - ``dependency_manifest``: the file the builder installs from (``requirements.txt``,
      ``pyproject.toml``/``uv.lock``, ``Pipfile``...), relative to the project;
    - ``python_version``: the Python release the builder selects (``"3.12"``);
    - ``bundle_files``: per function file, the project files its bundle holds (POSIX, relative);
    - ``install``: the whole of step 5 (manifest, Python choice, file set), None when the build
      stopped before it;
    - ``static_files``: URL path (``/static/app.css``) -> file, what the build publishes as
      static files besides ``public/`` (Django's ``collectstatic``); filled by the runtime side,
      which runs the build steps that need the deployed dependencies.
    """

    settings: Settings
    preset: str | None
    preset_source: PresetSource
    entrypoints: tuple[Entrypoint, ...] = ()
    build_error: BuildError | None = None
    routes: tuple[Route, ...] = ()
    dependency_manifest: str | None = None
    python_version: str | None = None
    bundle_files: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    install: Install | None = None
    static_files: Mapping[str, Path] = field(default_factory=dict)

    @property
    def root(self) -> Path:
        """The project folder."""
        return self.settings.root

    @property
    def config(self) -> ProjectConfig:
        """``vercel.json`` as read (``settings.config``)."""
        return self.settings.config


# -- the steps --------------------------------------------------------------------------------


def read_settings(project: str | Path, *, config: ProjectConfig | None = None) -> Settings:
    """Step 1: read ``project``'s configuration once (``config``: its ``vercel.json`` when the
    caller already read it).

    Raises FileNotFoundError / NotADirectoryError for a missing project and
    :class:`~vercel_lab.builder.config.ConfigError` for a ``vercel.json`` Vercel would refuse.
    """
    root = project_folder(project)
    config = config if config is not None else load_config(root)
    return Settings(root, config, read_pyproject(root), detect_framework(root))


def choose_preset(
    settings: Settings, override: str | None = None, *, overridden: bool = False
) -> tuple[str | None, PresetSource]:
    """Step 2: the preset the build uses and its source: ``override`` when ``overridden``,
    else ``vercel.json`` ``framework`` when the key is there (a non-string such as ``null`` is
    "Other", None), else the detected preset."""
    if overridden:
        return override, "override"
    if "framework" in settings.config.raw:
        preset = settings.config.raw["framework"]
        return (preset if isinstance(preset, str) else None), "configured"
    return settings.detected_preset, "detected"


def plan_functions(settings: Settings, preset: str | None) -> tuple[Entrypoint, ...]:
    """Step 3: every function the builder creates, in build order.

    - ``builds`` in vercel.json: one per matching ``@vercel/python`` source (mode ``"build"``);
    - a Python framework preset: the one app entrypoint (mode ``"app"``);
    - otherwise: one per ``api/**/*.py`` file with a top-level app, application or handler
      (mode ``"api"``).

    Raises :class:`~vercel_lab.builder.detect.BuildError` where the builder fails.
    """
    root, config = settings.root, settings.config
    builds = config.raw.get("builds")
    if builds not in (None, False, 0, "") and config.raw.get("functions") not in (None, False, ""):
        raise BuildError(
            "bad_request",
            "The `functions` property cannot be used in conjunction with the `builds` property."
            " Please remove one of them.",
            "https://vercel.link/functions-and-builds",
        )
    if isinstance(builds, list) and builds:
        return tuple(functions.legacy_builds(root, builds))
    if isinstance(preset, str) and preset in PYTHON_FRAMEWORKS:
        return (presets.app_entrypoint(root, preset, settings.pyproject),)
    return tuple(functions.api_functions(root, config))


def plan_routes(entrypoints: tuple[Entrypoint, ...]) -> tuple[Route, ...]:
    """Step 4: the output path of each function
    (:attr:`~vercel_lab.builder.detect.Entrypoint.route`)."""
    return tuple(Route(entry.route, entry.file) for entry in entrypoints)


def _exclude_files(config: ProjectConfig, file: str | None) -> str | list[str] | None:
    """``functions.<pattern>.excludeFiles`` of the first key matching ``file``."""
    functions_config = config.raw.get("functions")
    if file is None or not isinstance(functions_config, dict):
        return None
    for pattern, value in functions_config.items():
        if (pattern == file or glob_match(file, pattern)) and isinstance(value, dict):
            exclude = value.get("excludeFiles")
            if isinstance(exclude, str | list):
                return exclude
    return None


def plan_install(
    settings: Settings, entrypoints: tuple[Entrypoint, ...]
) -> tuple[Install, BuildError | None]:
    """Step 5: the manifest, the Python version and the bundle's files of the first function
    (the builder runs one install per build), and the build error they make, if any:

    - a manifest the builder cannot parse (its code, e.g. ``PYTHON_REQUIREMENTS_PARSE_ERROR``);
    - a Python pin the install honours but the image lacks: ``uv sync`` fails, so the build does
      (``UV_SYNC_FAILED``: the builder's ``Failed to run "uv ..."`` line and uv's error,
      py6562:5496-5505);
    - both ``.vercelignore`` and ``.nowignore``: the CLI refuses to deploy
      (``CONFLICTING_IGNORE_FILES``).
    """
    file = entrypoints[0].file if entrypoints else None
    manifest = select_manifest(settings.root, file or "index.py")
    python = select_python(settings.root, manifest)
    error: BuildError | None = manifest.error
    try:
        files = bundle_files(
            settings.root, BundleConfig(exclude_files=_exclude_files(settings.config, file))
        )
    except ConflictingIgnoreFiles as exc:
        files = FileSet(())
        error = error or BuildError("CONFLICTING_IGNORE_FILES", exc.message)
    if error is None and python.install_fails:
        args = " ".join(manifest.sync_args)
        error = BuildError(
            "UV_SYNC_FAILED",
            f'Failed to run "uv {args}": Command failed: uv {args}\nerror: {python.failure}',
        )
    return Install(manifest, python, files), error


def build_plan(
    project: str | Path,
    *,
    entrypoint: str | None = None,
    preset: str | None = None,
    preset_given: bool = False,
) -> BuildPlan:
    """The whole pipeline for ``project``.

    ``entrypoint`` (``"api/index.py:handler"``) skips detection as ``--entrypoint`` does
    (:func:`~vercel_lab.builder.detect.entrypoint_from_option`); ``preset`` with
    ``preset_given`` overrides the preset (``None`` then means "Other").

    A project the builder refuses is not an exception: the plan's ``build_error`` holds it.
    Raises FileNotFoundError / NotADirectoryError for a missing project,
    :class:`~vercel_lab.builder.config.ConfigError` for a broken vercel.json, and ValueError for a
    malformed ``entrypoint``.
    """
    settings = read_settings(project)
    chosen, source = choose_preset(settings, preset, overridden=preset_given)
    try:
        if entrypoint:
            entries: tuple[Entrypoint, ...] = (
                functions.entrypoint_from_option(settings.root, entrypoint),
            )
        else:
            entries = plan_functions(settings, chosen)
    except BuildError as exc:
        return BuildPlan(settings, chosen, source, build_error=exc)
    install, error = plan_install(settings, entries)
    return BuildPlan(
        settings,
        chosen,
        source,
        entries if error is None else (),
        build_error=error,
        routes=plan_routes(entries) if error is None else (),
        dependency_manifest=install.manifest.path,
        python_version=install.python.version,
        bundle_files={e.file: install.files.included for e in entries},
        install=install,
    )
