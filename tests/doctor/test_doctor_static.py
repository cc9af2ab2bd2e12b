"""Every static check of ``vercel-lab doctor`` fires on a tiny project that has the problem and
stays quiet on the same project fixed."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MakeProject

from vercel_lab.doctor import check_project
from vercel_lab.doctor.registry import CHECKS

WSGI = "def app(environ, start_response):\n    start_response('200 OK', [])\n    return [b'ok']\n"
HANDLER_CLASS = (
    "from http.server import BaseHTTPRequestHandler\n\n\n"
    "class handler(BaseHTTPRequestHandler):\n"
    "    def do_GET(self):\n"
    "        self.send_response(200)\n"
    "        self.end_headers()\n"
)
FLASK = "from flask import Flask\n\napp = Flask(__name__)\n"
MANAGE = (
    "import os\nimport sys\n\n"
    "if __name__ == '__main__':\n"
    "    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n"
    "    from django.core.management import execute_from_command_line\n"
    "    execute_from_command_line(sys.argv)\n"
)
SETTINGS = (
    "import os\n"
    "from pathlib import Path\n\n"
    "BASE_DIR = Path(__file__).resolve().parent.parent\n"
    "SECRET_KEY = os.environ.get('DJANGO_SECRET_KEY')\n"
    "DEBUG = os.environ.get('DJANGO_DEBUG') == '1'\n"
    "ALLOWED_HOSTS = ['.vercel.app']\n"
    "INSTALLED_APPS = ['django.contrib.staticfiles']\n"
    "MIDDLEWARE = ['django.middleware.security.SecurityMiddleware',\n"
    "              'whitenoise.middleware.WhiteNoiseMiddleware']\n"
    "ROOT_URLCONF = 'mysite.urls'\n"
    "WSGI_APPLICATION = 'mysite.wsgi.application'\n"
    "DATABASES = {}\n"
    "STATIC_URL = '/static/'\n"
    "WHITENOISE_USE_FINDERS = True\n"
)
DJANGO_WSGI = (
    "import os\n\nfrom django.core.wsgi import get_wsgi_application\n\n"
    "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n"
    "application = get_wsgi_application()\n"
)
API_INDEX = (
    "import os\nimport sys\nfrom pathlib import Path\n\n"
    "sys.path.insert(0, str(Path(__file__).resolve().parent.parent))\n"
    "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n\n"
    "from django.core.wsgi import get_wsgi_application\n\n"
    "app = get_wsgi_application()\n"
)
REWRITE = '{"rewrites": [{"source": "/(.*)", "destination": "/api/index"}]}'


def django(extra: str = "", **files: str) -> dict[str, str]:
    """A Django project in Vercel's Django layout (manage.py + WSGI_APPLICATION); ``extra``
    settings lines override the good defaults."""
    project = {
        "manage.py": MANAGE,
        "mysite/__init__.py": "",
        "mysite/settings.py": SETTINGS + extra,
        "mysite/urls.py": "urlpatterns = []\n",
        "mysite/wsgi.py": DJANGO_WSGI,
        "requirements.txt": "django\nwhitenoise\n",
    }
    project.update({k.replace("__", "/").replace("_DOT_", "."): v for k, v in files.items()})
    return project


def django_api(extra: str = "") -> dict[str, str]:
    """The same settings served from api/index.py (no manage.py): nothing collects static."""
    project = django(extra)
    del project["manage.py"], project["mysite/wsgi.py"]
    project.update({"api/index.py": API_INDEX, "vercel.json": REWRITE})
    return project


def flask(source: str, requirements: str = "flask\n") -> dict[str, str]:
    return {"app.py": source, "requirements.txt": requirements}


# check id -> (a project that has the problem, the same project without it)
CASES: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "handler-node-signature": (
        {"api/index.py": "def handler(req, res):\n    return None\n"},
        {"api/index.py": WSGI},
    ),
    "handler-lambda-signature": (
        {"api/index.py": "def handler(event, context):\n    return None\n"},
        {"api/index.py": WSGI},
    ),
    "handler-single-argument": (
        {"api/index.py": "def handler(request):\n    return 'hi'\n"},
        {"api/index.py": WSGI},
    ),
    "node-response-calls": (
        {"api/index.py": "def handler(req, res):\n    res.status(200)\n    res.send('hi')\n"},
        flask(
            FLASK + "import requests\n\n\n@app.get('/')\ndef view():\n"
            "    response = requests.get('https://example.com', timeout=5)\n"
            "    return response.json()\n",
            "flask\nrequests\n",
        ),
    ),
    "lambda-response-dict": (
        {"api/index.py": "def handler(event, context):\n    return {'statusCode': 200}\n"},
        flask(FLASK + "\n\n@app.get('/')\ndef view():\n    return {'statusCode': 200}\n"),
    ),
    "lambda-adapter": (
        {
            "main.py": "from fastapi import FastAPI\nfrom mangum import Mangum\n\n"
            "api = FastAPI()\napp = Mangum(api)\n",
            "requirements.txt": "fastapi\nmangum\n",
        },
        {
            "main.py": "from fastapi import FastAPI\nfrom mangum import Mangum\n\n"
            "app = FastAPI()\nhandler = Mangum(app)\n",
            "requirements.txt": "fastapi\nmangum\n",
        },
    ),
    "app-not-callable": (
        {"api/index.py": "app = {'status': 'ok'}\n"},
        {"api/index.py": WSGI},
    ),
    "app-wrong-arity": (
        {"api/index.py": "def app(environ, start_response, extra):\n    return []\n"},
        {"api/index.py": "async def app(scope, receive, send):\n    return None\n"},
    ),
    "handler-class-not-request-handler": (
        {"api/index.py": "class handler:\n    def do_GET(self):\n        pass\n"},
        {"api/index.py": HANDLER_CLASS},
    ),
    "app-under-main-guard": (
        flask(
            "from flask import Flask\n\n\ndef create_app():\n    return Flask(__name__)\n\n\n"
            "if __name__ == '__main__':\n    app = create_app()\n    app.run()\n"
        ),
        flask(
            "from flask import Flask\n\n\ndef create_app():\n    return Flask(__name__)\n\n\n"
            "app = create_app()\n\nif __name__ == '__main__':\n    app.run()\n"
        ),
    ),
    "app-not-top-level": (
        {
            "api/index.py": "import os\n\nif os.environ.get('VERCEL'):\n"
            "    def app(environ, start_response):\n        return []\n"
        },
        {"api/index.py": "import os\n\n" + WSGI},
    ),
    "wsgi-function-named-handler": (
        {"api/index.py": WSGI.replace("def app", "def handler")},
        {"api/index.py": WSGI},
    ),
    "api-function-not-detected": (
        {"api/index.py": "from flask import Flask\n\nserver = Flask(__name__)\n"},
        {"api/index.py": FLASK},
    ),
    "api-file-not-a-function": (
        {"api/index.py": HANDLER_CLASS, "api/helpers.py": "def slug(text):\n    return text\n"},
        {"api/index.py": HANDLER_CLASS, "api/_helpers.py": "def slug(text):\n    return text\n"},
    ),
    "syntax-error": (
        {"api/index.py": "def app(environ, start_response)\n    return []\n"},
        {"api/index.py": WSGI},
    ),
    "sys-path-outside-project": (
        {"api/index.py": "import sys\n\nsys.path.insert(0, '/Users/me/shared')\n\n" + WSGI},
        {
            "api/index.py": "import sys\nfrom pathlib import Path\n\n"
            "sys.path.insert(0, str(Path(__file__).resolve().parent.parent))\n\n" + WSGI
        },
    ),
    "settings-module-missing": (
        {k: v for k, v in django_api().items() if not k.startswith("mysite/")},
        django_api(),
    ),
    "import-not-on-sys-path": (
        {"api/index.py": "from helpers import slug\n\n" + WSGI, "api/helpers.py": "slug = str\n"},
        {
            "api/index.py": "from api.helpers import slug\n\n" + WSGI,
            "api/helpers.py": "slug = str\n",
        },
    ),
    "installed-app-missing": (
        django("INSTALLED_APPS = [*INSTALLED_APPS, 'blog']\n"),
        django("INSTALLED_APPS = [*INSTALLED_APPS, 'blog']\n", blog____init___DOT_py=""),
    ),
    "wsgi-application-missing": (
        {k: v for k, v in django().items() if k != "mysite/wsgi.py"},
        django(),
    ),
    "undeclared-import": (
        flask(FLASK + "import markdown\n"),
        flask(FLASK + "import markdown\n", "flask\nMarkdown>=3.6\n"),
    ),
    "env-required-at-import": (
        flask(FLASK + "import os\n\nAPI_KEY = os.environ['API_KEY']\n"),
        flask(FLASK + "import os\n\n\ndef key():\n    return os.environ['API_KEY']\n"),
    ),
    "logging-file-handler": (
        flask(FLASK + "import logging\n\nlogging.basicConfig(filename='app.log')\n"),
        flask(FLASK + "import logging\n\nlogging.basicConfig(filename='/tmp/app.log')\n"),
    ),
    "write-at-import": (
        flask(FLASK + "with open('cache.json', 'w') as f:\n    f.write('{}')\n"),
        flask(FLASK + "with open('/tmp/cache.json', 'w') as f:\n    f.write('{}')\n"),
    ),
    "sqlite-database": (
        django(
            "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', "
            "'NAME': BASE_DIR / 'db.sqlite3'}}\n"
        ),
        django(
            "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', "
            "'NAME': '/tmp/db.sqlite3'}}\n"
        ),
    ),
    "allowed-hosts-local-only": (django("ALLOWED_HOSTS = ['localhost']\n"), django()),
    "secret-key-empty": (django("SECRET_KEY = ''\n"), django()),
    "sleep-exceeds-max-duration": (
        {
            "api/index.py": "import time\n\n"
            + WSGI.replace("    start", "    time.sleep(3)\n    start"),
            "vercel.json": '{"functions": {"api/index.py": {"maxDuration": 1}}}',
        },
        {
            "api/index.py": "import time\n\n"
            + WSGI.replace("    start", "    time.sleep(0.5)\n    start"),
            "vercel.json": '{"functions": {"api/index.py": {"maxDuration": 1}}}',
        },
    ),
    "bundle-too-large": (flask(FLASK, "flask\ntorch\n"), flask(FLASK)),
    "config-file-invalid": (
        {"api/index.py": HANDLER_CLASS, "vercel.json": "{"},
        {"api/index.py": HANDLER_CLASS, "vercel.json": "{}"},
    ),
    "functions-runtime-invalid": (
        {
            "api/index.py": HANDLER_CLASS,
            "vercel.json": '{"functions": {"api/index.py": {"runtime": "python3.9"}}}',
        },
        {
            "api/index.py": HANDLER_CLASS,
            "vercel.json": '{"functions": {"api/index.py": {"runtime": "vercel-php@0.7.3"}}}',
        },
    ),
    "unknown-builder": (
        flask(FLASK) | {"vercel.json": '{"builds": [{"src": "app.py", "use": "@now/python"}]}'},
        flask(FLASK) | {"vercel.json": '{"builds": [{"src": "app.py", "use": "@vercel/python"}]}'},
    ),
    "builder-config-error": (
        flask(FLASK)
        | {
            "vercel.json": '{"builds": [{"src": "app.py", "use": "@vercel/python"}],'
            ' "functions": {"app.py": {"maxDuration": 5}}}'
        },
        flask(FLASK) | {"vercel.json": '{"functions": {"app.py": {"maxDuration": 5}}}'},
    ),
    "functions-pattern-unmatched": (
        {
            "api/index.py": HANDLER_CLASS,
            "vercel.json": '{"functions": {"api/main.py": {"maxDuration": 5}}}',
        },
        {
            "api/index.py": HANDLER_CLASS,
            "vercel.json": '{"functions": {"api/*.py": {"maxDuration": 5}}}',
        },
    ),
    "rewrite-to-missing-function": (
        {"api/index.py": HANDLER_CLASS, "vercel.json": REWRITE.replace("/api/index", "/api/main")},
        {"api/index.py": HANDLER_CLASS, "vercel.json": REWRITE},
    ),
    "builder-entrypoint-not-found": (
        flask("from flask import Flask\n\nserver = Flask(__name__)\n"),
        flask(FLASK),
    ),
    "django-settings-build-failed": (
        django() | {"manage.py": MANAGE.replace("mysite.settings", "nope.settings")},
        django(),
    ),
    "python-version-discontinued": (
        {"api/index.py": HANDLER_CLASS, ".python-version": "3.6\n"},
        {"api/index.py": HANDLER_CLASS, ".python-version": "3.12\n"},
    ),
    "python-version-file-invalid": (
        {"api/index.py": HANDLER_CLASS, ".python-version": "# pick one later\n"},
        {"api/index.py": HANDLER_CLASS, ".python-version": "3.13\n"},
    ),
    "source-exposed": (
        {"api/index.py": HANDLER_CLASS, "settings.py": "TOKEN = 'x'\n"},
        {"api/index.py": HANDLER_CLASS, "settings.py": "TOKEN = 'x'\n", "public/a.txt": "a\n"},
    ),
    "files-published": (
        {"api/index.py": HANDLER_CLASS, "README.md": "# hi\n"},
        {"api/index.py": HANDLER_CLASS, "README.md": "# hi\n", "public/index.html": "<p>\n"},
    ),
    "write-in-request": (
        flask(FLASK + "\n\n@app.post('/')\ndef save():\n    open('data.txt', 'a').write('x')\n"),
        flask(
            FLASK + "\n\n@app.post('/')\ndef save():\n    open('/tmp/data.txt', 'a').write('x')\n"
        ),
    ),
    "allowed-hosts-no-vercel": (
        django("ALLOWED_HOSTS = ['example.com']\n"),
        django("ALLOWED_HOSTS = ['.vercel.app', 'example.com']\n"),
    ),
    "allowed-hosts-wildcard": (django("ALLOWED_HOSTS = ['*']\n"), django()),
    "debug-on": (django("DEBUG = True\n"), django()),
    "secret-key-hardcoded": (django("SECRET_KEY = 'django-insecure-abc123'\n"), django()),
    "static-not-served": (
        django_api("MIDDLEWARE = ['django.middleware.security.SecurityMiddleware']\n"),
        django_api(),
    ),
    "static-not-collected": (
        django_api("WHITENOISE_USE_FINDERS = False\n"),
        django_api(),
    ),
    "heavy-dependencies": (flask(FLASK, "flask\nscipy\npandas\npyarrow\n"), flask(FLASK)),
    "http-call-without-timeout": (
        flask(
            FLASK + "import requests\n\n\n@app.get('/')\ndef view():\n"
            "    return requests.get('https://example.com').text\n",
            "flask\nrequests\n",
        ),
        flask(
            FLASK + "import requests\n\n\n@app.get('/')\ndef view():\n"
            "    return requests.get('https://example.com', timeout=5).text\n",
            "flask\nrequests\n",
        ),
    ),
    "python-version-not-offered": (
        flask(FLASK) | {".python-version": "3.9\n"},
        flask(FLASK) | {".python-version": "3.12\n"},
    ),
    "legacy-builds": (
        flask(FLASK) | {"vercel.json": '{"builds": [{"src": "app.py", "use": "@vercel/python"}]}'},
        flask(FLASK) | {"vercel.json": REWRITE},
    ),
    "legacy-routes": (
        flask(FLASK) | {"vercel.json": '{"routes": [{"src": "/(.*)", "dest": "/"}]}'},
        flask(FLASK) | {"vercel.json": REWRITE},
    ),
    "traceback-in-response": (
        flask(
            FLASK + "import traceback\n\n\n@app.get('/')\ndef view():\n    try:\n"
            "        return 1 / 0\n    except ZeroDivisionError:\n"
            "        return traceback.format_exc(), 500\n"
        ),
        flask(
            FLASK + "import logging\n\n\n@app.get('/')\ndef view():\n    try:\n"
            "        return 1 / 0\n    except ZeroDivisionError:\n"
            "        logging.exception('failed')\n        return 'Something went wrong', 500\n"
        ),
    ),
    "import-errors-swallowed": (
        flask(
            "from flask import Flask\n\ntry:\n    app = Flask(__name__)\n"
            "except Exception:\n    app = None\n"
        ),
        flask(
            "from flask import Flask\n\ntry:\n    app = Flask(__name__)\n"
            "except Exception:\n    print('start-up failed')\n    raise\n"
        ),
    ),
    "could-not-read": (
        {"api/index.py": "from api.text import x\n\n" + WSGI, "api/text.py": "x = 'caf\udce9'\n"},
        {"api/index.py": "from api.text import x\n\n" + WSGI, "api/text.py": "x = 'café'\n"},
    ),
}


def _write(make_project: MakeProject, files: dict[str, str], name: str) -> Path:
    # Surrogate escapes stand for raw bytes (a file that is not UTF-8).
    encoded = {k: v.encode("utf-8", "surrogateescape") for k, v in files.items()}
    return make_project(encoded, name=name)


def test_every_static_check_has_a_fixture_pair() -> None:
    static = {c.id for c in CHECKS.values() if c.source == "static"}
    assert static - {"large-project-files", "check-failed"} == set(CASES)


@pytest.mark.parametrize("check_id", sorted(CASES))
def test_check_fires_on_the_broken_project(make_project: MakeProject, check_id: str) -> None:
    findings = check_project(_write(make_project, CASES[check_id][0], "broken"))
    assert check_id in {f.id for f in findings}


@pytest.mark.parametrize("check_id", sorted(CASES))
def test_check_is_quiet_on_the_fixed_project(make_project: MakeProject, check_id: str) -> None:
    findings = check_project(_write(make_project, CASES[check_id][1], "fixed"))
    assert check_id not in {f.id for f in findings}


def test_large_project_files_are_reported_with_the_largest(make_project: MakeProject) -> None:
    root = make_project({"api/index.py": HANDLER_CLASS, "public/index.html": "<p>\n"})
    with open(root / "weights.bin", "wb") as handle:
        handle.truncate(120_000_000)  # sparse: no disk space used
    (finding,) = [f for f in check_project(root) if f.id == "large-project-files"]
    assert finding.message == (
        "The project's files total 120 MB (largest: `weights.bin`, 120 MB); all of them are "
        "bundled with the function and count toward its 500 MB limit."
    )


def test_a_small_project_has_no_size_finding(make_project: MakeProject) -> None:
    root = make_project({"api/index.py": HANDLER_CLASS, "data.bin": b"\0" * 1000})
    assert "large-project-files" not in {f.id for f in check_project(root)}
