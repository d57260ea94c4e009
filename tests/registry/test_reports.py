"""Report files (CSV / XLSX) and the monthly report on small data."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta, timezone

from openpyxl import load_workbook
from sqlalchemy import func, select

from models import Producer, RegistrationStatus, StatusChange, unit_of_work
from registry.completeness import area_counts, take_snapshot
from registry.labels_th import REPORT_HEADERS
from registry.province_table import REPORT_COLUMNS
from registry.report_files import write_csv, write_xlsx
from registry.reports import monthly_report, province_table
from registry.values import set_national_id
from registry_helpers import small_demo


def test_table_report_csv_and_xlsx_contents(db, tmp_path):
    small_demo(db)
    with db() as s:
        report = province_table(s, "57")
    assert report.level == "district" and len(report.rows) > 10
    buf = io.StringIO()
    write_csv(report, buf, thai_headers=True)
    lines = list(csv.reader(io.StringIO(buf.getvalue())))
    assert lines[1] == list(REPORT_COLUMNS) and lines[0][2] == REPORT_HEADERS["producers_group"]
    assert len(lines) == 2 + len(report.rows) + 1
    for line, row in zip(lines[2:], report.all_rows, strict=True):
        assert line == [str(row[c]) for c in REPORT_COLUMNS]
    assert lines[-1][1] == "เชียงราย"
    path = tmp_path / "r.xlsx"
    write_xlsx(report, path)
    ws = load_workbook(path, read_only=True)["report"]
    cells = [list(r) for r in ws.iter_rows(values_only=True)]
    assert cells[1] == list(REPORT_COLUMNS) and cells[0][1] == "อำเภอ"
    assert [c[2:] for c in cells[2:]] == [[row[k] for k in REPORT_COLUMNS[2:]] for row in report.all_rows]


def test_monthly_report_movements_and_change_since_last_month(db):
    today = date.today()
    small_demo(db, as_of=today)
    start = today.replace(day=1)
    last_month = (start - timedelta(days=1)).replace(day=1)
    with unit_of_work(db) as s:
        take_snapshot(s, last_month)
    with unit_of_work(db) as s:  # fix two national IDs after the snapshot
        fixed = s.scalars(select(Producer).where(Producer.national_id.is_(None),
                                                 Producer.status == RegistrationStatus.ACTIVE).limit(2)).all()
        for p in fixed:
            set_national_id(s, p, "1101700207030", actor="test", channel="system")
    with db() as s:
        report = monthly_report(s, today)
        since = datetime.combine(start, datetime.min.time(), tzinfo=timezone.utc)
        new = s.scalar(select(func.count()).select_from(Producer).where(Producer.registered_on >= start))
        closures = s.scalar(select(func.count()).select_from(StatusChange).where(
            StatusChange.at >= since, StatusChange.new_status == RegistrationStatus.CLOSED))
        live = area_counts(s, None).field("producers.national_id").incomplete
    assert report.now_source == "live" and report.before_source == "snapshot"
    assert report.total["new_producers"] == new and report.total["closures"] == closures
    assert sum(r["new_producers"] for r in report.rows) == new
    row = next(r for r in report.completeness if r["field"] == "producers.national_id")
    assert row["incomplete_now"] == live and row["change"] == -2
    assert [r["field"] for r in report.completeness][:2] == ["producers.producer_type", "producers.national_id"]
    buf = io.StringIO()
    write_csv(report, buf)
    assert "producers.national_id" in buf.getvalue() and "new_producers" in buf.getvalue()
