"""The statements of the event path (`bot.dispatch`), built once: their construction would
cost more than running them on the webhook's path."""

from __future__ import annotations

from sqlalchemy import Boolean, String, bindparam, column, select, text, update

from bot.outbox_queries import ONE, WAITS, constant
from models import ConversationState, InboundEvent, InboundStatus, LineAccount, OutboxMessage

# The account with the user's conversation row and the ordering probe (is an older message
# to the user unsent?) in one statement. It must run once the account is locked: on SQLite
# BEGIN IMMEDIATE has serialised the writers already; on PostgreSQL `_LOCK` comes first,
# because a statement that waits for a row lock sees the other tables as they were when it
# began (read committed): a second message of the user, handled while the first one held
# the lock, would miss the conversation and the replies the first one just committed.
_HELD = select(ONE).where(OutboxMessage.user_id == bindparam("user_id"),
                          OutboxMessage.status == constant("held")).limit(ONE)  # = ix_outbox_held_user
# An event of the user stored for the event worker and not handled yet: a later event waits
# behind it (handled by the worker too, in order). ix_inbound_status: the stored rows only.
_STORED = select(ONE).where(InboundEvent.status == constant(InboundStatus.RECEIVED.value),
                            InboundEvent.user_id == bindparam("user_id")).limit(ONE)
_ACCOUNT = {quiet: select(LineAccount, ConversationState, WAITS[quiet].exists().label("waits"),
                          _HELD.exists().label("held"), _STORED.exists().label("stored"))
            .outerjoin(ConversationState, ConversationState.user_id == LineAccount.user_id)
            .where(LineAccount.user_id == bindparam("user_id"))
            for quiet in (False, True)}
# The same as a Core statement (every column of both tables, then the three probes), for
# `bot.dispatch.found`: the ORM's loading of two entities cost more than the statement.
_ACCOUNTS, _CONVERSATIONS = LineAccount.__table__, ConversationState.__table__
ACCOUNT_CORE = {quiet: select(*_ACCOUNTS.c, *_CONVERSATIONS.c, WAITS[quiet].exists().label("waits"),
                              _HELD.exists().label("held"), _STORED.exists().label("stored"))
                .select_from(_ACCOUNTS.outerjoin(_CONVERSATIONS, _CONVERSATIONS.c.user_id == _ACCOUNTS.c.user_id))
                .where(_ACCOUNTS.c.user_id == bindparam("user_id"))
                for quiet in (False, True)}
_LOCK = select(LineAccount.user_id).where(LineAccount.user_id == bindparam("user_id")).with_for_update()
_EVENTS = InboundEvent.__table__
_OLDEST_STORED = (select(InboundEvent.event_id)
                  .where(InboundEvent.status == InboundStatus.RECEIVED, InboundEvent.user_id == bindparam("user_id"))
                  .order_by(InboundEvent.received_at, InboundEvent.event_id).limit(1))
# A stored event taken for handling: locked and marked done, its sealed payload replaced by
# the redacted one (`bot.inbox.redacted`), unless it was handled already.
_TAKE = (update(InboundEvent.__table__)
         .where(InboundEvent.event_id == bindparam("taken"), InboundEvent.status == InboundStatus.RECEIVED)
         .values(status=InboundStatus.DONE, handled_at=bindparam("at"),
                 payload=bindparam("settled", type_=InboundEvent.__table__.c.payload.type))
         .returning(InboundEvent.event_id))
# ... only if it is its user's oldest stored event (the parameter may not be named user_id in an UPDATE).
_TAKE_OLDEST = _TAKE.where(InboundEvent.event_id == select(InboundEvent.event_id).where(
    InboundEvent.status == InboundStatus.RECEIVED, InboundEvent.user_id == bindparam("oldest_of"))
    .order_by(InboundEvent.received_at, InboundEvent.event_id).limit(1).scalar_subquery())
# PostgreSQL, the whole fixed first part of a webhook event in one statement (migration
# 0012_onetrip_begin_event, `begin_event`): the event row inserted (none for a redelivery),
# then the account locked, then the account read with its conversation and the probes of
# `_ACCOUNT`, by a statement of its own inside the function: a fresh snapshot, current after
# the wait for the lock. The lock is always taken after the event row, as by two statements
# (a redelivery that took the account first and then waited for the event row of the
# transaction it repeats could deadlock with it); a redelivery takes no lock. No row: a
# redelivery. `locked` false: no account yet.
_BEGIN_NEW, _BEGIN_LOCKED = column("new_event", String), column("locked", Boolean)
_BEGIN_PROBES = (column("waits", Boolean), column("held", Boolean), column("stored", Boolean))


def _account_function(call: str, first: str, *binds):  # type: ignore[no-untyped-def]
    """`SELECT` of a function's row (`begin_event`, `take_event`: its first column, whether the
    account was locked, the account's and the conversation's columns, the three probes)."""
    return (text(f"SELECT r.{first}, r.locked, "
                 + ", ".join(f"(r.account).{c.name}" for c in _ACCOUNTS.c) + ", "
                 + ", ".join(f"(r.conversation).{c.name}" for c in _CONVERSATIONS.c)
                 + f", r.waits, r.held, r.stored FROM {call} AS r")
            .bindparams(*binds, bindparam("account", type_=String),
                        bindparam("now", type_=_EVENTS.c.received_at.type), bindparam("quiet", type_=Boolean))
            .columns(column(first, String), _BEGIN_LOCKED, *_ACCOUNTS.c, *_CONVERSATIONS.c, *_BEGIN_PROBES))


_BEGIN_EVENT_SQL = _account_function(
    "begin_event(:event_id, :user_id, :payload, :status, :received_at, :handled_at, :account, :now, :quiet)",
    "new_event", *(bindparam(c.name, type_=c.type) for c in _EVENTS.c if c.name != "error"))
BEGIN_EVENT = select(_BEGIN_NEW, _BEGIN_LOCKED, LineAccount, ConversationState, *_BEGIN_PROBES) \
    .from_statement(_BEGIN_EVENT_SQL)
# The same as a Core statement (its row's values processed by the columns' types), for
# `bot.dispatch.loaded`: the ORM's loading of two entities cost more than the statement.
BEGIN_EVENT_CORE = _BEGIN_EVENT_SQL
# PostgreSQL, the event worker's fixed first part in one statement (migration
# 0013_cpu11_take_event, `take_event`): the stored event taken as by `_TAKE_OLDEST` (no row:
# not taken), then the account locked and read as by `begin_event`.
TAKE_EVENT_CORE = _account_function(
    "take_event(:taken, :at, :settled, :oldest_of, :account, :now, :quiet)", "taken",
    bindparam("taken", type_=String), bindparam("at", type_=_EVENTS.c.handled_at.type),
    bindparam("settled", type_=_EVENTS.c.payload.type), bindparam("oldest_of", type_=String))
ACCOUNT_KEYS = tuple(LineAccount.__mapper__.get_property_by_column(c).key for c in _ACCOUNTS.c)
CONVERSATION_KEYS = tuple(ConversationState.__mapper__.get_property_by_column(c).key for c in _CONVERSATIONS.c)
