"""Causes a log reader easily misreads, each named for what it is (issue 12's "misread causes"):

- an import that finds the project's *own* file or folder instead of the package meant
  (``from app import create_app`` inside ``app.py`` next to an ``app/`` package; ``cannot import
  name ... (unknown location)``: a folder without ``__init__.py`` standing in for a package);
- a module removed from the standard library (a Python-version problem, not a dependency);
- an exception whose message names an environment variable;
- a request answered 500 that printed nothing (Django with ``DEBUG=False`` in lambda mode:
  Django 5.2 ``django/utils/log.py:18-65`` ``DEFAULT_LOGGING`` sends request errors to
  ``mail_admins`` only when DEBUG is off, and only ``vercel_runtime`` 0.24.1's fluid (IPC) mode
  installs a root handler, ``vc_init.py:156-282`` ``setup_logging``, called at 437-438 when the
  IPC socket exists; verified by running a startproject app both ways, research/logs-facts.md
  (e));
- a crash inside the legacy ``vc__handler__python.py`` of an old ``@vercel/python`` (the
  public report quoted in tests/doctor/corpus_logs/27-collapsed-one-line-paste.json);
- the dependency fix, steered to the manifest the build log says it installed from.

Each helper returns a :class:`~vercel_lab.doctor.findings.Finding` or None (not this cause).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

from vercel_lab.doctor import fixes
from vercel_lab.doctor.declare import Check, check, make
from vercel_lab.doctor.deps import MODULE_PACKAGES, normalize
from vercel_lab.doctor.findings import Finding
from vercel_lab.logs import LogRecord

Where = tuple[str | None, int | None]

#: Modules removed from the standard library, by the version that removed them, with what
#: replaces them. 3.12: PEP 632 (distutils), What's New in Python 3.12 "Removed" (imp,
#: asynchat, asyncore, smtpd); 3.13: PEP 594 "dead batteries" and What's New in Python 3.13
#: "Removed Modules And APIs" (aifc ... xdrlib, lib2to3, tkinter.tix).
REMOVED_STDLIB: Final[dict[str, tuple[str, str]]] = {
    "distutils": ("3.12", "setuptools, or `packaging` for `distutils.version`"),
    "imp": ("3.12", "importlib (`importlib.import_module`, `importlib.util`)"),
    "asynchat": ("3.12", "asyncio"),
    "asyncore": ("3.12", "asyncio"),
    "smtpd": ("3.12", "aiosmtpd"),
    "aifc": ("3.13", "a package from PyPI"),
    "audioop": ("3.13", "audioop-lts"),
    "cgi": ("3.13", "`email.message` or `multipart` for form parsing, `urllib.parse`"),
    "cgitb": ("3.13", "traceback"),
    "chunk": ("3.13", "a package from PyPI"),
    "crypt": ("3.13", "hashlib, bcrypt or passlib"),
    "imghdr": ("3.13", "filetype or puremagic"),
    "mailcap": ("3.13", "mimetypes"),
    "msilib": ("3.13", "a package from PyPI"),
    "nis": ("3.13", "a package from PyPI"),
    "nntplib": ("3.13", "a package from PyPI"),
    "ossaudiodev": ("3.13", "a package from PyPI"),
    "pipes": ("3.13", "subprocess and `shlex.quote`"),
    "sndhdr": ("3.13", "filetype or puremagic"),
    "spwd": ("3.13", "python-pam"),
    "sunau": ("3.13", "a package from PyPI"),
    "telnetlib": ("3.13", "telnetlib3"),
    "uu": ("3.13", "base64"),
    "xdrlib": ("3.13", "a package from PyPI"),
    "lib2to3": ("3.13", "parso or libcst"),
}

_UPPER_NAME: Final = re.compile(r"\b([A-Z][A-Z0-9]*_[A-Z0-9_]+|[A-Z]{3,}(?:KEY|URL|TOKEN))\b")
_ENV_WORDS: Final = re.compile(
    r"environ|env\b|environment|variable|missing|not set|is required|required|unset|empty|"
    r"must be set|insecure|not configured|not defined",
    re.IGNORECASE,
)
_PIN_ADVICE: Final[dict[tuple[str, str], str]] = {
    ("werkzeug.urls", "url_quote"): "Werkzeug 3.0 removed `url_quote`, which Flask before "
    "2.2.5 imports: upgrade Flask (`Flask>=2.3`) or pin `Werkzeug<3` next to it.",
}

# fmt: off
CHECKS: Final[tuple[Check, ...]] = (
    check("log-own-module-shadowed", "import-error-module-path", "error", "log",
       "`{exception}`: `{module}` is the project's own `{own}`, which the import finds "
       "before the package or module you meant (a file importing from its own name imports "
       "itself).",
       "Rename `{own}` (to `main.py` or `wsgi.py`, say) so that `{module}` means {meant}, "
       "and update the entrypoint if it was that file.", rank=655),
    check("log-namespace-package", "import-error-module-path", "error", "log",
       "`{exception}`: `{module}` is a folder without `__init__.py` (a namespace package, "
       "\"unknown location\") standing in for a module that does not define `{name}` there.",
       "Add `{module}/__init__.py` that defines or imports `{name}`; if `{module}` is meant "
       "to be an installed package, rename the folder and declare the package.", rank=657),
    check("log-stdlib-removed", "python-version", "error", "log",
       "`No module named '{module}'`: `{module}` was removed from the standard library in "
       "Python {version}, and Vercel runs Python 3.12 or newer.",
       "Replace `{module}` with {replacement}, or upgrade the package that imports it; it is "
       "not a dependency to add (Vercel offers Python 3.12, 3.13 and 3.14).", rank=665),
    check("log-env-var-named", "env-var-missing", "error", "log",
       "`{exception}`: the code stops because the environment variable {name} is missing or "
       "unusable in this deployment.",
       "Set {name} in the Vercel project's Settings > Environment Variables. " + fixes.ENV_SCOPED,
       rank=705),
    check("log-silent-500", "runtime-crash-in-view", "error", "log",
       "`{request}` answered {status} and the function printed nothing. In lambda mode Django "
       "with DEBUG=False logs nothing: its default LOGGING sends request errors to "
       "`mail_admins` only. In fluid mode the runtime routes Python logging to the platform "
       "(vercel_runtime `vc_init.setup_logging`), so the traceback would be in the log.",
       "Add a console handler: `LOGGING = {\"version\": 1, \"handlers\": {\"console\": "
       "{\"class\": \"logging.StreamHandler\"}}, \"loggers\": {\"django.request\": "
       "{\"handlers\": [\"console\"], \"level\": \"ERROR\"}}}` in settings.py (keep DEBUG "
       "False), redeploy and read the traceback.", rank=825),
    check("log-old-runtime", "other", "error", "log",
       "`{exception}` inside `vc__handler__python.py`, the handler of an old `@vercel/python` "
       "release, not in your code.",
       "Update @vercel/python: remove a pinned `\"use\": \"@vercel/python@...\"` (or the whole "
       "`builds` entry) from vercel.json so the current builder and runtime are used.",
       rank=845),
)
# fmt: on


def env_var_named(kind: str, message: str, exception: str, where: Where) -> Finding | None:
    """``log-env-var-named`` when the message names an UPPER_CASE variable and speaks of it
    as missing, unset or required (``RuntimeError: SECRET_KEY is missing...``)."""
    if kind in ("KeyError", "ModuleNotFoundError", "ImportError") or not _ENV_WORDS.search(message):
        return None
    named = _UPPER_NAME.search(message)
    if named is None:
        return None
    return make("log-env-var-named", *where, name=named.group(1), exception=exception)


def removed_stdlib(module: str, where: Where) -> Finding | None:
    """``log-stdlib-removed`` for a top-level module of :data:`REMOVED_STDLIB`."""
    top = module.split(".")[0]
    if top not in REMOVED_STDLIB:
        return None
    version, replacement = REMOVED_STDLIB[top]
    return make("log-stdlib-removed", *where, module=top, version=version, replacement=replacement)


def cannot_import(
    name: str,
    module: str,
    located: str,
    exception: str,
    importer: str | None,
    root: Path | None,
    where: Where,
) -> Finding | None:
    """The module-path readings of ``cannot import name {name} from {module} ({located})``:
    a namespace folder (``unknown location``) or the importing file itself (``app.py`` doing
    ``from app import ...``). None when neither."""
    if located == "unknown location":
        return make("log-namespace-package", *where, exception=exception, module=module, name=name)
    own = located.rpartition("/")[2]
    if importer is not None and Path(importer).name == own and Path(own).stem == module:
        folder = root is not None and (root / module).is_dir()
        meant = f"the `{module}/` package" if folder else "the package or module you meant"
        return make(
            "log-own-module-shadowed",
            *where,
            exception=exception,
            module=module,
            own=own,
            meant=meant,
        )
    return None


def pin_advice(name: str, module: str) -> str:
    """The fix of ``log-cannot-import-name``: a known removal, or pin what you develop with."""
    known = _PIN_ADVICE.get((module, name))
    general = "Pin the version you develop with in the manifest (`pip freeze` shows it)."
    return f"{known} {general}" if known else general


def silent_500(records: list[LogRecord]) -> Finding | None:
    """``log-silent-500`` for a request answered 5xx whose records hold no text at all."""
    texts: dict[str, list[str]] = {}
    first: dict[str, LogRecord] = {}
    for record in records:
        if record.request_id is None:
            continue
        texts.setdefault(record.request_id, []).append(record.text.strip())
        first.setdefault(record.request_id, record)
    for request_id, lines in texts.items():
        record = first[request_id]
        if record.status is not None and record.status >= 500 and not any(lines):
            request = f"{record.method or 'GET'} {record.path or '/'}"
            return make("log-silent-500", request=request, status=record.status)
    return None


def dependency_fix(module: str, manifest: str | None) -> str:
    """The fix of ``log-module-not-found`` for ``module``, written for the manifest the build
    installed from (its "Installing required dependencies from X..." line, @vercel/python
    6.56.2 dist/index.js:6422-6437), or the general one when unknown."""
    top = module.split(".")[0]
    package = MODULE_PACKAGES.get(top, (normalize(top),))[0]
    if manifest == "uv.lock":
        return (
            f"The build installed from uv.lock (requirements.txt is ignored while uv.lock and "
            f"pyproject.toml exist): run `uv add {package}` (it writes pyproject.toml's "
            f"[project].dependencies and uv.lock), commit both and redeploy."
        )
    if manifest == "pyproject.toml":
        return (
            f"The build installed from pyproject.toml: list `{package}` in its "
            f"[project].dependencies (only those are installed, not optional extras or "
            f"Poetry's tables) and redeploy."
        )
    if manifest in ("Pipfile", "Pipfile.lock"):
        return (
            f"The build installed from {manifest}: `pipenv install {package}`, commit "
            "Pipfile and Pipfile.lock and redeploy."
        )
    if manifest is not None:
        return f"The build installed from {manifest}: add `{package}` to it and redeploy."
    return fixes.DEPENDENCY.replace("{module}", module)


def project_manifest(root: Path | None) -> str | None:
    """What the builder installs from in ``root``, as far as its files tell: ``uv.lock``, then
    ``pyproject.toml``, then ``requirements.txt`` (the shared case uvlock-hides-requirements:
    requirements.txt is ignored while uv.lock/pyproject.toml exist). None without a root."""
    if root is None:
        return None
    for name in ("uv.lock", "pyproject.toml", "Pipfile.lock", "Pipfile", "requirements.txt"):
        if (root / name).is_file():
            return name
    return None
