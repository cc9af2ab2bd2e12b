"""Which function serves a path: rewrites (path-to-regexp) and legacy routes (regex)."""

from __future__ import annotations

import pytest

from tests.helpers import MakeProject
from vercel_lab import Function
from vercel_lab.builder.routing import legacy_route, rewrite

CATCH_ALL = [("/(.*)", "/api/index")]


@pytest.mark.parametrize(
    ("path", "rewrites", "expected"),
    [
        ("/about/?x=1", CATCH_ALL, "/api/index"),
        ("/", CATCH_ALL, "/api/index"),
        ("/blog/hello", [("/blog/:slug", "/api/post")], "/api/post"),
        ("/blog/a/b", [("/blog/:slug", "/api/post")], "/blog/a/b"),
        ("/docs/a/b", [("/docs/:rest*", "/api/docs")], "/api/docs"),
        ("/x", [("/(unclosed", "/api/index")], "/x"),
        ("/static/a.css", [], "/static/a.css"),
    ],
)
def test_rewrite_destinations(path: str, rewrites: list[tuple[str, str]], expected: str) -> None:
    assert rewrite(path, rewrites) == expected


@pytest.mark.parametrize(
    ("path", "routes", "expected"),
    [
        ("/", [{"src": "/(.*)", "dest": "api/index.py"}], "/api/index.py"),
        ("/p/7", [{"src": "/p/(\\d+)", "dest": "/api/p.py?id=$1"}], "/api/p.py"),
        ("/a", [{"handle": "filesystem"}, {"src": "/b", "dest": "/x"}], "/a"),
        ("/a", [{"src": "([", "dest": "/x"}, "junk"], "/a"),
    ],
)
def test_legacy_routes(path: str, routes: list[object], expected: str) -> None:
    assert legacy_route(path, routes) == expected


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
