"""The checks that read a pasted Vercel log (``--log``) or a local cold start (``--run``).

Same shape and rules as :mod:`vercel_lab.doctor.catalogue`: the order is the priority, most
specific cause first, so "the handler received WSGI's arguments" outranks "the request
crashed", which it explains.
"""

from __future__ import annotations

from typing import Final

from vercel_lab.doctor.catalogue import Check, Source
from vercel_lab.doctor.findings import Category, Severity

_APP = (
    "Serve a WSGI or ASGI app as a top-level `app` (Django `app = get_wsgi_application()`, "
    "Flask `app = Flask(__name__)`, FastAPI `app = FastAPI()`), or subclass "
    "BaseHTTPRequestHandler in a top-level `class handler`."
)
_TRACE = (
    "Fix the code at the traceback's last frame in your project; `vercel-lab invoke` "
    "reproduces the cold start and the request locally."
)
_DEPENDENCY = (
    "Add the package that provides `{module}` to requirements.txt (or pyproject.toml); if "
    "`{module}` is your own code, commit it and import it by its path from the project root."
)


def _c(
    id: str, category: Category, severity: Severity, source: Source, message: str, fix: str
) -> Check:
    return Check(id, category, severity, source, message, fix)


# One check per block reads better than one argument per line.
# fmt: off
LOG_CHECKS: Final[tuple[Check, ...]] = (
    _c("log-handler-got-environ", "wrong-handler-signature", "error", "log",
       "A handler written for another platform received WSGI's arguments (`{detail}`): the "
       "runtime took it for a WSGI app and called it as `handler(environ, start_response)`.",
       _APP),
    _c("log-handler-not-class", "wrong-handler-signature", "error", "log",
       "`TypeError: issubclass() arg 1 must be a class`: runtimes up to vercel-runtime 0.10.0 "
       "require `handler` to be a BaseHTTPRequestHandler class, and this one is a function "
       "or an object.",
       "Export the app as `app` (WSGI or ASGI) instead of `handler`, or make `handler` a "
       "BaseHTTPRequestHandler subclass."),
    _c("log-response-not-bytes", "wrong-handler-signature", "error", "log",
       "`TypeError: a bytes-like object is required, not 'str'` inside the runtime: the app "
       "returned text or a dict where WSGI needs an iterable of bytes, as a Lambda-style "
       "`handler(event, context)` does.",
       _APP),
    _c("log-handler-interface", "wrong-handler-signature", "error", "log",
       "The runtime could not tell how to call `{target}`: a `handler` function that is not "
       "WSGI (environ, start_response) or async ASGI (scope, receive, send), such as "
       "`handler(request)`, stops the cold start.",
       _APP),
    _c("log-application-interface", "app-not-wsgi-or-asgi", "error", "log",
       "The runtime could not tell how to call `{target}`: it is neither a WSGI app (environ, "
       "start_response) nor an async ASGI app (scope, receive, send).",
       "Bind the variable to the application object itself (`app = Flask(__name__)`, "
       "`app = FastAPI()`, `app = get_wsgi_application()`), not to a wrapper or a result."),
    _c("log-missing-variable", "missing-app-variable", "error", "log",
       "The runtime found no `{variable}` in `{module}`: the builder picked that variable, but "
       "importing the module did not define it (it is bound only conditionally).",
       "Bind `{variable}` unconditionally at the top level of the entrypoint file."),
    _c("log-entrypoint-not-found", "missing-app-variable", "error", "log",
       "The build failed: {message}",
       "Give the entrypoint a top-level `app` (WSGI or ASGI) or `application`, or a `class "
       "handler(BaseHTTPRequestHandler)`; or set `[tool.vercel] entrypoint = "
       '"module:variable"` in pyproject.toml.'),
    _c("log-module-not-found-local", "import-error-module-path", "error", "log",
       "`ModuleNotFoundError: No module named '{module}'`: `{module}` is the project's own "
       "code, and it does not import from the project root, which is what Vercel puts on "
       "sys.path.",
       "Import it by its path from the project root (`from api.{module} import ...` for a "
       "file in api/), or add its folder to sys.path before the import."),
    _c("log-module-not-found", "import-error-missing-dependency", "error", "log",
       "`ModuleNotFoundError: No module named '{module}'`: no installed package provides it; "
       "Vercel installs only what the project declares.",
       _DEPENDENCY),
    _c("log-cannot-import-name", "import-error-missing-dependency", "error", "log",
       "`ImportError: cannot import name '{name}' from '{module}'`: the installed release of "
       "the package does not have it (Vercel installs the newest release the requirements "
       "allow).",
       "Pin the version you develop with in requirements.txt (`pip freeze` shows it)."),
    _c("log-pip-failed", "import-error-missing-dependency", "error", "log",
       "Installing the dependencies failed: `{detail}`.",
       "Check the name and version in requirements.txt; prefer packages with wheels for "
       "Linux (`psycopg2-binary` rather than `psycopg2`)."),
    _c("log-env-var", "env-var-missing", "error", "log",
       "`KeyError: '{name}'` from `os.environ`: the environment variable {name} is not set in "
       "the deployment.",
       "Set {name} in the Vercel project's Environment Variables (Production and Preview) and "
       "redeploy."),
    _c("log-env-improperly-configured", "env-var-missing", "error", "log",
       "Django's settings need the environment variable {name}, which is not set in the "
       "deployment (`ImproperlyConfigured`).",
       "Set {name} in the Vercel project's Environment Variables and redeploy."),
    _c("log-read-only-fs", "readonly-fs-write", "error", "log",
       "`OSError: [Errno 30] Read-only file system`{path}: the code writes inside the "
       "deployment, where only /tmp is writable.",
       "Write under /tmp, or keep the data in a database or storage; log to stderr."),
    _c("log-sqlite-readonly", "readonly-fs-write", "error", "log",
       "SQLite failed with `{detail}`: the database file is inside the read-only deployment "
       "(or missing from it).",
       "Use a hosted database (Postgres, MySQL) configured from an environment variable."),
    _c("log-disallowed-host", "django-settings", "error", "log",
       "Django refused the host `{host}` (DisallowedHost): it is not in ALLOWED_HOSTS, so the "
       "request got 400 Bad Request.",
       "Add `.vercel.app` (every deployment URL) and your own domains to ALLOWED_HOSTS."),
    _c("log-improperly-configured", "django-settings", "error", "log",
       "Django's settings are incomplete: `ImproperlyConfigured: {detail}`.",
       "Set the setting the message names (from an environment variable for secrets)."),
    _c("log-timeout", "timeout", "error", "log",
       "The function did not answer within its maximum duration{limit}: the platform "
       "stopped it and the client got 504 FUNCTION_INVOCATION_TIMEOUT.",
       "Raise `maxDuration` in vercel.json `functions`, give outgoing calls timeouts, or move "
       "slow work out of the request."),
    _c("log-payload-too-large", "size-limit", "error", "log",
       "{code}: a request or response body was larger than the 4.5 MB limit of a function.",
       "Upload large files straight to storage (a signed upload URL) and pass references; "
       "paginate or stream large responses."),
    _c("log-bundle-too-large", "size-limit", "error", "log",
       "The function's bundle is too large: `{detail}`.",
       "Drop heavy packages and data from the function, or list files in `.vercelignore`."),
    _c("log-python-version", "python-version", "warning", "log",
       "The builder did not use the Python version the project asks for: `{detail}`.",
       "Ask for a version Vercel offers (3.12, 3.13, 3.14) in .python-version or requires-python."),
    _c("log-vercel-json", "vercel-json-misconfig", "error", "log",
       "The project configuration was rejected: `{detail}`.",
       "Fix vercel.json as the message says; a Python function needs no `runtime` or "
       "`builds` entry."),
    _c("log-static-not-found", "static-files", "warning", "log",
       "Static files answer 404 (`{path}`): nothing serves STATIC_URL in the deployment.",
       "Serve them with WhiteNoise (`WHITENOISE_USE_FINDERS = True`) or collect them into "
       "STATIC_ROOT during the build."),
    _c("log-view-exception", "runtime-crash-in-view", "error", "log",
       "A request raised `{exception}` inside the app: the framework answered 500 (the "
       "function itself kept running).",
       _TRACE),
    _c("log-request-crashed", "runtime-crash-in-view", "error", "log",
       "The app raised `{exception}` while handling a request and the runtime closed the "
       "connection without a response: the client got 500 FUNCTION_INVOCATION_FAILED.",
       _TRACE),
    _c("log-syntax-error", "other", "error", "log",
       "`{exception}`: a file of the function does not parse, so the cold start fails.",
       "Fix the syntax; check it with `python -m py_compile` on Python 3.12."),
    _c("log-import-crash", "other", "error", "log",
       "Importing the entrypoint raised `{exception}`, so the function failed at cold start "
       "and every request gets 500 FUNCTION_INVOCATION_FAILED.",
       _TRACE),
    _c("log-out-of-memory", "other", "error", "log",
       "The function ran out of memory (`{detail}`).",
       "Load less at a time (stream, paginate), or raise the function's memory in the "
       "project settings."),
    _c("log-runtime-exited", "other", "error", "log",
       "The runtime exited (`{detail}`) and the log holds no more specific error.",
       "Look above this line in the full function log for the traceback."),
    _c("log-builds-warning", "vercel-json-misconfig", "warning", "log",
       "`builds` in vercel.json overrides the project's Build and Development Settings (the "
       "build log warns about it).",
       "Remove `builds` (and `routes`) and let Vercel detect the function; use `rewrites`."),
    _c("log-unrecognised", "other", "info", "log",
       "No known Vercel or Python failure in this log.",
       "Paste the function log of a failing request (Vercel dashboard > the deployment > "
       "Logs), the whole traceback included."),
    # -- --run ---------------------------------------------------------------------------------
    _c("run-no-function", "missing-app-variable", "error", "run",
       "The build made no Python function, so `GET {path}` answers 404 NOT_FOUND.",
       "Give an entrypoint file a top-level `app` or `class handler`; see the static findings "
       "for which file."),
    _c("run-failed", "other", "error", "run",
       "`GET {path}` failed with {code} (phase: {phase}) and the function log holds no more "
       "specific error.",
       "Read the function log: `vercel-lab invoke PROJECT --path {path}`."),
    _c("run-server-error", "runtime-crash-in-view", "warning", "run",
       "`GET {path}` answered {status}: the function ran, but the app failed on this request.",
       "Read the traceback in the function log (`vercel-lab invoke PROJECT --path {path}`)."),
    _c("run-answered", "other", "info", "run",
       "`GET {path}` answered {status} after a cold start of {ms} ms.",
       "Nothing to fix."),
    _c("run-could-not-start", "other", "info", "run",
       "The function could not be started locally: {error}.",
       "Check that the project's dependencies can be installed, or run without `--run`."),
)
# fmt: on
