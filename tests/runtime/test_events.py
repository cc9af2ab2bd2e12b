"""Requests and responses <-> the dicts vc_handler exchanges."""

from __future__ import annotations

import base64
import json

import pytest

from vercel_lab.runtime.events import (
    EventOptions,
    Request,
    Response,
    from_result,
    to_event,
    to_result,
)


def make_request(**overrides: object) -> Request:
    fields: dict[str, object] = {"method": "GET", "path": "/", "headers": (), "body": b""}
    fields.update(overrides)
    return Request(**fields)  # type: ignore[arg-type]


def test_event_is_the_payload_vc_handler_reads_as_json_text() -> None:
    event = to_event(make_request(path="/search?q=a%20b"), EventOptions(host="h.vercel.app"))
    assert list(event) == ["body"]
    assert json.loads(event["body"]) == {
        "method": "GET",
        "path": "/search?q=a%20b",
        "headers": {
            "host": "h.vercel.app",
            "x-forwarded-host": "h.vercel.app",
            "x-forwarded-proto": "https",
            "x-forwarded-for": "203.0.113.7",
            "x-real-ip": "203.0.113.7",
            "x-vercel-forwarded-for": "203.0.113.7",
            "accept": "*/*",
        },
        "body": "",
    }


def test_client_headers_override_edge_defaults_and_repeat_as_lists() -> None:
    request = make_request(headers=(("Host", "example.com"), ("Accept", "a"), ("accept", "b")))
    headers = json.loads(to_event(request)["body"])["headers"]
    assert headers["host"] == "example.com"
    assert headers["accept"] == ["a", "b"]


def test_binary_body_travels_as_base64() -> None:
    payload = json.loads(to_event(make_request(method="POST", body=b"\xff\x00"))["body"])
    assert payload["encoding"] == "base64"
    assert base64.b64decode(payload["body"]) == b"\xff\x00"


def test_result_round_trips_with_repeated_headers_and_binary_body() -> None:
    response = Response(200, (("set-cookie", "a=1"), ("set-cookie", "b=2")), b"\x89PNG")
    result = to_result(response)
    assert result == {
        "statusCode": 200,
        "headers": {"set-cookie": ["a=1", "b=2"]},
        "body": base64.b64encode(b"\x89PNG").decode(),
        "encoding": "base64",
    }
    assert from_result(result) == response


def test_from_result_rejects_a_dict_without_integer_status() -> None:
    with pytest.raises(ValueError, match=r"^not a function result \(statusCode is '200'\)$"):
        from_result({"statusCode": "200"})


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"path": "no-slash"}, "the request path must start with '/': 'no-slash'"),
        (
            {"path": "/a b"},
            "the request path must be percent-encoded (no spaces or line breaks): '/a b'",
        ),
        ({"method": "GE T"}, "invalid HTTP method: 'GE T'"),
        ({"headers": (("Bad Name", "x"),)}, "invalid header: 'Bad Name': 'x'"),
    ],
)
def test_bad_requests_are_refused_with_a_clear_message(
    kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError) as caught:
        make_request(**kwargs)
    assert str(caught.value) == message


def test_method_is_upper_cased_and_str_body_encoded() -> None:
    request = Request("post", "/", body="é")  # type: ignore[arg-type]
    assert (request.method, request.body) == ("POST", "é".encode())
