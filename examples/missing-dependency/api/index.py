"""A Flask app that renders Markdown, with `markdown` missing from requirements.txt.

It works on a laptop where `markdown` happens to be installed. Vercel installs only what
requirements.txt lists, so there the import below raises ModuleNotFoundError while the
function starts, and every request gets FUNCTION_INVOCATION_FAILED.
The fix: add `markdown` to requirements.txt.
"""

import markdown
from flask import Flask

app = Flask(__name__)

ABOUT = """\
# About

I write **small** Python projects:

- a weather dashboard
- a recipe scaler
"""


# Every path: under the Flask preset the rewrite to /api/index is the path Flask sees.
@app.get("/", defaults={"path": ""})
@app.get("/<path:path>")
def about(path):
    return markdown.markdown(ABOUT)
