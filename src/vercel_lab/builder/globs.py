"""Glob patterns as Vercel matches them (minimatch 10): ``functions`` keys in vercel.json.

``api/*.py``, ``api/**/*.py``, brace sets ``{a,b}``, character classes; a leading ``.`` is only
matched when ``dot`` is true. Split from :mod:`vercel_lab.builder.config`.
"""

from __future__ import annotations

import re
from functools import lru_cache


def glob_match(path: str, pattern: str, *, dot: bool = False) -> bool:
    """Whether POSIX ``path`` matches ``pattern`` as minimatch matches it (the library the vercel
    CLI uses for ``functions`` keys and ``builds`` sources): ``*``, ``?``, ``[...]``, ``**`` as a
    whole segment, ``{a,b}``, and the ``+(a|b)``-style groups of ``api/**/*.+(js|ts)``. Without
    ``dot``, wildcards do not match a segment that starts with ``.``."""
    return _compile(pattern, dot).fullmatch(path) is not None


@lru_cache(maxsize=512)
def _compile(pattern: str, dot: bool) -> re.Pattern[str]:
    alternatives = [_translate(p, dot) for p in _expand_braces(pattern)]
    return re.compile("|".join(f"(?:{a})" for a in alternatives))


def _expand_braces(pattern: str) -> list[str]:
    depth, start = 0, -1
    for index, char in enumerate(pattern):
        if char == "{":
            if depth == 0:
                start = index
            depth += 1
        elif char == "}" and depth:
            depth -= 1
            if depth == 0:
                inner, parts, level, last = pattern[start + 1 : index], [], 0, 0
                for pos, c in enumerate(inner):
                    level += {"{": 1, "}": -1}.get(c, 0)
                    if c == "," and level == 0:
                        parts.append(inner[last:pos])
                        last = pos + 1
                parts.append(inner[last:])
                if len(parts) < 2:  # "{a}" is literal in minimatch
                    continue
                head, tail = pattern[:start], pattern[index + 1 :]
                return [x for p in parts for x in _expand_braces(head + p + tail)]
    return [pattern]


def _translate(pattern: str, dot: bool) -> str:
    segments = pattern.split("/")
    out: list[str] = []
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == "**":
            hidden = "" if dot else r"(?!\.)"
            # Zero or more whole segments: "api/**/*.py" matches api/index.py too.
            out.append(
                rf"(?:{hidden}[^/]*(?:/{hidden}[^/]*)*)?" if last else rf"(?:{hidden}[^/]*/)*"
            )
            continue
        # A wildcard never matches an empty segment (nor, without dot, a leading ".").
        text = ("(?=[^/])" if segment else "") + _segment(segment)
        if not dot and not segment.startswith("."):
            text = r"(?!\.)" + text
        out.append(text if last else text + "/")
    return "".join(out)


def _segment(segment: str) -> str:
    out: list[str] = []
    index = 0
    while index < len(segment):
        char = segment[index]
        if char in "+@?*!" and segment[index + 1 : index + 2] == "(" and ")" in segment[index:]:
            end = segment.index(")", index)
            body = "|".join(_segment(p) for p in segment[index + 2 : end].split("|"))
            if char == "!":  # anything but body, judged together with the rest of the segment
                rest = _segment(segment[end + 1 :])
                return "".join(out) + f"(?!(?:{body}){rest}(?:/|$))[^/]*?{rest}"
            out.append(f"(?:{body}){ {'+': '+', '@': '', '?': '?', '*': '*'}[char] }")
            index = end + 1
        elif char == "*":
            out.append("[^/]*")
            index += 1
        elif char == "?":
            out.append("[^/]")
            index += 1
        elif char == "[" and "]" in segment[index + 2 :]:
            end = segment.index("]", index + 2)
            body, negate = segment[index + 1 : end], segment[index + 1] in "!^"
            body = "".join("\\" + c if c in "[]\\^" else c for c in body[negate:])
            out.append(("[^" if negate else "[") + body + "]")
            index = end + 1
        else:
            if char == "\\" and index + 1 < len(segment):  # an escaped character is literal
                index += 1
            out.append(re.escape(segment[index]))
            index += 1
    return "".join(out)


# -- pyproject.toml, .python-version, framework preset ----------------------------------------
