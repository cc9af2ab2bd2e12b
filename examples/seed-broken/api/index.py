"""The guide's portfolio entrypoint, as the guide found it. BROKEN, on purpose: do not copy.

It was written as if Vercel called Python functions the way Express calls Node ones,
handler(req, res), with the answer sent through `res`. Vercel's Python runtime has no such
interface. It looks for a WSGI or ASGI app (or a BaseHTTPRequestHandler class named
`handler`); this function takes two arguments, so it passes for WSGI and gets called as
handler(environ, start_response), where `req` is a dict with no `.method`.
"""

import io
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portfolio.settings")

import django  # noqa: E402

django.setup()

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402

django_app = WSGIHandler()


def handler(req, res):
    # Node-style: read the request off `req`...
    environ = {
        "REQUEST_METHOD": req.method,
        "PATH_INFO": req.path,
        "QUERY_STRING": "",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "443",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": req.headers.get("host", "localhost"),
        "HTTP_X_FORWARDED_PROTO": "https",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "https",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }

    captured = {}

    def start_response(status, headers, exc_info=None):
        captured["status"] = int(status.split(" ", 1)[0])
        captured["headers"] = headers

    body = b"".join(django_app(environ, start_response))

    # ...and answer through `res`, Express-style: res.status(), res.headers, res.send().
    res.status(captured["status"])
    for name, value in captured["headers"]:
        res.headers[name] = value
    res.send(body)
