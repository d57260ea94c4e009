"""The outbox statements of the sender, built once where they can be: which rows wait on
purpose (`held`), which wait behind an older message to the same user (`WAITS`), and the
statement that claims a batch of due rows in one go (bot/sender.py; outcomes are recorded by
bot/outcomes.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, bindparam, exists, false, literal_column, or_, select, true, update
from sqlalchemy.orm import aliased

from models import OutboxMessage, OutboxStatus
from registry.quiet_hours import is_quiet

# Pushes that wait for daytime even at send time (handlers' `urgent` pushes must not use these).
SCHEDULED_PURPOSES = ("remind:", "notice:")

def constant(value: str):  # type: ignore[no-untyped-def]
    """A constant of these statements written into their SQL, not bound: each bound parameter
    costs SQLAlchemy's and psycopg's processing at every execution (the statement that reads
    an event's account had fourteen: all constants but three). Our own strings only."""
    assert "'" not in value and "\\" not in value
    return literal_column(f"'{value}'")


ONE = literal_column("1")  # select(ONE) ... .limit(ONE): no bound parameter either


def _scheduled(model):  # type: ignore[no-untyped-def]
    return or_(*[model.purpose.startswith(constant(p)) for p in SCHEDULED_PURPOSES])


def held(model, now: datetime):  # type: ignore[no-untyped-def]
    """Scheduled pushes that wait on purpose: not due yet, or any of them in quiet hours."""
    return and_(_scheduled(model), or_(model.not_before > now, true() if is_quiet(now) else false()))


def _open(model):  # type: ignore[no-untyped-def]
    """The row is pending or being sent, written with literal values, as in the partial index
    ix_outbox_open_user: with bound values the planners cannot use that index (SQLite then
    walked every message ever sent to the user, 2 ms on the reply path after 500 of them)."""
    return model.status.in_([constant(OutboxStatus.PENDING.value), constant(OutboxStatus.SENDING.value)])


def _waits_behind(user_id, row_id, now: datetime):  # type: ignore[no-untyped-def]
    """A message to `user_id` older than `row_id` is unsent (being sent, or pending and not
    held on purpose): the row waits, so that one user's messages arrive in order."""
    older = aliased(OutboxMessage)
    return exists().where(
        older.user_id == user_id, older.id < row_id,
        _open(older),  # = ix_outbox_open_user
        or_(older.status == OutboxStatus.SENDING, and_(older.status == OutboxStatus.PENDING, ~held(older, now))),
    )


def _waits_statement(quiet: bool):  # type: ignore[no-untyped-def]
    """`_waits_behind` for one user and row (bound parameters), built once: statement
    construction would cost more than the query on the reply path."""
    held = and_(_scheduled(_OLDER), or_(_OLDER.not_before > bindparam("now"), true() if quiet else false()))
    return select(ONE).select_from(_OLDER).where(
        _OLDER.user_id == bindparam("user_id"), _OLDER.id < bindparam("row_id"),
        _open(_OLDER),
        or_(_OLDER.status == constant(OutboxStatus.SENDING.value),
            and_(_OLDER.status == constant(OutboxStatus.PENDING.value), ~held)),
    ).limit(ONE)


_OLDER = aliased(OutboxMessage)
WAITS = {quiet: _waits_statement(quiet) for quiet in (False, True)}
NEWEST = 2**31 - 1  # above every row id (the largest INTEGER of PostgreSQL)

COLUMNS = tuple(OutboxMessage.__table__.c)  # a claimed row comes back as a plain Row of these
NO_SYNC = {"synchronize_session": False}  # no ORM objects of these rows live in the session


def claim_statement(due, postgres: bool, name: str, now: datetime, limit: int):  # type: ignore[no-untyped-def]
    """One UPDATE ... RETURNING that claims up to `limit` rows matching `due` (oldest first, none
    waiting behind an older open message to its user) for sender `name`. PostgreSQL locks the
    chosen rows with SKIP LOCKED, so concurrent senders pick disjoint rows; on SQLite the
    writer's lock does that, and `status = pending` guards the update in both."""
    ids = (select(OutboxMessage.id).where(due, ~_waits_behind(OutboxMessage.user_id, OutboxMessage.id, now))
           .order_by(OutboxMessage.id).limit(limit).correlate(None))  # the subquery reads outbox itself
    if postgres:
        ids = ids.with_for_update(skip_locked=True, of=OutboxMessage)
    return (update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), OutboxMessage.status == OutboxStatus.PENDING)
            .values(status=OutboxStatus.SENDING, claimed_by=name, claimed_at=now)
            .returning(*COLUMNS).execution_options(**NO_SYNC))
