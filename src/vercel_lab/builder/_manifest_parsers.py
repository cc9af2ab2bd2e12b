"""Read each manifest kind into the PEP 508 strings the builder installs.

Every function is pure over text/data; parse failures raise :class:`ManifestParseError` carrying
the builder's error code. Sources:

- requirements files are converted to ``[project].dependencies`` (ana0132:1259-1290), with
  ``-r`` includes followed (the WASM parser reads included files through ``readFile``), index
  options kept out of the dependency list (ana0132:1291-1312, they become ``tool.uv.index``).
- ``Pipfile``: only ``[packages]`` become dependencies; ``[dev-packages]`` and other sections
  become dependency groups, never installed (ana0132:936-990; ``uv sync --no-dev``).
- ``Pipfile.lock``: only ``default``; ``develop`` and other sections become groups
  (ana0132:995-1050); ``_meta.requires.python_version`` becomes ``requires-python ==X.Y.*``.
- Entry formatting: ``name[extras]version ; markers``, version ``*`` dropped (ana0132:379-392).
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable, Mapping
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement

#: pip options that take a value and carry no dependency (they become uv index settings).
_OPTIONS_WITH_VALUE = frozenset(
    {
        "-i",
        "--index-url",
        "--extra-index-url",
        "-f",
        "--find-links",
        "--trusted-host",
        "--no-binary",
        "--only-binary",
        "--use-feature",
        "-c",
        "--constraint",
    }
)
_FLAG_OPTIONS = frozenset({"--no-index", "--pre", "--prefer-binary", "--require-hashes"})


class ManifestParseError(Exception):
    """A manifest the builder cannot read: ``code`` is the builder's, ``message`` its text."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def format_pep508(
    name: str,
    version: str | None = None,
    extras: list[str] | None = None,
    markers: str | None = None,
) -> str:
    """``name[extras]version ; markers`` exactly as ``formatPep508`` (ana0132:379-392)."""
    result = name
    if extras:
        result += f"[{','.join(extras)}]"
    if version and version != "*":
        result += version
    if markers:
        result += f" ; {markers}"
    return result


def _logical_lines(text: str) -> list[str]:
    """Join backslash continuations, drop comments (`` #`` or a line starting ``#``)."""
    lines: list[str] = []
    pending = ""
    for raw in text.splitlines():
        line = raw
        if line.lstrip().startswith("#"):
            line = ""
        elif " #" in line:
            line = line.split(" #", 1)[0]
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        full = (pending + line).strip()
        pending = ""
        if full:
            lines.append(full)
    if pending.strip():
        lines.append(pending.strip())
    return lines


def parse_requirements(
    text: str,
    file_name: str,
    read_include: Callable[[str], str | None],
    _depth: int = 0,
) -> list[str]:
    """Requirement strings of a requirements file, in order, includes expanded.

    ``read_include(relpath)`` returns an included file's text or None when it is missing.
    ``--hash`` options are dropped; ``-e``/``--editable`` entries are kept as ``-e <target>``.
    Raises ManifestParseError(``PYTHON_REQUIREMENTS_PARSE_ERROR``,
    ``could not parse <file_name>: <detail>``); the detail after the colon is modelled (the
    builder's comes from its WASM parser).
    """
    if _depth > 10:
        raise ManifestParseError(
            "PYTHON_REQUIREMENTS_PARSE_ERROR", f"could not parse {file_name}: include loop"
        )
    out: list[str] = []
    for line in _logical_lines(text):
        tokens = shlex.split(line, posix=True) if line.startswith("-") else [line]
        head = tokens[0]
        if head in ("-r", "--requirement") or head.startswith(("-r", "--requirement=")):
            target = (
                tokens[1]
                if head in ("-r", "--requirement") and len(tokens) > 1
                else (head.split("=", 1)[1] if "=" in head else head[2:])
            )
            included = read_include(target)
            if included is None:
                raise ManifestParseError(
                    "PYTHON_REQUIREMENTS_PARSE_ERROR",
                    f"could not parse {file_name}: cannot read included file {target}",
                )
            out.extend(parse_requirements(included, file_name, read_include, _depth + 1))
            continue
        if head in ("-e", "--editable"):
            out.append(f"-e {tokens[1]}" if len(tokens) > 1 else "-e")
            continue
        if head.split("=", 1)[0] in _OPTIONS_WITH_VALUE or head in _FLAG_OPTIONS:
            continue
        if head.startswith("-"):
            raise ManifestParseError(
                "PYTHON_REQUIREMENTS_PARSE_ERROR",
                f"could not parse {file_name}: unsupported option {head}",
            )
        spec = line.split(" --hash", 1)[0].strip()
        try:
            req = Requirement(spec)
        except InvalidRequirement as exc:
            raise ManifestParseError(
                "PYTHON_REQUIREMENTS_PARSE_ERROR", f"could not parse {file_name}: {exc}"
            ) from exc
        out.append(str(req))
    return out


def _dep_entry(name: str, props: Any) -> str:
    """One Pipfile / Pipfile.lock entry (ana0132:858-916)."""
    extras: list[str] = []
    if "[" in name and name.endswith("]"):
        name, _, rest = name.partition("[")
        extras = [e.strip() for e in rest[:-1].split(",") if e.strip()]
    version: str | None = None
    markers: str | None = None
    if isinstance(props, str):
        version = props
    elif isinstance(props, Mapping):
        version = props.get("version")
        more = props.get("extras")
        if more:
            for extra in [more] if isinstance(more, str) else list(more):
                if extra not in extras:
                    extras.append(extra)
        markers = props.get("markers")
    return format_pep508(name, version, extras or None, markers)


def parse_pipfile(data: Mapping[str, Any]) -> list[str]:
    """``[packages]`` of a parsed Pipfile; dev-packages and custom sections are never installed."""
    packages = data.get("packages") or {}
    return [_dep_entry(str(n), p) for n, p in packages.items()]


def parse_pipfile_lock(text: str) -> tuple[list[str], str | None]:
    """(``default`` entries, ``requires-python`` from ``_meta.requires.python_version``).

    Raises ManifestParseError(``PYTHON_PIPFILE_LOCK_PARSE_ERROR``) for invalid JSON
    (message prefix ``could not parse Pipfile.lock: `` from ana0132:2050, detail modelled).
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ManifestParseError(
            "PYTHON_PIPFILE_LOCK_PARSE_ERROR", f"could not parse Pipfile.lock: {exc}"
        ) from exc
    default = data.get("default") or {}
    deps = [_dep_entry(str(n), p) for n, p in default.items()]
    py = ((data.get("_meta") or {}).get("requires") or {}).get("python_version")
    return deps, (f"=={py}.*" if py else None)


def uv_lock_root_requirements(lock: Mapping[str, Any], name: str | None) -> list[str] | None:
    """Requirements of the project ``name`` in the lock (its source ``virtual``/``editable``/
    ``directory``; without a name, the package whose source is "."),
    read from ``[package.metadata].requires-dist`` (what ``uv sync --frozen`` installs).

    ``[package.metadata].requires-dev`` and ``optional-dependencies`` are never installed
    (``--no-dev``, no ``--extra``). Returns None when the lock has no root package.
    """
    for pkg in lock.get("package") or []:
        source = pkg.get("source") or {}
        local = [source.get(k) for k in ("virtual", "editable", "directory") if k in source]
        same = name is not None and _norm(str(pkg.get("name"))) == _norm(name)
        if local and (same or (name is None and local[0] == ".")):
            metadata = pkg.get("metadata") or {}
            out: list[str] = []
            for dist in metadata.get("requires-dist") or []:
                out.append(
                    format_pep508(
                        str(dist["name"]),
                        dist.get("specifier"),
                        list(dist.get("extras") or []) or None,
                        dist.get("marker"),
                    )
                )
            if not out:
                for dep in pkg.get("dependencies") or []:
                    out.append(format_pep508(str(dep["name"]), None, None, dep.get("marker")))
            return out
    return None


def _norm(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def pylock_requirements(lock: Mapping[str, Any]) -> list[str]:
    """``name==version ; marker`` for each ``[[packages]]`` entry of a PEP 751 ``pylock.toml``."""
    out: list[str] = []
    for pkg in lock.get("packages") or []:
        version = pkg.get("version")
        out.append(
            format_pep508(
                str(pkg["name"]), f"=={version}" if version else None, None, pkg.get("marker")
            )
        )
    return out
