from flask import Flask, request

app = Flask(__name__)


@app.get("/health")
def health():
    return {"ok": True, "path": request.path}


@app.get("/api/index")
def index():
    return {"seen": request.full_path}
