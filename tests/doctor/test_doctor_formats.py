"""Linter-grade output: ``--format sarif`` valid against the vendored SARIF 2.1.0 schema,
``--format github`` in GitHub's workflow-command syntax, ``--fail-level``, ``--ignore`` and the
project's ignore list (never a pyproject.toml created for it)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.helpers import MakeProject
from vercel_lab.cli import doctor as cli_doctor
from vercel_lab.cli.main import main
from vercel_lab.doctor.declare import REFERENCE_URL, make
from vercel_lab.doctor.findings import SEVERITIES
from vercel_lab.doctor.formats import (
    FORMATS,
    escape_data,
    escape_property,
    fails,
    to_github,
    to_sarif,
)
from vercel_lab.examples import example

SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "sarif-2.1.0-rtm.5.json"
SCHEMA: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
CORPUS = Path(__file__).resolve().parent / "corpus_logs"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        status = main(["doctor", *argv])
    except SystemExit as exit:
        status = int(exit.code or 0)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_the_vendored_schema_is_sarif_2_1_0_rtm5() -> None:
    # npm @microsoft/jest-sarif 1.0.0-beta.0 lib/schemas/sarif-2.1.0-rtm.5.json (draft-04).
    assert SCHEMA["$schema"] == "http://json-schema.org/draft-04/schema#"
    assert SCHEMA["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0-rtm.5")
    jsonschema.Draft4Validator.check_schema(SCHEMA)


@pytest.mark.parametrize(
    "argv",
    [
        ("seed-broken",),
        ("missing-dependency",),
        ("fixed-api-index",),
        ("--log", "01-timestamped-secret-key-at-import"),
        ("--log", "12-build-django-settings-stale-root"),
    ],
)
def test_sarif_validates_against_the_schema(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    args = (
        ["--log", str(CORPUS / f"{argv[1]}.log")] if argv[0] == "--log" else [str(example(argv[0]))]
    )
    status, out, _ = run(capsys, *args, "--format", "sarif")
    log = json.loads(out)
    errors = sorted(jsonschema.Draft4Validator(SCHEMA).iter_errors(log), key=str)
    assert errors == []
    results = log["runs"][0]["results"]
    assert status == int(any(r["level"] == "error" for r in results))
    assert all(r["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1 for r in results)
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    for result in results:
        assert rules[result["ruleId"]]["helpUri"] == f"{REFERENCE_URL}#{result['ruleId']}"


def test_sarif_places_a_project_finding_on_line_1_of_its_file() -> None:
    finding = make("log-builds-warning", "vercel.json")
    (result,) = to_sarif([finding])["runs"][0]["results"]
    assert result["level"] == "warning"
    assert result["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "vercel.json", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 1},
    }
    note = to_sarif([make("log-unrecognised")], project_file="requirements.txt")
    assert note["runs"][0]["results"][0]["level"] == "note"
    assert (
        note["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        == "requirements.txt"
    )


def test_escaping_is_the_actions_toolkits() -> None:
    assert escape_data("50% done\r\nnext: a,b") == "50%25 done%0D%0Anext: a,b"
    assert escape_property("C:\\app,v2%\n") == "C%3A\\app%2Cv2%25%0A"


def test_github_lines_follow_the_workflow_command_syntax() -> None:
    finding = make("log-env-var", "api/db.py", 7, name="DATABASE_URL")
    (line,) = to_github([finding])
    assert line.startswith(
        "::error file=api/db.py,line=7,title=KeyError%3A 'DATABASE_URL' [log-env-var]"
        "::`KeyError: 'DATABASE_URL'` from `os.environ`"
    )
    assert "in the deployment.%0A%0AFix: Set DATABASE_URL" in line
    assert line.endswith(f"%0ASee {REFERENCE_URL}#log-env-var")
    assert "\n" not in line
    (notice,) = to_github([make("log-unrecognised")])
    assert notice.startswith("::notice title=No known Vercel or Python failure in this log ")


def test_github_format_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, str(example("missing-dependency")), "--format", "github")
    assert status == 1
    assert out.startswith("::error file=api/index.py,line=9,title=")
    assert all(
        line.startswith(("::error ", "::warning ", "::notice ")) for line in out.splitlines()
    )


def test_fail_level() -> None:
    warning = make("log-builds-warning", "vercel.json")
    assert not fails([warning])
    assert fails([warning], "warning")
    assert not fails([make("log-unrecognised")], "warning")
    assert fails([make("log-unrecognised")], "info")


def test_fail_level_on_the_command_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    log = tmp_path / "build.log"
    log.write_text(
        "WARN! Due to `builds` existing in your configuration file, the Build and Development "
        "Settings defined in your Project Settings will not apply.\n"
    )
    assert run(capsys, "--log", str(log))[0] == 0
    assert run(capsys, "--log", str(log), "--fail-level", "warning")[0] == 1


def test_json_is_an_alias_of_format_json(capsys: pytest.CaptureFixture[str]) -> None:
    project = str(example("seed-broken"))
    assert run(capsys, project, "--json")[1] == run(capsys, project, "--format", "json")[1]


def test_the_cli_choices_are_the_doctors() -> None:
    assert cli_doctor.FORMATS == FORMATS
    assert cli_doctor.SEVERITIES == SEVERITIES


def test_ignore_leaves_a_check_out(capsys: pytest.CaptureFixture[str]) -> None:
    project = str(example("missing-dependency"))
    status, out, _ = run(capsys, project, "--json", "--ignore", "undeclared-import")
    assert "undeclared-import" not in {f["id"] for f in json.loads(out)["findings"]}
    assert status == 0


def test_an_unknown_id_is_bad_usage(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, str(example("seed-broken")), "--ignore", "no-such-check")
    assert status == 2
    assert "--ignore: no such check: no-such-check" in err


BROKEN = {"requirements.txt": "", "api/index.py": "import yaml\napp = None\n"}


def test_the_ignore_list_of_an_existing_pyproject(
    capsys: pytest.CaptureFixture[str], make_project: MakeProject
) -> None:
    root = make_project(
        {
            **BROKEN,
            "pyproject.toml": '[project]\nname = "x"\nversion = "0"\ndependencies = []\n\n'
            '[tool.vercel-lab]\nignore = ["undeclared-import"]\n',
        }
    )
    _, out, _ = run(capsys, str(root), "--json")
    assert "undeclared-import" not in {f["id"] for f in json.loads(out)["findings"]}


def test_the_ignore_list_of_vercel_lab_toml_and_no_pyproject_is_created(
    capsys: pytest.CaptureFixture[str], make_project: MakeProject
) -> None:
    root = make_project({**BROKEN, ".vercel-lab.toml": 'ignore = ["undeclared-import"]\n'})
    _, out, _ = run(capsys, str(root), "--json")
    assert "undeclared-import" not in {f["id"] for f in json.loads(out)["findings"]}
    assert not (root / "pyproject.toml").exists()
    plain = make_project(BROKEN, name="plain")
    _, out, _ = run(capsys, str(plain), "--json")
    assert "undeclared-import" in {f["id"] for f in json.loads(out)["findings"]}
    assert not (plain / "pyproject.toml").exists()


def test_a_bad_ignore_list_is_bad_usage(
    capsys: pytest.CaptureFixture[str], make_project: MakeProject
) -> None:
    root = make_project({**BROKEN, ".vercel-lab.toml": 'ignore = "undeclared-import"\n'})
    status, _, err = run(capsys, str(root))
    assert status == 2
    assert ".vercel-lab.toml: `ignore` must be a list of check ids" in err


def test_pre_commit_hook_runs_the_doctor() -> None:
    hooks = (Path(__file__).resolve().parents[2] / ".pre-commit-hooks.yaml").read_text()
    assert "id: vercel-lab-doctor" in hooks
    assert "entry: vercel-lab doctor" in hooks
    assert "pass_filenames: false" in hooks
