from flask import Flask, request

app = Flask(__name__)


@app.route("/", defaults={"path": ""})
@app.route("/<path:path>")
def catch_all(path):
    return f"flask saw {request.full_path}", 200, {"content-type": "text/plain"}
