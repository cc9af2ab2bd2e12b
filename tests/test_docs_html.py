"""Checks on the BUILT site (``nox -s docs`` writes docs/_build/html; skipped when absent).

They read HTML only, so they are fast; building the site is the docs session's job.
"""

from __future__ import annotations

import re
import sys
import sysconfig
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "docs" / "_build" / "html"
CHAPTERS = [
    "tutorial/01-the-fix.html",
    "tutorial/02-root-cause.html",
    "tutorial/03-mental-model.html",
    "tutorial/04-warning-signs.html",
    "tutorial/05-alternatives.html",
    "tutorial/06-testing-the-fix.html",
    "tutorial/07-next-steps.html",
]

pytestmark = pytest.mark.skipif(
    not (SITE / "index.html").is_file(),
    reason="docs/_build/html is missing: build the site with `nox -s docs` first",
)


class _Page(HTMLParser):
    """Collects asset references, internal links, executed outputs and outcome headlines."""

    def __init__(self) -> None:
        super().__init__()
        self.assets: list[tuple[str, str]] = []  # (tag, url)
        self.links: list[str] = []
        self.outputs: list[str] = []  # text of each executed cell's output
        self.headlines: list[str] = []  # the bold first line of each outcome card
        self._output_depth = 0  # >0 while inside a cell_output <div>
        self._card_depth = 0
        self._in_headline = False
        self._headline = ""
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        classes = values.get("class", "").split()
        if tag in ("script", "img") and values.get("src"):
            self.assets.append((tag, values["src"]))
        if tag == "link" and values.get("href"):
            self.assets.append((tag, values["href"]))
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        if tag == "div":
            if self._output_depth:
                self._output_depth += 1
            elif "cell_output" in classes:
                self._output_depth, self._text = 1, []
            if self._card_depth:
                self._card_depth += 1
            elif "vercel-lab-outcome" in classes:
                self._card_depth = 1
        if tag == "strong" and self._card_depth and not self._in_headline:
            self._in_headline, self._headline = True, ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "strong" and self._in_headline:
            self._in_headline = False
            self.headlines.append(self._headline)
        if tag == "div":
            if self._card_depth:
                self._card_depth -= 1
            if self._output_depth:
                self._output_depth -= 1
                if not self._output_depth:
                    self.outputs.append("".join(self._text))

    def handle_data(self, data: str) -> None:
        if self._output_depth:
            self._text.append(data)
        if self._in_headline:
            self._headline += data


def parse(relative: str) -> _Page:
    page = _Page()
    page.feed((SITE / relative).read_text(encoding="utf-8"))
    return page


def all_pages() -> list[str]:
    return sorted(str(p.relative_to(SITE)) for p in SITE.rglob("*.html"))


def test_the_seven_chapters_are_in_the_navigation_in_order() -> None:
    chapter_link = re.compile(r"^(tutorial/0\d-[a-z-]+\.html)$")
    found: list[str] = []
    for href in parse("index.html").links:
        match = chapter_link.match(href)
        if match and match.group(1) not in found:
            found.append(match.group(1))
    assert found == CHAPTERS


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_chapter_shows_executed_outcomes(chapter: str) -> None:
    page = parse(chapter)
    assert [text for text in page.outputs if text.strip()], "no executed output"
    assert page.headlines, "no Outcome card rendered by an executed cell"


def test_chapter_1_shows_a_failed_invocation_and_a_200() -> None:
    headlines = parse(CHAPTERS[0]).headlines
    assert any(h.startswith("HTTP 500  FUNCTION_INVOCATION_FAILED") for h in headlines)
    assert any(h.startswith("HTTP 200 ") for h in headlines)


@pytest.mark.parametrize("chapter", CHAPTERS[:5])
def test_chapters_1_to_5_offer_their_lab_notebook_for_download(chapter: str) -> None:
    notebook = chapter.removeprefix("tutorial/").removesuffix(".html") + ".ipynb"
    downloads = [href for href in parse(chapter).links if href.endswith(f"/{notebook}")]
    assert downloads, f"no download link to {notebook}"
    assert all((SITE / "tutorial" / href).resolve().is_file() for href in downloads)


def _is_external(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.scheme or parts.netloc) and not url.startswith(("data:", "#"))


@pytest.mark.parametrize("relative", all_pages() if SITE.is_dir() else [])
def test_no_page_loads_anything_from_another_host(relative: str) -> None:
    external = [(tag, url) for tag, url in parse(relative).assets if _is_external(url)]
    assert external == []


# Paths that exist only on the machine that built the site.
_MACHINE_PATHS = sorted(
    {str(ROOT), sys.prefix, sysconfig.get_paths()["purelib"], str(Path.home() / ".cache")}, key=len
)[::-1]
# In executed output, also any home, checkout or temporary folder that display.set_stable()
# should have replaced (it leaves "/tmp/<tmp>/").
_OUTPUT_PATH = re.compile(r"/(root|home|work)/|/tmp/(?!<tmp>/)[\w.-]+/")


@pytest.mark.parametrize("relative", all_pages() if SITE.is_dir() else [])
def test_no_machine_path_in_any_page(relative: str) -> None:
    text = (SITE / relative).read_text(encoding="utf-8")
    assert [p for p in _MACHINE_PATHS if p in text] == []
    leaks = [m.group(0) for out in parse(relative).outputs for m in _OUTPUT_PATH.finditer(out)]
    assert leaks == []


# An option turned into an en dash (U+2013) by smartquotes: "\u2013run" for "--run".
_DASHED_OPTION = re.compile(r"(?<![\w-])\u2013[a-z][\w-]*")


@pytest.mark.parametrize("relative", all_pages() if SITE.is_dir() else [])
def test_no_option_is_rendered_with_an_en_dash(relative: str) -> None:
    text = (SITE / relative).read_text(encoding="utf-8")
    assert _DASHED_OPTION.findall(text) == []


def test_the_cli_reference_shows_options_as_literal_code() -> None:
    text = (SITE / "reference" / "cli.html").read_text(encoding="utf-8")
    # Every option named in a help text is inline code, so it copies as typed.
    code = r'<code class="docutils literal[^"]*"><span class="pre">(--?[\w-]+)'
    literals = re.findall(code, text)
    assert "--run" in literals and "--entrypoint" in literals
