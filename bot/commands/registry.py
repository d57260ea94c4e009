"""Registry commands: import, export, demo-data, report, completeness-snapshot."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

COMMANDS = ["import_cmd", "export_cmd", "demo_data", "report", "snapshot", "prune_media"]


def _factory(upgrade: bool = False):  # type: ignore[no-untyped-def]
    from bot.config import Settings
    from bot.db import upgrade as do_upgrade
    from models import make_engine, make_session_factory

    url = Settings.from_env().database_url
    if upgrade:
        do_upgrade(url)
    return make_session_factory(make_engine(url))


def _province_code(text: str | None) -> str | None:
    """A province given by code or (tolerantly) by name."""
    if not text:
        return None
    from registry import gazetteer

    if text.isdigit() and gazetteer.by_code(text):
        return text
    place = gazetteer.resolve_province(text).place
    if place is None:
        raise click.BadParameter(f"unknown province {text!r}")
    return place.code


def _district_code(text: str | None, province_code: str | None) -> str | None:
    """A district given by code or by name (within the province when one is given)."""
    if not text:
        return None
    from registry import gazetteer

    if text.isdigit() and gazetteer.by_code(text):
        return text
    found = gazetteer.resolve_district(text, province_code)
    if found.place is None:
        names = ", ".join(f"{c.place.name_th} ({c.place.code})" for c in found.candidates[:5])
        hint = f"; did you mean: {names}" if names else ""
        where = f" in province {province_code}" if province_code else ""
        raise click.BadParameter(f"unknown or ambiguous district {text!r}{where}{hint}")
    return found.place.code


def _month(text: str | None) -> date:
    if not text:
        return date.today().replace(day=1)
    try:
        year, month = (int(x) for x in text.split("-"))
        return date(year - 543 if year > 2400 else year, month, 1)
    except ValueError:
        raise click.BadParameter(f"month must be YYYY-MM, not {text!r}") from None


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--rejects", type=click.Path(dir_okay=False, path_type=Path), help="Write rejected rows to this CSV.")
@click.option("--actor", default=None, help="Who to name in the audit log (default import:<files>).")
def import_cmd(paths: tuple[Path, ...], rejects: Path | None, actor: str | None) -> None:
    """Import registry files (three CSVs or one XLSX) and print the report."""
    from registry.importer import import_files

    report = import_files(_factory(upgrade=True), paths, actor=actor)
    for line in report.lines():
        click.echo(line)
    click.echo(f"done in {report.seconds:.1f} s")
    if rejects:
        report.write_rejects(rejects)
        click.echo(f"{len(report.rejects)} rejected rows written to {rejects}")
    if not report.ok:  # rows or files were refused: say so to scripts too
        sys.exit(1)


@click.command("export")
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv")
@click.option("--province", default=None, help="Province name or code (default: the whole country).")
def export_cmd(out_dir: Path, fmt: str, province: str | None) -> None:
    """Export the registry in the import format."""
    from models import read_only
    from registry.exporter import export_registry

    from bot.commands.privacy import cli_actor
    from models import unit_of_work
    from registry import access_log

    factory, area = _factory(), _province_code(province)
    with read_only(factory) as session:  # one snapshot; on SQLite webhooks are not kept waiting
        result = export_registry(session, out_dir, fmt=fmt, province=area)
    with unit_of_work(factory) as session:  # the files hold national IDs: logged
        access_log.record(session, user_id=cli_actor(), role=None, channel="cli", action="download",
                          what="registry", area=area)
    for path in result.paths:
        click.echo(str(path))
    click.echo(", ".join(f"{k}: {v}" for k, v in result.counts.items()) + f" ({result.seconds:.1f} s)")


@click.command("demo-data")
@click.option("--scale", type=click.Choice(["full", "small"]), default="small")
@click.option("--seed", type=int, default=1)
@click.option("--as-of", "as_of", default=None, help="Anchor day for dates, YYYY-MM-DD (default today).")
@click.option("--replace", is_flag=True, help="Wipe the registry tables first.")
def demo_data(scale: str, seed: int, as_of: str | None, replace: bool) -> None:
    """Fill the registry with demo data shaped like the department's province table."""
    from registry.demo import DemoDataRefused, generate

    try:
        result = generate(_factory(upgrade=True), scale=scale, seed=seed, replace=replace,
                          as_of=date.fromisoformat(as_of) if as_of else None)
    except DemoDataRefused as exc:
        click.echo(f"refused: {exc}", err=True)
        sys.exit(1)
    click.echo(f"{result.provinces} provinces: {result.producers_active} active producers "
               f"(+{result.producers_inactive} closed/moved), {result.products} products, "
               f"{result.chuanchim} ชวนชิม; {result.rows} rows in {result.seconds:.1f} s")


@click.command("report")
@click.option("--province", default=None, help="Province name or code (rows per district).")
@click.option("--monthly", is_flag=True, help="The monthly report instead of the province table.")
@click.option("--month", default=None, help="YYYY-MM (CE or BE year); default this month.")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Output file (default: CSV to standard output).")
@click.option("--keys", is_flag=True, help="CSV: the department's English column keys instead of Thai titles.")
def report(province: str | None, monthly: bool, month: str | None, fmt: str, out: Path | None,
           keys: bool) -> None:
    """The department's province table, or the monthly report."""
    from models import read_only
    from registry.report_files import write_csv, write_xlsx
    from registry.reports import monthly_report, province_table

    code = _province_code(province)
    with read_only(_factory()) as session:
        data = monthly_report(session, _month(month), code) if monthly else province_table(session, code)
    if fmt == "xlsx":
        if out is None:
            raise click.UsageError("--out FILE is needed for xlsx")
        write_xlsx(data, out)
    elif out is None:
        write_csv(data, sys.stdout, keys=keys)
    else:
        with open(out, "w", encoding="utf-8-sig", newline="") as fh:
            write_csv(data, fh, keys=keys)
    if out:
        click.echo(f"written {out}", err=True)


@click.command("completeness-snapshot")
@click.option("--month", default=None, help="YYYY-MM (default this month): run at month end.")
def snapshot(month: str | None) -> None:
    """Store this month's completeness counts (for "change since last month")."""
    from models import unit_of_work
    from registry.snapshots import take_snapshot

    with unit_of_work(_factory(upgrade=True)) as session:
        n = take_snapshot(session, _month(month))
    click.echo(f"{n} snapshot rows stored")


@click.command("prune-media")
@click.option("--days", type=click.IntRange(min=1), default=7, show_default=True,
              help="Keep pictures waiting for a product, and unused files, younger than this.")
@click.option("--dry-run", is_flag=True, help="Only say what would be removed.")
def prune_media(days: int, dry_run: bool) -> None:
    """Remove pictures nobody uses any more from MEDIA_DIR (the clock process does it daily)."""
    from datetime import timedelta

    from bot.config import Settings
    from bot.remind import prune_media as run_prune
    from models import utcnow

    click.echo(run_prune(_factory(), Settings.from_env().media_dir, utcnow(), timedelta(days=days), dry_run=dry_run))
