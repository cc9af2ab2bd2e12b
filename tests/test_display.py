"""Rendering outcomes: the headline, the text and HTML forms, and build-stable normalisation."""

from __future__ import annotations

import sysconfig

from vercel_lab.display import headline, normalise, render_html, render_text, stable
from vercel_lab.runtime.events import Request
from vercel_lab.runtime.outcome import Outcome


def crash(**overrides: object) -> Outcome:
    fields: dict[str, object] = {
        "request": Request.get("/about/"),
        "status": 500,
        "headers": (
            ("x-vercel-error", "FUNCTION_INVOCATION_FAILED"),
            ("x-vercel-id", "iad1::abcde-1795916027305-5140b701b73a"),
        ),
        "body": b"500: INTERNAL_SERVER_ERROR\n",
        "error_code": "FUNCTION_INVOCATION_FAILED",
        "phase": "invoke",
        "log": '  File "/work/p/api/index.py", line 2, in handler\n<script>alert(1)</script>\n',
        "cold_start_ms": 412.7,
        "entrypoint": "api/index.py:handler",
        "project": "/work/p",
    }
    fields.update(overrides)
    return Outcome(**fields)  # type: ignore[arg-type]


def test_headline_names_status_code_phase_entrypoint_and_cold_start() -> None:
    assert headline(crash()) == (
        "HTTP 500  FUNCTION_INVOCATION_FAILED  (phase: invoke)  ·  api/index.py:handler  ·  "
        "cold start 413 ms"
    )
    assert headline(
        crash(
            status=None,
            phase="build",
            error_code="PYTHON_ENTRYPOINT_NOT_FOUND",
            entrypoint=None,
            cold_start_ms=None,
        )
    ) == ("BUILD FAILED  PYTHON_ENTRYPOINT_NOT_FOUND")
    assert (
        headline(
            crash(
                status=404, phase=None, error_code="NOT_FOUND", entrypoint=None, cold_start_ms=None
            )
        )
        == "HTTP 404  NOT_FOUND"
    )


def test_stable_rendering_maps_machine_details_to_vercels() -> None:
    with stable():
        text = render_text(crash())
    assert 'File "/var/task/api/index.py", line 2' in text
    assert "x-vercel-id: iad1::<id>" in text
    assert "cold start  " not in text and "413" not in text
    assert "/work/p" not in text


def test_normalise_maps_packages_ports_and_dates() -> None:
    purelib = sysconfig.get_paths()["purelib"]
    text = normalise(
        f"{purelib}/django/core.py (\"127.0.0.1\", 1) ('127.0.0.1', 50108) "
        "[29/Nov/2026 01:34:05] cold start 87 ms",
        "/proj",
    )
    assert text == (
        "/var/task/_vendor/django/core.py (\"127.0.0.1\", 1) ('127.0.0.1', <port>) "
        "[<date>] cold start"
    )


def test_html_card_escapes_the_log_and_loads_nothing() -> None:
    card = render_html(crash())
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in card
    assert "<script" not in card and "http" not in card.replace("HTTP 500", "")


def test_normalise_maps_vercel_labs_cache_and_child_to_vercels_layout() -> None:
    from vercel_lab.runtime import _child
    from vercel_lab.runtime.interpreters import cache_root

    runtime = cache_root() / "runtimes" / "0.10.0" / "vercel_runtime" / "vc_init.py"
    venv = cache_root() / "envs" / "0123abcd" / "lib" / "python3.12" / "site-packages" / "flask"
    text = normalise(f'File "{_child.__file__}"\nFile "{runtime}"\nFile "{venv}/app.py"')
    assert text.splitlines() == [
        'File "/var/task/vc__handler__python.py"',
        'File "/var/task/_vendor/vercel_runtime/vc_init.py"',
        'File "/var/task/_vendor/flask/app.py"',
    ]


def test_a_build_failure_shows_the_build_log_not_a_function_log() -> None:
    build = crash(
        status=None,
        phase="build",
        error_code="PYTHON_ENTRYPOINT_NOT_FOUND",
        headers=(),
        body=b"",
        log="Error: no app\n",
        cold_start_ms=None,
    )
    assert "── build log ─" in render_text(build)
    assert "<div>build log</div>" in render_html(build)
    assert "── function log ─" in render_text(crash())
