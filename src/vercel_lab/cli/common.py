"""What every ``vercel-lab`` subcommand shares: the exit statuses, the usage error, the argument
types and the options more than one subcommand takes (declared here once, with one help text).

Bad option values are argparse errors (``vercel-lab invoke: error: argument --env: expected
KEY=VALUE, got 'x'``, exit status 2); a :class:`UsageError` raised by a subcommand prints as
``vercel-lab: error: ...`` with the same status.
"""

from __future__ import annotations

import argparse
from enum import IntEnum

__all__ = [
    "ExitStatus",
    "UsageError",
    "add_deployed_deps",
    "add_env",
    "add_project",
    "add_writable_fs",
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


# -- options shared by several subcommands ----------------------------------------------------


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
    """``--env K=V``, repeatable (``invoke``, ``serve``)."""
    parser.add_argument(
        "--env",
        action="append",
        type=key_value,
        default=[],
        metavar="K=V",
        help="a user environment variable (repeatable; added to .env)",
    )


def add_deployed_deps(parser: argparse.ArgumentParser) -> None:
    """``--deployed-deps`` (``invoke``, ``serve``)."""
    parser.add_argument(
        "--deployed-deps",
        action="store_true",
        help="see only what requirements.txt / pyproject.toml declares, "
        "as on Vercel (default: this environment's packages)",
    )


def add_writable_fs(parser: argparse.ArgumentParser) -> None:
    """``--writable-fs`` (``invoke``, ``serve``)."""
    parser.add_argument(
        "--writable-fs",
        action="store_true",
        help="allow writes outside /tmp (Vercel's filesystem is read-only)",
    )
