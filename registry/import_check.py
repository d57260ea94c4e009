"""Files checked before an import writes anything: a file that cannot be read whole is refused
whole, with a message naming the file and the row, so an import never stops half-way through
a file (the rows before a broken quote used to be imported and the rest silently dropped).

- Encoding (CSV): UTF-8 with or without a BOM, else TIS-620 / Windows-874 (what Thai Excel
  saves as "CSV"), recognised when the text decodes and holds Thai letters; anything else is
  refused ("save it as CSV UTF-8").
- Structure (CSV): read once with the strict CSV dialect: an unclosed quote, or text after a
  closing quote, is refused at the row where it starts. Cells up to `MAX_FILE_CELL` are read;
  larger ones refuse the file (no spreadsheet writes them; it is not a registry file).
- What the name says: a `.xlsx` must be a ZIP workbook, a `.csv` text. A picture or a PDF
  renamed is named for what it is.
- Cells longer than `MAX_CELL` (Excel's own limit, 32,767 characters) refuse their row, not
  the file (registry.import_rows).
"""

from __future__ import annotations

import codecs
import csv
import re
import zipfile
from pathlib import Path

MAX_CELL = 32_767  # characters: Excel's limit per cell; a longer cell refuses its row
MAX_FILE_CELL = 16 * 1024 * 1024  # characters: a longer cell refuses the whole file
_THAI = re.compile(r"[\u0e01-\u0e5b]")
MAGIC = ((b"\x89PNG\r\n\x1a\n", "a PNG picture"), (b"\xff\xd8\xff", "a JPEG picture"), (b"GIF8", "a GIF picture"),
         (b"%PDF", "a PDF document"), (b"\xd0\xcf\x11\xe0", "an old Excel/Word file (.xls/.doc): save it as .xlsx"),
         (b"PK\x03\x04", "a ZIP archive (perhaps an Excel workbook)"), (b"\x1f\x8b", "a gzip archive"))


class FileRefused(Exception):
    """The file cannot be imported at all; the message says which file, where and why."""


def _looks_like(head: bytes) -> str | None:
    return next((what for magic, what in MAGIC if head.startswith(magic)), None)


def csv_encoding(path: Path) -> str:
    """The file's encoding: "utf-8-sig" (with or without BOM) or "cp874" (TIS-620)."""
    with open(path, "rb") as fh:
        head = fh.read(8)
        what = _looks_like(head)
        if what:
            raise FileRefused(f"{path.name}: not a CSV file but {what}")
        fh.seek(0)
        if _decodes(fh, "utf-8"):
            return "utf-8-sig"
        fh.seek(0)
        if _decodes(fh, "cp874", need_thai=True):
            return "cp874"
    raise FileRefused(f"{path.name}: the text is neither UTF-8 nor TIS-620 (Thai Windows); "
                      "save it from Excel as \"CSV UTF-8\"")


def _decodes(fh, encoding: str, need_thai: bool = False) -> bool:  # type: ignore[no-untyped-def]
    decoder = codecs.getincrementaldecoder(encoding)()
    thai = False
    try:
        while chunk := fh.read(1 << 20):
            text = decoder.decode(chunk)
            thai = thai or bool(_THAI.search(text))
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return thai or not need_thai


def check_csv(path: Path, encoding: str) -> None:
    """Read the whole file once with the strict dialect; FileRefused at the first problem."""
    limit = csv.field_size_limit()
    csv.field_size_limit(MAX_FILE_CELL)
    try:
        with open(path, encoding=encoding, newline="") as fh:
            reader = csv.reader(fh, strict=True)
            start = 1
            try:
                for _ in reader:
                    start = reader.line_num + 1
            except csv.Error as exc:
                raise FileRefused(_csv_problem(path, start, str(exc))) from None
            except UnicodeDecodeError:
                raise FileRefused(f"{path.name}: row {start}: the text is not {encoding}") from None
    finally:
        csv.field_size_limit(limit)


def _csv_problem(path: Path, row: int, error: str) -> str:
    if "field larger than field limit" in error:
        return f"{path.name}: row {row}: a cell longer than {MAX_FILE_CELL:,} characters; nothing imported from this file"
    if "unexpected end of data" in error or "EOF" in error:
        return (f"{path.name}: row {row}: a quote (\") opens a cell that never closes, so every row after "
                "it would be lost; nothing imported from this file")
    return f"{path.name}: row {row}: broken quoting ({error}); nothing imported from this file"


def check_xlsx(path: Path) -> None:
    """A workbook is a ZIP holding xl/workbook.xml; anything else is named for what it is."""
    with open(path, "rb") as fh:
        head = fh.read(8)
    if not head.startswith(b"PK\x03\x04"):
        what = _looks_like(head) or "not an Excel workbook"
        raise FileRefused(f"{path.name}: not an Excel workbook (.xlsx) but {what}" if _looks_like(head)
                          else f"{path.name}: {what} (.xlsx); save it again from Excel")
    try:
        with zipfile.ZipFile(path) as z:
            if "xl/workbook.xml" not in z.namelist():
                raise FileRefused(f"{path.name}: a ZIP archive, not an Excel workbook (.xlsx)")
    except zipfile.BadZipFile:
        raise FileRefused(f"{path.name}: a damaged Excel workbook (.xlsx); save it again from Excel") from None
