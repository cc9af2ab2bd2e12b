"""What a lab check answers: "passed" or "not yet", with the evidence and where to read more.

A :class:`Result` is a plain value (checks build it, notebooks render it): the verdict, the phase
that failed (``build``, ``init`` or ``invoke``), the one line of the function log that matters,
an explanation written for the answer the learner most likely gave, and a link to the tutorial
section that teaches the point. :func:`key_line` picks that log line.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

from vercel_lab import logs
from vercel_lab.site import page


@dataclass(frozen=True)
class Section:
    """One section of a tutorial chapter: ``chapter`` is the page (``01-the-fix``), ``anchor``
    the section's HTML id on it, ``title`` what the link says."""

    chapter: str
    anchor: str
    title: str

    @property
    def url(self) -> str:
        return page(f"tutorial/{self.chapter}.html", self.anchor)


# The sections hints point to, by the ids the site gives their headings (docutils' ids: the
# heading text, lower-cased, each run of other characters a hyphen). tests/test_labs.py checks
# that every one is still a heading of its chapter.
EXPOSE_APP = Section("01-the-fix", "the-working-fix", "The working fix")
GUIDE_FIX = Section("01-the-fix", "the-guide-s-fix-does-not-work", "The guide's fix does not work")
RUNTIME_CALLS = Section("02-root-cause", "what-the-runtime-passes", "What the runtime passes")
WSGI_CONTRACT = Section(
    "02-root-cause",
    "how-the-runtime-classifies-your-variable",
    "How the runtime classifies your variable",
)
NO_FUNCTION = Section(
    "02-root-cause", "three-moments-a-deployment-can-fail", "Three moments a deployment can fail"
)
INSTANCE_LIFE = Section(
    "03-mental-model",
    "cold-and-warm-what-an-instance-keeps",
    "Cold and warm: what an instance keeps",
)
BUILDER_NAMES = Section("04-warning-signs", "no-app-variable", "No app variable")
READ_ONLY = Section("04-warning-signs", "writing-outside-tmp", "Writing outside /tmp")
LOGS = Section(
    "04-warning-signs",
    "sending-the-traceback-to-the-client",
    "Sending the traceback to the client",
)
DJANGO_PRESET = Section(
    "05-alternatives", "the-django-preset-no-vercel-files", "The Django preset: no Vercel files"
)
OTHER_PLATFORMS = Section(
    "05-alternatives", "the-other-platforms-corrected", "The other platforms, corrected"
)

#: Every section a hint can name.
SECTIONS = (
    EXPOSE_APP,
    GUIDE_FIX,
    RUNTIME_CALLS,
    WSGI_CONTRACT,
    NO_FUNCTION,
    INSTANCE_LIFE,
    BUILDER_NAMES,
    READ_ONLY,
    LOGS,
    DJANGO_PRESET,
    OTHER_PLATFORMS,
)


@dataclass(frozen=True)
class Result:
    """A check's verdict. ``passed`` False means "not yet"; ``title`` says what was found in one
    line, ``explanation`` what to change, ``phase`` and ``log_line`` are the evidence (None when
    the function answered), ``hint`` the section to read, ``observed`` what each request got."""

    lab: str
    check: str
    passed: bool
    title: str
    explanation: str
    phase: str | None = None
    log_line: str | None = None
    hint: Section | None = None
    observed: tuple[str, ...] = field(default=())

    @property
    def verdict(self) -> str:
        return "passed" if self.passed else "not yet"

    def __str__(self) -> str:
        lines = [f"{self.verdict} — {self.title}"]
        if self.phase:
            lines.append(f"  failed in phase: {self.phase}")
        if self.log_line:
            lines.append(f"  the log line that matters: {self.log_line}")
        lines += [f"  {line}" if line else "" for line in self.explanation.splitlines()]
        if self.observed:
            lines.append("  what the requests got:")
            lines += [f"    {line}" for line in self.observed]
        if self.hint:
            lines.append(f"  read: {self.hint.title} — {self.hint.url}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<Result lab {self.lab} {self.check}: {self.verdict} — {self.title}>"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))

    def _repr_html_(self) -> str:
        colour = "#1e8e3e" if self.passed else "#d93025"
        esc = html.escape
        parts = [
            f'<div class="vercel-lab-check" style="border:1px solid {colour};'
            f'border-left:6px solid {colour};border-radius:6px;padding:.6em .9em;margin:.5em 0">',
            f'<div><strong style="color:{colour}">{esc(self.verdict)}</strong> — '
            f"{esc(self.title)}</div>",
        ]
        if self.phase:
            parts.append(f"<div>failed in phase: <code>{esc(self.phase)}</code></div>")
        if self.log_line:
            parts.append(
                "<div>the log line that matters:</div>"
                '<pre style="white-space:pre-wrap;margin:.2em 0;padding:.4em;border-radius:4px;'
                f'background:rgba(127,127,127,.12)">{esc(self.log_line)}</pre>'
            )
        parts += [
            f'<p style="margin:.3em 0">{esc(p)}</p>'
            for p in self.explanation.split("\n\n")
            if p.strip()
        ]
        if self.observed:
            items = "".join(f"<li><code>{esc(line)}</code></li>" for line in self.observed)
            parts.append(f'<div>what the requests got:</div><ul style="margin:.2em 0">{items}</ul>')
        if self.hint:
            parts.append(
                f'<div>read: <a href="{esc(self.hint.url)}" target="_blank">'
                f"{esc(self.hint.title)}</a></div>"
            )
        parts.append("</div>")
        return "".join(parts)


# The lines that explain a failure, most telling first: the runtime's own verdicts, a read-only
# write, the exception line of a traceback (as vercel_lab.logs reads it), the runtime's "[ERROR]"
# lines, then the builder's or the platform's "Error:" line. A traceback's *last* exception is
# the one raised at the point of failure; for the read-only filesystem the cause sits above a
# ValueError Django wraps it in.
_EXCEPTIONS = "a traceback's exception line"
_TELLING: tuple[re.Pattern[str] | str, ...] = (
    re.compile(r"^Could not determine the application interface.*"),
    re.compile(r"^missing variable .*"),
    re.compile(r"^\w*Error: \[Errno 30\] Read-only file system.*"),
    _EXCEPTIONS,
    re.compile(r"^\[ERROR\] .*"),
    re.compile(r"^could not import .*"),
    re.compile(r"^Error: .*"),
)
_NOISE = re.compile(r"^\[ERROR\] RemoteDisconnected\b")


def key_line(log: str) -> str | None:
    """The one line of ``log`` that says why the function failed, or None when none does.

    The first kind of line of a fixed preference order found in the log wins; within a kind the
    last line (the exception finally raised) is taken. The runtime's ``RemoteDisconnected`` line
    only says the connection dropped, so it is skipped.
    """
    lines = [line.strip() for line in log.splitlines()]
    exceptions = set(logs.exception_lines(log))
    for pattern in _TELLING:
        if isinstance(pattern, str):
            matches = [line for line in lines if line in exceptions]
        else:
            matches = [line for line in lines if pattern.match(line) and not _NOISE.match(line)]
        if matches:
            return matches[-1]
    return None
