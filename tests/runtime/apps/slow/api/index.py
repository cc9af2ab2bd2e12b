import threading

from flask import Flask

app = Flask(__name__)
# Ten requests must be inside the handler at the same time to pass the barrier.
barrier = threading.Barrier(10)


@app.get("/slow")
def slow():
    try:
        barrier.wait(timeout=20)
    except threading.BrokenBarrierError:
        return {"together": False}, 503
    print("slow done")
    return {"together": True, "thread": threading.get_ident()}
