"""Fixtures of the runtime tests (the helpers are in ``runtime_apps.py``)."""

from __future__ import annotations

from runtime_apps import app_copy

__all__ = ["app_copy"]
