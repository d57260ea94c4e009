"""The registry epoch: a one-row table whose `version` changes in the same transaction as any
change to the registry records (or to completeness snapshots), so cached answers computed
from the registry can be keyed by it (`registry.cache`).

The version is a fresh random 62-bit number at every bump, never an increment: a version
written by a transaction that rolls back (or by a savepoint that is rolled back) is never
written again by anyone, so nothing cached under it can be mistaken for committed data.

Bumps happen by themselves, through two Session events installed when `models` is imported:

- `before_flush`: any new, dirty or deleted ORM object of a registry table;
- `do_orm_execute`: any INSERT / UPDATE / DELETE statement on a registry table run through
  `Session.execute` (Core or ORM-enabled bulk statements).

Writes that bypass the Session (PostgreSQL COPY in `registry.bulk`, raw driver cursors, other
programs) must call `bump(session)` themselves in the same transaction; the importer does it
per batch, demo data per province. One bump per transaction level is enough: after a bump,
later writes in the same (innermost) transaction are covered, because no other session can
read the new version before the transaction commits, and this session does not use the cache
while it has uncommitted registry writes (`has_uncommitted_bump`).
"""

from __future__ import annotations

import secrets
from itertools import chain
from typing import Any

from sqlalchemy import BigInteger, Integer, event, insert, select, update
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column

from models.base import Base

# Tables whose contents feed cached answers (counts, reports, search names, snapshots).
TRACKED_TABLES = frozenset({
    "producers", "producer_projects", "producer_funding_sources", "producer_star_ratings",
    "producer_government_support", "producer_sales_channels", "producer_shipping_methods",
    "producer_status_changes", "products", "product_standards", "product_awards", "product_projects",
    "product_keywords", "product_ip_registrations", "product_photos", "chuanchim_shops", "chuanchim_items",
    "chuanchim_awards", "chuanchim_photos", "completeness_snapshots",
})

_BUMPED_IN = "registry_epoch.bumped_in"  # session.info: the innermost transaction of the last bump
_DIRTY_ROOT = "registry_epoch.dirty_root"  # session.info: the root transaction that has bumped


class RegistryEpoch(Base):
    """One row (id 1): the registry's current version."""

    __tablename__ = "registry_epoch"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(BigInteger)


_T = RegistryEpoch.__table__


def _innermost(session: Session) -> Any:
    return session.get_nested_transaction() or session.get_transaction()


def bump(session: Session) -> int:
    """Give the registry a new version in the session's transaction; returns it."""
    version = secrets.randbits(62) or 1
    conn = session.connection()
    if not conn.execute(update(_T).where(_T.c.id == 1).values(version=version)).rowcount:
        conn.execute(insert(_T).values(id=1, version=version))
    session.info[_BUMPED_IN] = _innermost(session)
    session.info[_DIRTY_ROOT] = session.get_transaction()
    return version


def current(session: Session) -> int | None:
    """The version as this session sees it (None when the row is missing: do not cache)."""
    return session.connection().execute(select(_T.c.version).where(_T.c.id == 1)).scalar()


def has_uncommitted_bump(session: Session) -> bool:
    """This session's open transaction has changed the registry (its reads must not be cached)."""
    root = session.info.get(_DIRTY_ROOT)
    return root is not None and root is session.get_transaction()


def note_write(session: Session) -> None:
    """A registry write is about to happen: bump unless this transaction level already has."""
    current_tx = _innermost(session)
    if current_tx is None or session.info.get(_BUMPED_IN) is not current_tx:  # None: not begun yet
        bump(session)


def _tracked(obj: object) -> bool:
    return getattr(type(obj), "__tablename__", None) in TRACKED_TABLES


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _ctx: Any, _instances: Any) -> None:
    if any(_tracked(o) for o in chain(session.new, session.dirty, session.deleted)):
        note_write(session)


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state: ORMExecuteState) -> None:
    if state.is_select or not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) in TRACKED_TABLES:
        note_write(state.session)
