"""Runs the reminder jobs: plans what is due (registry.reminders) and writes each plan to the
outbox together with its ReminderLog rows, in one transaction per batch of plans, each plan
in a savepoint. Idempotent: a plan whose dedupe key is already in the outbox is skipped (and
a concurrent clock writing the same key loses on the unique index), so running twice, or two
clocks at once, sends nothing twice. `dry_run` only plans, inside a rolled-back transaction.

Budget (bot/quota.py, registry/reminders/budget.py): each run first releases held reminders
the month's budget now allows, then writes what fits, most valuable first; the rest is
written HELD (nothing failed or lost) and the central officers are told in chat, once a day,
what was held back and what it would cost."""

from __future__ import annotations

import logging
import os
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from sqlalchemy import select

from bot.dispatch import enqueue_push
from bot.lineapi import LineApi
from bot.quota import budget, read_quota, release_held
from handlers.reminders import push_for
from handlers.replies import Push, Text
from models import InboundEvent, InboundStatus, LineAccount, OutboxMessage, OutboxStatus, Role, read_only, unit_of_work
from registry.reminders import Plan, ReminderConfig, due_plans, log_plan
from registry.reminders.base import local_date, reachable
from registry.reminders.budget import notice_text, split

log = logging.getLogger(__name__)
# Plans per write transaction: 2-3 ms each on SQLite, whose write lock a batch holds (chat
# messages wait for it), so a batch of 50 keeps their wait under ~0.15 s.
WRITE_BATCH = 50


@dataclass
class RunReport:
    """What one run planned and wrote."""

    plans: list[Plan] = field(default_factory=list)
    written: int = 0  # plans that became outbox rows
    skipped: int = 0  # already written (by an earlier run or another clock)
    outbox_rows: int = 0
    seconds: float = 0.0
    held: list[Plan] = field(default_factory=list)  # kept back for the month's budget
    held_cost: int = 0
    released: int = 0  # held rows the budget allowed again

    def by_kind(self) -> Counter[str]:
        return Counter(p.kind for p in self.plans)


def plan(factory: sessionmaker[Session], now: datetime, config: ReminderConfig,
         jobs: tuple[str, ...] | None = None) -> list[Plan]:
    """What is due, read in a read-only transaction (nothing is written; on SQLite the write
    lock is not taken, so chat messages are not kept waiting while ~100,000 records are read)."""
    with read_only(factory) as session:
        return due_plans(session, now, config, jobs)


def write_plans(factory: sessionmaker[Session], plans: list[Plan], now: datetime, report: RunReport,
                hold: dict[str, int] | None = None) -> None:
    """Outbox rows + ReminderLog rows for each plan, WRITE_BATCH plans per transaction; the
    plans whose key is in `hold` are written HELD with that priority."""
    hold = hold or {}
    for start in range(0, len(plans), WRITE_BATCH):
        with unit_of_work(factory) as session:
            for p in plans[start : start + WRITE_BATCH]:
                try:
                    with session.begin_nested():
                        rows = enqueue_push(session, push_for(p), now=now)
                        if not rows:
                            report.skipped += 1
                            continue
                        if p.key in hold:
                            for row in rows:
                                row.status, row.priority = OutboxStatus.HELD, hold[p.key]
                        session.flush()
                        log_plan(session, p, now, outbox_id=rows[0].id)
                        session.flush()
                except IntegrityError:
                    report.skipped += 1  # another clock wrote the same key first
                    continue
                report.written += 1
                report.outbox_rows += len(rows)
    if report.outbox_rows >= ANALYZE_AFTER:
        refresh_outbox_statistics(factory)


# After a burst of outbox rows PostgreSQL's statistics still describe the old table: the
# sender's claim query then gets a nested-loop plan costing seconds per batch (measured: 1-10 s
# at 10,000 queued nudges, 34 ms after ANALYZE). Autovacuum gets there, but only later.
ANALYZE_AFTER = 1000


def refresh_outbox_statistics(factory: sessionmaker[Session]) -> None:
    """ANALYZE the outbox on PostgreSQL (a no-op elsewhere: SQLite plans these by index)."""
    from sqlalchemy import text

    with unit_of_work(factory) as session:
        if session.bind.dialect.name == "postgresql":  # type: ignore[union-attr]
            session.execute(text("ANALYZE outbox"))


def run(factory: sessionmaker[Session], now: datetime, config: ReminderConfig, *, dry_run: bool = False,
        jobs: tuple[str, ...] | None = None, api: LineApi | None = None) -> RunReport:
    """Plan what is due at `now` and (unless `dry_run`) write it to the outbox, within the
    month's budget (LINE's quota read through `api` when given, and REMIND_MONTHLY_BUDGET)."""
    started = time.monotonic()
    report = RunReport(plans=plan(factory, now, config, jobs))
    if not dry_run:
        quota = read_quota(api)
        with unit_of_work(factory) as session:
            report.released = sum(release_held(session, budget(session, quota, config.monthly_budget, now).left,
                                               now).values())
            report.plans = without_open_nudges(session, report.plans)
            allowed = budget(session, quota, config.monthly_budget, now)
            chosen = split(session, report.plans, allowed.left)
        held = {p.key: value for value, p in chosen.hold}
        report.held, report.held_cost = [p for _, p in chosen.hold], chosen.held_cost
        write_plans(factory, [p for _, p in chosen.send] + report.held, now, report, hold=held)
        if report.held:
            tell_admins(factory, notice_text(chosen, allowed.left or 0, allowed.cap, config.price_per_message), now)
    report.seconds = time.monotonic() - started
    return report


def without_open_nudges(session: Session, plans: list[Plan]) -> list[Plan]:
    """Nudges to users who still have one waiting (held last month, or not sent yet) are not
    planned again: that one goes first."""
    users = {u for p in plans if p.kind == "nudge" for u in p.user_ids}
    if not users:
        return plans
    waiting = set(session.scalars(select(OutboxMessage.user_id).where(
        OutboxMessage.purpose == "remind:nudge",
        OutboxMessage.status.in_([OutboxStatus.HELD, OutboxStatus.PENDING, OutboxStatus.SENDING]))))
    return [p for p in plans if p.kind != "nudge" or not waiting.intersection(p.user_ids)]


def tell_admins(factory: sessionmaker[Session], text: str, now: datetime) -> None:
    """The budget notice to the central officers, once a day (its dedupe key)."""
    with unit_of_work(factory) as session:
        admins = tuple(session.scalars(reachable().where(LineAccount.role == Role.CENTRAL)
                                       .with_only_columns(LineAccount.user_id)))
        if admins:
            enqueue_push(session, Push(admins, (Text(text),), purpose="notice:budget",
                                       dedupe_key=f"budget:{local_date(now).isoformat()}"), now=now)


def loop(factory: sessionmaker[Session], config: ReminderConfig, interval: float,
         clock: Callable[[], datetime], out: Callable[[str], None], stop: Callable[[], bool] = lambda: False,
         media_dir: Path | None = None, api: LineApi | None = None) -> None:
    """The clock process: run the jobs every `interval` seconds until `stop()`, take the
    month-end completeness snapshot when it is due, and once a day remove the pictures nobody
    uses any more from `media_dir` (`prune_media`) and the stored webhook events older than
    EVENT_KEEP (`purge_events`)."""
    pruned_at: datetime | None = None
    while not stop():
        try:
            now = clock()
            report = run(factory, now, config, api=api)
            if report.written or report.skipped or report.released:
                out(summary(report))
            snapshot_if_due(factory, now, out)
            if pruned_at is None or now - pruned_at >= PRUNE_EVERY:
                if media_dir is not None:
                    out(prune_media(factory, media_dir, now))
                out(purge_events(factory, now))
                pruned_at = now
        except Exception:  # a database hiccup must not end the clock
            log.exception("reminder run failed")
        deadline = time.monotonic() + interval
        while time.monotonic() < deadline and not stop():
            time.sleep(min(1.0, interval))


def snapshot_if_due(factory: sessionmaker[Session], now: datetime, out: Callable[[str], None]) -> bool:
    """Take the month-end completeness snapshot ("change since last month") when due."""
    from models import unit_of_work
    from registry.snapshots import month_end_due, take_snapshot

    with unit_of_work(factory) as session:
        month = month_end_due(session, now)
        if month is None:
            return False
        rows = take_snapshot(session, month)
    out(f"month-end completeness snapshot for {month:%Y-%m}: {rows} rows")
    return True


PRUNE_EVERY = timedelta(days=1)
PRUNE_KEEP = timedelta(days=7)  # a picture waits this long for its product, and files this long unused


def prune_media(factory: sessionmaker[Session], media_dir: Path, now: datetime, keep: timedelta = PRUNE_KEEP,
                dry_run: bool = False) -> str:
    """`registry.media`'s prune: what is unused, read in a read-only transaction (the folder
    walk holds no lock); then the old uploads deleted in a short one; then the files. Returns
    what it did."""
    from registry.media import find_unused, forget_uploads, remove_files

    with read_only(factory) as session:
        result = find_unused(session, media_dir, now - keep)
    removed = 0
    if not dry_run:
        with unit_of_work(factory) as session:
            forget_uploads(session, result.cutoff)
        removed = remove_files(result)
    verb = "would remove" if dry_run else "removed"
    return (f"media: {verb} {result.uploads} uploads older than {keep.days} days and "
            f"{len(result.files) if dry_run else removed} unused files ({result.bytes / 1e6:.1f} MB)")


EVENT_KEEP = timedelta(days=14)  # stored webhook events (redacted payloads) are deleted after this
PURGE_BATCH = 5000


def event_keep(env: dict[str, str] | None = None) -> timedelta:
    """EVENT_RETENTION_DAYS (default 14): how long stored webhook events are kept."""
    value = (os.environ if env is None else env).get("EVENT_RETENTION_DAYS")
    return timedelta(days=int(value)) if value else EVENT_KEEP


def purge_events(factory: sessionmaker[Session], now: datetime, keep: timedelta | None = None) -> str:
    """Delete handled (done or failed) webhook events received before `now - keep`, PURGE_BATCH
    per short transaction (on SQLite the write lock is never held for long). Their ids are no
    longer needed to spot LINE's redeliveries, and their payloads are personal data."""
    keep = event_keep() if keep is None else keep
    cutoff = now - keep
    old = (select(InboundEvent.event_id).where(InboundEvent.received_at < cutoff,
                                               InboundEvent.status != InboundStatus.RECEIVED).limit(PURGE_BATCH))
    total = 0
    while True:
        with unit_of_work(factory) as session:
            ids = list(session.scalars(old))
            if ids:
                session.execute(delete(InboundEvent).where(InboundEvent.event_id.in_(ids)))
        total += len(ids)
        if len(ids) < PURGE_BATCH:
            return f"events: deleted {total} stored webhook events older than {keep.days} days"


def summary(report: RunReport) -> str:
    kinds = ", ".join(f"{k}: {n}" for k, n in sorted(report.by_kind().items())) or "nothing due"
    held = (f"; {len(report.held)} held for the month's budget ({report.held_cost:,} messages)"
            if report.held else "")
    released = f"; {report.released} held rows released" if report.released else ""
    return (f"{len(report.plans)} planned ({kinds}); {report.written} written as {report.outbox_rows} outbox rows, "
            f"{report.skipped} already there{held}{released}; {report.seconds:.1f} s")
