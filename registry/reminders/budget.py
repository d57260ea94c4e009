"""Which reminders go out when the month's message budget cannot pay for all of them
(LINE-free): each plan gets a value, the most valuable are sent, the rest are held.

Value, highest first: officers' alerts and digests (few messages, they steer the work), an
officer's own reminder to an area, standards about to expire; then producers' nudges by
★ gaps of the record (10 a field, up to 10 fields), how far the producer's district is behind
(100 × its share of incomplete ★ records) and whether the producer wrote to the bot before
(+50: they answer). Computed only when the budget is short.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import OutboxMessage, Producer
from registry.completeness import child_area_counts
from registry.reminders.base import Plan, _chunks
from registry.reminders.texts import TEXTS

KIND_VALUE = {"overdue": 10_000, "digest": 9_000, "league": 9_000, "area": 8_000, "expiry": 7_000, "nudge": 0}
ANSWERED = 50


@dataclass
class Split:
    """Plans to send now (`send`) and to hold (`hold`, with their values), most valuable first."""

    send: list[tuple[int, Plan]] = field(default_factory=list)
    hold: list[tuple[int, Plan]] = field(default_factory=list)

    @property
    def held_cost(self) -> int:
        return sum(p.cost for _, p in self.hold)


def split(session: Session, plans: Sequence[Plan], left: int | None) -> Split:
    """Everything is sent when `left` (messages the budget still allows; None = no limit)
    covers it; otherwise the most valuable plans that fit, the rest held."""
    if left is None or sum(p.cost for p in plans) <= left:
        return Split(send=[(0, p) for p in plans])
    ranked = sorted(zip(values(session, plans), plans, strict=True), key=lambda vp: -vp[0])
    out = Split()
    for value, plan in ranked:
        if plan.cost <= left:
            out.send.append((value, plan))
            left -= plan.cost
        else:
            out.hold.append((value, plan))
    return out


def values(session: Session, plans: Sequence[Plan]) -> list[int]:
    """Each plan's value (see the module's docstring)."""
    nudges = {int(p.key.split(":")[1]): p for p in plans if p.kind == "nudge"}
    district_of: dict[int, str] = {}
    for chunk in _chunks(sorted(nudges)):
        district_of.update(session.execute(select(Producer.id, Producer.district_code).where(Producer.id.in_(chunk))).all())
    behind: dict[str, float] = {}
    for province in sorted({d[:2] for d in district_of.values() if d}):
        for area in child_area_counts(session, province):
            behind[area.area_code or ""] = 1 - area.starred_rate
    users = [u for p in nudges.values() for u in p.user_ids]
    answered: set[str] = set()
    for chunk in _chunks(users):
        answered.update(session.scalars(select(OutboxMessage.user_id).distinct().where(
            OutboxMessage.user_id.in_(chunk), OutboxMessage.kind == "reply")))
    out = []
    for plan in plans:
        value = KIND_VALUE.get(plan.kind, 0)
        if plan.kind == "nudge":
            pid = int(plan.key.split(":")[1])
            value += 10 * min(plan.gaps, 10) + round(100 * behind.get(district_of.get(pid) or "", 0.0))
            value += ANSWERED if answered.intersection(plan.user_ids) else 0
        out.append(value)
    return out


def notice_text(split_: Split, left: int, cap: int | None, price: float | None) -> str:
    """The central officers' notice: what was held back for the budget, what it would cost."""
    kinds = Counter()  # type: Counter[str]
    for _, plan in split_.hold:
        kinds[plan.kind] += plan.cost
    cost = split_.held_cost
    baht = TEXTS["budget_baht"].format(baht=cost * price) if price else ""
    lines = [TEXTS["budget_title"],
             TEXTS["budget_held"].format(messages=cost, kinds=", ".join(
                 f"{TEXTS['kind_' + k]} {n:,}" for k, n in kinds.most_common())),
             TEXTS["budget_cost"].format(messages=cost, baht=baht)]
    if cap is not None:
        lines.append(TEXTS["budget_left"].format(left=left, cap=cap))
    lines.append(TEXTS["budget_footer"])
    return "\n".join(lines)
