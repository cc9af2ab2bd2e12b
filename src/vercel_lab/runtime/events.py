"""Requests and responses, and the Lambda-style dicts Vercel exchanges with a Python function.

Pure values and conversions, no I/O. The event shape is the one
``vercel_runtime.vc_init.vc_handler`` reads (``payload = json.loads(event["body"])``, then
``method``, ``path`` with its query string, ``headers``, ``body`` and an optional ``encoding`` of
``"base64"``); the result shape is the one it returns (``statusCode``, ``headers`` as
``{name: [values]}``, ``body``, optional ``encoding``).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

#: Headers Vercel's edge adds to every request before it reaches a function. The runtime builds
#: the WSGI ``SERVER_NAME``, ``REMOTE_ADDR`` and ``wsgi.url_scheme`` from them.
DEFAULT_HOST = "vercel-lab.vercel.app"
DEFAULT_CLIENT_IP = "203.0.113.7"  # TEST-NET-3 (RFC 5737): never a real client


def edge_headers(
    host: str = DEFAULT_HOST, client_ip: str = DEFAULT_CLIENT_IP
) -> list[tuple[str, str]]:
    """The forwarding headers Vercel's edge sets on every request it proxies to a function."""
    return [
        ("host", host),
        ("x-forwarded-host", host),
        ("x-forwarded-proto", "https"),
        ("x-forwarded-for", client_ip),
        ("x-real-ip", client_ip),
        ("x-vercel-forwarded-for", client_ip),
    ]


@dataclass(frozen=True)
class Request:
    """An HTTP request as a client sends it to a deployment.

    ``path`` includes the query string (``/search?q=x``). ``headers`` are the client's own; the
    edge's forwarding headers are added by :func:`to_event` unless the client set them. A ``str``
    body is encoded as UTF-8.
    """

    method: str = "GET"
    path: str = "/"
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""

    def __post_init__(self) -> None:
        if not self.method or not self.method.isascii() or not self.method.isalpha():
            raise ValueError(f"invalid HTTP method: {self.method!r}")
        object.__setattr__(self, "method", self.method.upper())
        if not self.path.startswith("/"):
            raise ValueError(f"the request path must start with '/': {self.path!r}")
        if any(c in self.path for c in " \r\n\t"):
            raise ValueError(
                "the request path must be percent-encoded (no spaces or line breaks): "
                f"{self.path!r}"
            )
        if isinstance(self.body, str):
            object.__setattr__(self, "body", self.body.encode())
        object.__setattr__(self, "headers", tuple((str(k), str(v)) for k, v in self.headers))
        for name, value in self.headers:
            if not name or any(c in name for c in " :\r\n") or any(c in value for c in "\r\n"):
                raise ValueError(f"invalid header: {name!r}: {value!r}")

    @property
    def accept(self) -> str:
        """The ``Accept`` header the platform answers by: the client's, else ``*/*`` (what curl
        sends, and what :func:`send_headers` adds when the client sent none)."""
        return next((v for k, v in self.headers if k.lower() == "accept"), "*/*")

    @classmethod
    def get(cls, path: str = "/", **kwargs: Any) -> Request:
        """A ``GET`` request for ``path``."""
        return cls("GET", path, **kwargs)


@dataclass(frozen=True)
class Response:
    """An HTTP response: status, header pairs in order (a name may repeat) and the body bytes."""

    status: int
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""

    def header(self, name: str, default: str | None = None) -> str | None:
        """The first value of header ``name`` (case-insensitive), or ``default``."""
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), default)

    @property
    def text(self) -> str:
        """The body decoded as UTF-8, undecodable bytes replaced."""
        return self.body.decode("utf-8", "replace")


@dataclass(frozen=True)
class EventOptions:
    """How the edge dresses a request: the deployment's host and the client's address."""

    host: str = DEFAULT_HOST
    client_ip: str = DEFAULT_CLIENT_IP


def _headers_mapping(pairs: Iterable[tuple[str, str]]) -> dict[str, str | list[str]]:
    """Pairs to the event's ``{name: value}``; a repeated name becomes a list, in order."""
    merged: dict[str, str | list[str]] = {}
    for name, value in pairs:
        key = name.lower()
        previous = merged.get(key)
        if previous is None:
            merged[key] = value
        elif isinstance(previous, list):
            previous.append(value)
        else:
            merged[key] = [previous, value]
    return merged


def send_headers(request: Request, options: EventOptions | None = None) -> list[tuple[str, str]]:
    """The headers the function receives for ``request``, in order: the edge's forwarding
    headers (client headers of the same name win), ``accept: */*`` when the client sent no
    Accept (as curl does), then the client's own (duplicates kept)."""
    options = options or EventOptions()
    client = {name.lower() for name, _ in request.headers}
    edge = [(k, v) for k, v in edge_headers(options.host, options.client_ip) if k not in client]
    if "accept" not in client:
        edge.append(("accept", "*/*"))
    return [*edge, *request.headers]


def to_event(request: Request, options: EventOptions | None = None) -> dict[str, str]:
    """The Lambda-style event Vercel sends for ``request``.

    Client headers win over the edge's defaults of the same name. The body travels as text when it
    is valid UTF-8, else base64 with ``"encoding": "base64"``.
    """
    payload: dict[str, Any] = {
        "method": request.method,
        "path": request.path,
        "headers": _headers_mapping(send_headers(request, options)),
    }
    try:
        payload["body"] = request.body.decode("utf-8")
    except UnicodeDecodeError:
        payload["body"] = base64.b64encode(request.body).decode("ascii")
        payload["encoding"] = "base64"
    return {"body": json.dumps(payload)}


def from_result(result: Mapping[str, Any]) -> Response:
    """The :class:`Response` described by a ``vc_handler`` result dict.

    Raises :class:`ValueError` when the dict is not a result (no integer ``statusCode``).
    """
    status = result.get("statusCode")
    if not isinstance(status, int) or isinstance(status, bool):
        raise ValueError(f"not a function result (statusCode is {status!r})")
    pairs: list[tuple[str, str]] = []
    raw_headers = result.get("headers") or {}
    if not isinstance(raw_headers, Mapping):
        raise ValueError("not a function result (headers is not a mapping)")
    for name, values in raw_headers.items():
        for value in values if isinstance(values, list) else [values]:
            pairs.append((str(name), str(value)))
    raw_body = result.get("body") or ""
    if result.get("encoding") == "base64":
        body = base64.b64decode(raw_body)
    else:
        body = str(raw_body).encode("utf-8")
    return Response(status, tuple(pairs), body)


def to_result(response: Response) -> dict[str, Any]:
    """The result dict for ``response`` (the inverse of :func:`from_result`)."""
    headers: dict[str, list[str]] = {}
    for name, value in response.headers:
        headers.setdefault(name, []).append(value)
    result: dict[str, Any] = {"statusCode": response.status, "headers": headers}
    try:
        result["body"] = response.body.decode("utf-8")
    except UnicodeDecodeError:
        result["body"] = base64.b64encode(response.body).decode("ascii")
        result["encoding"] = "base64"
    return result
