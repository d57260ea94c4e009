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
