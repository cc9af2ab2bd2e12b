import time

CHUNK = b"x" * 65536
COUNT = 96  # 6 MiB in all


def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "application/octet-stream")])

    def body():
        for i in range(COUNT):
            if i % 16 == 0:
                time.sleep(0.02)
            yield CHUNK

    return body()
