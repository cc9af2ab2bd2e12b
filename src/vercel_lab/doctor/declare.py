"""How a check is declared and how it becomes a finding: the one declaration helper
(:func:`check`), shared by every family of :mod:`vercel_lab.doctor.checks`.

A check is data: id, category, severity, where it looks
(:data:`~vercel_lab.doctor.findings.Source`), a message and a fix (templates: ``{name}`` is filled
from the finding's details) and an explicit ``rank``, its priority within a severity (lower first:
the most specific cause of a failure outranks what it causes, so the first error of a report names
the root cause). Texts are behaviour: the tests and the site's reference page show them as written.

Each family module declares its checks next to the code that raises them; declaring registers
the check, so :func:`make` finds it by id from any family.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from vercel_lab.doctor.findings import Category, Finding, Severity, Source
from vercel_lab.site import page

__all__ = ["DOCS_URL", "REFERENCE_URL", "Check", "check", "declared", "make"]

#: The site section that explains each category: chapter 4 (the tutorial), one anchor per
#: category. Every link a finding carries points at the published site
#: (:data:`vercel_lab.site.SITE_URL`), whether or not the reader has a local build of the docs:
#: the reference page says so.
DOCS_URL: Final = page("tutorial/04-warning-signs.html")
#: The reference page of every check, one anchor per check id
#: (``docs/reference/doctor-checks.md``, generated from the registry).
REFERENCE_URL: Final = page("reference/doctor-checks.html")

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Check:
    """One check: what it reports, its priority and where the site explains it
    (``DOCS_URL#anchor``)."""

    id: str
    category: Category
    severity: Severity
    source: Source
    message: str
    fix: str
    rank: int
    anchor: str = ""  # default: the category

    @property
    def docs_url(self) -> str:
        """The check's own anchor on the reference page: ``REFERENCE_URL#<id>``."""
        return f"{REFERENCE_URL}#{self.id}"

    @property
    def tutorial_url(self) -> str:
        """The section of chapter 4 that explains its category: ``DOCS_URL#<category>``."""
        return f"{DOCS_URL}#{self.anchor or self.category}"

    @property
    def placeholders(self) -> set[str]:
        """The ``{name}`` fields its message and fix need."""
        return set(_PLACEHOLDER.findall(self.message)) | set(_PLACEHOLDER.findall(self.fix))


_DECLARED: dict[str, Check] = {}


def check(
    id: str,
    category: Category,
    severity: Severity,
    source: Source,
    message: str,
    fix: str,
    *,
    rank: int,
) -> Check:
    """Declare a check (and register it for :func:`make`). Raises ValueError for an id or a
    rank declared twice."""
    if id in _DECLARED:
        raise ValueError(f"duplicate check id {id!r}")
    if any(other.rank == rank for other in _DECLARED.values()):
        raise ValueError(f"{id}: rank {rank} is already taken")
    declared_check = Check(id, category, severity, source, message, fix, rank)
    _DECLARED[id] = declared_check
    return declared_check


def declared() -> dict[str, Check]:
    """Every check declared so far, by id, in rank order."""
    return dict(sorted(_DECLARED.items(), key=lambda item: item[1].rank))


def _fill(template: str, fields: dict[str, object]) -> str:
    # Only known placeholders are replaced, so literal braces (JSON in a fix) stay as written.
    return _PLACEHOLDER.sub(
        lambda m: str(fields[m.group(1)]) if m.group(1) in fields else m.group(0), template
    )


def make(
    check_id: str, file: str | None = None, line: int | None = None, **fields: object
) -> Finding:
    """The finding of check ``check_id`` at ``file``:``line``, its templates filled from
    ``fields``. Raises KeyError for an unknown id and for a placeholder left without a value."""
    found = _DECLARED[check_id]
    message, fix = _fill(found.message, fields), _fill(found.fix, fields)
    for text in (message, fix):
        missing = [m for m in _PLACEHOLDER.findall(text) if m in found.placeholders]
        if missing:
            raise KeyError(f"{check_id}: no value for {', '.join(missing)}")
    return Finding(
        id=found.id,
        category=found.category,
        severity=found.severity,
        file=file,
        line=line,
        message=message,
        fix=fix,
        docs_url=found.docs_url,
        source=found.source,
        fields=tuple((key, str(value)) for key, value in fields.items()),
    )
