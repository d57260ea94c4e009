"""Chat plumbing kept in the database: received events, conversation state, the outbox."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Date, Float, Index, Integer, LargeBinary, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow
from models.pii import SealedJSON, SealedUnlessRedacted
from models.registry import _enum


class InboundStatus(enum.StrEnum):
    RECEIVED = "received"
    DONE = "done"
    FAILED = "failed"


class InboundEvent(Base):
    """A webhook event as received; its primary key de-duplicates redeliveries."""

    __tablename__ = "inbound_events"
    __table_args__ = (Index("ix_inbound_status", "status", "received_at"),)

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)  # webhookEventId
    user_id: Mapped[str | None] = mapped_column(String(64))
    # The event's JSON: sealed as received while it waits for the event worker (status
    # received), redacted and in the clear once handled or failed (models.pii, bot.inbox).
    payload: Mapped[str] = mapped_column(SealedUnlessRedacted("inbound_events.payload"))
    status: Mapped[InboundStatus] = mapped_column(_enum(InboundStatus), default=InboundStatus.RECEIVED)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    handled_at: Mapped[datetime | None] = mapped_column()
    error: Mapped[str | None] = mapped_column(Text)


class ConversationState(Base):
    """Where a user is in a flow: flow name, state, collected slots, expiry."""

    __tablename__ = "conversation_states"

    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    flow: Mapped[str] = mapped_column(String(60))
    state: Mapped[str] = mapped_column(String(60))
    # Sealed (models.pii): a flow's answers may be a typed national ID or birth date.
    slots: Mapped[dict] = mapped_column(SealedJSON("conversation_states.slots"), default=dict)
    retries: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    expires_at: Mapped[datetime] = mapped_column()


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    HELD = "held"  # kept back for the monthly message budget or a spent quota (bot/quota.py)


class OutboxMessage(Base):
    """A message to deliver, written in the same transaction as the event that caused it.

    kind: "reply" (reply_token set; falls back to push when the token has expired),
    "push" (one user) or "multicast" (recipients: up to 500 user ids); "merged" for a held
    push that went out inside a reply (free). `retry_key` is sent as X-Line-Retry-Key so that
    a retry after a crash never duplicates a push. `in_doubt`: an attempt's outcome was
    unknown (a timeout, a sender that died mid-send), see docs/DELIVERY.md. `priority`: how
    valuable a held reminder is (the highest are released first).
    """

    __tablename__ = "outbox"
    # Not a column: set by `Sender.claim_new` on rows claimed while an older message to the
    # user was unsent (they wait for it before they are sent).
    behind = False
    # Not a column either: the JSON text of `messages` when the writer built it already
    # (`bot.outbox_write.insert_claimed_and_commit`); the send posts it as it is.
    encoded = None  # (str)
    __table_args__ = (
        Index("ix_outbox_due", "status", "not_before"),
        Index("ix_outbox_user_id_id", "user_id", "id"),
        # The sender's "no older open message to this user" check probes only open rows: a
        # small partial index the planner uses whatever its statistics say. (With plain
        # indexes and stale statistics after a bulk write, PostgreSQL ANDed the status index
        # into every probe: 1-10 s per claim at 10,000 queued rows.)
        Index("ix_outbox_open_user", "user_id", "id",
              postgresql_where=text("status IN ('pending', 'sending')"),
              sqlite_where=text("status IN ('pending', 'sending')")),
        Index("ix_outbox_held_user", "user_id", postgresql_where=text("status = 'held'"),
              sqlite_where=text("status = 'held'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    user_id: Mapped[str | None] = mapped_column(String(64))
    recipients: Mapped[list | None] = mapped_column()
    reply_token: Mapped[str | None] = mapped_column(String(100))
    messages: Mapped[list] = mapped_column()  # LINE message objects as JSON
    retry_key: Mapped[str] = mapped_column(String(36), unique=True)
    purpose: Mapped[str] = mapped_column(String(40), default="reply")  # reply | nudge | digest ...
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    status: Mapped[OutboxStatus] = mapped_column(_enum(OutboxStatus), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column()
    claimed_by: Mapped[str | None] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(Text)
    in_doubt: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    priority: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))


class RateSlot(Base):
    """The channel's pacing state when PostgreSQL is the shared store (bot/pacing.py): the
    theoretical arrival time (epoch seconds, the database's clock) of the next free slot."""

    __tablename__ = "rate_slots"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    tat: Mapped[float] = mapped_column(Float)


class StoredMedia(Base):
    """An image a user sent that is not yet attached to a record (waiting for a product pick)."""

    __tablename__ = "stored_media"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), index=True)
    message_id: Mapped[str] = mapped_column(String(64), unique=True)
    location: Mapped[str] = mapped_column(String(500))
    thumbnail: Mapped[str | None] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CompletenessSnapshot(Base):
    """Month-end completeness per area and field, for "change since last month"."""

    __tablename__ = "completeness_snapshots"
    __table_args__ = (UniqueConstraint("month", "area_code", "field"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(Date)  # first day of the month
    area_code: Mapped[str] = mapped_column(String(6))  # "" = national, 2/4/6-digit codes
    field: Mapped[str] = mapped_column(String(60))  # completeness field key, or "_records"
    total: Mapped[int] = mapped_column(Integer)
    missing: Mapped[int] = mapped_column(Integer)
    invalid: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    taken_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReminderLog(Base):
    """A reminder that went (or will go) to someone: enforces per-month caps and no repeats."""

    __tablename__ = "reminder_log"
    __table_args__ = (Index("ix_reminder_user_at", "user_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(200), unique=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    outbox_id: Mapped[int | None] = mapped_column()
