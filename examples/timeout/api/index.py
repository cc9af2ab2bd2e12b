"""A WSGI app with one fast route and one slow one; vercel.json allows 1 second.

/ answers at once. /slow sleeps 3 seconds, standing in for a slow database query or API
call; the platform stops the function after maxDuration and the client gets
504 FUNCTION_INVOCATION_TIMEOUT. Plain WSGI, no framework: nothing to install.
"""

import time

SLOW_SECONDS = 3


def app(environ, start_response):
    path = environ.get("PATH_INFO", "/")
    if path == "/slow":
        # Longer than maxDuration (1 s in vercel.json): this request never finishes.
        time.sleep(SLOW_SECONDS)
        body = b"Finished after 3 seconds.\n"
    else:
        body = b"Fast answer. Try /slow.\n"
    start_response(
        "200 OK",
        [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))],
    )
    return [body]
