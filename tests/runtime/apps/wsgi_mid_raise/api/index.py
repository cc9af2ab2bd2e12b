def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])

    def body():
        yield b"first part;"
        raise RuntimeError("broken mid-body")

    return body()
