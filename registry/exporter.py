"""Streaming export in the exchange format: three CSV files or one XLSX workbook.

Records are read in id order, a chunk at a time (keyset pagination), with their list rows
fetched per chunk, so memory stays flat at national scale. Exported: every producer
(with its status), active products, active ชวนชิม shops. Values are written so that
importing the files back reproduces them (Thai names for places, types and categories;
CE ISO dates; `;`-separated lists).
"""

from __future__ import annotations

import csv
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Table, select, true
from sqlalchemy.orm import Session

from models import Base
from registry import gazetteer
from registry.audit import as_text
from registry.completeness import area_filter
from registry.import_format import EXPORT_COLUMNS, SHEETS
from registry.import_values import LIST_TABLES, TABLE_OF
from registry.labels_th import CATEGORY_TH, PRODUCER_TYPE_TH
from registry.spreadsheet import csv_row, xlsx_row

CHUNK = 5000


@dataclass
class ExportResult:
    paths: list[Path]
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _name(code: str | None) -> str:
    place = gazetteer.by_code(code) if code else None
    return place.name_th if place else ""


def _item_text(item: tuple[Any, ...]) -> str:
    if len(item) == 1:
        return as_text(item[0]) or ""
    first, second = item
    if isinstance(first, int):  # star rating YEAR:STARS
        return f"{first}:{second}"
    return f"{first} {second}".strip()  # standard: SCHEME NUMBER


def _row_values(sheet: str, r: Any, lists: dict[str, str], producer_codes: dict[int, str]) -> dict[str, Any]:
    if sheet == "producers":
        return {
            "producer_id": r.code, "producer_type": PRODUCER_TYPE_TH.get(r.producer_type, "") if r.producer_type else "",
            "name": r.name, "owner_name": r.owner_name, "national_id": r.national_id,
            "birth_date": as_text(r.birth_date), "phone": r.phone, "registration_no": r.registration_no,
            "address": r.address, "subdistrict": _name(r.subdistrict_code), "district": _name(r.district_code),
            "province": _name(r.province_code), "status": as_text(r.status),
            "registered_on": as_text(r.registered_on), **lists,
        }
    if sheet == "products":
        return {
            "product_id": r.code, "producer_id": producer_codes[r.producer_id], "name": r.name,
            "category": CATEGORY_TH.get(r.category, "") if r.category else "", "subcategory": r.subcategory,
            "quadrant": as_text(r.quadrant), "price": as_text(r.price), **lists,
        }
    return {
        "chuanchim_id": r.code, "name": r.name, "owner_name": r.owner_name, "phone": r.phone,
        "address": r.address, "subdistrict": _name(r.subdistrict_code), "district": _name(r.district_code),
        "province": _name(r.province_code), **lists,
    }


def iter_rows(session: Session, sheet: str, province: str | None = None) -> Iterator[list[Any]]:
    """The data rows of one sheet, in export column order."""
    t: Table = Base.metadata.tables[TABLE_OF[sheet]]
    where = area_filter(t, province)
    p = Base.metadata.tables["producers"]
    if sheet == "products":
        where = (where & (t.c.active == true()))
    elif sheet == "chuanchim":
        where = where & (t.c.active == true())
    columns = EXPORT_COLUMNS[sheet]
    list_names = [name for (s, name) in LIST_TABLES if s == sheet]
    last = 0
    while True:
        chunk = session.execute(select(t).where(where, t.c.id > last).order_by(t.c.id).limit(CHUNK)).all()
        if not chunk:
            return
        lo, last = chunk[0].id, chunk[-1].id
        lists: dict[str, dict[int, list]] = {}
        for name in list_names:
            table_name, fk, cols = LIST_TABLES[(sheet, name)]
            c = Base.metadata.tables[table_name]
            found: dict[int, list] = {}
            for row in session.execute(select(c.c[fk], *(c.c[x] for x in cols))
                                       .where(c.c[fk].between(lo, last)).order_by(c.c.id)):
                found.setdefault(row[0], []).append(tuple(row[1:]))
            lists[name] = found
        producer_codes: dict[int, str] = {}
        if sheet == "products":
            producer_codes = dict(session.execute(select(p.c.id, p.c.code).where(
                p.c.id.in_({r.producer_id for r in chunk}))).all())
        for r in chunk:
            texts = {n: ";".join(sorted(_item_text(i) for i in lists[n].get(r.id, []))) for n in list_names}
            values = _row_values(sheet, r, texts, producer_codes)
            yield ["" if values.get(col) is None else values[col] for col in columns]


def export_registry(session: Session, out_dir: str | Path, *, fmt: str = "csv",
                    province: str | None = None) -> ExportResult:
    """Write producers.csv / products.csv / chuanchim.csv (UTF-8 with BOM, for Excel), or
    registry.xlsx with the three sheets, into `out_dir`. Read-only on the database."""
    started = time.perf_counter()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    result = ExportResult([])
    if fmt == "csv":
        for sheet in SHEETS:
            path = out / f"{sheet}.csv"
            with open(path, "w", encoding="utf-8-sig", newline="") as fh:
                w = csv.writer(fh, lineterminator="\r\n")
                w.writerow(EXPORT_COLUMNS[sheet])
                n = 0
                for row in iter_rows(session, sheet, province):
                    w.writerow(csv_row(row))  # formulas written as text (registry.spreadsheet)
                    n += 1
            result.paths.append(path)
            result.counts[sheet] = n
    elif fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        for sheet in SHEETS:
            ws = wb.create_sheet(sheet)
            ws.append(list(EXPORT_COLUMNS[sheet]))
            n = 0
            for row in iter_rows(session, sheet, province):
                ws.append(xlsx_row(ws, row))
                n += 1
            result.counts[sheet] = n
        path = out / "registry.xlsx"
        wb.save(path)
        result.paths.append(path)
    else:
        raise ValueError(f"format must be csv or xlsx, not {fmt!r}")
    result.seconds = time.perf_counter() - started
    return result
