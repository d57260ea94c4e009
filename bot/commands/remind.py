"""`python -m bot remind [--dry-run] [--loop] [--now ISO]`: reminders and digests (issue 7).

From cron: `python -m bot remind` (every few minutes or hourly); as the Procfile's clock
process: `python -m bot remind --loop`. The jobs are idempotent, so both, or two clocks, may
run at once. The worker (`python -m bot worker`) or a web process delivers the outbox.
"""

from __future__ import annotations

import signal
from datetime import datetime, timezone

import click

COMMANDS = ["remind"]


def _now(text: str | None) -> datetime:
    if not text:
        from models import utcnow

        return utcnow()
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"--now must be ISO 8601 (e.g. 2026-01-12T09:00+07:00), not {text!r}") from None
    if value.tzinfo is None:  # a bare time means Bangkok time, as officers would read it
        from registry.quiet_hours import BANGKOK

        value = value.replace(tzinfo=BANGKOK)
    return value.astimezone(timezone.utc)


@click.command()
@click.option("--dry-run", is_flag=True, help="Show what would be sent to whom; send and write nothing.")
@click.option("--loop", "loop_", is_flag=True, help="Keep running (the Procfile's clock process).")
@click.option("--now", "now_text", default=None, help="Pretend it is this time (ISO 8601; no zone = Bangkok).")
@click.option("--job", "jobs", multiple=True, type=click.Choice(["digest", "league", "overdue", "nudge", "expiry"]),
              help="Only these jobs (default: all, or REMIND_JOBS).")
@click.option("--interval", type=float, default=None, help="Seconds between runs with --loop (REMIND_INTERVAL, 300).")
def remind(dry_run: bool, loop_: bool, now_text: str | None, jobs: tuple[str, ...], interval: float | None) -> None:
    """Plan and queue the reminders and digests that are due."""
    import os

    import handlers
    from bot import remind as runner
    from bot.config import Settings
    from models import make_engine, make_session_factory
    from registry.reminders import ReminderConfig

    handlers.load_all()
    settings = Settings.from_env()
    engine = make_engine(settings.database_url)
    factory = make_session_factory(engine)
    config = ReminderConfig.from_env()
    from bot.lineapi import LineApi

    api = LineApi(settings) if settings.line_channel_access_token else None  # reads the month's quota
    if loop_:
        if dry_run:
            raise click.UsageError("--dry-run and --loop do not go together")
        stopping: list[bool] = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        every = interval or float(os.environ.get("REMIND_INTERVAL") or 300)
        click.echo(f"reminder clock on {settings.database_url}, every {every:.0f} s")
        try:
            runner.loop(factory, config, every, clock=lambda: _now(now_text), out=click.echo, stop=lambda: bool(stopping),
                        media_dir=settings.media_dir, api=api)
        except KeyboardInterrupt:
            pass
        return
    now = _now(now_text)
    report = runner.run(factory, now, config, dry_run=dry_run, jobs=jobs or None, api=api)
    if dry_run:
        _show(report.plans, factory)
        click.echo(f"dry run at {now.isoformat()}: {len(report.plans)} messages would be queued "
                   f"({', '.join(f'{k}: {n}' for k, n in sorted(report.by_kind().items())) or 'nothing due'}); "
                   "nothing was sent or written")
    else:
        click.echo(runner.summary(report))
    engine.dispose()


def _show(plans, factory) -> None:  # type: ignore[no-untyped-def]
    """Each planned message: kind, key, recipients (with display names), then its text."""
    from sqlalchemy import select

    from models import LineAccount, read_only

    ids = sorted({u for p in plans for u in p.user_ids})
    names: dict[str, str] = {}
    with read_only(factory) as session:
        for start in range(0, len(ids), 500):
            rows = session.execute(select(LineAccount.user_id, LineAccount.display_name, LineAccount.role)
                                   .where(LineAccount.user_id.in_(ids[start : start + 500])))
            names.update({uid: f"{uid} ({name or '-'}, {role.value if role else '-'})" for uid, name, role in rows})
    for p in plans:
        shown = ", ".join(names.get(u, u) for u in p.user_ids[:5])
        more = f" +{len(p.user_ids) - 5}" if len(p.user_ids) > 5 else ""
        click.echo(f"[{p.kind}] {p.key} → {len(p.user_ids)}: {shown}{more}")
        for line in p.text.splitlines():
            click.echo(f"    {line}")
        if p.buttons:
            click.echo("    buttons: " + " | ".join(f"{b.label} (i={b.intent})" for b in p.buttons))
