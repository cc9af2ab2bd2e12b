from flask import Flask, request

app = Flask(__name__)


@app.get("/")
def home():
    print("hello from flask", request.headers.get("x-vercel-internal-invocation-id"))
    return {
        "path": request.path,
        "internal": [
            k for k, _ in request.headers.items() if k.lower().startswith("x-vercel-internal")
        ],
    }
