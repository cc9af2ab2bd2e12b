"""The example projects: the fixed ones have no error and no warning; each broken one is named
by the right check and category first."""

from __future__ import annotations

import pytest

from vercel_lab.doctor import check_project
from vercel_lab.examples import example


@pytest.mark.parametrize(
    "name", ["fixed-api-index", "fixed-django-preset", "flask", "fastapi", "handler-class"]
)
def test_fixed_examples_have_no_errors_or_warnings(name: str) -> None:
    findings = check_project(example(name))
    assert [f for f in findings if f.severity != "info"] == []


def test_handler_class_publishes_nothing_but_its_function() -> None:
    # README.md is left out of the zero-config static output since vercel/vercel#16056
    # (April 2026; CLI 58.10.0 chunk-IBIZT5M4.js:29595-29607): nothing else is there.
    assert check_project(example("handler-class")) == []


@pytest.mark.parametrize(
    ("name", "check_id", "category", "location"),
    [
        ("seed-broken", "handler-node-signature", "wrong-handler-signature", "api/index.py:27"),
        ("seed-fix", "handler-single-argument", "wrong-handler-signature", "api/index.py:57"),
        ("lambda-style", "handler-lambda-signature", "wrong-handler-signature", "api/index.py:11"),
        (
            "import-crash",
            "installed-app-missing",
            "import-error-module-path",
            "portfolio/settings.py:11",
        ),
        ("readonly-fs", "logging-file-handler", "readonly-fs-write", "portfolio/settings.py:16"),
        ("timeout", "sleep-exceeds-max-duration", "timeout", "api/index.py:17"),
        (
            "missing-dependency",
            "undeclared-import",
            "import-error-missing-dependency",
            "api/index.py:9",
        ),
    ],
)
def test_broken_examples_are_named_first(
    name: str, check_id: str, category: str, location: str
) -> None:
    first = check_project(example(name))[0]
    assert (first.id, first.category, first.severity, first.location) == (
        check_id,
        category,
        "error",
        location,
    )


def test_seed_broken_reports_the_express_calls_and_the_build_failure() -> None:
    ids = [f.id for f in check_project(example("seed-broken"))]
    assert ids == [
        "handler-node-signature",
        "node-response-calls",
        "node-response-calls",
        "builder-entrypoint-not-found",
        "legacy-builds",
        "legacy-routes",
    ]


def test_readonly_fs_names_the_file_the_logging_handler_opens() -> None:
    assert check_project(example("readonly-fs"))[0].message == (
        "The logging handler `file: logging.FileHandler` writes to "
        "`/var/task/logs/portfolio.log`: the deployment's files are read-only (only /tmp is "
        "writable), so setting up logging fails at import with `OSError: [Errno 30] Read-only "
        "file system`."
    )
