"""Which function serves a request path: ``vercel.json`` rewrites, then the functions' routes.

Rewrite sources use path-to-regexp syntax (https://vercel.com/docs/project-configuration#rewrites);
the subset here covers what Python projects use: literal segments, ``(.*)``-style groups,
``:name``, ``:name*`` and ``:name+``. A rewrite changes which function runs, not the path the
function sees: Django behind ``{"source": "/(.*)", "destination": "/api/index"}`` still receives
``/about/``.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from functools import lru_cache

from vercel_lab.builder._scan import dynamic_segment
from vercel_lab.builder.entrypoint import Entrypoint

_PARAM = re.compile(r":([A-Za-z_]\w*)([*+?]?)")


@lru_cache(maxsize=256)
def source_pattern(source: str) -> re.Pattern[str]:
    """Compile a rewrite ``source`` (path-to-regexp subset) to an anchored regular expression."""
    out: list[str] = []
    index = 0
    while index < len(source):
        char = source[index]
        if char == "(":
            depth, end = 1, index + 1
            while end < len(source) and depth:
                depth += {"(": 1, ")": -1}.get(source[end], 0)
                end += 1
            out.append(source[index:end])  # a regex group, kept as written
            index = end
            continue
        match = _PARAM.match(source, index)
        if match:
            modifier = match.group(2)
            if modifier in ("*", "+"):
                out.append(f"(?P<{match.group(1)}>.{modifier})")
            else:
                out.append(f"(?P<{match.group(1)}>[^/]+){modifier}")
            index = match.end()
            continue
        out.append(re.escape(char))
        index += 1
    return re.compile("".join(out) + "/?")


def legacy_route(path: str, routes: Sequence[object]) -> str:
    """The destination of the first legacy ``routes`` entry (vercel.json v2) whose ``src``
    matches ``path``, or ``path`` itself. ``src`` there is a regular expression anchored at both
    ends, and ``dest`` may use its groups (``$1``); entries without ``dest`` (``handle``,
    ``headers`` only) do not change the destination."""
    bare = path.split("?", 1)[0]
    for entry in routes:
        if not isinstance(entry, dict):
            continue
        source, destination = entry.get("src"), entry.get("dest")
        if not isinstance(source, str) or not isinstance(destination, str):
            continue
        try:
            match = re.fullmatch(source, bare)
        except re.error:
            continue
        if match:
            target = _fill(destination, match, drop_unknown=True)
            return "/" + target.split("?", 1)[0].lstrip("/")
    return bare


def rewrite(path: str, rewrites: Sequence[tuple[str, str]]) -> str:
    """The destination path of the first rewrite whose source matches ``path`` (query ignored),
    or ``path`` itself when none does."""
    bare = path.split("?", 1)[0]
    for source, destination in rewrites:
        try:
            pattern = source_pattern(source)
        except re.error:
            continue  # an unsupported source never matches rather than crashing the request
        if pattern.fullmatch(bare):
            return destination.split("?", 1)[0]
    return bare


def _match(source: str, path: str) -> re.Match[str] | None:
    try:
        return source_pattern(source).fullmatch(path.split("?", 1)[0])
    except re.error:
        return None  # an unsupported source never matches


def _fill(destination: str, match: re.Match[str], *, drop_unknown: bool = False) -> str:
    """``destination`` with ``:name`` and ``$1`` replaced by what ``match`` captured; a ``$N``
    with no such group is kept as written, or dropped with ``drop_unknown`` (legacy routes)."""
    named = {k: v for k, v in match.groupdict().items() if v is not None}

    def param(found: re.Match[str]) -> str:
        return named.get(found.group(1), found.group(0))

    def numbered(found: re.Match[str]) -> str:
        index = int(found.group(1))
        if index <= match.re.groups:
            return match.group(index) or ""
        return "" if drop_unknown else found.group(0)

    return re.sub(r"\$(\d+)", numbered, _PARAM.sub(param, destination))


def redirect(path: str, redirects: Sequence[dict[str, object]]) -> tuple[int, str] | None:
    """``(status, location)`` of the first ``vercel.json`` redirect whose source matches
    ``path``, or None. The status is ``statusCode`` when given, else 308 for ``permanent``
    (Vercel's default) and 307 for ``"permanent": false``; the query string is kept."""
    query = path.partition("?")[2]
    for rule in redirects:
        source, destination = rule.get("source"), rule.get("destination")
        if not isinstance(source, str) or not isinstance(destination, str):
            continue
        match = _match(source, path)
        if match is None:
            continue
        status = rule.get("statusCode")
        if not isinstance(status, int):
            status = 307 if rule.get("permanent") is False else 308
        location = _fill(destination, match)
        if query and "?" not in location:
            location += f"?{query}"
        return status, location
    return None


def response_headers(path: str, rules: Sequence[dict[str, object]]) -> list[tuple[str, str]]:
    """The headers that ``vercel.json`` ``headers`` rules add to the response for ``path``:
    those of every rule whose source matches, in file order (a later rule wins for a name)."""
    found: dict[str, tuple[str, str]] = {}
    for rule in rules:
        source, headers = rule.get("source"), rule.get("headers")
        if not isinstance(source, str) or not isinstance(headers, list):
            continue
        match = _match(source, path)
        if match is None:
            continue
        for header in headers:
            if isinstance(header, dict) and isinstance(header.get("key"), str):
                key = str(header["key"])
                found[key.lower()] = (key, _fill(str(header.get("value", "")), match))
    return list(found.values())


# -- which function serves a path ------------------------------------------------------------


def select_entrypoint(entrypoints: list[Entrypoint], path: str) -> Entrypoint:
    """The function that serves request ``path`` (query string and fragment ignored).

    An ``api`` function matches its route as ``createRouteFromPath`` writes it: ``api/users.py``
    serves ``/api/users``, ``/api/users/`` and ``/api/users.py``; ``api/index.py`` also ``/api``
    and ``/api/``; a ``[name]`` segment matches any one segment. Static routes are tried before
    dynamic ones (filesystem before rewrites). An ``app`` function serves every path; a
    ``build`` function only its file path. Raises LookupError when none matches.
    """
    bare = "/" + path.split("#", 1)[0].split("?", 1)[0].lstrip("/")
    order = {"api": 0, "build": 2, "app": 3}
    ranked = sorted(
        entrypoints,
        key=lambda e: (
            order[e.kind] + (1 if any(dynamic_segment(s) for s in e.file.split("/")) else 0)
        ),
    )
    for entry in ranked:
        if re.fullmatch(_route_pattern(entry), bare):
            return entry
    if not entrypoints:
        raise LookupError(f'no Python function is built for this project, so none serves "{bare}"')
    routes = ", ".join(e.route for e in entrypoints)
    raise LookupError(f'no function serves "{bare}"; the functions are served at: {routes}')


def _route_pattern(entry: Entrypoint) -> str:
    if entry.kind == "app":
        return ".*"
    if entry.kind == "build":
        return re.escape("/" + entry.file)
    parts = entry.file.split("/")
    out: list[str] = []
    for index, segment in enumerate(parts):
        if dynamic_segment(segment) is not None:
            out.append("([^/]+)")
        elif index == len(parts) - 1:
            stem, ext = posixpath.splitext(segment)
            name = re.escape(stem)
            out.append(
                f"(/|/index|/index{re.escape(ext)})?"
                if stem == "index"
                else f"({name}/|{name}|{name}{re.escape(ext)})"
            )
        else:
            out.append(re.escape(segment))
    if posixpath.splitext(parts[-1])[0] == "index":
        return "/" + "/".join(out[:-1]) + out[-1]
    return "/" + "/".join(out)
