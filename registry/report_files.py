"""Writers for reports: XLSX in the department's table layout, and CSV with the same columns.

Each report is first turned into `Sheet`s, plain data: a title, the group headers (merged
across their columns, as the department prints its table), one Thai title per column, and
the rows as lists of cell values (`total` rows are written bold). The writers take those
rows, so a helper that escapes cell values (formula injection) can wrap `Sheet.rows` in one
place. Headers are Thai only; `write_csv(..., keys=True)` writes the department's English
keys instead (its own machine file has them, so a national CSV compares cell for cell).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from registry import thai_dates
from registry.labels_th import DATASET_LABELS, MONTHLY_HEADERS, REPORT_GROUPS, REPORT_SUBHEADERS
from registry.province_table import REPORT_COLUMNS
from registry.reports import MonthlyReport, TableReport
from registry.spreadsheet import csv_row

AREA_HEADER_TH = {"province": "จังหวัด", "district": "อำเภอ"}
MOVEMENT_COLUMNS = ("area", "new_producers", "new_products", "closures", "relocations")
COMPLETENESS_COLUMNS = ("dataset", "label", "starred", "total", "incomplete_now", "incomplete_before", "change")
NUMBER_FORMAT = "#,##0"
SIGNED_FORMAT = "+#,##0;-#,##0;0"


@dataclass
class Sheet:
    """One table as the department lays it out: title, groups, column titles, rows."""

    name: str  # the sheet's Thai name
    title: str
    columns: Sequence[str]  # English keys (code and `keys=True` CSV only)
    headers: Sequence[str]  # one Thai title per column
    groups: Sequence[tuple[str, int]] = ()  # (Thai group title, columns spanned); "" = no group
    rows: list[list[Any]] = field(default_factory=list)
    total_rows: int = 0  # how many of the last rows are totals (bold)
    widths: Sequence[int] = ()
    signed: frozenset[int] = frozenset()  # column indexes shown with a sign (+12 / -3)


def _table_sheets(report: TableReport, today: date) -> list[Sheet]:
    area_header = AREA_HEADER_TH[report.level]
    headers = [REPORT_SUBHEADERS.get(c, c) for c in REPORT_COLUMNS]
    headers[1] = area_header
    columns = list(REPORT_COLUMNS)
    columns[1] = report.level  # "province" or "district": the column says what it holds
    rows = [[r.get(c) for c in REPORT_COLUMNS] for r in report.all_rows]
    rows[-1][0] = "รวม"
    title = f"ข้อมูล OTOP Big Data {_area_title(report)} ข้อมูล ณ วันที่ {thai_dates.long_date(today)}"
    widths = [7, 22, *[11] * (len(REPORT_COLUMNS) - 2)]
    return [Sheet("รายงาน", title, columns, headers, REPORT_GROUPS, rows, 1, widths)]


def _area_title(report: TableReport) -> str:
    from registry.reports import names_of

    if not report.area_code:
        return "รายจังหวัด ทั่วประเทศ"
    name = names_of(report.area_code)
    return f"รายอำเภอ จังหวัด{name}" if len(report.area_code) == 2 else f"อำเภอ{name}"


def _monthly_sheets(report: MonthlyReport) -> list[Sheet]:
    from registry.reports import names_of

    month = thai_dates.month_year(report.month)
    area = names_of(report.area_code)
    moves = Sheet("ความเคลื่อนไหว", f"ความเคลื่อนไหวประจำเดือน {month} {area}", MOVEMENT_COLUMNS,
                  [MONTHLY_HEADERS[c] for c in MOVEMENT_COLUMNS],
                  rows=[[r.get(c) for c in MOVEMENT_COLUMNS] for r in [*report.rows, report.total]],
                  total_rows=1, widths=[24, 16, 14, 12, 16])
    done = [[DATASET_LABELS.get(r["dataset"], r["dataset"]), r["label"], "★" if r["starred"] else "",
             r["total"], r["incomplete_now"], r["incomplete_before"], r["change"]] for r in report.completeness]
    complete = Sheet("ความครบถ้วน", f"ข้อมูลที่ยังไม่ครบหรือไม่ถูกต้อง สิ้นเดือน {month} {area}",
                     COMPLETENESS_COLUMNS, [MONTHLY_HEADERS[c] for c in COMPLETENESS_COLUMNS], rows=done,
                     widths=[20, 26, 10, 14, 20, 20, 13], signed=frozenset({6}))
    return [moves, complete]


def sheets_of(report: TableReport | MonthlyReport, today: date | None = None) -> list[Sheet]:
    """The report's tables in the department's layout."""
    if isinstance(report, TableReport):
        return _table_sheets(report, today or date.today())
    return _monthly_sheets(report)


def write_csv(report: TableReport | MonthlyReport, out: IO[str], *, keys: bool = False,
              today: date | None = None) -> None:
    """CSV (UTF-8 text stream): one header row of Thai titles (or English keys), then the rows.
    A monthly report writes its two tables one after the other, separated by a blank line."""
    write_csv_sheets(sheets_of(report, today), out, keys=keys)


def write_csv_sheets(sheets: Sequence[Sheet], out: IO[str], *, keys: bool = False) -> None:
    writer = csv.writer(out, lineterminator="\n")
    for i, sheet in enumerate(sheets):
        if i:
            writer.writerow([])
        writer.writerow(list(sheet.columns if keys else _flat_headers(sheet)))
        for row in sheet.rows:
            writer.writerow(csv_row("" if v is None else v for v in row))


def _flat_headers(sheet: Sheet) -> list[str]:
    """One line of titles: a grouped column is "group: title" (CSV has no merged cells)."""
    out: list[str] = []
    i = 0
    for group, span in sheet.groups or [("", len(sheet.headers))]:
        for header in sheet.headers[i:i + span]:
            out.append(f"{group}: {header}" if group and group != header else header)
        i += span
    return out


def write_xlsx(report: TableReport | MonthlyReport, out: str | Path | IO[bytes], *, today: date | None = None) -> None:
    """XLSX, one styled sheet per table."""
    write_xlsx_sheets(sheets_of(report, today), out)


_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
_THIN = Side(style="thin", color="999999")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)


def write_xlsx_sheets(sheets: Sequence[Sheet], out: str | Path | IO[bytes]) -> None:
    """Title row, merged group headers, column titles, rows; bold totals, thousands
    separators, widths, a frozen header and landscape print setup fitted to the page width."""
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        ws = wb.create_sheet(sheet.name)
        ncols = len(sheet.headers)
        ws.cell(1, 1, sheet.title).font = Font(bold=True, size=14)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
        head = 3 if sheet.groups else 2
        col = 1
        for group, span in sheet.groups or [("", 1)] * ncols:
            if group and span > 1:  # a group title over its columns, their titles below
                ws.merge_cells(start_row=2, start_column=col, end_row=2, end_column=col + span - 1)
                ws.cell(2, col, group)
                for c in range(col, col + span):
                    ws.cell(3, c, sheet.headers[c - 1])
            else:  # a column of its own: its title spans the header rows
                if head == 3:
                    ws.merge_cells(start_row=2, start_column=col, end_row=3, end_column=col)
                ws.cell(2, col, sheet.headers[col - 1])
            col += span
        for r in range(2, head + 1):
            for c in range(1, ncols + 1):
                cell = ws.cell(r, c)
                cell.font, cell.fill, cell.alignment, cell.border = _BOLD, _HEAD_FILL, _CENTRE, _BOX
        first_total = len(sheet.rows) - sheet.total_rows
        for i, values in enumerate(sheet.rows):
            for c, value in enumerate(values, 1):
                cell = ws.cell(head + 1 + i, c, value)
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # text, never a formula (registry.spreadsheet)
                cell.border = _BOX
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    cell.number_format = SIGNED_FORMAT if (c - 1) in sheet.signed else NUMBER_FORMAT
                if i >= first_total:
                    cell.font, cell.fill = _BOLD, _TOTAL_FILL
        for c, width in enumerate(sheet.widths, 1):
            ws.column_dimensions[get_column_letter(c)].width = width
        ws.freeze_panes = ws.cell(head + 1, 3 if sheet.groups else 2)
        ws.print_title_rows = f"1:{head}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
    wb.save(out)


def to_bytes(report: TableReport | MonthlyReport, fmt: str, today: date | None = None) -> bytes:
    """The file's bytes, for a web download (CSV gets Excel's BOM)."""
    if fmt == "csv":
        buf = io.StringIO()
        write_csv(report, buf, today=today)
        return ("\ufeff" + buf.getvalue()).encode("utf-8")
    if fmt == "xlsx":
        bio = io.BytesIO()
        write_xlsx(report, bio, today=today)
        return bio.getvalue()
    raise ValueError(f"unknown format {fmt!r}")
