"""Print the heaviest built page: its HTML plus every local asset it loads, in bytes.

Usage: ``python docs/_tools/page_weight.py [docs/_build/html]``. Assets are what the page's
``<script src>``, ``<link href>`` (stylesheets, icons) and ``<img src>`` point to, plus what those
stylesheets pull in through ``url(...)``; each asset counts once per page, as a browser with an
empty cache would fetch it. Exits 1 if a referenced local asset is missing.
"""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("script", "img") and values.get("src"):
            self.found.append(str(values["src"]))
        elif tag == "link" and values.get("href"):
            rel = (values.get("rel") or "").split()
            if {"stylesheet", "icon", "preload"} & set(rel):
                self.found.append(str(values["href"]))


def _local(base: Path, reference: str, root: Path) -> Path | None:
    parts = urlsplit(reference)
    if parts.scheme or parts.netloc or not parts.path or reference.startswith("data:"):
        return None
    path = unquote(parts.path)
    target = (root / path.lstrip("/")) if path.startswith("/") else (base / path)
    return target.resolve()


def page_assets(page: Path, root: Path) -> tuple[set[Path], list[str]]:
    """The local files ``page`` loads (stylesheets followed), and references that are missing."""
    parser = _Assets()
    parser.feed(page.read_text(encoding="utf-8"))
    pending = [(page.parent, ref) for ref in parser.found]
    seen: set[Path] = set()
    missing: list[str] = []
    while pending:
        base, reference = pending.pop()
        target = _local(base, reference, root)
        if target is None or target in seen:
            continue
        if not target.is_file():
            missing.append(f"{page.relative_to(root)}: {reference}")
            continue
        seen.add(target)
        if target.suffix == ".css":
            css = target.read_text(encoding="utf-8", errors="replace")
            pending += [(target.parent, ref) for ref in CSS_URL.findall(css)]
    return seen, missing


def main(argv: list[str]) -> int:
    root = Path(argv[0] if argv else "docs/_build/html").resolve()
    if not root.is_dir():
        print(f"no built site at {root}: run nox -s docs first", file=sys.stderr)
        return 2
    weights = []
    all_missing: list[str] = []
    for page in sorted(root.rglob("*.html")):
        assets, missing = page_assets(page, root)
        all_missing += missing
        total = page.stat().st_size + sum(a.stat().st_size for a in assets)
        weights.append((total, page.stat().st_size, len(assets), page.relative_to(root)))
    weights.sort(reverse=True)
    for total, html_size, count, name in weights[:3]:
        print(
            f"page weight: {name}  {total / 1024:.0f} KiB total "
            f"(HTML {html_size / 1024:.0f} KiB + {count} local assets)"
        )
    for line in all_missing:
        print(f"missing asset: {line}", file=sys.stderr)
    return 1 if all_missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
