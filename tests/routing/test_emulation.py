"""The emulation routed like the real build: preset detection, the routes the build writes and
the one router, through Function (what invoke and serve run)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import MakeProject
from vercel_lab import Function
from vercel_lab.builder.plan import build_plan

CASE = Path(__file__).resolve().parent.parent / "fixtures" / "cases" / "django-preset-rewrite"

HANDLER = """
from http.server import BaseHTTPRequestHandler


class handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
        self.wfile.write(f"{__name__} saw {self.path}".encode())
"""
FLASK_ECHO = """
from flask import Flask, request

app = Flask(__name__)


@app.route("/", defaults={"path": ""})
@app.route("/<path:path>")
def echo(path):
    return f"flask saw {request.full_path}"
"""
FLASK_HEALTH = """
from flask import Flask

app = Flask(__name__)


@app.get("/health")
def health():
    return "ok"
"""
REWRITE = '{"rewrites": [{"source": "/(.*)", "destination": "/api/index"}]}'


def test_shared_case_under_the_detected_django_preset_django_sees_api_index() -> None:
    with Function(CASE) as function:
        outcome = function.invoke("/about/")
    assert (outcome.preset, outcome.preset_source) == ("django", "detected")
    assert outcome.status == 404 and outcome.error_code is None  # Django's own 404
    assert outcome.to_json()["preset"] == "django"
    assert "preset: django (detected)" in str(outcome)


def test_shared_case_with_framework_null_answers_200() -> None:
    with Function(CASE, framework=None) as function:
        outcome = function.invoke("/about/")
    assert (outcome.status, outcome.preset, outcome.preset_source) == (200, None, "override")
    assert function.route("/robots.txt").kind == "static"


@pytest.mark.parametrize(("framework", "status"), [("<detect>", 404), (None, 200)])
def test_flask_preset_rewrite_answers_flasks_own_404(
    make_project: MakeProject, framework: str | None, status: int
) -> None:
    project = make_project(
        {"requirements.txt": "flask\n", "api/index.py": FLASK_HEALTH, "vercel.json": REWRITE}
    )
    with Function(project, framework=framework) as function:
        outcome = function.invoke("/health")
    assert (outcome.status, outcome.error_code) == (status, None)


def test_vercel_json_framework_null_is_configured(make_project: MakeProject) -> None:
    config = '{"framework": null, ' + REWRITE[1:]
    files = {"requirements.txt": "flask\n", "api/index.py": FLASK_HEALTH, "vercel.json": config}
    with Function(make_project(files)) as function:
        outcome = function.invoke("/health")
    assert (outcome.status, outcome.preset, outcome.preset_source) == (200, None, "configured")


def test_deployment_test_layout_each_api_file_is_its_own_function(
    make_project: MakeProject,
) -> None:
    project = make_project(
        {"requirements.txt": "flask\n", "api/python.py": HANDLER, "api/wsgi.py": FLASK_ECHO}
    )
    plan = build_plan(project)
    assert (plan.preset, plan.preset_source) == (None, "detected")
    assert plan.preset_note is not None and '"flask"' in plan.preset_note
    with Function(project) as function:
        texts = [function.invoke(p).text for p in ("/api/python", "/api/python.py?q=1")]
        wsgi = function.invoke("/api/wsgi?a=b&c=%20d")
    assert texts == ["api.python saw /api/python", "api.python saw /api/python.py?q=1"]
    assert wsgi.text == "flask saw /api/wsgi?a=b&c=%20d"
    with Function(project, framework="flask") as function:  # what the dashboard would suggest
        assert function.invoke("/api/python.py").text == "flask saw /api/python.py?"


def test_three_api_files_and_a_pipfile_each_at_its_own_path(make_project: MakeProject) -> None:
    files = {"Pipfile": "[packages]\n", **{f"api/{n}.py": HANDLER for n in ("a", "b", "c")}}
    with Function(make_project(files)) as function:
        assert function.plan.preset_note is not None
        answers = [function.invoke(f"/api/{n}?x={n}") for n in "abc"]
        assert function.invoke("/Pipfile").status == 200  # no public/: the files are static
        missing = function.invoke("/api/nope")
    assert [a.text for a in answers] == [f"api.{n} saw /api/{n}?x={n}" for n in "abc"]
    assert (missing.status, missing.error_code) == (404, "NOT_FOUND")


def test_headers_redirects_clean_urls_and_trailing_slash(make_project: MakeProject) -> None:
    config = """{
      "cleanUrls": true, "trailingSlash": false,
      "redirects": [{"source": "/old/:slug", "destination": "/new/:slug"},
                    {"source": "/tmp", "destination": "/t", "permanent": false}],
      "headers": [{"source": "/(.*)", "headers": [{"key": "X-Frame-Options", "value": "DENY"}]}],
      "rewrites": [{"source": "/blog/:slug", "destination": "/posts?slug=:slug"}]
    }"""
    files = {
        "requirements.txt": "flask\n",
        "app.py": FLASK_ECHO,
        "public/robots.txt": "User-agent: *\n",
        "vercel.json": config,
    }
    with Function(make_project(files)) as function:
        old, tmp = function.invoke("/old/x"), function.invoke("/tmp")
        slash, html = function.invoke("/about/"), function.invoke("/page.html")
        robots, blog = function.invoke("/robots.txt"), function.invoke("/blog/hi?a=1")
    assert (old.status, old.header("location")) == (308, "/new/x")
    assert (tmp.status, tmp.header("location")) == (307, "/t")
    assert (slash.status, slash.header("location")) == (308, "/about")
    assert (html.status, html.header("location")) == (308, "/page")
    assert (robots.status, robots.text, robots.entrypoint) == (200, "User-agent: *\n", None)
    assert robots.header("x-frame-options") == "DENY"
    assert (blog.status, blog.text) == (200, "flask saw /posts?slug=hi&a=1")
    assert blog.header("x-frame-options") == "DENY"


QUERIES = (
    "query=hello%20%40world",
    "hello=%2F",
    "say=hello%20world",
    "say%20hello=nice",
    "%E6%82%A8%E5%A5%BD=%2F",
)


@pytest.mark.parametrize(
    "config",
    ["{}", '{"builds": [{"src": "api/*.py", "use": "@vercel/python"}]}'],
    ids=["zero-config", "builds"],
)
def test_query_strings_reach_the_app_untouched(make_project: MakeProject, config: str) -> None:
    # The probes of @vercel/python's deployment test 00-request-path (vercel/vercel
    # packages/python/test/fixtures/00-request-path/probes.json): the raw query arrives as sent.
    project = make_project(
        {
            "requirements.txt": "flask\n",
            "api/python.py": HANDLER,
            "api/wsgi.py": FLASK_ECHO.replace("request.full_path", "request.query_string"),
            "vercel.json": config,
        }
    )
    with Function(project) as function:
        for query in QUERIES:
            text = function.invoke(f"/api/python.py?{query}").text
            assert text.endswith(f"/api/python.py?{query}"), (query, text)
            assert function.invoke(f"/api/wsgi.py?{query}").text == f"flask saw b'{query}'"
