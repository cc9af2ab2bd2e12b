"""Checks of what the function's modules do: imports that will not resolve on Vercel, and code
that runs at import or per request (environment variables, writes outside /tmp, sleeps past
maxDuration, HTTP calls without a timeout, tracebacks sent to clients, swallowed start-up
errors).

All of it reads the AST of the files the function loads (:mod:`vercel_lab.doctor.analysis`);
nothing is imported or run.
"""

from __future__ import annotations

import ast
import posixpath
from collections.abc import Iterator
from typing import Final

from vercel_lab.builder.entrypoint import module_name
from vercel_lab.doctor import deps, fixes
from vercel_lab.doctor.analysis import Analysis
from vercel_lab.doctor.checks.log_causes import REMOVED_STDLIB
from vercel_lab.doctor.declare import Check, check, make
from vercel_lab.doctor.findings import Finding
from vercel_lab.doctor.pyeval import (
    ModuleValues,
    PathValue,
    dotted,
    import_time,
    is_main_guard,
    relative,
    shallow_nodes,
    statement_nodes,
)
from vercel_lab.platform import DEFAULT_MAX_DURATION, TASK_ROOT

# The checks of this family, declared next to the code that raises them; ``rank`` is the
# priority within a severity (lower first: the most specific cause first).
# One check per block reads better than one argument per line.
# fmt: off
CHECKS: Final[tuple[Check, ...]] = (
    check("import-not-on-sys-path", "import-error-module-path", "error", "static",
       "`{module}` is `{found}` in the project, but its folder is not on sys.path on Vercel "
       "(the project root is), so the import fails with `ModuleNotFoundError: No module named "
       "'{module}'`.",
       "Import it by its path from the project root (`{suggestion}`), or move it to the "
       "project root.", rank=170),
    check("undeclared-import", "import-error-missing-dependency", "error", "static",
       "`{module}` is imported here but {manifest}: Vercel installs only declared packages, so "
       "the import fails with `ModuleNotFoundError: No module named '{module}'`.",
       "Add `{package}` to {target}.", rank=200),
    # -- the environment -------------------------------------------------------------------
    check("env-required-at-import", "env-var-missing", "warning", "static",
       "`{expr}` reads {name} when the module is imported: where {name} is not set in the "
       "Vercel project's Environment Variables, the cold start fails and every request gets "
       "FUNCTION_INVOCATION_FAILED.",
       "Set {name} in the project's Environment Variables (Production and Preview), or read "
       'it with a default: `os.environ.get("{name}")`.', rank=210),
    # -- the read-only filesystem ------------------------------------------------------------
    check("logging-file-handler", "readonly-fs-write", "error", "static",
       "The logging handler `{handler}` writes to `{path}`: the deployment's files are "
       "read-only (only /tmp is writable), so setting up logging fails at import with "
       "`OSError: [Errno 30] Read-only file system`.",
       "Log to stderr (`logging.StreamHandler`), which Vercel keeps as the function log; a "
       "file, if really needed, goes under /tmp.", rank=220),
    check("write-at-import", "readonly-fs-write", "error", "static",
       "`{call}` writes to `{path}` when the module is imported: only /tmp is writable on "
       "Vercel, so the cold start fails with `OSError: [Errno 30] Read-only file system`.",
       fixes.TMP, rank=230),
    # -- limits ------------------------------------------------------------------------------
    check("sleep-exceeds-max-duration", "timeout", "error", "static",
       "`time.sleep({seconds})` lasts at least the function's maxDuration of {limit} s "
       "(vercel.json): a request that reaches it answers 504 FUNCTION_INVOCATION_TIMEOUT.",
       "Raise `maxDuration` in vercel.json `functions`, or move slow work out of the request "
       "(a queue, a cron job, a background service).", rank=270),
    check("write-in-request", "readonly-fs-write", "warning", "static",
       "`{call}` writes to `{path}`: only /tmp is writable on Vercel, so this raises `OSError: "
       "[Errno 30] Read-only file system` when it runs.",
       fixes.TMP, rank=410),
    check("http-call-without-timeout", "timeout", "warning", "static",
       "`{call}(...)` has no timeout: requests waits forever by default, so one slow upstream "
       "holds the request until maxDuration and the client gets 504 "
       "FUNCTION_INVOCATION_TIMEOUT.",
       "Pass `timeout=` (seconds, shorter than the function's maxDuration) and handle the "
       "exception.", rank=500),
    check("traceback-in-response", "runtime-crash-in-view", "warning", "static",
       "A traceback is sent back in the response: visitors see paths and code, and the "
       "failure is answered as a normal response instead of reaching the function log as an "
       "error.",
       "Let the exception propagate (the framework answers 500 and logs the traceback to "
       "stderr, the function log) and show visitors a generic error page.", rank=540),
    check("import-errors-swallowed", "other", "warning", "static",
       "`{clause}` around the app's start-up keeps going after any error: the function "
       "starts without a working app and the cause surfaces later, far from where it "
       "happened.",
       "Let start-up errors raise: the cold start then fails with the real traceback in the "
       'function log (`could not import "..."`).', rank=550),
)
# fmt: on

_FILE_HANDLERS = {
    "FileHandler",
    "RotatingFileHandler",
    "TimedRotatingFileHandler",
    "WatchedFileHandler",
}
_TRACEBACK_CALLS = {
    "traceback.format_exc",
    "traceback.format_exception",
    "format_exc",
    "traceback.format_tb",
}
_STARTUP_CALLS = {
    "django.setup",
    "get_wsgi_application",
    "get_asgi_application",
    "WSGIHandler",
    "ASGIHandler",
    "Flask",
    "FastAPI",
    "create_app",
}


def findings(analysis: Analysis) -> list[Finding]:
    """The import and module-behaviour checks over the files the function loads."""
    findings = _imports(analysis)
    for rel in analysis.reachable:
        tree = analysis.tree(rel)
        if tree is not None:
            findings += _module_checks(analysis, rel, tree)
    return findings


# -- imports ---------------------------------------------------------------------------------


def _guarded(tree: ast.Module, caught: set[str]) -> set[int]:
    """Ids of the nodes inside ``try`` bodies whose handlers catch one of ``caught`` (or all)."""
    ids: set[int] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Try | ast.TryStar)
            and any(
                h.type is None or any((dotted(t) or "") in caught for t in _types(h.type))
                for h in node.handlers
            )
        ) or (
            isinstance(node, ast.If)
            and (
                is_main_guard(node)
                or dotted(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")
            )
        ):
            ids.update(id(n) for s in node.body for n in ast.walk(s))
    return ids


def _types(node: ast.expr) -> list[ast.expr]:
    return list(node.elts) if isinstance(node, ast.Tuple) else [node]


def _imports(analysis: Analysis) -> list[Finding]:
    project = analysis.project
    declared = deps.declared(project)
    available = deps.closure(declared.names) | {"vercel-runtime"}
    reported: set[str] = set()
    findings: list[Finding] = []
    for rel in analysis.reachable:
        tree = analysis.tree(rel)
        if tree is None:
            continue
        optional = _guarded(
            tree, {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}
        )
        for node in ast.walk(tree):
            if id(node) in optional:
                continue
            if isinstance(node, ast.Import):
                modules = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top in reported or deps.is_stdlib(top) or top in REMOVED_STDLIB:
                    continue  # a removed stdlib module: startup's stdlib-removed-import
                if top == "vercel_runtime":
                    continue
                if analysis.resolve(top, 0, rel) is not None or deps.satisfied(top, available):
                    continue
                reported.add(top)
                findings.append(_missing(analysis, declared, rel, node.lineno, module, top))
    return findings


def _missing(
    analysis: Analysis, declared: deps.Declared, rel: str, line: int, module: str, top: str
) -> Finding:
    elsewhere = analysis.project.find_anywhere(top)
    if elsewhere is not None:
        dotted_path = module_name(elsewhere)
        rest = module[len(top) :]
        return make(
            "import-not-on-sys-path",
            rel,
            line,
            module=top,
            found=elsewhere,
            suggestion=f"import {dotted_path}{rest}",
        )
    package = deps.packages_for(top)[0]
    if declared.manifest is None:
        manifest = (
            "the project declares no dependencies (no requirements.txt, pyproject.toml or Pipfile)"
        )
        target = "a requirements.txt at the project root"
    else:
        manifest, target = f"not declared in {declared.manifest}", declared.manifest
    return make(
        "undeclared-import",
        rel,
        line,
        module=top,
        package=package,
        manifest=manifest,
        target=target,
    )


# -- what modules do when imported (and in requests) -----------------------------------------


def _module_checks(analysis: Analysis, rel: str, tree: ast.Module) -> list[Finding]:
    values = analysis.values(rel)
    findings: list[Finding] = []
    env_guarded = _guarded(tree, {"KeyError", "LookupError", "Exception", "BaseException"})
    at_import: set[int] = set()
    for stmt, _ in import_time(tree.body):
        for node in statement_nodes(stmt):
            at_import.add(id(node))
            if id(node) not in env_guarded and (env := _env_read(node)):
                line = getattr(node, "lineno", None)
                findings.append(make("env-required-at-import", rel, line, expr=env[0], name=env[1]))
        if isinstance(stmt, ast.Try):
            findings += _swallowed(rel, stmt)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            findings += _call_checks(analysis, rel, node, values, id(node) in at_import)
    findings += _tracebacks(rel, tree)
    return findings


def _env_read(node: ast.AST) -> tuple[str, str] | None:
    if (
        isinstance(node, ast.Subscript)
        and isinstance(node.ctx, ast.Load)
        and dotted(node.value) in ("os.environ", "environ")
        and isinstance(node.slice, ast.Constant)
        and isinstance(node.slice.value, str)
    ):
        return f'os.environ["{node.slice.value}"]', node.slice.value
    if (
        isinstance(node, ast.Call)
        and dotted(node.func) in ("env", "config", "env.str")
        and len(node.args) == 1
        and not node.keywords
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ):
        name = node.args[0].value
        return f'{dotted(node.func)}("{name}")', name
    return None


def _swallowed(rel: str, stmt: ast.Try) -> list[Finding]:
    starts = any(
        isinstance(n, ast.Call)
        and (dotted(n.func) or "").rpartition(".")[2]
        in {s.rpartition(".")[2] for s in _STARTUP_CALLS}
        for s in stmt.body
        for n in ast.walk(s)
    )
    for handler in stmt.handlers:
        broad = handler.type is None or any(
            dotted(t) in ("Exception", "BaseException") for t in _types(handler.type)
        )
        if starts and broad and not any(isinstance(n, ast.Raise) for n in ast.walk(handler)):
            clause = "except:" if handler.type is None else f"except {ast.unparse(handler.type)}:"
            return [make("import-errors-swallowed", rel, handler.lineno, clause=clause)]
    return []


def _path_arg(values: ModuleValues, node: ast.expr) -> PathValue | None:
    value = values.eval(node)
    if isinstance(value, PathValue):
        return value
    if isinstance(value, str) and value and value != ":memory:":
        return PathValue(posixpath.normpath(posixpath.join(TASK_ROOT, value)))
    return None


def _writes(node: ast.Call, values: ModuleValues) -> Iterator[tuple[str, PathValue, bool]]:
    """(call text, path, is a log handler) for a call that writes to a known path."""
    name = dotted(node.func) or ""
    short = name.rpartition(".")[2]
    first = node.args[0] if node.args else None
    if short == "open" and name in ("open", "io.open") and first is not None:
        mode = (
            node.args[1]
            if len(node.args) > 1
            else next((k.value for k in node.keywords if k.arg == "mode"), None)
        )
        if (
            isinstance(mode, ast.Constant)
            and isinstance(mode.value, str)
            and any(c in mode.value for c in "wax+")
            and (path := _path_arg(values, first))
        ):
            yield f"open(..., {mode.value!r})", path, False
    elif short in _FILE_HANDLERS and first is not None and (path := _path_arg(values, first)):
        yield short, path, True
    elif name == "logging.basicConfig":
        target = next((k.value for k in node.keywords if k.arg == "filename"), None)
        if target is not None and (path := _path_arg(values, target)):
            yield "logging.basicConfig(filename=...)", path, True
    elif name in ("os.makedirs", "os.mkdir", "sqlite3.connect") and first is not None:
        if path := _path_arg(values, first):
            yield name, path, False
    elif (
        isinstance(node.func, ast.Attribute)
        and short in ("mkdir", "write_text", "write_bytes", "touch")
        and (path := _path_arg(values, node.func.value))
    ):
        yield f"Path.{short}", path, False


def _call_checks(
    analysis: Analysis, rel: str, node: ast.Call, values: ModuleValues, at_import: bool
) -> list[Finding]:
    findings: list[Finding] = []
    project = analysis.project
    for call, path, is_log in _writes(node, values):
        inside = relative(path)
        if path == "/tmp" or path.startswith("/tmp/") or project.is_dir(inside):
            continue
        if is_log:
            findings.append(make("logging-file-handler", rel, node.lineno, handler=call, path=path))
        else:
            check_id = "write-at-import" if at_import else "write-in-request"
            if not at_import and _script_like(rel):
                continue
            findings.append(make(check_id, rel, node.lineno, call=call, path=path))
    name = dotted(node.func) or ""
    if name in ("time.sleep", "sleep", "asyncio.sleep") and node.args:
        seconds = values.eval(node.args[0])
        limit = _max_duration(analysis)
        if isinstance(seconds, int | float) and not isinstance(seconds, bool) and seconds >= limit:
            findings.append(
                make(
                    "sleep-exceeds-max-duration",
                    rel,
                    node.lineno,
                    seconds=f"{seconds:g}",
                    limit=f"{limit:g}",
                )
            )
    if (
        name.startswith("requests.")
        and name.rpartition(".")[2] in ("get", "post", "put", "patch", "delete", "head", "request")
        and not any(k.arg == "timeout" for k in node.keywords)
    ):
        findings.append(make("http-call-without-timeout", rel, node.lineno, call=name))
    return findings


def _script_like(rel: str) -> bool:
    parts = rel.split("/")
    return (
        parts[-1] in ("manage.py", "setup.py")
        or "migrations" in parts
        or "management" in parts
        or parts[0] in ("scripts", "bin", "tools")
    )


def _max_duration(analysis: Analysis) -> float:
    limits = [analysis.project.config.max_duration_for(f) for f in analysis.function_files]
    known = [limit for limit in limits if limit is not None]
    return max(known) if known else DEFAULT_MAX_DURATION


def _tracebacks(rel: str, tree: ast.Module) -> list[Finding]:
    holders = {
        t.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and dotted(node.value.func) in _TRACEBACK_CALLS
        for t in node.targets
        if isinstance(t, ast.Name)
    }
    findings: list[Finding] = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Return)
            and node.value is not None
            and any(
                (isinstance(n, ast.Call) and dotted(n.func) in _TRACEBACK_CALLS)
                or (isinstance(n, ast.Name) and n.id in holders)
                for n in shallow_nodes(node.value)
            )
        ):
            findings.append(make("traceback-in-response", rel, node.lineno))
    return findings
