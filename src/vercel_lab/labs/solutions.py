"""One solution per lab, kept out of the learner's way: ``solution("01")`` shows it,
``apply_solution("01", folder)`` writes it into a lab folder (the tests do that).

Where the repository already holds the answer (the fixed examples), the solution is read from
there, so the labs and the examples cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vercel_lab.examples import example
from vercel_lab.labs.workspace import lab_id, write_project


@dataclass(frozen=True)
class Solution:
    """The files a lab's solution writes, the paths it removes, and why it works."""

    lab: str
    why: str
    files: Mapping[str, str]
    remove: tuple[str, ...] = field(default=())

    def __str__(self) -> str:
        lines = [f"Lab {self.lab} — a solution", "", self.why, ""]
        for name, text in self.files.items():
            lines += [f"── {name} " + "─" * max(4, 60 - len(name)), text.rstrip(), ""]
        if self.remove:
            lines.append("Remove: " + ", ".join(self.remove))
        return "\n".join(lines).rstrip() + "\n"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))

    def _repr_markdown_(self) -> str:
        parts = [f"**Lab {self.lab} — a solution**", "", self.why, ""]
        for name, text in self.files.items():
            language = "json" if name.endswith(".json") else "python"
            parts += [f"`{name}`", "", f"```{language}", text.rstrip(), "```", ""]
        if self.remove:
            parts.append("Remove: " + ", ".join(f"`{name}`" for name in self.remove))
        return "\n".join(parts)


def _read(name: str, relative: str) -> str:
    return (example(name) / relative).read_text(encoding="utf-8")


WSGI_BY_HAND = '''\
"""A WSGI app written by hand: what the runtime calls for every request."""


def app(environ, start_response):
    # environ is a dict (PEP 3333): the request is in its keys, not in attributes.
    method = environ["REQUEST_METHOD"]
    path = environ["PATH_INFO"]
    body = f"{method} {path}".encode("utf-8")
    # The status is a string, the headers a list of (name, value) pairs.
    start_response(
        "200 OK",
        [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))],
    )
    # The body is an iterable of bytes.
    return [body]
'''

COUNTER = '''\
"""Counts the requests this instance has served: module state lives as long as the instance."""

import threading

count = 0  # set once, when the runtime imports this file: at each cold start
lock = threading.Lock()  # one instance serves concurrent requests on threads


def app(environ, start_response):
    global count  # assign to the module's variable, not to a new local one
    with lock:
        count += 1
        served = count
    body = f"This instance has served {served} request(s).".encode("utf-8")
    start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
    return [body]
'''

STDERR_SETTINGS = '''\
"""Settings for the warning-signs lab: log to stderr, which Vercel keeps as the function log."""

from pages.base_settings import *  # noqa: F403

# A deployed function can write only to /tmp, and a file there dies with the instance.
# What a function writes to stdout or stderr is what the Vercel log shows.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["stderr"], "level": "WARNING"},
}
'''

PRESET_SETTINGS = '''\
"""Settings for the alternatives lab: the shared settings, plus what Vercel's Django support
reads to find the application."""

from pages.base_settings import *  # noqa: F403

WSGI_APPLICATION = "portfolio.wsgi.application"
'''


def _solutions() -> dict[str, Solution]:
    return {
        "01": Solution(
            "01",
            "Expose Django's WSGI application as a top-level `app`: the builder finds it by "
            "that name and the runtime calls it as app(environ, start_response). vercel.json "
            "is the one of examples/fixed-api-index: every path goes to the function, and "
            '"framework": null keeps the project on the "Other" preset, where api/index.py is '
            "a function of its own and Django sees the path the client asked for.",
            {
                "api/index.py": _read("fixed-api-index", "api/index.py"),
                "vercel.json": _read("fixed-api-index", "vercel.json"),
            },
        ),
        "02": Solution(
            "02",
            "Read the request from environ's keys, call start_response with a status string "
            "and a list of headers, and return a list of bytes.",
            {"api/index.py": WSGI_BY_HAND},
        ),
        "03": Solution(
            "03",
            "Keep the count in a module-level variable (`global count`): it survives warm "
            "invocations and starts again at every cold start. The lock makes the increment "
            "safe when one instance serves requests on several threads.",
            {"api/index.py": COUNTER},
        ),
        "04": Solution(
            "04",
            "Log to stderr with a StreamHandler: nothing is written to the read-only project "
            "folder, and the traceback of a failing view reaches the function log.",
            {"portfolio/settings.py": STDERR_SETTINGS},
        ),
        "05": Solution(
            "05",
            "manage.py marks the folder as a Django project, WSGI_APPLICATION names the "
            "application, and without vercel.json's builds (and the api/ folder) Vercel's "
            "Django support serves portfolio/wsgi.py's `application`.",
            {
                "manage.py": _read("fixed-django-preset", "manage.py"),
                "portfolio/wsgi.py": _read("fixed-django-preset", "portfolio/wsgi.py"),
                "portfolio/settings.py": PRESET_SETTINGS,
            },
            ("vercel.json", "api"),
        ),
    }


def solution(lab: str | int) -> Solution:
    """The solution of ``lab``: ``print(solution("01"))`` shows it; nothing is written."""
    return _solutions()[lab_id(lab)]


def apply_solution(lab: str | int, folder: str | Path) -> None:
    """Write ``lab``'s solution into the lab folder ``folder`` (and print what changed)."""
    chosen = solution(lab)
    write_project(folder, chosen.files, remove=chosen.remove)
