"""Write the lab notebooks (labs/NN-*.ipynb) from this script, without outputs.

    python labs/_build_notebooks.py            # rewrite the notebooks in labs/
    python labs/_build_notebooks.py OUTDIR     # write them elsewhere (the tests compare)

The notebooks are generated so that they are reproducible (fixed cell ids, no outputs, no
execution counts) and so that the code a learner starts from is taken from the example projects
themselves. A learner edits real files: each file of a lab is written by a ``%%writefile`` cell
into the lab folder, ``work/NN-slug/`` beside the notebooks (inside the folder JupyterLab opens,
so the files can also be opened in JupyterLab's editor). Cells tagged ``exercise`` are the ones a
learner edits, ``given`` write files the lab provides; cells tagged ``check`` call a check from
``vercel_lab.labs``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
sys.path.insert(0, str(ROOT / "src"))
from vercel_lab.labs.workspace import LABS, WORK_FOLDER  # noqa: E402
from vercel_lab.site import SITE_URL  # noqa: E402

DOCS = SITE_URL.rstrip("/")

SETUP = """\
from vercel_lab import Function, Request, labs
from vercel_lab.examples import example

# Vercel's edge sends this header with every request; without it the portfolio's settings
# redirect plain-HTTP requests to https://.
HTTPS = (("x-forwarded-proto", "https"),)"""


def example_file(name: str, relative: str) -> str:
    return (EXAMPLES / name / relative).read_text(encoding="utf-8")


def without_docstring(source: str, docstring: str) -> str:
    """``source`` with its module docstring replaced by ``docstring``."""
    body = source.split('"""', 2)[2].lstrip("\n")
    return f'"""{docstring}"""\n\n{body}'


def path_in_lab(lab: str, relative: str) -> str:
    """Where ``relative`` of lab ``lab`` lives, seen from the notebooks' folder."""
    return f"{WORK_FOLDER}/{LABS[lab].folder_name}/{relative}"


def writefile(lab: str, relative: str, text: str, tag: str) -> nbformat.NotebookNode:
    """A ``%%writefile`` cell that writes ``text`` to the lab's file ``relative``."""
    return code(f"%%writefile {path_in_lab(lab, relative)}\n{text.rstrip()}\n", tags=[tag])


EDITOR = """\
Prefer an editor? The same file is in JupyterLab's file browser: `{path}`. Edit it there and
save, and do not run the `%%writefile` cell again (it would write its own text over yours)."""


def chapter(slug: str, title: str) -> str:
    return f"[{title}]({DOCS}/tutorial/{slug}.html)"


STUCK = """\
## Stuck?

Read the check's feedback first: it names the phase that failed, quotes the log line that
matters, and links to the section that explains it. If you are still stuck, a solution is one
call away (it is not printed anywhere in this notebook):

```python
print(labs.solution("{lab}"))          # shows it
labs.apply_solution("{lab}", work)     # writes it into your lab folder
```"""


def lab_01() -> list[nbformat.NotebookNode]:
    entrypoint = without_docstring(
        example_file("seed-broken", "api/index.py"),
        "The portfolio's Vercel Function, as the guide found it.",
    )
    vercel_json = example_file("fixed-api-index", "vercel.json")
    return [
        md(f"""\
# Lab 1 — The fix

**What you will achieve**

- see the guide's portfolio fail exactly as it fails on Vercel: first the build, then, pushed
  past the builder, every request;
- change `api/index.py` so that Vercel's Python runtime serves the Django portfolio;
- find out why neither the guide's `handler(request)` nor a Lambda-style handler would work.

Chapter: {chapter("01-the-fix", "1. The fix")}. About 10 minutes. Every cell runs the real
`vercel-runtime` in a child process on this machine; nothing is deployed."""),
        code(SETUP),
        md("""\
## 1. See it fail

`examples/seed-broken` is the guide's project as it was: Django behind `api/index.py`, whose
`handler(req, res)` was written as if Vercel called Python the way Express calls Node. Vercel
*builds* a project before anything runs, and the builder looks for the function first:"""),
        code("""\
with Function(example("seed-broken")) as function:
    outcome = function.invoke(Request("GET", "/", HTTPS))
outcome"""),
        md("""\
No deployment exists: the builder found no top-level `app`, `application` or `handler` class.
Push the file past the builder (`entrypoint=` does what `[tool.vercel] entrypoint` would) to
see what the runtime itself makes of `handler(req, res)`:"""),
        code("""\
with Function(example("seed-broken"), entrypoint="api/index.py:handler") as function:
    outcome = function.invoke(Request("GET", "/", HTTPS))
print(outcome.status, outcome.error_code, "phase:", outcome.phase)
outcome.log_lines("Error")"""),
        md("""\
A 500 `FUNCTION_INVOCATION_FAILED` on every request, and the function log says why: the runtime
called `handler` with a `dict` where the code expected a request object with `.method`.

## 2. Your lab folder

The next cell copies the guide's project into a folder of your own (the examples stay
untouched). Running it again starts the lab over."""),
        code('work = labs.start("01")'),
        md("""\
## 3. Exercise: fix `api/index.py`

The next cell replaces the guide's `vercel.json` with the one `examples/fixed-api-index` uses;
run it and leave it as it is. It sends every path to the function, as the guide's `routes` did,
in today's form. `"framework": null` keeps the project on Vercel's "Other" preset, where
`api/index.py` is a function of its own and Django sees the path the client asked for (under a
framework preset the rewrite's destination would become the path, and every page would be
`/api/index`)."""),
        writefile("01", "vercel.json", vercel_json, "given"),
        md(
            """\
The cell below writes the guide's `api/index.py` into your lab folder. **Change it so that the
file exposes Django's WSGI application as a top-level variable named `app`**:

- keep the lines that put the project on `sys.path` and set `DJANGO_SETTINGS_MODULE`;
- replace everything from `django.setup()` down with
  `from django.core.wsgi import get_wsgi_application` and `app = get_wsgi_application()`.

Run the cell (it writes the file), then run the check below it. Change, run, check again until
it says **passed**.

"""
            + EDITOR.format(path=path_in_lab("01", "api/index.py"))
        ),
        writefile("01", "api/index.py", entrypoint, "exercise"),
        code("labs.check_fix(work)", tags=["check"]),
        md("""\
The check tells apart the answers people most often try, among them keeping
`handler(req, res)`, the guide's `handler(request)`, and a Lambda-style `handler(event,
context)` returning a dict. Try one: the feedback says what the runtime would do with it.

## 4. Your function, as a client sees it"""),
        code("""\
with Function(work) as function:
    outcome = function.invoke(Request("GET", "/about/", HTTPS))
outcome"""),
        md(
            STUCK.replace("{lab}", "01")
            + "\n\nNext: **Lab 2 — Root cause** (`02-root-cause.ipynb`)."
        ),
    ]


def lab_02() -> list[nbformat.NotebookNode]:
    starter = """\
def app(req, res):
    # Node-style, as in the guide: read the request off `req`, answer through `res`.
    method = req.method
    path = req.path
    res.status(200)
    res.send(f"{method} {path}")"""
    return [
        md(f"""\
# Lab 2 — Root cause

**What you will achieve**

- see what Vercel's runtime really passes to a function with two parameters;
- write, by hand, the WSGI app it expects: `app(environ, start_response)`;
- learn the three rules of that contract the runtime enforces (a dict, a status line, bytes).

Chapter: {chapter("02-root-cause", "2. Root cause")}. About 10 minutes."""),
        code(SETUP),
        md("""\
## 1. See it fail

The runtime does not know `handler(req, res)`. It classifies what it finds: a
`BaseHTTPRequestHandler` class, an ASGI app, or a WSGI app, which is any callable taking exactly
two arguments. Two parameters: WSGI. So it calls `handler(environ, start_response)`:"""),
        code("""\
with Function(example("seed-broken"), entrypoint="api/index.py:handler") as function:
    outcome = function.invoke(Request("GET", "/", HTTPS))
outcome.log_lines("req.") + outcome.log_lines("Error")"""),
        md("""\
The same rule catches AWS Lambda's `handler(event, context)`: two parameters, so it is called
as WSGI too, and the dict it returns cannot be sent as a body:"""),
        code("""\
with Function(example("lambda-style"), entrypoint="api/index.py:handler") as function:
    outcome = function.invoke("/")
print(outcome.status, outcome.error_code, "phase:", outcome.phase)
outcome.log_lines("TypeError")"""),
        md(
            "## 2. Your lab folder\n\nA new, tiny project: `api/index.py` and a `vercel.json` "
            "that sends every path to it."
        ),
        code('work = labs.start("02")'),
        md("""\
## 3. Exercise: write the WSGI app by hand

The cell below writes your `api/index.py`; it starts as the guide's mistake in miniature.
**Rewrite `app` so that it
answers every request with status 200 and the body `METHOD PATH`**, for instance
`GET /projects/` or `POST /contact`:

- the first argument is `environ`, a dict: read `environ["REQUEST_METHOD"]` and
  `environ["PATH_INFO"]`;
- the second is `start_response`: call it once with the status line and the headers,
  `start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])`;
- return the body as a list of bytes: `[text.encode("utf-8")]`.

The check sends `GET /projects/` and `POST /contact` and compares the bodies.

"""
            + EDITOR.format(path=path_in_lab("02", "api/index.py"))
        ),
        writefile("02", "api/index.py", starter, "exercise"),
        code("labs.check_wsgi_app(work)", tags=["check"]),
        md("""\
Try the usual slips on purpose (return a `str` instead of bytes, forget `start_response`): the
check quotes what the runtime logs for each.

## 4. Your app, as a client sees it"""),
        code("""\
with Function(work) as function:
    outcome = function.invoke(Request("GET", "/projects/?page=2"))
outcome"""),
        md(
            STUCK.replace("{lab}", "02")
            + "\n\nNext: **Lab 3 — The mental model** (`03-mental-model.ipynb`)."
        ),
    ]


def lab_03() -> list[nbformat.NotebookNode]:
    starter = """\
def app(environ, start_response):
    count = 0  # the number of requests this instance has served
    count += 1
    start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
    return [f"This instance has served {count} request(s).".encode("utf-8")]"""
    return [
        md(f"""\
# Lab 3 — The mental model

**What you will achieve**

- watch an instance's life: a cold start imports your file, warm invocations reuse it;
- test the guide's claim that "serverless functions are stateless" and see where it is wrong;
- write a function whose state survives warm invocations and ends with its instance.

Chapter: {chapter("03-mental-model", "3. The mental model")}. About 10 minutes."""),
        code(SETUP),
        md("""\
## 1. See it

One `Function` is one instance, kept warm between invocations like Vercel's. The first
invocation is a cold start (it has a `cold_start_ms`); the next ones are warm; `reset()` throws
the instance away, so the next invocation is a cold start again:"""),
        code("""\
with Function(example("handler-class")) as function:
    first, second = function.invoke("/api"), function.invoke("/api")
    function.reset()
    third = function.invoke("/api")
for name, outcome in (("first", first), ("second", second), ("after reset", third)):
    print(f"{name:12} cold start: {outcome.cold_start_ms is not None}")"""),
        md("""\
Your module runs once per cold start, not once per request. Anything it defines at the top
level lives as long as the instance. The guide's "each invocation is independent" fails for
exactly that reason. The starting code below believes the guide; see it fail in the check.

## 2. Your lab folder"""),
        code('work = labs.start("03")'),
        md("""\
## 3. Exercise: count the requests of one instance

**Change `api/index.py` (the cell below writes it) so that `app` answers with the number of
requests this instance has served**: 1, then 2, then 3, and 1 again after a cold start.

- move `count = 0` to the top level of the file (it then runs once per cold start);
- inside `app`, declare `global count` before adding to it;
- keep the state in memory: the deployed files are read-only.

The check sends three requests to one warm instance, resets it, and sends one more.

"""
            + EDITOR.format(path=path_in_lab("03", "api/index.py"))
        ),
        writefile("03", "api/index.py", starter, "exercise"),
        code("labs.check_counter(work)", tags=["check"]),
        md("""\
## 4. One instance, many threads

Vercel's runtime serves concurrent requests on threads of one instance. Eight requests at once
to one warm instance (`invoke_many`): with the count working, the answers are 1 to 8 in some
order. That is also why the solution takes a lock."""),
        code("""\
with Function(work) as function:
    outcomes = function.invoke_many(["/"] * 8)
sorted(outcome.text for outcome in outcomes)"""),
        md(
            STUCK.replace("{lab}", "03")
            + "\n\nNext: **Lab 4 — Warning signs** (`04-warning-signs.ipynb`)."
        ),
    ]


def lab_04() -> list[nbformat.NotebookNode]:
    settings = example_file("readonly-fs", "portfolio/settings.py")
    settings = settings.split("# The fix:", 1)[0].rstrip() + "\n"
    settings = without_docstring(settings, "Settings for the warning-signs lab: log to a file.")
    return [
        md(f"""\
# Lab 4 — Warning signs

**What you will achieve**

- see a project that works on a laptop and fails on Vercel, and tell why from the log;
- fix it where the cause is (Django's `LOGGING`, not `api/index.py`);
- make sure errors still reach the only log Vercel keeps: what the function writes to stderr.

Chapter: {chapter("04-warning-signs", "4. Warning signs")}. About 10 minutes."""),
        code(SETUP),
        md("""\
## 1. See it fail

`examples/readonly-fs` has a correct `api/index.py`; its settings log to `logs/portfolio.log`
inside the project. A deployed function's files are read-only (only `/tmp` is writable), and
`Function` enforces that by default:"""),
        code("""\
with Function(example("readonly-fs")) as function:
    outcome = function.invoke(Request("GET", "/", HTTPS))
print(outcome.status, outcome.error_code, "phase:", outcome.phase)
outcome.log_lines("Errno 30")"""),
        md("""\
Phase `init`: Django configures logging while the runtime imports `api/index.py`, so every
cold start fails, whatever the path.

## 2. Your lab folder

A copy of `examples/readonly-fs`. On a laptop, where files are writable (`read_only=False`),
the very same project works; that is what makes this mistake easy to ship:"""),
        code("""\
work = labs.start("04")
with Function(work, read_only=False) as function:
    print(function.invoke(Request("GET", "/", HTTPS)).status, "with a writable filesystem")"""),
        md("""\
## 3. Exercise: log where Vercel can keep it

The cell below writes the project's `portfolio/settings.py`. **Change `LOGGING` so that Django
starts on a read-only filesystem and the traceback of a failing view reaches the function
log**: replace the `FileHandler` with a `logging.StreamHandler`, which writes to stderr.

The check requests `/` (must answer 200) and `/crash/`, a view that raises on purpose: Django
answers its 500 page, and its traceback must appear in the function log.

"""
            + EDITOR.format(path=path_in_lab("04", "portfolio/settings.py"))
        ),
        writefile("04", "portfolio/settings.py", settings, "exercise"),
        code("labs.check_logging(work)", tags=["check"]),
        md("""\
Creating the folder first, logging to `/tmp`, or opening the file lazily (`"delay": True`) are
the usual workarounds; try them, and read what the check says about each.

## 4. The function log of a failing view"""),
        code("""\
with Function(work) as function:
    outcome = function.invoke(Request("GET", "/crash/", HTTPS))
outcome.log_lines("Error")"""),
        md(
            STUCK.replace("{lab}", "04")
            + "\n\nNext: **Lab 5 — Alternatives** (`05-alternatives.ipynb`)."
        ),
    ]


def lab_05() -> list[nbformat.NotebookNode]:
    settings = without_docstring(
        example_file("seed-broken", "portfolio/settings.py"),
        "Settings for the alternatives lab: the shared settings, unchanged.",
    )
    return [
        md(f"""\
# Lab 5 — Alternatives

**What you will achieve**

- deploy the portfolio with no entrypoint of your own: Vercel's Django support;
- see what Vercel's builder reads to find a Django project (`manage.py`,
  `WSGI_APPLICATION`) and what stops it from looking (`builds` in `vercel.json`).

Chapter: {chapter("05-alternatives", "5. Alternatives and trade-offs")}. About 10 minutes."""),
        code(SETUP),
        md("""\
## 1. See it fail, then see the alternative

The guide's project cannot be built: its `vercel.json` lists `builds`, so the builder builds
exactly `api/index.py`, and finds no app there."""),
        code("""\
with Function(example("seed-broken")) as function:
    outcome = function.invoke(Request("GET", "/", HTTPS))
print(outcome.error_code, "phase:", outcome.phase)"""),
        md(
            "`examples/fixed-django-preset` has no `api/` folder and no `vercel.json`. The "
            "builder finds the Django project itself:"
        ),
        code("""\
with Function(example("fixed-django-preset")) as function:
    print(function.describe_entrypoints())
    outcome = function.invoke(Request("GET", "/about/", HTTPS))
outcome"""),
        md("## 2. Your lab folder\n\nAgain a copy of the guide's project."),
        code('work = labs.start("05")'),
        md("""\
## 3. Exercise: move the portfolio to Vercel's Django support

The next two cells write `manage.py` and `portfolio/wsgi.py` for you (read them: `manage.py`
sets `DJANGO_SETTINGS_MODULE`, `wsgi.py` defines `application`). **Two changes are yours**:

1. in `portfolio/settings.py` (the third cell), name the application: add
   `WSGI_APPLICATION = "portfolio.wsgi.application"`;
2. in the `labs.remove(...)` cell, list what stops Vercel from looking for Django:
   `"vercel.json"` (its `builds`) and the `"api"` folder that held the guide's handler.

The check builds the folder, requests `/about/` and the stylesheet, and checks that the
builder chose the application `WSGI_APPLICATION` names."""),
        writefile("05", "manage.py", example_file("fixed-django-preset", "manage.py"), "given"),
        writefile(
            "05",
            "portfolio/wsgi.py",
            example_file("fixed-django-preset", "portfolio/wsgi.py"),
            "given",
        ),
        writefile("05", "portfolio/settings.py", settings, "exercise"),
        code(
            'labs.remove(work, [])  # the paths to delete, e.g. ["notes.txt", "old-folder"]',
            tags=["exercise"],
        ),
        code("labs.check_django_preset(work)", tags=["check"]),
        md("""\
Forgetting `WSGI_APPLICATION`, or naming a variable `wsgi.py` does not define, fail in
different phases: the check shows each.

## 4. What the builder chose"""),
        code("""\
with Function(work) as function:
    print(function.describe_entrypoints())"""),
        md(
            STUCK.replace("{lab}", "05")
            + "\n\nThat was the last lab. The tutorial goes on with "
            + chapter("06-testing-the-fix", "6. Testing the fix")
            + "."
        ),
    ]


# -- plumbing -------------------------------------------------------------------------------

_counter = {"n": 0}


def _cell_id() -> str:
    _counter["n"] += 1
    return f"cell-{_counter['n']:02d}"


def md(text: str) -> nbformat.NotebookNode:
    cell = new_markdown_cell(text)
    cell.id = _cell_id()
    return cell


def code(text: str, tags: list[str] | None = None) -> nbformat.NotebookNode:
    cell = new_code_cell(text)
    cell.id = _cell_id()
    if tags:
        cell.metadata["tags"] = tags
    return cell


NOTEBOOKS = {
    "01-the-fix.ipynb": lab_01,
    "02-root-cause.ipynb": lab_02,
    "03-mental-model.ipynb": lab_03,
    "04-warning-signs.ipynb": lab_04,
    "05-alternatives.ipynb": lab_05,
}


def build(out: Path) -> list[Path]:
    """Write every notebook into ``out``; return their paths."""
    written = []
    for name, cells in NOTEBOOKS.items():
        _counter["n"] = 0
        notebook = new_notebook(cells=cells())
        notebook.metadata = {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        }
        nbformat.validate(notebook)
        path = out / name
        nbformat.write(notebook, path)
        written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent
    target.mkdir(parents=True, exist_ok=True)
    for path in build(target):
        print(path)
