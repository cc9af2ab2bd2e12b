"""select_manifest: the shared cases (values from real `vercel build` runs) and the precedence."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.builder.deploy_cases import MakeProject
from vercel_lab.builder.manifest import select_manifest

FROZEN = (
    "sync",
    "--active",
    "--no-dev",
    "--link-mode",
    "hardlink",
    "--frozen",
    "--python-platform",
    "x86_64-unknown-linux-gnu",
    "--no-editable",
)
LOCKED = (*FROZEN[:5], "--locked", *FROZEN[6:])


def test_uvlock_hides_requirements(case: Callable[[str], Path]) -> None:
    m = select_manifest(case("uvlock-hides-requirements"), "api/index.py")
    assert (m.kind, m.path, m.lock, m.project_dir) == ("uv.lock", "pyproject.toml", "uv.lock", "")
    assert m.log_line == "Installing required dependencies from uv.lock..."
    assert m.requirements == ()
    assert m.hidden == ("requirements.txt",)
    assert m.sync_args == FROZEN
    assert m.lock_args is None
    assert m.python_version_file == ".python-version"
    assert m.error is None


def test_poetry_only_pyproject_installs_nothing(case: Callable[[str], Path]) -> None:
    m = select_manifest(case("poetry-only-pyproject"), "main.py")
    assert (m.kind, m.path, m.lock) == ("pyproject.toml", "pyproject.toml", None)
    assert m.log_line == "Installing required dependencies from pyproject.toml..."
    assert m.requirements == ()
    assert m.installs_project is False
    assert m.hidden == ("requirements.txt",)
    assert m.sync_args == LOCKED
    assert m.lock_args == ("lock", "--python", "<venv-python>")
    assert m.notes[0].startswith("pyproject.toml has no [project] table (Poetry-only)")


def test_driver_only_in_extra_installs_only_project_dependencies(
    case: Callable[[str], Path],
) -> None:
    m = select_manifest(case("driver-only-in-extra"), "app.py")
    assert m.kind == "pyproject.toml"
    assert m.requirements == ("fastapi>=0.110",)
    assert m.installs_project is False  # no [build-system]: uv does not package the project
    assert m.notes == ("optional dependencies (cloud) are never installed",)
    assert m.requires_python == ">=3.12"


def test_python_version_311_with_uvlock(case: Callable[[str], Path]) -> None:
    m = select_manifest(case("python-version-311-with-uvlock"), "main.py")
    assert (m.kind, m.lock) == ("uv.lock", "uv.lock")
    assert m.requirements == ("fastapi>=0.115.0",)
    assert m.python_version_file == ".python-version"


def test_stale_root_manage_py_root_requirements_win(case: Callable[[str], Path]) -> None:
    root = case("stale-root-manage-py")
    m = select_manifest(root, "manage.py")
    assert (m.kind, m.path, m.converted) == ("requirements.txt", "requirements.txt", True)
    assert m.log_line == "Installing required dependencies from requirements.txt..."
    assert m.requirements == ()
    backend = select_manifest(root, "backend/manage.py")
    assert backend.log_line == "Installing required dependencies from backend/requirements.txt..."
    assert backend.requirements == ("Django>=5.0", "gunicorn>=22")
    assert backend.project_dir == "backend"


@pytest.mark.parametrize(
    ("present", "winner"),
    [
        (["pyproject.toml", "Pipfile.lock", "requirements.txt"], "pyproject.toml"),
        (["Pipfile.lock", "Pipfile", "requirements.txt"], "Pipfile.lock"),
        (["Pipfile", "requirements.txt"], "Pipfile"),
        (["requirements-frozen.txt", "requirements.frozen.txt"], "requirements.frozen.txt"),
        (["requirements.txt", "requirements-frozen.txt"], "requirements-frozen.txt"),
        (["requirements.in", "requirements.txt"], "requirements.txt"),
        (["requirements/prod.txt", "requirements.in"], "requirements.in"),
        (["requirements/prod.txt"], "requirements/prod.txt"),
    ],
)
def test_precedence_within_a_folder(
    deploy_project: MakeProject, present: list[str], winner: str
) -> None:
    contents = {
        "pyproject.toml": '[project]\nname = "x"\nversion = "1"\ndependencies = ["a"]\n',
        "Pipfile.lock": '{"default": {"a": {"version": "==1.0"}}}',
        "Pipfile": '[packages]\na = "*"\n',
    }
    root = deploy_project({"app.py": "", **{p: contents.get(p, "a\n") for p in present}})
    m = select_manifest(root, "app.py")
    assert m.path == winner
    assert set(m.hidden) == set(present) - {winner}


def test_nearest_folder_wins_walking_up(deploy_project: MakeProject) -> None:
    root = deploy_project({"requirements.txt": "flask\n", "api/index.py": ""})
    assert select_manifest(root, "api/index.py").path == "requirements.txt"
    (root / "api" / "requirements.txt").write_text("django\n")
    m = select_manifest(root, "api/index.py")
    assert (m.path, m.requirements, m.project_dir) == ("api/requirements.txt", ("django",), "api")


def test_lone_uv_lock_is_ignored(deploy_project: MakeProject) -> None:
    from tests.builder.deploy_cases import UV_LOCK_FASTAPI

    root = deploy_project({"uv.lock": UV_LOCK_FASTAPI, "requirements.txt": "flask\n", "a.py": ""})
    m = select_manifest(root, "a.py")
    assert (m.kind, m.lock, m.requirements) == ("requirements.txt", None, ("flask",))
    assert m.hidden == ("uv.lock",)


def test_requirements_markers_includes_options_and_hashes(deploy_project: MakeProject) -> None:
    root = deploy_project(
        {
            "a.py": "",
            "requirements.txt": (
                "--index-url https://example.invalid/simple\n-r base.txt\n"
                'pywin32>=300 ; sys_platform == "win32"  # windows only\n'
                "django==5.0 \\\n    --hash=sha256:abc\n-e ./libs/x\n"
            ),
            "base.txt": "requests[socks]>=2\n",
        }
    )
    assert select_manifest(root, "a.py").requirements == (
        "requests[socks]>=2",
        'pywin32>=300; sys_platform == "win32"',
        "django==5.0",
        "-e ./libs/x",
    )


def test_unparseable_requirements_is_a_build_error(deploy_project: MakeProject) -> None:
    m = select_manifest(deploy_project({"a.py": "", "requirements.txt": "flask>=>3\n"}), "a.py")
    assert m.error is not None
    assert m.error.code == "PYTHON_REQUIREMENTS_PARSE_ERROR"
    assert m.error.message.startswith("could not parse requirements.txt: ")


def test_unparseable_pyproject_is_a_build_error(deploy_project: MakeProject) -> None:
    m = select_manifest(deploy_project({"a.py": "", "pyproject.toml": "[project\n"}), "a.py")
    assert m.error is not None
    assert m.error.code == "PYTHON_PYPROJECT_PARSE_ERROR"
    assert m.error.message.startswith("could not parse pyproject.toml: ")


def test_pipfile_dev_packages_never_installed(deploy_project: MakeProject) -> None:
    root = deploy_project(
        {
            "a.py": "",
            "Pipfile": (
                '[packages]\nflask = "*"\nrequests = {version = ">=2", extras = ["socks"]}\n'
                '[dev-packages]\npytest = "*"\n'
            ),
        }
    )
    m = select_manifest(root, "a.py")
    assert (m.kind, m.requirements) == ("Pipfile", ("flask", "requests[socks]>=2"))


def test_pipfile_lock_default_only_with_python_version(deploy_project: MakeProject) -> None:
    root = deploy_project(
        {
            "a.py": "",
            "Pipfile.lock": (
                '{"_meta": {"requires": {"python_version": "3.11"}},'
                ' "default": {"flask": {"version": "==3.0.0",'
                ' "markers": "python_version >= \'3.8\'"}},'
                ' "develop": {"pytest": {"version": "==8.0"}}}'
            ),
        }
    )
    m = select_manifest(root, "a.py")
    assert m.requirements == ("flask==3.0.0 ; python_version >= '3.8'",)
    assert m.requires_python == "==3.11.*"


def test_build_system_project_installs_itself(deploy_project: MakeProject) -> None:
    root = deploy_project(
        {
            "src/pkg/__init__.py": "",
            "api/index.py": "",
            "pyproject.toml": (
                '[project]\nname = "pkg"\nversion = "1"\ndependencies = []\n'
                '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
            ),
        }
    )
    assert select_manifest(root, "api/index.py").installs_project is True


def test_workspace_member_uses_root_lock(deploy_project: MakeProject) -> None:
    root = deploy_project(
        {
            "pyproject.toml": (
                '[project]\nname = "root"\nversion = "1"\n'
                '[tool.uv.workspace]\nmembers = ["apps/*"]\n'
            ),
            "uv.lock": 'version = 1\n[[package]]\nname = "web"\nversion = "1"\n'
            'source = { editable = "apps/web" }\n'
            'dependencies = [{ name = "x" }]\n',
            "apps/web/pyproject.toml": (
                '[project]\nname = "web"\nversion = "1"\ndependencies = ["x"]\n'
            ),
            "apps/web/main.py": "",
        }
    )
    m = select_manifest(root, "apps/web/main.py")
    assert (m.path, m.lock, m.kind) == ("apps/web/pyproject.toml", "uv.lock", "uv.lock")
    assert m.requirements == ("x",)


def test_no_manifest(deploy_project: MakeProject) -> None:
    m = select_manifest(deploy_project({"a.py": ""}), "a.py")
    assert m.kind == "none"
    assert m.log_line == (
        "No Python manifest found; creating an empty pyproject.toml and uv.lock..."
    )


def test_entrypoint_outside_root(deploy_project: MakeProject) -> None:
    with pytest.raises(ValueError, match="Entrypoint directory outside of repository root"):
        select_manifest(deploy_project({"a.py": ""}), "../x/a.py")
