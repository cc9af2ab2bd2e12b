"""What ``vercel build`` writes: the Build Output API v3 folder, read without running anything.

``.vercel/output`` holds ``config.json`` (the routes), ``static/`` (files served by the CDN) and
``functions/<route>.func/`` folders, each with a ``.vc-config.json`` naming its handler and
runtime (https://vercel.com/docs/build-output-api/v3). This module parses them and answers the
question Vercel's edge answers for every request: which static file or function serves a path,
and which path the function then sees.

:func:`resolve` sends a request through the real ``config.json`` with the one router
(:func:`vercel_lab.builder.routing.resolve`, which follows ``vercel dev``'s ``devRouter``) that
the emulation uses for the routes it computes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Literal

from vercel_lab.builder import routing
from vercel_lab.builder.routing import Filesystem, Resolution

__all__ = [
    "BuildOutput",
    "FunctionConfig",
    "Resolution",
    "is_leaked_source",
    "leaked_sources",
    "parse_vc_config",
    "read_build_output",
    "read_vc_config",
    "resolve",
    "trampoline_entrypoint",
]

#: The handler every ``@vercel/python`` function has: the generated trampoline module.
PYTHON_HANDLER = "vc__handler__python.vc_handler"


# -- .vc-config.json ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FunctionConfig:
    """The parts of a function's ``.vc-config.json`` that decide how it runs."""

    handler: str  # "module.attribute", e.g. "vc__handler__python.vc_handler"
    runtime: str  # "python3.12"
    max_duration: float | None = None
    environment: Mapping[str, str] = field(default_factory=dict)
    # Files of a non-standalone build: path in the function -> path relative to the project.
    file_path_map: Mapping[str, str] = field(default_factory=dict)

    @property
    def python_version(self) -> tuple[int, int] | None:
        """``(3, 12)`` for runtime ``"python3.12"``; None for a runtime that is not Python."""
        match = re.fullmatch(r"python(\d+)\.(\d+)", self.runtime)
        return (int(match.group(1)), int(match.group(2))) if match else None


def parse_vc_config(data: object, source: str = ".vc-config.json") -> FunctionConfig:
    """A :class:`FunctionConfig` from the parsed JSON of a ``.vc-config.json``.

    Raises :class:`ValueError` naming ``source`` when it is not an object, ``handler`` or
    ``runtime`` is missing or not a string, ``maxDuration`` is not a positive number, or
    ``environment`` / ``filePathMap`` is not an object of strings.
    """
    if not isinstance(data, dict):
        raise ValueError(f"{source}: expected a JSON object")
    handler, runtime = data.get("handler"), data.get("runtime")
    if not isinstance(handler, str) or "." not in handler:
        raise ValueError(f'{source}: "handler" must be a string like "module.function"')
    if not isinstance(runtime, str) or not runtime:
        raise ValueError(f'{source}: "runtime" must be a string like "python3.12"')
    duration = data.get("maxDuration")
    if duration is not None and (
        isinstance(duration, bool) or not isinstance(duration, int | float) or duration <= 0
    ):
        raise ValueError(f'{source}: "maxDuration" must be a positive number of seconds')
    return FunctionConfig(
        handler=handler,
        runtime=runtime,
        max_duration=None if duration is None else float(duration),
        environment=_strings(data, "environment", source),
        file_path_map=_strings(data, "filePathMap", source),
    )


def _strings(data: dict[str, object], key: str, source: str) -> dict[str, str]:
    value = data.get(key, {})
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ValueError(f'{source}: "{key}" must be an object of strings')
    return dict(value)


def read_vc_config(func_dir: Path) -> FunctionConfig:
    """Parse ``func_dir/.vc-config.json``; FileNotFoundError when ``func_dir`` is no function."""
    path = Path(func_dir) / ".vc-config.json"
    if not path.is_file():
        raise FileNotFoundError(f"not a function folder (no .vc-config.json): {func_dir}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: not valid JSON: {exc}") from exc
    return parse_vc_config(data, str(path))


_TRAMPOLINE_VALUE = r'"{name}"\s*:\s*"([^"]*)"'


def trampoline_entrypoint(source: str) -> tuple[str, str]:
    """``(file, variable)`` that a generated ``vc__handler__python.py`` hands to ``vc_init``
    (its ``__VC_HANDLER_ENTRYPOINT`` and ``__VC_HANDLER_VARIABLE_NAME``).

    Raises :class:`ValueError` when the text sets neither (not ``@vercel/python``'s trampoline).
    """
    found = []
    for name in ("__VC_HANDLER_ENTRYPOINT", "__VC_HANDLER_VARIABLE_NAME"):
        match = re.search(_TRAMPOLINE_VALUE.format(name=name), source)
        if match is None:
            raise ValueError(f"not a @vercel/python trampoline: it does not set {name}")
        found.append(match.group(1))
    return found[0], found[1]


# -- the output folder --------------------------------------------------------------------------


@dataclass(frozen=True)
class BuildOutput:
    """A ``.vercel/output`` folder: its routes, static files and functions."""

    root: Path
    routes: tuple[dict[str, object], ...]
    static_files: frozenset[str]  # POSIX paths relative to static/
    functions: Mapping[str, Path]  # "api/index" -> .../functions/api/index.func

    @property
    def filesystem(self) -> Filesystem:
        """What the router's filesystem check sees: the static files and the function names."""
        return Filesystem(self.static_files, frozenset(self.functions))

    def lookup(self, path: str) -> tuple[Literal["static", "function"], str] | None:
        """What the filesystem phase finds at ``path`` (query ignored): a static file (also
        ``index.html`` of a folder) or a function (``/api`` also finds ``api/index``)."""
        return routing.lookup(self.filesystem, path)


def function_folders(functions_dir: Path) -> list[Path]:
    """The ``.func`` folders (with a ``.vc-config.json``) under ``functions_dir``, sorted."""
    if not functions_dir.is_dir():
        return []
    return sorted(p for p in functions_dir.rglob("*.func") if (p / ".vc-config.json").is_file())


def read_build_output(root: Path) -> BuildOutput:
    """Read ``root`` (a ``.vercel/output`` folder). Raises FileNotFoundError without a
    ``config.json`` and :class:`ValueError` when its ``routes`` is not a list of objects."""
    root = Path(root)
    config_path = root / "config.json"
    if not config_path.is_file():
        raise FileNotFoundError(f"not a build output folder (no config.json): {root}")
    config = json.loads(config_path.read_text(encoding="utf-8"))
    routes = config.get("routes", []) if isinstance(config, dict) else None
    if not isinstance(routes, list) or not all(isinstance(r, dict) for r in routes):
        raise ValueError(f'{config_path}: "routes" must be a list of objects')
    static = root / "static"
    files = (
        frozenset(p.relative_to(static).as_posix() for p in static.rglob("*") if not p.is_dir())
        if static.is_dir()
        else frozenset()
    )
    functions_dir = root / "functions"
    functions = {
        p.relative_to(functions_dir).as_posix().removesuffix(".func"): p
        for p in function_folders(functions_dir)
    }
    return BuildOutput(root, tuple(routes), files, functions)


# -- routing ------------------------------------------------------------------------------------


def resolve(output: BuildOutput, path: str) -> Resolution:
    """Where request ``path`` (with query) goes through ``output``'s real ``config.json``: the
    one router the emulation uses too (:func:`vercel_lab.builder.routing.resolve`)."""
    return routing.resolve(output.routes, path, output.filesystem)


# -- what must never be published -------------------------------------------------------------

# A settings file in a configuration format: settings.json, local_settings.toml, settings.prod.yml.
_SETTINGS = re.compile(r"^([\w-]+[_-])?settings(\.[\w-]+)*\.(json|toml|ya?ml|ini|cfg|conf)$")


def is_leaked_source(relative: str) -> bool:
    """Whether a file under ``static/`` is one that must never be public: Python source or
    bytecode, a ``.env`` file, a SQLite database, or a settings file (``settings.json``,
    ``local_settings.toml``...). Case is ignored."""
    name = PurePosixPath(relative).name.lower()
    return (
        name.endswith((".py", ".pyc", ".pyo", ".sqlite3", ".sqlite"))
        or name == ".env"
        or name.startswith(".env.")
        or _SETTINGS.match(name) is not None
    )


def leaked_sources(static_files: Iterable[str]) -> list[str]:
    """The files of ``static_files`` that :func:`is_leaked_source` flags, sorted."""
    return sorted(f for f in static_files if is_leaked_source(f))
