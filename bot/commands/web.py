"""Web commands: `screenshots DIR` takes the officer console's main pages at phone (390 px)
and desktop (1366 px) widths, signed in as the demo officer, in headless Chromium (bot/browser.py)
against the configured database (the demo data of `python -m bot setup-demo`), through the
local chat's servers (the app and the fake LINE API with its LINE Login), so no LINE account
is needed."""

from __future__ import annotations

from pathlib import Path

import click

from bot.config import Settings

COMMANDS = ["screenshots"]
WIDTHS = {"phone": 390, "desktop": 1366}


def _pages(settings: Settings, officer: str) -> list[tuple[str, str]]:
    """(name, path) of the main pages, with a record of the officer's area that has gaps."""
    from sqlalchemy import select

    from models import LineAccount, make_engine, make_session_factory, read_only
    from registry import completeness

    factory = make_session_factory(make_engine(settings.database_url))
    with read_only(factory) as session:
        account = session.get(LineAccount, officer)
        if account is None or account.district_code is None:
            raise click.ClickException(f"{officer} is not a district officer here: run `python -m bot setup-demo` first")
        area = account.district_code
        gaps = completeness.records_missing(session, "producers.national_id", area, page_size=1)
        producer = gaps.items[0].record_id if gaps.items else session.scalar(select(LineAccount.producer_id).where(
            LineAccount.producer_id.is_not(None)))
    pages = [("area", f"/console/area?area={area}"),
             ("records", f"/console/records?area={area}&field=producers.national_id"),
             ("requests", "/console/requests"), ("reports", "/console/reports")]
    if producer:
        pages.insert(2, ("producer", f"/console/producer/{producer}"))
    return pages


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--as", "user", default="demo-officer", show_default=True, help="Who signs in (a demo name or a LINE user id).")
def screenshots(directory: Path, user: str) -> None:
    """Screenshots of the officer console (area, records, producer, requests, reports) at
    phone and desktop widths, as DIR/<page>-<phone|desktop>.png."""
    from bot.browser import chromium, full_page, missing_browser, sign_in
    from bot.chat import ChatSession, resolve_user

    if why := missing_browser():
        raise click.ClickException(why)
    try:
        import selenium  # noqa: F401
    except ImportError:
        raise click.ClickException("selenium is missing: install the dev extras (python3 dev.py test does)") from None
    directory.mkdir(parents=True, exist_ok=True)
    officer = resolve_user(user)
    settings = Settings.from_env()
    pages = _pages(settings, officer)
    session = ChatSession(settings, user, deploy_menus=False)
    driver = chromium()
    try:
        sign_in(driver, session.base_url, officer, "/console/area")
        for name, path in pages:
            driver.get(session.base_url + path)
            for label, width in WIDTHS.items():
                target = directory / f"{name}-{label}.png"
                full_page(driver, target, width)
                click.echo(str(target))
    finally:
        driver.quit()
        session.close()
