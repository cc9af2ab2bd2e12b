"""``vercel-lab serve``: serve a project on a local port (the server is
:mod:`vercel_lab.runtime.serve`)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from vercel_lab.cli.common import (
    ExitStatus,
    UsageError,
    add_deps,
    add_entrypoint,
    add_env,
    add_framework,
    add_mode,
    add_project,
    add_runtime_version,
    add_timeout,
    add_writable_fs,
    deployment_options,
)


def add_parser(commands: Any) -> argparse.ArgumentParser:
    """Add ``serve`` to ``vercel-lab``'s subparsers."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "serve",
        help="serve a project locally, routed like Vercel, functions under the real runtime",
        description="Serve PROJECT on a local port: vercel.json redirects, public/ files, "
        "rewrites and the function(s) under vercel_runtime, with Vercel's error pages. Prints "
        "each request with its status and duration. Ctrl-C stops it and every function "
        "instance.",
    )
    add_project(parser)
    parser.add_argument(
        "--port", type=int, default=3000, help="the port (default: 3000; 0 picks a free one)"
    )
    parser.add_argument("--host", default="127.0.0.1", help="the address (default: 127.0.0.1)")
    add_entrypoint(parser)
    add_env(parser)
    add_timeout(parser)
    add_runtime_version(parser)
    add_deps(parser)
    add_framework(parser)
    add_writable_fs(parser)
    add_mode(parser)
    parser.add_argument(
        "--reload",
        action="store_true",
        help="rebuild the function when a project file changes (checked at each request; "
        "the port stays)",
    )
    parser.add_argument(
        "--quiet", action="store_true", help="print one line per request, without the function log"
    )
    parser.set_defaults(handler=run)
    return parser


def run(args: argparse.Namespace) -> ExitStatus:
    """Serve until Ctrl-C or SIGTERM (:attr:`~ExitStatus.OK`); :attr:`~ExitStatus.FAILED`
    without serving when the builder refuses the project (as ``vercel dev`` does: no deployment
    would exist); :class:`UsageError` for bad input or an address that cannot be served on."""
    from vercel_lab.runtime.function import Function
    from vercel_lab.runtime.interpreters import EnvironmentSetupError
    from vercel_lab.runtime.serve import serve

    def build() -> Function:
        return Function(
            args.project,
            entrypoint=args.entrypoint,
            max_duration=args.timeout,
            runtime_version=args.runtime_version,
            **deployment_options(args),
        )

    try:
        function = build()
    except (OSError, ValueError) as exc:
        raise UsageError(str(exc)) from None
    try:
        function.prepare()
    except (OSError, ValueError, EnvironmentSetupError) as exc:
        function.close()
        raise UsageError(str(exc)) from None
    if function.build_error is not None:
        error = function.build_error
        print(f"vercel-lab serve: the build failed: {error.code}\n{error.message}", file=sys.stderr)
        return ExitStatus.FAILED
    try:
        serve(
            function,
            args.host,
            args.port,
            quiet=args.quiet,
            rebuild=build if args.reload else None,
        )
    except OSError as exc:  # the port is taken, or the address is not ours
        function.close()
        raise UsageError(f"cannot serve on {args.host}:{args.port}: {exc.strerror}") from None
    return ExitStatus.OK
