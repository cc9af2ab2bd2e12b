"""Vercel's most basic Python Function: a `handler` class, no framework.

The runtime looks for a top-level class named `handler` that subclasses
BaseHTTPRequestHandler (from the standard library) and calls its do_GET, do_POST, ...
method for each request, exactly as Python's own http.server would.
"""

from http.server import BaseHTTPRequestHandler


class handler(BaseHTTPRequestHandler):  # noqa: N801  (the runtime looks for this name)
    def do_GET(self):
        body = f"Hello from a handler class. You asked for {self.path}\n".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
