"""parse_records(): type, message, frames, chains and exception groups."""

from __future__ import annotations

import traceback

from vercel_lab.logs import normalise, parse_records


def _printed(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc))


def _raise_chain() -> BaseException:
    try:
        try:
            environ: dict[str, str] = {}
            environ["SECRET_KEY"]
        except KeyError as exc:
            raise RuntimeError("SECRET_KEY is missing") from exc
    except RuntimeError as exc:
        return exc
    raise AssertionError("unreachable")


def test_cpython_chain_from_the_real_formatter() -> None:
    (model,) = parse_records(normalise(_printed(_raise_chain())))
    assert (model.exc_type, model.message, model.link) == (
        "RuntimeError",
        "SECRET_KEY is missing",
        "cause",
    )
    assert model.cause is not None
    assert (model.cause.exc_type, model.cause.message) == ("KeyError", "'SECRET_KEY'")
    assert model.frames[-1].function == "_raise_chain"
    assert model.frames[-1].file == __file__
    assert [m.exc_type for m in model.chain()] == ["RuntimeError", "KeyError"]


def test_context_chain_is_told_apart_from_cause() -> None:
    try:
        try:
            raise ValueError("first")
        except ValueError:
            raise TypeError("second")  # noqa: B904 - the implicit context is the point
    except TypeError as exc:
        (model,) = parse_records(normalise(_printed(exc)))
    assert model.link == "context"
    assert model.cause is not None and model.cause.message == "first"


def test_exception_group_from_the_real_formatter() -> None:
    try:
        raise ExceptionGroup("two", [ValueError("a"), KeyError("b")])
    except ExceptionGroup as exc:
        text = _printed(exc)
    assert "  | " in text and "+-+----" in text  # the real margins are exercised
    (model,) = parse_records(normalise(text))
    assert (model.exc_type, model.message) == ("ExceptionGroup", "two (2 sub-exceptions)")
    assert [(m.exc_type, m.message) for m in model.exceptions] == [
        ("ValueError", "a"),
        ("KeyError", "'b'"),
    ]


def test_nested_exception_group_members_keep_their_frames() -> None:
    def inner() -> None:
        raise OSError("disk")

    errors: list[Exception] = []
    try:
        inner()
    except OSError as exc:
        errors.append(exc)
    try:
        raise ExceptionGroup("outer", [ExceptionGroup("inner", errors), ValueError("v")])
    except ExceptionGroup as exc:
        (model,) = parse_records(normalise(_printed(exc)))
    nested, plain = model.exceptions
    assert nested.exc_type == "ExceptionGroup" and nested.message == "inner (1 sub-exception)"
    (oserror,) = nested.exceptions
    assert oserror.exc_type == "OSError" and oserror.frames[-1].function == "inner"
    assert plain.message == "v"


def test_dashboard_copy_without_indentation_keeps_code_lines_apart() -> None:
    log = (
        "2026-02-27 18:14:01.064 [error] Error importing app/api/index.py:\n"
        "Traceback (most recent call last):\n"
        'File "/var/task/_vendor/vercel_runtime/vc_init.py", line 530, in <module>\n'
        "__vc_spec.loader.exec_module(__vc_module)\n"
        'File "<frozen importlib._bootstrap>", line 488, in _call_with_frames_removed\n'
        'File "/var/task/app/core/config.py", line 169, in <module>\n'
        "settings = Settings()  # type: ignore\n"
        "^^^^^^^^^^\n"
        "pydantic_core._pydantic_core.ValidationError: 1 validation error for Settings\n"
        "FIRST_SUPERUSER\n"
        "Field required [type=missing, input_value={'VERCEL_ENV': 'production'}]\n"
        "Python process exited with exit status: 1. "
        "The logs above can help with debugging the issue."
    )
    (model,) = parse_records(normalise(log))
    assert model.short_type == "ValidationError"
    assert model.detail == [
        "FIRST_SUPERUSER",
        "Field required [type=missing, input_value={'VERCEL_ENV': 'production'}]",
    ]
    assert [(f.file, f.code) for f in model.frames][-1] == (
        "/var/task/app/core/config.py",
        "settings = Settings()  # type: ignore",
    )
    assert model.context == ["Error importing app/api/index.py:"]


def test_lambda_import_module_error_form() -> None:
    log = (
        "[ERROR] Runtime.ImportModuleError: Unable to import module 'vc__handler__python': "
        "cannot import name 'url_quote' from 'werkzeug.urls' (/var/task/werkzeug/urls.py)\n"
        "Traceback (most recent call last):"
    )
    (model,) = parse_records(normalise(log))
    assert model.exc_type == "Runtime.ImportModuleError"
    assert "cannot import name 'url_quote'" in model.message
    assert model.frames == []


def test_syntax_error_frame_without_function() -> None:
    try:
        compile("def f(:\n", "/var/task/api/index.py", "exec")
    except SyntaxError as exc:
        (model,) = parse_records(normalise(_printed(exc)))
    assert model.exc_type == "SyntaxError"
    frame = model.frames[-1]
    assert (frame.file, frame.line, frame.function) == ("/var/task/api/index.py", 1, None)


def test_cut_off_traceback_gives_nothing() -> None:
    assert parse_records(["Traceback (most recent call last):", '  File "a.py", line 1']) == []


def test_two_requests_two_tracebacks() -> None:
    log = "\n".join(
        [
            "Traceback (most recent call last):",
            '  File "/var/task/app.py", line 9, in view',
            "    import psycopg2",
            "ModuleNotFoundError: No module named 'psycopg2'",
            'INFO:     127.0.0.1:0 - "GET / HTTP/1.1" 500 Internal Server Error',
            "Traceback (most recent call last):",
            '  File "/var/task/app.py", line 9, in view',
            "ModuleNotFoundError: No module named 'psycopg2'",
        ]
    )
    found = parse_records(log.splitlines())
    assert [m.cause for m in found] == [None, None]
    assert len(found) == 2 and found[0].frames[0].code == "import psycopg2"
