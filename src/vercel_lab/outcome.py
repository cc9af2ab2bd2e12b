"""What one invocation came to: what the client received and what the function log holds."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any, Literal

from vercel_lab.events import Request

Phase = Literal["build", "init", "invoke"]


@dataclass(frozen=True)
class Outcome:
    """The result of sending one request to a function, as the client and the log see it.

    ``status`` is None only for a build failure (no deployment exists). ``error_code`` is the
    Vercel or builder code when the platform answered instead of the function, else None.
    ``phase`` says where it failed: ``"build"``, ``"init"`` (cold start) or ``"invoke"``
    (during the request); None when the function answered, whatever its status.
    """

    request: Request
    status: int | None
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    error_code: str | None = None
    phase: Phase | None = None
    log: str = ""
    cold_start_ms: float | None = None
    duration_ms: float = 0.0
    entrypoint: str | None = None  # "api/index.py:app"
    runtime_version: str = ""
    project: str = ""  # the project folder, so displays can map it to Vercel's /var/task
    notes: tuple[str, ...] = field(default=())  # what vercel-lab itself observed (not the log)

    @property
    def ok(self) -> bool:
        """True when the function answered (any status), False when the platform did."""
        return self.error_code is None

    @property
    def text(self) -> str:
        """The response body decoded as UTF-8 (undecodable bytes replaced)."""
        return self.body.decode("utf-8", "replace")

    def header(self, name: str, default: str | None = None) -> str | None:
        """The first value of response header ``name`` (case-insensitive), or ``default``."""
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), default)

    def log_lines(self, containing: str = "") -> list[str]:
        """The log's lines that contain ``containing`` (all lines when empty)."""
        return [line for line in self.log.splitlines() if containing in line]

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` form: exactly the documented keys."""
        try:
            body, encoding = self.body.decode("utf-8"), "text"
        except UnicodeDecodeError:
            body, encoding = base64.b64encode(self.body).decode("ascii"), "base64"
        return {
            "status": self.status,
            "headers": [[name, value] for name, value in self.headers],
            "body": body,
            "body_encoding": encoding,
            "error_code": self.error_code,
            "phase": self.phase,
            "log": self.log,
            "cold_start_ms": None if self.cold_start_ms is None else round(self.cold_start_ms, 1),
        }

    def __str__(self) -> str:
        from vercel_lab.display import render_text

        return render_text(self)

    def _repr_html_(self) -> str:
        from vercel_lab.display import render_html

        return render_html(self)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))
