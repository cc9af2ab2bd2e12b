"""Which function serves a request path: ``vercel.json`` rewrites, then the functions' routes.

Rewrite sources use path-to-regexp syntax (https://vercel.com/docs/project-configuration#rewrites);
the subset here covers what Python projects use: literal segments, ``(.*)``-style groups,
``:name``, ``:name*`` and ``:name+``. A rewrite changes which function runs, not the path the
function sees: Django behind ``{"source": "/(.*)", "destination": "/api/index"}`` still receives
``/about/``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

_PARAM = re.compile(r":([A-Za-z_]\w*)([*+?]?)")


@lru_cache(maxsize=256)
def source_pattern(source: str) -> re.Pattern[str]:
    """Compile a rewrite ``source`` (path-to-regexp subset) to an anchored regular expression."""
    out: list[str] = []
    index = 0
    while index < len(source):
        char = source[index]
        if char == "(":
            depth, end = 1, index + 1
            while end < len(source) and depth:
                depth += {"(": 1, ")": -1}.get(source[end], 0)
                end += 1
            out.append(source[index:end])  # a regex group, kept as written
            index = end
            continue
        match = _PARAM.match(source, index)
        if match:
            modifier = match.group(2)
            if modifier in ("*", "+"):
                out.append(f"(?P<{match.group(1)}>.{modifier})")
            else:
                out.append(f"(?P<{match.group(1)}>[^/]+){modifier}")
            index = match.end()
            continue
        out.append(re.escape(char))
        index += 1
    return re.compile("".join(out) + "/?")


def rewrite(path: str, rewrites: Sequence[tuple[str, str]]) -> str:
    """The destination path of the first rewrite whose source matches ``path`` (query ignored),
    or ``path`` itself when none does."""
    bare = path.split("?", 1)[0]
    for source, destination in rewrites:
        try:
            pattern = source_pattern(source)
        except re.error:
            continue  # an unsupported source never matches rather than crashing the request
        if pattern.fullmatch(bare):
            return destination.split("?", 1)[0]
    return bare
