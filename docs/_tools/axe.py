"""axe-core for ``nox -s docs-browser``: the pinned npm package, and its results summed up.

axe-core (https://github.com/dequelabs/axe-core) comes from the npm registry, pinned to
:data:`AXE_VERSION`, installed once with ``npm install --prefix CACHE --save-exact`` into
``$VERCEL_LAB_CACHE/axe-core/<version>`` (default ``~/.cache/vercel-lab/axe-core/<version>``),
never from a CDN; :func:`ensure_axe` returns the path of ``axe.min.js``, which the browser check
injects into each page with Playwright. :func:`summarize` turns the ``violations`` of
``axe.run()`` (https://github.com/dequelabs/axe-core/blob/develop/doc/API.md#results-object) into
report lines and the counts of the line ``axe: N pages, S serious, C critical``;
:func:`luminance` lets the check confirm that a page really is in the colour mode it asked for.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

AXE_VERSION = "4.14.1"
FAILING_IMPACTS = ("critical", "serious")  # axe's impacts: minor < moderate < serious < critical
TARGETS_SHOWN = 5  # per rule and page: the rest are counted, not listed


class AxeInstallError(RuntimeError):
    """npm is missing, or npm did not leave the pinned axe-core in the cache."""


def default_cache() -> Path:
    """``$VERCEL_LAB_CACHE``, else ``$XDG_CACHE_HOME/vercel-lab``, else ``~/.cache/vercel-lab``:
    the same root as ``vercel_lab.environments.cache_root``; axe-core lives in ``axe-core/``."""
    if configured := os.environ.get("VERCEL_LAB_CACHE"):
        return Path(configured) / "axe-core"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "vercel-lab" / "axe-core"


def npm_install_argv(npm: str, prefix: Path, version: str = AXE_VERSION) -> list[str]:
    """The npm command that installs exactly ``axe-core@version`` under ``prefix``."""
    return [
        npm,
        "install",
        "--prefix",
        str(prefix),
        "--save-exact",
        "--ignore-scripts",
        "--no-audit",
        "--no-fund",
        f"axe-core@{version}",
    ]


def installed_version(prefix: Path) -> str | None:
    """The version of ``prefix/node_modules/axe-core``, or None when it is not installed."""
    package = prefix / "node_modules" / "axe-core" / "package.json"
    try:
        return str(json.loads(package.read_text())["version"])
    except (OSError, ValueError, KeyError):
        return None


def ensure_axe(
    cache: Path | None = None,
    version: str = AXE_VERSION,
    *,
    which: Callable[[str], str | None] = shutil.which,
    run: Callable[[list[str]], object] = lambda argv: subprocess.run(argv, check=True),
) -> Path:
    """Path of ``axe.min.js`` of axe-core ``version``, installed with npm on first use.

    Raises :class:`AxeInstallError` when npm is not on PATH, or when after ``npm install`` the
    cache does not hold that version; ``subprocess.CalledProcessError`` when npm fails.
    """
    prefix = (cache or default_cache()) / version
    script = prefix / "node_modules" / "axe-core" / "axe.min.js"
    if installed_version(prefix) == version and script.is_file():
        return script
    npm = which("npm")
    if npm is None:
        raise AxeInstallError(
            f"npm is not on PATH: the accessibility check installs axe-core@{version} from the "
            "npm registry (install Node.js and npm, e.g. `apt-get install npm`)"
        )
    prefix.mkdir(parents=True, exist_ok=True)
    run(npm_install_argv(npm, prefix, version))
    found = installed_version(prefix)
    if found != version or not script.is_file():
        raise AxeInstallError(
            f"npm install left axe-core {found or 'nothing'} in {prefix}, not {version} "
            "with axe.min.js"
        )
    return script


def luminance(css_colour: str) -> float:
    """WCAG 2 relative luminance, 0 (black) .. 1 (white), of a computed ``rgb(r, g, b)`` or
    ``rgba(r, g, b, a)`` colour (alpha ignored); ValueError for any other form."""
    channels = [float(c) / 255 for c in re.findall(r"[\d.]+", css_colour)[:3]]
    if len(channels) != 3:
        raise ValueError(f"not an rgb() colour: {css_colour!r}")
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@dataclass(frozen=True)
class Finding:
    """One element that fails one axe rule on one page in one colour mode."""

    rule: str
    impact: str
    page: str
    mode: str  # "light" or "dark"
    target: str  # axe's CSS selector for the element (iframe/shadow parts joined with " >> ")
    why: str  # the first reason of axe's failureSummary, e.g. the contrast ratio and colours
    help: str
    help_url: str


def findings(page: str, mode: str, violations: Iterable[Mapping[str, Any]]) -> list[Finding]:
    """The serious and critical elements of one ``axe.run()`` ``violations`` list.

    A node's own ``impact`` wins over its rule's (axe sets both; a rule's is its worst node's).
    """
    found = []
    for violation in violations:
        for node in violation.get("nodes", []):
            impact = node.get("impact") or violation.get("impact") or "unknown"
            if impact not in FAILING_IMPACTS:
                continue
            target = " >> ".join(
                " ".join(part) if isinstance(part, list) else str(part)
                for part in node.get("target", [])
            )
            reasons = str(node.get("failureSummary") or "").splitlines()[1:2]
            found.append(
                Finding(
                    rule=str(violation["id"]),
                    impact=impact,
                    page=page,
                    mode=mode,
                    target=target,
                    why=reasons[0].strip() if reasons else "",
                    help=str(violation.get("help", "")),
                    help_url=str(violation.get("helpUrl", "")),
                )
            )
    return found


def summarize(pages: int, found: Sequence[Finding]) -> list[str]:
    """Report lines: per rule, page and mode the first targets; last, the figures line."""
    lines: list[str] = []
    groups: dict[tuple[str, str, str, str], list[Finding]] = {}
    for finding in found:
        groups.setdefault((finding.rule, finding.impact, finding.page, finding.mode), []).append(
            finding
        )
    for (rule, impact, page, mode), group in sorted(groups.items()):
        lines.append(f"axe {impact} {rule} on {page} ({mode}): {group[0].help}")
        lines.append(f"    {group[0].help_url}")
        for finding in group[:TARGETS_SHOWN]:
            lines.append(f"    target: {finding.target}")
            if finding.why:
                lines.append(f"      {finding.why}")
        if len(group) > TARGETS_SHOWN:
            lines.append(f"    ... and {len(group) - TARGETS_SHOWN} more elements")
    serious = sum(finding.impact == "serious" for finding in found)
    critical = sum(finding.impact == "critical" for finding in found)
    lines.append(f"axe: {pages} pages, {serious} serious, {critical} critical")
    return lines
