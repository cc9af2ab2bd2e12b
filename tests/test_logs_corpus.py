"""Every corpus log (../corpus/NN-name.log) read as its .json's ``parse`` block says."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from vercel_lab.logs import TracebackModel, build_failure, install_source, normalise, parse_records
from vercel_lab.logs import split_exception_line as exception_line

CORPUS = Path(__file__).resolve().parent / "doctor" / "corpus_logs"
CASES = sorted(CORPUS.glob("*.json"))


def _user_frame(model: TracebackModel) -> str | None:
    for link in model.chain():
        for frame in reversed(link.frames):
            if frame.file.startswith("/var/task/") and "/_vendor/" not in frame.file:
                return f"{frame.file.removeprefix('/var/task/')}:{frame.line}"
    return None


def test_the_corpus_has_at_least_twenty_logs() -> None:
    assert len(CASES) >= 20
    assert all(p.with_suffix(".log").exists() for p in CASES)


@pytest.mark.parametrize("case", CASES, ids=[p.stem for p in CASES])
def test_corpus_log(case: Path) -> None:
    spec: dict[str, Any] = json.loads(case.read_text())["parse"]
    records = normalise(case.with_suffix(".log").read_text())
    found = parse_records(records)
    if "exception" in spec:
        if spec["exception"] is None:
            assert found == []
        else:
            exc_type, message = spec["exception"]
            last = found[-1]
            assert last.exc_type == exc_type
            assert message in last.message
    if "member" in spec:
        member = found[-1].exceptions[0]
        assert [member.exc_type, member.message] == spec["member"]
    if "user_frame" in spec:
        assert _user_frame(found[-1]) == spec["user_frame"]
    if "lone_exception" in spec:
        assert [exception_line(r.text) for r in records] == [tuple(spec["lone_exception"])]
    if "tracebacks" in spec:
        assert len(found) == spec["tracebacks"]
    if "request_ids" in spec:
        seen = list(dict.fromkeys(r.request_id for r in records if r.request_id))
        assert seen == spec["request_ids"]
    if "status" in spec:
        assert spec["status"] in {r.status for r in records}
    if "lines" in spec:
        texts = [r.text for r in records]
        assert all(line in texts for line in spec["lines"])
    if "install_source" in spec:
        assert install_source(records) == spec["install_source"]
    if "build" in spec:
        failure = build_failure(records)
        if spec["build"] is None:
            assert failure is None
        else:
            assert failure is not None
            assert [failure.kind, failure.manifest, failure.subject] == spec["build"]
