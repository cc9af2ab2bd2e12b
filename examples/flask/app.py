"""A Flask app in Vercel's zero-config layout: app.py at the root, a top-level `app`.

Vercel finds `app` here without any vercel.json and serves it as a WSGI app; every path
goes to Flask.
"""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def home():
    return "<h1>Hello from Flask</h1>"


@app.get("/api/greet/<name>")
def greet(name):
    # Returning a dict makes Flask answer JSON.
    return {"greeting": f"Hello, {name}!"}
