"""The held-out corpus of broken projects and logs (tests/doctor/corpus): the doctor's first
finding names the expected category for at least 90% of them (the issue's bar)."""

from __future__ import annotations

from tests.doctor.corpus import load_cases, measure


def test_the_corpus_has_at_least_ten_cases_of_both_kinds() -> None:
    cases = load_cases()
    assert len([c for c in cases if c.mode == "static"]) >= 10
    assert len([c for c in cases if c.mode == "log"]) >= 10


def test_at_least_90_percent_are_classified_correctly() -> None:
    correct, results = measure()
    misses = [(case.name, case.expected, got) for case, got in results if got != case.expected]
    assert correct / len(results) >= 0.9, misses
