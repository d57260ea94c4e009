"""A process-local, bounded cache of answers computed from the registry, keyed by
(function, arguments, registry version).

The registry version (`registry.epoch`) changes in the same transaction as any change to the
registry, so an entry can only be found by a session that sees exactly the registry the
entry was computed from (or, on PostgreSQL's read committed, a later one: the version is read
before the answer is computed). Reading the version is one primary-key query per cached
call. Entries of earlier versions are never hit again; they are dropped when a newer
version's entry is stored, and the cache never holds more than `MAX_ENTRIES` entries.

Not cached: a session whose open transaction has changed the registry (its answer may
include writes that are later rolled back), and databases without the epoch row.

Values are handed out as deep copies unless the function is declared `copy=False` (its
results must then be immutable: tuples, frozen dataclasses).
"""

from __future__ import annotations

import copy as copy_module
import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from registry import epoch

MAX_ENTRIES = 512
F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class Stats:
    hits: int = 0
    misses: int = 0
    bypassed: int = 0


stats = Stats()
_lock = threading.Lock()
_entries: OrderedDict[tuple[Hashable, int], Any] = OrderedDict()
_newest_version: int | None = None
enabled = True


def clear() -> None:
    """Forget every entry (tests; never needed for correctness)."""
    global _newest_version
    with _lock:
        _entries.clear()
        _newest_version = None


def get_or_compute(session: Session, key: Hashable, compute: Callable[[], Any], copy: bool = True) -> Any:
    """The cached answer for `key` at the session's registry version, computing it on a miss."""
    global _newest_version
    if not enabled or epoch.has_uncommitted_bump(session):
        stats.bypassed += 1
        return compute()
    version = epoch.current(session)
    if version is None:
        stats.bypassed += 1
        return compute()
    full_key = (key, version)
    with _lock:
        found = full_key in _entries
        if found:
            value = _entries[full_key]
            _entries.move_to_end(full_key)
            stats.hits += 1
    if not found:
        value = compute()
        with _lock:
            stats.misses += 1
            if version != _newest_version:  # a new version: older entries can go
                for old in [k for k in _entries if k[1] != version]:
                    del _entries[old]
                _newest_version = version
            _entries[full_key] = value
            while len(_entries) > MAX_ENTRIES:
                _entries.popitem(last=False)
    return copy_module.deepcopy(value) if copy else value


def cached(name: str, copy: bool = True) -> Callable[[F], F]:
    """Decorate `fn(session, *args, **kwargs)` (hashable arguments) to go through the cache.
    The undecorated function stays reachable as `.uncached`."""

    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(session: Session, *args: Any, **kwargs: Any) -> Any:
            key = (name, args, tuple(sorted(kwargs.items())))
            return get_or_compute(session, key, lambda: fn(session, *args, **kwargs), copy)

        wrapper.uncached = fn  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate
