"""build_failure() and install_source() on the builder's own texts (cited in build.py)."""

from __future__ import annotations

import pytest

from vercel_lab.logs import build_failure, install_source, normalise

UV_LOCK = (
    'Error: Failed to run "uv lock --python /vercel/path0/.vercel/python/.venv/bin/python": '
    "Command failed: /usr/local/bin/uv lock --python /vercel/path0/.vercel/python/.venv/bin/python"
)


@pytest.mark.parametrize(
    ("lines", "kind", "step", "subject"),
    [
        (
            [UV_LOCK, "error: No `project` table found in: /vercel/path0/pyproject.toml"],
            "uv-lock-no-project",
            "lock dependencies (uv lock)",
            "/vercel/path0/pyproject.toml",
        ),
        (
            [UV_LOCK, "error: No solution found when resolving dependencies:"],
            "dependency-resolution",
            "lock dependencies (uv lock)",
            "No solution found when resolving dependencies",
        ),
        (
            [
                'Error: Python version "3.8" detected in .python-version is discontinued and '
                "must be upgraded."
            ],
            "python-version-discontinued",
            "select the Python version",
            "3.8",
        ),
        (
            ['Error: Expected "pyproject.toml" next to "uv.lock" in "/vercel/path0/api"'],
            "lock-without-pyproject",
            "install dependencies",
            "uv.lock",
        ),
        (
            ["Error: Failed to install Python dependencies from uv.lock: exit code 2"],
            "dependency-sync-failed",
            "install dependencies",
            "uv.lock",
        ),
        (
            [
                'Failed to run "/usr/local/bin/uv pip install --target _vendor x", falling back'
                " to pip",
                'Failed to run "/vercel/path0/.venv/bin/pip install --target _vendor x"',
            ],
            "pip-install-failed",
            "install dependencies (pip)",
            "/vercel/path0/.venv/bin/pip",
        ),
        (
            ["Error: could not parse Pipfile.lock: Unexpected token } in JSON at position 9"],
            "manifest-parse",
            "read the dependency manifest",
            "Pipfile.lock",
        ),
    ],
)
def test_each_failure_names_its_step(lines: list[str], kind: str, step: str, subject: str) -> None:
    failure = build_failure(lines)
    assert failure is not None
    assert (failure.kind, failure.step, failure.subject) == (kind, step, subject)


def test_the_cli_error_line_is_reported_with_uvs_words() -> None:
    failure = build_failure(
        ["Installing required dependencies from requirements.txt...", UV_LOCK,
         "error: No `project` table found in: /vercel/path0/pyproject.toml", "Learn More: x"]
    )  # fmt: skip
    assert failure is not None
    assert failure.line == 2
    assert failure.manifest == "requirements.txt"
    assert failure.detail.splitlines() == [
        UV_LOCK,
        "error: No `project` table found in: /vercel/path0/pyproject.toml",
    ]


def test_a_successful_build_has_no_failure_but_names_its_manifest() -> None:
    log = (
        "2026-11-29T21:14:03.100Z  Installing required dependencies from uv.lock...\n"
        "2026-11-29T21:14:06.900Z  Build Completed in /vercel/output [4s]"
    )
    records = normalise(log)
    assert build_failure(records) is None
    assert install_source(records) == "uv.lock"


@pytest.mark.parametrize(
    ("line", "manifest"),
    [
        ("Installing required dependencies from Pipfile.lock...", "Pipfile.lock"),
        ("Installing required dependencies from api/requirements.txt...", "api/requirements.txt"),
        ("Installing required dependencies from pylock.toml...", "pylock.toml"),
    ],
)
def test_install_source_forms(line: str, manifest: str) -> None:
    assert install_source([line]) == manifest


def test_no_install_line_means_unknown_manifest() -> None:
    assert install_source(["Build Completed in /vercel/output [4s]"]) is None
