"""The month's paid messages: what LINE says is left (GET /v2/bot/message/quota and
/quota/consumption, both free), the configured budget, pushes held back for them, and the free
way out: a held push to a user rides along with the next reply to that user.

    left = min(REMIND_MONTHLY_BUDGET, LINE's quota) - used this month - pushes still queued

"Used" is LINE's consumption, or, when the API cannot be asked (no network, the local chat),
the pushes this outbox sent this (Bangkok) month, counted per recipient as LINE counts them.
Held rows (status HELD: planned beyond the budget, or refused with 429 "monthly limit") wait
for `release_held`, which the clock runs every few minutes: on the 1st of the next month the
count starts again and they go out, most valuable first. Nothing is retried into a spent quota.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.lineapi import QUICK_TIMEOUT, LineApi
from models import OutboxMessage, OutboxStatus
from registry.quiet_hours import next_allowed
from registry.reminders.base import month_start_utc

log = logging.getLogger(__name__)
PAID_KINDS = ("push", "multicast")
MAX_MESSAGES = 5  # per reply


@dataclass(frozen=True)
class Quota:
    """LINE's monthly target limit (None: none set) and this month's consumption."""

    limit: int | None
    used: int

    @property
    def left(self) -> int | None:
        return None if self.limit is None else self.limit - self.used


def read_quota(api: LineApi | None) -> Quota | None:
    """Ask the Messaging API; None when it cannot be asked (best effort, never raises)."""
    if api is None:
        return None
    try:
        quota = api.messaging.get_message_quota(_request_timeout=QUICK_TIMEOUT)
        used = api.messaging.get_message_quota_consumption(_request_timeout=QUICK_TIMEOUT)
    except Exception as exc:
        log.info("quota not read: %s", exc)
        return None
    return Quota(quota.value if quota.type == "limited" else None, int(used.total_usage or 0))


def _cost(kind: str, recipients: list | None) -> int:  # type: ignore[type-arg]
    return len(recipients or []) if kind == "multicast" else 1


def sent_this_month(session: Session, now: datetime) -> int:
    """Paid messages the outbox sent since the month began (the fallback for LINE's count)."""
    since = month_start_utc(now)
    base = select(OutboxMessage.kind, OutboxMessage.recipients).where(
        OutboxMessage.status == OutboxStatus.SENT, OutboxMessage.kind.in_(PAID_KINDS), OutboxMessage.sent_at >= since)
    pushes = session.scalar(select(func.count()).select_from(base.where(OutboxMessage.kind == "push").subquery())) or 0
    return pushes + sum(_cost(k, r) for k, r in session.execute(base.where(OutboxMessage.kind == "multicast")))


def queued(session: Session) -> int:
    """Paid messages waiting to be sent (pending or being sent)."""
    base = select(OutboxMessage.kind, OutboxMessage.recipients).where(
        OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]), OutboxMessage.kind.in_(PAID_KINDS))
    pushes = session.scalar(select(func.count()).select_from(base.where(OutboxMessage.kind == "push").subquery())) or 0
    return pushes + sum(_cost(k, r) for k, r in session.execute(base.where(OutboxMessage.kind == "multicast")))


@dataclass(frozen=True)
class Budget:
    """What this month allows: `cap` (None: no limit), `used`, `queued`; `left` for new pushes."""

    cap: int | None
    used: int
    queued: int

    @property
    def left(self) -> int | None:
        return None if self.cap is None else max(0, self.cap - self.used - self.queued)


def budget(session: Session, quota: Quota | None, monthly_budget: int | None, now: datetime) -> Budget:
    """The budget from LINE's quota (when read) and the configured one, whichever is smaller."""
    caps = [c for c in (monthly_budget, quota.limit if quota else None) if c is not None]
    used = quota.used if quota is not None else sent_this_month(session, now)
    return Budget(min(caps) if caps else None, used, queued(session))


def release_held(session: Session, left: int | None, now: datetime) -> Counter[str]:
    """Held rows back to the outbox, highest priority first, as far as `left` allows (None:
    all); returns the released rows by purpose. Scheduled ones still wait for daytime."""
    released: Counter[str] = Counter()
    rows = session.execute(select(OutboxMessage.id, OutboxMessage.kind, OutboxMessage.recipients, OutboxMessage.purpose)
                           .where(OutboxMessage.status == OutboxStatus.HELD)
                           .order_by(OutboxMessage.priority.desc(), OutboxMessage.id)).all()
    for row_id, kind, recipients, purpose in rows:
        cost = _cost(kind, recipients)
        if left is not None and cost > left:
            continue
        left = None if left is None else left - cost
        session.execute(update(OutboxMessage).where(OutboxMessage.id == row_id, OutboxMessage.status == OutboxStatus.HELD)
                        .values(status=OutboxStatus.PENDING, not_before=next_allowed(now), claimed_by=None))
        released[purpose] += 1
    return released


def ride_along(session: Session, user_id: str, reply: OutboxMessage, now: datetime) -> int:
    """Put the user's held pushes into `reply` (the answer to what they just wrote), as far as
    LINE's five messages a reply allow: a reply costs nothing. They go before the answer when
    its last message has quick-reply buttons (only the last message's are shown), else after.
    Returns how many held rows went along; each is recorded as sent inside that reply."""
    held = session.scalars(select(OutboxMessage).where(
        OutboxMessage.user_id == user_id, OutboxMessage.status == OutboxStatus.HELD, OutboxMessage.kind == "push")
        .order_by(OutboxMessage.id)).all()
    taken = 0
    for row in held:
        if len(reply.messages) + len(row.messages) > MAX_MESSAGES:
            break
        answer_has_buttons = bool(reply.messages and reply.messages[-1].get("quickReply"))
        reply.messages = (row.messages + reply.messages) if answer_has_buttons else (reply.messages + row.messages)
        row.status, row.kind, row.sent_at = OutboxStatus.SENT, "merged", now
        row.last_error = "sent inside the reply to the user's next message (free)"
        taken += 1
    return taken
