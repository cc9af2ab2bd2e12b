"""The example projects under the real runtime: what the chapters claim, proven."""

from __future__ import annotations

import pytest

from vercel_lab import Function, logs
from vercel_lab.examples import example

BUILDER_REFUSAL = 'Could not find a top-level "app", "application", or "handler" in "api/index.py".'


@pytest.mark.parametrize("name", ["seed-broken", "seed-fix", "lambda-style"])
def test_todays_builder_refuses_the_guides_handlers(name: str) -> None:
    with Function(example(name)) as function:
        outcome = function.invoke("/")
    assert (outcome.status, outcome.phase, outcome.error_code) == (
        None,
        "build",
        "PYTHON_ENTRYPOINT_NOT_FOUND",
    )
    assert outcome.log == f"Error: {BUILDER_REFUSAL}\n"


def test_seed_broken_forced_through_crashes_on_every_request() -> None:
    with Function(example("seed-broken"), entrypoint="api/index.py:handler") as function:
        outcome = function.invoke("/")
    assert (outcome.status, outcome.error_code, outcome.phase) == (
        500,
        "FUNCTION_INVOCATION_FAILED",
        "invoke",
    )
    assert "AttributeError: 'dict' object has no attribute 'method'" in outcome.log
    assert outcome.header("x-vercel-error") == "FUNCTION_INVOCATION_FAILED"


def test_the_guides_fix_fails_at_cold_start() -> None:
    with Function(example("seed-fix"), entrypoint="api/index.py:handler") as function:
        outcome = function.invoke("/")
    assert (outcome.status, outcome.error_code, outcome.phase) == (
        500,
        "FUNCTION_INVOCATION_FAILED",
        "init",
    )
    assert outcome.log_lines("Could not determine") == [
        "Could not determine the application interface for 'api.index:handler'"
    ]


def test_lambda_style_handler_crashes_as_wsgi() -> None:
    with Function(example("lambda-style"), entrypoint="api/index.py:handler") as function:
        outcome = function.invoke("/")
    assert (outcome.error_code, outcome.phase) == ("FUNCTION_INVOCATION_FAILED", "invoke")
    assert "TypeError: a bytes-like object is required, not 'str'" in outcome.log


@pytest.mark.parametrize("name", ["fixed-api-index", "fixed-django-preset"])
def test_fixed_layouts_serve_the_portfolio_and_its_stylesheet(name: str) -> None:
    with Function(example(name)) as function:
        home = function.invoke("/")
        about = function.invoke("/about/")
        css = function.invoke("/static/css/style.css")
        crash = function.invoke("/crash/")
    assert (home.status, home.error_code) == (200, None)
    assert "<h1>Portfolio</h1>" in home.text and "<title>Home | Portfolio</title>" in home.text
    assert about.status == 200 and "<title>About | Portfolio</title>" in about.text
    assert css.status == 200 and css.header("content-type", "").startswith("text/css")
    assert css.text.startswith("/* Portfolio stylesheet")
    # Django's own generic 500 is the function answering: not a platform error.
    assert (crash.status, crash.error_code, crash.phase) == (500, None, None)
    assert "<h1>Server Error (500)</h1>" in crash.text
    assert "Traceback" not in crash.text and "RuntimeError" in crash.log


def test_import_crash_is_an_init_failure() -> None:
    with Function(example("import-crash")) as function:
        outcome = function.invoke("/")
    assert (outcome.status, outcome.error_code, outcome.phase) == (
        500,
        "FUNCTION_INVOCATION_FAILED",
        "init",
    )
    assert 'could not import "api/index.py":\nTraceback' in outcome.log
    assert "ModuleNotFoundError: No module named 'portfolio_blog'" in outcome.log


def test_readonly_fs_fails_at_import_and_works_when_writable() -> None:
    with Function(example("readonly-fs")) as function:
        outcome = function.invoke("/")
    assert (outcome.error_code, outcome.phase) == ("FUNCTION_INVOCATION_FAILED", "init")
    log_file = example("readonly-fs") / "logs" / "portfolio.log"
    assert f"OSError: [Errno 30] Read-only file system: '{log_file}'" in outcome.log


def test_timeout_example_answers_fast_then_times_out_on_slow() -> None:
    with Function(example("timeout")) as function:
        fast = function.invoke("/")
        slow = function.invoke("/slow")
    assert (fast.status, fast.error_code) == (200, None)
    assert (slow.status, slow.error_code, slow.phase) == (
        504,
        "FUNCTION_INVOCATION_TIMEOUT",
        "invoke",
    )
    assert slow.log_lines("Timeout") == [
        "Vercel Runtime Timeout Error: Task timed out after 1 seconds"
    ]


def test_missing_dependency_works_in_the_current_environment() -> None:
    """``--deps current`` (explicit, unfaithful): a package installed here imports."""
    with Function(example("missing-dependency"), dependencies="current") as function:
        outcome = function.invoke("/")
    assert (outcome.status, outcome.error_code) == (200, None)


@pytest.mark.parametrize(
    ("name", "path", "marker"),
    [
        ("handler-class", "/api/index", ""),
        ("flask", "/", ""),
        ("fastapi", "/", ""),
    ],
)
def test_alternative_shapes_answer(name: str, path: str, marker: str) -> None:
    with Function(example(name)) as function:
        outcome = function.invoke(path)
    assert (outcome.status, outcome.error_code, outcome.phase) == (200, None, None), outcome.log
    assert marker in outcome.text


@pytest.mark.network
def test_missing_dependency_fails_with_deployed_dependencies() -> None:
    with Function(example("missing-dependency"), dependencies="deployed") as function:
        outcome = function.invoke("/")
    assert (outcome.status, outcome.error_code, outcome.phase) == (
        500,
        "FUNCTION_INVOCATION_FAILED",
        "init",
    )
    assert "ModuleNotFoundError: No module named 'markdown'" in outcome.log


@pytest.mark.network
def test_runtime_of_2025_crashes_the_guides_handler_at_import() -> None:
    with Function(
        example("seed-broken"), entrypoint="api/index.py:handler", runtime_version="0.10.0"
    ) as function:
        outcome = function.invoke("/")
    assert (outcome.status, outcome.error_code, outcome.phase) == (
        500,
        "FUNCTION_INVOCATION_FAILED",
        "init",
    )
    assert outcome.runtime_version == "0.10.0"
    assert "TypeError: issubclass() arg 1 must be a class" in outcome.log


def test_improperly_configured_fails_at_import_and_works_with_the_variable_set() -> None:
    with Function(example("improperly-configured")) as function:
        outcome = function.invoke("/")
    assert (outcome.status, outcome.error_code, outcome.phase) == (
        500,
        "FUNCTION_INVOCATION_FAILED",
        "init",
    )
    assert logs.exception_line(outcome.log) == (
        "django.core.exceptions.ImproperlyConfigured: "
        "Set the DJANGO_SECRET_KEY environment variable"
    )
    with Function(example("improperly-configured"), env={"DJANGO_SECRET_KEY": "x" * 50}) as fixed:
        assert fixed.invoke("/").status in (200, 301)
