"""What the real routes of each captured case do with a request (expected values reasoned from
the routes and the CLI router: vercel CLI 58.10.0 ``dist/commands/dev/index.js``, ``devRouter``)."""

from __future__ import annotations

import pytest

from tests.routing.real import load_case
from vercel_lab.builder.routing import Resolution, resolve


def run(case: str, request: str) -> Resolution:
    loaded = load_case(case)
    assert loaded.routes is not None and loaded.filesystem is not None
    return resolve(loaded.routes, request, loaded.filesystem)


@pytest.mark.parametrize(
    ("case", "request_path", "target", "seen"),
    [
        # Flask/Django preset + rewrite to /api/index: one function, which sees /api/index.
        ("flask-rewrite", "/health", "flask", "/api/index"),
        ("flask-rewrite", "/health?a=1", "flask", "/api/index?a=1"),
        ("django-preset-rewrite", "/about/", "django", "/api/index"),
        # "framework": null in vercel.json: api/index.py is a function; it sees the request path.
        ("flask-rewrite-null", "/health", "api/index", "/health"),
        ("django-preset-rewrite-null", "/about/", "api/index", "/about/"),
        # Zero-config: each api file its own function; `.py` reaches it through the miss phase.
        (
            "api-zero",
            "/api/python.py?query=hello%20%40world",
            "api/python",
            "/api/python.py?query=hello%20%40world",
        ),
        ("api-zero", "/api/wsgi", "api/wsgi", "/api/wsgi"),
        ("pipfile-3api", "/api/handler.py?x=1", "api/handler", "/api/handler.py?x=1"),
        # The same project under the detected flask preset: api/wsgi.py is the app of everything.
        ("api-zero-flask", "/api/python.py", "flask", "/api/python.py"),
        # Dynamic segment: the parameter arrives as a query parameter.
        ("api-dyn", "/api/users/42", "api/users/[id]", "/api/users/42?id=42"),
        ("api-dyn", "/u/7", "api/users/[id]", "/u/7?id=7"),
        ("api-dyn", "/q/bob", "api/hello", "/q/bob?from=q&name=bob"),
        ("api-dyn", "/api", "api/index", "/api"),
        # Rewrites with parameters under a preset: the app sees the destination.
        ("flask-all", "/blog/x?a=1", "flask", "/posts/x?a=1"),
        ("fastapi-rewrite", "/old/x/y?q=1", "fastapi", "/new/x/y?q=1"),
        ("python-preset", "/docs/intro", "python", "/d/intro"),
        ("python-preset", "/all/x", "python", "/"),
    ],
)
def test_function_and_path(case: str, request_path: str, target: str, seen: str) -> None:
    got = run(case, request_path)
    assert (got.kind, got.target, got.path) == ("function", target, seen)


def test_zero_config_unknown_api_path_is_platform_404() -> None:
    assert run("api-zero", "/api/nope") == Resolution("status", status=404)
    assert run("api-zero", "/api/index") == Resolution("status", status=404)


def test_error_phase_serves_404_html_with_status_404() -> None:
    got = run("api-dyn", "/nope")
    assert (got.kind, got.target, got.status) == ("static", "404.html", 404)
    clean = run("api-clean", "/nope/")
    assert (clean.kind, clean.status) == ("status", 404)  # dest /404: cleanUrls, no such file


@pytest.mark.parametrize(
    ("case", "request_path", "status", "location"),
    [
        ("flask-all", "/old", 308, "/health"),
        ("flask-all", "/tmp/5?z=1", 307, "/items/5?z=1"),
        ("flask-all", "/gone", 301, "https://example.com/"),
        ("flask-all", "/about/", 308, "/about"),  # trailingSlash: false
        ("flask-all", "/x.html", 308, "/x"),  # cleanUrls
        ("flask-trailing", "/health", 308, "/health/"),  # trailingSlash: true
        ("api-clean", "/api/hello.py", 308, "/api/hello/"),  # cleanUrls for api files
        ("api-clean", "/docs/a/b", 308, "/docs/a/b/"),  # trailingSlash runs before redirects
        ("python-preset", "/r/intro", 302, "/docs/intro"),
    ],
)
def test_redirects(case: str, request_path: str, status: int, location: str) -> None:
    got = run(case, request_path)
    assert (got.kind, got.status, got.location) == ("redirect", status, location)


def test_headers_and_static_files() -> None:
    css = run("flask-all", "/static/x.css")
    assert (css.kind, css.target) == ("static", "static/x.css")
    assert css.headers == (("cache-control", "public, max-age=60"), ("x-all", "1"))
    assert run("flask-all", "/").headers == (("x-all", "1"),)
    assert run("flask-trailing", "/about/").headers == (("x-about", "yes"),)
    assert run("python-preset", "/d/intro").headers == (("x-slug", "intro"),)
    # headers match the request's path, before rewrites: /docs/intro -> /d/intro gets none
    assert run("python-preset", "/docs/intro").headers == ()
    assert run("api-clean", "/api/hello/").headers == (("x-api", "1"),)


def test_external_rewrite() -> None:
    got = run("fastapi-rewrite", "/ext/z?k=v")
    assert (got.kind, got.target) == ("external", "https://example.com/z?k=v")


def test_trailing_slash_keeps_files_and_well_known() -> None:
    assert run("flask-trailing", "/static/x.css").kind == "static"
    got = run("flask-trailing", "/.well-known/x")
    assert (got.kind, got.target, got.path) == ("function", "flask", "/.well-known/x")
