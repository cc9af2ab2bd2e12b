"""Rendering outcomes for people: plain text for terminals, an HTML card for notebooks and the site.

Executed outputs on the site must not change from build to build, so :func:`stable` switches on
normalisation: the machine's paths become the ones Vercel shows (``/var/task`` for the project,
``/var/task/_vendor`` for installed packages, ``/var/lang/lib/python3.12`` for the standard
library), and ports, request ids, dates and durations are replaced by placeholders.

Every rendering marks what is real and what is vercel-lab's model (:func:`modelled_parts`):
the app's response (status, its own headers, body) and the function log lines written by the
user's code and by ``vercel_runtime`` are real; the status line, body and headers of a platform
error, the ``x-vercel-*`` / ``server`` headers and the platform's log lines (``TEXTS["log.*"]``)
are modelled, each shown with the ``source`` and ``evidence`` of its entry in
:data:`vercel_lab.platform.CATALOGUE` or :data:`vercel_lab.platform.TEXTS`.

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
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vercel_lab.platform import MODELLED, TASK_ROOT, TEXTS, lookup

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
    elif outcome.entrypoint is None:
        parts = [f"HTTP {outcome.status}  answered without a function (a static file or a route)"]
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


#: Headers the platform adds to every response (the rest of a function's answer is the app's).
PLATFORM_HEADERS = {"x-vercel-error", "x-vercel-id", "server"}
#: The line vercel-lab's lambda-mode child writes for an exception out of ``vc_handler``, as
#: AWS Lambda's Python runtime logs it (``runtime/_child.py``): vercel-lab's, not the runtime's.
LAMBDA_ERROR_SOURCE = "vercel-lab's imitation of AWS Lambda's Python runtime (runtime/_child.py)"


@dataclass(frozen=True)
class Part:
    """One modelled part of an outcome: ``what`` it is, the ``source`` of its text (a URL, or a
    file and line of a named release) and its ``evidence`` ("observed" or "modelled")."""

    what: str
    source: str
    evidence: str


def _template_pattern(template: str) -> re.Pattern[str]:
    """A ``TEXTS`` template (``{field}`` placeholders) as a pattern matching a whole line."""
    pieces = re.split(r"\{[^}]*\}", template)
    return re.compile("^" + ".+?".join(re.escape(piece) for piece in pieces) + "$")


_LOG_TEXTS = [
    (key, _template_pattern(text.text))
    for key, text in TEXTS.items()
    if key.startswith("log.") and key != "log.after-end"  # that one is a rule, not a line
]


def platform_line(line: str, mode: str = "fluid") -> Part | None:
    """The :class:`Part` for ``line`` when the platform (vercel-lab's model) wrote it to the
    function log, else None (the user's code or ``vercel_runtime`` wrote it)."""
    for key, pattern in _LOG_TEXTS:
        if pattern.match(line):
            entry = TEXTS[key]
            return Part(f"log line {line.strip()!r}", entry.source, entry.evidence)
    if mode == "lambda" and line.startswith("[ERROR] "):
        return Part(f"log line {line.strip()!r}", LAMBDA_ERROR_SOURCE, MODELLED)
    return None


def _body_text_key(outcome: Outcome) -> str:
    content_type = (outcome.header("content-type") or "").lower()
    if "json" in content_type:
        return "body.json"
    return "body.html" if "html" in content_type else "body.text"


def modelled_parts(outcome: Outcome) -> list[Part]:
    """What in ``outcome`` vercel-lab modelled, each with its source, in display order: for a
    platform error its status line and code, its body and its headers; for a function's answer
    the headers the platform adds; then the platform's lines in the log. Everything else is
    real: the app's response and the log lines of the user's code and ``vercel_runtime``."""
    parts: list[Part] = []
    if outcome.error_code:
        error = lookup(outcome.error_code)
        what = "build failure and its code" if outcome.status is None else "status line and code"
        parts.append(Part(what, error.source or "vercel-lab", error.evidence))
        if outcome.status is not None:
            body = TEXTS[_body_text_key(outcome)]
            parts.append(Part("response body", body.source, body.evidence))
            dropped = TEXTS["status.dropped"]
            if any("status.dropped" in note for note in outcome.notes):
                parts.append(Part("the answer to a dropped connection", dropped.source, MODELLED))
    for name, _ in _shown_headers(outcome):
        key = f"header.{name.lower()}"
        if key in TEXTS and (name.lower() in PLATFORM_HEADERS or outcome.error_code):
            parts.append(Part(f"header {name.lower()}", TEXTS[key].source, TEXTS[key].evidence))
    for line in outcome.log.splitlines():
        part = platform_line(line, outcome.mode)
        if part is not None:
            parts.append(part)
    return parts


_PACKAGE_FILE = re.compile(
    r"^(?P<name>@?[a-z0-9][a-z0-9/_-]*?)[@ ](?P<version>\d+\.\d+\.\d+) "
    r"(?P<path>[\w./-]+\.js)"
)
_RUNTIME_FILE = re.compile(r"^vercel_runtime (?P<version>\d+\.\d+\.\d+) ")


def source_url(source: str) -> str | None:
    """A public address for ``source``: the URL it starts with, the npm file on unpkg for
    ``"<package>@<version> <file>.js:<lines>"`` or ``"<package> <version> <file>.js"``, the
    PyPI release for ``"vercel_runtime <version> ..."``; None when it names no public file."""
    if source.startswith("https://"):
        return source.split()[0]
    found = _PACKAGE_FILE.match(source)
    if found:
        return f"https://unpkg.com/{found['name']}@{found['version']}/{found['path']}"
    found = _RUNTIME_FILE.match(source)
    if found:
        return f"https://pypi.org/project/vercel-runtime/{found['version']}/"
    return None


def _is_modelled_header(outcome: Outcome, name: str) -> bool:
    return bool(outcome.error_code) or name.lower() in PLATFORM_HEADERS


def render_text(outcome: Outcome) -> str:
    """The outcome for a terminal: headline, headers that matter, body preview, the log."""
    lines = [f"{outcome.request.method} {outcome.request.path}", headline(outcome)]
    if outcome.preset_source is not None:
        lines.append(f"preset: {outcome.preset or 'Other'} ({outcome.preset_source})")
    lines += [
        f"{k}: {v}" + ("  [modelled]" if _is_modelled_header(outcome, k) else "")
        for k, v in _shown_headers(outcome)
    ]
    preview = body_preview(outcome)
    if preview:
        lines += ["", preview]
    lines += [f"note: {note}" for note in outcome.notes if note.startswith("modelled:")]
    lines += ["", f"── {log_title(outcome)} " + "─" * 40]
    lines.append(outcome.log.rstrip() if outcome.log.strip() else "(empty)")
    parts = modelled_parts(outcome)
    if parts:
        lines += ["", "── modelled by vercel-lab (the rest is real) " + "─" * 20]
        lines += [f"{part.what}: {part.source} ({part.evidence})" for part in parts]
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


#: Badges: a dark text on a light fill with a border, the same in light and dark mode (contrast
#: 10.6:1 and 10.3:1, WCAG AA needs 4.5:1), so they never depend on the theme's colours.
_BADGE_STYLE = (
    "display:inline-block;border-radius:3px;padding:0 .35em;margin-left:.4em;font-size:.8em;"
    "font-weight:600;border:1px solid {border};background:{fill};color:{ink}"
)
_MODELLED_COLOURS = {"border": "#8a5a00", "fill": "#fde8c4", "ink": "#4a2c00"}
_REAL_COLOURS = {"border": "#2e7d32", "fill": "#d7f0dc", "ink": "#0b3d1a"}
_LINE_STYLE = "background:#fde8c4;color:#4a2c00"


def _badge(modelled: bool, label: str | None = None) -> str:
    colours = _MODELLED_COLOURS if modelled else _REAL_COLOURS
    text = label or ("modelled by vercel-lab" if modelled else "real")
    return f'<span style="{_BADGE_STYLE.format(**colours)}">{html.escape(text)}</span>'


def _source_html(source: str) -> str:
    url = source_url(source)
    text = html.escape(source)
    if url is None:
        return text
    return f'<a href="{html.escape(url)}" style="text-decoration:underline">{text}</a>'


def render_html(outcome: Outcome) -> str:
    """A self-contained HTML card (inline styles only, nothing loaded from elsewhere), with
    each part marked real or modelled and the modelled parts' sources listed (linked)."""

    def esc(text: str) -> str:
        return html.escape(_clean(text, outcome))

    platform_answered = bool(outcome.error_code)
    rows = "".join(
        f"<tr><td><code>{esc(k)}</code></td><td><code>{esc(v)}</code></td><td>"
        + (_badge(True, "modelled") if _is_modelled_header(outcome, k) else _badge(False, "app"))
        + "</td></tr>"
        for k, v in _shown_headers(outcome)
    )
    if outcome.status is None:
        status_badge = _badge(True, "modelled by vercel-lab: the builder's rules")
    elif platform_answered:
        status_badge = _badge(True, "modelled by vercel-lab: the platform answered")
    elif outcome.entrypoint is None:
        status_badge = _badge(False, "real: your project's file, or your routes")
    else:
        status_badge = _badge(False, "real: your app answered")
    parts = [
        f'<div class="vercel-lab-outcome" style="{_CARD_STYLE.format(border=_border(outcome))}">',
        f"<div><code>{esc(outcome.request.method)} {esc(outcome.request.path)}</code>"
        f" <span>({esc(outcome.mode)} mode)</span></div>",
        f"<div><strong>{esc(headline(outcome))}</strong>{status_badge}</div>",
    ]
    if rows:
        parts.append(f'<table style="margin:.3em 0">{rows}</table>')
    preview = body_preview(outcome)
    if preview:
        whose = "modelled by vercel-lab" if platform_answered else "from your app"
        parts.append(
            f"<details><summary>response body ({whose})</summary>"
            f'<pre style="{_PRE_STYLE}">{esc(preview)}</pre></details>'
        )
    log = outcome.log.rstrip() or "(empty)"
    marked, any_platform = [], False
    for line in log.splitlines():
        if platform_line(line, outcome.mode) is not None:
            any_platform = True
            marked.append(f'<span style="{_LINE_STYLE}">{esc(line)}</span>')
        else:
            marked.append(esc(line))
    if outcome.phase == "build":
        legend = _badge(True, "modelled by vercel-lab: the builder's message")
    else:
        legend = _badge(False, "real: your code and vercel-runtime")
        if any_platform:
            legend += _badge(True, "highlighted: the platform's line, modelled")
    parts.append(
        f"<div>{log_title(outcome)}</div>{legend}"
        f'<pre style="{_PRE_STYLE}">' + "\n".join(marked) + "</pre>"
    )
    modelled = modelled_parts(outcome)
    if modelled:
        items = "".join(
            f"<li>{esc(part.what)}: {_source_html(part.source)} ({esc(part.evidence)})</li>"
            for part in modelled
        )
        parts.append(
            "<details><summary>sources of the modelled parts</summary>"
            f'<ul style="margin:.3em 0">{items}</ul></details>'
        )
    parts.append("</div>")
    return "".join(parts)
