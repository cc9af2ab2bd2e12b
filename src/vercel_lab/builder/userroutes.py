"""``vercel.json`` ``cleanUrls`` / ``trailingSlash`` / ``routes`` / ``redirects`` / ``headers`` /
``rewrites`` as Build Output routes: a port of ``getTransformedRoutes`` and the ``convert*``
functions of ``@vercel/routing-utils`` as bundled in vercel CLI 58.10.0
(``dist/chunks/chunk-IBIZT5M4.js``: ``convertCleanUrls`` 21114, ``convertRedirects`` 21131,
``convertRewrites`` 21167, ``convertHeaders`` 21225, ``convertTrailingSlash`` 21265,
``sourceToRegex`` 21290, ``replaceSegments`` 21422, ``normalizeRoutes`` 22693,
``getTransformedRoutes`` 22878).

Not ported: ``has`` / ``missing`` conditions (copied through, never interpreted), ``env``,
service destinations, the validation errors of ``checkRedirect`` / ``checkPatternSyntax``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

from vercel_lab.builder.pathtoregexp import Key, compile_path, to_regex_source

__all__ = ["Route", "normalize_src", "transformed_routes"]

#: One Build Output route, the shape of an entry of ``config.json`` ``routes``.
Route = dict[str, Any]

_UNNAMED = "__UN_NAMED_SEGMENT__"


def normalize_src(src: str) -> str:
    """``normalizeRoutes``: anchor ``src`` with ``^`` and ``$`` and unescape ``\\/``."""
    if not src.startswith("^"):
        src = "^" + src
    if not src.endswith("$"):
        src += "$"
    return src.replace("\\/", "/")


def _source(source: str) -> tuple[str, list[str]]:
    regex, keys = to_regex_source(source)
    return normalize_src(regex), [_segment_name(k) for k in keys]


def _segment_name(key: Key) -> str:
    return key.name if isinstance(key.name, str) else _UNNAMED


def _indexes(segments: Sequence[str]) -> dict[str | int, str]:
    return {name: f"${i + 1}" for i, name in enumerate(segments)}


def _safely_compile(value: str, indexes: Mapping[str | int, str]) -> str:
    """``safelyCompile(value, indexes, true)``: direct compile, else escape and retry."""
    if not value:
        return value
    try:
        return compile_path(value, indexes)
    except ValueError:
        pass
    for key in indexes:
        if f":{key}" in value:
            value = re.sub(rf":{key}\*", f":{key}--ESCAPED_PARAM_ASTERISK", value)
            value = re.sub(rf":{key}\?", f":{key}--ESCAPED_PARAM_QUESTION", value)
            value = re.sub(rf":{key}\+", f":{key}--ESCAPED_PARAM_PLUS", value)
            value = re.sub(rf":{key}(?!\w)", f"--ESCAPED_PARAM_COLON{key}", value)
    value = re.sub(r"(:|\*|\?|\+|\(|\)|\{|\})", r"\\\1", value)
    value = (
        value.replace("--ESCAPED_PARAM_PLUS", "+")
        .replace("--ESCAPED_PARAM_COLON", ":")
        .replace("--ESCAPED_PARAM_QUESTION", "?")
        .replace("--ESCAPED_PARAM_ASTERISK", "*")
    )
    return compile_path("/" + value, indexes)[1:]


def _destination_params(pathname: str) -> set[str]:
    try:
        _, keys = to_regex_source(pathname)
    except ValueError:
        return set()
    return {k.name for k in keys if isinstance(k.name, str)}


def replace_segments(segments: Sequence[str], destination: str, *, is_redirect: bool) -> str:
    """``replaceSegments`` without ``has`` segments: ``:name`` in the destination's path, host,
    hash and query become ``$N``; a rewrite whose destination uses none of the source's named
    parameters gets them appended as query parameters (``?name=$N``)."""
    named = [s for s in segments if s != _UNNAMED]
    if not ((":" in destination and named) or not is_redirect):
        return destination
    indexes = _indexes(segments)
    escaped = destination
    for name in segments:
        escaped = escaped.replace(f":{name}", f"__ESC_COLON_{name}")
    parts = urlsplit(escaped)

    def unescape(text: str) -> str:
        return re.sub("__ESC_COLON_", ":", text, flags=re.IGNORECASE)

    pathname = _safely_compile(unescape(parts.path), indexes)
    fragment = _safely_compile(unescape(parts.fragment), indexes) if parts.fragment else ""
    netloc = _safely_compile(unescape(parts.netloc), indexes) if parts.netloc else ""
    query = [
        (k, _safely_compile(unescape(v), indexes))
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
    ]
    uses_param = _destination_params(unescape(parts.path)) & {str(k) for k in indexes}
    if not is_redirect and not uses_param:
        present = {k for k, _ in query}
        query += [(n, indexes[n]) for n in segments if n != _UNNAMED and n not in present]
    out = f"{parts.scheme}://{netloc}" if parts.scheme else (f"//{netloc}" if netloc else "")
    out += pathname
    if query:
        # Node's querystring.stringify escapes like encodeURIComponent; then %24 -> $.
        out += "?" + "&".join(
            f"{quote(k, safe=_QS_SAFE)}={quote(v, safe=_QS_SAFE)}" for k, v in query
        )
    if fragment:
        out += "#" + fragment
    return out.replace("%24", "$")


_QS_SAFE = "-_.!~*'()"


def convert_clean_urls(clean_urls: bool, trailing_slash: bool | None) -> list[Route]:
    location = "/$1/" if trailing_slash else "/$1"
    if not clean_urls:
        return []
    return [
        {
            "src": "^/(?:(.+)/)?index(?:\\.html)?/?$",
            "headers": {"Location": location},
            "status": 308,
        },
        {"src": "^/(.*)\\.html/?$", "headers": {"Location": location}, "status": 308},
    ]


def convert_trailing_slash(enable: bool) -> list[Route]:
    if enable:
        return [
            {"src": "^/\\.well-known(?:/.*)?$"},
            {"src": "^/((?:[^/]+/)*[^/\\.]+)$", "headers": {"Location": "/$1/"}, "status": 308},
            {"src": "^/((?:[^/]+/)*[^/]+\\.\\w+)/$", "headers": {"Location": "/$1"}, "status": 308},
        ]
    return [{"src": "^/(.*)\\/$", "headers": {"Location": "/$1"}, "status": 308}]


def convert_redirects(redirects: Sequence[Mapping[str, Any]]) -> list[Route]:
    routes: list[Route] = []
    for rule in redirects:
        src, segments = _source(str(rule["source"]))
        location = replace_segments(segments, str(rule["destination"]), is_redirect=True)
        permanent = rule.get("permanent")
        if isinstance(permanent, bool):
            status = 308 if permanent else 307
        else:
            status = int(rule.get("statusCode") or 308)
        route: Route = {"src": src, "headers": {"Location": location}, "status": status}
        for extra in ("env", "has", "missing"):
            if extra in rule:
                route[extra] = rule[extra]
        routes.append(route)
    return routes


def convert_rewrites(rewrites: Sequence[Mapping[str, Any]]) -> list[Route]:
    routes: list[Route] = []
    for rule in rewrites:
        src, segments = _source(str(rule["source"]))
        dest = replace_segments(segments, str(rule["destination"]), is_redirect=False)
        route: Route = {"src": src, "dest": dest, "check": True}
        if isinstance(rule.get("transforms"), list):
            route["transforms"] = [
                {**t, "args": _safely_compile(str(t["args"]), _indexes(segments))}
                if t.get("type") == "request.path"
                else dict(t)
                for t in rule["transforms"]
            ]
        for extra in ("env", "has", "missing"):
            if extra in rule:
                route[extra] = rule[extra]
        if rule.get("statusCode"):
            route["status"] = rule["statusCode"]
        routes.append(route)
    return routes


def convert_headers(rules: Sequence[Mapping[str, Any]]) -> list[Route]:
    routes: list[Route] = []
    for rule in rules:
        src, segments = _source(str(rule["source"]))
        named = [s for s in segments if s != _UNNAMED]
        indexes = _indexes(segments)
        headers: dict[str, str] = {}
        for header in rule["headers"]:
            key, value = str(header["key"]), str(header["value"])
            if named:
                key = _safely_compile(key, indexes) if ":" in key else key
                value = _safely_compile(value, indexes) if ":" in value else value
            headers[key] = value
        route: Route = {"src": src, "headers": headers, "continue": True}
        for extra in ("has", "missing"):
            if extra in rule:
                route[extra] = rule[extra]
        routes.append(route)
    return routes


def _normalized(route: Route) -> Route:
    """Every route of ``getTransformedRoutes`` goes through ``normalizeRoutes``."""
    return {**route, "src": normalize_src(str(route["src"]))} if "src" in route else route


def transformed_routes(config: Mapping[str, Any]) -> list[Route] | None:
    """``getTransformedRoutes(vercelConfig).routes``: None when ``config`` has none of the keys.

    Order: cleanUrls, trailingSlash, ``routes``, redirects, headers, then ``{"handle":
    "filesystem"}`` and the rewrites (rewrites apply only after the filesystem missed).
    """
    routes: list[Route] | None = None
    if "cleanUrls" in config:
        clean = convert_clean_urls(bool(config["cleanUrls"]), config.get("trailingSlash"))
        routes = [_normalized(r) for r in clean]
    if "trailingSlash" in config:
        trailing = convert_trailing_slash(bool(config["trailingSlash"]))
        routes = [*(routes or []), *(_normalized(r) for r in trailing)]
    if isinstance(config.get("routes"), list):
        routes = [*(routes or []), *(_normalized(dict(r)) for r in config["routes"])]
    if "redirects" in config:
        routes = [*(routes or []), *convert_redirects(config["redirects"])]
    if "headers" in config:
        routes = [*(routes or []), *convert_headers(config["headers"])]
    if "rewrites" in config:
        routes = [*(routes or []), {"handle": "filesystem"}, *convert_rewrites(config["rewrites"])]
    return routes
