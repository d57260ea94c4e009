"""National scale: after demo-data --scale full the department's table comes back exactly.

Slow (the full registry is generated once for this module), so everything that needs
national data lives here.
"""

from __future__ import annotations

import csv
import io

import pytest

from tests.dbutil import empty_tables
from models import unit_of_work
from registry.completeness import area_counts, child_area_counts, snapshot_counts, take_snapshot
from registry.demo import generate
from registry.province_table import COUNT_COLUMNS, REPORT_COLUMNS, default_csv_path, read_province_table
from registry.report_files import write_csv
from registry.reports import province_table
from registry_helpers import AS_OF

from models import make_session_factory


@pytest.fixture(scope="module")
def national(engine):
    empty_tables(engine)
    factory = make_session_factory(engine)
    generate(factory, scale="full", seed=11, as_of=AS_OF)
    yield factory
    empty_tables(engine)


def test_national_report_equals_the_department_csv(national):
    with national() as s:
        report = province_table(s)
    buf = io.StringIO()
    write_csv(report, buf, keys=True)
    got = list(csv.DictReader(io.StringIO(buf.getvalue())))
    with open(default_csv_path(), encoding="utf-8-sig", newline="") as fh:
        want = list(csv.DictReader(fh))
    assert len(got) == len(want) + 1 == 77
    for g, w in zip(got, want):  # row for row, column for column
        assert {c: g[c] for c in REPORT_COLUMNS} == {c: w[c] for c in REPORT_COLUMNS}
    total = got[-1]
    for c in COUNT_COLUMNS:
        assert int(total[c]) == sum(int(w[c]) for w in want)
    assert total["producers_total"] == "98151" and total["products_total"] == "223255"


def test_national_completeness_levels_agree_and_snapshot_matches(national):
    provinces = {p.code for p in read_province_table()}
    with unit_of_work(national) as s:
        take_snapshot(s, AS_OF)
    with national() as s:
        nation = area_counts(s, None)
        per_province = child_area_counts(s, None)
        stored = snapshot_counts(s, AS_OF)
        stored_57 = snapshot_counts(s, AS_OF, "57")
        live_57 = area_counts(s, "57")
    assert {p.area_code for p in per_province if p.datasets["producers"].total} == provinces
    assert nation.datasets["producers"].total == 98151
    for f in nation.fields:
        assert sum(p.field(f.key).missing for p in per_province) == f.missing
        assert (stored.field(f.key).missing, stored.field(f.key).invalid) == (f.missing, f.invalid)
        assert stored_57.field(f.key).incomplete == live_57.field(f.key).incomplete
    assert stored.datasets["products"].starred_incomplete == nation.datasets["products"].starred_incomplete
