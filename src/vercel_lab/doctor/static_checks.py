"""Checks of the function's entrypoints: the handler Vercel calls, the object it serves, the
variable the builder looks for, and api/ files the builder skips; plus syntax errors in any file
the function loads.

All of it reads the AST of the project's files (:mod:`vercel_lab.doctor.analysis`); nothing is
imported or run.
"""

from __future__ import annotations

import ast
import posixpath

from vercel_lab.builder.detect import find_app_or_handler
from vercel_lab.doctor.analysis import Analysis
from vercel_lab.doctor.findings import Finding
from vercel_lab.doctor.pyeval import dotted, import_time, is_main_guard, outside_task
from vercel_lab.doctor.registry import make

_REQ = {"req", "request", "r", "rq"}
_RES = {"res", "resp", "response", "rs"}
_EVENT = {"event", "evt", "e", "ev", "events"}
_CONTEXT = {"context", "ctx", "_context", "lambda_context", "_ctx", "c"}
_EXPRESS_METHODS = {
    "status",
    "send",
    "json",
    "end",
    "setHeader",
    "set_header",
    "writeHead",
    "sendStatus",
    "sendFile",
    "header",
    "redirect",
    "write",
}
_ADAPTERS = {
    "Mangum",
    "mangum.Mangum",
    "apig_wsgi.make_lambda_handler",
    "make_lambda_handler",
    "serverless_wsgi.handle_request",
    "awsgi.response",
    "aws_lambda_wsgi.response",
}
_APP_FACTORIES = {
    "Flask",
    "FastAPI",
    "Starlette",
    "Quart",
    "Sanic",
    "Litestar",
    "Bottle",
    "get_wsgi_application",
    "get_asgi_application",
    "WSGIHandler",
    "ASGIHandler",
    "falcon.App",
    "falcon.asgi.App",
    "flask.Flask",
    "fastapi.FastAPI",
}
_LITERALS = {
    ast.Dict: "a dict",
    ast.List: "a list",
    ast.Tuple: "a tuple",
    ast.Set: "a set",
    ast.JoinedStr: "a string",
}


def check(analysis: Analysis) -> list[Finding]:
    """The entrypoint checks, sys.path entries outside the project, and syntax errors in the
    files the function loads."""
    findings: list[Finding] = []
    project = analysis.project
    for rel in analysis.function_files:
        tree = analysis.tree(rel)
        if tree is not None:
            findings += _handler_checks(rel, tree)
            findings += _served_object_checks(analysis, rel, tree)
    zero_config = not project.python_preset and "builds" not in project.config.raw
    if zero_config and project.build_error is None:
        findings += _api_files(analysis)
    for addition in analysis.additions:
        if outside_task(addition.path):
            findings.append(
                make("sys-path-outside-project", addition.file, addition.line, path=addition.path)
            )
    for rel in analysis.reachable:
        source = project.source(rel)
        if source.syntax_error is not None:
            message, line = source.syntax_error
            findings.append(make("syntax-error", rel, line, error=f"{message}, line {line}"))
    return findings


# -- the handler -----------------------------------------------------------------------------


def _required(fn: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> list[str]:
    positional = [*fn.args.posonlyargs, *fn.args.args]
    return [a.arg for a in positional[: len(positional) - len(fn.args.defaults)]]


def _handler_checks(rel: str, tree: ast.Module) -> list[Finding]:
    findings: list[Finding] = []
    has_app = any(_binds(stmt, ("app", "application")) for stmt in tree.body)
    for stmt in tree.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef) and stmt.name in (
            "handler",
            "app",
            "application",
        ):
            findings += _signature(rel, stmt, has_app)
    for fn in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)):
        params = _required(fn)
        if len(params) >= 2 and params[0].lower() in _REQ and params[1].lower() in _RES:
            for node in ast.walk(fn):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == params[1]
                    and node.func.attr in _EXPRESS_METHODS
                ):
                    call = f"{params[1]}.{node.func.attr}"
                    findings.append(make("node-response-calls", rel, node.lineno, call=call))
        if not fn.decorator_list:
            for node in ast.walk(fn):
                if (
                    isinstance(node, ast.Return)
                    and isinstance(node.value, ast.Dict)
                    and any(
                        isinstance(k, ast.Constant) and k.value == "statusCode"
                        for k in node.value.keys
                    )
                ):
                    findings.append(make("lambda-response-dict", rel, node.lineno, name=fn.name))
    return findings


def _signature(
    rel: str, fn: ast.FunctionDef | ast.AsyncFunctionDef, has_app: bool
) -> list[Finding]:
    params = _required(fn)
    shown = ", ".join(params)
    lowered = [p.lower() for p in params]
    is_async = isinstance(fn, ast.AsyncFunctionDef)
    where = (rel, fn.lineno)
    if len(params) == 2 and not is_async:
        if lowered[0] in _REQ and lowered[1] in _RES:
            return [make("handler-node-signature", *where, name=fn.name, params=shown)]
        if lowered[0] in _EVENT and lowered[1] in _CONTEXT:
            return [make("handler-lambda-signature", *where, name=fn.name, params=shown)]
        if fn.name == "handler" and not has_app:
            return [make("wsgi-function-named-handler", *where, params=shown)]
        return []
    if len(params) == 1:
        return [make("handler-single-argument", *where, name=fn.name, params=shown)]
    if is_async and len(params) == 3:
        return []
    if is_async and len(params) == 2:
        detail = (
            "is async with 2 arguments: the runtime takes it for WSGI, and the coroutine "
            "it returns is not a WSGI response"
        )
    else:
        detail = (
            f"takes {len(params)} required positional argument"
            f"{'' if len(params) == 1 else 's'}{' and is async' if is_async else ''}, so "
            'the runtime stops at cold start with "Could not determine the application '
            'interface"'
        )
    return [make("app-wrong-arity", *where, name=fn.name, detail=detail)]


def _binds(stmt: ast.stmt, names: tuple[str, ...]) -> bool:
    if isinstance(stmt, ast.Assign):
        return any(isinstance(t, ast.Name) and t.id in names for t in stmt.targets)
    if isinstance(stmt, ast.AnnAssign):
        return isinstance(stmt.target, ast.Name) and stmt.target.id in names
    if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return stmt.name in names
    if isinstance(stmt, ast.ImportFrom | ast.Import):
        return any((a.asname or a.name) in names for a in stmt.names)
    return False


# -- the object Vercel serves ----------------------------------------------------------------


def _served_object_checks(analysis: Analysis, rel: str, tree: ast.Module) -> list[Finding]:
    findings: list[Finding] = []
    text = analysis.project.text(rel) or ""
    found = find_app_or_handler(text)
    last: dict[str, ast.stmt] = {}
    for stmt in tree.body:
        for name in ("app", "application", "handler"):
            if _binds(stmt, (name,)):
                last[name] = stmt
        if (
            isinstance(stmt, ast.ClassDef)
            and stmt.name.lower() == "handler"
            and (not stmt.bases or all(dotted(b) == "object" for b in stmt.bases))
        ):
            findings.append(
                make("handler-class-not-request-handler", rel, stmt.lineno, name=stmt.name)
            )
    for name, stmt in last.items():
        if name == "handler" and ("app" in last or "application" in last):
            continue
        value = stmt.value if isinstance(stmt, ast.Assign | ast.AnnAssign) else None
        if isinstance(value, ast.Call) and (adapter := dotted(value.func)) in _ADAPTERS:
            findings.append(
                make(
                    "lambda-adapter",
                    rel,
                    stmt.lineno,
                    name=name,
                    adapter=adapter.rpartition(".")[2] if adapter else "",
                )
            )
        elif value is not None and name != "handler" and (kind := _literal_kind(value)):
            findings.append(make("app-not-callable", rel, stmt.lineno, name=name, kind=kind))
    if found is None and rel.endswith(".py"):
        findings += _hidden_app(rel, tree)
    return findings


def _literal_kind(value: ast.expr) -> str | None:
    for kind, text in _LITERALS.items():
        if isinstance(value, kind):
            return text
    if isinstance(value, ast.Constant):
        return "None" if value.value is None else f"a {type(value.value).__name__} constant"
    return None


def _hidden_app(rel: str, tree: ast.Module) -> list[Finding]:
    # The builder reads top-level statements only: an app bound in a block is invisible to it.
    for stmt in tree.body:
        if is_main_guard(stmt):
            for inner in ast.walk(stmt):
                if isinstance(inner, ast.stmt) and inner is not stmt:
                    for name in ("app", "application"):
                        if _binds(inner, (name,)):
                            return [make("app-under-main-guard", rel, inner.lineno, name=name)]
    for stmt, conditional in import_time(tree.body):
        if conditional:
            for name in ("app", "application"):
                if _binds(stmt, (name,)):
                    block = _block_of(tree, stmt)
                    return [make("app-not-top-level", rel, stmt.lineno, name=name, block=block)]
    return []


def _block_of(tree: ast.Module, target: ast.stmt) -> str:
    for stmt in tree.body:
        if any(node is target for node in ast.walk(stmt)):
            kind = {
                ast.If: "an `if` block",
                ast.Try: "a `try` block",
                ast.For: "a `for` loop",
                ast.While: "a `while` loop",
            }
            return next((v for k, v in kind.items() if isinstance(stmt, k)), "a block")
    return "a block"


def _api_files(analysis: Analysis) -> list[Finding]:
    project = analysis.project
    entry_files = {e.file for e in project.entrypoints}
    destinations = {d.split("?")[0].rstrip("/") for _, d in project.config.rewrites}
    findings: list[Finding] = []
    for rel in project.api_files():
        tree = analysis.tree(rel)
        if rel in entry_files or tree is None:
            continue
        if any(
            isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef) and s.name == "handler"
            for s in tree.body
        ):
            continue  # the signature checks say what is wrong with it
        stem = posixpath.splitext(rel)[0]
        route = "/" + (posixpath.dirname(stem) if stem.endswith("/index") else stem)
        hint = _function_hint(tree)
        if hint is None and ("/" + stem in destinations or route in destinations):
            hint = f"a rewrite sends requests to `/{stem}`"
        if hint is not None:
            findings.append(make("api-function-not-detected", rel, None, hint=hint, route=route))
        else:
            findings.append(make("api-file-not-a-function", rel, None, route=route))
    return findings


def _function_hint(tree: ast.Module) -> str | None:
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call):
            factory = dotted(stmt.value.func) or ""
            names = [t.id for t in stmt.targets if isinstance(t, ast.Name)]
            if names and (factory in _APP_FACTORIES or factory in _ADAPTERS):
                return f"it binds `{names[0]} = {factory}(...)`"
        if isinstance(stmt, ast.ClassDef) and any(
            (dotted(b) or "").endswith("BaseHTTPRequestHandler") for b in stmt.bases
        ):
            return f"`class {stmt.name}` is a request handler, but only `handler` is served"
    return None
