"""One HTTP/1.1 exchange between the platform and the runtime's local server, read as a stream.

In Fluid (IPC) mode the platform speaks plain HTTP to ``127.0.0.1:<httpPort>`` (the port of
``server-started``, vercel_runtime 0.24.1 ``vc_init.py`` l. 417-435). The runtime writes a WSGI
body chunk by chunk (``wfile.write`` + ``flush`` per item, l. 1170-1176; HTTP/1.0, so without a
Content-Length the body ends when the connection closes) and an ASGI body through uvicorn
(``Transfer-Encoding: chunked`` without a Content-Length). :func:`exchange` reads it with
``read1`` so each chunk reaches ``on_chunk`` as it arrives.
"""

from __future__ import annotations

import http.client
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

__all__ = ["Exchange", "exchange"]

#: ``on_head(status, headers)``: called once, before the first body chunk.
HeadSink = Callable[[int, tuple[tuple[str, str], ...]], None]
#: ``on_chunk(data)``: called with each body chunk as it arrives.
ChunkSink = Callable[[bytes], None]


@dataclass(frozen=True)
class Exchange:
    """What the platform received for one request.

    ``status`` is None when the runtime closed the connection before a status line
    (``dropped``) or did not answer within the timeout (``timed_out``). ``truncated`` is True
    when the body ended before its declared length or its chunked framing was cut short.
    ``ttfb_ms`` is the time from sending the request to the status line and headers,
    ``total_ms`` to the end of the body (milliseconds).
    """

    status: int | None
    headers: tuple[tuple[str, str], ...]
    body: bytes
    ttfb_ms: float | None
    total_ms: float
    truncated: bool = False
    dropped: bool = False
    timed_out: bool = False


def exchange(
    port: int,
    method: str,
    path: str,
    headers: Sequence[tuple[str, str]],
    body: bytes,
    *,
    timeout: float,
    on_head: HeadSink | None = None,
    on_chunk: ChunkSink | None = None,
) -> Exchange:
    """Send one request to ``127.0.0.1:port`` and read the answer chunk by chunk.

    ``headers`` are sent as given, duplicates and order kept (a ``content-length`` is added for a
    body, or for any method but GET and HEAD). ``timeout`` (seconds) bounds the whole exchange.
    Never raises for what the runtime does (a dropped connection, a cut body, a timeout): the
    :class:`Exchange` says so. Exceptions raised by ``on_head``/``on_chunk`` propagate.
    """
    started = time.perf_counter()
    deadline = started + timeout
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    names = {name.lower() for name, _ in headers}
    parts: list[bytes] = []
    ttfb: float | None = None
    status: int | None = None
    head: tuple[tuple[str, str], ...] = ()
    truncated = dropped = timed_out = False
    try:
        conn.putrequest(method, path, skip_host="host" in names, skip_accept_encoding=True)
        for name, value in headers:
            conn.putheader(name, _wire(value))
        if "content-length" not in names and (body or method not in ("GET", "HEAD")):
            conn.putheader("content-length", str(len(body)))
        conn.endheaders(body or None)
        response = conn.getresponse()
        ttfb = (time.perf_counter() - started) * 1000
        status, head = response.status, tuple(response.getheaders())
        if on_head is not None:
            on_head(status, head)
        while True:
            if conn.sock is not None:
                conn.sock.settimeout(max(deadline - time.perf_counter(), 0.001))
            chunk = response.read1(1 << 16)
            if not chunk:
                break
            parts.append(chunk)
            if on_chunk is not None:
                on_chunk(chunk)
        # read1 stops at EOF without raising when a declared length is not reached
        truncated = bool(response.length)
    except TimeoutError:
        timed_out = True
    except http.client.IncompleteRead as exc:
        truncated = True
        if exc.partial:
            parts.append(exc.partial)
            if on_chunk is not None:
                on_chunk(exc.partial)
    except (http.client.RemoteDisconnected, http.client.BadStatusLine):
        dropped = status is None
        truncated = status is not None
    except (ConnectionError, http.client.HTTPException, OSError):
        dropped = status is None
        truncated = status is not None
    finally:
        conn.close()
    total = (time.perf_counter() - started) * 1000
    return Exchange(
        status if not timed_out else None,
        head,
        b"".join(parts),
        ttfb,
        total,
        truncated=truncated,
        dropped=dropped,
        timed_out=timed_out,
    )


def _wire(value: str) -> bytes:
    """A header value's bytes: Latin-1, as ``http.client`` (and so ``vc_handler``) sends it and
    as ``http.server`` decoded it (``serve``), so bytes a client sent go on unchanged; text
    outside Latin-1 goes as UTF-8."""
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:
        return value.encode("utf-8")
