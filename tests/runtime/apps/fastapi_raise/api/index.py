from fastapi import FastAPI

app = FastAPI()


@app.get("/boom")
def boom():
    print("about to fail")
    raise ValueError("kaboom 42")


@app.get("/ok")
def ok():
    return {"ok": True}
