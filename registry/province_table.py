"""The department's per-province table (26 Jan 2567 BE): the shape of reports and demo data."""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

from registry import gazetteer

PACKAGED_CSV = Path(__file__).resolve().parent / "data" / "otop_registry_by_province_2567-01-26.csv"
SHARED_CSV = Path(__file__).resolve().parents[2] / "shared" / "data" / PACKAGED_CSV.name

# The table's count columns, in the department's order.
PRODUCER_TYPE_COLUMNS = ("producers_group", "producers_individual", "producers_sme", "producers_type_blank")
CATEGORY_COLUMNS = ("products_food", "products_beverage", "products_textile_apparel",
                    "products_household_decor_souvenir", "products_herbal_nonfood", "products_category_blank")
QUADRANT_COLUMNS = ("quadrant_a", "quadrant_b", "quadrant_c", "quadrant_d")
COUNT_COLUMNS = (*PRODUCER_TYPE_COLUMNS, "producers_total", *CATEGORY_COLUMNS, "products_total",
                 *QUADRANT_COLUMNS, "chuanchim_total")
REPORT_COLUMNS = ("no", "province", *COUNT_COLUMNS)


@dataclass(frozen=True)
class ProvinceCounts:
    """One row of the table, with the province resolved to its official code."""

    no: int
    province: str
    province_as_printed: str
    code: str
    counts: dict[str, int]


def default_csv_path() -> Path:
    """OTOP_PROVINCE_CSV if set, else the copy packaged with the code, else ../shared/data."""
    env = os.environ.get("OTOP_PROVINCE_CSV")
    if env:
        return Path(env)
    return PACKAGED_CSV if PACKAGED_CSV.exists() else SHARED_CSV


def read_province_table(path: str | Path | None = None) -> list[ProvinceCounts]:
    """Read the table (UTF-8, BOM tolerated), resolving each province name via the gazetteer."""
    rows = []
    with open(path or default_csv_path(), encoding="utf-8-sig", newline="") as fh:
        for rec in csv.DictReader(fh):
            place = gazetteer.resolve_province(rec["province"]).place
            if place is None:
                raise ValueError(f"unknown province in the table: {rec['province']!r}")
            rows.append(ProvinceCounts(int(rec["no"]), rec["province"], rec.get("province_as_printed") or "",
                                       place.code, {c: int(rec[c]) for c in COUNT_COLUMNS}))
    return rows
