"""Computed routes and output vs the real ``vercel build`` of every captured case, and the one
router giving the same answer on both."""

from __future__ import annotations

import pytest

from tests.routing.real import RealCase, load_case, real_cases
from vercel_lab.builder.plan import build_plan
from vercel_lab.builder.routing import resolve

CASES = real_cases()
BUILT = [c for c in CASES if c.routes is not None]

REQUESTS = [
    "/", "/health", "/health?x=1&y=%20", "/about/", "/about", "/api", "/api/", "/api/index",
    "/api/index.py", "/api/index?q=1", "/api/python.py?query=hello%20%40world", "/api/python",
    "/api/wsgi.py?say%20hello=nice", "/api/handler.py", "/api/hello", "/api/hello.py",
    "/api/users/42?x=1", "/api/util", "/api/_helper", "/api/nope", "/static/x.css",
    "/static/y.css", "/STATIC/x.css", "/robots.txt", "/404.html", "/about.html", "/index",
    "/x.html", "/old", "/gone", "/tmp/5?z=1", "/blog/x?a=1", "/h", "/a/b/c", "/old/x/y?q=1",
    "/ext/z?k=v", "/new/a", "/u/7", "/go?x=1", "/q/bob", "/docs/a/b", "/docs/intro",
    "/r/intro", "/all/x", "/d/z", "/.well-known/x", "/nope",
]  # fmt: skip


def test_every_case_was_captured() -> None:
    assert len(BUILT) == 18
    assert [c.name for c in CASES if c.routes is None] == ["pipfile-3api-python"]


@pytest.mark.parametrize("case", BUILT, ids=lambda c: c.name)
def test_plan_routes_equals_real_config(case: RealCase) -> None:
    plan = build_plan(case.project, preset=case.preset)
    assert plan.build_error is None
    assert list(plan.routes) == case.routes


@pytest.mark.parametrize("case", BUILT, ids=lambda c: c.name)
def test_planned_output_equals_real_output(case: RealCase) -> None:
    assert build_plan(case.project, preset=case.preset).filesystem == case.filesystem


@pytest.mark.parametrize("case", BUILT, ids=lambda c: c.name)
def test_the_router_agrees_on_computed_and_real(case: RealCase) -> None:
    assert case.routes is not None and case.filesystem is not None
    plan = build_plan(case.project, preset=case.preset)
    for request in REQUESTS:
        real = resolve(case.routes, request, case.filesystem)
        assert resolve(plan.routes, request, plan.filesystem) == real, request


def test_the_python_preset_refuses_three_api_files_as_the_real_build_does() -> None:
    case = load_case("pipfile-3api-python")
    plan = build_plan(case.project, preset=case.preset)
    assert plan.build_error is not None
    assert plan.build_error.message.splitlines()[0] in case.build_log
