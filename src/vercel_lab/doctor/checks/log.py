"""Classify a pasted Vercel build or function log (or a local run's log) into findings.

Two passes: every Python traceback is parsed (frames, exception, chained causes) and named by
its exception; then single lines carry the platform's and the builder's own messages
("Task timed out after", "Could not find a top-level", ...). The file and line of a finding are
those of the last frame in the user's code (not the standard library, installed packages or the
runtime), with Vercel's ``/var/task/`` (or the local project folder) removed.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Final

from vercel_lab import logs
from vercel_lab.doctor import deps, fixes
from vercel_lab.doctor.checks import log_causes
from vercel_lab.doctor.declare import Check, check, make
from vercel_lab.doctor.findings import Finding
from vercel_lab.logs import Traceback, TracebackModel
from vercel_lab.platform import TASK_ROOT, TRAMPOLINE_FILE

# The checks of this family, declared next to the code that raises them; ``rank`` is the
# priority within a severity (lower first: the most specific cause first).
# One check per block reads better than one argument per line.
# fmt: off
CHECKS: Final[tuple[Check, ...]] = (
    check("log-handler-got-environ", "wrong-handler-signature", "error", "log",
       "A handler written for another platform received WSGI's arguments (`{detail}`): the "
       "runtime took it for a WSGI app and called it as `handler(environ, start_response)`.",
       fixes.APP, rank=590),
    check("log-handler-not-class", "wrong-handler-signature", "error", "log",
       "`TypeError: issubclass() arg 1 must be a class`: runtimes up to vercel-runtime 0.10.1 "
       "(and @vercel/python's own vc_init.py before 2026) require `handler` to be a "
       "BaseHTTPRequestHandler class, and this one is a function "
       "or an object.",
       "Export the app as `app` (WSGI or ASGI) instead of `handler`, or make `handler` a "
       "BaseHTTPRequestHandler subclass.", rank=600),
    check("log-response-not-bytes", "wrong-handler-signature", "error", "log",
       "`TypeError: a bytes-like object is required, not 'str'` inside the runtime: the app "
       "returned text or a dict where WSGI needs an iterable of bytes, as a Lambda-style "
       "`handler(event, context)` does.",
       fixes.APP, rank=610),
    check("log-handler-interface", "wrong-handler-signature", "error", "log",
       "The runtime could not tell how to call `{target}`: a `handler` function that is not "
       "WSGI (environ, start_response) or async ASGI (scope, receive, send), such as "
       "`handler(request)`, stops the cold start.",
       fixes.APP, rank=620),
    check("log-application-interface", "app-not-wsgi-or-asgi", "error", "log",
       "The runtime could not tell how to call `{target}`: it is neither a WSGI app (environ, "
       "start_response) nor an async ASGI app (scope, receive, send).",
       "Bind the variable to the application object itself (`app = Flask(__name__)`, "
       "`app = FastAPI()`, `app = get_wsgi_application()`), not to a wrapper or a result. "
       "The builder serves the first top-level `app` or `application` in source order: if "
       "another object (a bot, a client) is named `application`, rename it, "
       + fixes.TOOL_VERCEL.replace("{target}", "module:app") + ".",
       rank=630),
    check("log-missing-variable", "missing-app-variable", "error", "log",
       "The runtime found no `{variable}` in `{module}`: the builder picked that variable, but "
       "importing the module did not define it (it is bound only conditionally).",
       "Bind `{variable}` unconditionally at the top level of the entrypoint file.", rank=640),
    check("log-entrypoint-not-found", "missing-app-variable", "error", "log",
       "The build failed: {message}",
       "Give the entrypoint a top-level `app` (WSGI or ASGI) or `application`, or a `class "
       "handler(BaseHTTPRequestHandler)`; "
       + fixes.TOOL_VERCEL.replace("{target}", "module:variable")
       + "; or send the requests to the file with vercel.json `rewrites` instead.", rank=650),
    check("log-module-not-found-local", "import-error-module-path", "error", "log",
       "`ModuleNotFoundError: No module named '{module}'`: `{module}` is the project's own "
       "code, and it does not import from the project root, which is what Vercel puts on "
       "sys.path.",
       "Import it by its path from the project root (`from api.{module} import ...` for a "
       "file in api/), or add its folder to sys.path before the import.", rank=660),
    check("log-module-not-found", "import-error-missing-dependency", "error", "log",
       "`ModuleNotFoundError: No module named '{module}'`: no installed package provides it; "
       "Vercel installs only what the project declares.",
       fixes.DEPENDENCY, rank=670),
    check("log-cannot-import-name", "import-error-missing-dependency", "error", "log",
       "`ImportError: cannot import name '{name}' from '{module}'`: the installed release of "
       "the package does not have it (Vercel installs the newest release the requirements "
       "allow).",
       "Pin the version you develop with in requirements.txt (`pip freeze` shows it).", rank=680),
    check("log-pip-failed", "import-error-missing-dependency", "error", "log",
       "Installing the dependencies failed: `{detail}`.",
       "Check the name and version in requirements.txt; prefer packages with wheels for "
       "Linux (`psycopg2-binary` rather than `psycopg2`).", rank=690),
    check("log-env-var", "env-var-missing", "error", "log",
       "`KeyError: '{name}'` from `os.environ`: the environment variable {name} is not set in "
       "the deployment.",
       "Set {name} in the Vercel project's Settings > Environment Variables. "
       + fixes.ENV_SCOPED, rank=700),
    check("log-env-improperly-configured", "env-var-missing", "error", "log",
       "Django's settings need the environment variable {name}, which is not set in the "
       "deployment (`ImproperlyConfigured`).",
       "Set {name} in the Vercel project's Settings > Environment Variables. "
       + fixes.ENV_SCOPED, rank=710),
    check("log-read-only-fs", "readonly-fs-write", "error", "log",
       "`OSError: [Errno 30] Read-only file system`{path}: the code writes inside the "
       "deployment, where only /tmp is writable.",
       "Write under /tmp, or keep the data in a database or storage; log to stderr.", rank=720),
    check("log-sqlite-readonly", "readonly-fs-write", "error", "log",
       "SQLite failed with `{detail}`: the database file is inside the read-only deployment "
       "(or missing from it).",
       "Use a hosted database (Postgres, MySQL) configured from an environment variable.",
       rank=730),
    check("log-disallowed-host", "django-settings", "error", "log",
       "Django refused the host `{host}` (DisallowedHost): it is not in ALLOWED_HOSTS, so the "
       "request got 400 Bad Request.",
       "Add `.vercel.app` (every deployment URL) and your own domains to ALLOWED_HOSTS.", rank=740),
    check("log-improperly-configured", "django-settings", "error", "log",
       "Django's settings are incomplete: `ImproperlyConfigured: {detail}`.",
       "Set the setting the message names (from an environment variable for secrets).", rank=750),
    check("log-timeout", "timeout", "error", "log",
       "The function did not answer within its maximum duration{limit}: the platform "
       "stopped it and the client got 504 FUNCTION_INVOCATION_TIMEOUT.",
       "Raise `maxDuration` in vercel.json `functions`, give outgoing calls timeouts, or move "
       "slow work out of the request.", rank=760),
    check("log-payload-too-large", "size-limit", "error", "log",
       "{code}: a request or response body was larger than the 4.5 MB limit of a function.",
       "Upload large files straight to storage (a signed upload URL) and pass references; "
       "paginate or stream large responses.", rank=770),
    check("log-bundle-too-large", "size-limit", "error", "log",
       "The function's bundle is too large: `{detail}`.",
       "Drop heavy packages and data from the function, or list files in `.vercelignore`.",
       rank=780),
    check("log-python-version", "python-version", "warning", "log",
       "The builder did not use the Python version the project asks for: `{detail}`.",
       "Ask for a version Vercel offers (3.12, 3.13, 3.14) in .python-version or requires-python.",
       rank=790),
    check("log-vercel-json", "vercel-json-misconfig", "error", "log",
       "The project configuration was rejected: `{detail}`.",
       "Fix vercel.json as the message says; a Python function needs no `runtime` or "
       "`builds` entry.", rank=800),
    check("log-static-not-found", "static-files", "warning", "log",
       "Static files answer 404 (`{path}`): nothing serves STATIC_URL in the deployment.",
       "Serve them with WhiteNoise (`WHITENOISE_USE_FINDERS = True`) or collect them into "
       "STATIC_ROOT during the build.", rank=810),
    check("log-view-exception", "runtime-crash-in-view", "error", "log",
       "A request raised `{exception}` inside the app: the framework answered 500 (the "
       "function itself kept running).",
       fixes.TRACE, rank=820),
    check("log-request-crashed", "runtime-crash-in-view", "error", "log",
       "The app raised `{exception}` while handling a request and the runtime closed the "
       "connection without a response: the client got 500 FUNCTION_INVOCATION_FAILED.",
       fixes.TRACE, rank=830),
    check("log-syntax-error", "other", "error", "log",
       "`{exception}`: a file of the function does not parse, so the cold start fails.",
       "Fix the syntax; check it with `python -m py_compile` on Python 3.12.", rank=840),
    check("log-import-crash", "other", "error", "log",
       "Importing the entrypoint raised `{exception}`, so the function failed at cold start "
       "and every request gets 500 FUNCTION_INVOCATION_FAILED.",
       fixes.TRACE, rank=850),
    check("log-out-of-memory", "other", "error", "log",
       "The function ran out of memory (`{detail}`).",
       "Load less at a time (stream, paginate), or raise the function's memory in the "
       "project settings.", rank=860),
    check("log-runtime-exited", "other", "error", "log",
       "The runtime exited (`{detail}`) and the log holds no more specific error.",
       "Look above this line in the full function log for the traceback.", rank=870),
    check("log-builds-warning", "vercel-json-misconfig", "warning", "log",
       "`builds` in vercel.json overrides the project's Build and Development Settings (the "
       "build log warns about it).",
       "Remove `builds` (and `routes`) and let Vercel detect the function; use `rewrites`.",
       rank=880),
    check("log-unrecognised", "other", "info", "log",
       "No known Vercel or Python failure in this log.",
       "Paste the function log of a failing request (Vercel dashboard > the deployment > "
       "Logs), the whole traceback included.", rank=890),
)
# fmt: on

_LIBRARY = re.compile(
    r"site-packages|dist-packages|/_vendor/|^/var/lang/|/lib/python3\.\d+/|^<|vercel_runtime|"
    r"vc__handler__python|vc_init\.py|/vercel_lab/|/\.pyenv/|^/usr/(local/)?lib/"
)
GENERIC: Final = frozenset({"log-import-crash", "log-request-crashed", "log-runtime-exited"})
_REQUEST_MARKERS = (
    "Internal Server Error:",
    "Exception on /",
    "Exception in ASGI application",
    "Bad Request:",
    "Error handling request",
)
_WSGI_ATTRS = {
    "method",
    "path",
    "headers",
    "body",
    "url",
    "json",
    "args",
    "query",
    "query_params",
    "get_json",
    "form",
    "data",
    "cookies",
    "status",
    "send",
}


def user_location(
    tb: TracebackModel | Traceback | None, root: Path | None
) -> tuple[str | None, int | None]:
    """The last frame in the user's code of ``tb`` (then of the exceptions it was raised
    from), made project-relative."""
    chain: list[TracebackModel | Traceback] = []
    if isinstance(tb, TracebackModel):
        chain = list(tb.chain())
    while isinstance(tb, Traceback):  # the line model links forward, to the next of a chain
        chain.append(tb)
        tb = tb.cause_of
    for link in chain:
        for frame in reversed(link.frames):
            if not _LIBRARY.search(frame.file):
                return _relative(frame.file, root), frame.line
    return None, None


def _relative(file: str, root: Path | None) -> str:
    return logs.task_relative(file, [str(root), str(root.resolve())] if root is not None else [])


# -- one traceback -----------------------------------------------------------------------------


def _exceptions(model: TracebackModel) -> list[tuple[TracebackModel, TracebackModel]]:
    """(exception, the chain it belongs to) for every exception of ``model``: its chain,
    most recent first, and the members of exception groups."""
    out: list[tuple[TracebackModel, TracebackModel]] = []
    for link in model.chain():
        out.append((link, model))
        for member in link.exceptions:
            out.extend(_exceptions(member))
    return out


def classify(
    tb: TracebackModel,
    root: Path | None,
    manifest: str | None = None,
    chain: TracebackModel | None = None,
) -> Finding:
    """The most specific finding for one raised exception (its type, message and frames);
    ``chain`` is the chain it belongs to (for the place and the text around it), ``manifest``
    what the build installed from (it words the dependency fix)."""
    file, line = user_location(tb, root)
    if file is None and chain is not None:  # a cause raised in a library: the chain's place
        file, line = user_location(chain, root)
    kind, message = tb.short_type, tb.message.strip()
    text = f"{tb.exc_type}: {message}" if message else tb.exc_type
    context = "\n".join(c for link in (chain or tb).chain() for c in link.context)
    where = (file, line)
    importer = next((f.file for f in reversed(tb.frames) if not _LIBRARY.search(f.file)), None)
    if m := re.search(r"No module named '([^']+)'", message):
        return _module(m.group(1), tb, root, where, manifest)
    if (
        m := re.search(r"cannot import name '(\w+)' from '([\w.]+)'(?: \(([^)]*)\))?", message)
    ) and "circular import" not in message:
        name, module = m.group(1), m.group(2)
        found = log_causes.cannot_import(
            name, module, m.group(3) or "", text, importer, root, where
        )
        if found is not None:
            return found
        finding = make("log-cannot-import-name", *where, name=name, module=module)
        return replace(finding, fix=log_causes.pin_advice(name, module))
    if "Read-only file system" in message or (kind == "PermissionError" and TASK_ROOT in message):
        path = re.search(r"'([^']+)'", message)
        shown = f" (`{_relative(path.group(1), root)}`)" if path else ""
        return make("log-read-only-fs", *where, path=shown)
    if (
        kind == "OperationalError"
        and re.search(r"readonly database|unable to open database file|no such table", message)
        and ("sqlite" in " ".join(f.file for f in tb.frames) + tb.exc_type)
    ):
        return make("log-sqlite-readonly", *where, detail=message)
    if kind == "KeyError" and (
        any(f.file == "<frozen os>" or f.file.endswith("/os.py") for f in tb.frames[-1:])
        or any("environ[" in f.code for f in tb.frames)
    ):
        return make("log-env-var", *where, name=message.strip("'\""))
    if kind == "ImproperlyConfigured":
        env = re.search(r"Set the (\w+) environment variable", message)
        if env:
            return make("log-env-improperly-configured", *where, name=env.group(1))
        return make("log-improperly-configured", *where, detail=message)
    if found := log_causes.env_var_named(kind, message, text, where):
        return found
    if kind == "DisallowedHost":
        host = re.search(r"header: '([^']+)'", message)
        return make("log-disallowed-host", *where, host=host.group(1) if host else message)
    if "issubclass() arg 1 must be a class" in message:
        return make("log-handler-not-class", *where)
    attribute = re.search(r"'(dict|function)' object has no attribute '(\w+)'", message)
    if kind == "AttributeError" and attribute and attribute.group(2) in _WSGI_ATTRS:
        return make("log-handler-got-environ", *where, detail=text)
    if (
        kind == "TypeError"
        and re.search(
            r"missing \d required positional argument|takes \d positional arguments? but \d",
            message,
        )
        and "handler" in message
    ):
        return make("log-handler-got-environ", *where, detail=text)
    if file is None and any(f.file.endswith("vc__handler__python.py") for f in tb.frames):
        if kind == "TypeError" and "bytes-like object is required" in message:
            return make("log-response-not-bytes", *where)
        return make("log-old-runtime", *where, exception=text)
    if kind == "TypeError" and "bytes-like object is required" in message and file is None:
        return make("log-response-not-bytes", *where)
    if kind in ("SyntaxError", "IndentationError", "TabError"):
        return make("log-syntax-error", *where, exception=text)
    if kind == "MemoryError":
        return make("log-out-of-memory", *where, detail=text)
    interface = logs.NO_INTERFACE.search(message)
    if interface:
        return _interface(interface.group(1), where)
    missing = logs.MISSING_VARIABLE.search(message)
    if missing:
        return make(
            "log-missing-variable", *where, variable=missing.group(1), module=missing.group(2)
        )
    frames = [f for link in (chain or tb).chain() for f in link.frames]
    if re.search(r"could not import|Error importing", context) or (
        any(f.file.endswith(TRAMPOLINE_FILE) or "resolver.py" in f.file for f in frames)
        and not any(m in context for m in _REQUEST_MARKERS)
    ):
        return make("log-import-crash", *where, exception=text)
    if "Exception occurred during processing of request" in context:
        return make("log-request-crashed", *where, exception=text)
    return make("log-view-exception", *where, exception=text)


def _interface(target: str, where: tuple[str | None, int | None]) -> Finding:
    check_id = (
        "log-handler-interface" if target.endswith(":handler") else ("log-application-interface")
    )
    return make(check_id, *where, target=target)


def _module(
    name: str,
    tb: TracebackModel | None,
    root: Path | None,
    where: tuple[str | None, int | None],
    manifest: str | None = None,
) -> Finding:
    top = name.split(".")[0]
    if removed := log_causes.removed_stdlib(top, where):
        return removed
    folders: set[str] = set()
    for frame in tb.frames if tb else []:
        if not _LIBRARY.search(frame.file):
            folders.update(_relative(frame.file, root).split("/")[:-1])
    local = top in folders
    if root is not None and not local and not deps.is_stdlib(top):
        local = (
            any((root / p).exists() for p in (f"{top}.py", top))
            or any(True for _ in root.glob(f"*/{top}.py"))
            or any(True for _ in root.glob(f"*/{top}/__init__.py"))
        )
    if local:
        return make("log-module-not-found-local", *where, module=name)
    finding = make("log-module-not-found", *where, module=name)
    manifest = manifest or log_causes.project_manifest(root)
    return replace(finding, fix=log_causes.dependency_fix(name, manifest))
