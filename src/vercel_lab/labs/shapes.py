"""What a learner's file looks like, statically: enough to tell apart answers the runtime's log
alone cannot (pure functions over source text; the code is never imported)."""

from __future__ import annotations

import ast
import io
import tokenize
from dataclasses import dataclass
from typing import Literal

HandlerKind = Literal["def", "assign", "class"]


@dataclass(frozen=True)
class HandlerShape:
    """A top-level binding of a file (``handler`` unless told): ``kind`` None when there is
    none (or the file does not parse); ``parameters`` counts a function's positional
    parameters; ``returns_dict`` says that a ``return`` in it returns a dict display
    (``return {...}``), Lambda's habit."""

    kind: HandlerKind | None
    parameters: int = 0
    returns_dict: bool = False


def handler_shape(source: str, name: str = "handler") -> HandlerShape:
    """The shape of the last top-level binding of ``name`` (``handler``, ``app``) in ``source``."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return HandlerShape(None)
    shape = HandlerShape(None)
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == name:
            positional = [*node.args.posonlyargs, *node.args.args]
            returns = [n for n in ast.walk(node) if isinstance(n, ast.Return)]
            shape = HandlerShape(
                "def", len(positional), any(isinstance(r.value, ast.Dict) for r in returns)
            )
        elif isinstance(node, ast.ClassDef) and node.name == name:
            shape = HandlerShape("class")
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                shape = HandlerShape("assign")
    return shape


def code_without_comments(source: str) -> str:
    """``source`` without its comments (the source itself when it does not tokenize)."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return source
    return " ".join(t.string for t in tokens if t.type != tokenize.COMMENT)


def mentions(source: str, *words: str) -> bool:
    """True when the code (comments ignored) contains any of ``words``."""
    code = code_without_comments(source)
    return any(word in code for word in words)
