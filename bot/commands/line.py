"""LINE-side commands: invite codes, the local chat, rich menus, the sender worker, demo data."""

from __future__ import annotations

import sys
import time

import click

from bot.config import Settings

COMMANDS = ["invite", "chat", "richmenu", "worker", "setup_demo", "chart"]


@click.command()
@click.option("--role", type=click.Choice(["district", "province", "central"]), help="Officer role to invite.")
@click.option("--province", "province_code", help="Province name or code, e.g. เชียงราย or 57.")
@click.option("--district", "district_code", help="District name or code, e.g. เมืองเชียงราย or 5701.")
@click.option("--producer", "producer_ref", help="Producer (registry code or database id) to link.")
def invite(role: str | None, province_code: str | None, district_code: str | None, producer_ref: str | None) -> None:
    """Print a one-time code: an officer's invite, or a producer's link code."""
    from sqlalchemy import select

    from handlers.accounts import codes
    from models import District, Producer, Province, Role, make_engine, make_session_factory, unit_of_work, utcnow

    from bot.commands.registry import _district_code, _province_code

    settings = Settings.from_env()
    factory = make_session_factory(make_engine(settings.database_url))
    if bool(role) == bool(producer_ref):
        raise click.UsageError("give either --role (officer invite) or --producer (producer code)")
    province_code = _province_code(province_code)
    district_code = _district_code(district_code, province_code)
    if district_code and not province_code:
        province_code = district_code[:2]
    with unit_of_work(factory) as session:
        producer = None
        if producer_ref:
            producer = session.scalar(select(Producer).where(Producer.code == producer_ref))
            if producer is None and producer_ref.isdigit():
                producer = session.get(Producer, int(producer_ref))
            if producer is None:
                raise click.UsageError(f"no producer {producer_ref!r}")
        if province_code and session.get(Province, province_code) is None:
            raise click.UsageError(f"unknown province code {province_code!r}")
        if district_code and session.get(District, district_code) is None:
            raise click.UsageError(f"unknown district code {district_code!r}")
        try:
            code = codes.issue(session, role=Role(role) if role else Role.PRODUCER, producer=producer,
                               province_code=province_code, district_code=district_code, created_by="cli", now=utcnow())
        except ValueError as exc:
            raise click.UsageError(str(exc)) from exc
        click.echo(codes.format_code(code.code))
        click.echo(f"one-time, valid until {code.expires_at:%Y-%m-%d %H:%M} UTC; send it in the LINE chat", err=True)


@click.command()
@click.option("--as", "user", default="demo-producer", show_default=True,
              help="demo-officer, demo-producer, demo-new, or a LINE user id (U...).")
def chat(user: str) -> None:
    """Chat with the bot in the terminal (fake LINE API, real webhook and handlers)."""
    from bot.chat import run

    settings = Settings.from_env()
    _ensure_demo(settings)
    interactive = sys.stdin.isatty()
    prompt = (lambda: click.echo("คุณ: ", nl=False)) if interactive else None
    run((line.rstrip("\n") for line in sys.stdin), settings, user, out=click.echo, prompt=prompt)


@click.group()
def richmenu() -> None:
    """Rich menus per role (unlinked, producer, district, province, central)."""


@richmenu.command()
def deploy() -> None:
    """Create the menus through the Messaging API (LINE_API_BASE_URL is honoured)."""
    from bot import richmenu as menus
    from bot.lineapi import LineApi

    settings = Settings.from_env()
    settings.require_line()
    for key, menu_id in menus.deploy(LineApi(settings)).items():
        click.echo(f"{key}: {menu_id}")


@richmenu.command()
@click.argument("folder", type=click.Path(file_okay=False))
def draw(folder: str) -> None:
    """Write the menu images as PNG files (to look at them)."""
    from pathlib import Path

    from bot import richmenu as menus

    Path(folder).mkdir(parents=True, exist_ok=True)
    for key in menus.MENUS:
        for page in range(len(menus.pages(key))):
            path = Path(folder) / f"{menus.alias(key, page)}.png"
            path.write_bytes(menus.draw(key, page))
            click.echo(path)


@click.command()
@click.option("--once", is_flag=True, help="Send what is due and stop.")
@click.option("--clock-start", default=None, hidden=True,
              help="Benchmarks: the sender's clock starts at this ISO time (quiet hours then follow it, not the wall clock).")
def worker(once: bool, clock_start: str | None) -> None:
    """Deliver the outbox and handle events a web process left unhandled (Procfile worker)."""
    import handlers
    from bot.app import default_parser
    from bot.runtime import Runtime

    settings = Settings.from_env()
    settings.require_line()
    handlers.load_all()
    runtime = Runtime(settings, default_parser(), start_sender=False)
    if clock_start:
        from datetime import datetime

        from datetime import timedelta

        start, began = datetime.fromisoformat(clock_start), time.monotonic()
        runtime.sender.clock = lambda: start + timedelta(seconds=time.monotonic() - began)
    click.echo(f"worker {runtime.sender.name} on {settings.database_url}")
    if once:
        runtime.resume_unfinished(older_than=30)
        runtime.wait_events(60)
        runtime.sender.run_once()
        return
    # SENDER_LANES loops claim, send and record batches side by side (sharing the sender's
    # threads and pacing): one lane's database work overlaps another's requests.
    from bot.sender import SenderThread

    lanes = [SenderThread(runtime.sender) for _ in range(runtime.sender.config.lanes)]
    for lane in lanes:
        lane.start()
    while True:
        runtime.resume_unfinished(older_than=30)
        runtime.wait_events(60)
        for lane in lanes:
            lane.wake()
        time.sleep(1)


@click.command(name="setup-demo")
@click.option("--scale", type=click.Choice(["small", "full"]), default="small", show_default=True,
              help="Demo registry to generate when the database has none.")
def setup_demo(scale: str) -> None:
    """Migrate the database, generate the demo registry if it is empty, add the demo users."""
    _ensure_demo(Settings.from_env(), verbose=True, scale=scale)


def _ensure_demo(settings: Settings, verbose: bool = False, scale: str | None = None) -> None:
    from sqlalchemy import select

    from bot.db import upgrade
    from bot.demo import load_demo
    from models import Producer, make_engine, make_session_factory, unit_of_work

    engine = make_engine(settings.database_url)
    upgrade(settings.database_url, engine)
    if scale is not None:
        with unit_of_work(make_session_factory(engine)) as session:
            empty = session.scalar(select(Producer.id).limit(1)) is None
        if empty:
            from registry.demo import generate

            if verbose:
                click.echo(f"generating the {scale}-scale demo registry ...")
            result = generate(make_session_factory(engine), scale=scale, seed=1)
            if verbose:
                click.echo(f"{result.producers_active} producers, {result.products} products, "
                           f"{result.chuanchim} ชวนชิม in {result.seconds:.1f} s")
    with unit_of_work(make_session_factory(engine)) as session:
        users = load_demo(session)
    engine.dispose()
    if verbose:
        click.echo(f"demo data ready in {settings.database_url}: " + ", ".join(users))


@click.command()
@click.option("--area", "areas", multiple=True, help="Province or district name or code; none = the country.")
@click.option("--out", "folder", type=click.Path(file_okay=False), default="var/charts", show_default=True)
def chart(areas: tuple[str, ...], folder: str) -> None:
    """Draw the completeness chart and its LINE preview of each area (to look at them)."""
    from pathlib import Path

    from bot import charts
    from bot.commands.registry import _district_code, _factory, _province_code
    from handlers.officer.common import area_label
    from models import read_only

    Path(folder).mkdir(parents=True, exist_ok=True)
    codes: list[str | None] = []
    from registry import gazetteer

    for text in areas or ("",):
        exact = gazetteer.resolve_district(text).candidates if text and not text.isdigit() else []
        if exact and exact[0].score == 100 and len(exact) == 1:
            codes.append(exact[0].place.code)
        elif text and text.isdigit() and len(text) == 4:
            codes.append(_district_code(text, None))
        else:
            codes.append(_province_code(text) if text else None)
    with read_only(_factory()) as session:
        for code in codes:
            stem = Path(folder) / f"chart-{code or 'TH'}"
            stem.with_suffix(".png").write_bytes(charts.completeness_chart(session, code, area_label(code)))
            Path(f"{stem}-preview.jpg").write_bytes(charts.preview_chart(session, code, area_label(code)))
            click.echo(f"{stem}.png {stem}-preview.jpg")
