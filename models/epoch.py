"""Registry versions: a small table whose rows change in the same transaction as any change
to the registry records (or to completeness snapshots), so cached answers computed from the
registry can be keyed by them (`registry.cache`).

Rows: scope "" is the whole registry; scope "5001" is district 5001. A change whose district
is known bumps that district's row (a producer moved between districts bumps both); a change
whose area is unknown (a Core UPDATE over many rows, snapshots) bumps "". An import batch
bumps the districts it changes (`registry.importer`). An answer about a district (or
sub-district) is keyed by ("" version, its district's version); about a province by "" and
the province's district rows; a national answer by every row. A missing district row reads
as 0.

Every bump writes a fresh random 62-bit number, never an increment: a version written by a
transaction (or savepoint) that is rolled back is never written again, so nothing cached
under it can be mistaken for committed data.

Bumps happen by themselves, through two Session events installed when `models` is imported:

- `before_flush`: new, dirty or deleted ORM objects of a registry table (the district of a
  list row, e.g. a product photo, is looked up through its parent);
- `do_orm_execute`: INSERT / UPDATE / DELETE statements on a registry table run through
  `Session.execute` (Core or ORM-enabled bulk statements): the whole registry, unless the
  statement carries the execution option `CALLER_BUMPS` (its caller bumps the districts the
  statement changes itself, as the importer does).

Writes that bypass the Session (PostgreSQL COPY in `registry.bulk`, raw driver cursors, other
programs) call `bump(session, districts)` (or `bump(session)`: the whole registry) themselves
in the same transaction: the importer does, per batch, for the districts the batch changes.
One bump per scope and transaction level is enough: other sessions cannot read the new
version before commit, and this session does not use the cache while its transaction has
registry writes (`has_uncommitted_bump`).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from itertools import chain
from typing import Any

from sqlalchemy import BigInteger, String, and_, bindparam, event, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column

from models.base import Base

WHOLE = ""  # the scope of the whole registry
SNAPSHOTS = "S"  # the scope of the completeness snapshots (month-end counts: no record's district)
# Tables whose contents feed cached answers (counts, reports, search names, snapshots).
TRACKED_TABLES = frozenset({
    "producers", "producer_projects", "producer_funding_sources", "producer_star_ratings",
    "producer_government_support", "producer_sales_channels", "producer_shipping_methods",
    "producer_status_changes", "products", "product_standards", "product_awards", "product_projects",
    "product_keywords", "product_ip_registrations", "product_photos", "chuanchim_shops", "chuanchim_items",
    "chuanchim_awards", "chuanchim_photos", "completeness_snapshots",
})
AREA_TABLES = ("producers", "products", "chuanchim_shops")  # rows carry their own district
PARENT_KEYS = {"producer_id": "producers", "product_id": "products", "shop_id": "chuanchim_shops"}

# Execution option of an INSERT / UPDATE / DELETE whose caller bumps, in the same transaction,
# every district the statement changes (`do_orm_execute` then does not bump the whole registry).
CALLER_BUMPS = "registry_epoch_caller_bumps"

_BUMPED = "registry_epoch.bumped"  # session.info: (innermost transaction, scopes bumped in it)
_DIRTY_ROOT = "registry_epoch.dirty_root"  # session.info: the root transaction that has bumped
_ROOT_SCOPES = "registry_epoch.root_scopes"  # session.info: (root transaction, every scope bumped in it)
_READ = "registry_epoch.read"  # session.info: (root transaction, {area: rows read in it})
_WHOLE_ONLY = object()  # key of `_READ` for the "" row read alone (`current`)
_SNAPSHOTS_ONLY = object()  # key of `_READ` for the "" and "S" rows read alone (`snapshots_version`)


class RegistryEpoch(Base):
    """One row per scope: "" (the whole registry) and each district that has changed."""

    __tablename__ = "registry_epoch"

    scope: Mapped[str] = mapped_column(String(4), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)


_T = RegistryEpoch.__table__


def _innermost(session: Session) -> Any:
    return session.get_nested_transaction() or session.get_transaction()


def bump(session: Session, districts: Iterable[str] | None = None) -> None:
    """New versions, in the session's transaction, for `districts` (None: the whole registry)."""
    scopes = {WHOLE} if districts is None else {d for d in districts if d}
    conn = session.connection()
    tx = _innermost(session)
    seen_tx, seen = session.info.get(_BUMPED, (None, set()))
    if seen_tx is not tx:
        seen = set()
    scopes -= seen
    if WHOLE in seen or not scopes:
        return
    rows = [{"scope": s, "version": secrets.randbits(62) or 1} for s in sorted(scopes)]
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    stmt = insert(_T).values(rows)
    conn.execute(stmt.on_conflict_do_update(index_elements=[_T.c.scope], set_={"version": stmt.excluded.version}))
    session.info[_BUMPED] = (tx, seen | scopes)
    root = session.get_transaction()
    session.info[_DIRTY_ROOT] = root
    root_tx, bumped = session.info.get(_ROOT_SCOPES, (None, set()))
    session.info[_ROOT_SCOPES] = (root, (bumped if root_tx is root else set()) | scopes)
    session.info.pop(_READ, None)


# The version reads, built once with the area as parameters: they run on every cached answer,
# and building a select (and its cache key, and expanding an IN list) cost more than the
# primary-key lookup itself.
_ALL = select(_T.c.scope, _T.c.version)
_OF_DISTRICT = _ALL.where(or_(_T.c.scope == WHOLE, _T.c.scope == SNAPSHOTS, _T.c.scope == bindparam("district")))
_OF_PROVINCE = _ALL.where(or_(_T.c.scope == WHOLE, _T.c.scope == SNAPSHOTS,
                              and_(_T.c.scope >= bindparam("low"), _T.c.scope < bindparam("high"))))
_CURRENT = select(_T.c.version).where(_T.c.scope == WHOLE)
_SNAPSHOTS = select(_T.c.scope, _T.c.version).where(or_(_T.c.scope == WHOLE, _T.c.scope == SNAPSHOTS))


def _read_in_transaction(session: Session) -> dict[object, dict[str, int]]:
    """The rows already read in the session's transaction, by area. An event's answer may need
    them several times (a district's counts, then the snapshot of last month); they are read
    once per transaction, so one answer is keyed by one view of the versions. A bump in the
    transaction forgets them (the cache is not used after a bump anyway)."""
    session.connection()  # begins the transaction if it has not begun
    tx = session.get_transaction()
    memo = session.info.get(_READ)
    if memo is None or memo[0] is not tx:
        memo = (tx, {})
        session.info[_READ] = memo
    return memo[1]


def rows(session: Session, area: str | None) -> dict[str, int] | None:
    """The rows an answer about `area` depends on: "" and, for a district or sub-district, its
    district; for a province, its districts; for the nation (None / ""), all. None when the ""
    row is missing (then nothing may be cached). Read once per transaction and area: the dict
    is shared, callers must not change it."""
    key = area[:4] if area and len(area) >= 4 else (area or None)
    read = _read_in_transaction(session)
    if key in read:
        return read[key]
    if key and len(key) == 4:
        result = session.connection().execute(_OF_DISTRICT, {"district": key})
    elif key:
        result = session.connection().execute(_OF_PROVINCE, {"low": key, "high": _next(key)})
    else:
        result = session.connection().execute(_ALL)
    found = dict(result.all())
    if WHOLE not in found:
        return None
    read[key] = found
    return found


def versions(session: Session, area: str | None) -> tuple[tuple[str, int], ...] | None:
    """`rows` as a hashable key (a district row that appears changes the key too)."""
    found = rows(session, area)
    return None if found is None else tuple(sorted(found.items()))


def _next(code: str) -> str:
    """The smallest string after every code that starts with `code` ("50" -> "51")."""
    return code[:-1] + chr(ord(code[-1]) + 1)


def current(session: Session) -> int | None:
    """The whole registry's version row ("" scope): from rows already read in the transaction,
    or read (and kept for the transaction)."""
    read = _read_in_transaction(session)
    for found in read.values():
        return found[WHOLE]
    version = session.connection().execute(_CURRENT).scalar()
    if version is not None:
        read[_WHOLE_ONLY] = {WHOLE: version}
    return version


def bumped_scopes(session: Session) -> set[str]:
    """Every scope bumped in the session's open (root) transaction, savepoints included (also
    those rolled back: their scopes were bumped, and counting them again is harmless)."""
    root_tx, bumped = session.info.get(_ROOT_SCOPES, (None, set()))
    return set(bumped) if root_tx is not None and root_tx is session.get_transaction() else set()


def snapshots_version(session: Session) -> int | None:
    """The snapshots' version ("S" scope, 0 before any snapshot was written): from rows already
    read in the transaction (every area's rows carry it), or read (and kept). None when the ""
    row is missing (nothing may be cached)."""
    read = _read_in_transaction(session)
    for key, found in read.items():
        if key is not _WHOLE_ONLY:
            return found.get(SNAPSHOTS, 0)
    found = dict(session.connection().execute(_SNAPSHOTS).all())
    if WHOLE not in found:
        return None
    read[_SNAPSHOTS_ONLY] = found
    return found.get(SNAPSHOTS, 0)


def has_uncommitted_bump(session: Session) -> bool:
    """This session's open transaction has changed the registry (its reads must not be cached)."""
    root = session.info.get(_DIRTY_ROOT)
    return root is not None and root is session.get_transaction()


def _districts_of(session: Session, obj: Any, parents: dict[int, Any]) -> set[str] | None:
    """The districts whose answers a change to `obj` can alter; None when not known
    (`parents`: `_parents_by_child` of the flush)."""
    table = obj.__table__
    state = obj._sa_instance_state
    if table.name == "completeness_snapshots":
        return {SNAPSHOTS}
    if table.name in AREA_TABLES:
        history = state.attrs.district_code.history
        if history.added and not history.deleted and state.has_identity:
            return None  # moved, and the old district was never loaded
        codes = {obj.district_code, *history.deleted}
        if table.name == "producers" and obj.id is not None:  # its products' counts follow its status
            products = Base.metadata.tables["products"]
            codes |= set(session.connection().execute(
                select(products.c.district_code).where(products.c.producer_id == obj.id).distinct()).scalars())
        if table.name == "producers":
            codes |= _same_id_districts(session, obj)
        return None if None in codes else codes
    for key, parent_name in PARENT_KEYS.items():
        if key in table.c:
            parent_id = getattr(obj, key)
            if parent_id is None and not state.has_identity:  # a new row added to its parent's list
                code = getattr(parents.get(id(obj)), "district_code", None)
                return {code} if code else None
            if parent_id is None or state.attrs[key].history.deleted:
                return None  # set by a relationship at flush time, or moved to another parent
            parent = Base.metadata.tables[parent_name]
            code = session.connection().execute(
                select(parent.c.district_code).where(parent.c.id == parent_id)).scalar()
            return {code} if code else None
    return None


def _parents_by_child(objs: Iterable[Any]) -> dict[int, Any]:
    """New or changed records (producers, products, shops) by the rows in their loaded lists
    (`id()` of the row): a new row appended to its parent's list gets its parent's id only at
    flush time, so its district is the parent's. Lists not loaded are not loaded."""
    found: dict[int, Any] = {}
    for parent in objs:
        if getattr(type(parent), "__tablename__", None) not in AREA_TABLES:
            continue
        state = parent._sa_instance_state
        for rel in state.mapper.relationships:
            if rel.direction.name == "ONETOMANY" and isinstance(rows := state.dict.get(rel.key), list):
                found.update((id(row), parent) for row in rows)
    return found


def _same_id_districts(session: Session, obj: Any) -> set[str]:
    """Districts of the other producers holding a national ID whose holders change (the
    ID set, changed or cleared, or a holder's status changed): their "duplicate ID" counts
    follow this record (registry.completeness)."""
    state = obj._sa_instance_state
    hashes = state.attrs.national_id_hash.history
    if not (hashes.added or hashes.deleted or state.attrs.status.history.deleted):
        return set()
    wanted = {h for h in (*hashes.added, *hashes.deleted, *hashes.unchanged) if h}
    if not wanted:
        return set()
    producers = Base.metadata.tables["producers"]
    return set(session.connection().execute(select(producers.c.district_code).where(
        producers.c.national_id_hash.in_(wanted)).distinct()).scalars())


def _tracked(obj: object) -> bool:
    return getattr(type(obj), "__tablename__", None) in TRACKED_TABLES


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _ctx: Any, _instances: Any) -> None:
    changed = [o for o in chain(session.new, session.dirty, session.deleted) if _tracked(o)]
    if not changed:
        return
    districts: set[str] = set()
    parents = _parents_by_child(chain(session.new, session.dirty))
    with session.no_autoflush:
        for obj in changed:
            codes = _districts_of(session, obj, parents)
            if codes is None:
                bump(session)
                return
            districts |= codes
    bump(session, districts)


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state: ORMExecuteState) -> None:
    if state.is_select or not (state.is_insert or state.is_update or state.is_delete):
        return
    if state.execution_options.get(CALLER_BUMPS):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) == "completeness_snapshots":
        bump(state.session, [SNAPSHOTS])  # month-end counts change no record's answers
    elif getattr(table, "name", None) in TRACKED_TABLES:
        bump(state.session)
