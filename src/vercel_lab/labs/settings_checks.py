"""The checks of labs 04-05: a project's settings and layout, run under Vercel's real runtime.

Lab 04 checks where Django logs (the read-only filesystem, the function log); lab 05 that
Vercel's own Django support builds the project, without an api/ entrypoint.
"""

from __future__ import annotations

from pathlib import Path

from vercel_lab import Function
from vercel_lab.labs import feedback as fb
from vercel_lab.labs.feedback import Result
from vercel_lab.labs.handler_checks import TITLE_NOT_PORTFOLIO
from vercel_lab.labs.report import PORTFOLIO, Reporter, get, guarded, read_text
from vercel_lab.labs.shapes import mentions

# -- lab 04: warning signs ----------------------------------------------------------------------

CRASH_LINE = "RuntimeError: This view fails on purpose"
TITLE_STILL_FILE = "Django still opens a log file in the project folder at start-up"
TITLE_MKDIR = "Creating logs/ does not make it writable"
TITLE_DELAYED = "The log file is opened later: the first error logged crashes the request"
TITLE_TMP_LOG = "The traceback went to a file in /tmp, not to the function log"
TITLE_LOST = "The traceback of /crash/ is not in the function log"
TITLE_LOGGING_PASSED = "Django starts, and its errors reach the function log"
USE_STDERR = "Log to stderr instead: a logging.StreamHandler."


@guarded("04", "logging")
def check_logging(folder: str | Path) -> Result:
    """Lab 04: / answers 200, and /crash/'s traceback appears in the function log."""
    root = Path(folder)
    settings = read_text(root, "portfolio/settings.py") or ""
    with Function(root) as function:
        home, crash = outcomes = [function.invoke(get("/")), function.invoke(get("/crash/"))]
    say = Reporter("04", "logging", outcomes)
    if home.phase == "init" and "Read-only file system" in home.log:
        if mentions(settings, "makedirs", "mkdir"):
            title, why = (
                TITLE_MKDIR,
                (
                    "The folder already exists; what fails is opening a file in it, because a "
                    "deployment's files are read-only (only /tmp is writable)."
                ),
            )
        else:
            title, why = (
                TITLE_STILL_FILE,
                (
                    "LOGGING opens logs/portfolio.log while Django starts, at import: on a "
                    "read-only filesystem that kills every cold start."
                ),
            )
        return say.not_yet(title, f"{why} {USE_STDERR}", fb.READ_ONLY, home)
    if home.error_code or home.status != 200:
        return say.crashed(home, fb.READ_ONLY)
    if crash.error_code and "Read-only file system" in crash.log:
        why = (
            "With delay=True the file is opened at the first log record: the site works until "
            f"something goes wrong, then the error report itself crashes the request. {USE_STDERR}"
        )
        return say.not_yet(TITLE_DELAYED, why, fb.READ_ONLY, crash)
    if crash.error_code:
        return say.crashed(crash, fb.LOGS)
    if CRASH_LINE not in crash.log:
        title = TITLE_TMP_LOG if mentions(settings, "/tmp", "gettempdir") else TITLE_LOST
        why = (
            "Django answered /crash/ with its 500 page, but the traceback is not in what the "
            "function wrote to stdout/stderr, the only log Vercel keeps; a file in /tmp belongs "
            f"to one instance and nobody reads it. {USE_STDERR}"
        )
        return say.not_yet(title, why, fb.LOGS)
    return say.passed(
        TITLE_LOGGING_PASSED,
        f"/ answered 200, and /crash/ left its traceback in the function log: {CRASH_LINE}.",
        fb.LOGS,
    )


# -- lab 05: alternatives -----------------------------------------------------------------------

TITLE_BUILDS = "vercel.json's builds still decide how the project is built"
TITLE_NO_SETTING = "Vercel finds manage.py, but no WSGI_APPLICATION"
TITLE_WRONG_VARIABLE = "WSGI_APPLICATION names a variable wsgi.py does not define"
TITLE_NO_WSGI_FILE = "WSGI_APPLICATION names a file that does not exist"
TITLE_OWN_ENTRYPOINT = "Your own api/ entrypoint still serves the site"
TITLE_PRESET_PASSED = "Vercel's Django support serves the portfolio, no api/ folder needed"


@guarded("05", "django_preset")
def check_django_preset(folder: str | Path) -> Result:
    """Lab 05: with manage.py and WSGI_APPLICATION and no vercel.json builds, the builder picks
    the Django application itself, and /about/ and the stylesheet answer 200."""
    root = Path(folder)
    with Function(root) as function:
        outcomes = [function.invoke(get("/about/"))]
        entrypoints = function.describe_entrypoints()
        legacy_builds = bool(function.config.raw.get("builds"))
        if outcomes[0].ok:
            outcomes.append(function.invoke(get("/static/css/style.css")))
    about = outcomes[0]
    say = Reporter("05", "django_preset", outcomes)
    if not about.ok and legacy_builds:
        why = (
            "While vercel.json has `builds`, Vercel builds exactly what it lists "
            "(api/index.py) and never looks for Django. Remove vercel.json, and the api/ "
            "folder it pointed to."
        )
        return say.not_yet(TITLE_BUILDS, why, fb.NO_FUNCTION, about, phase="build")
    if about.phase == "build":
        if about.error_code == "DJANGO_ENTRYPOINT_NOT_FOUND" and "WSGI_APPLICATION" in about.log:
            why = (
                "Vercel reads the settings manage.py names and serves WSGI_APPLICATION. Add "
                'WSGI_APPLICATION = "portfolio.wsgi.application" to portfolio/settings.py.'
            )
            return say.not_yet(TITLE_NO_SETTING, why, fb.DJANGO_PRESET, about)
        return say.crashed(about, fb.DJANGO_PRESET)
    if any(name.startswith("api/") for name in entrypoints):
        why = (
            f"The builder chose {', '.join(entrypoints)}: with no manage.py it falls back to "
            "the usual file names. Add manage.py (it sets DJANGO_SETTINGS_MODULE) and remove "
            "the api/ folder."
        )
        return say.not_yet(TITLE_OWN_ENTRYPOINT, why, fb.DJANGO_PRESET)
    if about.phase == "init" and "missing variable" in about.log:
        why = (
            'The builder takes WSGI_APPLICATION at its word ("a.b.c" is variable c of a/b.py) '
            "and the runtime cannot find that variable: portfolio/wsgi.py defines `application`."
        )
        return say.not_yet(TITLE_WRONG_VARIABLE, why, fb.DJANGO_PRESET, about)
    if about.phase == "init" and "No such file or directory" in about.log:
        why = (
            "The builder does not check that the file exists; the runtime cannot import it. "
            "Write portfolio/wsgi.py (the cell gives it)."
        )
        return say.not_yet(TITLE_NO_WSGI_FILE, why, fb.DJANGO_PRESET, about)
    failing = next((o for o in outcomes if o.error_code), None)
    if failing is not None:
        return say.crashed(failing, fb.DJANGO_PRESET)
    if not (PORTFOLIO in about.text and all(o.status == 200 for o in outcomes)):
        why = "Expected 200 with the portfolio on /about/ and 200 on /static/css/style.css."
        return say.not_yet(TITLE_NOT_PORTFOLIO, why, fb.DJANGO_PRESET)
    return say.passed(
        TITLE_PRESET_PASSED,
        f"The builder found manage.py, read WSGI_APPLICATION and served {about.entrypoint}: "
        "no api/index.py, no vercel.json. Fewer files of your own to get wrong.",
        fb.DJANGO_PRESET,
    )
