"""Open the built site in a real browser: Debian's Chromium, headless, driven by Playwright.

Usage: ``python docs/_tools/browser_check.py [docs/_build/html]`` (``nox -s docs-browser``).

Serves the site with ``python -m http.server`` on 127.0.0.1, then checks that every page loads
with no console error, no failed or off-host request and no HTTP error; that sphinx-design tabs
switch on chapter 1; that code blocks get a copy button that copies; and that searching for
FUNCTION_INVOCATION_FAILED finds pages. Uses ``/usr/bin/chromium`` (``apt-get install
chromium``): Playwright's own browser download is never needed. Exits 1 on any failure.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CHAPTER_1 = "tutorial/01-the-fix.html"
SEARCH_TERM = "FUNCTION_INVOCATION_FAILED"


def _free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """``python -m http.server`` on loopback for the duration; yields the base URL."""
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "http.server",
            str(port),
            "--bind",
            "127.0.0.1",
            "--directory",
            str(site),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base, timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"http.server did not answer on {base}")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


class Checker:
    def __init__(self, browser: Browser, base: str) -> None:
        self.browser = browser
        self.base = base
        self.failures: list[str] = []

    def fail(self, where: str, what: str) -> None:
        self.failures.append(f"{where}: {what}")

    def open(self, relative: str) -> Page:
        """A fresh page at ``relative`` with its errors and off-host requests recorded."""
        context = self.browser.new_context()
        context.grant_permissions(
            ["clipboard-read", "clipboard-write"], origin=self.base.rstrip("/")
        )
        page = context.new_page()
        page.on(
            "console", lambda m: m.type == "error" and self.fail(relative, f"console: {m.text}")
        )
        page.on("pageerror", lambda e: self.fail(relative, f"page error: {e}"))
        page.on("requestfailed", lambda r: self.fail(relative, f"failed request: {r.url}"))
        page.on(
            "request",
            lambda r: (
                r.url.startswith((self.base, "data:", "blob:"))
                or self.fail(relative, f"request to another host: {r.url}")
            ),
        )
        page.on(
            "response",
            lambda r: r.status >= 400 and self.fail(relative, f"HTTP {r.status}: {r.url}"),
        )
        page.goto(self.base + relative, wait_until="networkidle")
        return page

    def every_page(self, pages: list[str]) -> None:
        for relative in pages:
            self.open(relative).context.close()

    def tabs_switch(self) -> None:
        page = self.open(CHAPTER_1)
        tab_set = page.locator(".sd-tab-set").first
        labels, panels = (
            tab_set.locator(":scope > label"),
            tab_set.locator(":scope > .sd-tab-content"),
        )
        if labels.count() < 2:
            self.fail(CHAPTER_1, f"expected a tab set with 2 tabs, found {labels.count()}")
        else:
            before = panels.nth(0).is_visible(), panels.nth(1).is_visible()
            labels.nth(1).click()
            after = panels.nth(0).is_visible(), panels.nth(1).is_visible()
            if before != (True, False) or after != (False, True):
                self.fail(CHAPTER_1, f"tabs did not switch: visible {before} then {after}")
        page.context.close()

    def copy_button_copies(self) -> None:
        page = self.open(CHAPTER_1)
        buttons = page.locator("button.copybtn")
        if buttons.count() == 0:
            self.fail(CHAPTER_1, "no copy button")
        else:
            block = page.locator("div.highlight").filter(has=page.locator("button.copybtn")).first
            expected = block.locator("pre").inner_text().strip()
            block.hover()
            block.locator("button.copybtn").click()
            copied = str(page.evaluate("navigator.clipboard.readText()")).strip()
            if copied != expected:
                self.fail(CHAPTER_1, f"copy button copied {copied[:60]!r}, not the block")
        page.context.close()

    def search_finds(self) -> None:
        page = self.open(f"search.html?q={SEARCH_TERM}")
        results = page.locator("#search-results ul.search li")
        # Playwright's TimeoutError when nothing is found: reported just below.
        with suppress(PlaywrightTimeout):
            results.first.wait_for(timeout=20_000)
        if results.count() == 0:
            self.fail("search.html", f"no results for {SEARCH_TERM}")
        else:
            print(f"search: {results.count()} pages found for {SEARCH_TERM}")
        page.context.close()


def main(argv: list[str]) -> int:
    site = Path(argv[0] if argv else "docs/_build/html").resolve()
    if not (site / "index.html").is_file():
        print(f"no built site at {site}: run `nox -s docs` first", file=sys.stderr)
        return 2
    pages = sorted(str(p.relative_to(site)) for p in site.rglob("*.html"))
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        checker = Checker(browser, base)
        checker.every_page(pages)
        checker.tabs_switch()
        checker.copy_button_copies()
        checker.search_finds()
        browser.close()
    for failure in checker.failures:
        print(f"FAIL {failure}")
    print(f"browser: {len(pages)} pages opened in Chromium, {len(checker.failures)} failures")
    return 1 if checker.failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
