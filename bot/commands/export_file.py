"""`python -m bot export-file [--area CODE]`: build the registry export (XLSX) that download
links serve, under MEDIA_DIR/exports (see bot/export_files.py). The web process starts it
for a link whose file is not built yet; run by hand (or from cron, e.g. at night for the
whole country) it builds the file ahead of the first click."""

from __future__ import annotations

import sys
import time

import click

COMMANDS = ["export_file"]


@click.command("export-file")
@click.option("--area", default=None, help="Province, district or sub-district code (default: the whole country).")
@click.option("--token", default=None, hidden=True, help="The lock the starting web process took for this build.")
def export_file(area: str | None, token: str | None) -> None:
    """Build the registry export of an area for its download links."""
    from bot import export_files
    from bot.config import Settings
    from models import make_engine, make_session_factory

    try:
        export_files.slug(area)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    settings = Settings.from_env()
    engine = make_engine(settings.database_url)
    started = time.perf_counter()
    try:
        path = export_files.build(make_session_factory(engine), settings.media_dir, area or None, token=token)
    except Exception as exc:  # logged and recorded (failure marker) by build
        click.echo(f"export failed: {type(exc).__name__}: {exc}", err=True)
        sys.exit(1)
    finally:
        engine.dispose()
    if path is None:
        click.echo("a build of this file is already running", err=True)
        return
    click.echo(f"{path} ({time.perf_counter() - started:.1f} s)")
