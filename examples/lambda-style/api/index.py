"""An AWS Lambda habit brought to Vercel. BROKEN, on purpose.

On AWS Lambda behind API Gateway this is the whole program: the platform calls
handler(event, context) and turns the returned dict into an HTTP response. Vercel's Python
runtime serves WSGI or ASGI apps instead. A two-argument `handler` passes for WSGI, so it
is called as handler(environ, start_response): start_response is never called and the
"response" is a dict, which a WSGI server cannot send.
"""


def handler(event, context):
    return {
        "statusCode": 200,
        "headers": {"content-type": "text/plain; charset=utf-8"},
        "body": "Hello from a Lambda-style handler.",
    }
