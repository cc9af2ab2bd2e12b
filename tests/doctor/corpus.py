"""The held-out corpus: broken projects and logs in the styles seen in the wild, written apart
from the checks, with the category a maintainer would name.

Each ``corpus/*.txt`` file is one case: ``# expected: CATEGORY``, ``# mode: static|log``, then
files as ``--- path`` followed by their content. A case counts as classified correctly when the
doctor's first finding (errors first, the most specific cause first) has the expected category.

Run ``python tests/doctor/corpus.py`` to print the share classified correctly.
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).parent / "corpus"


@dataclass(frozen=True)
class Case:
    name: str
    expected: str
    mode: str
    files: dict[str, str]


def load_cases() -> list[Case]:
    cases = []
    for path in sorted(CORPUS.glob("*.txt")):
        header: dict[str, str] = {}
        files: dict[str, list[str]] = {}
        current: list[str] | None = None
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("--- "):
                current = files.setdefault(line[4:].strip(), [])
            elif current is not None:
                current.append(line)
            elif line.startswith("# ") and ":" in line:
                key, _, value = line[2:].partition(":")
                header[key.strip()] = value.strip()
        contents = {name: "\n".join(lines) + "\n" for name, lines in files.items()}
        cases.append(Case(path.stem, header["expected"], header["mode"], contents))
    return cases


def classify(case: Case, folder: Path) -> str | None:
    """The category of the doctor's first finding for ``case`` (None when it found nothing)."""
    from vercel_lab.doctor import check_log, check_project

    if case.mode == "log":
        findings = check_log("".join(case.files.values()))
    else:
        root = folder / case.name
        for name, content in case.files.items():
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
        findings = check_project(root)
    return findings[0].category if findings else None


def measure() -> tuple[int, list[tuple[Case, str | None]]]:
    """(number correct, every case with the category the doctor named)."""
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for case in load_cases():
            results.append((case, classify(case, Path(folder))))
    return sum(1 for case, got in results if got == case.expected), results


if __name__ == "__main__":
    correct, results = measure()
    for case, got in results:
        mark = "ok " if got == case.expected else "MISS"
        print(f"{mark} {case.name:36} expected {case.expected:32} got {got}")
    print(f"{correct}/{len(results)} = {correct / len(results):.0%} classified correctly")
    sys.exit(0)
