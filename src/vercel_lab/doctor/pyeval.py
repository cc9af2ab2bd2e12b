"""Just enough static evaluation of Python to read settings and paths, without running them.

:class:`ModuleValues` runs a module's top-level assignments on a tiny interpreter: constants,
lists, dicts, ``+``, ``/`` on paths, ``os.path`` and ``pathlib`` path arithmetic,
``list.append``/``extend``/``insert`` and ``from x import *`` of the project's own modules.
Anything else is :data:`UNKNOWN` (environment variables, calls, conditionals), and a check
never reports what it cannot see. Paths are deployed paths: the project is ``/var/task``, as on
Vercel, and ``__file__`` of ``api/index.py`` is ``/var/task/api/index.py``.
"""

from __future__ import annotations

import ast
import posixpath
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Final

from vercel_lab import logs
from vercel_lab.platform import TASK_ROOT

TASK: Final = TASK_ROOT


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


#: A value only running the code would tell.
UNKNOWN: Final = _Unknown()


class PathValue(str):
    """A deployed absolute path (``/var/task/...``) computed from ``__file__`` or a literal."""


@dataclass(frozen=True)
class Binding:
    """A name's value and the statement that last bound it."""

    value: object
    file: str
    line: int
    node: ast.expr | None


def dotted(node: ast.AST) -> str | None:
    """``os.environ.get`` for the expression ``os.environ.get``; None for anything else."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return ".".join([node.id, *reversed(parts)])
    return None


def is_main_guard(stmt: ast.stmt) -> bool:
    """``if __name__ == "__main__":`` (either operand order)."""
    if not isinstance(stmt, ast.If) or not isinstance(stmt.test, ast.Compare):
        return False
    test = stmt.test
    sides = [test.left, *test.comparators]
    names = {s.id for s in sides if isinstance(s, ast.Name)}
    values = {s.value for s in sides if isinstance(s, ast.Constant)}
    return names == {"__name__"} and values == {"__main__"} and len(test.ops) == 1


def import_time(body: list[ast.stmt], conditional: bool = False) -> Iterator[tuple[ast.stmt, bool]]:
    """The statements that run when the module is imported, with whether each is conditional
    (inside ``if``/``try``/loops): class bodies included, function bodies and the
    ``__main__`` guard's body excluded (its ``else`` runs)."""
    for stmt in body:
        yield stmt, conditional
        if is_main_guard(stmt):
            assert isinstance(stmt, ast.If)
            yield from import_time(stmt.orelse, True)
        elif isinstance(stmt, ast.If | ast.For | ast.AsyncFor | ast.While):
            yield from import_time(stmt.body, True)
            yield from import_time(stmt.orelse, True)
        elif isinstance(stmt, ast.Try | ast.TryStar):
            for block in (stmt.body, *(h.body for h in stmt.handlers), stmt.orelse):
                yield from import_time(block, True)
            yield from import_time(stmt.finalbody, conditional)
        elif isinstance(stmt, ast.With | ast.AsyncWith | ast.ClassDef):
            yield from import_time(stmt.body, conditional)


def shallow_nodes(node: ast.AST) -> Iterator[ast.AST]:
    """``node`` and its descendants, not entering nested functions, lambdas or classes (code
    that does not run when ``node`` runs)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        for child in ast.iter_child_nodes(current):
            if not isinstance(
                child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef
            ):
                stack.append(child)


def statement_nodes(stmt: ast.stmt) -> Iterator[ast.AST]:
    """The nodes of one statement, not entering the bodies of compound statements (which
    :func:`import_time` yields separately) nor nested functions."""
    if isinstance(stmt, ast.If | ast.While):
        yield from shallow_nodes(stmt.test)
    elif isinstance(stmt, ast.For | ast.AsyncFor):
        yield from shallow_nodes(stmt.iter)
    elif isinstance(stmt, ast.With | ast.AsyncWith):
        for item in stmt.items:
            yield from shallow_nodes(item.context_expr)
    elif not isinstance(
        stmt, ast.Try | ast.TryStar | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef
    ):
        yield from shallow_nodes(stmt)


_PATH_CALLS: Final = {
    "Path",
    "pathlib.Path",
    "PurePath",
    "pathlib.PurePath",
    "PosixPath",
    "os.fspath",
    "str",
    "os.path.abspath",
    "os.path.realpath",
    "os.path.normpath",
    "os.path.expanduser",
}
_CWD_CALLS: Final = {"os.getcwd", "Path.cwd", "pathlib.Path.cwd"}
_SAME_METHODS: Final = {"resolve", "absolute", "expanduser", "as_posix"}


def _path(value: object) -> PathValue | None:
    if isinstance(value, PathValue):
        return value
    if isinstance(value, str):
        return PathValue(posixpath.normpath(posixpath.join(TASK, value)))
    return None


# A resolver maps (module, level, importing file) to the project file that import loads.
Resolver = Callable[[str | None, int, str], str | None]


class ModuleValues:
    """The values a module's top-level code binds, evaluated statically.

    ``sources`` gives the parsed tree of a project file (None when it has none) and
    ``resolve`` finds the file a ``from x import *`` loads; star-imports are followed.
    """

    def __init__(
        self, sources: Callable[[str], ast.Module | None], resolve: Resolver, rel: str
    ) -> None:
        self.sources = sources
        self.resolve = resolve
        self.rel = rel
        self.values: dict[str, Binding] = {}
        self._run(rel, frozenset())

    def get(self, name: str) -> object:
        binding = self.values.get(name)
        return UNKNOWN if binding is None else binding.value

    def _run(self, rel: str, seen: frozenset[str]) -> None:
        tree = self.sources(rel)
        if tree is None or rel in seen:
            return
        for stmt, conditional in import_time(tree.body):
            if isinstance(stmt, ast.ImportFrom):
                self._import_from(stmt, rel, seen | {rel}, conditional)
            elif isinstance(stmt, ast.Assign | ast.AnnAssign | ast.AugAssign):
                self._assign(stmt, rel, conditional)
            elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
                self._mutate(stmt.value, rel, conditional)

    def _bind(
        self, name: str, value: object, rel: str, node: ast.expr | None, conditional: bool
    ) -> None:
        line = node.lineno if node is not None else 1
        self.values[name] = Binding(UNKNOWN if conditional else value, rel, line, node)

    def _import_from(
        self, stmt: ast.ImportFrom, rel: str, seen: frozenset[str], conditional: bool
    ) -> None:
        target = self.resolve(stmt.module, stmt.level, rel)
        if target is None or target.endswith("/"):
            return
        inner = ModuleValues.__new__(ModuleValues)
        inner.sources, inner.resolve, inner.rel, inner.values = self.sources, self.resolve, rel, {}
        inner._run(target, seen)
        for alias in stmt.names:
            if alias.name == "*":
                for name, binding in inner.values.items():
                    if not name.startswith("_"):
                        value = UNKNOWN if conditional else binding.value
                        self.values[name] = Binding(value, binding.file, binding.line, binding.node)
            elif alias.name in inner.values:
                binding = inner.values[alias.name]
                self.values[alias.asname or alias.name] = (
                    Binding(UNKNOWN, binding.file, binding.line, binding.node)
                    if conditional
                    else binding
                )

    def _assign(
        self, stmt: ast.Assign | ast.AnnAssign | ast.AugAssign, rel: str, conditional: bool
    ) -> None:
        if stmt.value is None:
            return
        if isinstance(stmt, ast.AugAssign):
            if isinstance(stmt.target, ast.Name):
                current = self.get(stmt.target.id)
                added = self.eval(stmt.value)
                value = self._binop(stmt.op, current, added)
                self._bind(stmt.target.id, value, rel, stmt.value, conditional)
            return
        value = self.eval(stmt.value)
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        for target in targets:
            if isinstance(target, ast.Name):
                self._bind(target.id, value, rel, stmt.value, conditional)

    def _mutate(self, call: ast.Call, rel: str, conditional: bool) -> None:
        func = call.func
        if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)):
            return
        name, current = func.value.id, self.get(func.value.id)
        if not isinstance(current, list | tuple) or name not in self.values:
            return
        args = [self.eval(a) for a in call.args]
        items = list(current)
        if func.attr == "append" and len(args) == 1:
            items.append(args[0])
        elif func.attr == "extend" and len(args) == 1:
            items.extend(args[0] if isinstance(args[0], list | tuple) else [UNKNOWN])
        elif func.attr == "insert" and len(args) == 2 and isinstance(args[0], int):
            items.insert(args[0], args[1])
        else:
            return
        self._bind(name, items, rel, self.values[name].node, conditional)

    # -- expressions ---------------------------------------------------------------------------

    def eval(self, node: ast.expr) -> object:
        """The value of ``node``, or :data:`UNKNOWN`."""
        try:
            return self._eval(node)
        except (TypeError, ValueError, IndexError, RecursionError):
            return UNKNOWN

    def _eval(self, node: ast.expr) -> object:
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            if node.id == "__file__":
                return PathValue(posixpath.join(TASK, self.rel))
            return self.get(node.id)
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            items: list[object] = []
            for element in node.elts:
                if isinstance(element, ast.Starred):
                    inner = self._eval(element.value)
                    items.extend(inner if isinstance(inner, list | tuple) else [UNKNOWN])
                else:
                    items.append(self._eval(element))
            return tuple(items) if isinstance(node, ast.Tuple) else items
        if isinstance(node, ast.Dict):
            result: dict[object, object] = {}
            for key, value in zip(node.keys, node.values, strict=True):
                if key is None:
                    merged = self._eval(value)
                    if not isinstance(merged, dict):
                        return UNKNOWN
                    result.update(merged)
                else:
                    result[self._eval(key)] = self._eval(value)
            return result
        if isinstance(node, ast.BinOp):
            return self._binop(node.op, self._eval(node.left), self._eval(node.right))
        if isinstance(node, ast.Attribute):
            return self._attribute(node)
        if isinstance(node, ast.Subscript):
            base = self._eval(node.value)
            if isinstance(node.value, ast.Attribute) and node.value.attr == "parents":
                index = self._eval(node.slice)
                start = self._eval(node.value.value)
                if isinstance(index, int) and isinstance(start, PathValue):
                    path = str(start)
                    for _ in range(index + 1):
                        path = posixpath.dirname(path)
                    return PathValue(path)
            wanted = self._eval(node.slice)
            if isinstance(base, dict) and wanted in base:
                return base[wanted]
            return UNKNOWN
        if isinstance(node, ast.Call):
            return self._call(node)
        return UNKNOWN

    def _attribute(self, node: ast.Attribute) -> object:
        base = self._eval(node.value)
        if node.attr == "parent" and isinstance(base, PathValue):
            return PathValue(posixpath.dirname(base))
        return UNKNOWN

    def _binop(self, op: ast.operator, left: object, right: object) -> object:
        if isinstance(op, ast.Div) and isinstance(left, PathValue) and isinstance(right, str):
            return PathValue(posixpath.normpath(posixpath.join(left, right)))
        if isinstance(op, ast.Add):
            if isinstance(left, list) and isinstance(right, list | tuple):
                return [*left, *right]
            if isinstance(left, tuple) and isinstance(right, tuple):
                return (*left, *right)
            if isinstance(left, str) and isinstance(right, str) and not isinstance(left, PathValue):
                return left + right
        return UNKNOWN

    def _call(self, node: ast.Call) -> object:
        name = dotted(node.func)
        args = [self._eval(a) for a in node.args]
        if name in _CWD_CALLS:
            return PathValue(TASK)
        if name in _PATH_CALLS and len(args) == 1:
            if name == "str" and not isinstance(args[0], PathValue):
                return args[0] if isinstance(args[0], str) else UNKNOWN
            return _path(args[0]) or UNKNOWN
        if name == "os.path.dirname" and len(args) == 1 and (p := _path(args[0])):
            return PathValue(posixpath.dirname(p))
        if name == "os.path.join" and args and all(isinstance(a, str) for a in args):
            first = _path(args[0])
            if first is not None:
                return PathValue(posixpath.normpath(posixpath.join(first, *map(str, args[1:]))))
        if isinstance(node.func, ast.Attribute):
            base = self._eval(node.func.value)
            method = node.func.attr
            if isinstance(base, PathValue) and method in _SAME_METHODS:
                return base
            if (
                isinstance(base, PathValue)
                and method == "joinpath"
                and all(isinstance(a, str) for a in args)
            ):
                return PathValue(posixpath.normpath(posixpath.join(base, *map(str, args))))
        return UNKNOWN


def outside_task(path: str) -> bool:
    """Whether a deployed absolute path lies outside the project (``/var/task``)."""
    norm = posixpath.normpath(path)
    return norm != TASK and not norm.startswith(TASK + "/")


def relative(path: str) -> str:
    """A deployed path as the project sees it: ``/var/task/logs/x.log`` -> ``logs/x.log``."""
    return logs.task_relative(posixpath.normpath(path))
