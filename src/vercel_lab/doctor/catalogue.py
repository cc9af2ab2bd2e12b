"""The doctor's static checks as data: id, category, severity, where it looks, message and fix.

The order of :data:`ALL_CHECKS` is the priority of a finding within its severity: the most
specific cause of a failure comes first, so the first error of a report names the root cause
(``handler(req, res)`` before "the builder found no app", which it causes). Messages and fixes
are templates: ``{name}`` is filled from the finding's details. Texts are behaviour: the tests
and the site's reference page show them as written here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from vercel_lab.doctor.findings import Category, Severity

#: The site section that explains each category: chapter 4, one anchor per category.
DOCS_URL: Final = "https://vercel-lab.readthedocs.io/en/latest/tutorial/04-warning-signs.html"

Source = Literal["static", "log", "run"]


@dataclass(frozen=True)
class Check:
    """One check: what it reports and where the site explains it (``DOCS_URL#anchor``)."""

    id: str
    category: Category
    severity: Severity
    source: Source
    message: str
    fix: str
    anchor: str = ""  # default: the category

    @property
    def docs_url(self) -> str:
        return f"{DOCS_URL}#{self.anchor or self.category}"


_APP = (
    "Serve a WSGI or ASGI app as a top-level `app`: Django `app = get_wsgi_application()`, "
    "Flask `app = Flask(__name__)`, FastAPI `app = FastAPI()`; or subclass "
    "BaseHTTPRequestHandler in a top-level `class handler`."
)
_INTERFACE = '"Could not determine the application interface"'
_TMP = "Write under /tmp (emptied with the instance), or keep the data in a database or storage."
_HOSTS = (
    "Add `.vercel.app` (every deployment URL, previews included) and your own domains: "
    '`ALLOWED_HOSTS = [".vercel.app", "example.com"]`.'
)
_SECRET = (
    "Set DJANGO_SECRET_KEY in the Vercel project's Environment Variables and read it with "
    '`os.environ.get("DJANGO_SECRET_KEY")`.'
)
_BUNDLE = (
    "Keep the heavy packages out of the function (call a hosted model or API, use lighter "
    "packages or CPU-only wheels), or run that work on a service without the limit."
)
_TRACE = "Fix the error at the traceback's last frame in your project; `vercel-lab invoke` " + (
    "reproduces the cold start and the request locally."
)


def _c(
    id: str, category: Category, severity: Severity, source: Source, message: str, fix: str
) -> Check:
    return Check(id, category, severity, source, message, fix)


# One check per block reads better than one argument per line.
# fmt: off
_STATIC: tuple[Check, ...] = (
    # -- the handler Vercel calls ----------------------------------------------------------
    _c("handler-node-signature", "wrong-handler-signature", "error", "static",
       "`def {name}({params})` is Express's handler(req, res): Vercel's Python runtime passes "
       "no request and response objects; it takes a two-argument callable for a WSGI app and "
       "calls `{name}(environ, start_response)`, so every request fails.",
       _APP),
    _c("handler-lambda-signature", "wrong-handler-signature", "error", "static",
       "`def {name}({params})` is AWS Lambda's handler(event, context): Vercel's Python runtime "
       "takes it for a WSGI app and calls `{name}(environ, start_response)`, so no request gets "
       "a response.",
       _APP),
    _c("handler-single-argument", "wrong-handler-signature", "error", "static",
       "`def {name}({params})` takes one argument: Vercel's Python runtime serves only a WSGI "
       "app (environ, start_response), an async ASGI app (scope, receive, send) or a "
       f"BaseHTTPRequestHandler class, and stops at cold start with {_INTERFACE}.",
       _APP),
    _c("node-response-calls", "wrong-handler-signature", "error", "static",
       "`{call}(...)` is an Express-style response call: no Python runtime on Vercel passes a "
       "response object (the second argument of a WSGI call is the start_response function).",
       "Return the response from a framework view (Flask, FastAPI, Django) instead of calling "
       "methods on a response argument."),
    _c("lambda-response-dict", "wrong-handler-signature", "error", "static",
       "`{name}` returns an API Gateway-style dict (`statusCode`, `body`): Vercel's Python "
       "runtime never turns a returned dict into an HTTP response.",
       _APP),
    # -- the object it serves ----------------------------------------------------------------
    _c("lambda-adapter", "app-not-wsgi-or-asgi", "error", "static",
       "`{name} = {adapter}(...)` wraps the app for AWS Lambda: the wrapper takes (event, "
       "context), which the runtime takes for WSGI, so every request fails.",
       "Export the app itself (`app = FastAPI()`, `app = Flask(__name__)`) and drop "
       "`{adapter}`: Vercel's runtime speaks WSGI and ASGI directly."),
    _c("app-not-callable", "app-not-wsgi-or-asgi", "error", "static",
       "`{name}` is {kind}, not a WSGI or ASGI app: the runtime stops at cold start with "
       f"{_INTERFACE}.",
       "Bind `{name}` to the application object itself: a WSGI callable (environ, "
       "start_response) or an ASGI app (scope, receive, send)."),
    _c("app-wrong-arity", "app-not-wsgi-or-asgi", "error", "static",
       "`{name}` {detail}: a WSGI app takes 2 required arguments (environ, start_response) "
       "and an ASGI app is async with 3 (scope, receive, send).",
       "Give `{name}` the WSGI or ASGI signature, or bind it to a framework's app object."),
    _c("handler-class-not-request-handler", "app-not-wsgi-or-asgi", "error", "static",
       "`class {name}` does not subclass BaseHTTPRequestHandler: the runtime serves a handler "
       f"class only when it does, and stops at cold start with {_INTERFACE}.",
       "Declare it as `class handler(BaseHTTPRequestHandler):` (from http.server) with "
       "`do_GET`/`do_POST` methods, or export a WSGI/ASGI `app` instead."),
    # -- the variable the builder looks for -------------------------------------------------
    _c("app-under-main-guard", "missing-app-variable", "error", "static",
       '`{name}` is bound only under `if __name__ == "__main__":`, which never runs on Vercel '
       "(the runtime imports the file), so the file has no top-level `{name}`.",
       "Create the app at the top level (`{name} = create_app()`) and keep only the local "
       "server (`{name}.run()`) under the guard."),
    _c("app-not-top-level", "missing-app-variable", "error", "static",
       "`{name}` is bound only inside {block}: the builder looks for `app`, `application` or "
       "`class handler` among top-level statements only, so it finds no entrypoint here.",
       "Bind `{name}` in a top-level statement (assignment, `def`, `from ... import`), outside "
       "any `if`, `try`, `with` or function."),
    _c("wsgi-function-named-handler", "missing-app-variable", "error", "static",
       "`def handler({params})` is shaped like a WSGI app, but the builder finds only a "
       "top-level `app`, `application` or `class handler`: a function named handler is not an "
       "entrypoint.",
       "Rename the function to `app` (or add `app = handler` below it)."),
    _c("api-function-not-detected", "missing-app-variable", "error", "static",
       "This file looks like a function ({hint}) but has no top-level `app`, `application` or "
       "`class handler`, so the builder skips it and `{route}` answers 404 NOT_FOUND.",
       "Bind the app to a top-level `app` (`app = Flask(__name__)`, `app = FastAPI()`, ...) "
       "or write a `class handler(BaseHTTPRequestHandler)`."),
    _c("syntax-error", "other", "error", "static",
       "This file does not parse ({error}): as an entrypoint, the builder finds no app in it "
       "and skips or refuses it; imported by the entrypoint, it fails the cold start with "
       "SyntaxError.",
       "Fix the syntax and check it with `python -m py_compile` on the Python version Vercel "
       "runs (3.12 unless the project asks for 3.13 or 3.14)."),
    # -- imports -------------------------------------------------------------------------------
    _c("sys-path-outside-project", "import-error-module-path", "error", "static",
       "This adds `{path}` to sys.path, outside the deployed project: only the project folder "
       "is uploaded (to /var/task), so imports from there fail.",
       "Keep imported code inside the project and build paths from `__file__`, e.g. "
       "`Path(__file__).resolve().parent.parent`."),
    _c("settings-module-missing", "import-error-module-path", "error", "static",
       "DJANGO_SETTINGS_MODULE is `{module}`, which does not resolve from the project root (or "
       "a folder added to sys.path): Django fails at import with ModuleNotFoundError.",
       "Name the settings module by its dotted path from the project root (e.g. "
       "`mysite.settings`), or add its parent folder to sys.path before Django starts."),
    _c("import-not-on-sys-path", "import-error-module-path", "error", "static",
       "`{module}` is `{found}` in the project, but its folder is not on sys.path on Vercel "
       "(the project root is), so the import fails with `ModuleNotFoundError: No module named "
       "'{module}'`.",
       "Import it by its path from the project root (`{suggestion}`), or move it to the "
       "project root."),
    _c("installed-app-missing", "import-error-module-path", "error", "static",
       "{setting} lists `{entry}`, but `{module}` is neither in the project nor a declared "
       "package: django.setup() fails at import with `ModuleNotFoundError: No module named "
       "'{module}'`.",
       "Commit the app's package to the project, or remove the entry."),
    _c("wsgi-application-missing", "import-error-module-path", "error", "static",
       "{setting} is `{value}`, but `{module_file}` does not exist, so the function fails to "
       "import at cold start.",
       "Point {setting} at the module that defines the application (e.g. "
       "`mysite.wsgi.application`)."),
    _c("undeclared-import", "import-error-missing-dependency", "error", "static",
       "`{module}` is imported here but {manifest}: Vercel installs only declared packages, so "
       "the import fails with `ModuleNotFoundError: No module named '{module}'`.",
       "Add `{package}` to {target}."),
    # -- the environment -------------------------------------------------------------------
    _c("env-required-at-import", "env-var-missing", "warning", "static",
       "`{expr}` reads {name} when the module is imported: where {name} is not set in the "
       "Vercel project's Environment Variables, the cold start fails and every request gets "
       "FUNCTION_INVOCATION_FAILED.",
       "Set {name} in the project's Environment Variables (Production and Preview), or read "
       'it with a default: `os.environ.get("{name}")`.'),
    # -- the read-only filesystem ------------------------------------------------------------
    _c("logging-file-handler", "readonly-fs-write", "error", "static",
       "The logging handler `{handler}` writes to `{path}`: the deployment's files are "
       "read-only (only /tmp is writable), so setting up logging fails at import with "
       "`OSError: [Errno 30] Read-only file system`.",
       "Log to stderr (`logging.StreamHandler`), which Vercel keeps as the function log; a "
       "file, if really needed, goes under /tmp."),
    _c("write-at-import", "readonly-fs-write", "error", "static",
       "`{call}` writes to `{path}` when the module is imported: only /tmp is writable on "
       "Vercel, so the cold start fails with `OSError: [Errno 30] Read-only file system`.",
       _TMP),
    _c("sqlite-database", "readonly-fs-write", "error", "static",
       'DATABASES["{alias}"] is SQLite at `{path}`, inside the read-only deployment: every '
       "write (sessions, logins, saves) fails with `attempt to write a readonly database`, and "
       "each instance has its own copy.",
       "Use a hosted database (Postgres, MySQL) configured from an environment variable such "
       "as DATABASE_URL; SQLite under /tmp is emptied with every cold start."),
    # -- Django settings --------------------------------------------------------------------
    _c("allowed-hosts-local-only", "django-settings", "error", "static",
       "ALLOWED_HOSTS is {value}: no deployment host matches, so Django answers 400 Bad "
       "Request (DisallowedHost) to every request.",
       _HOSTS),
    _c("secret-key-empty", "django-settings", "error", "static",
       "SECRET_KEY is empty: Django refuses it with `ImproperlyConfigured: The SECRET_KEY "
       "setting must not be empty.`",
       _SECRET),
    # -- limits ------------------------------------------------------------------------------
    _c("sleep-exceeds-max-duration", "timeout", "error", "static",
       "`time.sleep({seconds})` lasts at least the function's maxDuration of {limit} s "
       "(vercel.json): a request that reaches it answers 504 FUNCTION_INVOCATION_TIMEOUT.",
       "Raise `maxDuration` in vercel.json `functions`, or move slow work out of the request "
       "(a queue, a cron job, a background service)."),
    _c("bundle-too-large", "size-limit", "error", "static",
       "The declared packages {packages} install about {size} MB, more than the 500 MB limit "
       "of a Python function's bundle: the build fails.",
       _BUNDLE),
    # -- configuration -----------------------------------------------------------------------
    _c("config-file-invalid", "vercel-json-misconfig", "error", "static",
       "{message}: the deployment fails before the build.",
       "Fix the file (the message gives the place); `python -m json.tool vercel.json` checks "
       "JSON."),
    _c("functions-runtime-invalid", "vercel-json-misconfig", "error", "static",
       'functions["{pattern}"].runtime is `{runtime}`: that key names a community runtime '
       "package with its version (`name@1.2.3`), so the build fails with `Function Runtimes "
       "must have a valid version`.",
       "Remove `runtime`: .py files get the official Python runtime (choose the Python version "
       "with .python-version or requires-python)."),
    _c("unknown-builder", "vercel-json-misconfig", "error", "static",
       "builds uses `{use}` for `{src}`, but Vercel's Python builder is `@vercel/python`: the "
       "file is not built as a Python function.",
       "Remove `builds` and `routes` and let Vercel detect the function (or write "
       '`"use": "@vercel/python"`).'),
    _c("builder-config-error", "vercel-json-misconfig", "error", "static",
       "The build fails ({code}): {message}",
       "Fix vercel.json as the message says."),
    _c("functions-pattern-unmatched", "vercel-json-misconfig", "error", "static",
       'functions["{pattern}"] matches no function of the project, so the build fails ("The '
       'pattern "{pattern}" defined in `functions` doesn\'t match any Serverless Functions").',
       "Use the function file's path from the project root (e.g. `api/index.py`) or a glob "
       "such as `api/**/*.py`."),
    _c("rewrite-to-missing-function", "vercel-json-misconfig", "error", "static",
       "A rewrite sends requests to `{destination}`, but no function or file serves that "
       "path: those requests answer 404 NOT_FOUND.",
       "Point the rewrite at the function's route: `api/index.py` is served at `/api/index` "
       "(without `.py`)."),
    _c("builder-entrypoint-not-found", "missing-app-variable", "error", "static",
       "The build fails with {code}: {message}",
       "Give the entrypoint file a top-level `app` (WSGI or ASGI) or `application`, or a "
       "`class handler(BaseHTTPRequestHandler)`; or set `[tool.vercel] entrypoint = "
       '"module:variable"` in pyproject.toml.'),
    _c("django-settings-build-failed", "django-settings", "error", "static",
       "The build fails with DJANGO_SETTINGS_FAILED: {message}",
       "Make manage.py set DJANGO_SETTINGS_MODULE to a settings module that exists and parses."),
    _c("python-version-discontinued", "python-version", "error", "static",
       "{source} asks for Python {request}, which Vercel has discontinued: the build fails "
       "with BUILD_UTILS_PYTHON_VERSION_DISCONTINUED.",
       "Ask for Python 3.12 or newer (`3.12` in .python-version)."),
    _c("python-version-file-invalid", "python-version", "error", "static",
       "{message}: the build fails with PYTHON_VERSION_FILE_PARSE_ERROR.",
       "Write one version on the first line of .python-version, e.g. `3.12`."),
    _c("source-exposed", "source-exposed", "error", "static",
       "With an `api/` folder and no `public/` folder, Vercel publishes the project's other "
       "files as static files: {files} can be downloaded by anyone.",
       "Create a `public/` folder for the files you mean to publish (it may hold just one): "
       "then only it is published."),
    # -- warnings --------------------------------------------------------------------------
    _c("api-file-not-a-function", "missing-app-variable", "warning", "static",
       "This file has no top-level `app`, `application` or `class handler`, so the builder "
       "does not make it a function: `{route}` answers 404 NOT_FOUND.",
       "If it is a helper module, name it with a leading `_` (the builder skips those) or "
       "move it out of `api/`; if it is a function, export `app`."),
    _c("write-in-request", "readonly-fs-write", "warning", "static",
       "`{call}` writes to `{path}`: only /tmp is writable on Vercel, so this raises `OSError: "
       "[Errno 30] Read-only file system` when it runs.",
       _TMP),
    _c("allowed-hosts-no-vercel", "django-settings", "warning", "static",
       "ALLOWED_HOSTS is {value}, with no `.vercel.app` entry: the deployment and preview URLs "
       "on vercel.app answer 400 Bad Request (DisallowedHost).",
       _HOSTS),
    _c("allowed-hosts-wildcard", "django-settings", "warning", "static",
       "ALLOWED_HOSTS contains `*`: Django trusts any Host header, which lets forged hosts into "
       "absolute URLs such as password-reset links.",
       _HOSTS),
    _c("debug-on", "django-settings", "warning", "static",
       "DEBUG is {value}: a deployment with DEBUG on shows tracebacks and settings to every "
       "visitor of a failing page.",
       'Read it from the environment, off by default: `DEBUG = os.environ.get("DJANGO_DEBUG") '
       '== "1"`.'),
    _c("secret-key-hardcoded", "django-settings", "warning", "static",
       "SECRET_KEY is written in the source: anyone with the code can forge signed cookies, "
       "sessions and password-reset tokens.",
       _SECRET),
    _c("static-not-served", "static-files", "warning", "static",
       "Nothing serves STATIC_URL (`{url}`) in the deployment: Django serves static files only "
       "with DEBUG on, WhiteNoise is not in MIDDLEWARE and the build does not collect them, so "
       "stylesheets and scripts answer 404.",
       "Add `whitenoise.middleware.WhiteNoiseMiddleware` right after SecurityMiddleware (and "
       "`whitenoise` to requirements.txt) with `WHITENOISE_USE_FINDERS = True`."),
    _c("static-not-collected", "static-files", "warning", "static",
       "{detail}, so static files answer 404.",
       "Set `WHITENOISE_USE_FINDERS = True` (WhiteNoise then serves each app's static/ folder; "
       "nothing to collect), or commit the output of `python manage.py collectstatic`."),
    _c("heavy-dependencies", "size-limit", "warning", "static",
       "The declared packages {packages} install about {size} MB, more than half the 500 MB "
       "limit of a Python function's bundle; the larger the bundle, the slower a cold start.",
       _BUNDLE),
    _c("large-project-files", "size-limit", "warning", "static",
       "The project's files total {size} MB (largest: {largest}); all of them are bundled "
       "with the function and count toward its 500 MB limit.",
       "Keep data sets, model weights and media in storage or a CDN, or list them in "
       "`.vercelignore`."),
    _c("http-call-without-timeout", "timeout", "warning", "static",
       "`{call}(...)` has no timeout: requests waits forever by default, so one slow upstream "
       "holds the request until maxDuration and the client gets 504 "
       "FUNCTION_INVOCATION_TIMEOUT.",
       "Pass `timeout=` (seconds, shorter than the function's maxDuration) and handle the "
       "exception."),
    _c("python-version-not-offered", "python-version", "warning", "static",
       "{source} asks for Python {request}, which Vercel does not offer (3.12, 3.13, 3.14): "
       "the builder ignores it and runs Python 3.12.",
       "Ask for a version Vercel offers (`3.12` in .python-version, or `requires-python = "
       '">=3.12"`) and test the code on it.'),
    _c("legacy-builds", "vercel-json-misconfig", "warning", "static",
       "vercel.json uses the legacy `builds` property: it turns off zero-config detection and "
       "the project's Build and Development Settings, and each function is served only at its "
       "file path.",
       'Remove `builds` (and `routes`) and send every path to the function with `"rewrites": '
       '[{"source": "/(.*)", "destination": "/api/index"}]`.'),
    _c("legacy-routes", "vercel-json-misconfig", "warning", "static",
       "vercel.json uses the legacy `routes` property, which cannot be combined with "
       "`rewrites`, `redirects`, `headers`, `cleanUrls` or `trailingSlash`.",
       "Replace `routes` with `rewrites` (and `redirects`/`headers`)."),
    _c("traceback-in-response", "runtime-crash-in-view", "warning", "static",
       "A traceback is sent back in the response: visitors see paths and code, and the "
       "failure is answered as a normal response instead of reaching the function log as an "
       "error.",
       "Let the exception propagate (the framework answers 500 and logs the traceback to "
       "stderr, the function log) and show visitors a generic error page."),
    _c("import-errors-swallowed", "other", "warning", "static",
       "`{clause}` around the app's start-up keeps going after any error: the function "
       "starts without a working app and the cause surfaces later, far from where it "
       "happened.",
       "Let start-up errors raise: the cold start then fails with the real traceback in the "
       'function log (`could not import "..."`).'),
    # -- notes -------------------------------------------------------------------------------
    _c("files-published", "source-exposed", "info", "static",
       "With an `api/` folder and no `public/` folder, Vercel publishes the project's other "
       "files as static files: {files}.",
       "Create a `public/` folder for the files you mean to publish: then only it is published."),
    _c("could-not-read", "other", "info", "static",
       "Not checked: {reason}.",
       "Nothing to do if the file is not part of the function; otherwise make it readable "
       "UTF-8 text."),
    _c("check-failed", "other", "info", "static",
       "The {check} checks stopped on this project ({error}); the other checks ran.",
       "Report it with the project's layout; the other findings stand."),
)

# fmt: on

#: The static checks, in priority order (the log and run checks are in log_catalogue).
STATIC_CHECKS: Final[tuple[Check, ...]] = _STATIC
