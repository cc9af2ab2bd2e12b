"""``vercel-lab explain``: what an error code of :data:`vercel_lab.platform.CATALOGUE` means."""

from __future__ import annotations

import argparse
from typing import Any

from vercel_lab import platform
from vercel_lab.cli.common import ExitStatus, UsageError
from vercel_lab.site import page


def add_parser(commands: Any) -> argparse.ArgumentParser:
    """Add ``explain`` to ``vercel-lab``'s subparsers."""
    explain: argparse.ArgumentParser = commands.add_parser(
        "explain",
        help="explain a Vercel or builder error code",
        description="Print what an error code means, its status, and the chapter explaining it.",
    )
    explain.add_argument(
        "code", nargs="?", help="e.g. FUNCTION_INVOCATION_FAILED; omit to list every code"
    )
    explain.set_defaults(handler=run)
    return explain


def run(args: argparse.Namespace) -> ExitStatus:
    """Print one entry (or, without a code, every code and its status); :class:`UsageError`
    for an unknown code."""
    if args.code is None:
        for entry in platform.CATALOGUE.values():
            status = entry.status if entry.status is not None else "build"
            print(f"{entry.code:40} {status}")
        return ExitStatus.OK
    wanted = args.code.strip().upper()
    code = next((known for known in platform.CATALOGUE if known.upper() == wanted), wanted)
    if code not in platform.CATALOGUE:
        raise UsageError(f"unknown error code {args.code!r}; run 'vercel-lab explain' for the list")
    entry = platform.CATALOGUE[code]
    status = f"HTTP {entry.status} {entry.kind}" if entry.status else "build error (no deployment)"
    print(f"{entry.code}: {status}\n{entry.meaning}")
    if entry.source:
        print(f"Source: {entry.source} ({entry.evidence})")
    if entry.note:
        print(f"Note: {entry.note}")
    print(f"Explained in: {page(entry.chapter + '.html')}")
    return ExitStatus.OK
