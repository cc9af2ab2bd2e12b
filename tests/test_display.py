"""Rendering outcomes: the headline, the text and HTML forms, and build-stable normalisation."""

from __future__ import annotations

import sysconfig

from vercel_lab.display import (
    headline,
    modelled_parts,
    normalise,
    platform_line,
    render_html,
    render_text,
    source_url,
    stable,
)
from vercel_lab.platform import TEXTS
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
    # links to the sources of the modelled parts load nothing; no script, image or stylesheet
    assert not any(tag in card for tag in ("<script", "src=", "<link", "url(", "@import"))


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


def answered(**overrides: object) -> Outcome:
    fields: dict[str, object] = {
        "request": Request.get("/"),
        "status": 200,
        "headers": (("content-type", "text/plain"), ("x-vercel-id", "iad1::abcde-1-5140b701b73a")),
        "body": b"hello",
        "log": "handling /\n",
        "entrypoint": "api/index.py:app",
    }
    fields.update(overrides)
    return Outcome(**fields)  # type: ignore[arg-type]


def test_platform_lines_are_told_from_the_runtimes() -> None:
    exit_line = (
        "Python process exited with exit status: 1. The logs above can help with debugging "
        "the issue."
    )
    assert platform_line(exit_line) is not None
    assert platform_line("Error: Runtime exited with error: exit status 1") is not None
    assert platform_line("[ERROR] RemoteDisconnected: closed", "lambda") is not None
    assert platform_line("[ERROR] RemoteDisconnected: closed", "fluid") is None
    assert platform_line("AttributeError: 'dict' object has no attribute 'method'") is None


def test_a_platform_error_names_the_source_of_each_modelled_part() -> None:
    outcome = crash(
        headers=(("content-type", "text/plain; charset=utf-8"), *crash().headers),
        log=crash().log + "Python process exited with exit status: 1. The logs above can help "
        "with debugging the issue.\n",
    )
    parts = {part.what.split(" '")[0]: part for part in modelled_parts(outcome)}
    assert parts["status line and code"].source == (
        "https://vercel.com/docs/errors/FUNCTION_INVOCATION_FAILED"
    )
    assert parts["response body"].source == TEXTS["body.text"].source
    assert parts["header x-vercel-error"].evidence == "observed"
    assert parts["log line"].source == TEXTS["log.exit"].source
    text = render_text(outcome)
    assert "x-vercel-error: FUNCTION_INVOCATION_FAILED  [modelled]" in text
    assert "── modelled by vercel-lab (the rest is real) " in text
    card = render_html(outcome)
    assert 'href="https://vercel.com/docs/errors/FUNCTION_INVOCATION_FAILED"' in card
    assert 'href="https://unpkg.com/vercel@58.10.0/dist/commands/dev/index.js"' in card
    assert "response body (modelled by vercel-lab)" in card


def test_a_function_answer_is_real_except_the_platforms_headers() -> None:
    outcome = answered()
    assert [part.what for part in modelled_parts(outcome)] == ["header x-vercel-id"]
    text = render_text(outcome)
    assert "content-type: text/plain\n" in text
    assert "x-vercel-id: iad1::abcde-1-5140b701b73a  [modelled]" in text
    card = render_html(outcome)
    assert "real: your app answered" in card
    assert "response body (from your app)" in card


def test_source_urls_point_at_the_published_files() -> None:
    assert source_url("@vercel/python 25.0.0 dist/index.js:7691") == (
        "https://unpkg.com/@vercel/python@25.0.0/dist/index.js"
    )
    assert source_url("vercel_runtime 0.24.1 vc_init.py:213") == (
        "https://pypi.org/project/vercel-runtime/0.24.1/"
    )
    assert source_url("public production captures") is None
