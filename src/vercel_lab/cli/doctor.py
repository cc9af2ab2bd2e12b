"""``vercel-lab doctor``: the warning signs of FUNCTION_INVOCATION_FAILED in a project, a pasted
log or a local cold start (the checks are :mod:`vercel_lab.doctor`)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from vercel_lab.cli.common import (
    ExitStatus,
    UsageError,
    add_deps,
    add_env,
    add_framework,
    add_mode,
    deployment_options,
)

# The choices only: plain tuples, so building the parser loads none of the doctor's checks.
FORMATS = ("text", "json", "sarif", "github")
SEVERITIES = ("error", "warning", "info")


def add_parser(commands: Any) -> argparse.ArgumentParser:
    """Add ``doctor`` to ``vercel-lab``'s subparsers."""
    doctor: argparse.ArgumentParser = commands.add_parser(
        "doctor",
        help="find the warning signs of FUNCTION_INVOCATION_FAILED in a project or a log",
        description="Check PROJECT statically (its code is never imported), classify a pasted "
        "Vercel build or function log, and with --run cold-start it under the real runtime. "
        "Exit status: 1 when any finding reaches --fail-level (default: error), 0 otherwise, "
        "2 bad usage.",
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
        help="also cold-start the function (the deployed dependency set, as the builder "
        "installs it) and report what failed",
    )
    add_env(doctor)
    add_deps(doctor)
    doctor.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help='text (default); json: {"findings": [{"id", "category", "severity", '
        '"file", "line", "message", "fix", "docs_url"}, ...]}; sarif: SARIF 2.1.0 '
        "for GitHub code scanning; github: GitHub Actions annotations (::error file=...)",
    )
    add_framework(doctor)
    add_mode(doctor)
    doctor.add_argument(
        "--json",
        dest="format",
        action="store_const",
        const="json",
        help="the same as --format json",
    )
    doctor.add_argument(
        "--fail-level",
        choices=SEVERITIES,
        default="error",
        help="exit with status 1 when a finding is at least this severe (default: error)",
    )
    doctor.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="ID",
        help="leave out the findings of check ID (repeatable); a project can list ids in "
        "[tool.vercel-lab] ignore = [...] of its pyproject.toml, or in .vercel-lab.toml",
    )
    doctor.add_argument(
        "--fix",
        action="store_true",
        help="make a change (a diff, or a variable to set) for each finding with a mechanical "
        "remedy, apply each alone and then all together to a temporary copy, run the requests "
        "that failed, and report each as verified, not-enough or not-verifiable; the project "
        "is not written",
    )
    doctor.add_argument(
        "--write",
        action="store_true",
        help="with --fix: apply the verified changes to the project and print the diff written "
        "(refused, exit status 2, in a folder that is not a git repository or has "
        "uncommitted changes, unless --force, and in a read-only folder)",
    )
    doctor.add_argument(
        "--force",
        action="store_true",
        help="with --write: write even outside a git repository or on uncommitted changes",
    )
    doctor.set_defaults(handler=run)
    return doctor


def run(args: argparse.Namespace) -> ExitStatus:
    """Print the report: :attr:`~ExitStatus.FAILED` when a finding reaches ``--fail-level``, else
    :attr:`~ExitStatus.OK`; :class:`UsageError` for a missing project or unreadable log."""
    from vercel_lab.doctor.report import report  # the doctor's checks load only when asked

    if (args.write or args.force) and not args.fix:
        raise UsageError("--write and --force need --fix")
    if args.write and not args.fix:
        raise UsageError("--write needs --fix")
    if args.force and not args.write:
        raise UsageError("--force needs --write")
    if args.fix:
        from vercel_lab.doctor.fixers.report import fix_report

        try:
            output, failed = fix_report(
                args.project or ".",
                fmt=args.format,
                ignore=args.ignore,
                write=args.write,
                force=args.force,
            )
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        sys.stdout.write(output)
        return ExitStatus.FAILED if failed else ExitStatus.OK
    try:
        output, errors = report(
            args.project,
            log=args.log,
            run=args.run,
            fmt=args.format,
            fail_level=args.fail_level,
            ignore=args.ignore,
            run_options=deployment_options(args),
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    sys.stdout.write(output)
    return ExitStatus.FAILED if errors else ExitStatus.OK
