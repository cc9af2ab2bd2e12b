"""Vercel's read-only filesystem, reproduced with a PEP 578 audit hook.

On Vercel a function's filesystem is read-only except ``/tmp``
(https://vercel.com/docs/functions/runtimes#file-system-support). The hook refuses the same
operations the kernel would refuse there, with the same error: ``OSError: [Errno 30] Read-only
file system: '<path>'``. It follows the kernel's order of checks, so a write into a folder that does
not exist still fails with ``FileNotFoundError`` and ``os.mkdir`` of an existing folder still fails
with ``FileExistsError``. Existing SQLite files are opened read-only (writes fail with
``attempt to write a readonly database``), and a database file that does not exist cannot be
created (``unable to open database file``), as on Vercel.

This file is loaded by path inside the child process, so it must use the standard library only.
Writes from C code that bypasses Python's audit events (a C extension calling ``fopen``) are not
caught; :mod:`sqlite3` is handled explicitly because it is the one that matters in practice.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

#: Where writes are allowed on Vercel, plus the device files any process may write to.
WRITABLE_ROOTS: tuple[str, ...] = ("/tmp", "/dev")

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC

# Events whose listed arguments are paths that the operation creates or changes.
_PATH_EVENTS: dict[str, tuple[int, ...]] = {
    "os.mkdir": (0,),
    "os.remove": (0,),
    "os.rmdir": (0,),
    "os.rename": (0, 1),
    "os.symlink": (1,),
    "os.link": (1,),
    "os.truncate": (0,),
    "os.chmod": (0,),
    "os.chown": (0,),
    "os.utime": (0,),
    "os.mkfifo": (0,),
    "os.mknod": (0,),
    "os.chflags": (0,),
    "os.setxattr": (0,),
    "os.removexattr": (0,),
}


def _as_path(value: object) -> str | None:
    """A filesystem path as text, or None for file descriptors and non-paths."""
    if isinstance(value, bytes):
        return os.fsdecode(value)
    if isinstance(value, str):
        return value
    if isinstance(value, os.PathLike):
        return os.fsdecode(os.fspath(value))
    return None


def _under(real: str, root: str) -> bool:
    return real == root or real.startswith(root.rstrip("/") + "/")


def is_writable(
    path: str, roots: Sequence[str] = WRITABLE_ROOTS, read_only: Sequence[str] = ()
) -> bool:
    """True if ``path`` lies under one of ``roots`` and under none of ``read_only``, after
    resolving links and ``..``. ``read_only`` is the project folder: it is ``/var/task`` on Vercel,
    so it stays read-only even when a local copy sits under ``/tmp``."""
    real = os.path.realpath(path)
    return any(_under(real, root) for root in roots) and not any(
        _under(real, root) for root in read_only
    )


def _read_only(path: str) -> OSError:
    return OSError(errno.EROFS, os.strerror(errno.EROFS), path)


class _Guard:
    """The audit hook: raises where Vercel's filesystem would."""

    def __init__(self, roots: Sequence[str], read_only: Sequence[str]) -> None:
        self.roots = tuple(os.path.realpath(root) for root in roots)
        self.read_only = tuple(os.path.realpath(root) for root in read_only)
        self.enabled = True

    def __call__(self, event: str, args: tuple[Any, ...]) -> None:
        if not self.enabled:
            return
        if event == "open":
            self._on_open(args)
        elif event in _PATH_EVENTS:
            self._on_path_event(event, args)
        elif event == "sqlite3.connect":
            self._on_sqlite_connect(args)

    def _on_open(self, args: tuple[Any, ...]) -> None:
        path = _as_path(args[0])
        mode = args[1] if len(args) > 1 else None
        flags = args[2] if len(args) > 2 and isinstance(args[2], int) else 0
        writes = bool(flags & _WRITE_FLAGS) or (
            isinstance(mode, str) and any(c in mode for c in "wax+")
        )
        if path is None or not writes or is_writable(path, self.roots, self.read_only):
            return
        # The kernel reports a missing parent folder before the read-only filesystem.
        parent = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(parent):
            return
        raise _read_only(path)

    def _on_path_event(self, event: str, args: tuple[Any, ...]) -> None:
        for index in _PATH_EVENTS[event]:
            path = _as_path(args[index]) if index < len(args) else None
            if path is None or is_writable(path, self.roots, self.read_only):
                continue
            if event == "os.mkdir" and os.path.lexists(path):
                return  # the real call raises FileExistsError, as the kernel would
            raise _read_only(path)

    def _on_sqlite_connect(self, args: tuple[Any, ...]) -> None:
        database = _as_path(args[0]) if args else None
        if database is None or database in ("", ":memory:") or database.startswith("file:"):
            return  # in-memory, temporary, or a URI (made read-only by the connect wrapper)
        if is_writable(database, self.roots, self.read_only) or os.path.exists(database):
            return
        sqlite3 = sys.modules.get("sqlite3")
        if sqlite3 is not None:
            raise sqlite3.OperationalError("unable to open database file")

    def wrap_sqlite(self) -> None:
        """Open existing database files outside the writable roots read-only (``mode=ro``), so
        writes fail with ``attempt to write a readonly database`` as on Vercel. The audit event
        comes too early to change a connection, hence a wrapper; Django calls
        ``sqlite3.dbapi2.connect``, so both names are wrapped."""
        import sqlite3
        import sqlite3.dbapi2

        original = sqlite3.connect
        guard = self

        def connect(database: Any, *args: Any, **kwargs: Any) -> Any:
            if guard.enabled:
                text = _as_path(database)
                uri = bool(kwargs.get("uri")) or (len(args) > 6 and bool(args[6]))
                if text is not None:
                    database, forced = _read_only_database(text, uri, guard)
                    if forced and not uri:
                        kwargs["uri"] = True
            return original(database, *args, **kwargs)

        sqlite3.connect = sqlite3.dbapi2.connect = connect


def _read_only_database(text: str, uri: bool, guard: _Guard) -> tuple[str, bool]:
    """(database argument, whether it is now a URI) for ``sqlite3.connect(text, uri=uri)``:
    a file outside the writable roots becomes ``file:<path>?...&mode=ro`` (any ``mode=rw`` or
    ``mode=rwc`` dropped), so writes fail with ``attempt to write a readonly database``; such a
    file that does not exist raises ``unable to open database file`` (it cannot be created).
    Django connects with ``uri=True`` and a plain path; ``file:...?mode=rwc`` URIs are handled
    the same way."""
    from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

    if text in ("", ":memory:"):
        return text, False
    query: list[tuple[str, str]] = []
    if uri and text.startswith("file:"):
        parts = urlsplit(text)
        query = parse_qsl(parts.query, keep_blank_values=True)
        path = unquote(parts.path)
        if any(k == "mode" and v == "memory" for k, v in query) or path in ("", ":memory:"):
            return text, False
    else:
        path = text
    if is_writable(path, guard.roots, guard.read_only):
        return text, False
    if not os.path.exists(path):
        import sqlite3

        raise sqlite3.OperationalError("unable to open database file")
    query = [(k, v) for k, v in query if k != "mode"] + [("mode", "ro")]
    return f"file:{quote(os.path.abspath(path))}?{urlencode(query)}", True


def install(
    read_only: Sequence[str] = (), roots: Sequence[str] = WRITABLE_ROOTS
) -> Callable[[str, tuple[Any, ...]], None]:
    """Make this process's filesystem read-only outside ``roots`` and inside ``read_only`` (the
    project folder); returns the installed hook.

    Audit hooks cannot be removed (PEP 578): call this only in a process that runs a function.
    """
    # The user's project folder, when the function runs from a staged copy of it: it stays
    # read-only even when it lies under /tmp (set by vercel_lab.runtime.function).
    extra = os.environ.pop("__VCLAB_READ_ONLY_PATHS", "")
    read_only = [*read_only, *filter(None, extra.split(os.pathsep))]
    guard = _Guard(roots, read_only)
    guard.wrap_sqlite()
    sys.addaudithook(guard)
    return guard
