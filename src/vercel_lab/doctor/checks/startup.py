"""Checks of import-time and request-path patterns the other families miss:

- the entrypoint-name collision: a non-app object bound to ``application`` above ``app`` (the
  builder serves the first top-level ``app`` or ``application`` in source order; shared case
  bot-object-named-application, right value established with ``vercel build`` 58.10.0 and
  ``vercel-runtime`` 0.24.1: ``Could not determine the application interface for
  'main:application'``);
- ``importlib.import_module("name")`` of a module that exists only beside the importing file
  (Vercel puts the project root on sys.path, not the file's folder);
- a missing-variable guard that raises inside a function called at import (shared case
  secret-guard-at-import: ``create_app()`` at import -> ``Config.apply`` raises ``RuntimeError:
  SECRET_KEY is missing``);
- Windows path separators in a literal passed to ``open()`` or ``Path()``: on Linux a
  backslash is a character of the file name, so the file is not found.

All of it reads the AST of the files the function loads; nothing is imported or run.
"""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Iterator
from typing import Final

from vercel_lab.builder.entrypoint import module_name
from vercel_lab.doctor import fixes
from vercel_lab.doctor.analysis import Analysis
from vercel_lab.doctor.checks.log_causes import REMOVED_STDLIB
from vercel_lab.doctor.declare import Check, check, make
from vercel_lab.doctor.findings import Finding
from vercel_lab.doctor.pyeval import dotted, import_time

# fmt: off
CHECKS: Final[tuple[Check, ...]] = (
    check("app-name-collision", "app-not-wsgi-or-asgi", "error", "static",
       "`application = {expr}` (line {at}) comes before `app` (line {app_line}): the builder "
       "serves the first top-level `app` or `application` in source order, so it serves this "
       "object, not the app, and the cold start fails with \"Could not determine the "
       "application interface for '{module}:application'\".",
       "Rename this object (`bot = ...`, and its uses) so the app is the only `app` or "
       "`application`, " + fixes.TOOL_VERCEL.replace("{target}", "{module}:app") + ".",
       rank=75),
    check("import-module-not-on-sys-path", "import-error-module-path", "error", "static",
       "`importlib.import_module(\"{module}\")` finds `{found}` only beside this file: Vercel "
       "puts the project root on sys.path, not the file's folder, so it raises "
       "`ModuleNotFoundError: No module named '{module}'`.",
       "Import it by its path from the project root (`import_module(\"{suggestion}\")`).",
       rank=175),
    check("env-guard-at-import", "env-var-missing", "warning", "static",
       "`{function}` raises when {name} is not set, and it runs at import ({path}): where "
       "{name} is missing in the deployment's environment the cold start fails and every "
       "request gets FUNCTION_INVOCATION_FAILED.",
       "Set {name} in the Vercel project's Settings > Environment Variables. "
       + fixes.ENV_SCOPED, rank=205),
    check("own-module-shadowed", "import-error-module-path", "error", "static",
       "`from {module} import ...` in `{own}` imports this file itself: the runtime loads "
       "the entrypoint as the module `{module}`, so the import finds the half-imported file"
       "{hidden} and fails with `ImportError: cannot import name ...`.",
       "Rename `{own}` (to `main.py` or `wsgi.py`, say) so that `{module}` means {meant}, and "
       "point the rewrites or the entrypoint at the new name.", rank=156),
    check("namespace-package-import", "import-error-module-path", "error", "static",
       "`from {module} import {name}`: `{module}/` has no `__init__.py`, so it is a namespace "
       "package with no `{name}` in it, and the import fails with `ImportError: cannot import "
       "name '{name}' from '{module}' (unknown location)`.",
       "Add `{module}/__init__.py` that defines or imports `{name}` (e.g. `from .app import "
       "{name}`).", rank=161),
    check("stdlib-removed-import", "python-version", "error", "static",
       "`{module}` was removed from the standard library in Python {version}{when}: the "
       "import fails with `ModuleNotFoundError: No module named '{module}'`; it is not a "
       "package to add.",
       "Replace `{module}` with {replacement}, or upgrade the package that needs it.",
       rank=166),
    check("windows-path-separator", "other", "error", "static",
       "`{call}(\"{literal}\")` uses Windows separators: on Linux, where Vercel runs, a "
       "backslash is part of the file name, so the file is not found.",
       "Use forward slashes: `\"{posix}\"` (a relative path starts at the working directory, "
       "the project root on Vercel), or join the parts: `Path({parts})`.", rank=245),
)
# fmt: on

_FACTORIES: Final = frozenset(
    {
        "Flask",
        "FastAPI",
        "Starlette",
        "Quart",
        "Sanic",
        "Litestar",
        "Bottle",
        "App",
        "Falcon",
        "get_wsgi_application",
        "get_asgi_application",
        "WSGIHandler",
        "ASGIHandler",
        "Django",
    }
)
_ENV_READ: Final = re.compile(r"^(os\.environ\.get|os\.getenv|getenv|environ\.get)$")
_WINDOWS: Final = re.compile(r"^(?:[A-Za-z]:)?[\w.\- ]+(?:\\[\w.\- ]+)+$")
_PATH_CALLS: Final = frozenset({"open", "Path", "pathlib.Path", "io.open", "codecs.open"})
_MAX_DEPTH: Final = 4


def findings(analysis: Analysis) -> list[Finding]:
    """This family's findings over the function's files and the files they load."""
    found: list[Finding] = []
    for rel in analysis.function_files:
        tree = analysis.tree(rel)
        if tree is not None:
            found += _collision(rel, tree)
    for rel in analysis.reachable:
        tree = analysis.tree(rel)
        if tree is not None:
            found += _import_module(analysis, rel, tree) + _windows(rel, tree)
    return found + _guards(analysis) + _module_paths(analysis)


# -- app / application ------------------------------------------------------------------------


def _root(node: ast.expr) -> str | None:
    """The name a call chain starts from: ``Application`` of ``Application.builder().build()``."""
    while isinstance(node, ast.Call | ast.Attribute):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _collision(rel: str, tree: ast.Module) -> list[Finding]:
    bound: dict[str, ast.Assign] = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                if isinstance(target, ast.Name) and target.id in ("app", "application"):
                    bound.setdefault(target.id, stmt)
    other, app = bound.get("application"), bound.get("app")
    if other is None or app is None or other.lineno > app.lineno:
        return []
    factory = (dotted(app.value.func) or "") if isinstance(app.value, ast.Call) else ""
    root = _root(other.value) or ""
    if factory.rpartition(".")[2] not in _FACTORIES or root in _FACTORIES:
        return []
    expr = ast.unparse(other.value)
    expr = expr if len(expr) <= 60 else expr[:57] + "..."
    return [
        make(
            "app-name-collision",
            rel,
            other.lineno,
            expr=expr,
            at=other.lineno,
            app_line=app.lineno,
            module=module_name(rel),
        )
    ]


# -- importlib.import_module("literal") ------------------------------------------------------


def _import_module(analysis: Analysis, rel: str, tree: ast.Module) -> list[Finding]:
    out: list[Finding] = []
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and (dotted(node.func) or "") in ("importlib.import_module", "import_module")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and len(node.args) == 1
        ):
            continue
        module = node.args[0].value
        if analysis.resolve(module, 0, rel) is not None:
            continue
        folder = posixpath.dirname(rel)
        beside = analysis.project.module_file(module, [folder]) if folder else None
        if beside is None:
            continue
        suggestion = module_name(beside).removesuffix(".__init__")
        out.append(
            make(
                "import-module-not-on-sys-path",
                rel,
                node.lineno,
                module=module,
                found=beside,
                suggestion=suggestion,
            )
        )
    return out


# -- Windows separators ------------------------------------------------------------------------


def _windows(rel: str, tree: ast.Module) -> list[Finding]:
    out: list[Finding] = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and (call := dotted(node.func) or "") in _PATH_CALLS
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(literal := node.args[0].value, str)
            and _WINDOWS.match(literal)
        ):
            pieces = [p for p in literal.split("\\") if p]
            parts = ", ".join(f'"{p}"' for p in pieces)
            shown = literal.replace("\\", "\\\\")
            out.append(
                make(
                    "windows-path-separator",
                    rel,
                    node.lineno,
                    call=call,
                    literal=shown,
                    parts=parts,
                    posix="/".join(pieces),
                )
            )
    return out


# -- a guard that raises at import -----------------------------------------------------------

Function = ast.FunctionDef | ast.AsyncFunctionDef


def _functions(tree: ast.Module) -> Iterator[tuple[str, Function]]:
    """(qualified name, node) of module-level functions and methods of module-level classes."""
    for stmt in tree.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            yield stmt.name, stmt
        elif isinstance(stmt, ast.ClassDef):
            for inner in stmt.body:
                if isinstance(inner, ast.FunctionDef | ast.AsyncFunctionDef):
                    yield f"{stmt.name}.{inner.name}", inner


def _called(nodes: Iterator[ast.AST]) -> set[str]:
    """The last names of the calls among ``nodes`` (``apply`` of ``Config.apply(app)``)."""
    names: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Call):
            name = dotted(node.func)
            if name:
                names.add(name.rpartition(".")[2])
    return names


def _guarded_var(fn: Function) -> tuple[str, int] | None:
    """(variable, line of the raise) when ``fn`` reads an environment variable and raises an
    exception whose message names it."""
    read: set[str] = set()
    for node in ast.walk(fn):
        if (
            isinstance(node, ast.Call)
            and _ENV_READ.match(dotted(node.func) or "")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            read.add(node.args[0].value)
    if not read:
        return None
    for node in ast.walk(fn):
        if isinstance(node, ast.Raise) and node.exc is not None:
            texts = " ".join(
                str(n.value) for n in ast.walk(node.exc) if isinstance(n, ast.Constant)
            )
            for name in sorted(read):
                if name in texts:
                    return name, node.lineno
    return None


def _guards(analysis: Analysis) -> list[Finding]:
    defined: dict[str, list[tuple[str, str, Function]]] = {}
    for rel in analysis.reachable:
        tree = analysis.tree(rel)
        for qualified, fn in _functions(tree) if tree is not None else ():
            defined.setdefault(fn.name, []).append((rel, qualified, fn))
    found: list[Finding] = []
    seen: set[int] = set()
    for rel in analysis.reachable:
        tree = analysis.tree(rel)
        if tree is None:
            continue
        top = _called(n for stmt, _ in import_time(tree.body) for n in ast.walk(stmt))
        todo = [(name, [f"{rel} calls {name}()"], 1) for name in sorted(top)]
        while todo:
            name, path, depth = todo.pop(0)
            for file, qualified, fn in defined.get(name, []):
                if id(fn) in seen:
                    continue
                seen.add(id(fn))
                if guard := _guarded_var(fn):
                    found.append(
                        make(
                            "env-guard-at-import",
                            file,
                            guard[1],
                            function=qualified,
                            name=guard[0],
                            path=" -> ".join(path),
                        )
                    )
                if depth < _MAX_DEPTH:
                    for inner in sorted(_called(ast.walk(fn))):
                        todo.append((inner, [*path, f"{inner}()"], depth + 1))
    return found


# -- imports that find the wrong thing -------------------------------------------------------


def _asked_version(analysis: Analysis) -> tuple[int, int]:
    """The Python version the project asks for in .python-version (3.12, the builder's
    default, when it asks none or something unreadable)."""
    text = (analysis.project.text(".python-version") or "").strip().splitlines()
    found = re.match(r"^\s*3\.(\d+)", text[0]) if text else None
    return (3, int(found.group(1))) if found else (3, 12)


def _module_paths(analysis: Analysis) -> list[Finding]:
    asked = _asked_version(analysis)
    entry_modules = {
        posixpath.splitext(posixpath.basename(r))[0]: r for r in analysis.function_files
    }
    found: list[Finding] = []
    reported: set[str] = set()
    for rel in analysis.reachable:
        tree = analysis.tree(rel)
        for node in ast.walk(tree) if tree is not None else ():
            if isinstance(node, ast.Import):
                modules = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules = [node.module]
            else:
                continue
            top = modules[0].split(".")[0] if modules else ""
            for module in modules:
                head = module.split(".")[0]
                removed = REMOVED_STDLIB.get(head)
                if removed and head not in reported and asked >= _version(removed[0]):
                    reported.add(head)
                    when = (
                        ""
                        if removed[0] == "3.12"
                        else f", and the project asks for {asked[0]}.{asked[1]}"
                    )
                    found.append(
                        make(
                            "stdlib-removed-import",
                            rel,
                            node.lineno,
                            module=head,
                            version=removed[0],
                            when=when,
                            replacement=removed[1],
                        )
                    )
            if not isinstance(node, ast.ImportFrom) or node.module is None:
                continue
            if entry_modules.get(top) == rel:  # `from app import x` / `from app.models import x`
                folder = analysis.project.is_dir(top)
                hidden = f" (not the `{top}/` package)" if folder else ""
                meant = f"the `{top}/` package" if folder else "the module you meant"
                found.append(
                    make(
                        "own-module-shadowed",
                        rel,
                        node.lineno,
                        module=top,
                        own=rel,
                        hidden=hidden,
                        meant=meant,
                    )
                )
                continue
            target = analysis.resolve(node.module, 0, rel)
            if target is not None and target.endswith("/") and top:
                for alias in node.names:
                    inside = analysis.project.module_file(alias.name, [target.rstrip("/")])
                    if inside is None and alias.name != "*":
                        found.append(
                            make(
                                "namespace-package-import",
                                rel,
                                node.lineno,
                                module=node.module,
                                name=alias.name,
                            )
                        )
    return found


def _version(text: str) -> tuple[int, int]:
    major, minor = text.split(".")
    return int(major), int(minor)
