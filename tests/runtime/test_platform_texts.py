"""The platform's texts come from one catalogue, each with its source and evidence, and
``vercel-lab explain`` knows every code the source can print."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from vercel_lab import platform
from vercel_lab.builder.config import PYTHON_FRAMEWORKS
from vercel_lab.cli.main import main
from vercel_lab.site import SITE_URL

SRC = Path(platform.__file__).parent
#: Where codes are emitted (the doctor and the labs name findings, not platform codes).
EMITTERS = ("platform.py", "runtime", "builder", "buildoutput", "cli")
FIF_TEXT = "A server error has occurred\n\nFUNCTION_INVOCATION_FAILED\n"
CODE_SHAPE = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*_(?:FAILED|FOUND|LARGE|TIMEOUT|ERROR)$")


def _files() -> list[Path]:
    files: list[Path] = []
    for name in EMITTERS:
        path = SRC / name
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return files


def _starts_with(text: ast.JoinedStr, prefix: str) -> bool:
    first = text.values[0] if text.values else None
    return isinstance(first, ast.Constant) and str(first.value).startswith(prefix)


def emitted_codes() -> set[str]:
    """Every code the source can emit: code-shaped string constants, the first argument of
    each ``BuildError(...)``, and ``f"{framework.upper()}_ENTRYPOINT_NOT_FOUND"`` over every
    Python framework preset."""
    codes: set[str] = {"NOT_FOUND"}
    for file in _files():
        tree = ast.parse(file.read_text(encoding="utf-8"))
        # platform.py: only what its functions return (its catalogue is what is checked)
        roots = (
            [n for n in tree.body if isinstance(n, ast.FunctionDef)]
            if file.name == "platform.py"
            else [tree]
        )
        for node in (inner for root in roots for inner in ast.walk(root)):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                codes |= {node.value} if CODE_SHAPE.match(node.value) else set()
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "BuildError"
                and node.args
            ):
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    codes.add(first.value)
                elif isinstance(first, ast.JoinedStr) and _starts_with(first, "UV_"):
                    # installer.py: f"UV_{step}_FAILED" over the builder's two uv steps
                    codes |= {"UV_LOCK_FAILED", "UV_SYNC_FAILED"}
                elif isinstance(first, ast.JoinedStr):
                    tail = "".join(
                        part.value
                        for part in first.values
                        if isinstance(part, ast.Constant) and isinstance(part.value, str)
                    )
                    codes |= {f"{name.upper()}{tail}" for name in PYTHON_FRAMEWORKS}
    # status kinds ("BUILD_ERROR", "GATEWAY_TIMEOUT") and variable names are not codes
    kinds = {error.kind for error in platform.CATALOGUE.values()} | {"BUILD_ERROR"}
    return {
        c
        for c in codes
        if (c not in kinds or c in platform.CATALOGUE)
        and not c.startswith(("DJANGO_SETTINGS_MODULE", "VERCEL_"))
    }


def test_the_enumeration_finds_the_codes_the_brief_names() -> None:
    codes = emitted_codes()
    for code in (
        "FUNCTION_INVOCATION_FAILED",
        "FUNCTION_INVOCATION_TIMEOUT",
        "FUNCTION_PAYLOAD_TOO_LARGE",
        "FUNCTION_RESPONSE_PAYLOAD_TOO_LARGE",
        "PYTHON_ENTRYPOINT_NOT_FOUND",
        "FLASK_ENTRYPOINT_NOT_FOUND",
        "FASTAPI_ENTRYPOINT_NOT_FOUND",
        "DJANGO_SETTINGS_FAILED",
    ):
        assert code in codes, code


@pytest.mark.parametrize("code", sorted(emitted_codes()))
def test_explain_knows_every_code_vercel_lab_can_print(
    code: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert code in platform.CATALOGUE
    assert main(["explain", code]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{code}: ")
    assert out[-1].startswith(f"Explained in: {SITE_URL}")


@pytest.mark.parametrize(
    "code",
    [
        "NO_RESPONSE_FROM_FUNCTION",
        "PYTHON_DEPENDENCY_SYNC_FAILED",
        "RUNTIME_DEPENDENCY_INSTALLATION_FAILED",
        "UV_ERROR",
    ],
)
def test_explain_knows_the_codes_of_the_other_paths(
    code: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["explain", code]) == 0
    assert "Source: " in capsys.readouterr().out


def test_every_entry_names_its_source_and_evidence() -> None:
    for error in platform.CATALOGUE.values():
        assert error.source, error.code
        assert error.evidence in (platform.OBSERVED, platform.MODELLED), error.code
    for text in platform.TEXTS.values():
        assert text.source and text.evidence in (platform.OBSERVED, platform.MODELLED), text.key
        if text.evidence == platform.MODELLED:
            assert text.note, text.key


def test_platform_imports_nothing_of_vercel_lab() -> None:
    tree = ast.parse(Path(platform.__file__).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            assert not (node.module or "").startswith("vercel_lab")
        elif isinstance(node, ast.Import):
            assert not any(alias.name.startswith("vercel_lab") for alias in node.names)


@pytest.mark.parametrize(
    ("code", "accept", "body"),
    [
        ("FUNCTION_INVOCATION_FAILED", None, FIF_TEXT),
        ("FUNCTION_INVOCATION_FAILED", "*/*", FIF_TEXT),
        ("FUNCTION_INVOCATION_TIMEOUT", "text/plain",
         "An error occurred with your deployment\n\nFUNCTION_INVOCATION_TIMEOUT\n"),
        ("FUNCTION_PAYLOAD_TOO_LARGE", "*/*",
         "Request Entity Too Large\n\nFUNCTION_PAYLOAD_TOO_LARGE\n"),
        ("NOT_FOUND", "*/*", "The page could not be found.\n\nNOT_FOUND\n"),
        ("FUNCTION_INVOCATION_FAILED", "application/json",
         '{"error":{"code":500,"message":"A server error has occurred"}}\n'),
    ],
)  # fmt: skip
def test_error_bodies_by_accept(code: str, accept: str | None, body: str) -> None:
    status, headers, data = platform.error_response(code, "iad1::abcde-1-0123456789ab", accept)
    assert data.decode() == body
    assert status == platform.CATALOGUE[code].status
    assert dict(headers)["x-vercel-error"] == code
    assert dict(headers)["x-vercel-id"] == "iad1::abcde-1-0123456789ab"


def test_the_exit_lines_of_both_eras() -> None:
    fluid = platform.death("exit", 1, 10.0)[1]
    assert fluid == (
        "Python process exited with exit status: 1. The logs above can help with debugging "
        "the issue.\n"
    )
    assert platform.death("exit", -11, 10.0)[1] == (
        "Python process exited with signal: 11 (SIGSEGV). The logs above can help with "
        "debugging the issue.\n"
    )
    assert platform.death("exit", -9, 10.0, "lambda")[1] == (
        "Error: Runtime exited with error: signal: kill\n"
    )
    assert platform.death("timeout", None, 10.0)[1] == (
        "Vercel Runtime Timeout Error: Task timed out after 10 seconds\n"
    )
