"""select_python: the builder's lines from real `vercel build` runs (logs/build-*.log)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.builder.deploy_cases import MakeProject
from vercel_lab.builder.manifest import select_manifest
from vercel_lab.builder.python_version import select_python

NO_VERSION = (
    "No Python version specified in .python-version, pyproject.toml, or Pipfile.lock. "
    "Using python version: 3.12"
)
WARN_311 = (
    'Warning: Python version "3.11" detected in .python-version is not installed and will be '
    "ignored. https://vercel.link/python-version"
)


def choose(root: Path, entry: str) -> object:
    return select_python(root, select_manifest(root, entry))


def test_uvlock_hides_requirements(case: Callable[[str], Path]) -> None:
    root = case("uvlock-hides-requirements")
    c = select_python(root, select_manifest(root, "api/index.py"))
    assert (c.version, c.source, c.install_fails) == ("3.12", ".python-version", False)
    assert c.log_lines == ("Using Python 3.12 from .python-version",)


def test_python_version_311_with_uvlock_fails_the_install(case: Callable[[str], Path]) -> None:
    root = case("python-version-311-with-uvlock")
    c = select_python(root, select_manifest(root, "main.py"))
    assert (c.version, c.requested, c.warning) == ("3.12", "3.11", WARN_311)
    assert c.log_lines == (WARN_311, "Using python version: 3.12")
    assert c.install_fails is True
    assert c.failure == (
        "No interpreter found for Python 3.11 in managed installations or search path"
    )


def test_driver_only_in_extra_pins_a_version_file(case: Callable[[str], Path]) -> None:
    root = case("driver-only-in-extra")
    c = select_python(root, select_manifest(root, "app.py"))
    assert c.log_lines == (
        "Using Python 3.12 from pyproject.toml",
        "Writing .python-version file with version 3.12",
    )
    assert c.pins_file == ".python-version"


@pytest.mark.parametrize(
    ("name", "entry"), [("poetry-only-pyproject", "main.py"), ("stale-root-manage-py", "manage.py")]
)
def test_no_version_specified(case: Callable[[str], Path], name: str, entry: str) -> None:
    root = case(name)
    c = select_python(root, select_manifest(root, entry))
    assert (c.version, c.source, c.log_lines, c.install_fails) == (
        "3.12",
        None,
        (NO_VERSION,),
        False,
    )


def test_requirements_with_unavailable_pin_also_fails(deploy_project: MakeProject) -> None:
    # Verified: requirements.txt + .python-version 3.11 -> uv sync asks for 3.11 (build fails).
    root = deploy_project({"a.py": "", "requirements.txt": "flask\n", ".python-version": "3.11\n"})
    c = select_python(root, select_manifest(root, "a.py"))
    assert (c.version, c.warning, c.install_fails) == ("3.12", WARN_311, True)


def test_pipfile_lock_pin_is_rewritten_and_installs(deploy_project: MakeProject) -> None:
    root = deploy_project(
        {
            "a.py": "",
            "Pipfile.lock": '{"_meta": {"requires": {"python_version": "3.11"}}}',
        }
    )
    c = select_python(root, select_manifest(root, "a.py"))
    assert c.warning == (
        'Warning: Python version "3.11" detected in Pipfile.lock is not installed and will be '
        "ignored. https://vercel.link/python-version"
    )
    assert c.install_fails is False


@pytest.mark.parametrize(
    ("requires", "version"),
    [
        (">=3.12", "3.12"),
        (">=3.13", "3.14"),
        ("~=3.13", "3.13"),
        ("==3.13.2", "3.13"),
        (">=3.11,<3.14", "3.12"),
        ("<3.14,>3.12", "3.13"),
    ],
)
def test_first_available_in_builder_order(
    deploy_project: MakeProject, requires: str, version: str
) -> None:
    root = deploy_project(
        {
            "a.py": "",
            "pyproject.toml": (
                f'[project]\nname = "x"\nversion = "1"\nrequires-python = "{requires}"\n'
            ),
        }
    )
    c = select_python(root, select_manifest(root, "a.py"))
    assert c.version == version
    assert c.log_lines[0] == f"Using Python {version} from pyproject.toml"


def test_requires_python_excluding_the_image_fails_for_pyproject(
    deploy_project: MakeProject,
) -> None:
    root = deploy_project(
        {
            "a.py": "",
            "pyproject.toml": (
                '[project]\nname = "x"\nversion = "1"\nrequires-python = "==3.11.*"\n'
            ),
        }
    )
    c = select_python(root, select_manifest(root, "a.py"))
    assert (c.version, c.requested, c.install_fails) == ("3.12", "3.11", True)


def test_invalid_version_file(deploy_project: MakeProject) -> None:
    root = deploy_project({"a.py": "", "requirements.txt": "", ".python-version": "2.7\n"})
    c = select_python(root, select_manifest(root, "a.py"))
    assert c.warning == (
        'Warning: Python version "2.7" detected in .python-version is invalid and will be '
        "ignored. https://vercel.link/python-version"
    )
    assert c.version == "3.12"


def test_local_pythons_do_not_count(deploy_project: MakeProject) -> None:
    root = deploy_project({"a.py": "", "requirements.txt": "", ".python-version": "3.11\n"})
    m = select_manifest(root, "a.py")
    assert select_python(root, m).version == "3.12"
    # Only an image that had 3.11 would pick it:
    assert select_python(root, m, available=("3.11", "3.12")).version == "3.11"


def test_pipfile_requires_python_version_is_ignored(deploy_project: MakeProject) -> None:
    # Verified with a real build (logs/build-x-pipfile-requires.log): only Pipfile.lock's
    # _meta.requires.python_version is read (ana0132:998), never Pipfile's [requires].
    root = deploy_project(
        {
            "a.py": "",
            "Pipfile": '[packages]\nflask = "*"\n\n[requires]\npython_version = "3.13"\n',
        }
    )
    c = select_python(root, select_manifest(root, "a.py"))
    assert (c.version, c.log_lines) == ("3.12", (NO_VERSION,))
