"""A process-local, bounded cache of answers computed from the registry, keyed by
(function, arguments, the registry versions the answer depends on).

The versions (`registry.epoch`) change in the same transaction as any change to the registry:
an answer about a district depends on the whole-registry version and the district's; about a
province on the province's districts; a national answer on all of them; snapshot lookups on
the snapshots' own version ("S", bumped by any write to the snapshots, and part of every
area's versions too).
Province and national answers can also be assembled from cached per-district parts
(`parts`: the monthly report's movements), so a change in one district recounts only that
district; completeness counts and the department's table come from the rows held in the
database (`registry.rollup`). So an entry can only be found by a session
that sees the registry the entry was computed from (or, on PostgreSQL's read committed, a
later one: versions are read before the answer is computed). Reading the versions is one
small primary-key query per cached call. Entries of older versions are never hit again and
age out of the LRU (at most `MAX_ENTRIES`).

Not cached: a session whose open transaction has changed the registry (its answer may include
writes that are later rolled back), and databases without the "" version row.

Values are handed out as deep copies unless declared `copy=False` (results must then be
immutable, or treated as such by every caller).
"""

from __future__ import annotations

import copy as copy_module
import functools
import inspect
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from registry import epoch

MAX_ENTRIES = 16384  # the monthly report's movements hold ~930 per-district parts per month
F = TypeVar("F", bound=Callable[..., Any])
SNAPSHOTS = object()  # scope of answers read from the completeness snapshots only
MISSING = object()


@dataclass
class Stats:
    hits: int = 0
    misses: int = 0
    bypassed: int = 0


stats = Stats()
_lock = threading.Lock()
_entries: OrderedDict[Hashable, Any] = OrderedDict()
enabled = True


def clear() -> None:
    """Forget every entry (tests; never needed for correctness)."""
    with _lock:
        _entries.clear()


def usable(session: Session) -> bool:
    """The session may read and fill the cache (no uncommitted registry writes of its own)."""
    if not enabled or epoch.has_uncommitted_bump(session):
        stats.bypassed += 1
        return False
    return True


def scope_versions(session: Session, scope: Any) -> Hashable | None:
    """The versions an answer of `scope` depends on: an area code, None / "" (the nation), or
    SNAPSHOTS. None: do not cache."""
    if scope is SNAPSHOTS:
        version = epoch.snapshots_version(session)
        return None if version is None else (epoch.SNAPSHOTS, version)
    return epoch.versions(session, str(scope) if scope else None)


def lookup(key: Hashable, versions: Hashable) -> Any:
    """The entry, or MISSING."""
    with _lock:
        full = (key, versions)
        if full in _entries:
            _entries.move_to_end(full)
            stats.hits += 1
            return _entries[full]
    return MISSING


def store(key: Hashable, versions: Hashable, value: Any) -> None:
    with _lock:
        stats.misses += 1
        _entries[(key, versions)] = value
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)


def get_or_compute(session: Session, key: Hashable, compute: Callable[[], Any], scope: Any,
                   copy: bool | Callable[[Any], Any] = True) -> Any:
    """The cached answer for `key` at the versions of `scope`, computing it on a miss; `copy`:
    deep copy (True), none (False), or a function that copies the value."""
    if not usable(session):
        return compute()
    versions = scope_versions(session, scope)
    if versions is None:
        stats.bypassed += 1
        return compute()
    value = lookup(key, versions)
    if value is MISSING:
        value = compute()
        store(key, versions, value)
    if callable(copy):
        return copy(value)
    return copy_module.deepcopy(value) if copy else value


def parts(session: Session, name: str, codes: list[str], compute_one: Callable[[str], Any],
          compute_all: Callable[[list[str]], dict[str, Any]], regroup_above: int = 8) -> dict[str, Any] | None:
    """Per-district parts of a province or national answer, each cached under ("" version,
    its district's version): the missing ones are computed one by one (`compute_one`), or
    all together in one grouped pass (`compute_all`, given the missing codes) when more than
    `regroup_above` are missing. Values are shared, not copied: callers must not change them.
    None when the cache cannot be used (the caller computes the answer directly)."""
    found = _versions_of(session, codes)
    return None if found is None else _parts_at(found, name, codes, compute_one, compute_all, regroup_above)


def _versions_of(session: Session, codes: list[str]) -> dict[str, int] | None:
    """The version rows the parts of `codes` depend on (read once), or None: no caching."""
    if not usable(session):
        return None
    area = codes[0][:2] if codes and all(c[:2] == codes[0][:2] for c in codes) else None
    found = epoch.rows(session, area)
    if found is None:
        stats.bypassed += 1
    return found


def _parts_at(found: dict[str, int], name: str, codes: list[str], compute_one: Callable[[str], Any],
              compute_all: Callable[[list[str]], dict[str, Any]], regroup_above: int) -> dict[str, Any]:
    whole = found[epoch.WHOLE]
    keys = {c: ((name, c), (whole, found.get(c, 0))) for c in codes}
    values = {c: lookup(*keys[c]) for c in codes}
    missing = [c for c in codes if values[c] is MISSING]
    if len(missing) > regroup_above:
        computed = compute_all(missing)
    else:
        computed = {c: compute_one(c) for c in missing}
    for c in missing:
        values[c] = computed.get(c)
        store(*keys[c], values[c])
    return values


def cached(name: str, area: str | None = "area_code", copy: bool = True) -> Callable[[F], F]:
    """Decorate `fn(session, ...)` (hashable arguments) to go through the cache. `area` names
    the argument holding the area the answer is about (None: an answer read from the
    completeness snapshots only, keyed by their version). Arguments are keyed with their
    defaults applied, so f(s, "50") and f(s, "50", None) share an entry.
    The undecorated function stays reachable as `.uncached`."""

    def decorate(fn: F) -> F:
        signature = inspect.signature(fn)

        @functools.wraps(fn)
        def wrapper(session: Session, *args: Any, **kwargs: Any) -> Any:
            bound = signature.bind(session, *args, **kwargs)
            bound.apply_defaults()
            values = dict(bound.arguments)
            del values[next(iter(values))]  # the session
            key = (name, tuple(sorted(values.items())))
            scope = values[area] if area else SNAPSHOTS
            return get_or_compute(session, key, lambda: fn(session, *args, **kwargs), scope, copy)

        wrapper.uncached = fn  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate
