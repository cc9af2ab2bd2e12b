"""What ``vercel build`` writes: the Build Output API v3 folder, read without running anything.

``.vercel/output`` holds ``config.json`` (the routes), ``static/`` (files served by the CDN) and
``functions/<route>.func/`` folders, each with a ``.vc-config.json`` naming its handler and
runtime (https://vercel.com/docs/build-output-api/v3). This module parses them and answers the
question Vercel's edge answers for every request: which static file or function serves a path,
and which path the function then sees.

:func:`resolve` follows the router of ``vercel dev`` (``devRouter`` and the phase loop of
``DevServer`` in vercel CLI 58.10.0, the "equivalent to now-proxy"), for the subset a Python
build writes: the ``null``, ``filesystem``, ``miss`` and ``error`` phases, ``dest`` with ``$1`` /
``$name`` parameters, ``check``, ``continue``, ``status`` (redirects included), ``headers`` and the
``request.path`` transform that framework presets use. Other transforms, ``has``/``missing``
conditions and middleware are not interpreted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Literal

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

    def lookup(self, path: str) -> tuple[Literal["static", "function"], str] | None:
        """What the filesystem phase finds at ``path`` (query ignored): a static file (also
        ``index.html`` of a folder) or a function (``/api`` also finds ``api/index``)."""
        bare = path.split("?", 1)[0].strip("/")
        for candidate in (bare, f"{bare}/index.html" if bare else "index.html"):
            if candidate in self.static_files:
                return "static", candidate
        for candidate in (bare, f"{bare}/index" if bare else "index"):
            if candidate in self.functions:
                return "function", candidate
        return None


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


@dataclass(frozen=True)
class Resolution:
    """Where the edge sends one request.

    ``kind`` is ``"static"`` (``target`` is a file under ``static/``), ``"function"`` (``target``
    is the function, ``path`` what it receives) or ``"status"`` (the routes answer by themselves:
    a redirect to ``location``, or an error status such as 404).
    """

    kind: Literal["static", "function", "status"]
    target: str = ""
    path: str = "/"
    status: int | None = None
    location: str | None = None
    headers: tuple[tuple[str, str], ...] = ()


@dataclass
class _Result:
    dest: str
    found: bool = False
    keep_going: bool = False  # `continue`
    user_dest: bool = False
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    new_path: str | None = None  # a request.path transform


_PARAMETER = re.compile(r"\$([1-9a-zA-Z]+)")

Lookup = Callable[[str], tuple[Literal["static", "function"], str] | None]


def _substitute(text: str, match: re.Match[str]) -> str:
    def value(found: re.Match[str]) -> str:
        name = found.group(1)
        if name in match.re.groupindex:
            return match.group(name) or ""
        if name.isdigit() and int(name) <= (match.re.groups or 0):
            return match.group(int(name)) or ""
        return ""

    return _PARAMETER.sub(value, text)


def _phase(
    routes: Sequence[Mapping[str, object]],
    path: str,
    lookup: Lookup,
    miss: Sequence[Mapping[str, object]],
    phase: str | None,
    headers: Mapping[str, str],
) -> _Result:
    """``devRouter``: the first route of one phase that ends routing, applied to ``path``."""
    current = path
    carried = dict(headers)
    new_path: str | None = None
    status: int | None = None
    last_continue = False  # devRouter's isContinue: reset at every route, set by `continue`
    for route in routes:
        last_continue = False
        src = route.get("src")
        if not isinstance(src, str):
            continue
        methods = route.get("methods")
        if isinstance(methods, list) and "GET" not in methods:
            continue  # the lab's requests are answered like GETs for routing purposes
        try:
            pattern = re.compile(src, re.IGNORECASE)
        except re.error:
            continue
        match = pattern.search(current) or pattern.search(current[1:])
        if match is None:
            continue
        transforms = route.get("transforms")
        for transform in transforms if isinstance(transforms, list) else []:
            if (
                isinstance(transform, dict)
                and transform.get("type") == "request.path"
                and transform.get("op") == "set"
                and isinstance(transform.get("args"), str)
            ):
                new_path = _substitute(str(transform["args"]), match)
        raw_dest = route.get("dest")
        dest = _substitute(raw_dest, match) if isinstance(raw_dest, str) else current
        route_headers = route.get("headers")
        if isinstance(route_headers, dict):
            for name, value in route_headers.items():
                carried[str(name).lower()] = _substitute(str(value), match)
        raw_status = route.get("status")
        route_status = raw_status if isinstance(raw_status, int) else None
        if route.get("continue"):
            status = route_status or status
            current = dest
            last_continue = True
            continue
        checked = (
            route.get("check")
            and phase != "hit"
            and not dest.startswith(("http://", "https://"))
            # A check route with a status (not in the miss phase) ends routing here.
            and not (route_status and phase != "miss")
        )
        if checked and lookup(dest) is None:
            if miss:
                result = _phase(miss, dest, lookup, (), "miss", carried)
                if result.found:
                    result.new_path = result.new_path or new_path
                    return result
            elif route_status and phase == "miss":
                status = route_status
            current = dest  # not there: the next routes see the rewritten path
            continue
        if not dest.startswith(("/", "http://", "https://")):
            dest = "/" + dest
        return _Result(
            dest, True, False, "dest" in route, route_status or status, carried, new_path
        )
    return _Result(current, False, last_continue, False, status, carried, new_path)


def _group(routes: Iterable[Mapping[str, object]]) -> dict[str | None, list[Mapping[str, object]]]:
    phases: dict[str | None, list[Mapping[str, object]]] = {}
    handle: str | None = None
    for route in routes:
        if "handle" in route:
            handle = str(route["handle"])
            phases.setdefault(handle, [])
            continue
        phases.setdefault(handle, []).append(route)
    return phases


def resolve(routes: Sequence[Mapping[str, object]], path: str, lookup: Lookup) -> Resolution:
    """Route request ``path`` (with query) through Build Output ``routes``; ``lookup`` is what
    the filesystem holds (:meth:`BuildOutput.lookup`). See the module docstring for the subset.

    A function receives the request's own path unless a ``request.path`` transform rewrote it
    (the framework presets' catch-all route does, with the path *after* earlier rewrites).
    """
    bare, _, query = path.partition("?")
    suffix = f"?{query}" if query else ""
    phases = _group(routes)
    miss, errors = phases.get("miss", []), phases.get("error", [])
    url, new_path = bare or "/", None
    headers: dict[str, str] = {}
    result = _Result(url)
    found = None
    for phase in (None, "filesystem"):
        result = _phase(phases.get(phase, []), url, lookup, miss, phase, headers)
        new_path = result.new_path or new_path
        headers = result.headers
        if result.keep_going:  # only a trailing `continue` carries the path to the next phase
            url = result.dest
        found = lookup(result.dest)
        exit_ = _exit_with_status(result, found, phase, headers)
        if exit_ is not None:
            return exit_
        if found is None and miss:
            result = _phase(miss, result.dest, lookup, (), "miss", headers)
            new_path = result.new_path or new_path
            found = lookup(result.dest)
            exit_ = _exit_with_status(result, found, "miss", headers)
            if exit_ is not None:
                return exit_
        if found is not None:
            break
        if phase is None and not phases.get("filesystem"):
            break
    status = result.status
    if found is None and errors:
        error_result = _phase(errors, result.dest, lookup, (), "error", headers)
        error_found = lookup(error_result.dest)
        if error_found is not None:
            found, status = error_found, error_result.status
    if found is None:
        return Resolution("status", status=status or 404, headers=tuple(headers.items()))
    kind, target = found
    seen = (new_path or bare or "/") + suffix
    return Resolution(kind, target, seen, status, None, tuple(headers.items()))


def _exit_with_status(
    result: _Result,
    found: tuple[str, str] | None,
    phase: str | None,
    headers: Mapping[str, str],
) -> Resolution | None:
    location = headers.get("location") or result.dest
    if result.status and 300 <= result.status <= 399 and location:
        return Resolution(
            "status", status=result.status, location=location, headers=tuple(headers.items())
        )
    if found is None and result.status and phase != "miss" and not result.user_dest:
        return Resolution("status", status=result.status, headers=tuple(headers.items()))
    return None


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
