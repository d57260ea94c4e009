"""`python -m bot db upgrade`."""

from __future__ import annotations

import click

from bot.config import Settings

COMMANDS = ["db"]


@click.group()
def db() -> None:
    """Database schema."""


@db.command()
def upgrade() -> None:
    """Apply migrations (Alembic) and load the GeoThai gazetteer."""
    from bot.db import upgrade as do_upgrade

    settings = Settings.from_env()
    do_upgrade(settings.database_url)
    click.echo(f"database is up to date: {settings.database_url}")
