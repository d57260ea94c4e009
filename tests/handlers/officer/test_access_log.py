"""PDPA access log: a producer's card, a list of producers by a missing personal field and a
search by national ID, seen in chat, each leave an entry (who, role, what, ids, area, when,
channel); a province officer asks who looked at records of the province this week; the CLI
lists the entries."""

from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import select, update

from bot.testing import texts
from models import AccessEntry, LineAccount, unit_of_work
from tests.handlers.officer.helpers import CENTRAL, DIST, OTHER, PROV, officers
from tests.registry import factories as f

NID = "3500100000011"


def _world(db):  # type: ignore[no-untyped-def]
    officers(db)
    with unit_of_work(db) as s:
        p = f.producer(s, "5001", products=0, national_id=NID)
        q = f.producer(s, "5001", products=0)  # no national ID
        f.producer(s, "5701", products=0)
        s.execute(update(LineAccount).where(LineAccount.user_id == DIST).values(display_name="สมชาย พัฒนากร"))
        return p.id, q.id


def _entries(db) -> list[AccessEntry]:  # type: ignore[no-untyped-def]
    with db() as s:
        return list(s.scalars(select(AccessEntry).order_by(AccessEntry.id)))


def test_a_card_a_list_and_a_search_by_national_id_are_logged(line_client, db):
    p, q = _world(db)
    card = line_client.tap(DIST, f"i=officer.producer_card&producer_id={p}")
    assert "เลขบัตร" in texts(card)
    line_client.tap(DIST, "i=officer.list_records&district_code=5001&field=producers.national_id")
    line_client.tap(DIST, f"i=officer.find&national_id={NID}")
    got = [(e.user_id, e.role, e.channel, e.action, e.what, e.record_ids, e.area_code, e.outcome)
           for e in _entries(db)]
    assert got[0] == (DIST, "district", "chat", "record", "producer", str(p), "500101", "ok")
    assert got[1][:5] == (DIST, "district", "chat", "list", "producers.national_id")
    assert set(got[1][5].split(",")) == {str(p), str(q)} and got[1][6:] == ("5001", "ok")  # p: check flag unset
    assert got[2][:6] == (DIST, "district", "chat", "search", "producers.national_id", str(p))
    # the search opened the one match: its card is logged as well
    assert got[3][3:6] == ("record", "producer", str(p))
    assert all(e.at is not None for e in _entries(db))


def test_a_refused_card_logs_nothing_and_a_product_card_is_not_personal(line_client, db):
    p, _ = _world(db)
    assert "เฉพาะข้อมูลในพื้นที่ของท่าน" in texts(line_client.tap(OTHER, f"i=officer.producer_card&producer_id={p}"))
    assert _entries(db) == []


def test_a_province_officer_asks_who_looked_this_week(line_client, db):
    p, _ = _world(db)
    line_client.tap(DIST, f"i=officer.producer_card&producer_id={p}")
    line_client.tap(DIST, f"i=officer.producer_card&producer_id={p}")
    line_client.tap(CENTRAL, f"i=officer.producer_card&producer_id={p}")
    answer = texts(line_client.tap(PROV, "i=officer.access_log"))
    assert "จังหวัดเชียงใหม่" in answer and "7 วัน" in answer
    assert "สมชาย พัฒนากร (พัฒนาการอำเภอ): 2 ครั้ง" in answer
    assert f"LINE …{CENTRAL[-4:]} (กรมการพัฒนาชุมชน): 1 ครั้ง" in answer
    # a district officer asking about the province gets their own district, and is told why
    other = texts(line_client.tap(OTHER, "i=officer.access_log&province_code=50"))
    assert "เปิดให้เจ้าหน้าที่ระดับจังหวัด" in other and "สมชาย พัฒนากร" not in other
    # Chiang Rai has had no views
    assert "ยังไม่มีผู้ใด" in texts(line_client.tap(CENTRAL, "i=officer.access_log&province_code=57"))


def test_the_access_log_command(line_client, db, database_url, monkeypatch):
    from bot.cli import _register, cli

    p, _ = _world(db)
    line_client.tap(DIST, f"i=officer.producer_card&producer_id={p}")
    monkeypatch.setenv("DATABASE_URL", database_url)
    _register()
    runner = CliRunner()
    out = runner.invoke(cli, ["access-log", "--since", "1d", "--area", "เชียงใหม่"])
    assert out.exit_code == 0, out.output
    assert f"chat\t{DIST}\tdistrict\trecord\tproducer\tarea=500101\tok ids={p}" in out.output
    assert "1 entries" in out.output
    assert "0 entries" in runner.invoke(cli, ["access-log", "--area", "57"]).output
    assert runner.invoke(cli, ["access-log", "--since", "yesterday-ish"]).exit_code == 2
