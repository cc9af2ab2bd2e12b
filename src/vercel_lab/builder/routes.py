"""The routes ``vercel build`` writes into ``.vercel/output/config.json``, computed.

``plan_routes`` = ``mergeRoutes({userRoutes: getTransformedRoutes(vercel.json), builds:
[zero-config routes, builder routes]})`` as in vercel CLI 58.10.0 ``dist/commands/build/
index.js:1458`` (user routes), ``1488-1566`` (zero-config routes from ``detectBuilders``),
``2326-2354`` (merge). Sources of each part:

- zero-config routes: ``getRouteResult`` / ``createRouteFromPath`` of ``@vercel/fs-detectors``
  (``dist/chunks/chunk-IBIZT5M4.js:30423-30543``), called with ``featHandleMiss: true``;
- the Python preset's catch-all with its ``request.path`` transform: ``@vercel/python`` 6.56.2
  ``dist/index.js:12453-12474`` (function named after the preset: ``/flask``, ``/python``...);
- ``appendRoutesToPhase`` / ``mergeRoutes``: ``@vercel/routing-utils``
  (``chunk-IBIZT5M4.js:21563-21602``, ``21664-21715``).

A ``builds`` project gets its user routes alone (the CLI adds no zero-config routes and
``@vercel/python`` returns none for a ``builds`` entry). Not modelled: services, middleware,
Next.js/Gatsby specifics, non-Python builders, ``.vercelignore``.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vercel_lab.builder._scan import walk
from vercel_lab.builder.config import PYTHON_FRAMEWORKS
from vercel_lab.builder.entrypoint import Entrypoint
from vercel_lab.builder.frameworks import framework
from vercel_lab.builder.routing import Filesystem
from vercel_lab.builder.userroutes import Route, transformed_routes

__all__ = [
    "PYTHON_PRESETS",
    "Output",
    "function_name",
    "ignores_api_functions",
    "is_platform_file",
    "merge_routes",
    "plan_output",
    "preset_routes",
]

#: ``PYTHON_FRAMEWORKS`` of ``@vercel/build-utils`` (``framework-helpers.js``).
PYTHON_PRESETS = frozenset(PYTHON_FRAMEWORKS)
_framework = framework


def ignores_api_functions(slug: str | None) -> bool:
    """Whether the preset's ``ignoreRuntimes`` drops ``api/*.py`` functions (``detectBuilders``,
    ``chunk-IBIZT5M4.js:29752``): fastapi, flask, django, python do; fasthtml does not."""
    return "@vercel/python" in (_framework(slug).get("ignoreRuntimes") or [])


def _is_handler(route: Mapping[str, Any]) -> bool:
    return "handle" in route


def append_routes_to_phase(
    routes: Sequence[Route], new_routes: Sequence[Route] | None, phase: str | None
) -> list[Route]:
    """``appendRoutesToPhase``: ``new_routes`` at the end of ``phase`` (created if absent)."""
    out = list(routes)
    if not new_routes:
        return out
    in_phase, insert_at = False, -1
    for i, route in enumerate(out):
        if _is_handler(route):
            if route["handle"] == phase:
                in_phase = True
            elif in_phase:
                insert_at, in_phase = i, False
    if in_phase:
        out.extend(new_routes)
    elif phase is None:
        first = next((i for i, r in enumerate(out) if _is_handler(r) and r["handle"]), -1)
        if first == -1:
            out.extend(new_routes)
        else:
            out[first:first] = list(new_routes)
    elif insert_at > -1:
        out[insert_at:insert_at] = list(new_routes)
    else:
        out.append({"handle": phase})
        out.extend(new_routes)
    return out


def _by_handle(routes: Iterable[Route], into: dict[str | None, list[Route]]) -> None:
    handle: str | None = None
    for route in routes:
        if _is_handler(route):
            handle = str(route["handle"])
            continue
        into.setdefault(handle, []).append(route)


def merge_routes(
    user_routes: Sequence[Route] | None, builds: Sequence[tuple[str, str, Sequence[Route]]]
) -> list[Route]:
    """``mergeRoutes``: ``builds`` are ``(entrypoint, use, routes)``. Per phase (null first, then
    the user's phases, then the builders'; builders sorted by entrypoint, then by ``use``):
    builders' ``continue`` routes, the user's routes, builders' ``check`` routes, the rest."""
    user: dict[str | None, list[Route]] = {}
    _by_handle(user_routes or [], user)
    builder: dict[str | None, list[Route]] = {}
    grouped: dict[str, dict[str, Sequence[Route]]] = {}
    for entrypoint, use, routes in builds:
        grouped.setdefault(entrypoint, {})[use] = routes
    for entrypoint in sorted(grouped):
        for use in sorted(grouped[entrypoint]):
            _by_handle(grouped[entrypoint][use], builder)
    handles: list[str | None] = [None]
    for handle in [*user, *builder]:
        if handle not in handles:
            handles.append(handle)
    out: list[Route] = []
    for handle in handles:
        mine, theirs = user.get(handle, []), builder.get(handle, [])
        if handle is not None and (mine or theirs):
            out.append({"handle": handle})
        out.extend(
            r
            for r in theirs
            if r.get("continue")
            and not r.get("override")
            and not (r.get("check") and not r.get("override"))
        )
        out.extend(mine)
        out.extend(r for r in theirs if r.get("check") and not r.get("override"))
        out.extend(
            r for r in theirs if r.get("override") or not (r.get("check") or r.get("continue"))
        )
    return out


def _escape_name(name: str) -> str:
    for char in "[]^$.|?*+()":
        name = name.replace(char, "\\" + char)
    return name


def _segment_name(segment: str) -> str | None:
    stem = posixpath.splitext(segment)[0]
    return stem[1:-1] if stem.startswith("[") and stem.endswith("]") else None


def _route_from_path(file: str, clean_urls: bool) -> tuple[Route, bool]:
    """``createRouteFromPath(file, featHandleMiss=true, cleanUrls)``: (route, is_dynamic)."""
    parts = file.split("/")
    counter, query, dynamic, src_parts = 1, [], False, []
    for i, segment in enumerate(parts):
        name = _segment_name(segment)
        if name is not None:
            query.append(f"{name}=${counter}")
            counter += 1
            dynamic = True
            src_parts.append("([^/]+)")
        elif i == len(parts) - 1:
            stem, ext = posixpath.splitext(segment)
            is_index = stem == "index"
            prefix = "/" if is_index else ""
            names = [
                prefix if is_index else f"{stem}/",
                prefix + _escape_name(stem),
                "" if clean_urls else prefix + _escape_name(stem) + _escape_name(ext),
            ]
            src_parts.append(f"({'|'.join(n for n in names if n)}){'?' if is_index else ''}")
        else:
            src_parts.append(segment)
    stem, ext = posixpath.splitext(file)
    if posixpath.basename(stem) == "index":
        src = f"^/{'/'.join(src_parts[:-1])}{src_parts[-1]}$"
    else:
        src = f"^/{'/'.join(src_parts)}$"
    qs = ("?" + "&".join(query)) if query else ""
    return {
        "src": src,
        "dest": f"/{file[: -len(ext)] if ext else file}{qs}",
        "check": True,
    }, dynamic


def _zero_config_routes(
    framework: str | None, api_files: Sequence[str], config: Mapping[str, Any]
) -> list[Route]:
    """``getRouteResult`` then the CLI's assembly of its four lists (build/index.js:1535-1565)."""
    clean, trailing = bool(config.get("cleanUrls")), config.get("trailingSlash")
    redirect_routes: list[Route] = []
    rewrite_routes: list[Route] = []
    default_routes: list[Route] = []
    ignore_runtimes = "ignoreRuntimes" in _framework(framework)
    if api_files:
        exts = sorted({posixpath.splitext(f)[1] for f in api_files if posixpath.splitext(f)[1]})
        if exts:
            group = "(?:\\.(?:" + "|".join(e[1:] for e in exts) + "))"
            if clean:
                redirect_routes.append(
                    {
                        "src": f"^/(api(?:.+)?)/index{group}?/?$",
                        "headers": {"Location": "/$1/" if trailing else "/$1"},
                        "status": 308,
                    }
                )
                redirect_routes.append(
                    {
                        "src": f"^/api/(.+){group}/?$",
                        "headers": {"Location": "/api/$1/" if trailing else "/api/$1"},
                        "status": 308,
                    }
                )
            else:
                default_routes.append({"handle": "miss"})
                default_routes.append(
                    {"src": f"^/api/(.+){group}$", "dest": "/api/$1", "check": True}
                )
        for file in sorted(api_files, key=_segment_sort_key):
            route, dynamic = _route_from_path(file, clean)
            if dynamic:
                rewrite_routes.append(route)
        if not ignore_runtimes:
            rewrite_routes.append({"src": "^/api(/.*)?$", "status": 404})
    error_routes: list[Route] = [
        {"status": 404, "src": "^(?!/api).*$", "dest": "/404" if clean else "/404.html"}
    ]
    routes: list[Route] = [*redirect_routes]
    routes.extend(append_routes_to_phase([], rewrite_routes, "filesystem"))
    routes = append_routes_to_phase(routes, error_routes, "error")
    routes.extend(default_routes)
    return routes


def _segment_sort_key(file: str) -> tuple[int, int]:
    """``sortFilesBySegmentCount``: more segments first, fewer dynamic segments first."""
    parts = file.split("/")
    dynamic = 0
    for part in parts:
        dynamic = dynamic + 1 if _segment_name(part) else 0
    return (-len(parts), dynamic)


def preset_routes(framework: str) -> list[Route]:
    """The routes ``@vercel/python`` returns for a Python preset: the filesystem, then every
    path to the one function, which sees the path *after* rewrites (``request.path``)."""
    return [
        {"handle": "filesystem"},
        {
            "src": "/(.*)",
            "dest": f"/{framework}",
            "transforms": [{"type": "request.path", "op": "set", "args": "/$1"}],
        },
    ]


def function_name(entry: Entrypoint, preset: str | None) -> str:
    """The output name of ``entry``'s function (``functions/<name>.func``): ``api/index`` for a
    zero-config ``api/index.py``; the file itself for a ``builds`` entry (``api/index.py``);
    the preset's slug for a preset's app (``flask``; ``python`` when the app was named by
    ``--entrypoint`` under "Other", modelled: ``@vercel/python`` names it
    ``framework ?? "python"``, py6 ``dist/index.js:12451-12475``)."""
    if entry.kind == "api":
        return posixpath.splitext(entry.file)[0]
    if entry.kind == "build":
        return entry.file
    return preset if preset in PYTHON_PRESETS and preset is not None else "python"


def plan_routes(
    preset: str | None, config: Mapping[str, Any], entrypoints: Sequence[Entrypoint]
) -> list[Route]:
    """The ``routes`` of ``config.json``: ``config`` is the raw ``vercel.json``, ``preset`` the
    preset the build uses, ``entrypoints`` the functions planned.

    Raises ``PathPatternError`` (a ValueError) for a
    source ``path-to-regexp`` rejects.
    """
    user = transformed_routes(config)
    if any(e.kind == "build" for e in entrypoints):
        return merge_routes(user, [])
    api_files = [e.file for e in entrypoints if e.kind == "api"]
    builds: list[tuple[str, str, Sequence[Route]]] = []
    zero = _zero_config_routes(preset, [] if ignores_api_functions(preset) else api_files, config)
    if zero:
        builds.append(("/", "@vercel/zero-config-routes", zero))
    apps = [e for e in entrypoints if e.kind == "app"]
    if apps:
        name = function_name(apps[0], preset)
        src = str((_framework(name).get("useRuntime") or {}).get("src", "<detect>"))
        builds.append((src, "@vercel/python", preset_routes(name)))
    return merge_routes(user, builds)


@dataclass(frozen=True)
class Output:
    """What the build output holds, computed: the ``routes`` of ``config.json``; the
    ``filesystem`` the router checks; ``functions`` (output name -> its entrypoint); and
    ``static_root``, the project folder the static files come from (``"public"``, or ``""``
    for the project itself)."""

    routes: tuple[Route, ...]
    filesystem: Filesystem
    functions: Mapping[str, Entrypoint]
    static_root: str


#: Files the zero-config static build leaves out: ``REGEX_NON_VERCEL_PLATFORM_FILES`` and the
#: ``api/`` folder of ``detectBuilders`` (``chunk-IBIZT5M4.js:29848-``), plus ``vercel.json``.
_PLATFORM = re.compile(
    r"^(api/|node_modules/|middleware\.[jt]s$|package\.json$|package-lock\.json$|yarn\.lock$"
    r"|pnpm-lock\.yaml$|bun\.lockb?$|\.gitignore$|README\.md$|vercel\.json$)"
)


def is_platform_file(path: str) -> bool:
    """True for a project file (POSIX, relative) that the zero-config static build never
    publishes (``_PLATFORM``: ``api/``, lock files, ``README.md``, ``vercel.json``...)."""
    return _PLATFORM.search(path) is not None


def _static(
    root: Path, preset: str | None, entrypoints: Sequence[Entrypoint]
) -> tuple[frozenset[str], str]:
    if any(e.kind == "build" for e in entrypoints):
        return frozenset(), ""  # only a @vercel/static build would publish files
    public = frozenset(walk(root, "public"))
    if public or preset in PYTHON_PRESETS:
        return frozenset(f.removeprefix("public/") for f in public), "public"
    if not entrypoints:
        return frozenset(), ""  # a static-only deployment: not modelled
    return frozenset(f for f in walk(root) if not _PLATFORM.search(f)), ""


def plan_output(
    root: Path, preset: str | None, config: Mapping[str, Any], entrypoints: Sequence[Entrypoint]
) -> Output:
    """The build output of a project at ``root`` (see :class:`Output`). Static files: under a
    Python preset ``public/**``; otherwise ``public/**`` when ``public/`` has files, else every
    file that is not the platform's (``detectBuilders``' ``@vercel/static``; verified on the real
    build of a Pipfile project, which publishes ``Pipfile``). Raises ValueError as
    :func:`plan_routes` does."""
    functions = {function_name(e, preset): e for e in entrypoints}
    static, static_root = _static(root, preset, entrypoints)
    routes = tuple(plan_routes(preset, config, entrypoints))
    return Output(routes, Filesystem(static, frozenset(functions)), functions, static_root)
