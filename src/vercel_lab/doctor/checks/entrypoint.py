"""Checks of the function's entrypoints: the handler Vercel calls, the object it serves, the
variable the builder looks for, and api/ files the builder skips; plus syntax errors in any file
the function loads.

All of it reads the AST of the project's files (:mod:`vercel_lab.doctor.analysis`); nothing is
imported or run.
"""

from __future__ import annotations

import ast
import posixpath
from typing import Final

from vercel_lab.builder.detect import find_app_or_handler
from vercel_lab.doctor import fixes
from vercel_lab.doctor.analysis import Analysis
from vercel_lab.doctor.declare import Check, check, make
from vercel_lab.doctor.findings import Finding
from vercel_lab.doctor.pyeval import dotted, import_time, is_main_guard, outside_task

# The checks of this family, declared next to the code that raises them; ``rank`` is the
# priority within a severity (lower first: the most specific cause first).
# One check per block reads better than one argument per line.
# fmt: off
CHECKS: Final[tuple[Check, ...]] = (
    # -- the handler Vercel calls ----------------------------------------------------------
    check("handler-node-signature", "wrong-handler-signature", "error", "static",
       "`def {name}({params})` is Express's handler(req, res): Vercel's Python runtime passes "
       "no request and response objects; it takes a two-argument callable for a WSGI app and "
       "calls `{name}(environ, start_response)`, so every request fails.",
       fixes.APP, rank=10),
    check("handler-lambda-signature", "wrong-handler-signature", "error", "static",
       "`def {name}({params})` is AWS Lambda's handler(event, context): Vercel's Python runtime "
       "takes it for a WSGI app and calls `{name}(environ, start_response)`, so no request gets "
       "a response.",
       fixes.APP, rank=20),
    check("handler-single-argument", "wrong-handler-signature", "error", "static",
       "`def {name}({params})` takes one argument: Vercel's Python runtime serves only a WSGI "
       "app (environ, start_response), an async ASGI app (scope, receive, send) or a "
       f"BaseHTTPRequestHandler class, and stops at cold start with {fixes.INTERFACE}.",
       fixes.APP, rank=30),
    check("node-response-calls", "wrong-handler-signature", "error", "static",
       "`{call}(...)` is an Express-style response call: no Python runtime on Vercel passes a "
       "response object (the second argument of a WSGI call is the start_response function).",
       "Return the response from a framework view (Flask, FastAPI, Django) instead of calling "
       "methods on a response argument.", rank=40),
    check("lambda-response-dict", "wrong-handler-signature", "error", "static",
       "`{name}` returns an API Gateway-style dict (`statusCode`, `body`): Vercel's Python "
       "runtime never turns a returned dict into an HTTP response.",
       fixes.APP, rank=50),
    # -- the object it serves ----------------------------------------------------------------
    check("lambda-adapter", "app-not-wsgi-or-asgi", "error", "static",
       "`{name} = {adapter}(...)` wraps the app for AWS Lambda: the wrapper takes (event, "
       "context), which the runtime takes for WSGI, so every request fails.",
       "Export the app itself (`app = FastAPI()`, `app = Flask(__name__)`) and drop "
       "`{adapter}`: Vercel's runtime speaks WSGI and ASGI directly.", rank=60),
    check("app-not-callable", "app-not-wsgi-or-asgi", "error", "static",
       "`{name}` is {kind}, not a WSGI or ASGI app: the runtime stops at cold start with "
       f"{fixes.INTERFACE}.",
       "Bind `{name}` to the application object itself: a WSGI callable (environ, "
       "start_response) or an ASGI app (scope, receive, send).", rank=70),
    check("app-wrong-arity", "app-not-wsgi-or-asgi", "error", "static",
       "`{name}` {detail}: a WSGI app takes 2 required arguments (environ, start_response) "
       "and an ASGI app is async with 3 (scope, receive, send).",
       "Give `{name}` the WSGI or ASGI signature, or bind it to a framework's app object.",
       rank=80),
    check("handler-class-not-request-handler", "app-not-wsgi-or-asgi", "error", "static",
       "`class {name}` does not subclass BaseHTTPRequestHandler: the runtime serves a handler "
       f"class only when it does, and stops at cold start with {fixes.INTERFACE}.",
       "Declare it as `class handler(BaseHTTPRequestHandler):` (from http.server) with "
       "`do_GET`/`do_POST` methods, or export a WSGI/ASGI `app` instead.", rank=90),
    # -- the variable the builder looks for -------------------------------------------------
    check("app-under-main-guard", "missing-app-variable", "error", "static",
       '`{name}` is bound only under `if __name__ == "__main__":`, which never runs on Vercel '
       "(the runtime imports the file), so the file has no top-level `{name}`.",
       "Create the app at the top level (`{name} = create_app()`) and keep only the local "
       "server (`{name}.run()`) under the guard.", rank=100),
    check("app-not-top-level", "missing-app-variable", "error", "static",
       "`{name}` is bound only inside {block}: the builder looks for `app`, `application` or "
       "`class handler` among top-level statements only, so it finds no entrypoint here.",
       "Bind `{name}` in a top-level statement (assignment, `def`, `from ... import`), outside "
       "any `if`, `try`, `with` or function.", rank=110),
    check("wsgi-function-named-handler", "missing-app-variable", "error", "static",
       "`def handler({params})` is shaped like a WSGI app, but the builder finds only a "
       "top-level `app`, `application` or `class handler`: a function named handler is not an "
       "entrypoint.",
       "Rename the function to `app` (or add `app = handler` below it).", rank=120),
    check("api-function-not-detected", "missing-app-variable", "error", "static",
       "This file looks like a function ({hint}) but has no top-level `app`, `application` or "
       "`class handler`, so the builder skips it and `{route}` answers 404 NOT_FOUND.",
       "Bind the app to a top-level `app` (`app = Flask(__name__)`, `app = FastAPI()`, ...) "
       "or write a `class handler(BaseHTTPRequestHandler)`.", rank=130),
    check("syntax-error", "other", "error", "static",
       "This file does not parse ({error}): as an entrypoint, the builder finds no app in it "
       "and skips or refuses it; imported by the entrypoint, it fails the cold start with "
       "SyntaxError.",
       "Fix the syntax and check it with `python -m py_compile` on the Python version Vercel "
       "runs (3.12 unless the project asks for 3.13 or 3.14).", rank=140),
    # -- imports -------------------------------------------------------------------------------
    check("sys-path-outside-project", "import-error-module-path", "error", "static",
       "This adds `{path}` to sys.path, outside the deployed project: only the project folder "
       "is uploaded (to /var/task), so imports from there fail.",
       "Keep imported code inside the project and build paths from `__file__`, e.g. "
       "`Path(__file__).resolve().parent.parent`.", rank=150),
    # -- warnings --------------------------------------------------------------------------
    check("api-file-not-a-function", "missing-app-variable", "warning", "static",
       "This file has no top-level `app`, `application` or `class handler`, so the builder "
       "does not make it a function: `{route}` answers 404 NOT_FOUND.",
       "If it is a helper module, name it with a leading `_` (the builder skips those) or "
       "move it out of `api/`; if it is a function, export `app`.", rank=400),
)
# fmt: on

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


def findings(analysis: Analysis) -> list[Finding]:
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
            if stmt.name == "handler" and has_app:
                continue  # the builder serves `app`/`application`; `handler` is never called
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
