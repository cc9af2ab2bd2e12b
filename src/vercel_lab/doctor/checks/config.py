"""Checks of the project's configuration and layout: vercel.json, the builder's verdict, the
Python version, what gets published as static files, and the bundle's size.

Reuses :mod:`vercel_lab.builder.config` and :mod:`vercel_lab.builder.detect` for everything
Vercel itself decides (parsing vercel.json, the builds, the version request); only the judgement
is here.
"""

from __future__ import annotations

import re
from typing import Final

from vercel_lab.builder.config import ConfigError, glob_match, python_version_request
from vercel_lab.builder.detect import Entrypoint, select_entrypoint
from vercel_lab.builder.routes import is_platform_file
from vercel_lab.doctor import deps, fixes
from vercel_lab.doctor.analysis import Analysis
from vercel_lab.doctor.declare import Check, check, make
from vercel_lab.doctor.findings import Finding
from vercel_lab.doctor.project import Project

# The checks of this family, declared next to the code that raises them; ``rank`` is the
# priority within a severity (lower first: the most specific cause first).
# One check per block reads better than one argument per line.
# fmt: off
CHECKS: Final[tuple[Check, ...]] = (
    check("bundle-too-large", "size-limit", "error", "static",
       "The declared packages {packages} install about {size} MB, more than the 500 MB limit "
       "of a Python function's bundle: the build fails.",
       fixes.BUNDLE, rank=280),
    # -- configuration -----------------------------------------------------------------------
    check("config-file-invalid", "vercel-json-misconfig", "error", "static",
       "{message}: the deployment fails before the build.",
       "Fix the file (the message gives the place); `python -m json.tool vercel.json` checks "
       "JSON.", rank=290),
    check("functions-runtime-invalid", "vercel-json-misconfig", "error", "static",
       'functions["{pattern}"].runtime is `{runtime}`: that key names a community runtime '
       "package with its version (`name@1.2.3`), so the build fails with `Function Runtimes "
       "must have a valid version`.",
       "Remove `runtime`: .py files get the official Python runtime (choose the Python version "
       "with .python-version or requires-python).", rank=300),
    check("unknown-builder", "vercel-json-misconfig", "error", "static",
       "builds uses `{use}` for `{src}`, but Vercel's Python builder is `@vercel/python`: the "
       "file is not built as a Python function.",
       "Remove `builds` and `routes` and let Vercel detect the function (or write "
       '`"use": "@vercel/python"`).', rank=310),
    check("builder-config-error", "vercel-json-misconfig", "error", "static",
       "The build fails ({code}): {message}",
       "Fix vercel.json as the message says.", rank=320),
    check("functions-pattern-unmatched", "vercel-json-misconfig", "error", "static",
       'functions["{pattern}"] matches no function of the project, so the build fails ("The '
       'pattern "{pattern}" defined in `functions` doesn\'t match any Serverless Functions").',
       "Use the function file's path from the project root (e.g. `api/index.py`) or a glob "
       "such as `api/**/*.py`.", rank=330),
    check("rewrite-to-missing-function", "vercel-json-misconfig", "error", "static",
       "A rewrite sends requests to `{destination}`, but no function or file serves that "
       "path: those requests answer 404 NOT_FOUND.",
       "Point the rewrite at the function's route: `api/index.py` is served at `/api/index` "
       "(without `.py`).", rank=340),
    check("preset-rewrite-destination-path", "vercel-json-misconfig", "warning", "static",
       "Under the {preset} preset ({source}), Vercel routes an internal rewrite with the "
       "rewritten destination path: every request this rewrite matches reaches the app as "
       "`{destination}` (vercel build warns: \"Internal rewrites in backend framework projects "
       "now route requests using the rewritten destination path\"), so the app answers for "
       "that path, usually with its own 404.",
       'For the `api/index.py` layout, set `"framework": null` in vercel.json: each api/ file '
       "is then its own function and the app sees the path requested. With the preset, drop "
       "the rewrite instead: the preset already sends every path to the app.", rank=345),
    check("builder-entrypoint-not-found", "missing-app-variable", "error", "static",
       "The build fails with {code}: {message}",
       "Give the entrypoint file a top-level `app` (WSGI or ASGI) or `application`, or a "
       "`class handler(BaseHTTPRequestHandler)`; "
       + fixes.TOOL_VERCEL.replace("{target}", "module:variable")
       + "; or send the requests to the file with vercel.json `rewrites` instead.", rank=350),
    check("django-settings-build-failed", "django-settings", "error", "static",
       "The build fails with DJANGO_SETTINGS_FAILED: {message}",
       "Make manage.py set DJANGO_SETTINGS_MODULE to a settings module that exists and parses.",
       rank=360),
    check("python-version-discontinued", "python-version", "error", "static",
       "{source} asks for Python {request}, which Vercel has discontinued: the build fails "
       "with BUILD_UTILS_PYTHON_VERSION_DISCONTINUED.",
       "Ask for Python 3.12 or newer (`3.12` in .python-version).", rank=370),
    check("python-version-file-invalid", "python-version", "error", "static",
       "{message}: the build fails with PYTHON_VERSION_FILE_PARSE_ERROR.",
       "Write one version on the first line of .python-version, e.g. `3.12`.", rank=380),
    check("source-exposed", "source-exposed", "error", "static",
       "With an `api/` folder and no `public/` folder, Vercel publishes the project's other "
       "files as static files: {files} can be downloaded by anyone.",
       "Create a `public/` folder for the files you mean to publish (it may hold just one): "
       "then only it is published.", rank=390),
    check("heavy-dependencies", "size-limit", "warning", "static",
       "The declared packages {packages} install about {size} MB, more than half the 500 MB "
       "limit of a Python function's bundle; the larger the bundle, the slower a cold start.",
       fixes.BUNDLE, rank=480),
    check("large-project-files", "size-limit", "warning", "static",
       "The project's files total {size} MB (largest: {largest}); all of them are bundled "
       "with the function and count toward its 500 MB limit.",
       "Keep data sets, model weights and media in storage or a CDN, or list them in "
       "`.vercelignore`.", rank=490),
    check("python-version-not-offered", "python-version", "warning", "static",
       "{source} asks for Python {request}, which Vercel does not offer (3.12, 3.13, 3.14): "
       "the builder ignores it and runs Python 3.12.",
       "Ask for a version Vercel offers (`3.12` in .python-version, or `requires-python = "
       '">=3.12"`) and test the code on it.', rank=510),
    check("legacy-builds", "vercel-json-misconfig", "warning", "static",
       "vercel.json uses the legacy `builds` property: it turns off zero-config detection and "
       "the project's Build and Development Settings, and each function is served only at its "
       "file path.",
       'Remove `builds` (and `routes`) and send every path to the function with `"rewrites": '
       '[{"source": "/(.*)", "destination": "/api/index"}]`.', rank=520),
    check("legacy-routes", "vercel-json-misconfig", "warning", "static",
       "vercel.json uses the legacy `routes` property, which cannot be combined with "
       "`rewrites`, `redirects`, `headers`, `cleanUrls` or `trailingSlash`.",
       "Replace `routes` with `rewrites` (and `redirects`/`headers`).", rank=530),
    # -- notes -------------------------------------------------------------------------------
    check("files-published", "source-exposed", "info", "static",
       "With an `api/` folder and no `public/` folder, Vercel publishes the project's other "
       "files as static files: {files}.",
       "Create a `public/` folder for the files you mean to publish: then only it is published.",
       rank=560),
)
# fmt: on

#: The Python versions the builder installs (``allOptions`` minus those not on the build image,
#: @vercel/python 6.56.2; https://vercel.com/docs/functions/runtimes/python).
OFFERED: Final = ((3, 12), (3, 13), (3, 14))
DISCONTINUED: Final = ((3, 6),)
LARGE_PROJECT_MB: Final = 100
_RUNTIME = re.compile(r"^@?[\w./-]+@\d[\w.+-]*$")
_SENSITIVE = re.compile(
    r"(\.py|\.pyc|\.env|\.env\..*|\.sqlite3?|\.db|\.pem|\.key|\.toml|\.ini|\.cfg|\.ya?ml|"
    r"\.json)$|(^|/)\.env($|\.)"
)
# Files the vercel CLI never uploads (its default ignore list), besides the walk's folders.
_NOT_UPLOADED: Final = {
    ".gitignore",
    ".gitmodules",
    ".npmignore",
    ".dockerignore",
    ".DS_Store",
    ".env.local",
    "npm-debug.log",
    ".vercelignore",
    "vercel.json",
}


def findings(analysis: Analysis) -> list[Finding]:
    project = analysis.project
    findings: list[Finding] = []
    if project.config_error is not None:
        findings.append(
            make("config-file-invalid", "vercel.json", None, message=project.config_error)
        )
    findings += _build_error(project)
    findings += _vercel_json(project)
    findings += _python_version(project)
    findings += _published(project)
    findings += _size(project)
    return findings


def _build_error(project: Project) -> list[Finding]:
    error = project.build_error
    if error is None:
        return []
    if error.code == "DJANGO_SETTINGS_FAILED":
        return [make("django-settings-build-failed", "manage.py", None, message=error.message)]
    if error.code.endswith("ENTRYPOINT_NOT_FOUND") or error.code == "PYTHON_INVALID_ENTRYPOINT":
        # The builder names the file quoted ("api/index.py") or after "Found" (the presets).
        named = re.search(r'"([^"]+\.py)"|\bFound (\S+\.py)\b', error.message)
        found = (named.group(1) or named.group(2)) if named else None
        file = found if found and project.exists(found) else None
        return [
            make("builder-entrypoint-not-found", file, None, code=error.code, message=error.message)
        ]
    return [
        make("builder-config-error", "vercel.json", None, code=error.code, message=error.message)
    ]


def _line_of(project: Project, rel: str, needle: str) -> int | None:
    for number, line in enumerate((project.text(rel) or "").splitlines(), start=1):
        if needle in line:
            return number
    return None


def _vercel_json(project: Project) -> list[Finding]:
    raw = project.config.raw
    findings: list[Finding] = []
    builds = raw.get("builds")
    if isinstance(builds, list) and builds:
        findings.append(
            make("legacy-builds", "vercel.json", _line_of(project, "vercel.json", '"builds"'))
        )
        for build in builds:
            if not isinstance(build, dict):
                continue
            use, src = str(build.get("use", "")), str(build.get("src", ""))
            if src.endswith(".py") and not re.fullmatch(r"@vercel/python(@.+)?", use):
                findings.append(
                    make(
                        "unknown-builder",
                        "vercel.json",
                        _line_of(project, "vercel.json", use),
                        use=use,
                        src=src,
                    )
                )
    if "routes" in raw:
        findings.append(
            make("legacy-routes", "vercel.json", _line_of(project, "vercel.json", '"routes"'))
        )
    functions = raw.get("functions")
    if isinstance(functions, dict):
        for pattern, settings in functions.items():
            line = _line_of(project, "vercel.json", f'"{pattern}"')
            runtime = settings.get("runtime") if isinstance(settings, dict) else None
            if isinstance(runtime, str) and not _RUNTIME.match(runtime):
                findings.append(
                    make(
                        "functions-runtime-invalid",
                        "vercel.json",
                        line,
                        pattern=pattern,
                        runtime=runtime,
                    )
                )
            if not any(f == pattern or glob_match(f, pattern) for f in project.files):
                findings.append(
                    make("functions-pattern-unmatched", "vercel.json", line, pattern=pattern)
                )
    findings += _rewrites(project)
    findings += _preset_rewrites(project)
    return findings


def _preset_rewrites(project: Project) -> list[Finding]:
    """A rewrite to a path of the project under a Python framework preset: the app sees the
    destination (the preset's catch-all carries a ``request.path`` transform, @vercel/python
    6.56.2 dist/index.js:12451-12475; research/routing-facts.md)."""
    if not project.python_preset or project.framework is None:
        return []
    findings: list[Finding] = []
    for _, destination in project.config.rewrites:
        path = destination.split("?")[0].split("#")[0]
        if not path.startswith("/") or path == "/" or re.search(r"[$:(*]", path):
            continue  # external URLs, the root and parameterised destinations keep their sense
        findings.append(
            make(
                "preset-rewrite-destination-path",
                "vercel.json",
                _line_of(project, "vercel.json", destination),
                preset=project.framework,
                source=project.plan.preset_source,
                destination=destination,
            )
        )
        break  # one finding: every such rewrite has the same cause and fix
    return findings


def _rewrites(project: Project) -> list[Finding]:
    entries = project.entrypoints
    if not entries or any(e.kind != "api" for e in entries):
        return []  # an app function serves every path; builds are judged elsewhere
    findings: list[Finding] = []
    for _, destination in project.config.rewrites:
        path = destination.split("?")[0].split("#")[0]
        if not path.startswith("/") or re.search(r"[$:(*]", path):
            continue  # external URLs and parameterised destinations are not checked
        static = path.strip("/")
        if static in project.files or f"public/{static}" in project.files:
            continue
        candidate = path.strip("/").removesuffix(".py") + ".py"
        if candidate in project.files or f"{candidate[:-3]}/index.py" in project.files:
            continue  # the file exists: if it is not a function, the api-file checks say so
        try:
            select_entrypoint(entries, path)
        except LookupError:
            findings.append(
                make(
                    "rewrite-to-missing-function",
                    "vercel.json",
                    _line_of(project, "vercel.json", destination),
                    destination=destination,
                )
            )
    return findings


def _parse_version(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.split(".") if p.isdigit())


def _satisfies(version: tuple[int, int], clause: str) -> bool:
    match = re.fullmatch(r"\s*(~=|===|==|!=|<=|>=|<|>)?\s*v?([\d.]+)(\.\*)?\s*", clause)
    if match is None:
        raise ValueError(clause)
    op, text, star = match.group(1) or "==", match.group(2).rstrip("."), match.group(3)
    wanted = _parse_version(text)
    have = version + (0,) * max(0, len(wanted) - 2)
    if op in ("==", "===") or (op == "!=" and star):
        equal = have[: len(wanted)] == wanted if star or len(wanted) <= 2 else have == wanted
        return equal if op != "!=" else not equal
    if op == "~=":
        upper = (*wanted[:-2], wanted[-2] + 1) if len(wanted) > 1 else (wanted[0] + 1,)
        return have >= wanted and have[: len(upper)] < upper
    compare = {
        "!=": have != wanted,
        "<=": have <= wanted,
        ">=": have >= wanted,
        "<": have < wanted,
        ">": have > wanted,
    }
    return compare[op]


def _requested(project: Project) -> tuple[str, str, int | None] | None:
    request = python_version_request(project.root)  # ConfigError: the caller reports it
    if request is not None:
        if project.exists(".python-version"):
            return request, ".python-version", _line_of(project, ".python-version", request)
        return request, "pyproject.toml", _line_of(project, "pyproject.toml", "requires-python")
    pipfile = project.text("Pipfile") or ""
    match = re.search(r'^\s*python_version\s*=\s*"([^"]+)"', pipfile, re.MULTILINE)
    if match:
        return match.group(1), "Pipfile", _line_of(project, "Pipfile", "python_version")
    return None


def _python_version(project: Project) -> list[Finding]:
    try:
        requested = _requested(project)
    except ConfigError as exc:
        if str(exc).startswith(".python-version"):
            return [make("python-version-file-invalid", ".python-version", None, message=str(exc))]
        return [make("config-file-invalid", "pyproject.toml", None, message=str(exc))]
    if requested is None:
        return []
    request, source, line = requested
    if source == ".python-version" or source == "Pipfile":
        found = re.search(r"(\d+)\.(\d+)", request)
        if found is None:
            return []
        clauses = [f"=={found.group(1)}.{found.group(2)}"]
    else:
        clauses = [c for c in request.split(",") if c.strip()]
    try:
        offered = [v for v in OFFERED if all(_satisfies(v, c) for c in clauses)]
    except ValueError:
        return []
    if offered:
        return []
    pinned = re.search(r"(\d+)\.(\d+)", request)
    exact = (int(pinned.group(1)), int(pinned.group(2))) if pinned else None
    check_id = (
        "python-version-discontinued" if exact in DISCONTINUED else ("python-version-not-offered")
    )
    return [make(check_id, source, line, source=source, request=f"`{request}`")]


def _vercelignored(project: Project) -> list[str]:
    text = project.text(".vercelignore") or ""
    return [p.strip().strip("/") for p in text.splitlines() if p.strip() and p[0] != "#"]


def _published(project: Project) -> list[Finding]:
    # Zero-config "Other" with api/ functions and no public/: the other files are static.
    entries: list[Entrypoint] = project.entrypoints
    if (
        not entries
        or any(e.kind != "api" for e in entries)
        or project.is_dir("public")
        or project.config.raw.get("outputDirectory")
    ):
        return []
    ignored = _vercelignored(project)
    published = [
        f
        for f in project.files
        if not is_platform_file(f)  # api/, README.md, lock files... (vercel/vercel#16056)
        and f.rpartition("/")[2] not in _NOT_UPLOADED
        and not any(f == p or f.startswith(p + "/") or glob_match(f, p) for p in ignored)
    ]
    if not published:
        return []
    sensitive = [f for f in published if _SENSITIVE.search(f)]
    shown = sensitive or published
    files = ", ".join(f"`{f}`" for f in shown[:5])
    if len(shown) > 5:
        files += f" and {len(shown) - 5} more"
    return [make("source-exposed" if sensitive else "files-published", None, None, files=files)]


def _size(project: Project) -> list[Finding]:
    findings: list[Finding] = []
    manifest = deps.declared(project)
    heavy, size = deps.heavy(deps.closure(manifest.names))
    if size > deps.BUNDLE_LIMIT_MB / 2:
        check_id = "bundle-too-large" if size > deps.BUNDLE_LIMIT_MB else "heavy-dependencies"
        packages = ", ".join(f"`{n}`" for n in heavy[:6])
        findings.append(make(check_id, manifest.manifest, None, packages=packages, size=size))
    bundled = {f: s for f, s in project.files.items() if not f.startswith("public/")}
    total = sum(bundled.values()) / 1_000_000
    if total > LARGE_PROJECT_MB:
        largest = max(bundled, key=lambda f: bundled[f])
        findings.append(
            make(
                "large-project-files",
                None,
                None,
                size=f"{total:.0f}",
                largest=f"`{largest}`, {bundled[largest] / 1_000_000:.0f} MB",
            )
        )
    return findings
