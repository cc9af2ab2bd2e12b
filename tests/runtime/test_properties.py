"""Property tests of request -> runtime -> response, in both modes: whatever the method, path
(percent-encoded), headers (repeated, Latin-1 bytes beyond ASCII) and body (binary, empty), the
app sees exactly what the client sent and the client gets exactly the bytes the app answered.

One warm instance per mode serves every example (module fixtures). The app
(``apps/asgi_echo``) answers the request body as its body and describes the rest in ``x-echo``.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.runtime.runtime_apps import APPS
from vercel_lab import Function
from vercel_lab.platform import PAYLOAD_LIMIT_BYTES
from vercel_lab.runtime.events import Request

EXAMPLES = 1000  # per mode: 2,000 in all
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "PROPFIND")
#: Header values as bytes on the wire, read as Latin-1 (what http.server hands ``serve``):
#: visible ASCII, spaces inside, and every byte from 0x80 (obs-text).
VALUE_CHARS = st.characters(
    codec="latin-1", min_codepoint=0x20, exclude_characters="\x7f", exclude_categories=("Cc",)
)
NAMES = st.sampled_from(("x-p-a", "x-p-b", "X-P-Mixed", "x-p-\u0064ata"))
HEADERS = st.lists(st.tuples(NAMES, st.text(VALUE_CHARS, max_size=30).map(str.strip)), max_size=6)
SEGMENTS = st.lists(st.text(max_size=8).map(lambda s: quote(s, safe="")), max_size=4)
QUERY = st.text(max_size=12).map(lambda s: quote(s, safe="=&"))
BODIES = st.binary(max_size=2048)
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def fluid() -> Iterator[Function]:
    with Function(APPS / "asgi_echo", mode="fluid") as function:
        assert function.invoke("/").status == 200  # warm
        yield function


@pytest.fixture(scope="module")
def legacy() -> Iterator[Function]:
    with Function(APPS / "asgi_echo", mode="lambda") as function:
        assert function.invoke("/").status == 200
        yield function


def _echo(outcome: Any) -> dict[str, Any]:
    raw = outcome.header("x-echo")
    assert raw is not None, (outcome.status, outcome.error_code, outcome.log)
    data: dict[str, Any] = json.loads(base64.b64decode(raw))
    return data


def _by_name(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for name, value in pairs:
        grouped.setdefault(name.lower(), []).append(value)
    return grouped


def _round_trip(
    function: Function,
    method: str,
    segments: list[str],
    query: str,
    headers: list[tuple[str, str]],
    body: bytes,
) -> None:
    path = "/" + "/".join(segments) + (f"?{query}" if query else "")
    outcome = function.invoke(Request(method, path, tuple(headers), body))
    assert (outcome.status, outcome.error_code) == (200, None), outcome.log
    echo = _echo(outcome)
    assert echo["method"] == method
    assert (echo["path"], echo["query"]) == (path.partition("?")[0], query)
    seen = [(name, value) for name, value in echo["headers"] if name.startswith("x-p-")]
    sent = [(name.lower(), value) for name, value in headers]
    if function.mode == "fluid":
        assert seen == sent  # every header, repeated ones included, in order
    else:  # the Lambda event groups repeated names into one list (to_event)
        assert _by_name(seen) == _by_name(sent)
    assert outcome.body == (b"" if method == "HEAD" else body)


@SETTINGS
@given(st.sampled_from(METHODS), SEGMENTS, QUERY, HEADERS, BODIES)
def test_fluid_mode_round_trips_every_byte(
    fluid: Function,
    method: str,
    segments: list[str],
    query: str,
    headers: list[tuple[str, str]],
    body: bytes,
) -> None:
    _round_trip(fluid, method, segments, query, headers, body)


@SETTINGS
@given(st.sampled_from(METHODS), SEGMENTS, QUERY, HEADERS, BODIES)
def test_lambda_mode_round_trips_every_byte(
    legacy: Function,
    method: str,
    segments: list[str],
    query: str,
    headers: list[tuple[str, str]],
    body: bytes,
) -> None:
    _round_trip(legacy, method, segments, query, headers, body)


@pytest.mark.parametrize("mode", ["fluid", "lambda"])
@pytest.mark.parametrize("size", [0, PAYLOAD_LIMIT_BYTES - 1, PAYLOAD_LIMIT_BYTES])
def test_bodies_up_to_the_limit_round_trip(
    fluid: Function, legacy: Function, mode: str, size: int
) -> None:
    function = fluid if mode == "fluid" else legacy
    body = bytes(range(256)) * (size // 256) + bytes(range(size % 256))
    outcome = function.invoke(Request("POST", "/upload", (), body))
    assert (outcome.status, len(outcome.body)) == (200, size)
    assert outcome.body == body


@pytest.mark.parametrize("mode", ["fluid", "lambda"])
def test_a_body_one_byte_over_the_limit_is_413(
    fluid: Function, legacy: Function, mode: str
) -> None:
    function = fluid if mode == "fluid" else legacy
    outcome = function.invoke(Request("POST", "/upload", (), b"\xff" * (PAYLOAD_LIMIT_BYTES + 1)))
    assert (outcome.status, outcome.error_code) == (413, "FUNCTION_PAYLOAD_TOO_LARGE")
