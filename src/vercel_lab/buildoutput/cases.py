"""The projects the real-build parity harness (:mod:`vercel_lab.buildoutput.parity`) builds, each
with the preset its project settings hold, stored here and never detected by vercel-lab."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from vercel_lab.examples import example, examples_root

__all__ = ["CASES", "CASE_NAMES", "FIXED", "HOME", "STYLESHEET", "Case"]

STYLESHEET = "/static/css/style.css"
_DJANGO_FIXED = ("fixed-api-index", "fixed-django-preset")


@dataclass(frozen=True)
class Case:
    """One project the harness builds: an example (:data:`vercel_lab.examples.NAMES`) or a
    routing case under ``examples/_routing/``.

    ``preset`` is the framework the project settings hold, stored here as the dashboard would
    have it (``@vercel/fs-detectors``' answer when the project was imported; None, "Other", for
    the ``api/`` layout Vercel's deployment tests deploy with no framework): the real build uses
    it, the emulation detects its own. ``probes`` are the requests (default ``/``);
    ``headers`` the response headers compared; ``body`` compares the start of the body too (the
    apps echo the path they see).
    """

    name: str
    preset: str | None
    probes: tuple[str, ...] = ("/",)
    headers: tuple[str, ...] = ()
    body: bool = False
    routing: bool = False  # under examples/_routing/

    @property
    def folder(self) -> Path:
        return examples_root() / "_routing" / self.name if self.routing else example(self.name)


_DJANGO_PROBES = ("/", STYLESHEET, "/crash/")
#: Every case, in build order; the presets are what ``@vercel/fs-detectors`` 7.7.3 detects for
#: each folder (the dashboard's stored setting), except where said.
CASES: tuple[Case, ...] = (
    Case("seed-broken", "django"),
    Case("seed-fix", "django"),
    Case("lambda-style", None),
    Case("import-crash", "django"),
    Case("readonly-fs", "django"),
    Case("timeout", None, ("/", "/slow")),
    Case("missing-dependency", "flask"),
    Case("fixed-api-index", "django", _DJANGO_PROBES),  # vercel.json says "framework": null
    # A settings module that raises ImproperlyConfigured: compared on its own exception line.
    Case("improperly-configured", "django"),  # vercel.json says "framework": null
    Case("fixed-django-preset", "django", _DJANGO_PROBES),
    Case("handler-class", None, ("/api", "/")),
    Case("flask", "flask"),
    Case("fastapi", "fastapi"),
    # A preset with a catch-all rewrite to an api/ app: the app sees /api/index (its own 404).
    Case("flask-rewrite", "flask", ("/health", "/api/index?x=1"), body=True, routing=True),
    Case("flask-rewrite-null", "flask", ("/health", "/about?x=1"), body=True, routing=True),
    # Vercel's deployment-test layout, deployed with no framework (modelled as "Other"): each
    # api file its own function; /api/python.py through the miss phase; route headers.
    Case(
        "api-functions",
        None,
        ("/api/python", "/api/python.py?q=1", "/api/wsgi?a=b", "/", "/api/nope"),
        headers=("x-served-by",),
        body=True,
        routing=True,
    ),
    # cleanUrls, trailingSlash false, redirects 308/307, headers, rewrites with parameters.
    Case(
        "flask-routes",
        "flask",
        (
            "/",
            "/robots.txt",
            "/about/",
            "/page.html",
            "/index",
            "/old/x?y=1",
            "/moved",
            "/blog/hello?a=1",
            "/docs/a/b",
        ),
        headers=("x-frame-options", "location"),
        body=True,
        routing=True,
    ),
)
CASE_NAMES = tuple(case.name for case in CASES)
HOME = {"handler-class": "/api"}
#: Examples that must build and answer 200 on their home page.
FIXED = (*_DJANGO_FIXED, "handler-class", "flask", "fastapi", "timeout")
