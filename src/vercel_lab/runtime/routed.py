"""What the edge answers by itself once the router has decided: a static file, a redirect, a
status with no function, and the route headers every answer carries.

The router is :func:`vercel_lab.builder.routing.resolve` (the one router, also used on real
``config.json`` by :mod:`vercel_lab.buildoutput`); :class:`~vercel_lab.runtime.function.Function`
calls these for every :class:`~vercel_lab.builder.routing.Resolution` that is not a function.

Sources: a redirect route answers its ``status`` with the route's ``Location`` (Build Output API
v3, https://vercel.com/docs/build-output-api/v3/configuration#source-route); vercel.json
``headers`` are set on every response whose path matches
(https://vercel.com/docs/project-configuration#headers); a path that nothing serves is 404
``NOT_FOUND`` (https://vercel.com/docs/errors/NOT_FOUND). Modelled: the body of a redirect
(``Redirecting to <location>``, text/plain), a static file's headers (``content-type`` from its
name, ``cache-control: public, max-age=0, must-revalidate``, what Vercel's CDN sends for a file
that sets no caching), route headers winning over the function's own of the same name.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from vercel_lab import platform
from vercel_lab.builder.routing import Resolution
from vercel_lab.runtime import edge
from vercel_lab.runtime.events import Request
from vercel_lab.runtime.outcome import Outcome, evolve

__all__ = ["STATIC_CACHE_CONTROL", "answer", "with_headers"]

#: What Vercel's CDN sends with a static file that sets no caching of its own.
STATIC_CACHE_CONTROL = "public, max-age=0, must-revalidate"


def with_headers(outcome: Outcome, headers: Iterable[tuple[str, str]]) -> Outcome:
    """``outcome`` with the route ``headers`` set (replacing its own of the same name)."""
    extra = list(headers)
    if not extra:
        return outcome
    names = {name.lower() for name, _ in extra}
    kept = tuple((k, v) for k, v in outcome.headers if k.lower() not in names)
    return evolve(outcome, headers=kept + tuple(extra))


def answer(stamp: edge.Stamp, request: Request, where: Resolution, static_root: Path) -> Outcome:
    """The edge's own answer for ``where`` (any kind but ``"function"``): the file under
    ``static_root`` for ``static`` (with the route's status: 404 for an error page), the
    redirect, or the status (404 ``NOT_FOUND`` when nothing serves the path)."""
    request_id = platform.new_request_id(stamp.region)
    base = Outcome(request, 200, runtime_version=stamp.runtime_version, project=stamp.project)
    if where.kind == "static":
        file = static_root / where.target
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        headers = (
            ("content-type", kind),
            ("cache-control", STATIC_CACHE_CONTROL),
            ("x-vercel-id", request_id),
        )
        body = file.read_bytes() if request.method != "HEAD" else b""
        outcome = replace(base, status=where.status or 200, headers=headers, body=body)
    elif where.kind == "redirect":
        location = where.location or "/"
        outcome = replace(
            base,
            status=where.status,
            headers=(
                ("content-type", "text/plain; charset=utf-8"),
                ("location", location),
                ("x-vercel-id", request_id),
            ),
            body=f"Redirecting to {location}\n".encode(),
        )
    elif where.kind == "external":
        outcome = replace(
            base,
            status=502,
            body=f"vercel-lab does not follow external rewrites ({where.target})\n".encode(),
            notes=(f"An external rewrite sends this request to {where.target} (not followed).",),
        )
    elif where.status in (None, 404):
        outcome = edge.platform_error(stamp, request, "NOT_FOUND", None, "", None)
    else:
        outcome = replace(base, status=where.status, headers=(("x-vercel-id", request_id),))
    return with_headers(outcome, (h for h in where.headers if h[0] != "location"))


def with_path_note(outcome: Outcome, preset: str | None, requested: str, seen: str) -> Outcome:
    """``outcome`` with a note when a framework ``preset``'s routes gave the app another path
    than the one ``requested`` (an internal rewrite, routed with its destination path: the
    preset's catch-all carries a ``request.path`` transform, @vercel/python 6.56.2
    dist/index.js:12451-12475, and ``vercel build`` warns "Internal rewrites in backend framework
    projects now route requests using the rewritten destination path")."""
    asked, got = requested.split("?")[0], seen.split("?")[0]
    if preset is None or asked == got:
        return outcome
    note = (
        f"the {preset} preset routed {asked} to the app as {got}: under a framework preset an "
        "internal rewrite reaches the app with its destination path, as on Vercel. For the "
        'api/index.py layout set "framework": null in vercel.json; with the preset, drop the '
        "rewrite."
    )
    return evolve(outcome, notes=(*outcome.notes, note))
