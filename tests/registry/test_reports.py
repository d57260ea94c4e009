"""Report files (CSV / XLSX) and the monthly report on small data."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta, timezone

from openpyxl import load_workbook
from sqlalchemy import func, select

from models import Producer, RegistrationStatus, StatusChange, unit_of_work
from registry.completeness import area_counts, take_snapshot
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
    write_csv(report, buf)
    lines = list(csv.reader(io.StringIO(buf.getvalue())))
    assert lines[0][:3] == ["ลำดับ", "อำเภอ", "ผู้ผลิต ผู้ประกอบการ (ราย): กลุ่ม"]
    assert not any(c in lines[0] for c in REPORT_COLUMNS), "Thai titles only"
    assert len(lines) == 1 + len(report.rows) + 1
    for line, row in zip(lines[1:-1], report.rows, strict=True):
        assert line == [str(row[c]) for c in REPORT_COLUMNS]
    assert lines[-1][:2] == ["รวม", "เชียงราย"]
    keys = io.StringIO()
    write_csv(report, keys, keys=True)  # the district level names its column "district", not "province"
    assert next(csv.reader(io.StringIO(keys.getvalue())))[:2] == ["no", "district"]

    path = tmp_path / "r.xlsx"
    write_xlsx(report, path, today=date(2026, 12, 7))
    ws = load_workbook(path)["รายงาน"]
    assert "7 ธันวาคม 2569" in ws["A1"].value and "เชียงราย" in ws["A1"].value
    merged = {str(m) for m in ws.merged_cells.ranges}
    # the department's groups: producers C:G, products H:N, Quadrant O:R; single columns span both rows
    assert {"C2:G2", "H2:N2", "O2:R2", "A2:A3", "B2:B3", "S2:S3", "A1:S1"} <= merged
    assert [ws.cell(2, c).value for c in (1, 2, 3, 8, 15, 19)] == [
        "ลำดับ", "อำเภอ", "ผู้ผลิต ผู้ประกอบการ (ราย)", "ผลิตภัณฑ์ (รายการ)", "ผลการจัดกลุ่มผลิตภัณฑ์ (Quadrant)",
        "OTOP ชวนชิม (ร้าน)"]
    assert [ws.cell(3, c).value for c in range(3, 8)] == ["กลุ่ม", "รายเดี่ยว", "SMEs", "ไม่ระบุ", "รวม"]
    header_values = {str(c.value) for row in ws.iter_rows(min_row=1, max_row=3) for c in row if c.value}
    assert not header_values & set(REPORT_COLUMNS), "no English key row"
    cells = [[c.value for c in r] for r in ws.iter_rows(min_row=4)]
    assert [c[2:] for c in cells] == [[row[k] for k in REPORT_COLUMNS[2:]] for row in report.all_rows]
    total_row = 4 + len(report.rows)
    assert ws.cell(total_row, 1).value == "รวม" and ws.cell(total_row, 7).font.b
    assert not ws.cell(4, 7).font.b
    assert ws.cell(4, 7).number_format == "#,##0" and ws.cell(total_row, 14).number_format == "#,##0"
    assert ws.freeze_panes == "C4" and ws.print_title_rows == "$1:$3"
    assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.column_dimensions["B"].width >= 20


def test_monthly_report_file_has_thai_field_names_and_one_title_per_column(db, tmp_path):
    small_demo(db)
    with db() as s:
        report = monthly_report(s, date(2026, 11, 1), "57", today=date(2026, 12, 7))
    path = tmp_path / "m.xlsx"
    write_xlsx(report, path)
    wb = load_workbook(path)
    assert wb.sheetnames == ["ความเคลื่อนไหว", "ความครบถ้วน"]
    ws = wb["ความครบถ้วน"]
    assert "พฤศจิกายน 2569" in ws["A1"].value
    titles = [c.value for c in ws[2]]
    assert len(set(titles)) == len(titles) and "ช่องข้อมูล" in titles
    values = {str(c.value) for row in ws.iter_rows() for c in row if c.value is not None}
    assert not any("." in v and v.split(".")[0] in ("producers", "products", "chuanchim") for v in values)
    assert {"เลขประจำตัวประชาชน", "รูปภาพผลิตภัณฑ์", "มาตรฐานผลิตภัณฑ์"} <= values


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
    text = buf.getvalue()
    assert "เลขประจำตัวประชาชน" in text and "ผู้ประกอบการลงทะเบียนใหม่" in text
    assert "producers.national_id" not in text and "new_producers" not in text
