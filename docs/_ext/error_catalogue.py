"""``{vercel-lab-errors}`` and ``{vercel-lab-texts}``: ``vercel_lab.platform``'s catalogues.

``{vercel-lab-errors}``: one row per code of ``CATALOGUE``: the code (with an anchor, e.g.
``#function-invocation-failed``), the HTTP status and reason the client receives, the meaning,
the source and its evidence ("observed" or "modelled"), and the chapter that explains it.
``{vercel-lab-texts}``: one row per platform text of ``TEXTS`` (bodies, headers, log lines),
with its form, source and evidence. Sources are linked where they name a public file
(``vercel_lab.display.source_url``), the same links the outcome cards give.
"""

from __future__ import annotations

import inspect
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

HEADINGS = ("Code", "Status", "Meaning", "Source (evidence)", "Explained in")
WIDTHS = (22, 14, 32, 20, 12)
TEXT_HEADINGS = ("Text", "Form", "Source (evidence)")
TEXT_WIDTHS = (18, 42, 40)


def _row(*cells: nodes.Node, ids: list[str] | None = None) -> nodes.row:
    row = nodes.row(ids=ids or [])
    for cell in cells:
        row += nodes.entry("", cell)
    return row


def _chapter_link(chapter: str) -> addnodes.pending_xref:
    # A :doc: reference, resolved (and checked by -n) like any other: the chapter's title shows.
    ref = addnodes.pending_xref(
        "",
        refdomain="std",
        reftype="doc",
        reftarget=f"/{chapter}",
        refexplicit=False,
        refwarn=True,
    )
    ref += nodes.inline(text=chapter)
    return ref


def _source(source: str, evidence: str, note: str = "") -> nodes.paragraph:
    from vercel_lab.display import source_url

    url = source_url(source) if source else None
    text = source or "vercel-lab"
    para = nodes.paragraph()
    para += nodes.reference("", text, refuri=url) if url else nodes.Text(text)
    para += nodes.Text(f" ({evidence})" + (f": {note}" if note else ""))
    return para


def _table(headings: tuple[str, ...], widths: tuple[int, ...], body: nodes.tbody) -> nodes.table:
    group = nodes.tgroup(cols=len(headings))
    group += [nodes.colspec(colwidth=width) for width in widths]
    group += nodes.thead("", _row(*(nodes.paragraph(text=h) for h in headings)))
    group += body
    return nodes.table("", group, classes=["vercel-lab-errors"])


class PlatformTexts(SphinxDirective):
    """A table of every entry of ``vercel_lab.platform.TEXTS`` in catalogue order."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        from vercel_lab import platform

        self.env.note_dependency(inspect.getfile(platform))
        body = nodes.tbody()
        for entry in platform.TEXTS.values():
            body += _row(
                nodes.paragraph("", "", nodes.literal(text=entry.key)),
                nodes.paragraph("", "", nodes.literal(text=entry.text)),
                _source(entry.source, entry.evidence, entry.note),
                ids=[nodes.make_id(f"text-{entry.key}")],
            )
        return [_table(TEXT_HEADINGS, TEXT_WIDTHS, body)]


class ErrorCatalogue(SphinxDirective):
    """A table of every entry of ``vercel_lab.platform.CATALOGUE`` in catalogue order."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        from vercel_lab import platform as errors

        self.env.note_dependency(inspect.getfile(errors))
        body = nodes.tbody()
        for entry in errors.CATALOGUE.values():
            status = (
                f"{entry.status} {entry.kind}"
                if entry.status is not None
                else "none: build error, no deployment"
            )
            body += _row(
                nodes.paragraph("", "", nodes.literal(text=entry.code)),
                nodes.paragraph(text=status),
                nodes.paragraph(text=entry.meaning),
                _source(entry.source, entry.evidence, entry.note),
                nodes.paragraph("", "", _chapter_link(entry.chapter)),
                ids=[nodes.make_id(entry.code)],
            )
        return [_table(HEADINGS, WIDTHS, body)]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("vercel-lab-errors", ErrorCatalogue)
    app.add_directive("vercel-lab-texts", PlatformTexts)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
