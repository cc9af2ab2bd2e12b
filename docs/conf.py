"""Sphinx configuration: the tutorial site, built with ``nox -s docs`` (``-n -W --keep-going``).

Chapters are MyST Markdown whose ``{jupyter-execute}`` cells run the example projects through
``vercel_lab`` (and so through Vercel's real ``vercel_runtime``) while the site builds.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent


def _site_url() -> str:
    """``vercel_lab.site.SITE_URL``, read from that one module without importing the package
    (importing ``vercel_lab`` costs 0.2 s, a tenth of a no-change rebuild)."""
    package = importlib.util.find_spec("vercel_lab")
    assert package is not None and package.submodule_search_locations
    path = Path(next(iter(package.submodule_search_locations))) / "site.py"
    spec = importlib.util.spec_from_file_location("_vercel_lab_site", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.SITE_URL)


SITE_URL = _site_url()

# The local extensions (generated reference pages) live in docs/_ext.
sys.path.insert(0, str(DOCS / "_ext"))
# Cells locate examples/ through vercel_lab.examples; pointing it at this checkout keeps the build
# working when the package is installed non-editable (Read the Docs) — the kernel inherits it.
os.environ.setdefault("VERCEL_LAB_EXAMPLES", str(ROOT / "examples"))
# A first install of an example's dependency set prints uv's progress on stderr: inside a cell
# that is a -W failure, and output that depends on a warm cache. Cells run with it quiet.
os.environ.setdefault("VERCEL_LAB_QUIET_INSTALL", "1")

project = "vercel-lab"
author = "vercel-lab developers"
copyright = "vercel-lab developers"

extensions = [
    "myst_parser",
    "sphinx_design",
    "jupyter_sphinx",
    "cell_cache",  # after jupyter_sphinx: executed cells cached on their inputs
    "sphinx_copybutton",
    "sphinx.ext.autodoc",
    "sphinx.ext.viewcode",
    "notfound.extension",
    "cli_reference",
    "error_catalogue",
    "a11y",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "jupyter_execute", "_tools", "_ext", "Thumbs.db", ".DS_Store"]

# -- text ---------------------------------------------------------------------------------------
# Smartquotes would turn "--" in prose into an en dash, so "--run" became an en dash and "run",
# which broke when
# copied into a shell: keep quotes and ellipses, never dashes (tests/test_docs_html.py checks).
smartquotes_action = "qe"

# -- MyST ----------------------------------------------------------------------------------------
myst_enable_extensions = ["colon_fence", "deflist", "fieldlist", "substitution"]
# The published address, from the one constant (src/vercel_lab/site.py): {{ site_url }} in a page.
# Links between pages stay relative; only this text names the address.
myst_substitutions = {"site_url": SITE_URL}
myst_heading_anchors = 3

# -- jupyter-sphinx ------------------------------------------------------------------------------
# By default jupyter-sphinx adds require.js and the widget embedder from a CDN to every page with
# a cell. The site must load nothing from another host, and no cell uses widgets: turn both off.
# (jupyter-sphinx 0.5.3 still falls back to the CDN embedder when the URL is empty, and links
# thebelab files it never copies without a thebelab config: _drop_unwanted_assets removes both.)
jupyter_sphinx_require_url = ""
jupyter_sphinx_embed_url = ""
# A cell that raises fails the build (expected failures come back as Outcome objects instead).
jupyter_execute_default_kernel = "python3"

# -- autodoc -------------------------------------------------------------------------------------
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": False}


# -- warnings ------------------------------------------------------------------------------------
nitpicky = True
# Type names from annotations that are not documented objects of this project.
nitpick_ignore_regex = [
    (r"py:class", r"(argparse|ast|collections\.abc|enum|pathlib|typing|types|subprocess)\..*"),
    (r"py:class", r"(Path|Mapping|Sequence|Iterable|Iterator|Any|Literal|TracebackType)"),
    (r"py:class", r"vercel_lab\.runtime\.(interpreters|process)\.\w+"),
    (
        r"py:class",
        r"(DependencyMode|Phase|Interpreter|Instance|Reply|Entrypoint|BuildError|PresetSource"
        r"|re\.Pattern|Filesystem|Output|Resolution|Detection|Route|Kind|PathPatternError)",
    ),
    # Internal modules: named in docstrings for orientation, not part of the documented API.
    (
        r"py:mod",
        r"vercel_lab\.(runtime\.(process|interpreters|routing|readonly|edge|serve|_child"
        r"|installer|staging|fluid|ipc|exchange|django_build)"
        r"|builder(\.\w+)?|buildoutput(\.\w+)?|cli(\.\w+)?|doctor(\.\w+)?|logs(\.\w+)?|wsgi)",
    ),
    # Internal names the documented modules' docstrings and annotations mention.
    (
        r"py:(class|func|attr|data)",
        r"(vercel_lab\.(builder\.(manifest|python_version|files|routes|plan)|logs|platform"
        r"|runtime\.function_base)"
        r"\.[\w.]+|plan_routes|build_error)",
    ),
]

# -- HTML ----------------------------------------------------------------------------------------
# Furo: actively maintained, a light/dark/auto toggle with no configuration, a good built-in
# search page, clean typography for long tutorial pages, and it ships every asset with the
# package (no web fonts or scripts from a CDN), which the site's "nothing from another host"
# rule requires.
html_theme = "furo"
html_title = "vercel-lab"
html_static_path = ["_static"]
html_css_files = ["site.css"]
# Without an icon link, browsers request /favicon.ico and log a 404 on every fresh visit.
html_favicon = "_static/favicon.svg"
html_show_sourcelink = False
html_copy_source = False  # halves the output; the sources are in the repository
html_last_updated_fmt = None  # a date would change every build
# No general index or module index: no page links them, and Sphinx writes both on every build,
# even when nothing changed (0.4 s of a 2 s no-change rebuild on the 2-core machine).
html_use_index = False
html_domain_indices = False
html_theme_options = {
    "navigation_with_keys": True,
    "source_repository": "",
}

# -- 404 page ------------------------------------------------------------------------------------
# A 404 page is served at whatever depth the missing URL had, so relative links would break:
# sphinx-notfound-page renders docs/404.md with root-absolute links. On Read the Docs the prefix
# comes from READTHEDOCS_CANONICAL_URL (the extension's default); anywhere else the site is
# served from the root ("python -m http.server -d docs/_build/html").
if not os.environ.get("READTHEDOCS"):
    notfound_urls_prefix = "/"

# -- copy buttons --------------------------------------------------------------------------------
# Copy commands without their prompts, so "$ vercel-lab invoke ..." pastes as a command.
copybutton_prompt_text = r"\$ |>>> |\.\.\. "
copybutton_prompt_is_regexp = True
copybutton_exclude = ".linenos, .gp, .go"


# -- assets --------------------------------------------------------------------------------------
_UNWANTED_ASSETS = {"thebelab-helper.js", "thebelab.css"}


def _unwanted(asset: object) -> bool:
    name = str(getattr(asset, "filename", asset))
    return "://" in name or name.startswith("//") or name.rsplit("/", 1)[-1] in _UNWANTED_ASSETS


def _drop_unwanted_assets(
    app: object, pagename: str, templatename: str, context: dict[str, object], doctree: object
) -> None:
    """Keep every page free of scripts and stylesheets from other hosts or never copied."""
    for key in ("script_files", "css_files"):
        assets = context.get(key)
        if isinstance(assets, list):
            assets[:] = [asset for asset in assets if not _unwanted(asset)]


def setup(app: Sphinx) -> None:
    app.connect("html-page-context", _drop_unwanted_assets, priority=100)
