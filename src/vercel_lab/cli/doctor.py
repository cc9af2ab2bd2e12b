"""``vercel-lab doctor``: the warning signs of FUNCTION_INVOCATION_FAILED in a project, a pasted
log or a local cold start (the checks are :mod:`vercel_lab.doctor`)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from vercel_lab.cli.common import ExitStatus, UsageError, add_mode


def add_parser(commands: Any) -> argparse.ArgumentParser:
    """Add ``doctor`` to ``vercel-lab``'s subparsers."""
    doctor: argparse.ArgumentParser = commands.add_parser(
        "doctor",
        help="find the warning signs of FUNCTION_INVOCATION_FAILED in a project or a log",
        description="Check PROJECT statically (its code is never imported), classify a pasted "
        "Vercel build or function log, and with --run cold-start it under the real runtime. "
        "Exit status: 1 when any finding is an error, 0 otherwise, 2 bad usage.",
    )
    doctor.add_argument(
        "project",
        nargs="?",
        metavar="PROJECT",
        help="the project folder (default: the current folder, unless only --log is given)",
    )
    doctor.add_argument(
        "--log",
        metavar="FILE|-",
        help="a Vercel build or function log to classify ('-': standard input)",
    )
    doctor.add_argument(
        "--run",
        action="store_true",
        help="also cold-start the function (this environment's packages) and report what failed",
    )
    add_mode(doctor)
    doctor.add_argument(
        "--json",
        action="store_true",
        help='print {"findings": [{"id", "category", "severity", "file", '
        '"line", "message", "fix", "docs_url"}, ...]}',
    )
    doctor.set_defaults(handler=run)
    return doctor


def run(args: argparse.Namespace) -> ExitStatus:
    """Print the report: :attr:`~ExitStatus.FAILED` when a finding is an error, else
    :attr:`~ExitStatus.OK`; :class:`UsageError` for a missing project or unreadable log."""
    from vercel_lab.doctor.report import report  # the doctor's checks load only when asked

    try:
        output, errors = report(
            args.project, log=args.log, run=args.run, as_json=args.json, mode=args.mode
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    sys.stdout.write(output)
    return ExitStatus.FAILED if errors else ExitStatus.OK
