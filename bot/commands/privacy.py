"""Personal data (PDPA): `python -m bot access-log` reads who viewed or downloaded it."""

from __future__ import annotations

import getpass
import re
from datetime import datetime, timedelta, timezone

import click

COMMANDS = ["access_log_cmd"]


def cli_actor() -> str:
    """How the access log names a command-line user."""
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # noqa: BLE001 - no login name (a container): still logged
        return "cli"


def _since(text: str | None) -> datetime:
    """`7d`, `12h`, or an ISO date/time (Bangkok time when it has no zone); default 7 days."""
    now = datetime.now(timezone.utc)
    if not text:
        return now - timedelta(days=7)
    if m := re.fullmatch(r"(\d+)([dh])", text.strip()):
        return now - timedelta(**{"days" if m[2] == "d" else "hours": int(m[1])})
    try:
        at = datetime.fromisoformat(text.strip())
    except ValueError:
        raise click.BadParameter(f"--since takes 7d, 12h or an ISO date, not {text!r}") from None
    return at if at.tzinfo else at.replace(tzinfo=timezone(timedelta(hours=7)))


def _area(text: str | None) -> str | None:
    if not text:
        return None
    if text.isdigit() and len(text) in (2, 4, 6):
        return text
    from registry import gazetteer

    place = gazetteer.resolve_province(text).place
    if place is None:
        raise click.BadParameter(f"unknown area {text!r} (give a code, or a province name)")
    return place.code


@click.command("access-log")
@click.option("--since", default=None, help="7d (default), 12h, or an ISO date/time (Bangkok).")
@click.option("--area", default=None, help="Province/district/sub-district code or province name.")
@click.option("--user", "user_id", default=None, help="Only this LINE user id.")
@click.option("--limit", type=int, default=1000, show_default=True)
def access_log_cmd(since: str | None, area: str | None, user_id: str | None, limit: int) -> None:
    """Who viewed or downloaded personal data (newest first, tab-separated)."""
    from bot.config import Settings
    from models import make_engine, make_session_factory, read_only
    from registry import access_log

    factory = make_session_factory(make_engine(Settings.from_env().database_url))
    with read_only(factory) as session:
        found = access_log.entries(session, since=_since(since), area=_area(area), user_id=user_id, limit=limit)
        for entry in found:
            click.echo(access_log.as_line(entry))
    click.echo(f"{len(found)} entries", err=True)
