"""What every ``vercel-lab`` subcommand shares: the exit statuses, the usage error, the argument
types and the options more than one subcommand takes (declared here once, with one help text).

Bad option values are argparse errors (``vercel-lab invoke: error: argument --env: expected
KEY=VALUE, got 'x'``, exit status 2); a :class:`UsageError` raised by a subcommand prints as
``vercel-lab: error: ...`` with the same status.
"""

from __future__ import annotations

import argparse
from enum import IntEnum
from typing import Any

from vercel_lab.platform import DEFAULT_MAX_DURATION

__all__ = [
    "ExitStatus",
    "UsageError",
    "add_deps",
    "add_entrypoint",
    "add_env",
    "add_framework",
    "add_mode",
    "add_project",
    "add_runtime_version",
    "add_timeout",
    "add_writable_fs",
    "deployment_options",
    "framework",
    "header",
    "key_value",
    "seconds",
]


class ExitStatus(IntEnum):
    """The exit status of every ``vercel-lab`` command (the one place they are defined; the
    reference page lists them from here).

    - ``OK`` (0): ``invoke``: the function answered, whatever its HTTP status; ``doctor``: no
      finding reaches ``--fail-level`` (default: error; with ``--fix``: no error finding is
      left without a verified fix); ``explain``: the code is known;
      ``serve``: stopped by Ctrl-C or SIGTERM.
    - ``FAILED`` (1): ``invoke``: the platform or the builder answered instead of the function
      (FUNCTION_INVOCATION_FAILED, a timeout, a build error...); ``doctor``: a finding reaches
      ``--fail-level`` (an error, by default); ``serve``: the builder refuses the project, so
      nothing is served.
    - ``USAGE`` (2): bad usage or input (an unknown option, a project folder that does not exist,
      a malformed vercel.json or .env, a port that is taken, an environment that cannot be set up,
      a ``doctor --fix --write`` refused: not a git repository, uncommitted changes, read-only).
    - ``INTERRUPTED`` (130): Ctrl-C during ``invoke`` or ``doctor --run``; the function's process
      is stopped first.
    """

    OK = 0
    FAILED = 1
    USAGE = 2
    INTERRUPTED = 130


class UsageError(Exception):
    """Bad input on the command line: printed as ``vercel-lab: error: ...``, exit status
    :attr:`ExitStatus.USAGE`."""


# -- argument types ---------------------------------------------------------------------------


def key_value(text: str) -> tuple[str, str]:
    """``K=V`` (``--env``)."""
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    return key, value


def header(text: str) -> tuple[str, str]:
    """``Name: value`` (``-H``), both sides stripped."""
    name, sep, value = text.partition(":")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"expected 'Name: value', got {text!r}")
    return name.strip(), value.strip()


def seconds(text: str) -> float:
    """A positive number of seconds (``--timeout``)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds: {text!r}")
    return value


def framework(text: str) -> str | None:
    """``SLUG`` or ``null`` (``--framework``): a preset slug as the project settings hold it
    (``flask``, ``django``, ``python``...), ``null`` for "Other" (None)."""
    value = text.strip()
    if value == "<detect>":  # the default (argparse converts a string default too)
        return value
    if value.lower() in ("null", "none", "other"):
        return None
    if not value or not all(c.isalnum() or c in "-_." for c in value):
        raise argparse.ArgumentTypeError(f"expected a preset slug or null, got {text!r}")
    return value


# -- options shared by several subcommands ----------------------------------------------------


def add_framework(parser: argparse.ArgumentParser) -> None:
    """``--framework SLUG|null`` (``invoke``, ``serve``): the preset the project settings hold,
    overriding detection (source ``override``); by default it is detected."""
    from vercel_lab.builder.plan import AUTO

    parser.add_argument(
        "--framework",
        type=framework,
        default=AUTO,
        metavar="SLUG|null",
        help="the framework preset of the project settings (flask, django, python...; null for "
        "Other), overriding detection (default: detected)",
    )


def add_project(parser: argparse.ArgumentParser) -> None:
    """``PROJECT``, defaulting to the current folder (``invoke``, ``serve``)."""
    parser.add_argument(
        "project",
        nargs="?",
        default=".",
        metavar="PROJECT",
        help="the project folder (default: the current folder)",
    )


def add_env(parser: argparse.ArgumentParser) -> None:
    """``--env K=V`` and ``--env-file FILE`` (repeatable), ``--target`` (``invoke``, ``serve``,
    ``doctor``). On Vercel a project ``.env`` never becomes the environment: variables come from
    the project settings, which ``vercel pull`` writes to ``.vercel/.env.<target>.local``."""
    group = parser.add_argument_group("environment variables (as the project settings give them)")
    group.add_argument(
        "--env",
        action="append",
        type=key_value,
        default=[],
        metavar="K=V",
        help="a user environment variable (repeatable; wins over every file)",
    )
    group.add_argument(
        "--env-file",
        dest="env_files",
        action="append",
        default=[],
        metavar="FILE",
        help="read variables from FILE (repeatable; later files win). A project .env is never "
        "read unless named here",
    )
    group.add_argument(
        "--target",
        choices=("production", "preview", "development"),
        default="production",
        help="the environment: VERCEL_ENV, and .vercel/.env.<target>.local when `vercel pull` "
        "wrote it (default: production)",
    )


def add_deps(parser: argparse.ArgumentParser) -> None:
    """``--deps deployed|current`` and its alias ``--deployed-deps`` (``invoke``, ``serve``,
    ``doctor``)."""
    parser.add_argument(
        "--deps",
        choices=("deployed", "current"),
        default="deployed",
        help="deployed (default): exactly what Vercel's builder installs, in a cached venv; "
        "current: this environment's packages (faster, unfaithful)",
    )
    parser.add_argument(
        "--deployed-deps",
        dest="deps",
        action="store_const",
        const="deployed",
        help="the default, kept as an alias of --deps deployed",
    )


def deployment_options(args: argparse.Namespace) -> dict[str, Any]:
    """The :class:`~vercel_lab.runtime.function.Function` keywords of :func:`add_env` and
    :func:`add_deps` (and ``--writable-fs``, ``--framework``, ``--mode`` when the parser has
    them)."""
    options: dict[str, Any] = {
        "env": dict(args.env),
        "env_files": tuple(args.env_files),
        "target": args.target,
        "dependencies": args.deps,
    }
    if hasattr(args, "writable_fs"):
        options["read_only"] = not args.writable_fs
    if hasattr(args, "framework"):
        options["framework"] = args.framework
    if hasattr(args, "mode"):
        options["mode"] = args.mode
    return options


def add_writable_fs(parser: argparse.ArgumentParser) -> None:
    """``--writable-fs`` (``invoke``, ``serve``)."""
    parser.add_argument(
        "--writable-fs",
        action="store_true",
        help="allow writes outside /tmp (Vercel's filesystem is read-only)",
    )


def add_mode(parser: argparse.ArgumentParser) -> None:
    """``--mode fluid|lambda`` (``invoke``, ``serve``, ``doctor --run``)."""
    parser.add_argument(
        "--mode",
        choices=("fluid", "lambda"),
        default="fluid",
        help="how the platform runs the function: fluid (default; Fluid compute's IPC mode, "
        "the body streamed, no response size limit, one instance for concurrent requests) or "
        "lambda (the legacy vc_handler event, the body buffered, 4.5 MB response limit). No "
        "vercel.json key turns Fluid off (it is a project setting), so this is never read from "
        "the project",
    )


def add_entrypoint(parser: argparse.ArgumentParser) -> None:
    """``--entrypoint FILE[:VAR]`` (``invoke``, ``serve``)."""
    parser.add_argument(
        "--entrypoint",
        metavar="FILE[:VAR]",
        help="skip the builder's detection and use this file and variable, e.g. "
        "api/index.py:handler (like [tool.vercel] entrypoint)",
    )


def add_timeout(parser: argparse.ArgumentParser) -> None:
    """``--timeout S`` (``invoke``, ``serve``)."""
    parser.add_argument(
        "--timeout",
        type=seconds,
        metavar="S",
        help="maximum duration in seconds (default: vercel.json maxDuration, "
        f"else {DEFAULT_MAX_DURATION:g})",
    )


def add_runtime_version(parser: argparse.ArgumentParser) -> None:
    """``--runtime-version X`` (``invoke``, ``serve``)."""
    parser.add_argument(
        "--runtime-version",
        metavar="X",
        help="run this vercel-runtime release instead of the pinned one "
        "(installed once into the cache)",
    )
