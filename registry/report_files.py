"""Writers for reports: CSV and XLSX (openpyxl write-only).

Headers: XLSX sheets carry the Thai headers in row 1 and the English keys in row 2 (so a
program can read them back); CSV carries the English keys only, or Thai then English keys
with `thai_headers=True`. The department's table writes exactly its columns
(`REPORT_COLUMNS`), so a national CSV compares cell for cell with the department's file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook

from registry.labels_th import MONTHLY_HEADERS, REPORT_HEADERS
from registry.province_table import REPORT_COLUMNS
from registry.reports import MonthlyReport, TableReport
from registry.spreadsheet import csv_row, xlsx_row

DISTRICT_HEADER_TH = "อำเภอ"
MOVEMENT_COLUMNS = ("area_code", "area", "new_producers", "new_products", "closures", "relocations")
COMPLETENESS_COLUMNS = ("field", "label", "total", "incomplete_now", "incomplete_before", "change")
Sheet = tuple[str, Sequence[str], dict[str, str], list[dict[str, Any]]]


def _table_sheets(report: TableReport) -> list[Sheet]:
    headers = dict(REPORT_HEADERS)
    if report.level == "district":
        headers["province"] = DISTRICT_HEADER_TH
    return [("report", REPORT_COLUMNS, headers, report.all_rows)]


def _monthly_sheets(report: MonthlyReport) -> list[Sheet]:
    return [("movements", MOVEMENT_COLUMNS, MONTHLY_HEADERS, [*report.rows, report.total]),
            ("completeness", COMPLETENESS_COLUMNS, {**MONTHLY_HEADERS, "label": MONTHLY_HEADERS["field"]},
             report.completeness)]


def sheets_of(report: TableReport | MonthlyReport) -> list[Sheet]:
    return _table_sheets(report) if isinstance(report, TableReport) else _monthly_sheets(report)


def write_csv(report: TableReport | MonthlyReport, out: IO[str], *, thai_headers: bool = False) -> None:
    """CSV (UTF-8 text stream). A monthly report writes its two tables one after the other,
    separated by a blank line."""
    writer = csv.writer(out, lineterminator="\n")
    for i, (_name, columns, headers, rows) in enumerate(sheets_of(report)):
        if i:
            writer.writerow([])
        if thai_headers:
            writer.writerow([headers.get(c, c) for c in columns])
        writer.writerow(columns)
        for row in rows:
            writer.writerow(csv_row("" if row.get(c) is None else row.get(c) for c in columns))


def write_xlsx(report: TableReport | MonthlyReport, out: str | Path | IO[bytes]) -> None:
    """XLSX, one sheet per table: Thai headers, English keys, then the rows."""
    wb = Workbook(write_only=True)
    for name, columns, headers, rows in sheets_of(report):
        ws = wb.create_sheet(name)
        ws.append([headers.get(c, c) for c in columns])
        ws.append(list(columns))
        for row in rows:
            ws.append(xlsx_row(ws, (row.get(c) for c in columns)))
    wb.save(out)


def to_bytes(report: TableReport | MonthlyReport, fmt: str) -> bytes:
    """The file's bytes, for a web download (CSV gets Excel's BOM)."""
    if fmt == "csv":
        buf = io.StringIO()
        write_csv(report, buf, thai_headers=True)
        return ("\ufeff" + buf.getvalue()).encode("utf-8")
    if fmt == "xlsx":
        bio = io.BytesIO()
        write_xlsx(report, bio)
        return bio.getvalue()
    raise ValueError(f"unknown format {fmt!r}")
