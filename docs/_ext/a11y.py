"""Accessibility fixes applied to each page's HTML as it is written (checked by axe-core in
``nox -s docs-browser``, see ``docs/_tools/axe.py``).

- ``<pre>`` gets ``tabindex="0"``: a code block or an executed output wider than the column
  scrolls sideways, and a scrollable region must be reachable with the keyboard (axe rule
  ``scrollable-region-focusable``, WCAG 2.1.1). Which blocks overflow depends on the reader's
  window, so every block is focusable. This covers the outcome cards too: their HTML comes from
  ``vercel_lab.display`` inside executed cells.
- Toctree captions are ``<p class="caption" role="heading">`` (Sphinx 9.1,
  ``sphinx/writers/html5.py`` ``visit_title``) with no ``aria-level``, which ARIA 1.2 requires
  for ``role="heading"`` (axe rule ``aria-required-attr``; Sphinx issue #14030, fix proposed in
  sphinx-doc/sphinx#14437 with the same level). They get ``aria-level="2"``, the level ARIA 1.1
  gave a heading without one. Furo renders them in the sidebar (``furo_navigation_tree``) and
  the page body holds any visible toctree.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # importable without Sphinx: tests/test_a11y_tools.py checks accessible()
    from sphinx.application import Sphinx

# Keys of the page context that hold rendered HTML: the page and furo's sidebar tree.
HTML_KEYS = ("body", "furo_navigation_tree")
_PRE = re.compile(r"<pre(?=[\s>])(?![^>]*\btabindex=)")
_HEADING_ROLE = re.compile(r"""(<[a-zA-Z][^>]*?\srole=(["'])heading\2)(?![^>]*\saria-level=)""")


def accessible(html: str) -> str:
    """``html`` with focusable ``<pre>`` blocks and a level on every ``role="heading"``."""
    html = _PRE.sub('<pre tabindex="0"', html)
    return _HEADING_ROLE.sub(r'\1 aria-level="2"', html)


def _page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
) -> None:
    for key in HTML_KEYS:
        value = context.get(key)
        if isinstance(value, str):
            context[key] = type(value)(accessible(value))  # keeps markupsafe.Markup a Markup


def setup(app: Sphinx) -> dict[str, Any]:
    # After furo's handler (default priority 500), which computes furo_navigation_tree.
    app.connect("html-page-context", _page_context, priority=900)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
