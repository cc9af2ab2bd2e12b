"""Settings for readonly-fs: logging to a file inside the project.

Django applies LOGGING during django.setup(), which get_wsgi_application() runs when Vercel
imports api/index.py. Opening logs/portfolio.log for writing works on a laptop, but a
deployed function's files are read-only (only /tmp is writable), so there the import fails
with "ValueError: Unable to configure handler 'file'" (caused by "OSError: [Errno 30]
Read-only file system"), and every request gets FUNCTION_INVOCATION_FAILED.
"""

from pathlib import Path

from pages.base_settings import *  # noqa: F403

BASE_DIR = Path(__file__).resolve().parent.parent

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {
        "file": {
            "class": "logging.FileHandler",
            "filename": BASE_DIR / "logs" / "portfolio.log",
        },
    },
    "root": {"handlers": ["file"], "level": "WARNING"},
}

# The fix: log to stderr, which Vercel keeps as the function log. Replace the handler with
#
#     "handlers": {"stderr": {"class": "logging.StreamHandler"}},
#     "root": {"handlers": ["stderr"], "level": "WARNING"},
#
# or delete LOGGING here and keep the shared settings' version, which does exactly that.
# If a file is really needed, only /tmp is writable, and it is lost with the instance.
