"""The function's files: a staged copy of exactly the files Vercel's bundle holds.

A function runs from this copy, never from the user's project: a file the bundle leaves out
(``.vercelignore``, the upload's default ignores, the builder's excludes,
:mod:`vercel_lab.builder.files`) does not exist for it, and no write of the function (nor of a
subprocess it starts, which the read-only audit hook does not see) can reach the user's files.

Files are copied, never hard-linked (a hard link shares the user's data): ``shutil.copy2``,
which uses the kernel's in-kernel copy where it can; symlinks are recreated as symlinks with the
same link text, as the CLI uploads them (FACTS.md (c): ``hashes``, client:37696-37712), when
they point inside the project. A link that points outside it (the examples share folders that
way) is copied as what it points to: a git-based deploy of the repository with a Root Directory
sees those files, and ``nox -s vercel-build`` builds copies with links resolved (modelled).

The copy is cached by content: ``<cache>/stage/<key>/`` where the key is a sha256 over every
included path, its mode and its bytes (a link's text). It is built in a temporary folder and
renamed into place, so an interrupted copy leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from pathlib import Path

from vercel_lab.builder.files import FileSet

__all__ = ["content_key", "stage"]


_SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", ".git", ".venv", "node_modules")


def _outside(root: Path, rel: str) -> Path | None:
    """What the link ``rel`` points to when that lies outside ``root`` (else None)."""
    target = (root / rel).resolve()
    return None if target.is_relative_to(root.resolve()) or not target.exists() else target


def _hash_file(digest: hashlib._Hash, path: Path) -> None:
    digest.update(f"{stat.S_IMODE(path.stat().st_mode):o}\0".encode())
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    digest.update(b"\0")


def content_key(root: Path, files: FileSet) -> str:
    """sha256 (hex) over the included paths, modes and contents (link texts for links inside
    the project, the files they point to for links outside it)."""
    digest = hashlib.sha256()
    for rel in files.included:
        path = root / rel
        digest.update(rel.encode() + b"\0")
        outside = _outside(root, rel) if rel in files.symlinks else None
        if rel in files.symlinks and outside is None:
            digest.update(b"link\0" + files.symlinks[rel].encode() + b"\0")
        elif outside is not None and outside.is_dir():
            for sub in sorted(outside.rglob("*")):
                if sub.is_file() and "__pycache__" not in sub.parts:
                    digest.update(sub.relative_to(outside).as_posix().encode() + b"\0")
                    _hash_file(digest, sub)
        else:
            _hash_file(digest, path)
    return digest.hexdigest()


def stage(root: Path, files: FileSet, cache_dir: Path) -> Path:
    """The folder holding a copy of ``files`` of ``root`` (created once per content).

    Raises OSError when a file cannot be read or the cache cannot be written.
    """
    final = cache_dir / content_key(root, files)
    if (final / ".vercel-lab-staged").is_file():
        return final / "task"
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = cache_dir / f".tmp-{final.name[:16]}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        task = tmp / "task"
        task.mkdir(parents=True)
        for rel in files.included:
            target = task / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            outside = _outside(root, rel) if rel in files.symlinks else None
            if outside is not None and outside.is_dir():
                shutil.copytree(outside, target, ignore=_SKIP)
            elif rel in files.symlinks and outside is None:
                os.symlink(files.symlinks[rel], target)
            else:
                shutil.copy2(root / rel, target)
        (tmp / ".vercel-lab-staged").write_text("\n".join(files.included) + "\n")
        try:
            os.rename(tmp, final)
        except OSError:
            if not (final / ".vercel-lab-staged").is_file():
                raise
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final / "task"
