"""The Jupyter labs: every notebook runs in a fresh kernel as shipped (the checks say "not yet"
with the expected feedback) and with the solutions applied (every check passes); each check
recognises the three most likely wrong answers of its lab; the notebooks are what the generator
writes, without outputs."""

from __future__ import annotations

import json
import re
import runpy
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from vercel_lab import labs
from vercel_lab.examples import example
from vercel_lab.labs import handler_checks, settings_checks
from vercel_lab.labs.feedback import SECTIONS, Result, Section, key_line
from vercel_lab.labs.feedback import WSGI_CONTRACT as WSGI_CONTRACT_SECTION

ROOT = Path(__file__).resolve().parents[2]
LABS = ROOT / "labs"
NOTEBOOKS = sorted(p.name for p in LABS.glob("[0-9][0-9]-*.ipynb"))

# What the check of each notebook answers as shipped, and with the solution applied.
SHIPPED = {
    "01-the-fix.ipynb": handler_checks.TITLE_NODE_STYLE,
    "02-root-cause.ipynb": handler_checks.TITLE_ATTRIBUTES,
    "03-mental-model.ipynb": handler_checks.TITLE_LOCAL,
    "04-warning-signs.ipynb": settings_checks.TITLE_STILL_FILE,
    "05-alternatives.ipynb": settings_checks.TITLE_BUILDS,
}
SOLVED = {
    "01-the-fix.ipynb": handler_checks.TITLE_FIX_PASSED,
    "02-root-cause.ipynb": handler_checks.TITLE_WSGI_PASSED,
    "03-mental-model.ipynb": handler_checks.TITLE_COUNTER_PASSED,
    "04-warning-signs.ipynb": settings_checks.TITLE_LOGGING_PASSED,
    "05-alternatives.ipynb": settings_checks.TITLE_PRESET_PASSED,
}


@pytest.fixture(autouse=True)
def labs_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Lab folders go to tmp_path, for the tests and for the kernels they start."""
    home = tmp_path / "labs-home"
    monkeypatch.setenv("VERCEL_LAB_LABS_DIR", str(home))
    return home


# -- the notebooks ------------------------------------------------------------------------------


def test_there_is_one_notebook_per_chapter_in_reading_order() -> None:
    assert list(SHIPPED) == NOTEBOOKS


def test_notebooks_are_what_the_generator_writes(tmp_path: Path) -> None:
    generator = runpy.run_path(str(LABS / "_build_notebooks.py"))
    generator["build"](tmp_path)
    for name in NOTEBOOKS:
        assert (tmp_path / name).read_bytes() == (LABS / name).read_bytes(), name


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebooks_are_committed_without_outputs(name: str) -> None:
    notebook = json.loads((LABS / name).read_text())
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert all(cell["outputs"] == [] and cell["execution_count"] is None for cell in code)
    tags = [tag for cell in code for tag in cell["metadata"].get("tags", [])]
    assert tags.count("exercise") >= 1 and tags.count("check") == 1


def _writefile_cells(cells: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """``{path: cell}`` for each ``%%writefile path`` code cell."""
    found = {}
    for cell in cells:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "code" and source.startswith("%%writefile "):
            found[source.splitlines()[0].removeprefix("%%writefile ").strip()] = cell
    return found


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_learners_edit_real_files_in_the_lab_folder_inside_the_labs_root(name: str) -> None:
    """Every file a lab has the learner change is a ``%%writefile`` cell writing into
    ``work/NN-slug/`` beside the notebook (inside the root `nox -s lab` opens), never a Python
    string assigned in a cell."""
    notebook = json.loads((LABS / name).read_text())
    folder = f"work/{labs.LABS[name[:2]].folder_name}/"
    writes = _writefile_cells(notebook["cells"])
    assert [path for path, cell in writes.items() if "exercise" in cell["metadata"]["tags"]]
    assert all(path.startswith(folder) for path in writes)
    for cell in notebook["cells"]:
        source = "".join(cell["source"])
        assert "'" * 3 not in source and "write_project" not in source
    # Every file the solution writes has its cell: solving the lab is editing those files.
    assert {folder + relative for relative in labs.solution(name[:2]).files} <= set(writes)


def _solve_the_new_way(notebook: Any, lab: str) -> None:
    """What a learner does: change the text of each ``%%writefile`` cell to the solution's
    file, and list the solution's paths in the ``labs.remove`` cell."""
    chosen = labs.solution(lab)
    folder = f"work/{labs.LABS[lab].folder_name}/"
    for path, cell in _writefile_cells(notebook.cells).items():
        relative = path.removeprefix(folder)
        if relative in chosen.files:
            cell.source = f"%%writefile {path}\n{chosen.files[relative].rstrip()}\n"
    for cell in notebook.cells:
        if cell.cell_type == "code" and cell.source.startswith("labs.remove(work, "):
            cell.source = f"labs.remove(work, {list(chosen.remove)!r})"


def _execute(name: str, cwd: Path, *, solved: bool) -> tuple[object, float]:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.read(LABS / name, as_version=4)
    if solved:
        _solve_the_new_way(notebook, name[:2])
    started = time.monotonic()
    # A cell that raises fails the test (nbclient raises CellExecutionError).
    nbclient.NotebookClient(
        notebook, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}
    ).execute()
    return notebook, time.monotonic() - started


def _check_output(notebook: object) -> str:
    cells = notebook.cells  # type: ignore[attr-defined]
    (cell,) = [c for c in cells if "check" in c.metadata.get("tags", [])]
    (result,) = [o for o in cell.outputs if o.output_type == "execute_result"]
    assert 'class="vercel-lab-check"' in result.data["text/html"]
    return str(result.data["text/plain"])


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_as_shipped_runs_and_its_check_says_not_yet(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As in JupyterLab: no VERCEL_LAB_LABS_DIR, the kernel runs in the notebook's folder.
    monkeypatch.delenv("VERCEL_LAB_LABS_DIR")
    notebook, seconds = _execute(name, tmp_path, solved=False)
    assert _check_output(notebook).splitlines()[0] == f"not yet — {SHIPPED[name]}"
    assert (tmp_path / "work" / labs.LABS[name[:2]].folder_name).is_dir()
    assert seconds < 60


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_solved_by_editing_its_files_passes(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VERCEL_LAB_LABS_DIR")
    notebook, seconds = _execute(name, tmp_path, solved=True)
    assert _check_output(notebook).splitlines()[0] == f"passed — {SOLVED[name]}"
    # The files the learner edited are where JupyterLab's file browser shows them.
    folder = tmp_path / "work" / labs.LABS[name[:2]].folder_name
    for relative, text in labs.solution(name[:2]).files.items():
        assert (folder / relative).read_text(encoding="utf-8").rstrip() == text.rstrip()
    assert seconds < 60


# -- the three likely wrong answers of each lab --------------------------------------------------


def _try(lab: str, files: dict[str, str], remove: tuple[str, ...] = ()) -> Path:
    work = labs.start(lab)
    labs.write_project(work, files, remove=remove)
    return work


def _assert_not_yet(result: Result, title: str, phase: str | None, log_line: str | None) -> None:
    assert (result.passed, result.title, result.phase, result.log_line) == (
        False,
        title,
        phase,
        log_line,
    )
    assert result.hint is not None
    assert str(result).splitlines()[0] == f"not yet — {title}"


SEED_INDEX = (example("seed-broken") / "api/index.py").read_text()
FIX_VERCEL_JSON = (example("fixed-api-index") / "vercel.json").read_text()
# With "framework": null, a file without an app is no function: the deployment has none.
NO_APP_LINE = (
    "(no function ran) No function serves /: the builder found no Python entrypoint in this "
    "project (see docs/tutorial/02-root-cause)."
)


def test_lab01_keeping_handler_req_res_is_named_node_style() -> None:
    work = _try("01", {"api/index.py": SEED_INDEX, "vercel.json": FIX_VERCEL_JSON})
    result = labs.check_fix(work)
    _assert_not_yet(result, handler_checks.TITLE_NODE_STYLE, "build", NO_APP_LINE)
    assert (
        "Forced past the builder, the runtime logs: AttributeError: 'dict' object has no "
        "attribute 'method'" in result.explanation
    )


def test_lab01_keeping_the_legacy_builds_shows_the_guides_build_error() -> None:
    result = labs.check_fix(labs.start("01"))
    _assert_not_yet(
        result,
        handler_checks.TITLE_NODE_STYLE,
        "build",
        'Error: Could not find a top-level "app", "application", or "handler" in "api/index.py".',
    )


def test_lab01_the_guides_handler_request_is_recognised() -> None:
    guide = (example("seed-fix") / "api/index.py").read_text()
    result = labs.check_fix(_try("01", {"api/index.py": guide, "vercel.json": FIX_VERCEL_JSON}))
    _assert_not_yet(result, handler_checks.TITLE_GUIDE_FIX, "build", NO_APP_LINE)
    assert (
        "the runtime logs: Could not determine the application interface for "
        "'api.index:handler'" in result.explanation
    )


def test_lab01_a_lambda_style_dict_is_recognised() -> None:
    lambda_style = """
        def handler(event, context):
            return {"statusCode": 200, "headers": {}, "body": "<h1>Portfolio</h1>"}
    """
    result = labs.check_fix(
        _try("01", {"api/index.py": lambda_style, "vercel.json": FIX_VERCEL_JSON})
    )
    _assert_not_yet(result, handler_checks.TITLE_LAMBDA, "build", NO_APP_LINE)
    assert "TypeError: a bytes-like object is required, not 'str'" in result.explanation


def test_lab01_the_right_app_under_the_name_handler_is_told_to_rename_it() -> None:
    fixed = (example("fixed-api-index") / "api/index.py").read_text()
    renamed = fixed.replace("app = get_wsgi_application()", "handler = get_wsgi_application()")
    result = labs.check_fix(_try("01", {"api/index.py": renamed, "vercel.json": FIX_VERCEL_JSON}))
    _assert_not_yet(result, handler_checks.TITLE_NAMED_HANDLER, "build", NO_APP_LINE)


WSGI_HEAD = (
    "def app(environ, start_response):\n"
    "    text = environ['REQUEST_METHOD'] + ' ' + environ['PATH_INFO']\n"
)


def test_lab02_reading_attributes_off_environ_is_recognised() -> None:
    code = "def app(req, res):\n    return [req.method.encode()]\n"
    result = labs.check_wsgi_app(_try("02", {"api/index.py": code}))
    _assert_not_yet(
        result,
        handler_checks.TITLE_ATTRIBUTES,
        "invoke",
        "AttributeError: 'dict' object has no attribute 'method'",
    )


def test_lab02_a_str_body_is_recognised() -> None:
    code = WSGI_HEAD + "    start_response('200 OK', [])\n    return [text]\n"
    result = labs.check_wsgi_app(_try("02", {"api/index.py": code}))
    # start_response sent the status at once: the client got 200, then the body write failed.
    _assert_not_yet(
        result,
        handler_checks.TITLE_STR_BODY,
        None,
        "TypeError: a bytes-like object is required, not 'str'",
    )
    assert result.observed[0] == "GET /projects/ -> 200 ''"


def test_lab02_a_missing_start_response_is_recognised() -> None:
    code = WSGI_HEAD + "    return [text.encode()]\n"
    result = labs.check_wsgi_app(_try("02", {"api/index.py": code}))
    _assert_not_yet(
        result, handler_checks.TITLE_NO_START, "invoke", "[ERROR] BadStatusLine: GET /projects/"
    )


def test_lab02_a_wrong_body_says_what_was_expected() -> None:
    code = WSGI_HEAD + "    start_response('200 OK', [])\n    return [b'hello']\n"
    result = labs.check_wsgi_app(_try("02", {"api/index.py": code}))
    _assert_not_yet(result, handler_checks.TITLE_WRONG_TEXT, None, None)
    assert "Expected status 200 and the body 'GET /projects/', got 200 and 'hello'." in str(result)


def test_lab02_a_one_parameter_app_environ_is_told_to_take_start_response() -> None:
    code = "def app(environ):\n    return [environ['PATH_INFO'].encode()]\n"
    result = labs.check_wsgi_app(_try("02", {"api/index.py": code}))
    _assert_not_yet(
        result,
        handler_checks.TITLE_ARITY,
        "init",
        "Could not determine the application interface for 'api.index:app'",
    )
    assert result.explanation.startswith(
        "Your app takes 1 parameter. The runtime tells a WSGI app by its signature"
    )
    assert result.hint == WSGI_CONTRACT_SECTION


def test_lab02_a_three_parameter_app_says_how_many_it_takes() -> None:
    code = "def app(environ, start_response, extra):\n    return [b'x']\n"
    result = labs.check_wsgi_app(_try("02", {"api/index.py": code}))
    assert result.title == handler_checks.TITLE_ARITY
    assert result.explanation.startswith("Your app takes 3 parameters.")


COUNTER_ANSWER = """
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [str(count).encode()]
"""


def test_lab03_a_counter_without_global_is_recognised() -> None:
    code = "count = 0\n\ndef app(environ, start_response):\n    count += 1" + COUNTER_ANSWER
    result = labs.check_counter(_try("03", {"api/index.py": code}))
    _assert_not_yet(
        result,
        handler_checks.TITLE_NO_GLOBAL,
        "invoke",
        "UnboundLocalError: cannot access local variable 'count' where it is not associated "
        "with a value",
    )


def test_lab03_a_counter_in_a_project_file_hits_the_read_only_filesystem() -> None:
    code = (
        "from pathlib import Path\n\nFILE = Path(__file__).with_name('count.txt')\n\n"
        "def app(environ, start_response):\n"
        "    count = int(FILE.read_text()) + 1 if FILE.exists() else 1\n"
        "    FILE.write_text(str(count))" + COUNTER_ANSWER
    )
    work = _try("03", {"api/index.py": code})
    result = labs.check_counter(work)
    _assert_not_yet(
        result,
        handler_checks.TITLE_FILE_COUNTER,
        "invoke",
        f"OSError: [Errno 30] Read-only file system: '{work.resolve() / 'api' / 'count.txt'}'",
    )


def test_lab03_a_counter_kept_in_tmp_outlives_the_instance() -> None:
    path = Path(f"/tmp/vercel-lab-test-{uuid.uuid4().hex}.txt")
    code = (
        f"from pathlib import Path\n\nFILE = Path({str(path)!r})\n\n"
        "def app(environ, start_response):\n"
        "    count = int(FILE.read_text()) + 1 if FILE.exists() else 1\n"
        "    FILE.write_text(str(count))" + COUNTER_ANSWER
    )
    try:
        result = labs.check_counter(_try("03", {"api/index.py": code}))
    finally:
        path.unlink(missing_ok=True)
    _assert_not_yet(result, handler_checks.TITLE_OUTLIVES, None, None)
    assert [line.rsplit(" ", 1)[1] for line in result.observed] == ["'1'", "'2'", "'3'", "'4'"]


SETTINGS_HEAD = """\
from pathlib import Path

from pages.base_settings import *  # noqa: F403

BASE_DIR = Path(__file__).resolve().parent.parent
"""


def _file_logging(filename: str, extra: str = "") -> str:
    return SETTINGS_HEAD + (
        "LOGGING = {'version': 1, 'disable_existing_loggers': False, 'handlers': {'file': "
        f"{{'class': 'logging.FileHandler', 'filename': {filename}{extra}}}}}, "
        "'root': {'handlers': ['file'], 'level': 'WARNING'}}\n"
    )


def test_lab04_creating_the_log_folder_is_recognised() -> None:
    settings = _file_logging("BASE_DIR / 'logs' / 'portfolio.log'").replace(
        "LOGGING =", "import os\nos.makedirs(BASE_DIR / 'logs', exist_ok=True)\nLOGGING ="
    )
    work = _try("04", {"portfolio/settings.py": settings})
    result = labs.check_logging(work)
    _assert_not_yet(
        result,
        settings_checks.TITLE_MKDIR,
        "init",
        f"OSError: [Errno 30] Read-only file system: '{work.resolve() / 'logs' / 'portfolio.log'}'",
    )


def test_lab04_logging_to_a_file_in_tmp_is_recognised() -> None:
    # Vercel's only writable folder, whatever this machine's temporary directory is.
    log = Path("/tmp") / f"vercel-lab-test-{uuid.uuid4().hex}.log"
    settings = _file_logging(repr(str(log)))
    try:
        result = labs.check_logging(_try("04", {"portfolio/settings.py": settings}))
        assert "RuntimeError: This view fails on purpose" in log.read_text()
    finally:
        log.unlink(missing_ok=True)
    _assert_not_yet(result, settings_checks.TITLE_TMP_LOG, None, None)
    assert result.observed[1].startswith("GET /crash/ -> 500 '")


def test_lab04_opening_the_log_file_lazily_is_recognised() -> None:
    settings = _file_logging("BASE_DIR / 'logs' / 'portfolio.log'", ", 'delay': True")
    work = _try("04", {"portfolio/settings.py": settings})
    result = labs.check_logging(work)
    _assert_not_yet(
        result,
        settings_checks.TITLE_DELAYED,
        "invoke",
        f"OSError: [Errno 30] Read-only file system: '{work.resolve() / 'logs' / 'portfolio.log'}'",
    )
    assert result.observed[0].startswith("GET / -> 200 '")


PRESET = example("fixed-django-preset")
PRESET_FILES = {
    "manage.py": (PRESET / "manage.py").read_text(),
    "portfolio/wsgi.py": (PRESET / "portfolio/wsgi.py").read_text(),
}
SETTINGS = "from pages.base_settings import *  # noqa: F403\n"


def test_lab05_keeping_vercel_json_builds_is_recognised() -> None:
    # Everything else right: manage.py, wsgi.py, WSGI_APPLICATION; only vercel.json is left.
    settings = SETTINGS + 'WSGI_APPLICATION = "portfolio.wsgi.application"\n'
    result = labs.check_django_preset(
        _try("05", {**PRESET_FILES, "portfolio/settings.py": settings})
    )
    _assert_not_yet(
        result,
        settings_checks.TITLE_BUILDS,
        "build",
        'Error: Could not find a top-level "app", "application", or "handler" in "api/index.py".',
    )
    # Deleting api/ but not vercel.json leaves builds that match nothing: no function at all.
    labs.write_project(result_folder := labs.lab_folder("05"), {}, remove=("api",))
    result = labs.check_django_preset(result_folder)
    _assert_not_yet(
        result,
        settings_checks.TITLE_BUILDS,
        "build",
        NO_APP_LINE.replace("serves /:", "serves /about/:"),
    )
    assert result.observed == ("GET /about/ -> 404 NOT_FOUND",)


def test_a_project_vercel_lab_cannot_read_is_feedback_not_a_traceback() -> None:
    result = labs.check_fix(_try("01", {"vercel.json": "{ not json"}))
    assert (result.passed, result.title, result.phase) == (
        False,
        "The project cannot be read",
        "build",
    )
    assert result.log_line is not None and result.log_line.startswith("ConfigError: ")


def test_lab05_a_missing_wsgi_application_is_recognised() -> None:
    work = _try("05", {**PRESET_FILES, "portfolio/settings.py": SETTINGS}, ("vercel.json", "api"))
    result = labs.check_django_preset(work)
    _assert_not_yet(
        result,
        settings_checks.TITLE_NO_SETTING,
        "build",
        'Error: Found Django manage.py in "." but could not resolve the application entrypoint.'
        " Ensure WSGI_APPLICATION or ASGI_APPLICATION is set in your Django settings.",
    )


def test_lab05_a_wsgi_application_naming_the_wrong_variable_is_recognised() -> None:
    settings = SETTINGS + 'WSGI_APPLICATION = "portfolio.wsgi.app"\n'
    work = _try("05", {**PRESET_FILES, "portfolio/settings.py": settings}, ("vercel.json", "api"))
    result = labs.check_django_preset(work)
    _assert_not_yet(
        result,
        settings_checks.TITLE_WRONG_VARIABLE,
        "init",
        'missing variable "app" in file "portfolio.wsgi".',
    )


# -- the pieces ---------------------------------------------------------------------------------


def test_key_line_prefers_the_runtimes_verdict_over_the_traceback_noise() -> None:
    log = (
        "Traceback (most recent call last):\n"
        '  File "/var/task/api/index.py", line 30, in handler\n'
        "    if request.method == 'POST':\n"
        "AttributeError: 'dict' object has no attribute 'method'\n"
        "----------------------------------------\n"
        "[ERROR] RemoteDisconnected: Remote end closed connection without response\n"
    )
    assert key_line(log) == "AttributeError: 'dict' object has no attribute 'method'"
    wrapped = (
        "OSError: [Errno 30] Read-only file system: '/var/task/logs/x.log'\n\n"
        "ValueError: Unable to configure handler 'file'\n"
        "Error: Runtime exited with error: exit status 1\n"
    )
    assert key_line(wrapped) == "OSError: [Errno 30] Read-only file system: '/var/task/logs/x.log'"
    assert key_line("127.0.0.1 - - GET / 200\n") is None


def test_a_result_renders_its_evidence_and_hint_as_text_and_html() -> None:
    hint = Section("01-the-fix", "expose-a-wsgi-app", "The fix")
    result = Result("01", "fix", False, "Nope <b>", "Do this.", "init", "Boom: x", hint, ("a",))
    assert str(result) == (
        "not yet — Nope <b>\n  failed in phase: init\n  the log line that matters: Boom: x\n"
        "  Do this.\n  what the requests got:\n    a\n"
        "  read: The fix — "
        "https://vercel-lab.readthedocs.io/en/latest/tutorial/01-the-fix.html#expose-a-wsgi-app"
    )
    page = result._repr_html_()
    assert "Nope &lt;b&gt;" in page and "<b>" not in page
    assert 'href="https://vercel-lab.readthedocs.io/en/latest/tutorial/01-the-fix.html' in page


def _heading_ids(markdown: str) -> set[str]:
    """The ids the site gives a chapter's sections: docutils' id of each heading's text, and
    every explicit MyST target ``(name)=``."""
    ids = set(re.findall(r"^\(([\w-]+)\)=\s*$", markdown, re.MULTILINE))
    for title in re.findall(r"^#{1,6} (.+)$", markdown, re.MULTILINE):
        text = re.sub(r"[`*]", "", title).lower()
        ids.add(re.sub(r"[^a-z0-9]+", "-", text).strip("-").lstrip("0123456789-"))
    return ids


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: f"{s.chapter}#{s.anchor}")
def test_every_hint_links_to_a_section_of_its_chapter(section: Section) -> None:
    chapter = ROOT / "docs" / "tutorial" / f"{section.chapter}.md"
    assert section.anchor in _heading_ids(chapter.read_text(encoding="utf-8"))
    assert section.url == (
        f"https://vercel-lab.readthedocs.io/en/latest/tutorial/{section.chapter}.html"
        f"#{section.anchor}"
    )


def test_start_copies_the_example_with_symlinks_resolved(labs_home: Path) -> None:
    work = labs.start("1")
    assert work == labs_home / "01-the-fix"
    assert not (work / "pages").is_symlink() and (work / "pages" / "views.py").is_file()
    (work / "scratch.txt").write_text("mine")
    assert labs.start("01", reset=False) == work and (work / "scratch.txt").exists()
    assert not (labs.start("01") / "scratch.txt").exists()


def test_write_project_never_writes_into_the_examples_or_outside_the_folder() -> None:
    with pytest.raises(ValueError, match="inside the repository's examples/"):
        labs.write_project(example("seed-broken"), {"api/index.py": "app = None\n"})
    work = labs.start("02")
    with pytest.raises(ValueError, match="give a path inside the project"):
        labs.write_project(work, {"api/index.py": "x = 1\n", "../escape.py": "x = 1\n"})
    assert (work / "api/index.py").read_text().startswith("# The notebook's exercise cell")


def test_write_project_dedents_cell_text_and_removes_paths(
    capsys: pytest.CaptureFixture[str],
) -> None:
    work = labs.start("05")
    labs.write_project(work, {"hello.py": "\n    x = 1\n"}, remove=("vercel.json", "api", "nope"))
    assert (work / "hello.py").read_text() == "x = 1\n"
    assert not (work / "vercel.json").exists() and not (work / "api").exists()
    assert capsys.readouterr().out.endswith("wrote hello.py; removed vercel.json, api\n")


def test_a_solution_is_shown_without_being_written(labs_home: Path) -> None:
    text = str(labs.solution(1))
    assert text.startswith("Lab 01 — a solution\n")
    assert "app = get_wsgi_application()" in text
    assert not labs_home.exists()
    with pytest.raises(ValueError, match="unknown lab '9'"):
        labs.solution("9")
