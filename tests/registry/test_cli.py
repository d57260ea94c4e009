"""The registry commands through the CLI, on the test database."""

from __future__ import annotations

from click.testing import CliRunner

from bot.cli import _register, cli


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
    assert report.exit_code == 0 and lines[0].startswith("no,province,") and lines[-1].split(",")[1] == "พะเยา"
    out = tmp_path / "exp"
    assert runner.invoke(cli, ["export", str(out), "--province", "56"]).exit_code == 0
    again = runner.invoke(cli, ["import", *(str(p) for p in sorted(out.iterdir())), "--rejects", str(tmp_path / "r.csv")])
    assert again.exit_code == 0 and "created 0, updated 0" in again.output
    assert (tmp_path / "r.csv").read_text(encoding="utf-8-sig").startswith("source,sheet,row")


def _write_elsewhere(database_url: str, event_id: str) -> None:
    """What a webhook does meanwhile: a short write transaction of its own, which gives up
    after 0.3 s if the database stays locked (a webhook waits up to 30 s)."""
    from datetime import datetime, timezone

    from models import InboundEvent, InboundStatus, make_engine, make_session_factory, unit_of_work

    engine = make_engine(database_url, connect_args={"timeout": 0.3} if database_url.startswith("sqlite") else {})
    if database_url.startswith("sqlite"):
        from sqlalchemy import event

        @event.listens_for(engine, "connect")
        def _short_wait(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            dbapi_conn.execute("PRAGMA busy_timeout=300")  # after make_engine's own 30 s
    try:
        with unit_of_work(make_session_factory(engine)) as s:
            s.add(InboundEvent(event_id=event_id, user_id="U1", payload="{}", status=InboundStatus.DONE,
                               received_at=datetime.now(timezone.utc)))
    finally:
        engine.dispose()


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
        _write_elsewhere(database_url, f"during-export-{sheet}")

    def table_then_write(session, code=None):  # type: ignore[no-untyped-def]
        table = real_table(session, code)
        _write_elsewhere(database_url, "during-report")
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
        _write_elsewhere(database_url, "meanwhile")  # committed by another transaction
        assert s.scalar(select(func.count()).select_from(InboundEvent)) == before  # still its snapshot
    with read_only(db) as s:
        assert s.scalar(select(func.count()).select_from(InboundEvent)) == before + 1
