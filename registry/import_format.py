"""The exchange format (docs IMPORT_FORMAT.md): sheets, columns and their aliases, and
streaming readers for CSV and XLSX that yield (row number, {column: text}) per data row.

Row numbers are the spreadsheet's: the header is row 1, blank lines count but are skipped.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

SHEETS = ("producers", "products", "chuanchim")

# Per sheet: column key -> accepted header spellings besides the key (Thai first).
# `registered_on` is an extension of the format, written by the exporter so that a round
# trip keeps registration dates.
COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "producers": {
        "producer_id": ("รหัสผู้ประกอบการ",), "producer_type": ("ลักษณะผู้ประกอบการ",),
        "name": ("ชื่อกลุ่ม/กิจการ",), "owner_name": ("ชื่อ-สกุล",), "national_id": ("เลขประจำตัวประชาชน",),
        "birth_date": ("วันเกิด",), "phone": ("โทรศัพท์",),
        "registration_no": ("เลขทะเบียนพาณิชย์/วิสาหกิจชุมชน",), "address": ("ที่อยู่",),
        "subdistrict": ("ตำบล",), "district": ("อำเภอ",), "province": ("จังหวัด",),
        "sales_channels": ("ช่องทางการขาย",), "star_ratings": ("ผลการคัดสรรดาว",), "status": ("สถานะ",),
        "registered_on": ("วันที่ลงทะเบียน",),
    },
    "products": {
        "product_id": ("รหัสผลิตภัณฑ์",), "producer_id": ("รหัสผู้ประกอบการ",), "name": ("ชื่อผลิตภัณฑ์",),
        "category": ("ประเภทผลิตภัณฑ์",), "subcategory": ("ประเภทย่อย",), "quadrant": ("ผลการจัดกลุ่ม",),
        "standards": ("มาตรฐาน",), "price": ("ราคา",), "keywords": ("คำค้นหา",), "photos": ("รูปภาพ",),
    },
    "chuanchim": {
        "chuanchim_id": ("รหัสชวนชิม",), "name": ("ชื่อสถานประกอบการ",), "owner_name": ("เจ้าของกิจการ",),
        "phone": ("โทรศัพท์",), "address": ("ที่อยู่",), "subdistrict": ("ตำบล",), "district": ("อำเภอ",),
        "province": ("จังหวัด",), "items": ("รายการที่จำหน่าย",), "awards": ("รางวัล",), "photos": ("รูปภาพ",),
    },
}
ID_COLUMN = {"producers": "producer_id", "products": "product_id", "chuanchim": "chuanchim_id"}
# The header row of an export, in this order.
EXPORT_COLUMNS: dict[str, tuple[str, ...]] = {sheet: tuple(cols) for sheet, cols in COLUMNS.items()}


def _norm_header(text: Any) -> str:
    return re.sub(r"\s+", "", str(text or "").replace("\ufeff", "")).lower()


_ALIASES: dict[str, dict[str, str]] = {
    sheet: {_norm_header(a): key for key, aliases in cols.items() for a in (key, *aliases)}
    for sheet, cols in COLUMNS.items()
}


@dataclass
class Header:
    """A sheet's header: which position holds which column, and the unknown columns."""

    sheet: str
    positions: dict[str, int]
    unknown: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, sheet: str, cells: list[Any]) -> Header:
        positions: dict[str, int] = {}
        unknown: list[str] = []
        for i, cell in enumerate(cells):
            key = _ALIASES[sheet].get(_norm_header(cell))
            if key is None or key in positions:
                if str(cell or "").strip():
                    unknown.append(str(cell).strip())
            else:
                positions[key] = i
        return cls(sheet, positions, unknown)

    def record(self, cells: list[Any]) -> dict[str, str]:
        """Cells as text by column key (CSV cells are text already; XLSX cells are converted)."""
        n = len(cells)
        if cells and all(isinstance(c, str) for c in cells):
            return {key: cells[i].strip() if i < n else "" for key, i in self.positions.items()}
        return {key: cell_text(cells[i]) if i < n else "" for key, i in self.positions.items()}


def sheet_of_header(cells: list[Any]) -> str | None:
    """Which sheet a header row belongs to, from its id columns."""
    keys = {_ALIASES["products"].get(_norm_header(c)) for c in cells} | {
        _ALIASES["chuanchim"].get(_norm_header(c)) for c in cells}
    if "product_id" in keys:
        return "products"
    if "chuanchim_id" in keys:
        return "chuanchim"
    if any(_ALIASES["producers"].get(_norm_header(c)) == "producer_id" for c in cells):
        return "producers"
    return None


def sheet_of_filename(path: Path) -> str | None:
    name = path.name.lower()
    return next((s for s in SHEETS if name.startswith(s)), None)


def cell_text(value: Any) -> str:
    """A cell as text: numbers without a spurious ".0", dates ISO, None empty."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


@dataclass
class SheetSource:
    """One table to import: a CSV file, or one sheet of an XLSX workbook."""

    sheet: str
    path: Path
    xlsx_sheet: str | None = None
    encoding: str = "utf-8-sig"  # CSV: as found by registry.import_check (or cp874)

    @property
    def label(self) -> str:
        return f"{self.path.name}:{self.xlsx_sheet}" if self.xlsx_sheet else self.path.name

    def rows(self) -> tuple[Header, Iterator[tuple[int, dict[str, str]]]]:
        """The header, and an iterator over (row number, record) of non-blank data rows."""
        return _xlsx_rows(self) if self.xlsx_sheet else _csv_rows(self)


def _csv_rows(src: SheetSource) -> tuple[Header, Iterator[tuple[int, dict[str, str]]]]:
    from registry.import_check import MAX_FILE_CELL
    from registry.spreadsheet import unescape

    csv.field_size_limit(max(csv.field_size_limit(), MAX_FILE_CELL))  # checked: oversized cells refuse their row
    fh = open(src.path, encoding=src.encoding, newline="")
    reader = csv.reader(fh, strict=True)
    header = Header.parse(src.sheet, next(reader, []))

    def gen() -> Iterator[tuple[int, dict[str, str]]]:
        with fh:
            start = 2
            for cells in reader:
                if any(c.strip() for c in cells):
                    rec = header.record(cells)
                    if "\x1f'" in "\x1f" + "\x1f".join(cells):  # an exported formula, written as text
                        rec = {k: unescape(v) for k, v in rec.items()}
                    yield start, rec
                start = reader.line_num + 1

    return header, gen()


def _xlsx_rows(src: SheetSource) -> tuple[Header, Iterator[tuple[int, dict[str, str]]]]:
    from openpyxl import load_workbook

    wb = load_workbook(src.path, read_only=True, data_only=True)
    rows = wb[src.xlsx_sheet].iter_rows(values_only=True)
    header = Header.parse(src.sheet, list(next(rows, ())))

    def gen() -> Iterator[tuple[int, dict[str, str]]]:
        try:
            for number, cells in enumerate(rows, start=2):
                if any(cell_text(c) for c in cells):
                    yield number, header.record(list(cells))
        finally:
            wb.close()

    return header, gen()


def sources_of(paths: list[Path]) -> tuple[list[SheetSource], list[str], list[str]]:
    """The tables found in the given files, producers first; problems with files; and files
    refused whole (registry.import_check: nothing may be imported when there is one)."""
    from registry.import_check import FileRefused

    found: list[SheetSource] = []
    problems: list[str] = []
    refused: list[str] = []
    for path in paths:
        try:
            found += _sources_of_file(path, problems)
        except FileRefused as exc:
            refused.append(str(exc))
    found.sort(key=lambda s: SHEETS.index(s.sheet))
    return found, problems, refused


def _sources_of_file(path: Path, problems: list[str]) -> list[SheetSource]:
    """One file's tables, after the checks of registry.import_check (FileRefused)."""
    from registry.import_check import FileRefused, check_csv, check_xlsx, csv_encoding

    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        check_xlsx(path)
        try:
            wb = load_workbook(path, read_only=True)
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
            raise FileRefused(f"{path.name}: a damaged Excel workbook ({type(exc).__name__}); "
                              "save it again from Excel") from None
        names = {n.strip().lower(): n for n in wb.sheetnames}
        wb.close()
        matched = [SheetSource(s, path, names[s]) for s in SHEETS if s in names]
        if not matched:
            problems.append(f"{path.name}: no sheet named producers, products or chuanchim")
        return matched
    encoding = csv_encoding(path)
    check_csv(path, encoding)
    sheet = sheet_of_filename(path)
    if sheet is None:
        with open(path, encoding=encoding, newline="") as fh:
            sheet = sheet_of_header(next(csv.reader(fh), []))
    if sheet is None:
        problems.append(f"{path.name}: not recognised as producers, products or chuanchim")
        return []
    return [SheetSource(sheet, path, encoding=encoding)]
