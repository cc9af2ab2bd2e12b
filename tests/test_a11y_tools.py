"""The accessibility check's parts that run without a browser: axe-core's pinned install from
npm and the summary of its results (``docs/_tools/axe.py``), and the HTML fixes of the
``a11y`` Sphinx extension (``docs/_ext/a11y.py``), on strings and, once built, on the site."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "docs" / "_build" / "html"


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"_a11y_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while defining a class
    spec.loader.exec_module(module)
    return module


axe = _load(ROOT / "docs" / "_tools" / "axe.py")
a11y = _load(ROOT / "docs" / "_ext" / "a11y.py")


def _fake_install(prefix: Path, version: str, script: bool = True) -> None:
    package = prefix / "node_modules" / "axe-core"
    package.mkdir(parents=True)
    (package / "package.json").write_text(json.dumps({"name": "axe-core", "version": version}))
    if script:
        (package / "axe.min.js").write_text("/* axe */")


def _no_npm_call(argv: list[str]) -> None:
    raise AssertionError(f"npm ran: {argv}")


# -- install ---------------------------------------------------------------------------------


def test_the_pin_is_one_exact_version() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", axe.AXE_VERSION)
    argv = axe.npm_install_argv("/usr/bin/npm", Path("/c/4.14.1"), "4.14.1")
    assert argv == [
        "/usr/bin/npm",
        "install",
        "--prefix",
        "/c/4.14.1",
        "--save-exact",
        "--ignore-scripts",
        "--no-audit",
        "--no-fund",
        "axe-core@4.14.1",
    ]


def test_cache_follows_vercel_lab_cache_then_xdg(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VERCEL_LAB_CACHE", "/v")
    monkeypatch.setenv("XDG_CACHE_HOME", "/x")
    assert axe.default_cache() == Path("/v/axe-core")
    monkeypatch.delenv("VERCEL_LAB_CACHE")
    assert axe.default_cache() == Path("/x/vercel-lab/axe-core")
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert axe.default_cache() == Path.home() / ".cache" / "vercel-lab" / "axe-core"


def test_an_installed_pin_is_reused_without_npm(tmp_path: Path) -> None:
    _fake_install(tmp_path / "4.0.0", "4.0.0")
    script = axe.ensure_axe(tmp_path, "4.0.0", which=lambda name: None, run=_no_npm_call)
    assert script == tmp_path / "4.0.0" / "node_modules" / "axe-core" / "axe.min.js"


def test_no_npm_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(axe.AxeInstallError) as error:
        axe.ensure_axe(tmp_path, "4.0.0", which=lambda name: None, run=_no_npm_call)
    assert str(error.value) == (
        "npm is not on PATH: the accessibility check installs axe-core@4.0.0 from the npm "
        "registry (install Node.js and npm, e.g. `apt-get install npm`)"
    )


def test_npm_installs_the_pin_into_its_version_folder(tmp_path: Path) -> None:
    _fake_install(tmp_path / "3.9.9", "3.9.9")  # an older pin's folder is left alone
    calls: list[list[str]] = []

    def run(argv: list[str]) -> None:
        calls.append(argv)
        _fake_install(Path(argv[3]), "4.0.0")

    script = axe.ensure_axe(tmp_path, "4.0.0", which=lambda name: "/bin/npm", run=run)
    assert calls == [axe.npm_install_argv("/bin/npm", tmp_path / "4.0.0", "4.0.0")]
    assert script.read_text() == "/* axe */"
    assert axe.installed_version(tmp_path / "3.9.9") == "3.9.9"


def test_an_install_that_leaves_another_version_fails(tmp_path: Path) -> None:
    def run(argv: list[str]) -> None:
        _fake_install(Path(argv[3]), "4.0.1")

    with pytest.raises(axe.AxeInstallError) as error:
        axe.ensure_axe(tmp_path, "4.0.0", which=lambda name: "/bin/npm", run=run)
    assert str(error.value) == (
        f"npm install left axe-core 4.0.1 in {tmp_path / '4.0.0'}, not 4.0.0 with axe.min.js"
    )


@pytest.mark.network
@pytest.mark.skipif(shutil.which("npm") is None, reason="npm is not installed")
def test_npm_really_installs_the_pin(tmp_path: Path) -> None:
    script = axe.ensure_axe(tmp_path)
    assert axe.installed_version(tmp_path / axe.AXE_VERSION) == axe.AXE_VERSION
    assert f"axe v{axe.AXE_VERSION}" in script.read_text()[:300]


# -- results ---------------------------------------------------------------------------------

VIOLATIONS = [
    {
        "id": "color-contrast",
        "impact": "serious",
        "help": "Elements must meet minimum color contrast ratio thresholds",
        "helpUrl": "https://dequeuniversity.com/rules/axe/4.14/color-contrast",
        "nodes": [
            {
                "impact": "serious",
                "target": ["#codecell3 > .n"],
                "failureSummary": "Fix any of the following:\n  Element has insufficient "
                "color contrast of 1.43\n",
            },
            {"impact": "serious", "target": [["#host", ".inner"]], "failureSummary": ""},
        ],
    },
    {
        "id": "aria-required-attr",
        "impact": "critical",
        "help": "Required ARIA attributes must be provided",
        "helpUrl": "https://dequeuniversity.com/rules/axe/4.14/aria-required-attr",
        "nodes": [
            {"impact": "critical", "target": [".caption"]},
            {"impact": "moderate", "target": [".minor"]},  # the node's impact wins
        ],
    },
    {"id": "region", "impact": "moderate", "help": "", "helpUrl": "", "nodes": [{"target": ["p"]}]},
]


def test_findings_keep_serious_and_critical_elements() -> None:
    found = axe.findings("index.html", "dark", VIOLATIONS)
    assert [(f.rule, f.impact, f.target, f.why) for f in found] == [
        ("color-contrast", "serious", "#codecell3 > .n",
         "Element has insufficient color contrast of 1.43"),
        ("color-contrast", "serious", "#host .inner", ""),
        ("aria-required-attr", "critical", ".caption", ""),
    ]  # fmt: skip
    assert {(f.page, f.mode) for f in found} == {("index.html", "dark")}


def test_summary_lists_each_rule_page_and_mode_then_the_figures() -> None:
    found = axe.findings("a.html", "light", VIOLATIONS) + axe.findings("a.html", "dark", VIOLATIONS)
    lines = axe.summarize(7, found)
    assert lines[-1] == "axe: 7 pages, 4 serious, 2 critical"
    assert lines[0] == (
        "axe critical aria-required-attr on a.html (dark): Required ARIA attributes must be "
        "provided"
    )
    assert lines[1] == "    https://dequeuniversity.com/rules/axe/4.14/aria-required-attr"
    assert lines[2] == "    target: .caption"
    assert "      Element has insufficient color contrast of 1.43" in lines
    assert axe.summarize(3, []) == ["axe: 3 pages, 0 serious, 0 critical"]


def test_summary_counts_elements_beyond_the_ones_it_lists() -> None:
    many = [{"id": "r", "impact": "serious", "help": "h", "helpUrl": "u",
             "nodes": [{"target": [f"#e{i}"]} for i in range(axe.TARGETS_SHOWN + 2)]}]  # fmt: skip
    lines = axe.summarize(1, axe.findings("p.html", "light", many))
    assert lines[-2] == "    ... and 2 more elements"
    assert lines[-1] == f"axe: 1 pages, {axe.TARGETS_SHOWN + 2} serious, 0 critical"


# -- the extension's HTML fixes --------------------------------------------------------------


def test_pre_blocks_become_focusable_once() -> None:
    html = '<pre>a</pre><pre id="x" style="o">b</pre><pre tabindex="-1">c</pre><preview>'
    assert a11y.accessible(html) == (
        '<pre tabindex="0">a</pre><pre tabindex="0" id="x" style="o">b</pre>'
        '<pre tabindex="-1">c</pre><preview>'
    )


def test_heading_roles_get_a_level_once() -> None:
    html = '<p class="caption" role="heading"><span>Tutorial</span></p><p role="heading" '
    html += 'aria-level="3">x</p><code>role="heading"</code>'
    assert a11y.accessible(html) == (
        '<p class="caption" role="heading" aria-level="2"><span>Tutorial</span></p>'
        '<p role="heading" aria-level="3">x</p><code>role="heading"</code>'
    )


@pytest.mark.skipif(not (SITE / "index.html").is_file(), reason="the site is not built")
def test_the_built_site_has_the_fixes() -> None:
    for page in SITE.rglob("*.html"):
        html = page.read_text()
        assert not re.search(r"<pre(?=[\s>])(?![^>]*tabindex=)", html), page
        assert not re.search(r"role=\"heading\"(?![^>]*aria-level=)", html), page


def test_luminance_tells_dark_from_light() -> None:
    assert axe.luminance("rgb(255, 255, 255)") == pytest.approx(1.0)
    assert axe.luminance("rgba(0, 0, 0, 0.5)") == 0.0
    assert axe.luminance("rgb(19, 20, 22)") == pytest.approx(0.0070, abs=1e-4)  # furo's dark page
    assert axe.luminance("rgb(127, 127, 127)") == pytest.approx(0.212, abs=1e-3)
    with pytest.raises(ValueError, match=r"not an rgb\(\) colour: 'transparent'"):
        axe.luminance("transparent")
