"""The requests ``doctor --run`` sends: ``GET /`` and, read statically (never imported), the
paths the project routes, at most :data:`MAX_PROBES` in all:

- vercel.json ``rewrites`` sources, cut at their first parameter (``/api/:path*`` -> ``/api``);
- Flask and FastAPI routes with a literal path (``@app.get("/health")``,
  ``@app.route("/submit", methods=["POST"])``, ``@router.post(...)``): ``POST`` when the view
  accepts POST and not GET;
- Django's root URLconf (``ROOT_URLCONF``) ``path("literal/", view)`` entries (no
  ``include()``, no converters); ``POST`` for a view decorated ``@require_POST`` (or
  ``@require_http_methods(["POST"])``).

Pure: reads the project's parsed files through :class:`~vercel_lab.doctor.analysis.Analysis`.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Final, Literal

from vercel_lab.doctor.analysis import Analysis
from vercel_lab.doctor.pyeval import dotted

__all__ = ["MAX_PROBES", "Probe", "probes"]

#: At most this many requests, ``GET /`` included.
MAX_PROBES: Final = 5

Method = Literal["GET", "POST"]
_PARAM: Final = re.compile(r"[:(*<{\[?]")


@dataclass(frozen=True)
class Probe:
    """One synthetic request: ``method`` and ``path`` (absolute, no query) and where the path
    was read (``"default"``, ``"vercel.json"``, or ``file:line`` of the route)."""

    method: Method
    path: str
    origin: str


def _literal(path: str) -> str | None:
    """``path`` up to its first parameter or pattern, absolute; None when nothing is left."""
    cut = _PARAM.search(path)
    head = path[: cut.start()] if cut else path
    head = "/" + head.strip().lstrip("^").lstrip("/")
    return head if head.strip("/") or not cut else None


def _rewrites(analysis: Analysis) -> list[Probe]:
    found = []
    for source, _ in analysis.project.config.rewrites:
        if (path := _literal(source)) is not None:
            found.append(Probe("GET", path.rstrip("/") or "/", "vercel.json"))
    return found


def _route(decorator: ast.expr) -> tuple[str, Method] | None:
    """(path, method) of ``@x.get("/p")``, ``@x.post("/p")`` or ``@x.route("/p", methods=...)``."""
    if not (isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute)):
        return None
    verb = decorator.func.attr
    args = decorator.args
    if not args or not isinstance(args[0], ast.Constant) or not isinstance(args[0].value, str):
        return None
    path = args[0].value
    if verb in ("get", "post"):
        return path, "POST" if verb == "post" else "GET"
    if verb != "route":
        return None
    methods: list[str] = ["GET"]
    for keyword in decorator.keywords:
        if keyword.arg == "methods" and isinstance(keyword.value, ast.List | ast.Tuple):
            methods = [
                str(e.value).upper() for e in keyword.value.elts if isinstance(e, ast.Constant)
            ]
    if "GET" in methods:
        return path, "GET"
    return (path, "POST") if "POST" in methods else None


def _framework_routes(analysis: Analysis) -> list[Probe]:
    found = []
    for rel in analysis.reachable:
        tree = analysis.tree(rel)
        for node in ast.walk(tree) if tree is not None else ():
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for decorator in node.decorator_list:
                    route = _route(decorator)
                    if route and not _PARAM.search(route[0]) and route[0].startswith("/"):
                        found.append(Probe(route[1], route[0], f"{rel}:{decorator.lineno}"))
    return found


def _django_urls(analysis: Analysis) -> list[Probe]:
    conf = analysis.settings.get("ROOT_URLCONF") if analysis.settings is not None else None
    if not isinstance(conf, str):
        return []
    rel = analysis.project.module_file(conf, analysis.roots)
    tree = analysis.tree(rel) if rel and rel.endswith(".py") else None
    posts = _post_only_views(analysis) if tree is not None else set()
    found = []
    for node in ast.walk(tree) if tree is not None else ():
        if (
            isinstance(node, ast.Call)
            and (dotted(node.func) or "").rpartition(".")[2] in ("path", "re_path")
            and len(node.args) >= 2
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and not (isinstance(node.args[1], ast.Call) and dotted(node.args[1].func) == "include")
            and not _PARAM.search(node.args[0].value.strip("^$"))
        ):
            view = (dotted(node.args[1]) or "").rpartition(".")[2]
            method: Method = "POST" if view in posts else "GET"
            path = "/" + node.args[0].value.strip("^$")
            found.append(Probe(method, path, f"{rel}:{node.lineno}"))
    return found


def _post_only_views(analysis: Analysis) -> set[str]:
    """Names of Django function views that take only POST (``@require_POST``,
    ``@require_http_methods(["POST"])``)."""
    names: set[str] = set()
    for rel in analysis.reachable:
        tree = analysis.tree(rel)
        for node in ast.walk(tree) if tree is not None else ():
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for decorator in node.decorator_list:
                name = dotted(decorator.func if isinstance(decorator, ast.Call) else decorator)
                short = (name or "").rpartition(".")[2]
                methods = [
                    str(e.value).upper()
                    for a in (decorator.args if isinstance(decorator, ast.Call) else [])
                    if isinstance(a, ast.List | ast.Tuple)
                    for e in a.elts
                    if isinstance(e, ast.Constant)
                ]
                if short == "require_POST" or (
                    short == "require_http_methods" and "POST" in methods and "GET" not in methods
                ):
                    names.add(node.name)
    return names


def probes(analysis: Analysis) -> list[Probe]:
    """``GET /`` first, then the routed paths (rewrites, then framework routes, then Django's
    URLconf), without repeats, at most :data:`MAX_PROBES`."""
    chosen: dict[tuple[str, str], Probe] = {("GET", "/"): Probe("GET", "/", "default")}
    for probe in [*_rewrites(analysis), *_framework_routes(analysis), *_django_urls(analysis)]:
        chosen.setdefault((probe.method, probe.path), probe)
    return list(chosen.values())[:MAX_PROBES]
