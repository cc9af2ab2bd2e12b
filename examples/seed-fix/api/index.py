"""The guide's "fix" for the portfolio entrypoint, as the guide describes it. STILL BROKEN.

The guide's claim: Vercel passes a single Request object, so take handler(request), parse
it flexibly, and return a Response (from the `vercel` module, if importable) or a dict
{"statusCode", "headers", "body"}. Vercel's Python runtime does neither: it serves a WSGI
or ASGI app, and rejects a one-argument `handler` at cold start ("Could not determine the
application interface"). Kept as the guide wrote it, so the site can run it and show that.
"""

import io
import os
import sys
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portfolio.settings")

# "Added Error Handling": initialise Django inside try/except and remember the error.
try:
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler

    django_app = WSGIHandler()
    init_error = None
except Exception:
    django_app = None
    init_error = traceback.format_exc()

# "Proper Response Format": a Response object if the `vercel` module is available...
try:
    from vercel import Response
except ImportError:
    Response = None


def _respond(status, headers, body):
    if Response is not None:
        return Response(body, status=status, headers=headers)
    # ...otherwise a dict "that Vercel accepts".
    return {"statusCode": status, "headers": headers, "body": body}


def _pick(request, names, default):
    # "Flexible Request Parsing": try attributes, then dict keys, then give up.
    for name in names:
        value = getattr(request, name, None)
        if value is None and isinstance(request, dict):
            value = request.get(name)
        if value is not None:
            return value
    return default


def handler(request):
    if init_error is not None:
        # "Better Error Messages": the traceback goes into the response.
        return _respond(500, {"content-type": "text/plain"}, "Django failed:\n" + init_error)

    try:
        method = _pick(request, ("method", "httpMethod", "REQUEST_METHOD"), "GET")
        path = _pick(request, ("path", "rawPath", "url", "PATH_INFO"), "/")
        headers = _pick(request, ("headers",), {}) or {}
        body = _pick(request, ("body", "data"), b"") or b""
        if isinstance(body, str):
            body = body.encode()
        path, _, query = str(path).partition("?")

        environ = {
            "REQUEST_METHOD": str(method).upper(),
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "localhost",
            "SERVER_PORT": "443",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "https",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        for name, value in dict(headers).items():
            key = name.upper().replace("-", "_")
            if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
                environ[key] = value
            else:
                environ["HTTP_" + key] = value

        captured = {}

        def start_response(status, response_headers, exc_info=None):
            captured["status"] = int(status.split(" ", 1)[0])
            captured["headers"] = dict(response_headers)

        content = b"".join(django_app(environ, start_response))
        return _respond(captured["status"], captured["headers"], content.decode("utf-8"))
    except Exception:
        return _respond(500, {"content-type": "text/plain"}, traceback.format_exc())
