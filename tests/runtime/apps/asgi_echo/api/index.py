"""Echoes the request as the app sees it: the body as the response body, the rest (method, raw
path, query string, headers as Latin-1 text, in order) as base64 JSON in ``x-echo``."""

import base64
import json


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    meta = {
        "method": scope["method"],
        "path": scope["raw_path"].decode("latin-1"),
        "query": scope["query_string"].decode("latin-1"),
        "headers": [[k.decode("latin-1"), v.decode("latin-1")] for k, v in scope["headers"]],
    }
    echo = base64.b64encode(json.dumps(meta).encode()).decode()
    headers = [(b"content-type", b"application/octet-stream"), (b"x-echo", echo.encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})
