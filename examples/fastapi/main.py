"""A FastAPI app in Vercel's zero-config layout: main.py at the root, a top-level `app`.

FastAPI apps are ASGI apps; Vercel's runtime detects that and serves `app` with an ASGI
server, so there is no adapter (Mangum or similar) to add.
"""

from fastapi import FastAPI

app = FastAPI()


@app.get("/")
def home():
    return {"message": "Hello from FastAPI"}


@app.get("/api/greet/{name}")
def greet(name: str):
    return {"greeting": f"Hello, {name}!"}
