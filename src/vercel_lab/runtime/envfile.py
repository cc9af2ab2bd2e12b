"""User environment variables from a project's ``.env`` file, as ``vercel dev`` reads them.

On Vercel itself the variables come from the project settings, not from a file; vercel-lab reads
``.env`` (and ``--env``) to stand in for them.
"""

from __future__ import annotations

import re
from pathlib import Path


def read_env_file(path: Path) -> dict[str, str]:
    """``KEY=VALUE`` lines of a ``.env`` file (``export``, quotes and ``#`` comments allowed).

    Raises :class:`ValueError` naming the file and line for a line that is not an assignment.
    """
    values: dict[str, str] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        line = line.removeprefix("export ").strip()
        key, sep, value = line.partition("=")
        key = key.strip()
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
            raise ValueError(f"{path}:{number}: not a KEY=VALUE line: {raw!r}")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        else:
            value = value.split(" #", 1)[0].rstrip()
        values[key] = value
    return values


#: The deployment targets of ``vercel pull`` / ``--target`` (Vercel's environments).
TARGETS: tuple[str, ...] = ("production", "preview", "development")


def pulled_env_file(project: Path, target: str) -> Path:
    """``.vercel/.env.<target>.local``: what ``vercel pull`` writes for ``target`` (the CLI's
    ``chunks/chunk-UDHYVIJL.js:100``) and what ``vercel build`` loads (build-cmd:1205-1226)."""
    return project / ".vercel" / f".env.{target}.local"


def collect_env(
    project: Path,
    *,
    target: str = "production",
    env_files: tuple[Path, ...] = (),
    env: dict[str, str] | None = None,
) -> tuple[dict[str, str], dict[str, str]]:
    """The function's user variables and where each came from (name -> source; never values).

    On Vercel they come from the project settings, never from a project ``.env`` (it is uploaded
    as a file, FACTS.md (d)). Lowest precedence first: the pulled
    ``.vercel/.env.<target>.local`` when it exists (source ``.vercel/.env.<target>.local``), each
    ``env_files`` in order (source ``--env-file <path>``), then ``env`` (source ``--env``).

    Raises ValueError for an unknown ``target``, a missing ``--env-file`` or a malformed line.
    """
    if target not in TARGETS:
        raise ValueError(f"--target must be one of {', '.join(TARGETS)}, not {target!r}")
    values: dict[str, str] = {}
    sources: dict[str, str] = {}
    pulled = pulled_env_file(project, target)
    layers: list[tuple[str, dict[str, str]]] = []
    if pulled.is_file():
        layers.append((f".vercel/.env.{target}.local", read_env_file(pulled)))
    for path in env_files:
        if not path.is_file():
            raise ValueError(f"--env-file {path}: no such file")
        layers.append((f"--env-file {path}", read_env_file(path)))
    layers.append(("--env", dict(env or {})))
    for source, layer in layers:
        for key, value in layer.items():
            values[key] = value
            sources[key] = source
    return values, sources
