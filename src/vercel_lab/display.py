"""Rendering outcomes for people: plain text for terminals, an HTML card for notebooks and the site.

Executed outputs on the site must not change from build to build, so :func:`stable` switches on
normalisation: the machine's paths become the ones Vercel shows (``/var/task`` for the project,
``/var/task/_vendor`` for installed packages, ``/var/lang/lib/python3.12`` for the standard
library), and ports, request ids, dates and durations are replaced by placeholders.

Which local path is which Vercel path is the runtime's knowledge (where its child script, its
cache and this interpreter's libraries are): the runtime hands it over with
:func:`set_path_map` (:mod:`vercel_lab.runtime.outcome` does on import), so this module imports
nothing of the runtime and :class:`~vercel_lab.runtime.outcome.Outcome` only to type-check.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from vercel_lab.platform import MODELLED, TASK_ROOT, lookup

if TYPE_CHECKING:
    from vercel_lab.runtime.outcome import Outcome

#: Response headers worth a reader's attention, in display order.
INTERESTING_HEADERS = (
    "content-type",
    "location",
    "x-vercel-error",
    "x-vercel-id",
    "cache-control",
    "content-length",
)
BODY_PREVIEW_CHARS = 600

_state = {"stable": False}


def set_stable(enabled: bool = True) -> None:
    """Normalise machine-specific details in everything rendered from now on (docs builds)."""
    _state["stable"] = enabled


@contextmanager
def stable() -> Iterator[None]:
    """Normalise machine-specific details inside the ``with`` block."""
    previous = _state["stable"]
    _state["stable"] = True
    try:
        yield
    finally:
        _state["stable"] = previous


#: Local path -> Vercel's path pairs for a project folder: a plain string is replaced as is, a
#: compiled pattern by its ``sub``; applied in order.
PathMap = Callable[[str], Sequence[tuple[str | re.Pattern[str], str]]]


def _no_paths(project: str) -> Sequence[tuple[str | re.Pattern[str], str]]:
    return ((project, TASK_ROOT),) if project else ()


_path_map: list[PathMap] = [_no_paths]


def set_path_map(path_map: PathMap) -> None:
    """Use ``path_map`` to write local paths as Vercel's (the runtime's knowledge of where its
    child script, cache and interpreter's libraries are)."""
    _path_map[0] = path_map


_VOLATILE = [
    (re.compile(r"\(('127\.0\.0\.1'|'::1'), \d+\)"), r"(\1, <port>)"),
    (re.compile(r"127\.0\.0\.1:\d+"), "127.0.0.1:<port>"),
    (re.compile(r"\b([a-z]{3}\d)::[a-z0-9]{5}-\d{13}-[0-9a-f]{12}\b"), r"\1::<id>"),
    (re.compile(r"\[\d{2}/\w{3}/\d{4} \d{2}:\d{2}:\d{2}\]"), "[<date>]"),
    (re.compile(r"\b(process|pid) \d+"), r"\1 <pid>"),
    (re.compile(r"\bcold start \d+ ms\b"), "cold start"),
    (re.compile(r"/tmp/[A-Za-z0-9_.-]+/"), "/tmp/<tmp>/"),
]


def normalise(text: str, project: str = "") -> str:
    """``text`` with machine paths mapped to Vercel's (see :func:`set_path_map`; ``project`` is
    the project folder) and volatile numbers replaced."""
    for old, new in _path_map[0](project):
        text = old.sub(new, text) if isinstance(old, re.Pattern) else text.replace(old, new)
    for pattern, replacement in _VOLATILE:
        text = pattern.sub(replacement, text)
    return text


def _clean(text: str, outcome: Outcome) -> str:
    return normalise(text, outcome.project) if _state["stable"] else text


def headline(outcome: Outcome) -> str:
    """One line: the status, the error code and phase if any, the entrypoint and timing."""
    if outcome.status is None:
        parts = [f"BUILD FAILED  {outcome.error_code}"]
    elif outcome.error_code:
        parts = [f"HTTP {outcome.status}  {outcome.error_code}"]
        if outcome.phase:
            parts[0] += f"  (phase: {outcome.phase})"
        modelled = any(note.startswith("modelled:") for note in outcome.notes)
        if modelled or lookup(outcome.error_code).evidence == MODELLED:
            parts[0] += " (modelled)"
    else:
        parts = [f"HTTP {outcome.status}  answered by the function"]
    if outcome.entrypoint:
        parts.append(outcome.entrypoint)
    if outcome.cold_start_ms is not None:
        parts.append(
            "cold start" if _state["stable"] else f"cold start {outcome.cold_start_ms:.0f} ms"
        )
    elif outcome.entrypoint and outcome.status is not None:
        parts.append("warm")
    return "  ·  ".join(parts)


def _shown_headers(outcome: Outcome) -> list[tuple[str, str]]:
    wanted = {name: i for i, name in enumerate(INTERESTING_HEADERS)}
    shown = [(k, v) for k, v in outcome.headers if k.lower() in wanted]
    return sorted(shown, key=lambda kv: wanted[kv[0].lower()])


def body_preview(outcome: Outcome, limit: int = BODY_PREVIEW_CHARS) -> str:
    """The start of the body as text, or a note for binary bodies."""
    try:
        text = outcome.body.decode("utf-8")
    except UnicodeDecodeError:
        return f"<{len(outcome.body)} bytes of binary data>"
    text = text.strip()
    if len(text) > limit:
        return text[:limit].rstrip() + f"\n… ({len(text) - limit} more characters)"
    return text


def log_title(outcome: Outcome) -> str:
    """What the log is: the builder's output for a build failure, else the function's log."""
    return "build log" if outcome.phase == "build" else "function log"


def render_text(outcome: Outcome) -> str:
    """The outcome for a terminal: headline, headers that matter, body preview, the log."""
    lines = [f"{outcome.request.method} {outcome.request.path}", headline(outcome)]
    if outcome.preset_source is not None:
        lines.append(f"preset: {outcome.preset or 'Other'} ({outcome.preset_source})")
    lines += [f"{k}: {v}" for k, v in _shown_headers(outcome)]
    preview = body_preview(outcome)
    if preview:
        lines += ["", preview]
    lines += [f"note: {note}" for note in outcome.notes if note.startswith("modelled:")]
    lines += ["", f"── {log_title(outcome)} " + "─" * 40]
    lines.append(outcome.log.rstrip() if outcome.log.strip() else "(empty)")
    return _clean("\n".join(lines), outcome)


_CARD_STYLE = (
    "border:1px solid {border};border-left:6px solid {border};border-radius:6px;"
    "padding:.6em .9em;margin:.5em 0;font-size:.9em"
)
_PRE_STYLE = (
    "white-space:pre-wrap;word-break:break-word;max-height:24em;overflow:auto;margin:.3em 0;"
    "padding:.5em;border-radius:4px;background:rgba(127,127,127,.12);font-size:.85em"
)


def _border(outcome: Outcome) -> str:
    if outcome.error_code:
        return "#d93025"  # the platform answered: red
    if outcome.status is not None and outcome.status >= 400:
        return "#e8a317"  # the function answered with an error status: amber
    return "#1e8e3e"


def render_html(outcome: Outcome) -> str:
    """A self-contained HTML card (inline styles only, nothing loaded from elsewhere)."""

    def esc(text: str) -> str:
        return html.escape(_clean(text, outcome))

    rows = "".join(
        f"<tr><td><code>{esc(k)}</code></td><td><code>{esc(v)}</code></td></tr>"
        for k, v in _shown_headers(outcome)
    )
    parts = [
        f'<div class="vercel-lab-outcome" style="{_CARD_STYLE.format(border=_border(outcome))}">',
        f"<div><code>{esc(outcome.request.method)} {esc(outcome.request.path)}</code></div>",
        f"<div><strong>{esc(headline(outcome))}</strong></div>",
    ]
    if rows:
        parts.append(f'<table style="margin:.3em 0">{rows}</table>')
    preview = body_preview(outcome)
    if preview:
        parts.append(
            f'<details><summary>response body</summary><pre style="{_PRE_STYLE}">'
            f"{esc(preview)}</pre></details>"
        )
    log = outcome.log.rstrip() or "(empty)"
    parts.append(f'<div>{log_title(outcome)}</div><pre style="{_PRE_STYLE}">{esc(log)}</pre></div>')
    return "".join(parts)
