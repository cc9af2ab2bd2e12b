"""Open the built site in a real browser: Debian's Chromium, headless, driven by Playwright.

Usage: ``python docs/_tools/browser_check.py [docs/_build/html]`` (``nox -s docs-browser``).

Serves the site with ``python -m http.server`` on 127.0.0.1, then checks that every page loads,
in furo's light and in its dark mode, with no console error, no failed or off-host request and no
HTTP error, and with no serious or critical axe-core violation (axe-core from npm, see
``docs/_tools/axe.py``; the line ``axe: N pages, S serious, C critical`` sums them up); that
sphinx-design tabs switch on chapter 1; that code blocks get a copy button that copies; and that
searching for FUNCTION_INVOCATION_FAILED finds pages. Uses ``/usr/bin/chromium`` (``apt-get
install chromium``): Playwright's own browser download is never needed. Exits 1 on any failure.

The colour mode: furo's toggle stores ``localStorage.theme`` ("light" / "dark") and an inline
script at the top of ``<body>`` copies it to ``body[data-theme]`` before the page paints; the
check stores it before any page script runs and also emulates ``prefers-color-scheme``, then
verifies ``data-theme`` and the luminance of the body's computed background.
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

from axe import AxeInstallError, Finding, ensure_axe, findings, luminance, summarize
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
MODES = ("light", "dark")
# The body's computed background (WCAG relative luminance, 0 black .. 1 white) in each mode.
MODE_LUMINANCE = {"light": (0.5, 1.0), "dark": (0.0, 0.2)}
AXE_RUN = "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
PAGE_MODE = """() => [document.body.dataset.theme || '',
    getComputedStyle(document.body).backgroundColor]"""


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
    def __init__(self, browser: Browser, base: str, axe_script: Path) -> None:
        self.browser = browser
        self.base = base
        self.axe_script = axe_script
        self.failures: list[str] = []
        self.axe_findings: list[Finding] = []

    def fail(self, where: str, what: str) -> None:
        self.failures.append(f"{where}: {what}")

    def open(self, relative: str, mode: str = "light") -> Page:
        """A fresh page at ``relative`` in furo's ``mode``; errors, off-host requests recorded."""
        context = self.browser.new_context(color_scheme="dark" if mode == "dark" else "light")
        context.add_init_script(f"window.localStorage.setItem('theme', {mode!r});")
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
        """Open each page in each mode; check the mode took effect, then run axe-core."""
        for mode in MODES:
            for relative in pages:
                page = self.open(relative, mode)
                theme, background = page.evaluate(PAGE_MODE)
                low, high = MODE_LUMINANCE[mode]
                if theme != mode or not low <= luminance(background) <= high:
                    self.fail(
                        relative,
                        f"{mode} mode not applied: data-theme={theme!r}, "
                        f"body background {background}",
                    )
                page.add_script_tag(path=str(self.axe_script))
                self.axe_findings += findings(relative, mode, page.evaluate(AXE_RUN))
                page.context.close()

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
    try:
        axe_script = ensure_axe()
    except AxeInstallError as error:
        print(f"docs-browser: {error}", file=sys.stderr)
        return 2
    pages = sorted(str(p.relative_to(site)) for p in site.rglob("*.html"))
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        checker = Checker(browser, base, axe_script)
        checker.every_page(pages)
        checker.tabs_switch()
        checker.copy_button_copies()
        checker.search_finds()
        browser.close()
    for failure in checker.failures:
        print(f"FAIL {failure}")
    for line in summarize(len(pages), checker.axe_findings):
        print(line)
    print(
        f"browser: {len(pages)} pages opened in Chromium in {len(MODES)} modes, "
        f"{len(checker.failures)} failures"
    )
    return 1 if checker.failures or checker.axe_findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
