"""The one reader of function and build logs: tracebacks, the runtime's messages, Vercel's paths.

Everything in vercel-lab that reads log text goes through here: the doctor's log checks, the
real-build parity table, the labs' feedback and the runtime's own frame filter. A traceback is
parsed from its printed text into a small model (:class:`Traceback` of :class:`Frame`), the way
``werkzeug.debug.tbtools`` models a ``traceback.TracebackException``, but from text, because the
log is all a reader of a Vercel deployment has.

The shapes read, and where each comes from:

- CPython's traceback format (``Lib/traceback.py`` of 3.12: ``StackSummary.format_frame_summary``
  writes ``  File "{file}", line {n}, in {name}``, then the source line indented by four spaces;
  ``TracebackException.format_exception_only`` writes ``{qualified type}: {message}``, or the
  type alone when the message is empty, e.g. ``KeyboardInterrupt``; the chain headers are
  ``_cause_message`` and ``_context_message``);
- Lambda's Python runtime form ``[ERROR] {type}: {message}`` (``awslambdaric`` ``bootstrap.py``
  ``log_error``; vercel-lab's child writes the same form for a crash without answer), and a log
  line's leading timestamp and ``[level]`` as Vercel's log viewer shows them (modelled);
- ``vercel_runtime`` 0.24.1's own messages: ``could not import "{file}":`` (``vc_init.py:567``),
  ``missing variable "{var}" in file "{module}".`` (``resolver.py:33``) and ``Could not determine
  the application interface for '{module}:{var}'`` (``resolver.py:86``);
- the platform's lines, written by :mod:`vercel_lab.platform` (:func:`~vercel_lab.platform.death`).

A pasted log is first *normalised* (:func:`normalise`, :mod:`~vercel_lab.logs.forms`): each copy
form's prefix is removed (timestamps, ``[level]``, the dashboard's columns and build-log clocks,
``|`` margins of exception groups), ``vercel logs --json`` lines are expanded and grouped by
request id (:mod:`~vercel_lab.logs.jsonlines`), Lambda's ``[ERROR]``-first form is put back in
CPython's order. Then :func:`parse_records` (:mod:`~vercel_lab.logs.tracebacks`) reads each chain
of tracebacks into a :class:`TracebackModel`, and :func:`build_failure`
(:mod:`~vercel_lab.logs.build`) names a failed build step of Vercel's Python builder.

Modules: :mod:`~vercel_lab.logs.core` (patterns, :class:`Traceback`, :func:`read_line`, paths),
:mod:`~vercel_lab.logs.forms`, :mod:`~vercel_lab.logs.jsonlines`,
:mod:`~vercel_lab.logs.tracebacks`, :mod:`~vercel_lab.logs.build`.

It imports :mod:`vercel_lab.platform` and nothing else of vercel-lab.
"""

from __future__ import annotations

from vercel_lab.logs.build import BuildFailure, build_failure, install_source
from vercel_lab.logs.core import (
    CHAIN_MARKERS,
    COULD_NOT_IMPORT,
    EXCEPTION,
    FRAME,
    LAMBDA_ERROR,
    MISSING_VARIABLE,
    NO_INTERFACE,
    PROCESS_EXITED,
    RUNTIME_EXITED,
    TIMED_OUT,
    TRACEBACK_START,
    Frame,
    LineReading,
    Traceback,
    read_line,
    task_relative,
    to_task,
    without_frames,
)
from vercel_lab.logs.forms import LogRecord, normalise
from vercel_lab.logs.tracebacks import (
    TracebackModel,
    exception_line,
    exception_lines,
    parse_records,
    parse_tracebacks,
    split_exception_line,
)

__all__ = [
    "CHAIN_MARKERS",
    "COULD_NOT_IMPORT",
    "EXCEPTION",
    "FRAME",
    "LAMBDA_ERROR",
    "MISSING_VARIABLE",
    "NO_INTERFACE",
    "PROCESS_EXITED",
    "RUNTIME_EXITED",
    "TIMED_OUT",
    "TRACEBACK_START",
    "BuildFailure",
    "Frame",
    "LineReading",
    "LogRecord",
    "Traceback",
    "TracebackModel",
    "build_failure",
    "exception_line",
    "exception_lines",
    "install_source",
    "normalise",
    "parse_records",
    "parse_tracebacks",
    "read_line",
    "split_exception_line",
    "task_relative",
    "to_task",
    "without_frames",
]
