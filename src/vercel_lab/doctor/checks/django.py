"""Checks of a Django project's settings, read statically (:mod:`vercel_lab.doctor.pyeval`):
the settings module's path, ALLOWED_HOSTS, DEBUG, SECRET_KEY, the database, logging to files,
installed apps that will not import, and how static files are served.

A setting whose value only running the code would tell (an environment variable, a function
call, a conditional) is left alone: the checks report what the source states.
"""

from __future__ import annotations

import ast
import json
import posixpath
from typing import Final

from vercel_lab.doctor import deps, fixes
from vercel_lab.doctor.analysis import Analysis
from vercel_lab.doctor.declare import Check, check, make
from vercel_lab.doctor.findings import Finding
from vercel_lab.doctor.pyeval import UNKNOWN, ModuleValues, PathValue, dotted, relative
from vercel_lab.platform import TASK_ROOT

# The checks of this family, declared next to the code that raises them; ``rank`` is the
# priority within a severity (lower first: the most specific cause first).
# One check per block reads better than one argument per line.
# fmt: off
CHECKS: Final[tuple[Check, ...]] = (
    check("settings-module-missing", "import-error-module-path", "error", "static",
       "DJANGO_SETTINGS_MODULE is `{module}`, which does not resolve from the project root (or "
       "a folder added to sys.path): Django fails at import with ModuleNotFoundError.",
       "Name the settings module by its dotted path from the project root (e.g. "
       "`mysite.settings`), or add its parent folder to sys.path before Django starts.", rank=160),
    check("installed-app-missing", "import-error-module-path", "error", "static",
       "{setting} lists `{entry}`, but `{module}` is neither in the project nor a declared "
       "package: django.setup() fails at import with `ModuleNotFoundError: No module named "
       "'{module}'`.",
       "Commit the app's package to the project, or remove the entry.", rank=180),
    check("wsgi-application-missing", "import-error-module-path", "error", "static",
       "{setting} is `{value}`, but `{module_file}` does not exist, so the function fails to "
       "import at cold start.",
       "Point {setting} at the module that defines the application (e.g. "
       "`mysite.wsgi.application`).", rank=190),
    check("sqlite-database", "readonly-fs-write", "error", "static",
       'DATABASES["{alias}"] is SQLite at `{path}`, inside the read-only deployment: every '
       "write (sessions, logins, saves) fails with `attempt to write a readonly database`, and "
       "each instance has its own copy.",
       "Use a hosted database (Postgres, MySQL) configured from an environment variable such "
       "as DATABASE_URL; SQLite under /tmp is emptied with every cold start.", rank=240),
    # -- Django settings --------------------------------------------------------------------
    check("allowed-hosts-local-only", "django-settings", "error", "static",
       "ALLOWED_HOSTS is {value}: no deployment host matches, so Django answers 400 Bad "
       "Request (DisallowedHost) to every request.",
       fixes.HOSTS, rank=250),
    check("secret-key-empty", "django-settings", "error", "static",
       "SECRET_KEY is empty: Django refuses it with `ImproperlyConfigured: The SECRET_KEY "
       "setting must not be empty.`",
       fixes.SECRET, rank=260),
    check("allowed-hosts-no-vercel", "django-settings", "warning", "static",
       "ALLOWED_HOSTS is {value}, with no `.vercel.app` entry: the deployment and preview URLs "
       "on vercel.app answer 400 Bad Request (DisallowedHost).",
       fixes.HOSTS, rank=420),
    check("allowed-hosts-wildcard", "django-settings", "warning", "static",
       "ALLOWED_HOSTS contains `*`: Django trusts any Host header, which lets forged hosts into "
       "absolute URLs such as password-reset links.",
       fixes.HOSTS, rank=430),
    check("debug-on", "django-settings", "warning", "static",
       "DEBUG is {value}: a deployment with DEBUG on shows tracebacks and settings to every "
       "visitor of a failing page.",
       'Read it from the environment, off by default: `DEBUG = os.environ.get("DJANGO_DEBUG") '
       '== "1"`.', rank=440),
    check("secret-key-hardcoded", "django-settings", "warning", "static",
       "SECRET_KEY is written in the source: anyone with the code can forge signed cookies, "
       "sessions and password-reset tokens.",
       fixes.SECRET, rank=450),
    check("static-not-served", "static-files", "warning", "static",
       "Nothing serves STATIC_URL (`{url}`) in the deployment: Django serves static files only "
       "with DEBUG on, WhiteNoise is not in MIDDLEWARE and the build does not collect them, so "
       "stylesheets and scripts answer 404.",
       "Add `whitenoise.middleware.WhiteNoiseMiddleware` right after SecurityMiddleware (and "
       "`whitenoise` to requirements.txt) with `WHITENOISE_USE_FINDERS = True`.", rank=460),
    check("static-not-collected", "static-files", "warning", "static",
       "{detail}, so static files answer 404.",
       "Set `WHITENOISE_USE_FINDERS = True` (WhiteNoise then serves each app's static/ folder; "
       "nothing to collect), or commit the output of `python manage.py collectstatic`.", rank=470),
)
# fmt: on

_LOCAL_HOSTS = {"localhost", ".localhost", "127.0.0.1", "[::1]", "::1", "0.0.0.0", ""}
_FILE_HANDLERS = (
    "FileHandler",
    "RotatingFileHandler",
    "TimedRotatingFileHandler",
    "WatchedFileHandler",
)


def findings(analysis: Analysis) -> list[Finding]:
    """The Django checks; nothing when the project has no Django settings."""
    findings = [
        make("settings-module-missing", ref.file, ref.line, module=ref.module)
        for ref in analysis.settings_refs
        if ref.target is None
    ]
    settings, rel = analysis.settings, analysis.settings_file
    if settings is None or rel is None:
        return findings
    opaque = _opaque(analysis, rel)
    findings += _hosts(settings, rel, opaque)
    findings += _debug(settings)
    findings += _secret_key(settings)
    findings += _database(settings)
    findings += _logging(settings)
    findings += _apps(analysis, settings)
    findings += _application(analysis, settings)
    findings += _static(analysis, settings)
    return findings


def _opaque(analysis: Analysis, rel: str) -> bool:
    # A star-import the doctor cannot follow may define any setting.
    tree = analysis.tree(rel)
    return tree is None or any(
        isinstance(n, ast.ImportFrom)
        and any(a.name == "*" for a in n.names)
        and analysis.resolve(n.module, n.level, rel) is None
        for n in ast.walk(tree)
    )


def _where(settings: ModuleValues, name: str) -> tuple[str | None, int | None]:
    binding = settings.values.get(name)
    return (binding.file, binding.line) if binding else (settings.rel, None)


def _known_strings(value: object) -> list[str] | None:
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return [str(v) for v in value]
    return None


def _hosts(settings: ModuleValues, rel: str, opaque: bool) -> list[Finding]:
    if "ALLOWED_HOSTS" not in settings.values:
        if opaque:
            return []
        return [make("allowed-hosts-local-only", rel, None, value="not set (Django's default, [])")]
    hosts = _known_strings(settings.get("ALLOWED_HOSTS"))
    if hosts is None:
        return []
    where = _where(settings, "ALLOWED_HOSTS")
    shown = json.dumps(hosts)
    if "*" in hosts:
        return [make("allowed-hosts-wildcard", *where)]
    if any(h.endswith("vercel.app") for h in hosts):
        return []
    if all(h in _LOCAL_HOSTS for h in hosts):
        return [make("allowed-hosts-local-only", *where, value=shown)]
    return [make("allowed-hosts-no-vercel", *where, value=shown)]


def _env_default(node: ast.expr) -> object:
    """The value an environment read falls back to: ``os.environ.get("X", D)``,
    ``os.getenv("X", D)``, ``config("X", default=D)``, ``env.bool("X", default=D)``."""
    call = node
    if (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr == "lower"
        and isinstance(call.func.value, ast.Call)
    ):
        inner = _env_default(call.func.value)
        return inner.lower() if isinstance(inner, str) else inner
    if not isinstance(call, ast.Call):
        return UNKNOWN
    name = dotted(call.func) or ""
    default: ast.expr | None = next((k.value for k in call.keywords if k.arg == "default"), None)
    if name in ("os.environ.get", "os.getenv", "environ.get", "getenv") and len(call.args) == 2:
        default = call.args[1]
    elif name not in ("config", "env", "env.bool", "env.str"):
        return UNKNOWN
    return default.value if isinstance(default, ast.Constant) else UNKNOWN


def _debug(settings: ModuleValues) -> list[Finding]:
    binding = settings.values.get("DEBUG")
    if binding is None:
        return []
    if binding.value is True:
        return [make("debug-on", binding.file, binding.line, value="True")]
    node = binding.node
    on = False
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], ast.Eq):
        right = node.comparators[0]
        default = _env_default(node.left)
        on = isinstance(right, ast.Constant) and default == right.value
    elif node is not None:
        on = _env_default(node) in (True, "True", "true", "1")
    if on and node is not None:
        value = f"on by default (`{ast.unparse(node)[:80]}`)"
        return [make("debug-on", binding.file, binding.line, value=value)]
    return []


def _secret_key(settings: ModuleValues) -> list[Finding]:
    binding = settings.values.get("SECRET_KEY")
    if binding is None or binding.node is None:
        return []
    if binding.value == "":
        return [make("secret-key-empty", binding.file, binding.line)]
    literal = isinstance(binding.node, ast.Constant) and isinstance(binding.value, str)
    default = _env_default(binding.node)
    if literal or (isinstance(default, str) and default):
        return [make("secret-key-hardcoded", binding.file, binding.line)]
    return []


def _under_tmp(path: str) -> bool:
    return path == "/tmp" or path.startswith("/tmp/")


def _database(settings: ModuleValues) -> list[Finding]:
    databases = settings.get("DATABASES")
    if not isinstance(databases, dict):
        return []
    where = _where(settings, "DATABASES")
    findings: list[Finding] = []
    for alias, config in databases.items():
        if not isinstance(config, dict) or "sqlite3" not in str(config.get("ENGINE", "")):
            continue
        name = config.get("NAME")
        if isinstance(name, str) and name != ":memory:":
            path = name if isinstance(name, PathValue) else relative(name)
            if not _under_tmp(str(path)):
                findings.append(make("sqlite-database", *where, alias=alias, path=path))
    return findings


def _logging(settings: ModuleValues) -> list[Finding]:
    logging = settings.get("LOGGING")
    handlers = logging.get("handlers") if isinstance(logging, dict) else None
    if not isinstance(handlers, dict):
        return []
    where = _where(settings, "LOGGING")
    findings: list[Finding] = []
    for name, handler in handlers.items():
        if not isinstance(handler, dict):
            continue
        kind = str(handler.get("class", ""))
        filename = handler.get("filename")
        if kind.endswith(_FILE_HANDLERS) and isinstance(filename, str):
            path = filename if filename.startswith("/") else posixpath.join(TASK_ROOT, filename)
            if not _under_tmp(path):
                findings.append(
                    make("logging-file-handler", *where, handler=f"{name}: {kind}", path=path)
                )
    return findings


def _apps(analysis: Analysis, settings: ModuleValues) -> list[Finding]:
    declared = deps.declared(analysis.project)
    available = deps.closure(declared.names)
    findings: list[Finding] = []
    for setting in ("INSTALLED_APPS", "MIDDLEWARE"):
        entries = settings.get(setting)
        if not isinstance(entries, list | tuple):
            continue
        where = _where(settings, setting)
        for entry in entries:
            if not isinstance(entry, str) or not entry:
                continue
            top = entry.split(".")[0]
            if (
                deps.is_stdlib(top)
                or analysis.resolve(top, 0, where[0] or "") is not None
                or deps.satisfied(top, available)
            ):
                continue
            if top in deps.MODULE_PACKAGES or top in deps.installed_modules():
                manifest = (
                    f"not declared in {declared.manifest}"
                    if declared.manifest
                    else "the project declares no dependencies"
                )
                findings.append(
                    make(
                        "undeclared-import",
                        *where,
                        module=top,
                        package=deps.packages_for(top)[0],
                        manifest=manifest,
                        target=declared.manifest or "a requirements.txt",
                    )
                )
            else:
                findings.append(
                    make("installed-app-missing", *where, setting=setting, entry=entry, module=top)
                )
    return findings


def _application(analysis: Analysis, settings: ModuleValues) -> list[Finding]:
    # The builder takes the file from ASGI_APPLICATION / WSGI_APPLICATION without checking it
    # exists (the Django hook); the runtime then cannot import it.
    files = analysis.project.files
    missing = [e for e in analysis.project.entrypoints if e.file not in files]
    findings: list[Finding] = []
    for entry in missing:
        for setting in ("ASGI_APPLICATION", "WSGI_APPLICATION"):
            value = settings.get(setting)
            if isinstance(value, str) and value.endswith(f".{entry.variable}"):
                where = _where(settings, setting)
                findings.append(
                    make(
                        "wsgi-application-missing",
                        *where,
                        setting=setting,
                        value=value,
                        module_file=entry.file,
                    )
                )
                break
    return findings


def _static(analysis: Analysis, settings: ModuleValues) -> list[Finding]:
    project = analysis.project
    apps = settings.get("INSTALLED_APPS")
    url = settings.get("STATIC_URL")
    uses_static = isinstance(apps, list | tuple) and "django.contrib.staticfiles" in apps
    if not uses_static or not isinstance(url, str) or url.startswith(("http:", "https:", "//")):
        return []
    backend = json.dumps(settings.get("STORAGES"), default=str) + str(
        settings.get("STATICFILES_STORAGE")
    )
    if "storages.backends" in backend or project.is_dir(f"public/{url.strip('/')}"):
        return []
    # Unset is not unknown: a STATIC_ROOT computed at run time counts as set.
    root = settings.get("STATIC_ROOT") if "STATIC_ROOT" in settings.values else None
    finders = settings.get("WHITENOISE_USE_FINDERS") is True
    if analysis.django_base is not None or (
        project.framework == "django" and project.exists("manage.py")
    ):
        # Vercel's Django support runs collectstatic and serves STATIC_URL from its CDN when
        # STATIC_ROOT or WHITENOISE_USE_FINDERS is set ("No collectstatic strategy configured"
        # otherwise).
        if root not in (None, UNKNOWN) or finders:
            return []
        detail = (
            "Neither STATIC_ROOT nor WHITENOISE_USE_FINDERS is set, so Vercel's build "
            'skips collectstatic ("No collectstatic strategy configured")'
        )
        return [make("static-not-collected", *_where(settings, "STATIC_URL"), detail=detail)]
    middleware = settings.get("MIDDLEWARE")
    if not isinstance(middleware, list | tuple) or any(m is UNKNOWN for m in middleware):
        return []
    if not any(isinstance(m, str) and m.startswith("whitenoise.") for m in middleware):
        return [make("static-not-served", *_where(settings, "STATIC_URL"), url=url)]
    if finders:
        return []
    collected = isinstance(root, str) and any(
        f.startswith(relative(root).rstrip("/") + "/") for f in project.files
    )
    if collected or root is UNKNOWN:
        return []
    where = "not set" if root is None else f"`{relative(str(root))}`"
    detail = (
        f"WhiteNoise serves STATIC_ROOT ({where}), but the project holds no collected "
        "files there and this layout runs no collectstatic"
    )
    return [make("static-not-collected", *_where(settings, "STATIC_URL"), detail=detail)]
