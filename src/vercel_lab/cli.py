"""The ``vercel-lab`` command line.

Exit status of ``invoke``: 0 the function answered (whatever its HTTP status), 1 the platform
or the builder answered instead (FUNCTION_INVOCATION_FAILED, a timeout, a build error...), 2 bad
usage or bad input, 130 interrupted (Ctrl-C; the function's process is stopped first).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from vercel_lab import __version__, errors
from vercel_lab import serve as serve_command
from vercel_lab.cliargs import header, key_value, seconds
from vercel_lab.environments import EnvironmentSetupError
from vercel_lab.events import Request
from vercel_lab.runtime import DEFAULT_MAX_DURATION, Function

EXIT_ANSWERED, EXIT_PLATFORM_ERROR, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class UsageError(Exception):
    """Bad input on the command line: printed as ``vercel-lab: error: ...``, exit status 2."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (the CLI reference on the site is generated from it)."""
    parser = argparse.ArgumentParser(
        prog="vercel-lab",
        description="Run Python functions locally exactly as Vercel's Python runtime does.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    invoke = commands.add_parser(
        "invoke",
        help="build a project, cold-start its function under the real runtime, send a request",
        description="Build PROJECT with the builder's rules, cold-start the function under "
        "vercel_runtime.vc_init, send one request and print what the client and the function "
        "log would see. Exit status: 0 the function answered, 1 the platform or the builder "
        "answered instead, 2 bad usage or input.",
    )
    invoke.add_argument(
        "project",
        nargs="?",
        default=".",
        metavar="PROJECT",
        help="the project folder (default: the current folder)",
    )
    invoke.add_argument(
        "--entrypoint",
        metavar="FILE[:VAR]",
        help="skip the builder's detection and use this file and variable, e.g. "
        "api/index.py:handler (like [tool.vercel] entrypoint)",
    )
    invoke.add_argument(
        "-X",
        "--request",
        dest="method",
        default="GET",
        metavar="METHOD",
        help="HTTP method (default: GET)",
    )
    invoke.add_argument("--path", default="/", help="request path with query (default: /)")
    invoke.add_argument(
        "-H",
        "--header",
        dest="headers",
        action="append",
        type=header,
        default=[],
        metavar="'NAME: VALUE'",
        help="a request header (repeatable)",
    )
    invoke.add_argument(
        "--data", metavar="TEXT|@FILE", help="request body, or @FILE to read it from a file"
    )
    invoke.add_argument(
        "--env",
        action="append",
        type=key_value,
        default=[],
        metavar="K=V",
        help="a user environment variable (repeatable; added to .env)",
    )
    invoke.add_argument(
        "--no-env-file", action="store_true", help="do not read the project's .env file"
    )
    invoke.add_argument(
        "--timeout",
        type=seconds,
        metavar="S",
        help="maximum duration in seconds (default: vercel.json maxDuration, "
        f"else {DEFAULT_MAX_DURATION:g})",
    )
    invoke.add_argument(
        "--runtime-version",
        metavar="X",
        help="run this vercel-runtime release instead of the pinned one "
        "(installed once into the cache)",
    )
    invoke.add_argument(
        "--deployed-deps",
        action="store_true",
        help="see only what requirements.txt / pyproject.toml declares, "
        "as on Vercel (default: this environment's packages)",
    )
    invoke.add_argument(
        "--writable-fs",
        action="store_true",
        help="allow writes outside /tmp (Vercel's filesystem is read-only)",
    )
    invoke.add_argument("--json", action="store_true", help="print one JSON object")
    invoke.add_argument(
        "--bundle",
        metavar="PATH",
        help="invoke a function built by `vercel build` instead of building PROJECT: a .func "
        "folder (or a .vercel/output with one function), run as Lambda does",
    )
    invoke.set_defaults(handler=_run_invoke)

    explain = commands.add_parser(
        "explain",
        help="explain a Vercel or builder error code",
        description="Print what an error code means, its status, and the chapter explaining it.",
    )
    explain.add_argument(
        "code", nargs="?", help="e.g. FUNCTION_INVOCATION_FAILED; omit to list every code"
    )
    explain.set_defaults(handler=_run_explain)
    serve_command.add_parser(commands)

    doctor = commands.add_parser(
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
    doctor.add_argument(
        "--json",
        action="store_true",
        help='print {"findings": [{"id", "category", "severity", "file", '
        '"line", "message", "fix", "docs_url"}, ...]}',
    )
    doctor.set_defaults(handler=_run_doctor)
    return parser


def _body(data: str | None) -> bytes:
    if data is None:
        return b""
    if data.startswith("@"):
        path = Path(data[1:])
        try:
            return path.read_bytes()
        except OSError as exc:
            raise UsageError(f"cannot read --data file {path}: {exc.strerror}") from None
    return data.encode()


def _run_invoke(args: argparse.Namespace) -> int:
    try:
        request = Request(args.method, args.path, tuple(args.headers), _body(args.data))
        if args.bundle:
            from vercel_lab.bundle import BundleFunction  # only for --bundle: keeps start-up quick

            function: Function = BundleFunction(
                args.bundle,
                env=dict(args.env),
                max_duration=args.timeout,
                read_only=not args.writable_fs,
            )
        else:
            function = Function(
                args.project,
                entrypoint=args.entrypoint,
                env=dict(args.env),
                env_file=not args.no_env_file,
                max_duration=args.timeout,
                read_only=not args.writable_fs,
                dependencies="deployed" if args.deployed_deps else "current",
                runtime_version=args.runtime_version,
            )
    except (OSError, ValueError) as exc:
        raise UsageError(str(exc)) from None
    with function:
        try:
            outcome = function.invoke(request)
        except EnvironmentSetupError as exc:
            raise UsageError(str(exc)) from None
    if args.json:
        print(json.dumps(outcome.to_json(), indent=2))
    else:
        print(outcome)
    return EXIT_ANSWERED if outcome.ok else EXIT_PLATFORM_ERROR


def _run_explain(args: argparse.Namespace) -> int:
    if args.code is None:
        for entry in errors.CATALOGUE.values():
            status = entry.status if entry.status is not None else "build"
            print(f"{entry.code:40} {status}")
        return 0
    code = args.code.strip().upper()
    if code not in errors.CATALOGUE:
        raise UsageError(f"unknown error code {args.code!r}; run 'vercel-lab explain' for the list")
    entry = errors.CATALOGUE[code]
    status = f"HTTP {entry.status} {entry.kind}" if entry.status else "build error (no deployment)"
    print(f"{entry.code}: {status}\n{entry.meaning}\nExplained in: docs/{entry.chapter}")
    return 0


def _run_doctor(args: argparse.Namespace) -> int:
    from vercel_lab.doctor.command import report  # the doctor's checks load only when asked

    try:
        output, status = report(args.project, log=args.log, run=args.run, as_json=args.json)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    sys.stdout.write(output)
    return status


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status: int = args.handler(args)
    except UsageError as exc:
        parser.exit(EXIT_USAGE, f"{parser.prog}: error: {exc}\n")
    except KeyboardInterrupt:
        print(f"{parser.prog}: interrupted; the function's process was stopped", file=sys.stderr)
        return EXIT_INTERRUPTED
    return status
