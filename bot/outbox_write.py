"""An event's replies written into the outbox already claimed for sending, with one Core
INSERT per batch built once (no ORM flush: the unit of work cost more than the statement on
the message path, a tenth of the web process's CPU under load).

The rows come back as transient `OutboxMessage` objects (not in the session) carrying the
columns `Sender.deliver_claimed` reads; the database's row is the truth for everything else.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from functools import cache

from sqlalchemy import bindparam, false, insert, literal_column, null, select
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.orm import Session

from bot.render import encode, render
from handlers.replies import Push, Reply
from models import LineAccount, OutboxMessage, OutboxStatus, utcnow
from models.pg_direct import on as direct_on
from registry.quiet_hours import next_allowed
from registry.rollup import nothing_on_commit

_TABLE = OutboxMessage.__table__
# Every column given, the constant ones written into the SQL (each bound parameter costs
# SQLAlchemy's and psycopg's processing per message): seven parameters instead of nineteen.
_INSERT = insert(_TABLE).values(
    kind=bindparam("kind"), user_id=bindparam("user_id"), recipients=null(), reply_token=bindparam("reply_token"),
    messages=bindparam("messages"), retry_key=bindparam("retry_key"), purpose=literal_column("'reply'"),
    dedupe_key=null(), status=literal_column(f"'{OutboxStatus.SENDING.value}'"), attempts=literal_column("0"),
    not_before=bindparam("now", type_=_TABLE.c.not_before.type), claimed_at=bindparam("now"),
    claimed_by=bindparam("claimed_by"), created_at=bindparam("now"), sent_at=null(), last_error=null(),
    in_doubt=false(), priority=literal_column("0"),
).returning(_TABLE.c.id)


def insert_claimed(connection: Connection, user_id: str, replies: list[Reply], reply_token: str | None,
                   claimed_by: str, now: datetime, behind: bool) -> list[OutboxMessage]:
    """Outbox rows for `replies` (the first batch of 5 as a reply when there is a token, the
    rest as pushes, each with its own retry key, as `enqueue` below writes them),
    inserted as SENDING and claimed by `claimed_by`; `behind`: an older message to the user
    is unsent (the rows wait for it, `Sender.deliver_claimed`)."""
    rows = []
    for i, batch in enumerate(render(replies)):
        kind = "reply" if i == 0 and reply_token else "push"
        values = {"kind": kind, "user_id": user_id, "reply_token": reply_token if kind == "reply" else None,
                  "messages": batch, "retry_key": str(uuid.uuid4()), "claimed_by": claimed_by}
        row_id = connection.execute(_INSERT, values | {"now": now}).scalar_one()
        row = OutboxMessage(id=row_id, purpose="reply", status=OutboxStatus.SENDING, attempts=0, not_before=now,
                            claimed_at=now, created_at=now, in_doubt=False, priority=0, **values)
        row.behind = behind
        rows.append(row)
    return rows


# Set on the session once `insert_claimed_and_commit` has committed (bot.dispatch: no apology after).
COMMITTED_IN_SQL = "reply_committed_in_sql"


def insert_claimed_and_commit(session: Session, user_id: str, replies: list[Reply], reply_token: str | None,
                              claimed_by: str, now: datetime, behind: bool) -> list[OutboxMessage] | None:
    """PostgreSQL: `insert_claimed` and the commit of the session's transaction in one round
    trip: the session flushed first (the handler's writes), then the row's INSERT and COMMIT
    sent together as one query string (the simple query protocol runs them in order, and
    stops at the first error: then nothing is committed and the caller rolls back). The
    values are written into it as literals quoted by libpq (`PQescapeLiteral`, aware of the
    connection's encoding and `standard_conforming_strings`), so the message text is never
    part of the SQL unquoted; the string is sent by psycopg alone, with no parameters
    (`models.pg_direct`: no SQLAlchemy execution around it; psycopg neither scans it for
    placeholders nor tries to prepare it). None (nothing done) when the replies
    take more than one row, or when the session's commit has more to write (the counts of
    `registry.rollup`, written by its `before_commit` hook): the caller writes them as usual."""
    batches = render(replies)
    if len(batches) != 1 or session.in_nested_transaction():  # (a SAVEPOINT's COMMIT would end the outer one)
        return None
    session.flush()
    if not nothing_on_commit(session):  # counts to store at commit (registry.rollup): as usual
        return None
    kind = "reply" if reply_token else "push"
    values = {"kind": kind, "user_id": user_id, "reply_token": reply_token, "messages": batches[0],
              "retry_key": str(uuid.uuid4()), "claimed_by": claimed_by}
    encoded = encode(batches[0])  # the JSON of the messages, once: the send posts the same text
    connection = session.connection()
    with direct_on(connection) as direct:  # psycopg's own execution (models/pg_direct.py)
        quote = direct.quote
        sql = _insert_sql(connection.dialect) % {
            "kind": quote(kind), "user_id": quote(user_id), "reply_token": quote(reply_token),
            "messages": quote(encoded), "retry_key": quote(values["retry_key"]), "claimed_by": quote(claimed_by),
            "now": quote(now)}
        row_id = direct.execute(sql + "; COMMIT").fetchone()[0]
    session.info[COMMITTED_IN_SQL] = True
    row = OutboxMessage(id=row_id, purpose="reply", status=OutboxStatus.SENDING, attempts=0, not_before=now,
                        claimed_at=now, created_at=now, in_doubt=False, priority=0, **values)
    row.behind, row.encoded = behind, encoded
    return [row]


@cache
def _insert_sql(dialect: Dialect) -> str:
    """The INSERT with its placeholders as `%(name)s` (psycopg's paramstyle), filled with `%`
    (no other "%" in it: its constants are the literal columns above)."""
    sql = str(_INSERT.compile(dialect=dialect))
    assert sql.count("%") == sql.count("%(") and dialect.paramstyle == "pyformat", sql
    return sql


def enqueue(session: Session, user_id: str, replies: list[Reply], reply_token: str | None, purpose: str = "reply") -> list[OutboxMessage]:
    """Outbox rows for `replies`: the first batch of 5 as a reply (when there is a token),
    the rest as pushes, each with its own retry key."""
    rows = []
    for i, batch in enumerate(render(replies)):
        kind = "reply" if i == 0 and reply_token else "push"
        row = OutboxMessage(kind=kind, user_id=user_id, reply_token=reply_token if kind == "reply" else None,
                            messages=batch, retry_key=str(uuid.uuid4()), purpose=purpose, not_before=utcnow())
        session.add(row)
        rows.append(row)
    return rows


MULTICAST_MAX = 500


def enqueue_push(session: Session, push: Push, now=None) -> list[OutboxMessage]:  # type: ignore[no-untyped-def]
    """Outbox rows for a push to one or many users: the same content to several users goes
    as multicast (<= 500 ids a call), otherwise push; held outside quiet hours; users who
    blocked the bot (unfollowed) are left out."""
    now = now or utcnow()
    blocked = set(session.scalars(
        select(LineAccount.user_id).where(LineAccount.user_id.in_(push.user_ids), LineAccount.following.is_(False))
    ))
    ids = [u for u in dict.fromkeys(push.user_ids) if u not in blocked]
    if not ids:
        return []
    if push.dedupe_key is not None:
        exists = session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == push.dedupe_key))
        if exists is not None:
            return []
    not_before = now if push.urgent else next_allowed(now)
    rows = []
    batches = render(list(push.replies))
    for start in range(0, len(ids), MULTICAST_MAX):
        chunk = ids[start : start + MULTICAST_MAX]
        for i, batch in enumerate(batches):
            key = push.dedupe_key if (start == 0 and i == 0) else None
            if len(chunk) == 1:
                row = OutboxMessage(kind="push", user_id=chunk[0], messages=batch, retry_key=str(uuid.uuid4()),
                                    purpose=push.purpose, not_before=not_before, dedupe_key=key)
            else:
                row = OutboxMessage(kind="multicast", recipients=chunk, messages=batch, retry_key=str(uuid.uuid4()),
                                    purpose=push.purpose, not_before=not_before, dedupe_key=key)
            session.add(row)
            rows.append(row)
    return rows
