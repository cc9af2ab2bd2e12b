"""Fix texts (and message parts) that several checks share, written once so they cannot drift.

Texts are behaviour: the reference page and the tests show them as written here.
"""

from __future__ import annotations

from typing import Final

#: The fix for a function Vercel's runtime cannot serve: what it serves instead.
APP: Final = (
    "Serve a WSGI or ASGI app as a top-level `app`: Django `app = get_wsgi_application()`, "
    "Flask `app = Flask(__name__)`, FastAPI `app = FastAPI()`; or subclass "
    "BaseHTTPRequestHandler in a top-level `class handler`."
)
#: The runtime's message for a variable that is neither WSGI nor ASGI, quoted.
INTERFACE: Final = '"Could not determine the application interface"'
#: Where a function may write.
TMP: Final = (
    "Write under /tmp (emptied with the instance), or keep the data in a database or storage."
)
#: The fix for ALLOWED_HOSTS without Vercel's domains.
HOSTS: Final = (
    "Add `.vercel.app` (every deployment URL, previews included) and your own domains: "
    '`ALLOWED_HOSTS = [".vercel.app", "example.com"]`.'
)
#: The fix for a secret key that is empty or in the code.
SECRET: Final = (
    "Set DJANGO_SECRET_KEY in the Vercel project's Environment Variables and read it with "
    '`os.environ.get("DJANGO_SECRET_KEY")`.'
)
#: The fix for a bundle over the size limit.
BUNDLE: Final = (
    "Keep the heavy packages out of the function (call a hosted model or API, use lighter "
    "packages or CPU-only wheels), or run that work on a service without the limit."
)
#: The fix for an exception raised by the project's own code.
TRACE: Final = (
    "Fix the code at the traceback's last frame in your project; `vercel-lab invoke` "
    "reproduces the cold start and the request locally."
)
#: The fix for a module that is not installed (``{module}`` is filled in).
DEPENDENCY: Final = (
    "Add the package that provides `{module}` to requirements.txt (or pyproject.toml); if "
    "`{module}` is your own code, commit it and import it by its path from the project root."
)
#: The ``[tool.vercel] entrypoint`` advice, worded so it never creates a pyproject.toml that
#: hides requirements.txt: with a pyproject.toml the builder installs from it (its
#: [project].dependencies) and ignores requirements.txt (shared case
#: uvlock-hides-requirements; @vercel/python 6.56.2 dist/index.js:6422-6437).
TOOL_VERCEL: Final = (
    'or set `[tool.vercel] entrypoint = "{target}"` in pyproject.toml (without a pyproject.toml '
    "yet, a new one makes the builder install from it and ignore requirements.txt: move the "
    "dependencies into its `[project].dependencies` at the same time)"
)
#: Vercel's per-environment scoping of variables, said wherever a fix sets one.
ENV_SCOPED: Final = (
    "Vercel scopes variables per environment (Production, Preview, Development): set it for "
    "every environment that runs this deployment, then redeploy (a variable reaches only "
    "deployments made after it was set)."
)
