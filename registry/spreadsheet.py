"""Cells safe to open in a spreadsheet (OWASP "CSV injection"): a text cell that begins with
= + - @, a tab or a carriage return is a formula to Excel and LibreOffice (=HYPERLINK(...),
+cmd|..., @SUM(...)). Every export path writes its cells through this module:

- CSV: such a text gets a leading apostrophe (`'=HYPERLINK(...)`), which spreadsheets show
  as text; the importer takes it off again (`unescape`), so an export imports back unchanged.
- XLSX: every text is written as a text cell (openpyxl would otherwise store a text that
  begins with "=" as a formula); the text itself is kept as it is.

Only text is escaped: numbers, dates and empty cells are written as they are. A text that is
just a number ("-5", "+66812345678") or a lone "-" (a blank written by hand) is not a formula
and is kept, so negative amounts and international phone numbers survive a round trip.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN = re.compile(r"[+-]?(\d[\d,]*)?(\.\d+)?|[-+]")  # a number, or a lone sign


def risky(value: Any) -> bool:
    """A text a spreadsheet would take for a formula."""
    return isinstance(value, str) and value.startswith(TRIGGERS) and not _PLAIN.fullmatch(value)


def csv_cell(value: Any) -> Any:
    """The value to hand to csv.writer."""
    return "'" + value if risky(value) else value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_cell(v) for v in values]


def unescape(text: str) -> str:
    """A CSV cell as read back: the apostrophe `csv_cell` added is taken off."""
    return text[1:] if text.startswith("'") and risky(text[1:]) else text


def xlsx_row(ws: Any, values: Iterable[Any]) -> list[Any]:
    """Cells for a write-only openpyxl sheet's `append`: texts that would become formulas as
    text cells, the rest as they are."""
    from openpyxl.cell import WriteOnlyCell

    out: list[Any] = []
    for v in values:
        if isinstance(v, str) and v.startswith("="):
            cell = WriteOnlyCell(ws, value=v)
            cell.data_type = "s"  # text, never a formula
            out.append(cell)
        else:
            out.append(v)
    return out
