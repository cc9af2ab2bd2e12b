"""The check registry: categories exactly as the issue lists them, stable ids, filled
templates, the reference table, ordering and the JSON shape."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from vercel_lab.doctor import bench_static, sort_findings
from vercel_lab.doctor.declare import REFERENCE_URL
from vercel_lab.doctor.findings import CATEGORIES, JSON_KEYS, Finding, has_errors, render_text
from vercel_lab.doctor.registry import CHECKS, DOCS_URL, ORDER, html_table, make, markdown_table
from vercel_lab.examples import example


def test_categories_are_exactly_the_issues() -> None:
    assert CATEGORIES == (
        "wrong-handler-signature",
        "missing-app-variable",
        "app-not-wsgi-or-asgi",
        "import-error-missing-dependency",
        "import-error-module-path",
        "django-settings",
        "env-var-missing",
        "readonly-fs-write",
        "static-files",
        "source-exposed",
        "size-limit",
        "timeout",
        "python-version",
        "runtime-crash-in-view",
        "vercel-json-misconfig",
        "other",
    )


def test_every_category_has_a_check() -> None:
    assert {c.category for c in CHECKS.values()} == set(CATEGORIES)


@pytest.mark.parametrize("check_id", sorted(CHECKS))
def test_a_check_has_a_stable_id_a_sentence_a_fix_and_a_link(check_id: str) -> None:
    check = CHECKS[check_id]
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", check.id)
    assert check.message.strip() and check.fix.strip()
    assert check.docs_url == f"{REFERENCE_URL}#{check.id}"
    assert check.tutorial_url == f"{DOCS_URL}#{check.category}"
    assert check.id.startswith(("log-", "run-")) == (check.source != "static")


def test_make_fills_the_templates() -> None:
    finding = make(
        "undeclared-import",
        "app.py",
        3,
        module="yaml",
        package="pyyaml",
        manifest="not declared in requirements.txt",
        target="requirements.txt",
    )
    assert finding == Finding(
        "undeclared-import",
        "import-error-missing-dependency",
        "error",
        "app.py",
        3,
        "`yaml` is imported here but not declared in requirements.txt: Vercel installs only "
        "declared packages, so the import fails with `ModuleNotFoundError: No module named "
        "'yaml'`.",
        "Add `pyyaml` to requirements.txt.",
        f"{REFERENCE_URL}#undeclared-import",
        "static",
    )


def test_make_refuses_a_missing_detail() -> None:
    with pytest.raises(KeyError, match="undeclared-import: no value for"):
        make("undeclared-import", "app.py", 3, module="yaml")


def test_markdown_table_lists_every_check_once() -> None:
    rows = markdown_table().splitlines()[2:]
    assert sorted(re.match(r"\| `([^`]+)`", r).group(1) for r in rows) == sorted(CHECKS)  # type: ignore[union-attr]
    assert rows[0].startswith("| `handler-node-signature` | [wrong-handler-signature](")
    assert "\u2039name\u203a" in rows[0]


def test_html_table_escapes_and_links_relatively() -> None:
    table = html_table(docs_url="../tutorial/04-warning-signs.html")
    assert table.count("<tr>") == len(CHECKS) + 1
    assert '<a href="../tutorial/04-warning-signs.html#timeout">timeout</a>' in table
    assert table.count("\u2039name\u203a") >= 3  # templates, not example values


def test_html_text_escapes_markup_and_turns_backticks_into_code() -> None:
    from vercel_lab.doctor.registry import _html_text

    assert _html_text("a <b> & `c {x}`") == "a &lt;b&gt; &amp; <code>c \u2039x\u203a</code>"


def test_errors_come_first_then_registry_order() -> None:
    info = make("files-published", files="`README.md`")
    warning = make("legacy-routes", "vercel.json", 3)
    generic = make("builder-entrypoint-not-found", code="X", message="m")
    specific = make("handler-node-signature", "api/index.py", 1, name="handler", params="req, res")
    assert sort_findings([info, warning, generic, specific, info], ORDER) == [
        specific,
        generic,
        warning,
        info,
    ]
    assert has_errors([warning, info]) is False
    assert has_errors([warning, generic]) is True


def test_json_keys_and_text_rendering() -> None:
    finding = make("legacy-routes", "vercel.json", 3)
    assert tuple(finding.to_json()) == JSON_KEYS
    assert render_text([finding]).splitlines()[0] == (
        "vercel.json:3: warning [legacy-routes] vercel-json-misconfig"
    )
    assert render_text([]) == "No problems found.\n0 errors, 0 warnings, 0 notes\n"


def test_bench_static_returns_a_median_in_seconds() -> None:
    seconds = bench_static(example("fixed-api-index"), repeat=3)
    assert 0 < seconds < 10


CHAPTER_4 = Path(__file__).resolve().parents[2] / "docs" / "tutorial" / "04-warning-signs.md"


def test_chapter_4_has_a_label_for_every_category() -> None:
    text = CHAPTER_4.read_text(encoding="utf-8")
    assert [c for c in CATEGORIES if f"({c})=" not in text] == []


def test_checks_are_listed_by_their_explicit_rank() -> None:
    ranks = [check.rank for check in CHECKS.values()]
    assert ranks == sorted(ranks)
    assert len(set(ranks)) == len(ranks)
    assert list(ORDER) == list(CHECKS)


def test_a_finding_carries_its_checks_source_and_locates_by_it() -> None:
    for check_id, where in (("log-unrecognised", "(log)"), ("run-answered", "(run)")):
        fields = {name: "x" for name in CHECKS[check_id].placeholders}
        finding = make(check_id, **fields)
        assert finding.source == CHECKS[check_id].source
        assert finding.location == where
    assert make("check-failed", check="code", error="boom").location == "(project)"
