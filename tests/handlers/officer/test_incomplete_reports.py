"""Completeness and reports in chat: the counts equal the completeness layer's, the chat's
report equals the downloaded file, links expire and cannot be tampered with."""

from __future__ import annotations

import csv
import io
import re
import time
from datetime import date
from urllib.parse import parse_qsl, urlparse

import pytest

from bot.testing import texts
from models import Category, Product, Quadrant, unit_of_work
from registry import completeness, reports
from registry.province_table import REPORT_COLUMNS
from registry.snapshots import take_snapshot
from tests.handlers.officer.helpers import CENTRAL, DIST, OTHER, PROV, buttons, data_of, follow_download, officers, signed_in
from tests.registry import factories as f


@pytest.fixture
def registry(db):
    """Chiang Mai: complete and incomplete producers and products in two districts."""
    officers(db)
    with unit_of_work(db) as s:
        for i in range(3):
            f.producer(s, "5001", products=2, national_id=None if i else "1101700203451")
        p = f.producer(s, "5002", products=1)
        p.producer_type = None
        for i, pr in enumerate(s.query(Product).filter(Product.district_code == "5001").all()):
            if i % 2:
                pr.category = None
            if i % 3 == 0:
                pr.quadrant = None
    return db


def _numbers(line: str) -> list[int]:
    return [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", line)]


def test_incomplete_counts_equal_the_completeness_layer(line_client, registry):
    got = line_client.say(DIST, "อะไรยังไม่ครบในอำเภอเมืองเชียงใหม่")
    text = texts(got)
    with registry() as s:
        counts = completeness.area_counts(s, "5001")
    assert f"ครบ {counts.starred_rate * 100:.1f}%" in text
    shown = 0
    for fc in counts.fields:
        lines = [ln for ln in text.splitlines() if ln.lstrip("★ ").startswith(fc.label_th + ":")]
        if fc.incomplete:
            assert lines, fc.key
            assert _numbers(lines[0]) == [n for n in (fc.missing, fc.invalid) if n], (fc.key, lines[0])
            shown += 1
        else:
            assert not lines, fc.key
    assert shown >= 3
    # ★ fields come first among the cards
    cards = [b for b in buttons(got) if b["label"] == "ดูรายการ"]
    keys = [dict(parse_qsl(b["data"]))["field"] for b in cards]
    starred = [completeness.RULE_BY_KEY[k].starred for k in keys]
    assert starred == sorted(starred, reverse=True) and starred[0]
    assert "ยังไม่มีข้อมูลสรุปของเดือนก่อน" in text


def test_a_dataset_with_no_records_is_not_called_complete(line_client, registry):
    """The district has producers and products but no ชวนชิม shop: say there is none."""
    from handlers.officer.incomplete import T

    text = texts(line_client.say(DIST, "อะไรยังไม่ครบในอำเภอเมืองเชียงใหม่"))
    chuanchim = text.split("OTOP ชวนชิม")[-1]
    assert T["no_records_dataset"] in chuanchim and T["all_complete"] not in chuanchim


def test_change_since_the_last_snapshot(line_client, registry):
    with unit_of_work(registry) as s:
        take_snapshot(s, date(2020, 1, 1))
        before = completeness.area_counts(s, "5001").starred_rate
        for pr in s.query(Product).filter(Product.district_code == "5001"):
            pr.category, pr.quadrant = Category.FOOD, Quadrant.C
    with registry() as s:
        now = completeness.area_counts(s, "5001").starred_rate
    text = texts(line_client.tap(DIST, "i=officer.incomplete&district_code=5001"))
    delta = (now - before) * 100
    assert "สิ้นเดือน 1/2563" in text and f"{before * 100:.1f}%" in text and f"+{delta:.1f} จุด" in text
    assert delta > 0


def test_one_field_and_the_records_behind_it(line_client, registry):
    # (how many: the field's summary; "ผลิตภัณฑ์ไหนยังไม่ระบุประเภท", which ones, is now read as the list)
    got = line_client.say(DIST, "ผลิตภัณฑ์ยังไม่ระบุประเภทกี่รายการ อำเภอเมืองเชียงใหม่")
    with registry() as s:
        fc = completeness.area_counts(s, "5001", field="products.category").field("products.category")
        page = completeness.records_missing(s, "products.category", "5001", page_size=10)
    assert fc.incomplete > 0 and f"ขาด {fc.missing}" in texts(got)
    listed = line_client.tap(DIST, data_of(got, "ดูรายการ"))
    assert f": {page.total} รายการ" in texts(listed)
    opens = [dict(parse_qsl(b["data"])) for b in buttons(listed) if b["label"] == "เปิดดู"]
    assert [int(o["product_id"]) for o in opens] == [i.record_id for i in page.items]
    remind = dict(parse_qsl(data_of(got, "เตือนผู้ผลิต")))
    assert remind == {"i": "officer.remind_area", "field": "products.category", "district_code": "5001"}
    card = line_client.tap(DIST, f"i=officer.product_card&product_id={opens[0]['product_id']}")
    assert "ประเภทผลิตภัณฑ์" in texts(card) and "ยังขาด" in texts(card)


def test_out_of_area_refused(line_client, registry):
    got = line_client.tap(OTHER, "i=officer.incomplete&district_code=5001")
    assert "เฉพาะข้อมูลในพื้นที่ของท่าน" in texts(got)
    got = line_client.tap(OTHER, "i=officer.list_records&district_code=5001&field=products.category")
    assert "เฉพาะข้อมูลในพื้นที่ของท่าน" in texts(got)


def _download(app, url: str):  # type: ignore[no-untyped-def]
    return app.test_client().get(urlparse(url).path)


def test_province_report_equals_the_downloaded_file(line_client, registry, app):
    got = line_client.tap(PROV, "i=officer.province_report")
    text = texts(got)
    with registry() as s:
        table = reports.province_table(s, "50")
    t = table.total
    assert f"ผู้ผลิต ผู้ประกอบการ {t['producers_total']} ราย" in text
    assert f"กลุ่ม {t['producers_group']} · รายเดี่ยว {t['producers_individual']}" in text
    assert f"A {t['quadrant_a']} · B {t['quadrant_b']} · C {t['quadrant_c']} · D {t['quadrant_d']}" in text
    resp = _download(app, data_of(got, "ดาวน์โหลด CSV"))
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(resp.data.decode("utf-8-sig"))))
    assert rows[0][:2] == ["ลำดับ", "อำเภอ"]  # Thai titles only, in the department's column order
    data = rows[1:]
    assert [r[1] for r in data] == [r["province"] for r in table.all_rows]
    for mine, theirs in zip(data, table.all_rows):
        assert mine[2:] == [str(theirs[k]) for k in REPORT_COLUMNS[2:]]
    assert data[-1][REPORT_COLUMNS.index("producers_total")] == str(t["producers_total"])
    xlsx = _download(app, data_of(got, "ดาวน์โหลด Excel"))
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    export_path = urlparse(data_of(got, "ข้อมูลทะเบียน Excel")).path
    officer = signed_in(app, PROV)  # the registry export holds national IDs: sign-in first
    first = officer.get(export_path)  # built in the background (tests/handlers/officer/test_registry_download.py)
    assert first.status_code == 202 and "กำลังเตรียมไฟล์" in first.get_data(as_text=True)
    export = follow_download(officer, export_path)
    assert export.status_code == 200 and export.data[:2] == b"PK"
    chart = next(m for m in got if m["type"] == "image")
    assert chart["originalContentUrl"].startswith("https://bot.example.org/download/")
    png = _download(app, chart["originalContentUrl"])
    assert png.status_code == 200 and png.data[:8] == b"\x89PNG\r\n\x1a\n"
    preview = _download(app, chart["previewImageUrl"])
    assert preview.status_code == 200 and preview.mimetype == "image/jpeg"


def test_district_officer_gets_their_district_row(line_client, registry, app):
    got = line_client.say(DIST, "รายงานจังหวัด")
    with registry() as s:
        row = next(r for r in reports.province_table(s, "50").rows if r["area_code"] == "5001")
    assert f"ผู้ผลิต ผู้ประกอบการ {row['producers_total']} ราย" in texts(got)
    rows = list(csv.reader(io.StringIO(_download(app, data_of(got, "ดาวน์โหลด CSV")).data.decode("utf-8-sig"))))
    assert [r[1] for r in rows[1:]] == [row["province"], row["province"]]


def test_national_report_for_central_only(line_client, registry):
    got = line_client.say(CENTRAL, "รายงานทั้งประเทศ")
    assert "ทั่วประเทศ" in texts(got) and "เชียงใหม่" in texts(got)
    got = line_client.say(DIST, "รายงานทั้งประเทศ")
    assert "สำหรับส่วนกลาง" in texts(got) and "อำเภอเมืองเชียงใหม่" in texts(got)


def test_monthly_report_equals_its_file(line_client, registry, app):
    got = line_client.tap(PROV, "i=officer.monthly_report")
    with registry() as s:
        from handlers.context import BANGKOK
        from models import utcnow

        today = utcnow().astimezone(BANGKOK).date()
        report = reports.monthly_report(s, today, "50", today=today)
    assert f"ผู้ผลิตรายใหม่ {report.total['new_producers']}" in texts(got)
    for r in report.completeness:
        if r["total"]:
            star = "★" if r["starred"] else ""
            assert f"• {star}{r['label']}: {r['incomplete_now']} / -" in texts(got)
    assert "ยังไม่มีข้อมูลสรุปของเดือนก่อนหน้า" in texts(got)
    rows = list(csv.reader(io.StringIO(_download(app, data_of(got, "ดาวน์โหลด CSV")).data.decode("utf-8-sig"))))
    total = rows[rows.index([]) - 1]  # the movements table's last row
    assert total[0] == "เชียงใหม่" and total[1:5] == [str(report.total[k]) for k in ("new_producers", "new_products", "closures", "relocations")]


def test_tampered_and_expired_links_are_refused(line_client, registry, app, monkeypatch):
    url = data_of(line_client.tap(PROV, "i=officer.province_report"), "ดาวน์โหลด CSV")
    path = urlparse(url).path
    forged = path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB")
    resp = app.test_client().get(forged)
    assert resp.status_code == 403 and "ไม่ถูกต้อง" in resp.data.decode()
    from itsdangerous.timed import TimestampSigner

    real = time.time
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(real()) - 2 * 86400)
    old = data_of(line_client.tap(PROV, "i=officer.province_report"), "ดาวน์โหลด CSV")
    monkeypatch.undo()
    resp = app.test_client().get(urlparse(old).path)
    assert resp.status_code == 403 and "หมดอายุ" in resp.data.decode()
    # another province in a token signed with another key: refused too
    from handlers.officer import links

    other = links.make_token("not-the-key", "table", "10", "csv")
    assert app.test_client().get(f"/download/{other}").status_code == 403


def test_a_refusal_names_the_officers_own_area_and_offers_it(line_client, registry):
    got = line_client.tap(OTHER, "i=officer.incomplete&district_code=5001")
    text = texts(got)
    assert "อำเภอเมืองเชียงใหม่ จังหวัดเชียงใหม่อยู่นอกพื้นที่ของท่าน" in text
    assert "คืออำเภอจอมทอง จังหวัดเชียงใหม่" in text
    offer = data_of(got, "ดูอำเภอจอมทอง")
    assert "district_code=5002" in offer and "officer.incomplete" in offer
    assert "อำเภอจอมทอง" in texts(line_client.tap(OTHER, offer))


def test_a_district_officer_asking_for_the_province_gets_their_district_and_is_told(line_client, registry):
    for got in (line_client.say(DIST, "รายงานจังหวัด"), line_client.tap(DIST, "i=officer.province_report&province_code=50")):
        text = texts(got)
        assert "ท่านดูแลอำเภอเมืองเชียงใหม่" in text and "จึงแสดงข้อมูลของอำเภอเมืองเชียงใหม่" in text
        assert "รายงานข้อมูล OTOP อำเภอเมืองเชียงใหม่" in text


def test_central_admin_asking_about_a_district_gets_it(line_client, registry):
    got = texts(line_client.tap(CENTRAL, "i=officer.incomplete&district_code=5001"))
    assert "ความครบถ้วนของข้อมูล อำเภอเมืองเชียงใหม่" in got
    empty = line_client.tap(CENTRAL, "i=officer.incomplete&district_code=5701")
    assert "ยังไม่มีข้อมูล" in texts(empty) and "อำเภอเมืองเชียงราย" in texts(empty)
    assert data_of(empty, "ดูจังหวัดเชียงราย")
