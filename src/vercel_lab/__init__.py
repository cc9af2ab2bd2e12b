"""Run Python functions locally exactly as Vercel's Python runtime does.

The public API:

- :class:`~vercel_lab.runtime.function.Function` cold-starts a project under the real
  ``vercel_runtime.vc_init`` in a child process and invokes it;
- :class:`~vercel_lab.runtime.events.Request` is what a client sends;
- :class:`~vercel_lab.runtime.outcome.Outcome` is what the client and the function log would see.
"""

from __future__ import annotations

from vercel_lab.runtime.events import Request, Response
from vercel_lab.runtime.function import Function, invoke
from vercel_lab.runtime.outcome import Outcome

__all__ = ["Function", "Outcome", "Request", "Response", "invoke"]
__version__ = "0.1.0"
