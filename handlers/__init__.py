"""Conversation handlers: LINE-free. `load_all()` imports every module of the package so
that each registers its handlers and flows (adding a module touches no shared file)."""

from __future__ import annotations

import importlib
import pkgutil


def load_all() -> None:
    """Import all handler modules (idempotent)."""
    import handlers

    for info in pkgutil.walk_packages(handlers.__path__, prefix="handlers."):
        importlib.import_module(info.name)
