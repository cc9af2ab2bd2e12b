"""Rendering outcomes for people: plain text for terminals, an HTML card for notebooks and the site.

Executed outputs on the site must not change from build to build, so :func:`stable` switches on
normalisation: the machine's paths become the ones Vercel shows (``/var/task`` for the project,
``/var/task/_vendor`` for installed packages, ``/var/lang/lib/python3.12`` for the standard
library), and ports, request ids, dates and durations are replaced by placeholders.
"""

from __future__ import annotations

import functools
import html
import re
import sys
import sysconfig
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from vercel_lab import _child
from vercel_lab.environments import cache_root

if TYPE_CHECKING:
    from vercel_lab.outcome import Outcome

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


@functools.lru_cache(maxsize=8)
def _cache_patterns(cache: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    """Packages vercel-lab installed into its cache (a deployed-dependencies venv, a runtime
    release): on Vercel both are in the bundle's ``_vendor`` folder."""
    cache = re.escape(cache)
    return (
        (
            re.compile(cache + r"/envs/[0-9a-f]+/lib/python3\.\d+/site-packages"),
            "/var/task/_vendor",
        ),
        (re.compile(cache + r"/runtimes/[\d.]+"), "/var/task/_vendor"),
    )


@functools.lru_cache(maxsize=64)
def _path_replacements(project: str) -> tuple[tuple[str, str], ...]:
    paths = sysconfig.get_paths()
    pairs = [
        # The child that imports vc_init plays the part of Vercel's generated trampoline.
        (_child.__file__, "/var/task/vc__handler__python.py"),
        (project, "/var/task"),
        (paths["purelib"], "/var/task/_vendor"),
        (paths["platlib"], "/var/task/_vendor"),
        (paths["stdlib"], f"/var/lang/lib/python{sys.version_info[0]}.{sys.version_info[1]}"),
    ]
    # Longest first, so a venv inside the project is not half-replaced.
    return tuple(sorted({p for p in pairs if p[0]}, key=lambda p: -len(p[0])))


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
    """``text`` with machine paths mapped to Vercel's and volatile numbers replaced."""
    for pattern, replacement in _cache_patterns(str(cache_root())):
        text = pattern.sub(replacement, text)
    for old, new in _path_replacements(project):
        text = text.replace(old, new)
    for pattern, replacement in _VOLATILE:
        text = pattern.sub(replacement, text)
    return text


def _clean(text: str, outcome: Outcome) -> str:
    return normalise(text, outcome.project) if _state["stable"] else text


def headline(outcome: Outcome) -> str:
    """One line: the status, the error code and phase if any, the entrypoint and timing."""
    if outcome.status is None:
        parts = [f"BUILD FAILED  {outcome.error_code}"]
    elif outcome.error_code and outcome.phase:
        parts = [f"HTTP {outcome.status}  {outcome.error_code}  (phase: {outcome.phase})"]
    elif outcome.error_code:
        parts = [f"HTTP {outcome.status}  {outcome.error_code}"]
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
    lines += [f"{k}: {v}" for k, v in _shown_headers(outcome)]
    preview = body_preview(outcome)
    if preview:
        lines += ["", preview]
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
