"""What is due for whom: reminders and digests as `Plan` values (LINE-free).

    plans = due_plans(session, now, ReminderConfig.from_env())

Each plan carries its idempotency key (the outbox dedupe key: "digest:weekly:<district>:
<iso week>", "league:monthly:<province>:<yyyy-mm>", "overdue:<request>:<step>:<since>",
"nudge:<producer>:<yyyy-mm>", "expiry:<standard>:<date>", "area:<area>:<field>:<date>"), so
planning again after the plans were written gives nothing new. Only reachable accounts are
planned for (following the bot, not opted out; producers under the monthly cap). Quiet hours
are the outbox's business (bot.dispatch.enqueue_push and the sender). See docs/REMINDERS.md.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from registry.reminders.base import CAPPED_KINDS, Button, Plan, ReminderConfig, log_plan
from registry.reminders.officers import district_digest_plans, overdue_plans, province_league_plans
from registry.reminders.producers import area_name, area_plan, area_recipients, expiry_plans, nudge_plans
from registry.reminders.texts import TEXTS

JOBS: dict[str, Callable[[Session, datetime, ReminderConfig], list[Plan]]] = {
    "digest": district_digest_plans,
    "league": province_league_plans,
    "overdue": overdue_plans,
    "expiry": expiry_plans,
    "nudge": nudge_plans,
}


def due_plans(session: Session, now: datetime, config: ReminderConfig, jobs: tuple[str, ...] | None = None) -> list[Plan]:
    """Everything due at `now`, job by job (officers first, then producers)."""
    plans: list[Plan] = []
    for name in jobs or config.jobs:
        plans += JOBS[name](session, now, config)
    return plans


__all__ = [
    "CAPPED_KINDS", "JOBS", "TEXTS", "Button", "Plan", "ReminderConfig", "area_name", "area_plan",
    "area_recipients", "due_plans", "log_plan",
]
