"""Personal data commands: `rotate-keys`, `purge-events`, `new-key`."""

from __future__ import annotations

import click

COMMANDS = ["rotate_keys", "purge_events", "new_key"]


@click.command("rotate-keys")
@click.option("--batch", type=click.IntRange(min=1), default=2000, show_default=True, help="Rows per transaction.")
def rotate_keys(batch: int) -> None:
    """Re-encrypt personal fields under the newest key of PII_KEYS and recompute the national
    ID hashes under PII_HASH_KEY; then the old key can leave PII_KEYS (docs/ENCRYPTION.md)."""
    from bot.commands.registry import _factory
    from registry.keys import rotate

    report = rotate(_factory(), batch=batch, progress=click.echo)
    for line in report.lines():
        click.echo(line)


@click.command("purge-events")
@click.option("--days", type=click.IntRange(min=0), default=None,
              help="Keep events younger than this (default EVENT_RETENTION_DAYS, or 14).")
def purge_events(days: int | None) -> None:
    """Delete stored webhook events (their payloads) older than the retention; the clock does it daily."""
    from datetime import timedelta

    from bot.commands.registry import _factory
    from bot.remind import purge_events as run_purge
    from models import utcnow

    click.echo(run_purge(_factory(), utcnow(), None if days is None else timedelta(days=days)))


@click.command("new-key")
def new_key() -> None:
    """Print a new random key (base64 of 32 bytes) for PII_KEYS or PII_HASH_KEY."""
    import base64
    import os

    click.echo(base64.b64encode(os.urandom(32)).decode())
