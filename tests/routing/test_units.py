"""The path-to-regexp port, vercel.json conversion (getTransformedRoutes) and mergeRoutes order."""

from __future__ import annotations

import pytest

from vercel_lab.builder.pathtoregexp import PathPatternError, compile_path, to_regex_source
from vercel_lab.builder.routes import append_routes_to_phase, merge_routes
from vercel_lab.builder.userroutes import replace_segments, transformed_routes


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("/a/((b))", "Capturing groups are not allowed at 4"),
        ("/a/(", "Unbalanced pattern at 3"),
        ("/a/:", "Missing parameter name at 3"),
        ("/a/()", "Missing pattern at 3"),
        ("/a/(?x)", 'Pattern cannot start with "?" at 4'),
    ],
)
def test_path_to_regexp_errors(source: str, message: str) -> None:
    with pytest.raises(PathPatternError) as err:
        to_regex_source(source)
    assert str(err.value) == message


def test_path_to_regexp_shapes() -> None:
    assert to_regex_source("/:a?")[0] == "^(?:\\/([^\\/]+?))?$"
    assert to_regex_source("/f/:p+")[0] == "^\\/f(?:\\/((?:[^\\/]+?)(?:\\/(?:[^\\/]+?))*))$"
    # expected strings: path-to-regexp 6.1.0 under node (det/node_modules), same options
    assert to_regex_source("/{x-:id}")[0] == "^\\/(?:x-([^\\/]+?))$"
    assert to_regex_source("/a/:b.:c")[0] == "^\\/a(?:\\/([^\\/]+?))(?:\\.([^\\/]+?))$"
    assert to_regex_source("/:p(\\d+)")[0] == "^(?:\\/(\\d+))$"
    assert compile_path("/n/:p*", {"p": "$1"}) == "/n/$1"
    assert compile_path("/n/:p?", {}) == "/n"
    with pytest.raises(PathPatternError, match='Expected "p" to be a string'):
        compile_path("/n/:p", {})


def test_replace_segments_query_rules() -> None:
    # a rewrite that does not use the source's named parameter gets it as a query parameter
    assert replace_segments(["id"], "/api/x", is_redirect=False) == "/api/x?id=$1"
    assert replace_segments(["id"], "/api/:id", is_redirect=False) == "/api/$1"
    assert replace_segments(["id"], "/api/x?a=b c", is_redirect=False) == "/api/x?a=b%20c&id=$1"
    # redirects never get query parameters added
    assert replace_segments(["id"], "/x", is_redirect=True) == "/x"
    assert replace_segments(["id"], "https://h.example/:id", is_redirect=True) == (
        "https://h.example/$1"
    )


def test_transformed_routes_order_and_absence() -> None:
    assert transformed_routes({}) is None
    routes = transformed_routes(
        {"rewrites": [{"source": "/a", "destination": "/b"}], "trailingSlash": False}
    )
    assert routes == [
        {"src": "^/(.*)/$", "headers": {"Location": "/$1"}, "status": 308},
        {"handle": "filesystem"},
        {"src": "^/a$", "dest": "/b", "check": True},
    ]
    legacy = transformed_routes({"routes": [{"src": "/x/(.*)", "dest": "/y"}]})
    assert legacy == [{"src": "^/x/(.*)$", "dest": "/y"}]


def test_append_routes_to_phase() -> None:
    base = [{"handle": "filesystem"}, {"src": "a"}, {"handle": "error"}, {"src": "b"}]
    assert append_routes_to_phase(base, [{"src": "n"}], "filesystem") == [
        {"handle": "filesystem"},
        {"src": "a"},
        {"src": "n"},
        {"handle": "error"},
        {"src": "b"},
    ]
    assert append_routes_to_phase(base, [{"src": "n"}], None)[0] == {"src": "n"}
    assert append_routes_to_phase([], [{"src": "n"}], "miss") == [{"handle": "miss"}, {"src": "n"}]


def test_merge_routes_puts_builder_continue_first_and_checks_after_user() -> None:
    builder: list[dict[str, object]] = [
        {"src": "c", "continue": True},
        {"src": "k", "check": True},
        {"src": "o"},
    ]
    merged = merge_routes([{"src": "u"}], [("/", "b", builder)])
    assert [r["src"] for r in merged] == ["c", "u", "k", "o"]
