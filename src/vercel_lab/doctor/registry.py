"""Every check the doctor runs, by stable id, in rank order, and the reference table of them.

The checks are declared in their families (:mod:`vercel_lab.doctor.checks`) with
:func:`~vercel_lab.doctor.declare.check`; :func:`~vercel_lab.doctor.declare.make` turns one into
a finding. This module indexes them and renders the reference table the site publishes
(:func:`markdown_table`), so the docs are generated from the same definitions the command line
uses.
"""

from __future__ import annotations

import html
import re
from typing import Final

from vercel_lab.doctor.checks import CHECKS
from vercel_lab.doctor.declare import DOCS_URL, Check, make
from vercel_lab.doctor.findings import CATEGORIES, Source

__all__ = ["CHECKS", "DOCS_URL", "ORDER", "Check", "html_table", "make", "markdown_table"]

_PLACEHOLDER = re.compile(r"\{(\w+)\}")

#: Each check id's position in rank order (what :func:`~vercel_lab.doctor.findings.sort_findings`
#: sorts by within a severity).
ORDER: Final[dict[str, int]] = {check_id: index for index, check_id in enumerate(CHECKS)}


_LOOKS_AT = {"static": "project", "log": "pasted log", "run": "--run"}
_HEADINGS = ("ID", "Category", "Severity", "Looks at", "Message", "Fix")


def _placeholder_marks(text: str) -> str:
    # A placeholder shows between single angle quotation marks (U+2039, U+203A).
    return _PLACEHOLDER.sub(lambda m: f"\u2039{m.group(1)}\u203a", text)


def _chosen(source: Source | None) -> list[Check]:
    chosen = [c for c in CHECKS.values() if source is None or c.source == source]
    return sorted(chosen, key=lambda c: (CATEGORIES.index(c.category), ORDER[c.id]))


def markdown_table(source: Source | None = None) -> str:
    """The reference table of every check (or only those of one ``source``): id, category
    (linked to the site section), severity, where it looks, message and fix, grouped by
    category in the issue's order. Plain Markdown; a name between single angle quotation
    marks stands for a detail filled in when the check fires."""
    rows = ["| " + " | ".join(_HEADINGS) + " |", "|---|---|---|---|---|---|"]
    for check in _chosen(source):
        cells = (check.message, check.fix)
        message, fix = (_placeholder_marks(t).replace("|", "\\|").replace("\n", " ") for t in cells)
        rows.append(
            f"| `{check.id}` | [{check.category}]({check.tutorial_url}) | {check.severity} "
            f"| {_LOOKS_AT[check.source]} | {message} | {fix} |"
        )
    return "\n".join(rows) + "\n"


def _html_text(text: str) -> str:
    # `code` spans become <code>; everything else is escaped.
    parts = html.escape(_placeholder_marks(text), quote=False).split("`")
    return "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts))


def html_table(source: Source | None = None, docs_url: str = DOCS_URL) -> str:
    """The same table as :func:`markdown_table`, as HTML (for a notebook or the site, where
    ``docs_url`` may be a relative link to chapter 4)."""
    head = "".join(f"<th>{h}</th>" for h in _HEADINGS)
    rows = []
    for check in _chosen(source):
        anchor = check.tutorial_url.rpartition("#")[2]
        cells = (
            f'<code id="{check.id}">{check.id}</code>',
            f'<a href="{html.escape(docs_url)}#{anchor}">{check.category}</a>',
            check.severity,
            _LOOKS_AT[check.source],
            _html_text(check.message),
            _html_text(check.fix),
        )
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return (
        '<table class="docutils align-default doctor-checks">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
