"""Which project files reach the function: the CLI's upload filter, then the builder's excludes.

Upload (``vercel deploy``; @vercel/client bundled in the CLI, cli:chunks/chunk-IBIZT5M4.js):
  ``getVercelIgnore`` (46289-46363) ignores a fixed list (:data:`UPLOAD_DEFAULT_IGNORES`) plus
  the rules of ``.vercelignore`` (or ``.nowignore``; both → error ``CONFLICTING_IGNORE_FILES``),
  with gitignore semantics (npm ``ignore``); an ignored folder is not descended
  (``buildFileTree``, 46157-46175). ``.env`` is NOT in the list (``.env.local`` and
  ``.env.*.local`` are): a ``.env`` is uploaded unless ``.vercelignore`` names it. Symlinks are
  uploaded as symlinks: the file's data is the link text, its mode kept (``hashes``,
  37696-37712). ``.gitignore`` is not read by the CLI; a git-based deploy clones the repository,
  so git-ignored files are absent there (``git_based`` option; modelled as ``.gitignore`` rules).
  Local `vercel build` reads neither (verified: a ``.vercelignore``d template and ``.env.local``
  were in the local bundle's ``filePathMap``).

Bundle (@vercel/python 6.56.2): every uploaded file except :data:`BUILDER_EXCLUDES`
  (py6562:11894-11911) and ``config.excludeFiles`` when it is a *string* (py6562:11936-11939;
  6.56.2 ignores an array and has no ``includeFiles`` handling: everything else is in already).
  ``public/**`` is left out of the function because it is published as static files.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pathspec

UPLOAD_DEFAULT_IGNORES = (
    ".hg",
    ".git",
    ".gitmodules",
    ".svn",
    ".cache",
    ".next",
    ".now",
    ".vercel",
    ".npmignore",
    ".dockerignore",
    ".gitignore",
    ".*.swp",
    ".DS_Store",
    ".wafpicke-*",
    ".lock-wscript",
    ".env.local",
    ".env.*.local",
    ".venv",
    ".yarn/cache",
    ".pnp*",
    "npm-debug.log",
    "config.gypi",
    "node_modules",
    "__pycache__",
    "venv",
    "CVS",
)
BUILDER_EXCLUDES = (
    ".git/**",
    ".gitignore",
    ".vercel/**",
    ".pnpm-store/**",
    "**/node_modules/**",
    "**/.next/**",
    "**/.nuxt/**",
    "**/.venv/**",
    "**/venv/**",
    "**/__pycache__/**",
    "**/.mypy_cache/**",
    "**/.ruff_cache/**",
    "**/public/**",
    "**/pnpm-lock.yaml",
    "**/yarn.lock",
    "**/package-lock.json",
)


class ConflictingIgnoreFiles(Exception):
    """Both ``.vercelignore`` and ``.nowignore`` exist (the CLI's ``CONFLICTING_IGNORE_FILES``)."""

    message = (
        "Cannot use both a `.vercelignore` and `.nowignore` file. Please delete the `.nowignore` "
        "file."
    )


@dataclass(frozen=True)
class BundleConfig:
    """Options: ``exclude_files`` is ``functions.<entry>.excludeFiles`` / builder config
    (a string glob; lists are ignored by 6.56.2), ``git_based`` applies ``.gitignore``."""

    exclude_files: str | list[str] | None = None
    git_based: bool = False


@dataclass(frozen=True)
class FileSet:
    """``included``: sorted relative posix paths in the function bundle; ``excluded``: path →
    reason (``upload-default:<rule>``, ``.vercelignore``, ``.gitignore``, ``builder:<glob>``,
    ``excludeFiles``); ``symlinks``: included path → link text; ``static``: ``public/`` files."""

    included: tuple[str, ...]
    excluded: dict[str, str] = field(default_factory=dict)
    symlinks: dict[str, str] = field(default_factory=dict)
    static: tuple[str, ...] = ()


def glob_to_regex(pattern: str) -> re.Pattern[str]:
    """A minimatch glob (``dot: true``) as an anchored regex: ``**/`` any folders, ``*`` one
    segment, ``?`` one character."""
    out = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out += "(?:.*/)?"
            i += 3
        elif pattern.startswith("/**", i) and i + 3 == len(pattern):
            out += "(?:/.*)?"
            i += 3
        elif pattern.startswith("**", i):
            out += ".*"
            i += 2
        elif pattern[i] == "*":
            out += "[^/]*"
            i += 1
        elif pattern[i] == "?":
            out += "[^/]"
            i += 1
        else:
            out += re.escape(pattern[i])
            i += 1
    return re.compile(f"^{out}$")


def _spec(lines: list[str]) -> pathspec.GitIgnoreSpec:
    return pathspec.GitIgnoreSpec.from_lines(
        [re.sub(r"^\./", "", ln) for ln in lines]  # clearRelative (46365)
    )


def _read_lines(path: Path) -> list[str] | None:
    return path.read_text(encoding="utf-8").splitlines() if path.is_file() else None


def bundle_files(project_root: Path, config: BundleConfig | None = None) -> FileSet:
    """Files of ``project_root`` in the deployed function, and why each other file is not.

    Raises ConflictingIgnoreFiles when both ignore files exist (the CLI refuses to deploy).
    Reads only names, ignore files and link texts; never follows symlinked folders.
    """
    config = config or BundleConfig()
    user = _read_lines(project_root / ".vercelignore")
    now = _read_lines(project_root / ".nowignore")
    if user is not None and now is not None and any(user) and any(now):
        raise ConflictingIgnoreFiles(ConflictingIgnoreFiles.message)
    defaults = _spec(list(UPLOAD_DEFAULT_IGNORES))
    user_spec = _spec(user if user is not None else now or [])
    git_spec = _spec(_read_lines(project_root / ".gitignore") or []) if config.git_based else None
    builder = [(g, glob_to_regex(g)) for g in BUILDER_EXCLUDES]
    extra = config.exclude_files if isinstance(config.exclude_files, str) else None
    extra_re = glob_to_regex(extra) if extra else None

    def upload_reason(rel: str, is_dir: bool) -> str | None:
        probe = rel + "/" if is_dir else rel
        if defaults.match_file(probe):
            return "upload-default"
        if user_spec.match_file(probe):
            return ".vercelignore" if user is not None else ".nowignore"
        if git_spec is not None and git_spec.match_file(probe):
            return ".gitignore"
        return None

    included: list[str] = []
    static: list[str] = []
    excluded: dict[str, str] = {}
    symlinks: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(project_root, followlinks=False):
        base = PurePosixPath(Path(dirpath).relative_to(project_root).as_posix())
        keep: list[str] = []
        for d in sorted(dirnames):
            rel = str(base / d) if str(base) != "." else d
            full = Path(dirpath) / d
            if full.is_symlink():
                filenames.append(d)
                continue
            reason = upload_reason(rel, True)
            if reason is None:
                keep.append(d)
            else:
                excluded[rel + "/"] = reason
        dirnames[:] = keep
        for f in sorted(filenames):
            rel = str(base / f) if str(base) != "." else f
            reason = upload_reason(rel, False)
            if reason is None:
                hit = next((g for g, rx in builder if rx.match(rel)), None)
                if hit == "**/public/**":
                    static.append(rel)
                    continue
                if hit is not None:
                    reason = f"builder:{hit}"
                elif extra_re is not None and extra_re.match(rel):
                    reason = "excludeFiles"
            if reason is not None:
                excluded[rel] = reason
                continue
            included.append(rel)
            full = Path(dirpath) / f
            if full.is_symlink():
                symlinks[rel] = os.readlink(full)
    return FileSet(tuple(sorted(included)), excluded, symlinks, tuple(sorted(static)))
