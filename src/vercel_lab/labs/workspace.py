"""Lab folders: where a learner's copy of a project lives while they change it.

Each lab works on its own folder under :func:`labs_home` (``$VERCEL_LAB_LABS_DIR``, else
``work/`` in the current directory: beside the notebooks, inside the folder JupyterLab opens),
never on the repository's ``examples/``: :func:`start` copies the lab's starting project there
(symlinks resolved, so the copy stands alone), the notebooks' ``%%writefile`` cells (or
JupyterLab's editor) change its files, :func:`write_project` and :func:`remove` do the same from
Python, and the checks run that folder under the runtime.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from vercel_lab.examples import example, examples_root

# Every path goes to the one function, as in examples/fixed-api-index.
REWRITE_ALL = (
    json.dumps({"rewrites": [{"source": "/(.*)", "destination": "/api/index"}]}, indent=2) + "\n"
)
_PLACEHOLDER = "# The notebook's exercise cell writes this file.\n"
#: The folder, relative to the notebooks (the kernel's working directory), holding the labs.
WORK_FOLDER = "work"


@dataclass(frozen=True)
class Lab:
    """One lab: ``number`` ("01"), the ``slug`` of its chapter, the example its folder starts
    from (None: an empty project) and ``files`` written on top of that start."""

    number: str
    slug: str
    title: str
    starter: str | None
    files: Mapping[str, str] = field(default_factory=dict)

    @property
    def folder_name(self) -> str:
        return f"{self.number}-{self.slug}"


_BLANK = {"vercel.json": REWRITE_ALL, "api/index.py": _PLACEHOLDER}

#: The labs, one per tutorial chapter, in reading order.
LABS: dict[str, Lab] = {
    lab.number: lab
    for lab in (
        Lab("01", "the-fix", "The fix", "seed-broken"),
        Lab("02", "root-cause", "Root cause", None, _BLANK),
        Lab("03", "mental-model", "The mental model", None, _BLANK),
        Lab("04", "warning-signs", "Warning signs", "readonly-fs"),
        Lab("05", "alternatives", "Alternatives", "seed-broken"),
    )
}


def lab_id(lab: str | int) -> str:
    """``"01"`` for ``1``, ``"1"``, ``"01"`` or ``"01-the-fix"``; ValueError for anything else."""
    text = str(lab).strip().split("-", 1)[0]
    number = f"{int(text):02d}" if text.isdigit() else text
    if number not in LABS:
        raise ValueError(f"unknown lab {lab!r}; the labs are: {', '.join(LABS)}")
    return number


def labs_home() -> Path:
    """The folder holding every lab folder: ``$VERCEL_LAB_LABS_DIR``, else :data:`WORK_FOLDER`
    in the current directory, which for a notebook is the notebook's folder, so the
    ``%%writefile work/01-the-fix/...`` cells and JupyterLab's file browser see the lab's files
    (a folder in the system's temporary directory when the current one cannot be written)."""
    configured = os.environ.get("VERCEL_LAB_LABS_DIR")
    if configured:
        return Path(configured).expanduser()
    here = Path.cwd()
    if os.access(here, os.W_OK):
        return here / WORK_FOLDER
    return Path(tempfile.gettempdir()) / f"vercel-lab-labs-{os.getuid()}"


def lab_folder(lab: str | int) -> Path:
    """The folder of ``lab`` (whether or not it exists yet)."""
    return labs_home() / LABS[lab_id(lab)].folder_name


def start(lab: str | int, *, reset: bool = True) -> Path:
    """Create ``lab``'s folder from its starting project and return its path.

    With ``reset`` (the default) an existing folder is replaced, so running a notebook from the
    top always starts from the same place; ``reset=False`` keeps what is there.
    """
    spec = LABS[lab_id(lab)]
    folder = lab_folder(spec.number)
    if folder.exists() and not reset:
        print(f"Lab {spec.number} folder (kept as it was): {folder}")
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    if spec.starter is not None:
        shutil.copytree(
            example(spec.starter),
            folder,
            symlinks=False,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.log", ".venv"),
        )
    else:
        folder.mkdir()
    _write(folder, spec.files)
    origin = f"a copy of examples/{spec.starter}" if spec.starter else "a new project"
    print(f"Lab {spec.number} folder ({origin}): {_shown(folder)}")
    return folder


def _shown(folder: Path) -> str:
    """``folder`` relative to the current directory when it is inside it (as the notebooks'
    ``%%writefile`` cells name it), else absolute."""
    try:
        return str(folder.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(folder)


def _inside_examples(folder: Path) -> bool:
    try:
        root = examples_root().resolve()
    except FileNotFoundError:
        return False
    return folder.resolve().is_relative_to(root)


def _relative(name: str) -> PurePosixPath:
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or not path.parts or ".." in path.parts:
        raise ValueError(f"{name!r}: give a path inside the project, like 'api/index.py'")
    return path


def _write(folder: Path, files: Mapping[str, str]) -> list[str]:
    written = []
    for name, text in files.items():
        target = folder / _relative(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        # Cells hold indented triple-quoted strings: dedent, drop the first newline.
        target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        written.append(str(_relative(name)))
    return written


def write_project(
    folder: str | Path, files: Mapping[str, str], *, remove: Iterable[str] = ()
) -> None:
    """Write ``files`` (``{"api/index.py": source}``) into ``folder``, then delete each path in
    ``remove`` (a file or a whole folder; a path that is not there is skipped); print what
    changed.

    Raises ValueError, before touching anything, for a folder inside the repository's
    ``examples/`` (labs change copies, never the examples) and for a path that leaves the
    folder; FileNotFoundError when the folder does not exist.
    """
    root = Path(folder).expanduser()
    if _inside_examples(root):
        raise ValueError(
            f"{root} is inside the repository's examples/: labs change a copy. "
            "Use the folder labs.start(...) returned."
        )
    if not root.is_dir():
        raise FileNotFoundError(f"no lab folder at {root}: run labs.start(...) first")
    doomed = [_relative(name) for name in remove]
    for name in files:
        _relative(name)
    written, removed = _write(root, files), []
    for relative in doomed:
        target = root / relative
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        elif target.exists() or target.is_symlink():
            target.unlink()
        else:
            continue
        removed.append(str(relative))
    report = [f"wrote {', '.join(written)}"] if written else []
    report += [f"removed {', '.join(removed)}"] if removed else []
    print(f"In {root}: {'; '.join(report) or 'nothing to do'}")


def show(folder: str | Path, name: str) -> None:
    """Print the file ``name`` of the project in ``folder``."""
    print((Path(folder).expanduser() / _relative(name)).read_text(encoding="utf-8"), end="")


def remove(folder: str | Path, paths: Iterable[str]) -> None:
    """Delete each of ``paths`` (a file or a whole folder) from the lab folder ``folder``; the
    same rules and errors as :func:`write_project`."""
    write_project(folder, {}, remove=paths)
