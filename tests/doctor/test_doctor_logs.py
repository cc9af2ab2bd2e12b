"""``vercel-lab doctor --log``: realistic Vercel build and function logs become findings with
the right check, category, and the file and line of the last frame in the user's code."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import MakeProject
from vercel_lab.doctor import check_log
from vercel_lab.doctor.checks.log import user_location
from vercel_lab.doctor.registry import CHECKS
from vercel_lab.logs import parse_tracebacks

IMPORT = (
    'could not import "api/index.py":\n'
    "Traceback (most recent call last):\n"
    '  File "/var/task/_vendor/vercel_runtime/vc_init.py", line 564, in <module>\n'
    "    __vc_module = import_module(_entrypoint_modname, _entrypoint_abs)\n"
    '  File "/var/task/_vendor/vercel_runtime/resolver.py", line 24, in import_module\n'
    "    spec.loader.exec_module(mod)\n"
    '  File "<frozen importlib._bootstrap_external>", line 999, in exec_module\n'
    '  File "<frozen importlib._bootstrap>", line 488, in _call_with_frames_removed\n'
)
EXITED = "Error: Runtime exited with error: exit status 1\n"
REQUEST = (
    "----------------------------------------\n"
    "Exception occurred during processing of request from ('127.0.0.1', 57938)\n"
    "Traceback (most recent call last):\n"
    '  File "/var/lang/lib/python3.12/socketserver.py", line 692, in process_request_thread\n'
    "    self.finish_request(request, client_address)\n"
    '  File "/var/task/_vendor/vercel_runtime/vc_init.py", line 1171, in handle_request\n'
    "    response = wsgi_user_app(env, start_response)\n"
)
DISCONNECTED = (
    "----------------------------------------\n"
    "[ERROR] RemoteDisconnected: Remote end closed connection without response\n"
)
DJANGO_500 = (
    "Internal Server Error: /blog/3/\n"
    "Traceback (most recent call last):\n"
    '  File "/var/task/_vendor/django/core/handlers/exception.py", line 55, in inner\n'
    "    response = get_response(request)\n"
)

# check id -> (log, the file and line the finding names)
CASES: dict[str, tuple[str, tuple[str | None, int | None]]] = {
    "log-handler-got-environ": (
        REQUEST + '  File "/var/task/api/index.py", line 30, in handler\n'
        '    "REQUEST_METHOD": req.method,\n'
        "AttributeError: 'dict' object has no attribute 'method'\n" + DISCONNECTED,
        ("api/index.py", 30),
    ),
    "log-handler-not-class": (
        "Traceback (most recent call last):\n"
        '  File "/var/task/vc__handler__python.py", line 305, in <module>\n'
        "    if not inspect.iscoroutinefunction(__vc_module.app) and issubclass(base, "
        "BaseHTTPRequestHandler):\n"
        "TypeError: issubclass() arg 1 must be a class\n" + EXITED,
        (None, None),
    ),
    "log-response-not-bytes": (
        REQUEST + '  File "/var/lang/lib/python3.12/socketserver.py", line 840, in write\n'
        "    self._sock.sendall(b)\n"
        "TypeError: a bytes-like object is required, not 'str'\n" + DISCONNECTED,
        (None, None),
    ),
    "log-handler-interface": (
        "Could not determine the application interface for 'api.index:handler'\n"
        "Expected either:\n"
        "  - an ASGI app: async callable(scope, receive, send)\n"
        "  - a WSGI app: callable(environ, start_response)\n" + EXITED,
        (None, None),
    ),
    "log-application-interface": (
        "Could not determine the application interface for 'main:app'\n"
        "Expected either:\n"
        "  - an ASGI app: async callable(scope, receive, send)\n" + EXITED,
        (None, None),
    ),
    "log-missing-variable": (
        'missing variable "app" in file "api.index".\n'
        "See the docs: https://vercel.com/docs/functions/serverless-functions/runtimes/python\n"
        + EXITED,
        (None, None),
    ),
    "log-entrypoint-not-found": (
        'Running "vercel build"\n'
        'Error: Could not find a top-level "app", "application", or "handler" in '
        '"api/index.py".\n'
        "Learn More: https://vercel.com/docs/functions/runtimes/python#python-entrypoints\n",
        ("api/index.py", None),
    ),
    "log-module-not-found-local": (
        IMPORT + '  File "/var/task/api/index.py", line 4, in <module>\n'
        "    from api.helpers import slugify\n"
        "ModuleNotFoundError: No module named 'api.helpers'\n" + EXITED,
        ("api/index.py", 4),
    ),
    "log-module-not-found": (
        IMPORT + '  File "/var/task/api/index.py", line 3, in <module>\n'
        "    from dotenv import load_dotenv\n"
        "ModuleNotFoundError: No module named 'dotenv'\n" + EXITED,
        ("api/index.py", 3),
    ),
    "log-cannot-import-name": (
        IMPORT + '  File "/var/task/app.py", line 1, in <module>\n'
        "    from flask import Flask\n"
        '  File "/var/task/_vendor/flask/__init__.py", line 7, in <module>\n'
        "    from .app import Flask as Flask\n"
        "ImportError: cannot import name 'url_quote' from 'werkzeug.urls' "
        "(/var/task/_vendor/werkzeug/urls.py)\n" + EXITED,
        ("app.py", 1),
    ),
    "log-pip-failed": (
        "Installing required dependencies from requirements.txt...\n"
        "    error: subprocess-exited-with-error\n"
        "    Error: pg_config executable not found.\n",
        (None, None),
    ),
    "log-env-var": (
        IMPORT + '  File "/var/task/app/db.py", line 5, in <module>\n'
        '    engine = create_engine(os.environ["DATABASE_URL"])\n'
        '  File "<frozen os>", line 714, in __getitem__\n'
        "KeyError: 'DATABASE_URL'\n" + EXITED,
        ("app/db.py", 5),
    ),
    "log-env-improperly-configured": (
        IMPORT + '  File "/var/task/config/settings.py", line 31, in <module>\n'
        '    DATABASES = {"default": env.db("DATABASE_URL")}\n'
        '  File "/var/task/_vendor/environ/environ.py", line 392, in get_value\n'
        "    raise ImproperlyConfigured(error_msg) from exc\n"
        "django.core.exceptions.ImproperlyConfigured: Set the DATABASE_URL environment "
        "variable\n" + EXITED,
        ("config/settings.py", 31),
    ),
    "log-read-only-fs": (
        "Traceback (most recent call last):\n"
        '  File "/var/lang/lib/python3.12/logging/__init__.py", line 1263, in _open\n'
        "    return open_func(self.baseFilename, self.mode,\n"
        "OSError: [Errno 30] Read-only file system: '/var/task/logs/portfolio.log'\n\n"
        "The above exception was the direct cause of the following exception:\n\n"
        + IMPORT
        + '  File "/var/task/api/index.py", line 20, in <module>\n'
        "    app = get_wsgi_application()\n"
        '  File "/var/lang/lib/python3.12/logging/config.py", line 588, in configure\n'
        "    raise ValueError('Unable to configure handler '\n"
        "ValueError: Unable to configure handler 'file'\n" + EXITED,
        ("api/index.py", 20),
    ),
    "log-sqlite-readonly": (
        DJANGO_500 + '  File "/var/task/accounts/views.py", line 21, in signup\n'
        "    user.save()\n"
        '  File "/var/task/_vendor/django/db/backends/sqlite3/base.py", line 329, in execute\n'
        "    return super().execute(query, params)\n"
        "django.db.utils.OperationalError: attempt to write a readonly database\n",
        ("accounts/views.py", 21),
    ),
    "log-disallowed-host": (
        "2025-03-02T10:14:07.112Z [warning] Invalid HTTP_HOST header: "
        "'portfolio-git-main-jdoe.vercel.app'. You may need to add "
        "'portfolio-git-main-jdoe.vercel.app' to ALLOWED_HOSTS.\n"
        "2025-03-02T10:14:07.115Z [warning] Bad Request: /\n",
        (None, None),
    ),
    "log-improperly-configured": (
        IMPORT + '  File "/var/task/api/index.py", line 9, in <module>\n'
        "    app = get_wsgi_application()\n"
        '  File "/var/task/_vendor/django/conf/__init__.py", line 81, in __getattr__\n'
        '    raise ImproperlyConfigured("The SECRET_KEY setting must not be empty.")\n'
        "django.core.exceptions.ImproperlyConfigured: The SECRET_KEY setting must not be "
        "empty.\n" + EXITED,
        ("api/index.py", 9),
    ),
    "log-timeout": (
        "[GET] /api/scrape status=504\n"
        "Vercel Runtime Timeout Error: Task timed out after 10 seconds\n",
        (None, None),
    ),
    "log-payload-too-large": (
        "POST /api/upload 413\nFUNCTION_PAYLOAD_TOO_LARGE\niad1::8mzqt-1717171717171-3c8a2f\n",
        (None, None),
    ),
    "log-bundle-too-large": (
        "Error: A Serverless Function has exceeded the unzipped maximum size of 250 MB. : "
        "https://vercel.link/serverless-function-size\n",
        (None, None),
    ),
    "log-python-version": (
        'Warning: Python version "3.9" detected in .python-version is not installed and will '
        "be ignored. https://vercel.link/python-version\nUsing python version: 3.12\n",
        (None, None),
    ),
    "log-vercel-json": (
        "Error: Function Runtimes must have a valid version, for example `now-php@1.0.0`.\n",
        ("vercel.json", None),
    ),
    "log-static-not-found": (
        "2025-05-04T09:12:44.001Z [warning] Not Found: /static/css/style.css\n",
        (None, None),
    ),
    "log-view-exception": (
        DJANGO_500 + '  File "/var/task/blog/views.py", line 14, in post_detail\n'
        '    return render(request, "blog/post_detail.html", {"post": post})\n'
        '  File "/var/task/_vendor/django/template/loader.py", line 19, in get_template\n'
        "    raise TemplateDoesNotExist(template_name, chain=chain)\n"
        "django.template.exceptions.TemplateDoesNotExist: blog/post_detail.html\n",
        ("blog/views.py", 14),
    ),
    "log-request-crashed": (
        REQUEST + '  File "/var/task/api/index.py", line 12, in app\n'
        "    ratio = hits / misses\n"
        "ZeroDivisionError: division by zero\n" + DISCONNECTED,
        ("api/index.py", 12),
    ),
    "log-syntax-error": (
        IMPORT + '  File "/var/task/api/index.py", line 12\n'
        "    def home()\n"
        "              ^\n"
        "SyntaxError: expected ':'\n" + EXITED,
        ("api/index.py", 12),
    ),
    "log-import-crash": (
        IMPORT + '  File "/var/task/api/index.py", line 6, in <module>\n'
        "    config = load_config()\n"
        '  File "/var/task/api/_config.py", line 11, in load_config\n'
        "    raise RuntimeError('config.yaml is missing')\n"
        "RuntimeError: config.yaml is missing\n" + EXITED,
        ("api/_config.py", 11),
    ),
    "log-out-of-memory": (
        "REPORT RequestId: 3f2a Duration: 812.1 ms Memory Size: 1024 MB Max Memory Used: "
        "1024 MB\nError: Runtime exited with error: signal: killed\n",
        (None, None),
    ),
    "log-runtime-exited": (EXITED, (None, None)),
    "log-builds-warning": (
        "WARN! Due to `builds` existing in your configuration file, the Build and Development "
        "Settings defined in your Project Settings will not apply.\n",
        ("vercel.json", None),
    ),
    "log-unrecognised": ("GET / 200\nGET /about/ 200\n", (None, None)),
}

_CORPUS = Path(__file__).resolve().parent / "corpus_logs"
# The checks of issue 12's families, each from a real-shaped log of the corpus.
CASES.update(
    {
        check_id: ((_CORPUS / f"{stem}.log").read_text(), where)
        for check_id, stem, where in (
            ("log-build-uv-lock", "09-build-uv-lock-no-project-table", (None, None)),
            (
                "log-build-manifest-parse",
                "11-build-requirements-unparseable",
                ("requirements.txt", None),
            ),
            ("log-build-django-settings", "12-build-django-settings-stale-root", (None, None)),
            (
                "log-build-python-interpreter",
                "13-build-python-311-no-interpreter",
                (".python-version", None),
            ),
            ("log-own-module-shadowed", "17-own-module-shadows-package-create-app", ("app.py", 1)),
            ("log-namespace-package", "18-namespace-folder-unknown-location", ("index.py", 1)),
            ("log-stdlib-removed", "19-removed-stdlib-distutils", ("api/index.py", 1)),
            ("log-env-var-named", "01-timestamped-secret-key-at-import", ("app/config.py", 15)),
            ("log-silent-500", "23-django-debug-false-silent-500-lambda", (None, None)),
            ("log-old-runtime", "27-collapsed-one-line-paste", (None, None)),
        )
    }
)
CASES["log-build-step-failed"] = (
    "Installing required dependencies from uv.lock...\n"
    'Error: Expected "pyproject.toml" next to "uv.lock" in "/vercel/path0"\n',
    (None, None),
)

CLEAN_LOG = (
    '127.0.0.1 - - [29/Nov/2026 01:36:04] "GET / HTTP/1.1" 200 -\n'
    "portfolio: DJANGO_SECRET_KEY is not set; using a random key for this process.\n"
)


def test_every_log_check_has_a_realistic_log() -> None:
    assert {c.id for c in CHECKS.values() if c.source == "log"} == set(CASES)


@pytest.mark.parametrize("check_id", sorted(CASES))
def test_log_is_classified_with_the_last_user_frame(check_id: str) -> None:
    log, (file, line) = CASES[check_id]
    first = check_log(log)[0]
    assert (first.id, first.category, first.file, first.line) == (
        check_id,
        CHECKS[check_id].category,
        file,
        line,
    )


@pytest.mark.parametrize("check_id", sorted(set(CASES) - {"log-unrecognised"}))
def test_a_healthy_log_triggers_no_log_check(check_id: str) -> None:
    assert check_id not in {f.id for f in check_log(CLEAN_LOG)}


def test_a_healthy_log_is_reported_as_unrecognised() -> None:
    assert [f.id for f in check_log(CLEAN_LOG)] == ["log-unrecognised"]


def test_generic_lines_give_way_to_the_cause() -> None:
    # The runtime's exit line and RemoteDisconnected repeat what the traceback explains.
    ids = [f.id for f in check_log(CASES["log-handler-got-environ"][0] + EXITED)]
    assert ids == ["log-handler-got-environ"]


def test_a_keyerror_that_is_not_the_environment_is_a_crash_in_a_view() -> None:
    log = (
        DJANGO_500 + '  File "/var/task/shop/views.py", line 8, in cart\n'
        "    item = CATALOGUE[request.GET['sku']]\n"
        "KeyError: 'sku-42'\n"
    )
    (finding,) = check_log(log)
    assert (finding.id, finding.file, finding.line) == ("log-view-exception", "shop/views.py", 8)
    assert finding.message == (
        "A request raised `KeyError: 'sku-42'` inside the app: the framework answered 500 (the "
        "function itself kept running)."
    )


def test_bytes_error_in_user_code_is_not_blamed_on_the_handler_shape() -> None:
    log = (
        DJANGO_500 + '  File "/var/task/files/views.py", line 30, in download\n'
        "    handle.write(text)\n"
        "TypeError: a bytes-like object is required, not 'str'\n"
    )
    assert [f.id for f in check_log(log)] == ["log-view-exception"]


def test_module_not_found_is_local_when_the_project_has_it(make_project: MakeProject) -> None:
    root = make_project({"api/index.py": "from helpers import x\n", "api/helpers.py": "x = 1\n"})
    log = (
        IMPORT + '  File "/var/task/api/index.py", line 1, in <module>\n'
        "    from helpers import x\n"
        "ModuleNotFoundError: No module named 'helpers'\n"
    )
    assert check_log(log)[0].id == "log-module-not-found"
    assert check_log(log, root)[0].id == "log-module-not-found-local"


def test_local_paths_are_made_relative_to_the_project(tmp_path: Path) -> None:
    log = (
        f'  File "{tmp_path}/api/index.py", line 30, in handler\n'
        "AttributeError: 'dict' object has no attribute 'method'\n"
    )
    tb = parse_tracebacks("Traceback (most recent call last):\n" + log)[0]
    assert user_location(tb, tmp_path) == ("api/index.py", 30)
    assert user_location(tb, None) == (f"{tmp_path}/api/index.py", 30)


def test_a_chained_traceback_borrows_the_location_of_its_consequence() -> None:
    tracebacks = parse_tracebacks(CASES["log-read-only-fs"][0])
    assert [tb.exception for tb in tracebacks] == ["OSError", "ValueError"]
    assert user_location(tracebacks[0], None) == ("api/index.py", 20)


def test_timeout_message_names_the_limit_from_the_log() -> None:
    (finding,) = check_log(CASES["log-timeout"][0])
    assert finding.message == (
        "The function did not answer within its maximum duration (10 s): the platform stopped "
        "it and the client got 504 FUNCTION_INVOCATION_TIMEOUT."
    )


def test_read_only_path_is_shown_relative_to_the_project() -> None:
    assert check_log(CASES["log-read-only-fs"][0])[0].message == (
        "`OSError: [Errno 30] Read-only file system` (`logs/portfolio.log`): the code writes "
        "inside the deployment, where only /tmp is writable."
    )


@pytest.mark.parametrize(
    "text",
    [b"\x00\x01\x02\xff" * 1000, b"Traceback (most recent call last):\n" * 500, b""],
    ids=["binary", "tracebacks-without-frames", "empty"],
)
def test_odd_logs_are_unrecognised_not_errors(text: bytes) -> None:
    assert [f.id for f in check_log(text.decode("utf-8", "replace"))] == ["log-unrecognised"]
