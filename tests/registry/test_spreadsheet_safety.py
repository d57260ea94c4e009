"""Exports safe to open in Excel (OWASP CSV injection): a text cell starting with = + - @, tab
or CR is escaped in CSV (a leading apostrophe) and written as a text cell in XLSX, on every
export path: the registry export (CSV and XLSX, CLI and download link), the reports (CSV and
XLSX, CLI and chat downloads) and the rejects file of an import. Numbers, dates, "-" and
number-like texts are left alone; an escaped export imports back unchanged."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from models import Producer, unit_of_work
from registry import spreadsheet
from registry.exporter import export_registry
from registry.importer import import_files
from registry.report_files import to_bytes
from registry.reports import TableReport
from tests.line_fixtures import app, fake_line, fake_line_server, line_client, settings  # noqa: F401
from tests.registry import factories as f

EVIL = ['=HYPERLINK("http://evil.example/x","คลิก")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("text", EVIL)
def test_the_rule(text):
    assert spreadsheet.risky(text) and spreadsheet.csv_cell(text) == "'" + text
    assert spreadsheet.unescape(spreadsheet.csv_cell(text)) == text


@pytest.mark.parametrize("value", ["-", "-5", "+66812345678", "-1,200.50", 5, -3.5, None, "ผ้าไหม", "a=b", "'quoted"])
def test_plain_values_are_left_alone(value):
    assert spreadsheet.csv_cell(value) == value and spreadsheet.unescape(str(value)) == str(value)


@pytest.fixture
def evil(db):
    with unit_of_work(db) as s:
        for i, name in enumerate(EVIL):
            p = f.producer(s, "5001", products=0, children=False)
            p.name, p.address = name, EVIL[-1 - i]
    return db


def _csv_cells(path: Path) -> set[str]:
    with open(path, encoding="utf-8-sig", newline="") as fh:  # newline="": a CR inside a cell stays
        return {c for row in csv.reader(fh) for c in row}


def test_registry_export_csv_escapes_and_imports_back_unchanged(evil, tmp_path):
    with evil() as s:
        result = export_registry(s, tmp_path / "out", fmt="csv")
    cells = _csv_cells(result.paths[0])
    assert [e for e in EVIL if "'" + e not in cells or e in cells] == [], cells
    with unit_of_work(evil) as s:
        for p in s.scalars(select(Producer)):
            p.name = "changed"
    import_files(evil, result.paths)
    with evil() as s:
        # (the importer trims surrounding blanks of every cell, as it always has)
        assert sorted(s.scalars(select(Producer.name))) == sorted(e.strip() for e in EVIL)


def _xlsx_texts(data: bytes) -> dict[str, str]:
    """Text -> cell type ("s" text, "f" formula); XML reads a CR inside a text back as LF."""
    wb = load_workbook(io.BytesIO(data))
    return {c.value.replace("\n", "\r"): c.data_type for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if isinstance(c.value, str)}


def test_registry_export_xlsx_writes_text_cells(evil, tmp_path):
    with evil() as s:
        result = export_registry(s, tmp_path / "out", fmt="xlsx")
    cells = _xlsx_texts(result.paths[0].read_bytes())
    assert all(cells[e] == "s" for e in EVIL), {e: cells.get(e) for e in EVIL}


def test_the_download_link_serves_text_cells(evil, line_client, app):
    from urllib.parse import urlparse

    from tests.handlers.officer.helpers import PROV, data_of, follow_download, officers, signed_in

    officers(evil)
    path = urlparse(data_of(line_client.tap(PROV, "i=officer.province_report"), "ข้อมูลทะเบียน Excel")).path
    resp = follow_download(signed_in(app, PROV), path)
    cells = _xlsx_texts(resp.data)
    assert all(cells[e] == "s" for e in EVIL)


def _report() -> TableReport:
    row = {"no": 1, "province": EVIL[0], "area_code": "50", "producers_total": -3}
    return TableReport(level="province", area_code=None, rows=[row], total={"no": "", "province": EVIL[2]})


def test_reports_csv_and_xlsx(tmp_path):
    text = to_bytes(_report(), "csv").decode("utf-8-sig")
    cells = {c for row in csv.reader(io.StringIO(text)) for c in row}
    assert "'" + EVIL[0] in cells and "'" + EVIL[2] in cells and EVIL[0] not in cells and "-3" in cells
    xlsx = _xlsx_texts(to_bytes(_report(), "xlsx"))
    assert xlsx[EVIL[0]] == "s" and xlsx[EVIL[2]] == "s"


def test_report_command(db, database_url, tmp_path, monkeypatch):
    """`python -m bot report` writes through the same writers (province names come from the
    gazetteer, so the rule is checked on the writer above; here the command's file opens)."""
    from click.testing import CliRunner

    from bot.cli import _register, cli

    monkeypatch.setenv("DATABASE_URL", database_url)
    _register()
    out = tmp_path / "r.csv"
    assert CliRunner().invoke(cli, ["report", "--format", "csv", "--out", str(out)]).exit_code == 0
    assert out.read_text(encoding="utf-8-sig").startswith("ลำดับ,จังหวัด,")  # Thai titles (--keys: English)


def test_rejects_file_escapes_the_cells_it_quotes(db, tmp_path):
    path = tmp_path / "producers.csv"
    path.write_text("producer_id,name,district,province\r\n=1+2,x,ไม่มีอำเภอนี้,เชียงราย\r\n", encoding="utf-8")
    report = import_files(db, [path])
    report.write_rejects(tmp_path / "rejects.csv")
    cells = _csv_cells(tmp_path / "rejects.csv")
    assert report.rejects and "'=1+2" in cells and not any(spreadsheet.risky(c) for c in cells)
