"""Which function serves a path: rewrites (path-to-regexp) and legacy routes (regex), through
the one router (vercel_lab.builder.routing.resolve)."""

from __future__ import annotations

import pytest

from tests.helpers import MakeProject
from vercel_lab import Function
from vercel_lab.builder.routing import Filesystem, resolve
from vercel_lab.builder.userroutes import transformed_routes

CATCH_ALL = [("/(.*)", "/api/index")]
FUNCTIONS = Filesystem(frozenset(), frozenset({"api/index", "api/post", "api/docs"}))


def _target(path: str, config: dict[str, object], fs: Filesystem = FUNCTIONS) -> str:
    where = resolve(transformed_routes(config) or [], path, fs)
    return where.target if where.kind == "function" else f"{where.kind} {where.status}"


@pytest.mark.parametrize(
    ("path", "rewrites", "expected"),
    [
        ("/about/?x=1", CATCH_ALL, "api/index"),
        ("/", CATCH_ALL, "api/index"),
        ("/blog/hello", [("/blog/:slug", "/api/post")], "api/post"),
        ("/blog/a/b", [("/blog/:slug", "/api/post")], "status 404"),
        ("/docs/a/b", [("/docs/:rest*", "/api/docs")], "api/docs"),
        ("/static/a.css", [], "status 404"),
    ],
)
def test_rewrite_destinations(path: str, rewrites: list[tuple[str, str]], expected: str) -> None:
    config = {"rewrites": [{"source": s, "destination": d} for s, d in rewrites]}
    assert _target(path, config) == expected


def test_a_rewrite_source_path_to_regexp_refuses_is_an_error() -> None:
    with pytest.raises(ValueError, match="Unbalanced pattern"):
        transformed_routes({"rewrites": [{"source": "/(unclosed", "destination": "/api/index"}]})


LEGACY = Filesystem(frozenset(), frozenset({"api/index.py", "api/p.py", "x"}))


@pytest.mark.parametrize(
    ("path", "routes", "expected"),
    [
        ("/", [{"src": "/(.*)", "dest": "api/index.py"}], "api/index.py"),
        ("/p/7", [{"src": "/p/(\\d+)", "dest": "/api/p.py?id=$1"}], "api/p.py"),
        ("/a", [{"handle": "filesystem"}, {"src": "/b", "dest": "/x"}], "status 404"),
        ("/a", [{"src": "([", "dest": "/x"}], "status 404"),  # a broken regex never matches
    ],
)
def test_legacy_routes(path: str, routes: list[object], expected: str) -> None:
    assert _target(path, {"routes": routes}, LEGACY) == expected


def test_a_legacy_builds_project_is_reached_through_its_routes(make_project: MakeProject) -> None:
    project = make_project(
        {
            "api/index.py": """
            def app(environ, start_response):
                start_response("200 OK", [])
                return [environ["PATH_INFO"].encode()]
        """,
            "vercel.json": '{"builds": [{"src": "api/index.py", "use": "@vercel/python"}], '
            '"routes": [{"src": "/(.*)", "dest": "api/index.py"}]}',
        }
    )
    with Function(project) as function:
        outcome = function.invoke("/about/")
    # The route picks the function; the function still sees the path the client asked for.
    assert (outcome.status, outcome.text) == (200, "/about/")
