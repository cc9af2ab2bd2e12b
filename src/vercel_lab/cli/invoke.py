"""``vercel-lab invoke``: build a project, cold-start its function, send one request, print what
the client and the function log would see."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
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
    header,
)


def add_parser(commands: Any) -> argparse.ArgumentParser:
    """Add ``invoke`` to ``vercel-lab``'s subparsers."""
    invoke: argparse.ArgumentParser = commands.add_parser(
        "invoke",
        help="build a project, cold-start its function under the real runtime, send a request",
        description="Build PROJECT with the builder's rules, cold-start the function under "
        "vercel_runtime.vc_init, send one request and print what the client and the function "
        "log would see. Exit status: 0 the function answered, 1 the platform or the builder "
        "answered instead, 2 bad usage or input.",
    )
    add_project(invoke)
    add_entrypoint(invoke)
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
    add_env(invoke)
    add_timeout(invoke)
    add_runtime_version(invoke)
    add_deps(invoke)
    add_framework(invoke)
    add_writable_fs(invoke)
    add_mode(invoke)
    invoke.add_argument("--json", action="store_true", help="print one JSON object")
    invoke.add_argument(
        "--show-files",
        action="store_true",
        help="list the files left out of the function's bundle, and why",
    )
    invoke.add_argument(
        "--bundle",
        metavar="PATH",
        help="invoke a function built by `vercel build` instead of building PROJECT: a .func "
        "folder (or a .vercel/output with one function), run as Lambda does",
    )
    invoke.set_defaults(handler=run)
    return invoke


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


def run(args: argparse.Namespace) -> ExitStatus:
    """Run ``invoke``: :attr:`~ExitStatus.OK` when the function answered, else
    :attr:`~ExitStatus.FAILED`; :class:`UsageError` for bad input."""
    from vercel_lab.runtime.events import Request
    from vercel_lab.runtime.function import Function
    from vercel_lab.runtime.interpreters import EnvironmentSetupError

    try:
        request = Request(args.method, args.path, tuple(args.headers), _body(args.data))
        if args.bundle:
            from vercel_lab.buildoutput.bundle import BundleFunction

            function: Function = BundleFunction(
                args.bundle,
                env=dict(args.env),
                max_duration=args.timeout,
                read_only=not args.writable_fs,
                mode=args.mode,
            )
        else:
            function = Function(
                args.project,
                entrypoint=args.entrypoint,
                max_duration=args.timeout,
                runtime_version=args.runtime_version,
                **deployment_options(args),
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
        if not args.bundle:
            print("\n".join(function.deployment_lines(args.show_files)))
    return ExitStatus.OK if outcome.ok else ExitStatus.FAILED
