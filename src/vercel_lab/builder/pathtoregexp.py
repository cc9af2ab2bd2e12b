"""A port of ``path-to-regexp`` 6.1.0: the ``parse``, ``tokensToRegexp`` and ``compile`` that
``@vercel/routing-utils`` (``superstatic.js``: ``sourceToRegex``, ``safelyCompile``) uses to
turn ``vercel.json`` sources and destinations into Build Output routes.

Source: vercel CLI 58.10.0 ``dist/chunks/chunk-IBIZT5M4.js``, module
``path-to-regexp@6.1.0/dist/index.js`` (lexer at line 20268, tokensToRegexp at 20567). Errors are
:class:`PathPatternError` with the library's own messages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["Key", "PathPatternError", "compile_path", "parse", "to_regex_source"]


class PathPatternError(ValueError):
    """A source the library rejects (its ``TypeError`` message)."""


@dataclass(frozen=True)
class Key:
    """A parameter: ``name`` is a string, or an int for an unnamed ``(group)``."""

    name: str | int
    prefix: str
    suffix: str
    pattern: str
    modifier: str


Token = str | Key


def _lexer(text: str) -> list[tuple[str, int, str]]:
    tokens: list[tuple[str, int, str]] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char in "*+?":
            tokens.append(("MODIFIER", i, char))
            i += 1
        elif char == "\\":
            tokens.append(("ESCAPED_CHAR", i, text[i + 1] if i + 1 < len(text) else ""))
            i += 2
        elif char == "{":
            tokens.append(("OPEN", i, char))
            i += 1
        elif char == "}":
            tokens.append(("CLOSE", i, char))
            i += 1
        elif char == ":":
            j = i + 1
            while j < len(text) and (text[j].isascii() and (text[j].isalnum() or text[j] == "_")):
                j += 1
            if j == i + 1:
                raise PathPatternError(f"Missing parameter name at {i}")
            tokens.append(("NAME", i, text[i + 1 : j]))
            i = j
        elif char == "(":
            count, pattern, j = 1, "", i + 1
            if j < len(text) and text[j] == "?":
                raise PathPatternError(f'Pattern cannot start with "?" at {j}')
            while j < len(text):
                if text[j] == "\\":
                    pattern += text[j : j + 2]
                    j += 2
                    continue
                if text[j] == ")":
                    count -= 1
                    if count == 0:
                        j += 1
                        break
                elif text[j] == "(":
                    count += 1
                    if j + 1 >= len(text) or text[j + 1] != "?":
                        raise PathPatternError(f"Capturing groups are not allowed at {j}")
                pattern += text[j]
                j += 1
            if count:
                raise PathPatternError(f"Unbalanced pattern at {i}")
            if not pattern:
                raise PathPatternError(f"Missing pattern at {i}")
            tokens.append(("PATTERN", i, pattern))
            i = j
        else:
            tokens.append(("CHAR", i, char))
            i += 1
    tokens.append(("END", i, ""))
    return tokens


def escape_string(text: str) -> str:
    """``escapeString``: backslash before ``.+*?=^!:${}()[]|/\\``."""
    return re.sub(r"([.+*?=^!:${}()\[\]|/\\])", r"\\\1", text)


def parse(text: str, delimiter: str = "/#?", prefixes: str = "./") -> list[Token]:
    """``parse(str, {delimiter})``: literal strings and :class:`Key` tokens."""
    tokens = _lexer(text)
    default_pattern = f"[^{escape_string(delimiter)}]+?"
    result: list[Token] = []
    key, i, path = 0, 0, ""

    def try_consume(kind: str) -> str | None:
        nonlocal i
        if i < len(tokens) and tokens[i][0] == kind:
            i += 1
            return tokens[i - 1][2]
        return None

    def must_consume(kind: str) -> str:
        value = try_consume(kind)
        if value is not None:
            return value
        raise PathPatternError(f"Unexpected {tokens[i][0]} at {tokens[i][1]}, expected {kind}")

    def consume_text() -> str:
        out = ""
        while (value := try_consume("CHAR") or try_consume("ESCAPED_CHAR")) is not None:
            out += value
        return out

    while i < len(tokens):
        char, name, pattern = try_consume("CHAR"), try_consume("NAME"), try_consume("PATTERN")
        if name or pattern:
            prefix = char or ""
            if prefix not in prefixes or prefix == "":  # JS indexOf("") is 0: "" is kept as ""
                path += prefix
                prefix = ""
            if path:
                result.append(path)
                path = ""
            key_name: str | int = name if name else key
            if not name:
                key += 1
            modifier = try_consume("MODIFIER") or ""
            result.append(Key(key_name, prefix, "", pattern or default_pattern, modifier))
            continue
        value = char or try_consume("ESCAPED_CHAR")
        if value:
            path += value
            continue
        if path:
            result.append(path)
            path = ""
        if try_consume("OPEN"):
            prefix = consume_text()
            name_1 = try_consume("NAME") or ""
            pattern_1 = try_consume("PATTERN") or ""
            suffix = consume_text()
            must_consume("CLOSE")
            group_name: str | int = name_1
            if not name_1 and pattern_1:
                group_name = key
                key += 1
            result.append(
                Key(
                    group_name,
                    prefix,
                    suffix,
                    default_pattern if name_1 and not pattern_1 else pattern_1,
                    try_consume("MODIFIER") or "",
                )
            )
            continue
        must_consume("END")
    return result


def to_regex_source(
    source: str, *, strict: bool = True, delimiter: str = "/"
) -> tuple[str, list[Key]]:
    """``sourceToRegex``: ``pathToRegexp(source, keys, {strict: true, sensitive: true,
    delimiter: "/"})`` as ``(regexp.source, keys)`` (JS escapes ``/`` as ``\\/`` here; the
    routes normaliser later turns it back into ``/``)."""
    tokens = parse(source, delimiter=delimiter)
    keys: list[Key] = []
    route = "^"
    for token in tokens:
        if isinstance(token, str):
            route += escape_string(token)
            continue
        prefix, suffix = escape_string(token.prefix), escape_string(token.suffix)
        if token.pattern:
            keys.append(token)
            if prefix or suffix:
                if token.modifier in ("+", "*"):
                    mod = "?" if token.modifier == "*" else ""
                    route += (
                        f"(?:{prefix}((?:{token.pattern})(?:{suffix}{prefix}"
                        f"(?:{token.pattern}))*){suffix}){mod}"
                    )
                else:
                    route += f"(?:{prefix}({token.pattern}){suffix}){token.modifier}"
            else:
                route += f"({token.pattern}){token.modifier}"
        else:
            route += f"(?:{prefix}{suffix}){token.modifier}"
    if not strict:
        route += f"[{escape_string(delimiter)}]?"
    return route + "$", keys


def compile_path(template: str, values: Mapping[str | int, str]) -> str:
    """``compile(template, {validate: false})(values)``: fill ``:name`` parameters. A missing
    optional parameter is dropped; a missing required one raises :class:`PathPatternError`."""
    out = ""
    for token in parse(template):
        if isinstance(token, str):
            out += token
            continue
        value = values.get(token.name)
        if value is not None:
            out += token.prefix + value + token.suffix
        elif token.modifier not in ("?", "*"):
            kind = "an array" if token.modifier == "+" else "a string"
            raise PathPatternError(f'Expected "{token.name}" to be {kind}')
    return out
