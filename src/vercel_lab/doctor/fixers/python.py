"""Edits of Python source with libcst, so formatting and comments survive: statements appended
to a module, a top-level assignment found, a module-level name renamed.

Pure: text in, text out. Every function raises :class:`libcst.ParserSyntaxError` for source
that does not parse (the fixer then offers no change: the syntax error stays a finding).
"""

from __future__ import annotations

import libcst as cst

__all__ = ["append_statements", "assigns", "rename_module_name"]


def append_statements(source: str, code: str) -> str:
    """``source`` with the statements of ``code`` added at the end of the module."""
    module = cst.parse_module(source)
    parsed = cst.parse_module(code)
    added = list(parsed.body)
    if added:  # the comments before the first statement are the parsed module's header
        first = added[0]
        lines = [*parsed.header, *first.leading_lines]
        added[0] = first.with_changes(leading_lines=lines)
    text = module.with_changes(body=[*module.body, *added]).code
    return text if text.endswith("\n") else text + "\n"


def assigns(source: str, name: str) -> bool:
    """Whether the module binds ``name`` at top level (``name = ...``, ``name: T = ...``)."""
    for stmt in cst.parse_module(source).body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                targets: list[cst.BaseExpression] = []
                if isinstance(small, cst.Assign):
                    targets = [t.target for t in small.targets]
                elif isinstance(small, cst.AnnAssign):
                    targets = [small.target]
                if any(isinstance(t, cst.Name) and t.value == name for t in targets):
                    return True
    return False


def rename_module_name(source: str, old: str, new: str) -> str:
    """``source`` with the name ``old`` renamed ``new`` wherever it is a plain name (its
    top-level binding and every use; ``obj.old`` attributes and ``f(old=...)`` keywords stay)."""
    module = cst.parse_module(source)
    if any(isinstance(n, cst.Name) and n.value == new for n in _names(module)):
        raise ValueError(f"the module already uses the name {new!r}")
    return module.visit(_RenameKeepingKeywords(old, new)).code


def _names(module: cst.Module) -> list[cst.CSTNode]:
    found: list[cst.CSTNode] = []

    class _Collect(cst.CSTVisitor):
        def visit_Name(self, node: cst.Name) -> None:
            found.append(node)

    module.visit(_Collect())
    return found


class _RenameKeepingKeywords(cst.CSTTransformer):
    def __init__(self, old: str, new: str) -> None:
        super().__init__()
        self.old, self.new = old, new
        self._skip: set[int] = set()

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._skip.add(id(node.attr))

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self._skip.add(id(node.keyword))

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.Name:
        if id(original) in self._skip or original.value != self.old:
            return updated
        return updated.with_changes(value=self.new)
