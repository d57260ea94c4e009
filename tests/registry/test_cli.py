"""The registry commands through the CLI, on the test database."""

from __future__ import annotations

from click.testing import CliRunner

from bot.cli import _register, cli
from tests.dbutil import write_meanwhile


def test_demo_report_export_import_commands(db, database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url)
    _register()
    runner = CliRunner()
    ok = runner.invoke(cli, ["demo-data", "--scale", "small", "--seed", "2", "--as-of", "2024-01-26"])
    assert ok.exit_code == 0, ok.output
    refused = runner.invoke(cli, ["demo-data", "--scale", "small"])
    assert refused.exit_code == 1 and "--replace" in refused.output
    report = runner.invoke(cli, ["report", "--province", "จ.พะเยา"])
    lines = report.output.strip().splitlines()
    assert report.exit_code == 0 and lines[0].startswith("ลำดับ,อำเภอ,") and lines[-1].split(",")[:2] == ["รวม", "พะเยา"]
    keys = runner.invoke(cli, ["report", "--province", "จ.พะเยา", "--keys"]).output.splitlines()
    assert keys[0].startswith("no,district,producers_group,")
    out = tmp_path / "exp"
    assert runner.invoke(cli, ["export", str(out), "--province", "56"]).exit_code == 0
    again = runner.invoke(cli, ["import", *(str(p) for p in sorted(out.iterdir())), "--rejects", str(tmp_path / "r.csv")])
    assert again.exit_code == 0 and "created 0, updated 0" in again.output
    assert (tmp_path / "r.csv").read_text(encoding="utf-8-sig").startswith("source,sheet,row")


def test_export_and_report_do_not_lock_writers_out(db, database_url, tmp_path, monkeypatch):
    """A national export takes ~40 s: on SQLite its transaction must not hold the write lock
    (webhooks would wait for it and fail after their 30 s busy timeout)."""
    import registry.exporter as exporter
    import registry.reports as reports
    from tests.registry import factories as f

    from models import InboundEvent, unit_of_work

    with unit_of_work(db) as s:
        f.producer(s, "5001", products=2)
    monkeypatch.setenv("DATABASE_URL", database_url)
    _register()
    real_rows, real_table = exporter.iter_rows, reports.province_table

    def rows_then_write(session, sheet, province):  # type: ignore[no-untyped-def]
        yield from real_rows(session, sheet, province)
        write_meanwhile(database_url, f"during-export-{sheet}")

    def table_then_write(session, code=None):  # type: ignore[no-untyped-def]
        table = real_table(session, code)
        write_meanwhile(database_url, "during-report")
        return table

    monkeypatch.setattr(exporter, "iter_rows", rows_then_write)
    monkeypatch.setattr(reports, "province_table", table_then_write)
    runner = CliRunner()
    result = runner.invoke(cli, ["export", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output + repr(result.exception)
    assert "producers: 1" in result.output
    result = runner.invoke(cli, ["report", "--format", "csv"])
    assert result.exit_code == 0, result.output + repr(result.exception)
    with db() as s:
        assert {e.event_id for e in s.query(InboundEvent)} == {
            "during-export-producers", "during-export-products", "during-export-chuanchim", "during-report"}


def test_read_only_sees_one_snapshot_and_keeps_nothing(db, database_url):
    from sqlalchemy import func, select

    from models import InboundEvent, read_only

    with read_only(db) as s:
        before = s.scalar(select(func.count()).select_from(InboundEvent))
        write_meanwhile(database_url, "meanwhile")  # committed by another transaction
        assert s.scalar(select(func.count()).select_from(InboundEvent)) == before  # still its snapshot
    with read_only(db) as s:
        assert s.scalar(select(func.count()).select_from(InboundEvent)) == before + 1


def test_prune_media_command(db, database_url, tmp_path, monkeypatch):
    import os
    import time

    raw = tmp_path / "media" / "line" / "9.jpg"
    raw.parent.mkdir(parents=True)
    raw.write_bytes(b"jpeg")
    old = time.time() - 10 * 86400
    os.utime(raw, (old, old))
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("MEDIA_DIR", str(tmp_path / "media"))
    _register()
    runner = CliRunner()
    dry = runner.invoke(cli, ["prune-media", "--dry-run"])
    assert dry.exit_code == 0 and "would remove 0 uploads older than 7 days and 1 unused files" in dry.output
    assert raw.exists()
    assert runner.invoke(cli, ["prune-media", "--days", "30"]).output.count("and 0 unused files") == 1
    done = runner.invoke(cli, ["prune-media"])
    assert done.exit_code == 0 and "removed 0 uploads older than 7 days and 1 unused files" in done.output
    assert not raw.exists()
