"""The real-shaped log corpus (``corpus_logs/NN-name.log`` + ``.json``, from the research
behind research/logs-facts.md: real runs, public reports and modelled forms, each labelled in
its ``provenance``): ``doctor --log`` must name the expected category with the expected check id
first, put the fix's key words in the report, keep the forbidden words out of it, and exit
with the expected status. Run as a script it prints the score: ``python
tests/doctor/test_doctor_corpus_logs.py``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from vercel_lab.doctor.report import report

CORPUS = Path(__file__).resolve().parent / "corpus_logs"
CASES = sorted(CORPUS.glob("*.json"))


def score(spec_path: Path) -> list[str]:
    """What is wrong with ``doctor --log`` on one corpus file ([] when right)."""
    expected: dict[str, Any] = json.loads(spec_path.read_text())["expected"]
    output, errors = report(None, log=str(spec_path.with_suffix(".log")), as_json=True)
    findings = json.loads(output)["findings"]
    top = findings[0] if findings else {}
    words = " ".join(f"{f['message']} {f['fix']}" for f in findings).lower()
    problems = []
    if (top.get("category"), top.get("id")) != (expected["category"], expected["check"]):
        problems.append(f"top {top.get('id')}/{top.get('category')}")
    if int(errors) != expected["exit_status"]:
        problems.append(f"exit {int(errors)}")
    problems += [f"missing {k!r}" for k in expected["fix_keywords"] if k.lower() not in words]
    problems += [f"has {k!r}" for k in expected["fix_must_not"] if k.lower() in words]
    return problems


def test_the_corpus_has_27_logs() -> None:
    assert len(CASES) == 27


@pytest.mark.parametrize("spec_path", CASES, ids=[p.stem for p in CASES])
def test_each_corpus_log(spec_path: Path) -> None:
    assert score(spec_path) == []


if __name__ == "__main__":
    results = [(p.stem, score(p)) for p in CASES]
    for stem, problems in results:
        print(("PASS " if not problems else "fail ") + stem, "; ".join(problems))
    print(f"{sum(not p for _, p in results)}/{len(results)}")
    sys.exit(0)
