"""What every reminder job shares: the `Plan` value, the configuration, who may receive
(following, not opted out, under the monthly cap) and the ReminderLog bookkeeping.

LINE-free: a Plan says *who* gets *what text* with which buttons (intent + slots); the bot
layer turns it into a Push (handlers.reminders.push_for) and writes the outbox.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import LineAccount, OutboxMessage, ReminderLog, Role

BANGKOK = timezone(timedelta(hours=7))
# Reminders to producers that count against the monthly cap (expiry reminders do not: one
# per standard, never repeated, and too important to be crowded out by nudges).
CAPPED_KINDS = ("nudge", "area")
CHUNK = 500  # ids per IN (...) list


@dataclass(frozen=True)
class ReminderConfig:
    """Tunable rules; `from_env` reads REMIND_* variables (see docs/REMINDERS.md)."""

    nudges_per_month: int = 2  # nudge + officer reminders per LINE account per month
    expiry_days: int = 30  # remind this many days before a standard expires
    overdue_days: int = 14  # a request waiting longer at one step is overdue
    digest_weekday: int = 0  # Monday (0) .. Sunday (6), Bangkok time
    league_day: int = 1  # day of the month the province summary goes out
    jobs: tuple[str, ...] = ("digest", "league", "overdue", "nudge", "expiry")
    monthly_budget: int | None = None  # paid messages a month (None: LINE's quota alone)
    price_per_message: float | None = None  # baht, to tell the admin what held reminders cost

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ReminderConfig:
        env = os.environ if env is None else env
        base = cls()

        def num(name: str, default: int) -> int:
            return int(env.get(name) or default)

        jobs = tuple(j.strip() for j in (env.get("REMIND_JOBS") or "").split(",") if j.strip())
        budget, price = env.get("REMIND_MONTHLY_BUDGET"), env.get("REMIND_PRICE_PER_MESSAGE")
        return cls(num("REMIND_NUDGES_PER_MONTH", base.nudges_per_month), num("REMIND_EXPIRY_DAYS", base.expiry_days),
                   num("REMIND_OVERDUE_DAYS", base.overdue_days), num("REMIND_DIGEST_WEEKDAY", base.digest_weekday),
                   num("REMIND_LEAGUE_DAY", base.league_day), jobs or base.jobs,
                   int(budget) if budget else None, float(price) if price else None)


@dataclass(frozen=True)
class Button:
    """A quick reply that taps into an intent (a postback `i=<intent>&slot=value`)."""

    label: str
    intent: str
    slots: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Plan:
    """One message to send: the same `text` to every id in `user_ids` (multicast when many).

    `key` is the outbox dedupe key (the job's idempotency key); each recipient also gets a
    ReminderLog row `key|user` of `kind`, which the monthly cap counts."""

    kind: str  # digest | league | overdue | nudge | expiry | area
    user_ids: tuple[str, ...]
    key: str
    text: str
    buttons: tuple[Button, ...] = ()
    gaps: int = 0  # ★ fields the record misses (nudges): one of the plan's values in a short budget

    @property
    def cost(self) -> int:
        """Messages it uses of the month's quota: LINE counts one per recipient."""
        return len(self.user_ids)

    @property
    def purpose(self) -> str:
        return f"remind:{self.kind}"


# ---------------------------------------------------------------- time helpers


def local_date(now: datetime) -> date:
    return now.astimezone(BANGKOK).date()


def month_start_utc(now: datetime) -> datetime:
    """The start of `now`'s month in Bangkok, as aware UTC (the cap's window)."""
    first = local_date(now).replace(day=1)
    return datetime.combine(first, time(0), tzinfo=BANGKOK).astimezone(timezone.utc)


def month_label(now: datetime) -> str:
    return local_date(now).strftime("%Y-%m")


def week_label(now: datetime) -> str:
    year, week, _ = local_date(now).isocalendar()
    return f"{year}-W{week:02d}"


# ---------------------------------------------------------------- audiences


def _chunks(items: Sequence, size: int = CHUNK) -> Iterable[Sequence]:  # type: ignore[type-arg]
    for i in range(0, len(items), size):
        yield items[i : i + size]


def reachable():  # type: ignore[no-untyped-def]
    """The accounts a reminder may go to: following the bot and not opted out."""
    return select(LineAccount).where(LineAccount.following.is_(True), LineAccount.reminders_opt_out.is_(False))


def officers_by_area(session: Session, role: Role) -> dict[str, list[str]]:
    """Reachable officers of `role`, by district (DISTRICT) or province (PROVINCE) code."""
    column = LineAccount.district_code if role is Role.DISTRICT else LineAccount.province_code
    out: dict[str, list[str]] = {}
    stmt = reachable().where(LineAccount.role == role, column.is_not(None)).order_by(LineAccount.user_id)
    for account in session.scalars(stmt):
        out.setdefault(getattr(account, column.key), []).append(account.user_id)
    return out


def capped_users(session: Session, user_ids: Sequence[str], now: datetime, limit: int) -> set[str]:
    """Users who already had `limit` capped reminders this (Bangkok) month."""
    since = month_start_utc(now)
    full: set[str] = set()
    for chunk in _chunks(list(user_ids)):
        stmt = (select(ReminderLog.user_id).where(ReminderLog.user_id.in_(chunk), ReminderLog.kind.in_(CAPPED_KINDS),
                                                  ReminderLog.at >= since)
                .group_by(ReminderLog.user_id).having(func.count() >= limit))
        full.update(session.scalars(stmt))
    return full


def had_kind_since(session: Session, user_ids: Sequence[str], kind: str, since: datetime) -> set[str]:
    """Users who got a reminder of `kind` at or after `since`."""
    got: set[str] = set()
    for chunk in _chunks(list(user_ids)):
        got.update(session.scalars(select(ReminderLog.user_id).where(
            ReminderLog.user_id.in_(chunk), ReminderLog.kind == kind, ReminderLog.at >= since)))
    return got


def existing_keys(session: Session, keys: Sequence[str]) -> set[str]:
    """Which of these outbox dedupe keys are already written (the job ran before)."""
    found: set[str] = set()
    for chunk in _chunks(list(keys)):
        found.update(session.scalars(select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(chunk))))
    return found


def log_plan(session: Session, plan: Plan, now: datetime, user_ids: Sequence[str] | None = None,
             outbox_id: int | None = None) -> None:
    """ReminderLog rows for the recipients (`key|user`, unique): the cap's and the no-repeat
    record. Added to the caller's transaction; a repeat raises IntegrityError at flush."""
    for uid in user_ids if user_ids is not None else plan.user_ids:
        session.add(ReminderLog(user_id=uid, kind=plan.kind, key=f"{plan.key}|{uid}"[:200], at=now,
                                outbox_id=outbox_id))


def pct(rate: float) -> str:
    return f"{rate * 100:.1f}%"


def signed_points(delta: float) -> str:
    """A change of a rate in percentage points, with its sign."""
    points = delta * 100
    return f"{'+' if points >= 0 else '−'}{abs(points):.1f} จุด"
