"""Cold start and invoke under the real runtime, and how each ending maps to what clients see."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.helpers import MakeProject, processes_in
from vercel_lab import Function, Request
from vercel_lab.platform import PAYLOAD_LIMIT_BYTES

WSGI_OK = """
    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"hello from " + environ["PATH_INFO"].encode()]
"""


def test_a_wsgi_app_answers_and_the_platform_adds_its_headers(make_project: MakeProject) -> None:
    project = make_project({"api/index.py": WSGI_OK})
    with Function(project) as function:
        outcome = function.invoke("/api/index")
    assert (outcome.status, outcome.error_code, outcome.phase) == (200, None, None)
    assert outcome.text == "hello from /api/index"
    assert outcome.header("content-type") == "text/plain"
    assert outcome.header("server") == "Vercel"
    assert outcome.header("x-vercel-id", "").startswith("iad1::")
    assert outcome.header("x-vercel-internal-timing") is None
    assert outcome.cold_start_ms is not None and outcome.cold_start_ms > 0
    assert outcome.entrypoint == "api/index.py:app"


def test_module_state_survives_warm_invocations(make_project: MakeProject) -> None:
    project = make_project(
        {
            "api/index.py": """
        hits = 0
        def app(environ, start_response):
            global hits
            hits += 1
            start_response("200 OK", [])
            return [str(hits).encode()]
    """
        }
    )
    with Function(project) as function:
        first, second, third = (function.invoke("/api/index") for _ in range(3))
    assert [first.text, second.text, third.text] == ["1", "2", "3"]
    assert first.cold_start_ms is not None
    assert second.cold_start_ms is None and third.cold_start_ms is None


def test_concurrent_requests_share_one_instance_on_threads(make_project: MakeProject) -> None:
    project = make_project(
        {
            "api/index.py": """
        import os, threading, time
        def app(environ, start_response):
            time.sleep(0.3)
            start_response("200 OK", [])
            return [f"{os.getpid()} {threading.get_ident()}".encode()]
    """
        }
    )
    with Function(project) as function:
        started = time.monotonic()
        outcomes = function.invoke_many(["/api/index"] * 4)
        elapsed = time.monotonic() - started
    pids = {o.text.split()[0] for o in outcomes}
    threads = {o.text.split()[1] for o in outcomes}
    assert len(pids) == 1 and len(threads) == 4
    assert elapsed < 1.2 + outcomes[0].cold_start_ms / 1000  # not 4 x 0.3 s in a row


def test_import_error_is_init_phase_function_invocation_failed(make_project: MakeProject) -> None:
    project = make_project({"api/index.py": "import no_such_module\napp = None\n"})
    with Function(project) as function:
        outcome = function.invoke("/api/index")
    assert (outcome.status, outcome.error_code, outcome.phase) == (
        500,
        "FUNCTION_INVOCATION_FAILED",
        "init",
    )
    assert outcome.log.startswith('could not import "api/index.py":\nTraceback')
    assert "ModuleNotFoundError: No module named 'no_such_module'" in outcome.log
    assert outcome.log_lines("process exited") == [
        "Python process exited with exit status: 1. The logs above can help with debugging the "
        "issue."
    ]
    assert outcome.header("x-vercel-error") == "FUNCTION_INVOCATION_FAILED"
    assert outcome.text == "A server error has occurred\n\nFUNCTION_INVOCATION_FAILED\n"
    assert "ModuleNotFoundError" not in outcome.text  # the reason is only in the log


def test_missing_variable_is_reported_by_the_runtime(make_project: MakeProject) -> None:
    project = make_project({"api/index.py": "application = None\n"})
    with Function(project, entrypoint="api/index.py:app") as function:
        outcome = function.invoke("/api/index")
    assert (outcome.error_code, outcome.phase) == ("FUNCTION_INVOCATION_FAILED", "init")
    assert outcome.log_lines()[0] == 'missing variable "app" in file "api.index".'


def test_guide_fix_one_argument_handler_fails_interface_detection(
    make_project: MakeProject,
) -> None:
    project = make_project({"api/index.py": "def handler(request):\n    return {}\n"})
    with Function(project, entrypoint="api/index.py:handler") as function:
        outcome = function.invoke("/api/index")
    assert (outcome.status, outcome.error_code, outcome.phase) == (
        500,
        "FUNCTION_INVOCATION_FAILED",
        "init",
    )
    assert outcome.log_lines()[:4] == [
        "Could not determine the application interface for 'api.index:handler'",
        "Expected either:",
        "  - an ASGI app: async callable(scope, receive, send)",
        "  - a WSGI app: callable(environ, start_response)",
    ]


def test_node_style_handler_is_taken_as_wsgi_and_crashes_per_request(
    make_project: MakeProject,
) -> None:
    project = make_project(
        {
            "api/index.py": """
        def handler(req, res):
            res.status(200).send("hi " + req.method)
    """
        }
    )
    # lambda mode: vc_handler raises, Lambda logs it (fluid mode: tests/runtime/test_fluid.py)
    with Function(project, entrypoint="api/index.py:handler", mode="lambda") as function:
        outcome = function.invoke("/api/index")
        pid_after_crash = processes_in(project)
        again = function.invoke("/api/index")
    assert (outcome.status, outcome.error_code, outcome.phase) == (
        500,
        "FUNCTION_INVOCATION_FAILED",
        "invoke",
    )
    # res is start_response, a function: the first Node-style call is the one that fails
    assert "AttributeError: 'function' object has no attribute 'status'" in outcome.log
    assert outcome.log_lines("[ERROR]") == [
        "[ERROR] RemoteDisconnected: Remote end closed connection without response"
    ]
    assert pid_after_crash == []  # the crashed instance is discarded...
    assert again.cold_start_ms is not None  # ...so the next invocation is a cold start


def test_lambda_style_result_dict_fails_as_wsgi(make_project: MakeProject) -> None:
    project = make_project(
        {
            "api/index.py": """
        def handler(event, context):
            return {"statusCode": 200, "body": "hi"}
    """
        }
    )
    with Function(project, entrypoint="api/index.py:handler") as function:
        outcome = function.invoke("/api/index")
    assert (outcome.error_code, outcome.phase) == ("FUNCTION_INVOCATION_FAILED", "invoke")
    assert "TypeError: a bytes-like object is required, not 'str'" in outcome.log


def test_function_answering_500_itself_is_not_a_platform_error(make_project: MakeProject) -> None:
    project = make_project(
        {
            "api/index.py": """
        def app(environ, start_response):
            start_response("500 Internal Server Error", [("Content-Type", "text/html")])
            return [b"<h1>Server Error (500)</h1>"]
    """
        }
    )
    with Function(project) as function:
        outcome = function.invoke("/api/index")
    assert (outcome.status, outcome.error_code, outcome.phase, outcome.ok) == (
        500,
        None,
        None,
        True,
    )


def test_request_over_max_duration_times_out_and_kills_the_instance(
    make_project: MakeProject,
) -> None:
    project = make_project(
        {
            "api/index.py": """
            import time
            def app(environ, start_response):
                if environ["QUERY_STRING"] == "slow=1":
                    time.sleep(30)
                start_response("200 OK", [])
                return [b"fast"]
        """,
            "vercel.json": '{"functions": {"api/index.py": {"maxDuration": 1}}}',
        }
    )
    with Function(project) as function:
        assert function.invoke("/api/index").text == "fast"
        started = time.monotonic()
        outcome = function.invoke("/api/index?slow=1")
        waited = time.monotonic() - started
        assert processes_in(project) == []
        after = function.invoke("/api/index")
    assert (outcome.status, outcome.error_code, outcome.phase) == (
        504,
        "FUNCTION_INVOCATION_TIMEOUT",
        "invoke",
    )
    assert outcome.log_lines("Timeout") == [
        "Vercel Runtime Timeout Error: Task timed out after 1 seconds"
    ]
    assert 1 <= waited < 5
    assert after.text == "fast" and after.cold_start_ms is not None


def test_infinite_loop_at_import_times_out_in_init(make_project: MakeProject) -> None:
    project = make_project({"api/index.py": "while True:\n    pass\napp = None\n"})
    with Function(project, max_duration=1) as function:
        outcome = function.invoke("/api/index")
        assert processes_in(project) == []
    assert (outcome.status, outcome.error_code, outcome.phase) == (
        504,
        "FUNCTION_INVOCATION_TIMEOUT",
        "init",
    )


def test_os_exit_inside_a_request_is_an_invoke_crash(make_project: MakeProject) -> None:
    project = make_project(
        {
            "api/index.py": """
        import os
        def app(environ, start_response):
            print("about to exit", flush=True)
            os._exit(3)
    """
        }
    )
    with Function(project, max_duration=20) as function:
        outcome = function.invoke("/api/index")
        assert processes_in(project) == []
    assert (outcome.status, outcome.error_code, outcome.phase) == (
        500,
        "FUNCTION_INVOCATION_FAILED",
        "invoke",
    )
    assert outcome.log_lines() == [
        "about to exit",
        "Python process exited with exit status: 3. The logs above can help with debugging the "
        "issue.",
    ]


def test_request_body_over_the_limit_is_refused_before_the_function(
    make_project: MakeProject,
) -> None:
    project = make_project(
        {
            "api/index.py": """
        def app(environ, start_response):
            print("called")
            start_response("200 OK", [])
            return [b"ok"]
    """
        }
    )
    with Function(project) as function:
        outcome = function.invoke(
            Request("POST", "/api/index", body=b"x" * (PAYLOAD_LIMIT_BYTES + 1))
        )
        fits = function.invoke(Request("POST", "/api/index", body=b"x" * 1000))
    assert (outcome.status, outcome.error_code) == (413, "FUNCTION_PAYLOAD_TOO_LARGE")
    assert "called" not in outcome.log
    assert fits.status == 200


def test_response_body_over_the_limit_is_a_500(make_project: MakeProject) -> None:
    project = make_project(
        {
            "api/index.py": f"""
        def app(environ, start_response):
            start_response("200 OK", [])
            return [b"x" * {PAYLOAD_LIMIT_BYTES + 1}]
    """
        }
    )
    # lambda mode buffers the body (fluid streams it whole: tests/runtime/test_streaming.py)
    with Function(project, mode="lambda") as function:
        outcome = function.invoke("/api/index")
    assert (outcome.status, outcome.error_code, outcome.phase) == (
        500,
        "FUNCTION_RESPONSE_PAYLOAD_TOO_LARGE",
        "invoke",
    )


def test_writes_at_import_fail_on_the_read_only_filesystem(make_project: MakeProject) -> None:
    project = make_project(
        {
            "api/index.py": """
        import logging
        logging.basicConfig(filename="app.log")
        def app(environ, start_response):
            start_response("200 OK", [])
            return [b"ok"]
    """
        }
    )
    # lambda mode: in IPC mode vc_init configures logging before the import (basicConfig
    # force=True, vc_init.py 0.24.1 l. 270-274), so the user's basicConfig opens no file
    with Function(project, mode="lambda") as function:
        outcome = function.invoke("/api/index")
    with Function(project, read_only=False, mode="lambda") as function:
        writable = function.invoke("/api/index")
    assert (outcome.error_code, outcome.phase) == ("FUNCTION_INVOCATION_FAILED", "init")
    assert f"OSError: [Errno 30] Read-only file system: '{project}/app.log'" in outcome.log
    assert writable.status == 200


def test_vercel_system_and_user_variables_reach_the_function(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHELL_ONLY", "the developer's shell is not inherited")
    project = make_project(
        {
            "api/index.py": """
            import json, os
            def app(environ, start_response):
                start_response("200 OK", [])
                keys = ["VERCEL", "VERCEL_ENV", "VERCEL_REGION", "FROM_FILE", "FROM_OPTION",
                        "SHELL_ONLY"]
                return [json.dumps({k: os.environ.get(k) for k in keys}).encode()]
        """,
            ".env": "FROM_FILE='file value'\n# comment\nexport FROM_OPTION=overridden\n",
        }
    )
    # A project .env never becomes the environment (on Vercel it is only an uploaded file).
    with Function(project, env={"FROM_OPTION": "option"}) as function:
        default = function.invoke("/api/index")
    with Function(
        project, env={"FROM_OPTION": "option"}, env_files=[project / ".env"], target="preview"
    ) as function:
        outcome = function.invoke("/api/index")
    assert default.text == (
        '{"VERCEL": "1", "VERCEL_ENV": "production", "VERCEL_REGION": "iad1", '
        '"FROM_FILE": null, "FROM_OPTION": "option", "SHELL_ONLY": null}'
    )
    assert outcome.text == (
        '{"VERCEL": "1", "VERCEL_ENV": "preview", "VERCEL_REGION": "iad1", '
        '"FROM_FILE": "file value", "FROM_OPTION": "option", "SHELL_ONLY": null}'
    )
    assert outcome.env_sources == {
        "FROM_FILE": f"--env-file {project / '.env'}",
        "FROM_OPTION": "--env",
    }


def test_megabytes_of_log_are_kept_bounded(make_project: MakeProject) -> None:
    project = make_project(
        {
            "api/index.py": """
        import sys
        def app(environ, start_response):
            for i in range(60000):
                print("line", i, "x" * 80)
            start_response("200 OK", [])
            return [b"done"]
    """
        }
    )
    with Function(project) as function:
        outcome = function.invoke("/api/index")
    assert outcome.text == "done"
    assert len(outcome.log) < 300_000
    assert "bytes of log omitted" in outcome.log
    # the runtime's access log line (BaseHandler.log_message) comes after the last print
    assert outcome.log_lines()[-2] == "line 59999 " + "x" * 80
    assert outcome.log_lines()[-1].endswith('"GET /api/index HTTP/1.1" 200 -')


def test_missing_project_and_folder_without_entrypoint(
    make_project: MakeProject, tmp_path: Path
) -> None:
    with pytest.raises(FileNotFoundError, match="no such project folder"):
        Function(tmp_path / "nope")
    empty = make_project({"README.md": "nothing"})
    with Function(empty) as function:
        outcome = function.invoke("/api/index")
    # No Python function at all is a static deployment on Vercel: every path is a 404.
    assert (outcome.status, outcome.phase, outcome.error_code) == (404, None, "NOT_FOUND")
    assert outcome.notes == (
        "No function serves /api/index: the builder found no Python entrypoint in this "
        "project (see docs/tutorial/02-root-cause).",
    )


def test_syntax_error_in_the_entrypoint_fails_at_cold_start(make_project: MakeProject) -> None:
    project = make_project({"app.py": "app = (\n"})
    with Function(project, entrypoint="app.py:app") as function:
        outcome = function.invoke("/api/index")
    assert (outcome.error_code, outcome.phase) == ("FUNCTION_INVOCATION_FAILED", "init")
    assert "SyntaxError: '(' was never closed" in outcome.log


def test_non_utf8_source_fails_at_cold_start(make_project: MakeProject) -> None:
    project = make_project({"app.py": b"app = 'caf\xe9'\n"})
    with Function(project, entrypoint="app.py:app") as function:
        outcome = function.invoke("/api/index")
    assert (outcome.error_code, outcome.phase) == ("FUNCTION_INVOCATION_FAILED", "init")
    assert "SyntaxError: (unicode error) 'utf-8' codec can't decode byte 0xe9" in outcome.log


def test_the_read_only_hooks_own_frames_are_not_in_the_log(make_project: MakeProject) -> None:
    project = make_project({"api/index.py": "open('data.txt', 'w')\napp = None\n"})
    with Function(project) as function:
        outcome = function.invoke("/api/index")
    assert "readonly.py" not in outcome.log
    assert outcome.log_lines("Errno 30") == [
        "OSError: [Errno 30] Read-only file system: 'data.txt'"
    ]
    assert '  File "' + str(project / "api/index.py") + '", line 1, in <module>' in outcome.log
