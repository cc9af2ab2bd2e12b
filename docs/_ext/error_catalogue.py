"""``{vercel-lab-errors}``: the error catalogue, rendered from ``vercel_lab.platform.CATALOGUE``.

One row per code: the code (with an anchor, e.g. ``#function-invocation-failed``), the HTTP
status and reason the client receives, the meaning, and a link to the chapter that explains it.
"""

from __future__ import annotations

import inspect
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

HEADINGS = ("Code", "Status", "Meaning", "Explained in")
WIDTHS = (26, 16, 40, 18)


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


class ErrorCatalogue(SphinxDirective):
    """A table of every entry of ``vercel_lab.platform.CATALOGUE`` in catalogue order."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        from vercel_lab import platform as errors

        self.env.note_dependency(inspect.getfile(errors))
        group = nodes.tgroup(cols=len(HEADINGS))
        group += [nodes.colspec(colwidth=width) for width in WIDTHS]
        group += nodes.thead("", _row(*(nodes.paragraph(text=h) for h in HEADINGS)))
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
                nodes.paragraph("", "", _chapter_link(entry.chapter)),
                ids=[nodes.make_id(entry.code)],
            )
        group += body
        table = nodes.table("", group, classes=["vercel-lab-errors"])
        return [table]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("vercel-lab-errors", ErrorCatalogue)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
