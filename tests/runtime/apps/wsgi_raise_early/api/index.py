def app(environ, start_response):
    raise LookupError("no response at all")
