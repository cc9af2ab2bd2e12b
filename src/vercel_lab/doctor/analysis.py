"""What the function imports: its sys.path, its Django settings, and the project files it
loads, found statically from the builder's entrypoints.

On Vercel the project root (``/var/task``) is on sys.path, plus the Django project folder when
Vercel's Django support finds ``manage.py`` below the root (``extraPythonPath`` in
``@vercel/python``), plus whatever the entrypoint adds to ``sys.path`` itself. The files the
function loads are found by following imports (and dotted module strings such as Django's
``INSTALLED_APPS`` and ``include("app.urls")``) from the entrypoints.
"""

from __future__ import annotations

import ast
import posixpath
import re
from dataclasses import dataclass, field

from vercel_lab.doctor.project import Project
from vercel_lab.doctor.pyeval import (
    UNKNOWN,
    ModuleValues,
    PathValue,
    dotted,
    import_time,
    is_main_guard,
    outside_task,
    relative,
    shallow_nodes,
)
from vercel_lab.platform import TASK_ROOT

_DOTTED = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*")
_TEST_FILE = re.compile(r"(^|/)(tests?/|tests?\.py$|test_[^/]*\.py$|[^/]*_test\.py$|conftest\.py$)")


@dataclass(frozen=True)
class PathAddition:
    """A ``sys.path`` entry a file adds: where, and the deployed path it evaluates to."""

    file: str
    line: int
    path: str


@dataclass(frozen=True)
class SettingsRef:
    """A ``DJANGO_SETTINGS_MODULE`` a file sets, and the settings file it resolves to."""

    file: str
    line: int
    module: str
    target: str | None


@dataclass
class Analysis:
    """The function's view of the project, computed once and shared by the checks."""

    project: Project
    function_files: list[str] = field(default_factory=list)
    django_base: str | None = None
    additions: list[PathAddition] = field(default_factory=list)
    roots: list[str] = field(default_factory=list)
    settings_refs: list[SettingsRef] = field(default_factory=list)
    settings_file: str | None = None
    settings: ModuleValues | None = None
    reachable: list[str] = field(default_factory=list)

    def tree(self, rel: str) -> ast.Module | None:
        return self.project.source(rel).tree

    def resolve(self, module: str | None, level: int, importer: str) -> str | None:
        """The project file (or namespace folder, ending in ``/``) an import in ``importer``
        loads; None when it is not the project's code (or not found)."""
        if level == 0:
            return self.project.module_file(module, self.roots) if module else None
        package = posixpath.dirname(importer)
        for _ in range(level - 1):
            package = posixpath.dirname(package)
        if not module:
            init = f"{package}/__init__.py" if package else "__init__.py"
            return init if self.project.exists(init) else (package + "/" if package else None)
        return self.project.module_file(module, [package])

    def values(self, rel: str) -> ModuleValues:
        return ModuleValues(self.tree, self.resolve, rel)


def analyse(project: Project) -> Analysis:
    """Entrypoints, sys.path, Django settings and reachable files of ``project``."""
    result = Analysis(project, function_files=project.function_files())
    result.django_base = _django_base(project)
    result.roots = [""] + ([result.django_base] if result.django_base else [])
    starters = [*result.function_files]
    for manage in ("manage.py", f"{result.django_base}/manage.py" if result.django_base else ""):
        if manage and project.exists(manage) and manage not in starters:
            starters.append(manage)
    for rel in starters:
        result.additions.extend(_sys_path_additions(result, rel))
    for addition in result.additions:
        if not outside_task(addition.path):
            root = relative(addition.path)
            root = "" if root == TASK_ROOT else root
            if project.is_dir(root) and root not in result.roots:
                result.roots.append(root)
    for rel in starters:
        result.settings_refs.extend(_settings_refs(result, rel))
    resolved = [r for r in result.settings_refs if r.target]
    if resolved:
        result.settings_file = resolved[0].target
    elif not result.settings_refs:
        result.settings_file = _lone_settings(project)
    if result.settings_file:
        result.settings = result.values(result.settings_file)
    result.reachable = _reachable(result, starters)
    return result


def _django_base(project: Project) -> str | None:
    # Vercel's Django support: the first of "" and the top-level folders whose manage.py
    # mentions DJANGO_SETTINGS_MODULE; that folder goes on sys.path.
    if project.framework != "django":
        return None
    for base in ["", *sorted(d for d in project.dirs if d and "/" not in d and d[0] != ".")]:
        manage = f"{base}/manage.py" if base else "manage.py"
        if "DJANGO_SETTINGS_MODULE" in (project.text(manage) or ""):
            return base or None
    return None


def _sys_path_additions(analysis: Analysis, rel: str) -> list[PathAddition]:
    tree = analysis.tree(rel)
    if tree is None:
        return []
    values = analysis.values(rel)
    found: list[PathAddition] = []
    for stmt, _ in import_time(tree.body):
        for node in shallow_nodes(stmt):
            args: list[ast.expr] = []
            if isinstance(node, ast.Call):
                name = dotted(node.func)
                if name == "sys.path.insert" and len(node.args) == 2:
                    args = [node.args[1]]
                elif name in ("sys.path.append", "site.addsitedir") and len(node.args) == 1:
                    args = [node.args[0]]
            elif isinstance(node, ast.AugAssign) and dotted(node.target) == "sys.path":
                args = list(node.value.elts) if isinstance(node.value, ast.List) else []
            for arg in args:
                value = values.eval(arg)
                if isinstance(value, PathValue) or (isinstance(value, str) and value):
                    path = (
                        value
                        if isinstance(value, PathValue)
                        else PathValue(posixpath.normpath(posixpath.join(TASK_ROOT, value)))
                    )
                    found.append(PathAddition(rel, arg.lineno, path))
    return found


def _settings_refs(analysis: Analysis, rel: str) -> list[SettingsRef]:
    tree = analysis.tree(rel)
    if tree is None:
        return []
    refs: list[SettingsRef] = []
    for node in ast.walk(tree):
        value: ast.expr | None = None
        if isinstance(node, ast.Call) and dotted(node.func) in (
            "os.environ.setdefault",
            "environ.setdefault",
        ):
            if len(node.args) == 2 and _const(node.args[0]) == "DJANGO_SETTINGS_MODULE":
                value = node.args[1]
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if (
                isinstance(target, ast.Subscript)
                and dotted(target.value) == "os.environ"
                and _const(target.slice) == "DJANGO_SETTINGS_MODULE"
            ):
                value = node.value
        module = _const(value) if value is not None else None
        if isinstance(module, str) and value is not None:
            target_file = analysis.project.module_file(module, analysis.roots)
            if target_file is not None and target_file.endswith("/"):
                target_file = None
            refs.append(SettingsRef(rel, value.lineno, module, target_file))
    return refs


def _const(node: ast.expr) -> object:
    return node.value if isinstance(node, ast.Constant) else UNKNOWN


def _lone_settings(project: Project) -> str | None:
    candidates = [
        f
        for f in project.python_files()
        if posixpath.basename(f) == "settings.py" and "INSTALLED_APPS" in (project.text(f) or "")
    ]
    return min(candidates, key=lambda f: (f.count("/"), f)) if len(candidates) == 1 else None


def is_test_file(rel: str) -> bool:
    return _TEST_FILE.search(rel) is not None


def _reachable(analysis: Analysis, starters: list[str]) -> list[str]:
    project = analysis.project
    queue = [*starters]
    if analysis.settings_file:
        queue.append(analysis.settings_file)
    if not analysis.function_files:
        queue.extend(f for f in project.python_files() if not is_test_file(f))
    seen: list[str] = []
    while queue:
        rel = queue.pop(0)
        if rel in seen or not project.exists(rel) or is_test_file(rel):
            continue
        seen.append(rel)
        tree = analysis.tree(rel)
        if tree is None:
            continue
        for module, level in _imports(tree):
            names = module.split(".") if module else [""]
            for depth in range(1, len(names) + 1):
                target = analysis.resolve(".".join(names[:depth]) or None, level, rel)
                if target and not target.endswith("/"):
                    queue.append(target)
        if rel == analysis.settings_file or posixpath.basename(rel) in ("urls.py", "apps.py"):
            queue.extend(_dotted_strings(analysis, tree, rel))
    return seen


def _imports(tree: ast.Module) -> list[tuple[str, int]]:
    found: list[tuple[str, int]] = []
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and (
            is_main_guard(node) or dotted(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")
        ):
            skipped.update(id(n) for n in ast.walk(node) if n is not node)
            skipped.difference_update(id(n) for s in node.orelse for n in ast.walk(s))
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.extend((alias.name, 0) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            found.append((base, node.level))
            found.extend(
                (f"{base}.{a.name}" if base else a.name, node.level)
                for a in node.names
                if a.name != "*"
            )
    return found


def _dotted_strings(analysis: Analysis, tree: ast.Module, rel: str) -> list[str]:
    # Django names modules in strings: INSTALLED_APPS, ROOT_URLCONF, include("app.urls").
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
            if len(text) < 200 and _DOTTED.fullmatch(text):
                parts = text.split(".")
                for depth in range(len(parts), 0, -1):
                    target = analysis.project.module_file(".".join(parts[:depth]), analysis.roots)
                    if target is not None:
                        if target.endswith("/") or target.endswith("__init__.py"):
                            package = target.rstrip("/").removesuffix("/__init__.py")
                            found.extend(analysis.project.python_files(package))
                        else:
                            found.append(target)
                        break
    return found
