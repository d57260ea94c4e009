"""The importer's fast paths give the same results as the plain ones they replace:
driver-level bulk inserts store what SQLAlchemy stores, cached name and date resolution
resolve as uncached, typed comparisons agree with the audit-text comparisons."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
from sqlalchemy import insert, select, text

from models.pii import Sealed
from models import Base, Category, ProducerType, Quadrant, RegistrationStatus, SalesChannelKind
from registry import gazetteer, import_values
from registry.audit import as_text
from registry.bulk import bulk_insert, insert_tuples
from registry.import_batch import _norm_list, _same_list, _same_value
from registry.import_values import RowError, resolve_area

NOW = datetime(2024, 1, 26, 3, 4, 5, 123456, tzinfo=timezone.utc)


def _producer(code: str, **extra) -> dict:
    row = {"code": code, "producer_type": ProducerType.GROUP,
           "name": "กลุ่ม ทดสอบ", "national_id": "1101700207030", "national_id_valid": True, "phone": None,
           "phone_valid": None, "birth_date": date(1987, 3, 5), "export_sales": Decimal("12.50"),
           "status": RegistrationStatus.ACTIVE, "registered_on": date(2020, 1, 2), "province_code": "57",
           "district_code": "5709", "subdistrict_code": None, "created_at": NOW, "updated_at": NOW}
    row.update(extra)
    return row


def test_bulk_insert_stores_what_sqlalchemy_stores(db):
    t = Base.metadata.tables["producers"]
    a = Base.metadata.tables["audit_log"]
    audit = {"at": NOW, "actor": "import:x", "channel": "import", "entity": "producer", "entity_id": 1,
             "field": "_created", "old_value": None, "new_value": "A"}
    with db() as s, s.begin():
        s.execute(insert(t), [_producer("A1"), _producer("A2", status=RegistrationStatus.CLOSED, phone="0812345678")])
        bulk_insert(s, t, [_producer("B1"), _producer("B2", status=RegistrationStatus.CLOSED, phone="0812345678")])
        s.execute(insert(a), [audit, {**audit, "new_value": "B"}])
        insert_tuples(s, a, list(audit), [tuple(audit.values()), tuple({**audit, "new_value": "B"}.values())])
    cols = [c for c in t.c if c.name not in ("id", "code")]
    with db() as s:
        typed = {r.code: tuple(getattr(r, c.name) for c in cols) for r in s.execute(select(t))}
        assert typed["A1"] == typed["B1"] and typed["A2"] == typed["B2"]
        # Sealed columns differ in their stored text (random nonces): compared decrypted above.
        plain = [c for c in cols if not isinstance(c.type, Sealed)]
        raw = {r[0]: tuple(r[1:]) for r in s.execute(text(
            "SELECT code, " + ", ".join(f"CAST({c.name} AS TEXT)" for c in plain) + " FROM producers"))}
        assert raw["A1"] == raw["B1"] and raw["A2"] == raw["B2"]
        logged = s.execute(select(a.c.at, a.c.actor, a.c.new_value).order_by(a.c.id)).all()
        assert [tuple(r) for r in logged[:2]] == [tuple(r) for r in logged[2:]]


NAMES = [
    ("เชียงราย", "แม่สาย", ""), ("จ.เชียงราย", "อ.แม่สาย", ""), ("จังหวัดเชียงราย", "อำเภอ แม่สาย", ""),
    ("เชียงราย", "เมือง", ""), ("เชียงราย", "เมืองเชียงราย", "เวียง"), ("พจนครศรีอยุธยา", "บางปะอิน", ""),
    ("จังหวัดพระนครศรีอยุธยา", "อ.บางปะอิน", "บ้านเลน"), ("เชียงราย", "อำเภอไม่มีจริงเลย", ""),
    ("จังหวัดที่ไม่มี", "เมือง", ""), ("เชียงใหม่", "เมืองเชียงใหม่", "ไม่มีตำบลนี้"), ("Chiang Rai", "Mae Sai", ""),
    ("กทม", "บางรัก", ""), ("", "แม่สาย", ""), ("เชียงราย", "", ""),
]


@pytest.mark.parametrize("names", NAMES)
def test_cached_area_resolution_equals_uncached(names):
    uncached = resolve_area.__wrapped__(*names)
    assert resolve_area(*names) == uncached
    assert resolve_area(*names) == uncached  # from the cache
    if uncached[0] != "!":
        prov = gazetteer.resolve_province(names[0]).place
        assert uncached[0] == prov.code and uncached[1].startswith(prov.code)


def test_every_district_of_the_gazetteer_resolves_the_same_cached():
    for prov in gazetteer.provinces()[:10]:
        for dist in gazetteer.districts(prov.code):
            sub = (gazetteer.subdistricts(dist.code) or (None,))[0]
            names = (prov.name_th, dist.name_th, sub.name_th if sub else "")
            assert resolve_area(*names) == resolve_area.__wrapped__(*names)


def test_cached_dates_reject_every_time():
    assert import_values._date("5/3/2530", "birth_date") == date(1987, 3, 5)
    for _ in range(2):
        with pytest.raises(RowError) as err:
            import_values._date("31/2/2530", "birth_date")
        assert err.value.code == "bad_date"


VALUES = [None, "", "a", "ก", "1", 1, 2, True, False, Decimal("35.5"), Decimal("35.50"), Decimal("36"),
          date(2020, 1, 2), NOW, Category.FOOD,
          list(Category)[-1], list(Quadrant)[0], "A", list(SalesChannelKind)[0], list(SalesChannelKind)[0].value]


@pytest.mark.parametrize("old", VALUES)
def test_typed_comparison_agrees_with_audit_text(old):
    for new in VALUES:
        if type(old) is type(new) or old is None or new is None or isinstance(old, str) and isinstance(new, str):
            assert _same_value(old, new) == (as_text(old) == as_text(new)), (old, new)


def test_list_comparison_agrees_with_sorted_texts():
    ch = list(SalesChannelKind)
    cases = [
        ((), []), (((ch[0],),), [(ch[0],)]), (((ch[0],), (ch[1],)), [(ch[1],), (ch[0],)]),
        (((ch[0],),), [(ch[0],), (ch[0],)]), (((2559, 3), (2562, 4)), [(2562, 4), (2559, 3)]),
        (((2559, 3),), [(2559, 4)]), ((("มผช.", "97/2565"),), [("มผช.", "97/2565"), ("อย.", "1")]),
        ((("a",), ("b",)), [("a",), ("a",)]),
    ]
    for new, old in cases:
        assert _same_list(new, old) == (_norm_list(new) == _norm_list(old)), (new, old)


def test_parsing_in_a_helper_process_gives_the_same_import(db, tmp_path):
    from test_import_export import _files
    from registry_helpers import table_counts

    from registry.importer import import_files
    from tests.dbutil import empty_tables

    reports, counts = [], []
    for helper in (False, True, True):  # the second helper run is the idempotent re-import
        if len(reports) < 2:
            with db() as s:
                empty_tables(s.get_bind())
        report = import_files(db, _files(tmp_path), parse_in_helper=helper, batch_size=2)
        reports.append(report)
        counts.append(table_counts(db))
    plain, helped, again = reports
    assert [vars(r) for r in helped.rejects] == [vars(r) for r in plain.rejects]
    assert {s: vars(c) for s, c in helped.sheets.items()} == {s: vars(c) for s, c in plain.sheets.items()}
    assert (helped.unknown_columns, helped.problems) == (plain.unknown_columns, plain.problems)
    assert counts[0] == counts[1] == counts[2]
    assert all((c.created, c.updated) == (0, 0) for c in again.sheets.values())


def test_a_failing_helper_is_reported(tmp_path):
    from registry.import_format import SheetSource
    from registry.import_rows import parsed_events

    missing = SheetSource("producers", tmp_path / "gone.csv")
    with pytest.raises(RuntimeError, match="helper"):
        list(parsed_events([missing], 10, in_process=False))
