"""The one router: where a request goes through Build Output routes, computed by the emulation
(:func:`vercel_lab.builder.routes.plan_routes`) or read from a real ``.vercel/output/config.json``
(:mod:`vercel_lab.buildoutput.reader`); and :func:`select_entrypoint`, the doctor's question of
which zero-config function a path reaches.

:func:`resolve` follows the router of ``vercel dev`` in vercel CLI 58.10.0
(``dist/commands/dev/index.js``: ``devRouter`` 17261-17438, the phase loop 20026 and
20178-20353, ``exitWithStatus`` 19753-19781, ``getReqUrl`` 20008): phases ``null`` then
``filesystem``, each followed by a filesystem check and the ``miss`` phase; the ``error`` phase
when nothing matched; ``$1`` / ``$name`` parameters; ``continue``; ``check``; ``status``
(redirects included); ``headers``; ``request.path`` transforms. Route ``src`` matches
case-insensitively unless ``caseSensitive`` (Build Output API v3,
https://vercel.com/docs/build-output-api/v3/configuration#source-route).

Modelled (the edge itself is not public code): headers of ``continue`` routes are kept across
phases (``devRouter`` drops them when a later route of the phase does not match; vercel.json
``headers`` apply to every matching response on the platform,
https://vercel.com/docs/project-configuration#headers); ``/dir`` also finds
``dir/index.html`` and the function ``dir/index``; a function sees the request's own path
unless a ``request.path`` transform set one, with the rewrite destination's query merged under
the request's query; a redirect's ``Location`` is the route's, the request query not appended.
Not interpreted: ``has`` / ``missing``, ``methods`` other than GET matching, the ``hit`` phase,
middleware, response transforms.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Literal
from urllib.parse import parse_qsl, urlencode, urlsplit

from vercel_lab.builder._scan import dynamic_segment
from vercel_lab.builder.entrypoint import Entrypoint

__all__ = ["Filesystem", "Resolution", "lookup", "resolve", "select_entrypoint"]

Kind = Literal["static", "function", "redirect", "status", "external"]


@dataclass(frozen=True)
class Filesystem:
    """What a build output serves: ``static`` files (POSIX paths as under ``static/``) and
    ``functions`` (``"api/index"``, ``"flask"``, ``"api/index.py"`` for a ``builds`` entry)."""

    static: frozenset[str]
    functions: frozenset[str]


@dataclass(frozen=True)
class Resolution:
    """Where the edge sends one request.

    - ``static``: ``target`` is a file under ``static/`` (``status`` 404 for an error page);
    - ``function``: ``target`` is the function (``"api/index"``, ``"flask"``), ``path`` the path
      and query it receives;
    - ``redirect``: ``status`` 301/302/307/308 to ``location``;
    - ``status``: the routes answer alone (404 NOT_FOUND and the like);
    - ``external``: a rewrite to another origin, ``target`` its URL.

    ``headers`` are the route headers added to the response, lower-cased, sorted by name.
    """

    kind: Kind
    target: str = ""
    path: str = ""
    status: int | None = None
    location: str | None = None
    headers: tuple[tuple[str, str], ...] = ()


@dataclass
class _Result:
    found: bool
    dest: str
    query: list[tuple[str, str]]
    status: int | None = None
    user_dest: bool = False
    keep_going: bool = False
    headers: dict[str, str] = field(default_factory=dict)
    new_path: str | None = None
    matched: Mapping[str, Any] | None = None
    phase: str | None = None


_PARAM = re.compile(r"\$([1-9a-zA-Z]+)")


@lru_cache(maxsize=512)
def _compile(src: str, case_sensitive: bool) -> re.Pattern[str] | None:
    try:
        return re.compile(
            src.replace("(?<", "(?P<").replace("(?P<=", "(?<=").replace("(?P<!", "(?<!"),
            0 if case_sensitive else re.IGNORECASE,
        )
    except re.error:
        return None


def _fill(text: str, match: re.Match[str]) -> str:
    """``resolveRouteParameters``: ``$name`` and ``$N`` from the match, "" when absent."""

    def value(found: re.Match[str]) -> str:
        name = found.group(1)
        if name in match.re.groupindex:
            return match.group(name) or ""
        if name.isdigit() and int(name) <= match.re.groups:
            return match.group(int(name)) or ""
        return ""

    return _PARAM.sub(value, text)


def _is_url(text: str) -> bool:
    return bool(re.match(r"^https?://", text))


def _split(url: str) -> tuple[str, list[tuple[str, str]]]:
    parts = urlsplit(url)
    return parts.path or "/", parse_qsl(parts.query, keep_blank_values=True)


def _merge(
    dest_query: list[tuple[str, str]], req_query: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    """``Object.assign(destQuery, reqQuery)``: the request's keys win."""
    keys = {k for k, _ in req_query}
    return [(k, v) for k, v in dest_query if k not in keys] + list(req_query)


def _router(
    url_path: str,
    query: list[tuple[str, str]],
    routes: Sequence[Mapping[str, Any]],
    fs: Filesystem,
    previous: Mapping[str, str],
    miss: Sequence[Mapping[str, Any]],
    phase: str | None,
) -> _Result:
    """``devRouter`` for one phase."""
    path = url_path
    headers = dict(previous)
    status: int | None = None
    new_path: str | None = None
    keep_going = False
    for route in routes:
        keep_going = False
        if "handle" in route or not isinstance(route.get("src"), str):
            continue
        methods = route.get("methods")
        if isinstance(methods, list) and "GET" not in methods:
            continue
        pattern = _compile(str(route["src"]), bool(route.get("caseSensitive")))
        if pattern is None:
            continue
        match = pattern.search(path) or pattern.search(path[1:])
        if match is None:
            continue
        for transform in route.get("transforms") or []:
            if transform.get("type") == "request.path" and transform.get("op") == "set":
                new_path = _fill(str(transform.get("args", "")), match)
        dest = _fill(str(route["dest"]), match) if route.get("dest") else path
        for name, value in (route.get("headers") or {}).items():
            if not (name.lower() in previous and phase in ("hit", "miss")):
                headers[name.lower()] = _fill(str(value), match)
        if route.get("continue"):
            status = route.get("status") or status
            path, keep_going = dest, True
            continue
        if route.get("check") and phase != "hit" and not _is_url(dest):
            dest_path, _ = _split(dest)
            if lookup(fs, dest_path) is None:
                if route.get("status") and phase != "miss":
                    pass  # a check route with a status ends routing here
                elif miss:
                    result = _router(dest_path, _split(dest)[1], miss, fs, headers, [], "miss")
                    if result.found:
                        result.new_path = result.new_path or new_path
                        return result
                    # not there: the next routes see the rewritten path (its query kept apart)
                    path, query = dest_path, _merge(_split(dest)[1], query)
                    continue
                else:
                    if route.get("status") and phase == "miss":
                        status = route["status"]
                    path, query = dest_path, _merge(_split(dest)[1], query)
                    continue
        final_status = route.get("status") or status
        if _is_url(dest):
            return _Result(
                True, dest, query, final_status, False, False, headers, new_path, route, phase
            )
        if not dest.startswith("/"):
            dest = "/" + dest
        dest_path, dest_query = _split(dest)
        return _Result(
            True,
            dest_path,
            _merge(dest_query, query),
            final_status,
            bool(route.get("dest")),
            False,
            headers,
            new_path,
            route,
            phase,
        )
    dest_path, extra = _split(path)
    return _Result(
        False,
        dest_path,
        _merge(extra, query),
        status,
        False,
        keep_going,
        headers,
        new_path,
        None,
        phase,
    )


def lookup(fs: Filesystem, path: str) -> tuple[Literal["static", "function"], str] | None:
    """The filesystem check: a static file (also ``dir/index.html``), else a function (also
    ``dir/index``). Query ignored."""
    bare = path.split("?", 1)[0].strip("/")
    for candidate in (bare, f"{bare}/index.html" if bare else "index.html"):
        if candidate in fs.static:
            return "static", candidate
    for candidate in (bare, f"{bare}/index" if bare else "index"):
        if candidate in fs.functions:
            return "function", candidate
    return None


def _exit(result: _Result, found: object, phase: str | None) -> Resolution | None:
    """``exitWithStatus``."""
    location = result.headers.get("location") or result.dest
    headers = tuple(sorted(result.headers.items()))
    if result.status and location and 300 <= result.status <= 399:
        return Resolution("redirect", status=result.status, location=location, headers=headers)
    if found is None and result.status and phase != "miss" and not result.user_dest:
        return Resolution("status", status=result.status, headers=headers)
    return None


def _group(routes: Sequence[Mapping[str, Any]]) -> dict[str | None, list[Mapping[str, Any]]]:
    phases: dict[str | None, list[Mapping[str, Any]]] = {}
    handle: str | None = None
    for route in routes:
        if "handle" in route:
            handle = str(route["handle"])
            continue
        phases.setdefault(handle, []).append(route)
    return phases


def _query_string(pairs: list[tuple[str, str]], raw: str, request: list[tuple[str, str]]) -> str:
    """The request's own query string, untouched, unless a rewrite added parameters."""
    if pairs == request:
        return f"?{raw}" if raw else ""
    return "?" + urlencode(pairs) if pairs else ""


def resolve(routes: Sequence[Mapping[str, Any]], request: str, fs: Filesystem) -> Resolution:
    """Route ``request`` (a path with optional query: ``"/api/x.py?a=1"``) through ``routes``
    (the list of ``config.json`` ``routes``) over the output ``fs``.

    A redirect keeps the request's query string when its ``Location`` has none (*modelled*:
    ``vercel dev`` sends the route's ``Location`` as is; Next.js documents that "any query values
    provided in the request will be passed through to the redirect destination",
    https://nextjs.org/docs/app/api-reference/config/next-config-js/redirects, and vercel-lab
    models the platform the same way).
    """
    found = _resolve(routes, request, fs)
    query = request.partition("?")[2]
    if found.kind == "redirect" and query and found.location and "?" not in found.location:
        return replace(found, location=f"{found.location}?{query}")
    return found


def _resolve(routes: Sequence[Mapping[str, Any]], request: str, fs: Filesystem) -> Resolution:
    raw_path, _, raw_query = request.partition("?")
    req_query = parse_qsl(raw_query, keep_blank_values=True)
    phases = _group(routes)
    miss, errors = phases.get("miss", []), phases.get("error", [])
    url_path, url_query = raw_path or "/", req_query
    headers: dict[str, str] = {}
    new_path: str | None = None
    found = None
    result = _Result(False, url_path, url_query)
    for phase in (None, "filesystem"):
        result = _router(url_path, url_query, phases.get(phase, []), fs, headers, miss, phase)
        new_path = result.new_path or new_path
        headers = result.headers  # modelled: devRouter keeps them only after a trailing
        if result.keep_going:  # `continue`; the platform applies every matching `headers` rule
            url_path, url_query = result.dest, result.query
        if _is_url(result.dest):
            return Resolution(
                "external",
                _with_query(result.dest, result.query),
                status=result.status,
                headers=tuple(sorted(result.headers.items())),
            )
        found = lookup(fs, result.dest)
        if (done := _exit(result, found, phase)) is not None:
            return done
        if found is None and miss:
            result = _router(result.dest, result.query, miss, fs, result.headers, [], "miss")
            new_path = result.new_path or new_path
            found = lookup(fs, result.dest)
            if (done := _exit(result, found, "miss")) is not None:
                return done
        if found is not None:
            break
        if phase is None and not phases.get("filesystem"):
            break
    status = result.status
    if found is None and errors:
        error = _router(result.dest, result.query, errors, fs, result.headers, [], "error")
        error_found = lookup(fs, error.dest)
        if error_found is not None:
            found, status, result = error_found, error.status, error
        elif (
            error.matched is not None
            and not error.matched.get("dest")
            and (done := _exit(error, None, "error")) is not None
        ):
            return done
    headers_out = tuple(sorted(result.headers.items()))
    if found is None:
        return Resolution("status", status=status or 404, headers=headers_out)
    kind, target = found
    seen = (new_path or raw_path or "/") + _query_string(result.query, raw_query, req_query)
    return Resolution(kind, target, seen if kind == "function" else "", status, None, headers_out)


def _with_query(url: str, query: list[tuple[str, str]]) -> str:
    if not query:
        return url
    return url + ("&" if "?" in url else "?") + urlencode(query)


# -- which zero-config function serves a path (the doctor's question) ------------------------


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
