"""Where the vercel-lab site is published: the one constant the docs, the labs and the doctor read.

Read the Docs builds the site from the repository (``.readthedocs.yaml``) and serves the default
branch under ``/en/latest/``. Pages link to each other relatively; only text that leaves the site
(a lab check's hint, a doctor finding, the notebooks) uses this absolute address.
"""

from __future__ import annotations

#: The published site's root, with its trailing slash: ``SITE_URL + "tutorial/01-the-fix.html"``.
SITE_URL = "https://vercel-lab.readthedocs.io/en/latest/"


def page(path: str, anchor: str = "") -> str:
    """The published address of the site's page ``path`` (``"tutorial/01-the-fix.html"``), with
    ``#anchor`` when given; raises ValueError for an absolute path or URL."""
    if path.startswith("/") or "://" in path:
        raise ValueError(f"{path!r}: give a path inside the site, like 'tutorial/01-the-fix.html'")
    return f"{SITE_URL}{path}" + (f"#{anchor}" if anchor else "")
