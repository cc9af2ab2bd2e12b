"""Which Python version @vercel/python 6.56.2 selects, and whether the install then fails on a pin.

Selection (``resolvePythonVersion``, py6562:6111-6200; ``selectPythonVersion``/``selectPython``,
ana0132 = analysis 0.14.0:2265-2360):

- constraints: the nearest ``.python-version`` on the walk (inside the workspace folder), else the
  manifest's ``requires-python`` (Pipfile.lock: ``==X.Y.*`` from ``_meta.requires``;
  requirements/Pipfile: none) (ana0132:1809-1840);
- none → ``No Python version specified in .python-version, pyproject.toml, or Pipfile.lock. Using
  python version: 3.12`` (py6562:6127-6130);
- otherwise the first *installed* build, in the order default (3.12) first then 3.14, 3.13, ...
  (``getAvailablePythonBuilds``, py6562 ≈ newest:6163-6175), that satisfies every constraint, with
  patch parts truncated and ``~=X.Y`` read as ``==X.Y.*``;
- a constraint only an uninstalled version meets → ``Warning: Python version "3.11" detected in
  .python-version is not installed and will be ignored. https://vercel.link/python-version`` and
  ``Using python version: 3.12`` (py6562:6160-6166).

Which versions are installed is not in the builder: on the build image it is whatever exists as
``/uv/python/bin/pythonX.Y`` (py6562 ``getInstalledPythonsFromFilesystem``); Vercel documents
3.12 (default), 3.13 and 3.14 — :data:`IMAGE_PYTHONS` (platform fact, from Vercel's docs).

Install failure: the builder creates the venv with the selected version, but ``uv sync`` runs in the
manifest's folder and itself honours a ``.python-version`` there (for *every* manifest kind:
verified with requirements.txt + ``.python-version`` 3.11) and a pyproject's ``requires-python``
(not for converted manifests, whose ``requires-python`` the builder rewrites to ``~=3.12.0``).
When that request is not the selected version uv looks for another interpreter; on an image
without it and without downloads the build fails with uv's
``No interpreter found for Python 3.11 in managed installations or search path``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from packaging.specifiers import InvalidSpecifier, Specifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from vercel_lab.builder.manifest import Manifest

DEFAULT_PYTHON = "3.12"
#: The builder's ``allOptions`` order (py6562:6025-6033); 3.6 is discontinued (2022-07-18).
ALL_OPTIONS = ("3.14", "3.13", "3.12", "3.11", "3.10", "3.9", "3.6")
DISCONTINUED = frozenset({"3.6"})
#: Versions on Vercel's build image (Vercel docs: Python runtime; modelled from the docs).
IMAGE_PYTHONS = ("3.12", "3.13", "3.14")
VERSION_LINK = "https://vercel.link/python-version"


@dataclass(frozen=True)
class PythonChoice:
    """The builder's Python decision.

    version     "3.12" etc. (major.minor), what the venv and the function use
    source      where the constraint came from (``.python-version`` path, manifest path) or None
    requested   the uninstalled version a constraint asked for ("3.11"), else None
    log_lines   the builder's lines, in order (warning included)
    warning     the ``Warning: ...`` line, or None
    install_fails  True when ``uv sync`` will honour a request the image cannot meet
    failure     uv's error text in that case (offline/no-download form), else None
    pins_file   path of a ``.python-version`` the builder writes into the project, or None
    """

    version: str
    source: str | None
    requested: str | None
    log_lines: tuple[str, ...]
    warning: str | None = None
    install_fails: bool = False
    failure: str | None = None
    pins_file: str | None = None


def _truncate(spec: Specifier) -> Specifier | None:
    """``truncatePatchConstraint`` + ``legacyTildeEqualsTransform`` (ana 0.14.0:2380-2440)."""
    op, ver = spec.operator, spec.version
    parts = ver.replace(".*", "").split(".")
    mm = ".".join(parts[:2])
    if op == "~=" and len(parts) == 2:
        return Specifier(f"=={mm}.*")
    if len(parts) < 3 or op == "===":
        return spec
    patch = int(parts[2]) if parts[2].isdigit() else 0
    table = {
        "==": f"=={mm}.*",
        "~=": f"=={mm}.*",
        ">=": f">={mm}",
        "<=": f"<={mm}",
        ">": f">{mm}" if patch == 0 else f">={mm}",
        "<": f"<{mm}" if patch == 0 else f"<={mm}",
    }
    if op == "!=":
        return None
    return Specifier(table.get(op, str(spec)))


def _request_to_specs(request: str) -> SpecifierSet | None:
    """A ``.python-version`` line or ``requires-python`` value as a SpecifierSet (None: invalid).

    Plain versions (``3.11``, ``3.11.4``, ``cpython-3.11``, ``cpython@3.11``) mean ``==3.11.*``.
    """
    text = request.strip().lower()
    for prefix in ("cpython-", "cpython@", "python", "cp"):
        if text.startswith(prefix) and text[len(prefix) :][:1].isdigit():
            text = text[len(prefix) :]
            break
    try:
        v = Version(text)
        return SpecifierSet(f"=={v.major}.{v.minor}.*")
    except InvalidVersion:
        pass
    try:
        specs = SpecifierSet(text)
    except InvalidSpecifier:
        return None
    out = [t for t in (_truncate(s) for s in specs) if t is not None]
    return SpecifierSet(",".join(str(s) for s in out))


def _matches(version: str, specs: SpecifierSet) -> bool:
    return Version(version) in specs


def _python_version_request(root: Path, rel: str) -> str | None:
    for line in (root / rel).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.strip().startswith("#"):
            return line.strip()
    return None


def select_python(
    project_root: Path, manifest: Manifest, available: tuple[str, ...] = IMAGE_PYTHONS
) -> PythonChoice:
    """The builder's selection for ``manifest``; ``available`` = what the image has installed.

    Pure over the project's files; never raises for project content.
    """
    request: str | None = None
    source: str | None = None
    if manifest.python_version_file is not None:
        request = _python_version_request(project_root, manifest.python_version_file)
        source = manifest.python_version_file
    elif manifest.requires_python:
        request, source = manifest.requires_python, manifest.path
    if request is None:
        line = (
            "No Python version specified in .python-version, pyproject.toml, or Pipfile.lock. "
            f"Using python version: {DEFAULT_PYTHON}"
        )
        return PythonChoice(DEFAULT_PYTHON, None, None, (line,))
    specs = _request_to_specs(request)
    ordered = [DEFAULT_PYTHON] * (DEFAULT_PYTHON in available) + [
        v for v in ALL_OPTIONS if v in available and v != DEFAULT_PYTHON
    ]
    if specs is not None:
        chosen = next((v for v in ordered if _matches(v, specs)), None)
        if chosen is not None:
            pins = _pins_file(manifest, chosen, source)
            lines = [f"Using Python {chosen} from {source}"]
            if pins:
                lines.append(f"Writing .python-version file with version {chosen}")
            return PythonChoice(
                chosen,
                source,
                None,
                tuple(lines),
                install_fails=_fails(manifest, chosen, specs, source),
                pins_file=pins,
                failure=None,
            )
        wanted = next((v for v in ALL_OPTIONS if _matches(v, specs)), None)
        if wanted is not None:
            warning = (
                f'Warning: Python version "{wanted}" detected in {source} is not installed and '
                f"will be ignored. {VERSION_LINK}"
            )
            fails = _fails(manifest, DEFAULT_PYTHON, specs, source)
            return PythonChoice(
                DEFAULT_PYTHON,
                source,
                wanted,
                (warning, f"Using python version: {DEFAULT_PYTHON}"),
                warning=warning,
                install_fails=fails,
                failure=_failure_text(request, source) if fails else None,
            )
    warning = (
        f'Warning: Python version "{request}" detected in {source} is invalid and will be '
        f"ignored. {VERSION_LINK}"
    )
    return PythonChoice(
        DEFAULT_PYTHON,
        source,
        None,
        (warning, f"Using python version: {DEFAULT_PYTHON}"),
        warning=warning,
    )


def _fails(manifest: Manifest, chosen: str, specs: SpecifierSet, source: str | None) -> bool:
    """Whether ``uv sync`` (run in ``manifest.project_dir``) asks for a version other than
    ``chosen``: a ``.python-version`` in that folder or above it (uv's own discovery, any
    manifest kind), or a non-converted pyproject's ``requires-python`` (modelled on uv 0.13.9)."""
    if _matches(chosen, specs) or source is None:
        return False
    if source.endswith(".python-version"):
        pv_dir = PurePosixPath(source).parent
        proj = PurePosixPath(manifest.project_dir or ".")
        return str(pv_dir) == "." or proj == pv_dir or proj.is_relative_to(pv_dir)
    return not manifest.converted and manifest.kind != "none"


def _failure_text(request: str, source: str | None) -> str:
    """uv's error with downloads off (verified with uv 0.13.9 for a ``.python-version`` pin; the
    ``requires-python`` form is modelled). With downloads on, uv instead fetches the version or
    fails to download it: the build fails either way."""
    if source is not None and source.endswith(".python-version"):
        return f"No interpreter found for Python {request} in managed installations or search path"
    return (
        f"uv sync: the project's requires-python ({request}) excludes the selected Python "
        "(modelled)"
    )


def _pins_file(manifest: Manifest, chosen: str, source: str | None) -> str | None:
    """py6562 ``pinVersionFilePath``: no .python-version, a non-converted manifest whose
    requires-python was the source, selection <= 3.12 → the builder writes ``.python-version``
    next to the manifest (it changes the user's tree during `vercel build`)."""
    if manifest.python_version_file is not None or manifest.path is None or manifest.converted:
        return None
    if source is None or not source.endswith("pyproject.toml"):
        return None
    if Version(chosen) > Version(DEFAULT_PYTHON):
        return None
    folder = manifest.project_dir
    return f"{folder}/.python-version" if folder else ".python-version"
