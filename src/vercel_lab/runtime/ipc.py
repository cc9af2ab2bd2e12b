"""The IPC wire format of ``vercel_runtime.vc_init`` in Fluid (IPC) mode (pure: no I/O).

Source: ``vercel_runtime/vc_init.py`` of vercel-runtime 0.24.1 (line numbers below); 0.23.2, the
release the newest builder installs, sends the same messages:

- the runtime connects an ``AF_UNIX``/``SOCK_STREAM`` socket to ``$VERCEL_IPC_PATH`` (l. 92-95);
- each message is ``json.dumps(message) + "\\0"``, UTF-8 (``send_message``, l. 98-101);
- messages: ``server-started`` ``{"initDuration", "httpPort", "userInitDuration"}``
  (l. 417-435), ``unrecoverable-error`` ``{"exitCode": 1, "message"}`` (l. 124-140),
  ``handler-started`` ``{"handlerStartedAt", "context"}`` (l. 713-724 ASGI, 1004-1015 WSGI),
  ``log`` ``{"context", "message" (base64), "stream" | "level"}`` (l. 193-262), ``metric``
  (l. 840-867) and ``end`` ``{"context"}`` (l. 754-765 ASGI, 920-930 WSGI); ``context`` is
  ``{"invocationId": str, "requestId": int}``, and log lines written outside a request carry
  ``{"invocationId": "0", "requestId": 0}`` (l. 214, 256).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

#: The context the runtime gives log lines written outside any request (vc_init.py l. 214, 256).
NO_INVOCATION = "0"


@dataclass(frozen=True)
class Message:
    """One decoded IPC message: ``kind`` is its ``type``; ``payload`` its ``payload`` object."""

    kind: str
    payload: dict[str, Any]

    @property
    def invocation_id(self) -> str | None:
        """The ``payload.context.invocationId``, or None for messages without a context."""
        context = self.payload.get("context")
        if not isinstance(context, dict):
            return None
        value = context.get("invocationId")
        return str(value) if value is not None else None


@dataclass(frozen=True)
class LogLine:
    """A decoded ``log`` message: ``text`` as written (a ``write()`` call, not always a line),
    ``stream`` "stdout"/"stderr" for writes to ``sys.stdout``/``sys.stderr``, ``level``
    "debug"/"info"/"warn"/"error"/"fatal" for ``logging`` records (vc_init.py l. 180-189)."""

    invocation_id: str
    text: str
    stream: str | None
    level: str | None


class FrameDecoder:
    """Splits the byte stream of the IPC socket into messages at each ``\\0``.

    ``feed(data)`` returns the messages completed by ``data``; a partial frame is kept for the
    next call. Raises ``ValueError`` when a frame is not a JSON object with a string ``type``.
    """

    def __init__(self) -> None:
        self._pending = bytearray()

    def feed(self, data: bytes) -> list[Message]:
        self._pending += data
        messages: list[Message] = []
        while True:
            end = self._pending.find(b"\0")
            if end < 0:
                return messages
            frame = bytes(self._pending[:end])
            del self._pending[: end + 1]
            messages.append(parse_frame(frame))

    @property
    def pending(self) -> int:
        """Bytes of an unfinished frame (non-zero at EOF means the runtime died mid-message)."""
        return len(self._pending)


def parse_frame(frame: bytes) -> Message:
    """One frame (without its ``\\0``) as a :class:`Message`; raises ``ValueError``."""
    data = json.loads(frame.decode())
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        raise ValueError(f"not an IPC message: {frame[:200]!r}")
    payload = data.get("payload")
    return Message(data["type"], payload if isinstance(payload, dict) else {})


def decode_log(message: Message) -> LogLine:
    """The text of a ``log`` message (its ``message`` is base64 of UTF-8 text)."""
    payload = message.payload
    text = base64.b64decode(payload.get("message", "")).decode(errors="replace")
    stream = payload.get("stream")
    level = payload.get("level")
    return LogLine(
        invocation_id=message.invocation_id or NO_INVOCATION,
        text=text,
        stream=stream if isinstance(stream, str) else None,
        level=level if isinstance(level, str) else None,
    )


def log_text(line: LogLine) -> str:
    """The text ``line`` adds to the function log: a ``logging`` record gets its newline (the
    runtime sends records without one, vc_init.py l. 240-262); writes are kept as written."""
    if line.level is not None and not line.text.endswith("\n"):
        return line.text + "\n"
    return line.text
