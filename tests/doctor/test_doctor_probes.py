"""``doctor --run`` exercises more than ``GET /``: the paths a project routes, read statically
(vercel.json rewrites, Flask/FastAPI decorators, Django's root URLconf), and a POST where a view
takes one; a 4xx that such a synthetic request provokes is a note, never an error."""

from __future__ import annotations

from tests.helpers import MakeProject
from vercel_lab import Request
from vercel_lab.doctor.analysis import analyse
from vercel_lab.doctor.checks.run import outcome_findings, run_findings
from vercel_lab.doctor.probes import MAX_PROBES, Probe, probes
from vercel_lab.doctor.project import Project
from vercel_lab.runtime.outcome import Outcome

FLASK = """\
from flask import Flask, request

app = Flask(__name__)


@app.get("/health")
def health():
    return {"ok": True}


@app.route("/submit", methods=["POST"])
def submit():
    return request.get_json()


@app.route("/items/<int:item>")
def item(item):
    return {"item": item}
"""


def test_flask_routes_and_rewrites(make_project: MakeProject) -> None:
    root = make_project(
        {
            "requirements.txt": "flask\n",
            "api/index.py": FLASK,
            "vercel.json": '{"rewrites": [{"source": "/docs/:path*", '
            '"destination": "/api/index"}]}',
        }
    )
    assert probes(analyse(Project(root))) == [
        Probe("GET", "/", "default"),
        Probe("GET", "/docs", "vercel.json"),
        Probe("GET", "/health", "api/index.py:6"),
        Probe("POST", "/submit", "api/index.py:11"),
    ]


def test_django_root_urlconf(make_project: MakeProject) -> None:
    root = make_project(
        {
            "requirements.txt": "django\n",
            "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', "
            "'mysite.settings')\n",
            "mysite/__init__.py": "",
            "mysite/settings.py": "ROOT_URLCONF = 'mysite.urls'\n",
            "mysite/urls.py": "from django.urls import include, path\nfrom . import views\n\n"
            "urlpatterns = [\n    path('about/', views.about),\n"
            "    path('blog/', include('blog.urls')),\n    path('p/<int:pk>/', views.page),\n]\n",
            "mysite/wsgi.py": "from django.core.wsgi import get_wsgi_application\n"
            "app = get_wsgi_application()\n",
        }
    )
    assert [p.path for p in probes(analyse(Project(root)))] == ["/", "/about/"]


def test_at_most_a_handful(make_project: MakeProject) -> None:
    routes = "".join(f'\n@app.get("/r{i}")\ndef r{i}():\n    return {{}}\n' for i in range(9))
    root = make_project(
        {
            "requirements.txt": "fastapi\n",
            "main.py": f"from fastapi import FastAPI\napp = FastAPI()\n{routes}",
        }
    )
    assert len(probes(analyse(Project(root)))) == MAX_PROBES


def test_a_4xx_to_a_synthetic_probe_is_a_note() -> None:
    post = Request(method="POST", path="/submit", body=b"{}")
    (csrf,) = outcome_findings(Outcome(post, 403), None, synthetic=True)
    assert (csrf.id, csrf.severity) == ("run-probe-refused", "info")
    assert csrf.message.startswith("`POST /submit` answered 403 (Django's CSRF protection")
    (missing,) = outcome_findings(Outcome(post, 422), None, synthetic=True)
    assert (missing.severity, "missing" in missing.message) == ("info", True)


def test_a_5xx_to_a_probe_is_still_reported() -> None:
    (finding,) = outcome_findings(Outcome(Request.get("/health"), 500), None, synthetic=True)
    assert (finding.id, finding.message) == (
        "run-server-error",
        "`GET /health` answered 500: the function ran, but the app failed on this request.",
    )


DJANGO = {
    "requirements.txt": "django\n",
    "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n",
    "mysite/__init__.py": "",
    "mysite/settings.py": "SECRET_KEY = 'x' * 50\nDEBUG = False\nALLOWED_HOSTS = ['*']\n"
    "ROOT_URLCONF = 'mysite.urls'\nWSGI_APPLICATION = 'mysite.wsgi.application'\n"
    "INSTALLED_APPS = []\n"
    "MIDDLEWARE = ['django.middleware.csrf.CsrfViewMiddleware']\nDATABASES = {}\n",
    "mysite/views.py": "from django.http import JsonResponse\n"
    "from django.views.decorators.http import require_POST\n\n\n"
    "def about(request):\n    return JsonResponse({'page': 'about'})\n\n\n"
    "@require_POST\ndef subscribe(request):\n    return JsonResponse({'ok': True})\n",
    "mysite/urls.py": "from django.urls import path\n\nfrom mysite import views\n\n"
    "urlpatterns = [path('about/', views.about), path('subscribe/', views.subscribe)]\n",
    "mysite/wsgi.py": "import os\n\nfrom django.core.wsgi import get_wsgi_application\n\n"
    "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n"
    "application = get_wsgi_application()\n",
}


def test_run_probes_a_working_django_project_and_notes_the_csrf_403(
    make_project: MakeProject,
) -> None:
    # A real cold start under vercel_runtime: GET /, GET /about/, POST /subscribe/ (CSRF 403).
    findings = run_findings(make_project(DJANGO))
    assert [(f.id, f.severity, f.message.split(" answered ")[0]) for f in findings] == [
        ("run-answered", "info", "`GET /`"),
        ("run-answered", "info", "`GET /about/`"),
        ("run-probe-refused", "info", "`POST /subscribe/`"),
    ]
    assert "answered 200 (warm instance)" in findings[1].message
    assert "answered 403 (Django's CSRF protection" in findings[2].message
