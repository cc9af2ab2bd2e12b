"""``vercel-lab``'s entry point: the parser of every subcommand and :func:`main`.

Each subcommand is one module of this package with ``add_parser`` and ``run``; a module imports
what its command runs only when it runs, so ``vercel-lab --help`` and ``explain`` start quickly.
The exit statuses are :class:`~vercel_lab.cli.common.ExitStatus`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from vercel_lab import __version__
from vercel_lab.cli import doctor, explain, invoke, serve
from vercel_lab.cli.common import ExitStatus, UsageError

__all__ = ["build_parser", "main"]

#: The subcommands, in the order ``--help`` lists them.
COMMANDS = (invoke, explain, serve, doctor)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (the CLI reference on the site is generated from it)."""
    parser = argparse.ArgumentParser(
        prog="vercel-lab",
        description="Run Python functions locally exactly as Vercel's Python runtime does.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (an :class:`ExitStatus`)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status: int = args.handler(args)
    except UsageError as exc:
        parser.exit(ExitStatus.USAGE, f"{parser.prog}: error: {exc}\n")
    except KeyboardInterrupt:
        print(f"{parser.prog}: interrupted; the function's process was stopped", file=sys.stderr)
        return ExitStatus.INTERRUPTED
    return status
