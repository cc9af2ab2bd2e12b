"""Argument types shared by the ``vercel-lab`` subcommands: bad values are argparse errors
(``vercel-lab invoke: error: argument --env: expected KEY=VALUE, got 'x'``, exit status 2)."""

from __future__ import annotations

import argparse


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
