"""The build as one pipeline of values: what ``vercel build`` with ``@vercel/python`` decides for a
project, from its files, without running anything.

1. :func:`read_settings`: the project's configuration, read once (``vercel.json``,
   ``pyproject.toml``, the framework preset detected by :func:`detect_preset`) into
   :class:`Settings`;
2. :func:`choose_preset`: the preset the build uses, and where it came from;
3. :func:`plan_functions`: the functions (file and variable of each), or the builder's error;
4. :func:`plan_routes`: the routes ``vercel build`` writes into ``config.json``, the static files
   and the functions of the output (:mod:`vercel_lab.builder.routes`), which the one router
   (:func:`vercel_lab.builder.routing.resolve`) sends requests through;
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
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Final, Literal

from vercel_lab.builder import functions, presets
from vercel_lab.builder._scan import DETECT, project_folder
from vercel_lab.builder.config import (
    PYTHON_FRAMEWORKS,
    ProjectConfig,
    detect_framework,
    load_config,
    read_pyproject,
)
from vercel_lab.builder.entrypoint import CANDIDATE_ENTRYPOINTS, BuildError, Entrypoint
from vercel_lab.builder.files import BundleConfig, ConflictingIgnoreFiles, FileSet, bundle_files
from vercel_lab.builder.globs import glob_match
from vercel_lab.builder.manifest import Manifest, select_manifest
from vercel_lab.builder.python_version import PythonChoice, select_python
from vercel_lab.builder.routes import Output, plan_output
from vercel_lab.builder.routing import Filesystem, select_entrypoint

__all__ = [
    "AUTO",
    "BuildPlan",
    "Detection",
    "Install",
    "PresetSource",
    "Settings",
    "build_plan",
    "choose_preset",
    "detect_preset",
    "plan_functions",
    "plan_install",
    "plan_routes",
    "read_settings",
    "with_routes",
]

#: Where the build's preset came from: ``"detected"`` (:func:`detect_preset` over the project's
#: files), ``"configured"`` (``vercel.json`` ``framework``, which overrides the project settings:
#: ``pickOverrides`` copies the key when present, ``null`` included, vercel CLI 58.10.0
#: ``dist/chunks/chunk-5MERQE7H.js:65-77``; ``null`` is "Other") or ``"override"`` (the caller
#: named it: ``--framework``, the project settings of a linked project, a parity case).
PresetSource = Literal["detected", "configured", "override"]

#: "Detect the preset" (the default of ``--framework`` and of :func:`build_plan`'s ``preset``).
AUTO: Final = DETECT


@dataclass(frozen=True)
class Detection:
    """The preset vercel-lab detects for a project (:func:`detect_preset`).

    ``preset`` is what a build without a configured framework runs with (None: "Other");
    ``suggested`` is ``@vercel/fs-detectors``' first answer, what ``vercel link`` and the
    dashboard's import screen offer; ``note`` says why they differ (None when they do not).
    """

    preset: str | None
    suggested: str | None
    note: str | None = None


@dataclass(frozen=True)
class Settings:
    """The project's configuration, read once.

    ``config`` is ``vercel.json`` (empty when absent), ``pyproject`` the parsed
    ``pyproject.toml`` (None when absent or not TOML: the builder then carries on without it),
    ``detected_preset`` the preset :func:`detect_preset` finds (None for "Other") and
    ``preset_note`` its note (why it differs from what the dashboard would suggest).
    """

    root: Path
    config: ProjectConfig
    pyproject: Mapping[str, object] | None
    detected_preset: str | None
    preset_note: str | None = None


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
    files only. ``routes`` are the routes ``vercel build`` writes into ``config.json``,
    ``filesystem`` what the output holds (static files as under ``static/``, function names),
    ``functions`` each function's output name (``api/index``, ``flask``) and entrypoint,
    ``static_root`` the project folder the static files come from (``"public"`` or ``""``).

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
    routes: tuple[Mapping[str, Any], ...] = ()
    filesystem: Filesystem = field(default_factory=lambda: Filesystem(frozenset(), frozenset()))
    functions: Mapping[str, Entrypoint] = field(default_factory=dict)
    static_root: str = ""
    preset_note: str | None = None
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
    detection = detect_preset(root, config)
    return Settings(root, config, read_pyproject(root), detection.preset, detection.note)


def detect_preset(root: Path, config: ProjectConfig) -> Detection:
    """The preset of a project whose settings name no framework.

    ``@vercel/fs-detectors``' answer (:func:`~vercel_lab.builder.config.detect_framework`: the
    first match of ``frameworkList`` after superseded presets are removed) is what ``vercel
    link`` and the dashboard offer when a project is created (vercel CLI 58.10.0
    ``detectProjects``, ``dist/chunks/chunk-IBIZT5M4.js:55391-55416``). Vercel's deployment tests
    of ``@vercel/python`` deploy projects with no framework setting, and there each
    ``api/*.py`` is its own function at its own path (``test/lib/deployment/now-deploy.js:64-73``
    of ``vercel/vercel``; fixture ``20-multivalue-header`` passes only so). vercel-lab follows
    that, *modelled*: a project with qualifying ``api/**/*.py`` functions (a top-level app,
    application or handler) and no candidate app entrypoint outside ``api/`` (the ``""``,
    ``src`` and ``app`` entries of ``PYTHON_CANDIDATE_ENTRYPOINTS``) is "Other" (None), with a
    note of what the suggested preset would do; except a project with one such function that the
    preset would take as its app anyway (a candidate such as ``api/index.py``) or that
    ``vercel.json`` ``rewrites`` route to (``{"source": "/(.*)", "destination": "/api/index"}``):
    the single-app layout the framework docs describe, which keeps the suggested preset.
    """
    suggested = detect_framework(root)
    if suggested not in PYTHON_FRAMEWORKS:
        return Detection(suggested, suggested)
    try:
        api = functions.api_functions(root, config)
    except BuildError:
        api = []
    outside = [c for c in CANDIDATE_ENTRYPOINTS if not c.startswith("api/")]
    if not api or any((root / c).is_file() for c in outside):
        return Detection(suggested, suggested)
    if len(api) == 1 and (
        api[0].file in CANDIDATE_ENTRYPOINTS  # the preset finds it as its app: api/index.py
        or any(_reaches(api[0], dest) for _, dest in config.rewrites)
    ):
        return Detection(suggested, suggested)
    files = ", ".join(e.file for e in api)
    note = (
        f'preset "Other": each api/*.py is its own function ({files}), as in Vercel\'s deployment'
        f' tests (modelled); `vercel link` and the dashboard would suggest "{suggested}", which'
        " ignores api/ functions and sends every path to one app"
        f" (--framework {suggested} runs it so)"
    )
    return Detection(None, suggested, note)


def _reaches(entry: Entrypoint, destination: str) -> bool:
    try:
        return select_entrypoint([entry], destination) == entry
    except LookupError:
        return False


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
        app = presets.app_entrypoint(root, preset, settings.pyproject)
        if preset != "fasthtml":
            return (app,)
        # fasthtml has no ignoreRuntimes: its api/ files stay functions beside the app
        # (detectBuilders, chunk-IBIZT5M4.js:29751-29759; the real build of a fasthtml project
        # with api/hello.py writes functions/api/hello.func and functions/fasthtml.func).
        return (*functions.api_functions(root, config), app)
    return tuple(functions.api_functions(root, config))


def plan_routes(
    settings: Settings, preset: str | None, entrypoints: tuple[Entrypoint, ...]
) -> Output:
    """Step 4: the build output's routes, static files and functions
    (:func:`vercel_lab.builder.routes.plan_output`). Raises ValueError for a ``vercel.json``
    source that ``path-to-regexp`` rejects."""
    return plan_output(settings.root, preset, settings.config.raw, entrypoints)


def with_routes(plan: BuildPlan) -> BuildPlan:
    """``plan`` with step 4 done (its routes, filesystem, functions and static root)."""
    output = plan_routes(plan.settings, plan.preset, plan.entrypoints)
    return replace(
        plan,
        routes=output.routes,
        filesystem=output.filesystem,
        functions=output.functions,
        static_root=output.static_root,
    )


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
    preset: str | None = AUTO,
) -> BuildPlan:
    """The whole pipeline for ``project``.

    ``entrypoint`` (``"api/index.py:handler"``) skips detection as ``--entrypoint`` does
    (:func:`~vercel_lab.builder.detect.entrypoint_from_option`); ``preset`` other than
    :data:`AUTO` overrides the preset (``None`` means "Other"), as ``--framework`` does.

    A project the builder refuses is not an exception: the plan's ``build_error`` holds it.
    Raises FileNotFoundError / NotADirectoryError for a missing project,
    :class:`~vercel_lab.builder.config.ConfigError` for a broken vercel.json, and ValueError for a
    malformed ``entrypoint``.
    """
    settings = read_settings(project)
    given = preset != AUTO
    chosen, source = choose_preset(settings, preset if given else None, overridden=given)
    note = settings.preset_note if source == "detected" else None
    try:
        if entrypoint:
            entries: tuple[Entrypoint, ...] = (
                functions.entrypoint_from_option(settings.root, entrypoint),
            )
        else:
            entries = plan_functions(settings, chosen)
    except BuildError as exc:
        return BuildPlan(settings, chosen, source, build_error=exc, preset_note=note)
    install, error = plan_install(settings, entries)
    plan = BuildPlan(
        settings,
        chosen,
        source,
        entries if error is None else (),
        build_error=error,
        preset_note=note,
        dependency_manifest=install.manifest.path,
        python_version=install.python.version,
        bundle_files={e.file: install.files.included for e in entries},
        install=install,
    )
    return with_routes(plan) if error is None else plan
