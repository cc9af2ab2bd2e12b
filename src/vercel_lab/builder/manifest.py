"""Which manifest @vercel/python 6.56.2 installs from, and exactly what that installs.

The analysis (``discoverPythonPackage``, ana0132:1745-1808) walks up from the entrypoint's
folder to the project root. In each folder (``loadPythonManifest``, ana0132:1897-1935) the first
of these wins: ``pyproject.toml`` (its lock: ``uv.lock``, else ``pylock.toml``, same folder,
ana0132:1936-1950), ``Pipfile.lock``, ``Pipfile``, ``requirements.frozen.txt``,
``requirements-frozen.txt``, ``requirements.txt``, ``requirements.in``, ``requirements/prod.txt``.
The nearest folder with a manifest wins; the walk goes on above a ``pyproject.toml`` only to find
a ``[tool.uv.workspace]`` root that lists it as a member, whose lock is then used
(ana0132:1809-1840). A ``uv.lock`` without a ``pyproject.toml`` is never read (it is only looked
up next to one): the folder's next manifest wins and the builder's ``uv lock`` rewrites the file
(verified: `vercel build` of uv.lock + requirements.txt installs from requirements.txt).

The install (py6562:6401-6480, 11603-11620): ``uv sync --active --no-dev --link-mode hardlink``
plus ``--frozen`` with the user's lock or ``--locked`` after the builder's own
``uv lock --python <venv>/bin/python``, plus ``--python-platform x86_64-unknown-linux-gnu``
outside the build image, plus ``--no-editable``, in the manifest's folder. Converted manifests
(Pipfile*, requirements*) are written as a ``pyproject.toml`` into that folder first, with
``requires-python = "~=<selected>.0"`` (py6562:6438-6446).
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath
from typing import Any

from vercel_lab.builder._manifest_parsers import (
    ManifestParseError,
    parse_pipfile,
    parse_pipfile_lock,
    parse_requirements,
    pylock_requirements,
    uv_lock_root_requirements,
)
from vercel_lab.builder.entrypoint import BuildError

#: Order within a folder after pyproject.toml / Pipfile.lock / Pipfile (ana0132:1913-1919).
REQUIREMENTS_FILES = (
    "requirements.frozen.txt",
    "requirements-frozen.txt",
    "requirements.txt",
    "requirements.in",
    "requirements/prod.txt",
)
#: Every file name the analysis looks at in a folder, in precedence order.
MANIFEST_FILES = ("pyproject.toml", "Pipfile.lock", "Pipfile", *REQUIREMENTS_FILES)
#: ``UV_LINUX_TARGET`` (py6562:5698): the platform `vercel build` resolves for off the image.
UV_LINUX_TARGET = "x86_64-unknown-linux-gnu"


@dataclass(frozen=True)
class Manifest:
    """What the builder installs for one entrypoint.

    kind          the word in the builder's log line: ``uv.lock``, ``pylock.toml``,
                  ``pyproject.toml``, ``Pipfile.lock``, ``Pipfile``, the requirements file's
                  relative path (e.g. ``requirements.txt``), or ``none``
    path          manifest file, posix path relative to the project root (None for ``none``)
    lock          the user's lock (``uv.lock``/``pylock.toml``, relative) or None
    project_dir   folder uv runs in, relative ("" = root)
    log_line      the builder's line, e.g. ``Installing required dependencies from uv.lock...``
    requirements  top-level PEP 508 strings installed (markers kept), never extras/dev groups
    installs_project  the project itself is built and installed (uv packages a ``[project]`` with
                  a ``[build-system]``, or ``tool.uv.package = true``), so a ``src/`` layout imports
    requires_python  the manifest's ``requires-python`` (Pipfile.lock: ``==X.Y.*``), or None
    python_version_file  the ``.python-version`` the analysis uses (nearest on the walk, inside
                  the workspace folder, ana0132:1789-1798, 1810-1822), or None
    converted     True for Pipfile*/requirements* (the builder writes a pyproject.toml for them)
    hidden        other manifest files in the winning folder the builder ignores
    notes         human-readable remarks (e.g. a Poetry-only pyproject installs nothing)
    error         a BuildError when the analysis or parse fails (then requirements is empty)
    digest        sha256 over the manifest's and lock's bytes (a cache-key part)
    """

    kind: str
    path: str | None
    lock: str | None
    project_dir: str
    log_line: str
    requirements: tuple[str, ...] = ()
    installs_project: bool = False
    requires_python: str | None = None
    python_version_file: str | None = None
    converted: bool = False
    hidden: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    error: BuildError | None = None
    digest: str = ""
    sync_args: tuple[str, ...] = field(default=())

    @property
    def lock_args(self) -> tuple[str, ...] | None:
        """``uv lock`` args the builder runs before syncing (None when the user's lock is used).

        ``<venv-python>`` stands for the build venv's interpreter path.
        """
        if self.lock is not None or self.error is not None:
            return None
        return ("lock", "--python", "<venv-python>")


def _read(root: Path, rel: str) -> str | None:
    p = root / rel
    return p.read_text(encoding="utf-8") if p.is_file() else None


def _toml(root: Path, rel: str, code: str) -> dict[str, Any] | None:
    text = _read(root, rel)
    if text is None:
        return None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        name = PurePosixPath(rel).name
        raise ManifestParseError(code, f"could not parse {name}: {exc}") from exc


def _join(prefix: str, name: str) -> str:
    return str(PurePosixPath(prefix, name)) if prefix else name


def _digest(root: Path, *rels: str | None) -> str:
    h = hashlib.sha256()
    for rel in rels:
        if rel is not None:
            h.update(rel.encode() + b"\0" + (root / rel).read_bytes() + b"\0")
    return h.hexdigest()


@dataclass
class _Found:
    path: str
    kind: str  # pyproject.toml | Pipfile.lock | Pipfile | requirements
    data: dict[str, Any]
    lock: str | None = None
    is_root: bool = True


def _load_folder(root: Path, prefix: str) -> _Found | None:
    """``loadPythonManifest`` for one folder (ana0132:1897-1935)."""
    rel = _join(prefix, "pyproject.toml")
    data = _toml(root, rel, "PYTHON_PYPROJECT_PARSE_ERROR")
    if data is not None:
        lock = next(
            (_join(prefix, n) for n in ("uv.lock", "pylock.toml") if (root / prefix / n).is_file()),
            None,
        )
        is_root = ((data.get("tool") or {}).get("uv") or {}).get("workspace") is not None
        return _Found(rel, "pyproject.toml", data, lock, is_root)
    rel = _join(prefix, "Pipfile.lock")
    if (root / rel).is_file():
        return _Found(rel, "Pipfile.lock", {})
    rel = _join(prefix, "Pipfile")
    pipfile = _toml(root, rel, "PYTHON_PIPFILE_PARSE_ERROR")
    if pipfile is not None:
        return _Found(rel, "Pipfile", pipfile)
    for name in REQUIREMENTS_FILES:
        rel = _join(prefix, name)
        if (root / rel).is_file():
            return _Found(rel, "requirements", {})
    return None


def _is_member(parent: _Found, child: _Found) -> bool:
    """``findWorkspaceManifestFor`` membership test (ana0132:1843-1872)."""
    ws = ((parent.data.get("tool") or {}).get("uv") or {}).get("workspace")
    if not isinstance(ws, dict):
        return False
    raw_members, raw_exclude = ws.get("members"), ws.get("exclude")
    members: list[Any] = raw_members if isinstance(raw_members, list) else []
    exclude: list[Any] = raw_exclude if isinstance(raw_exclude, list) else []
    base = PurePosixPath(parent.path).parent
    rel = (
        str(PurePosixPath(child.path).parent.relative_to(base))
        if str(base) != "."
        else str(PurePosixPath(child.path).parent)
    )
    return any(fnmatch(rel, str(p)) for p in members) and not any(
        fnmatch(rel, str(p)) for p in exclude
    )


def _installs_project(data: dict[str, Any]) -> bool:
    """uv's packaging rule: ``tool.uv.package`` if set, else whether ``[build-system]`` exists."""
    package = ((data.get("tool") or {}).get("uv") or {}).get("package")
    if isinstance(package, bool):
        return package
    return "project" in data and "build-system" in data


def _sync_args(user_lock: bool) -> tuple[str, ...]:
    """``uv sync`` args (py6562:5395-5420 with py6562:11610-11616, off the build image)."""
    return (
        "sync",
        "--active",
        "--no-dev",
        "--link-mode",
        "hardlink",
        "--frozen" if user_lock else "--locked",
        "--python-platform",
        UV_LINUX_TARGET,
        "--no-editable",
    )


def select_manifest(project_root: Path, entrypoint: str) -> Manifest:
    """The manifest the builder installs from for ``entrypoint`` (a path relative to the root).

    Never raises for project content: parse failures come back as ``Manifest.error``.
    Raises ValueError when ``entrypoint`` lies outside ``project_root``.
    """
    entry_dir = PurePosixPath(entrypoint).parent
    if ".." in entry_dir.parts:
        raise ValueError("Entrypoint directory outside of repository root")
    prefix = "" if str(entry_dir) == "." else str(entry_dir)
    found: list[_Found] = []
    pyver_files: list[str] = []
    try:
        while True:
            pv = _join(prefix, ".python-version")
            if (project_root / pv).is_file():
                pyver_files.append(pv)
            here = _load_folder(project_root, prefix)
            if here is not None:
                found.append(here)
                if here.is_root:
                    break
            if prefix == "":
                break
            parent = str(PurePosixPath(prefix).parent)
            prefix = "" if parent == "." else parent
        if not found:
            return _no_manifest(project_root, pyver_files)
        return _build(project_root, found, pyver_files)
    except ManifestParseError as exc:
        return Manifest(
            kind="error",
            path=None,
            lock=None,
            project_dir="",
            log_line="",
            error=BuildError(exc.code, exc.message),
        )


def _no_manifest(root: Path, pyver_files: list[str]) -> Manifest:
    return Manifest(
        kind="none",
        path=None,
        lock=None,
        project_dir="",
        log_line="No Python manifest found; creating an empty pyproject.toml and uv.lock...",
        python_version_file=pyver_files[0] if pyver_files else None,
        notes=("the builder writes a pyproject.toml with no dependencies (py6562:6460-6478)",),
        digest=_digest(root),
        sync_args=_sync_args(False),
    )


def _build(root: Path, found: list[_Found], pyver_files: list[str]) -> Manifest:
    entry = found[0]
    workspace = entry
    if not entry.is_root:
        workspace = next((p for p in found[1:] if _is_member(p, entry)), entry)
    ws_dir = PurePosixPath(workspace.path).parent
    pyver = next(
        (
            f
            for f in pyver_files
            if str(ws_dir) == "." or PurePosixPath(f).parent.is_relative_to(ws_dir)
        ),
        None,
    )
    folder = str(PurePosixPath(entry.path).parent)
    folder = "" if folder == "." else folder
    hidden = tuple(
        _join(folder, n)
        for n in MANIFEST_FILES
        if _join(folder, n) != entry.path and (root / folder / n).is_file()
    )
    if entry.kind != "pyproject.toml" and (root / folder / "uv.lock").is_file():
        hidden += (_join(folder, "uv.lock"),)
    common: dict[str, Any] = {
        "path": entry.path,
        "project_dir": folder,
        "python_version_file": pyver,
        "hidden": hidden,
    }
    if entry.kind == "pyproject.toml":
        return _pyproject(root, entry, workspace.lock, common)
    return _converted(root, entry, common)


def _pyproject(root: Path, entry: _Found, lock: str | None, common: dict[str, Any]) -> Manifest:
    project = entry.data.get("project")
    notes: list[str] = []
    requires_python = project.get("requires-python") if isinstance(project, dict) else None
    if lock is not None:
        kind = PurePosixPath(lock).name
        data = _toml(root, lock, "PYTHON_UV_LOCK_PARSE_ERROR") or {}
        if kind == "uv.lock":
            name = project.get("name") if isinstance(project, dict) else None
            reqs = uv_lock_root_requirements(data, str(name) if name else None)
            if reqs is None:
                reqs = []
                notes.append("uv.lock has no root project entry: nothing of the project installs")
        else:
            reqs = pylock_requirements(data)
    else:
        kind = "pyproject.toml"
        reqs = (
            [str(d) for d in project.get("dependencies") or []] if isinstance(project, dict) else []
        )
    if not isinstance(project, dict):
        notes.append(
            "pyproject.toml has no [project] table (Poetry-only): the builder installs nothing "
            "from it; requirements.txt beside it is ignored"
        )
    elif project.get("optional-dependencies"):
        extras = ", ".join(sorted(project["optional-dependencies"]))
        notes.append(f"optional dependencies ({extras}) are never installed")
    return Manifest(
        kind=kind,
        lock=lock,
        log_line=f"Installing required dependencies from {kind}...",
        requirements=tuple(reqs),
        installs_project=_installs_project(entry.data),
        requires_python=requires_python,
        notes=tuple(notes),
        digest=_digest(root, entry.path, lock),
        sync_args=_sync_args(lock is not None),
        **common,
    )


def _converted(root: Path, entry: _Found, common: dict[str, Any]) -> Manifest:
    requires_python: str | None = None
    text = _read(root, entry.path) or ""
    if entry.kind == "Pipfile.lock":
        reqs, requires_python = parse_pipfile_lock(text)
        kind = "Pipfile.lock"
    elif entry.kind == "Pipfile":
        reqs = parse_pipfile(entry.data)
        kind = "Pipfile"
    else:
        base = root / PurePosixPath(entry.path).parent

        def read_include(rel: str) -> str | None:
            p = base / rel
            return p.read_text(encoding="utf-8") if p.is_file() else None

        reqs = parse_requirements(text, PurePosixPath(entry.path).name, read_include)
        # The log names ``manifest.origin.path`` (py6562:6431-6434), e.g. requirements/prod.txt.
        kind = entry.path
    return Manifest(
        kind=kind,
        lock=None,
        log_line=f"Installing required dependencies from {kind}...",
        requirements=tuple(reqs),
        requires_python=requires_python,
        converted=True,
        digest=_digest(root, entry.path),
        sync_args=_sync_args(False),
        **common,
    )
