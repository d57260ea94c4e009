"""The officer console through the Flask test client: who may open which page (signed in,
officer, area, on the server), the access log (channel web), CSRF refusal, and edits and
committee steps through the chat's own domain functions (audit channel web, one transition)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from bot.testing import sign_in
from models import AccessEntry, AuditEntry, Producer, Request, Role, unit_of_work
from registry import workflows as wf
from tests.handlers.officer.helpers import DIST, DIST2, OTHER, PRODUCER, PROV, link_producer, officers
from tests.registry import factories as f

VALID_NID = "3500100000011"


@pytest.fixture
def world(db):
    officers(db)
    with unit_of_work(db) as s:
        mine = f.producer(s, "5001", products=1)
        mine.phone = None
        theirs = f.producer(s, "5002", products=1)
        ids = {"mine": mine.id, "theirs": theirs.id}
    link_producer(db, ids["mine"])
    return ids


def _client(app, user):  # type: ignore[no-untyped-def]
    client = app.test_client()
    sign_in(client, user)
    return client


def _token(html: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)  # type: ignore[union-attr]


def _log(db, outcome: str | None = None):  # type: ignore[no-untyped-def]
    with db() as s:
        stmt = select(AccessEntry).order_by(AccessEntry.id)
        return [(e.user_id, e.channel, e.action, e.what, e.record_ids, e.outcome) for e in s.scalars(stmt)
                if outcome is None or e.outcome == outcome]


def test_pages_ask_to_sign_in_and_refuse_producers(app, world):
    anonymous = app.test_client().get("/console/area")
    assert anonymous.status_code == 401 and "เข้าสู่ระบบด้วย LINE" in anonymous.text
    producer = _client(app, PRODUCER).get("/console/records")
    assert producer.status_code == 403 and "เฉพาะเจ้าหน้าที่" in producer.text


def test_a_district_officer_sees_their_area_and_not_another(app, db, world):
    client = _client(app, DIST)
    page = client.get("/console/area")
    assert page.status_code == 200 and "ความครบถ้วนของข้อมูล อำเภอเมืองเชียงใหม่" in page.text
    assert 'class="bars"' in page.text and "รายพื้นที่ย่อย" in page.text  # the district's sub-districts
    assert client.get("/console/area?area=5002").status_code == 403
    assert client.get("/console/records?area=5002").status_code == 403
    assert client.get("/console/area?area=50").status_code == 403  # the province is wider than the district
    assert client.get("/console/area?area=9999").status_code == 404
    listed = client.get("/console/records?field=producers.phone")
    assert listed.status_code == 200 and f"/console/producer/{world['mine']}" in listed.text
    assert _log(db)[-1][:4] == (DIST, "web", "list", "producers.phone")


def test_another_districts_record_is_refused_and_logged(app, db, world):
    client = _client(app, DIST)
    resp = client.get(f"/console/producer/{world['theirs']}")
    assert resp.status_code == 403 and "ไม่ใช่พื้นที่ของท่าน" in resp.text and "กลุ่มทดสอบ" not in resp.text
    assert _log(db)[-1] == (DIST, "web", "record", "producer", str(world["theirs"]), "refused:other_area")
    assert _client(app, OTHER).get(f"/console/producer/{world['theirs']}").status_code == 200
    assert _client(app, PROV).get(f"/console/producer/{world['theirs']}").status_code == 200


def test_viewing_a_record_is_logged_on_the_web_channel(app, db, world):
    resp = _client(app, DIST).get(f"/console/producer/{world['mine']}")
    assert resp.status_code == 200 and "เบอร์โทร" in resp.text
    assert _log(db)[-1] == (DIST, "web", "record", "producer", str(world["mine"]), "ok")


def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(app, db, world):
    client = _client(app, DIST)
    resp = client.post(f"/console/producer/{world['mine']}/edit", data={"field": "phone", "value": "0899999999"})
    assert resp.status_code == 400 and "แบบฟอร์มหมดอายุ" in resp.text
    forged = client.post(f"/console/producer/{world['mine']}/edit",
                         data={"field": "phone", "value": "0899999999", "csrf_token": "forged"})
    assert forged.status_code == 400
    with db() as s:
        assert s.get(Producer, world["mine"]).phone is None


def test_edits_go_through_the_chats_validation_and_audit(app, db, world):
    client = _client(app, DIST)
    token = _token(client.get(f"/console/producer/{world['mine']}").text)
    bad = client.post(f"/console/producer/{world['mine']}/edit",
                      data={"field": "national_id", "value": "1234567890123", "csrf_token": token})
    assert bad.status_code == 400 and "เลขประจำตัวประชาชนไม่ถูกต้อง" in bad.text
    bad = client.post(f"/console/producer/{world['mine']}/edit",
                      data={"field": "phone", "value": "02-123", "csrf_token": token})
    from handlers.producer.texts import PROFILE  # the chat's answer to a bad phone, word for word

    assert bad.status_code == 400 and PROFILE["bad_phone"] in bad.text and "ยังไม่ได้บันทึกอะไร" in bad.text
    ok = client.post(f"/console/producer/{world['mine']}/edit",
                     data={"field": "phone", "value": "081-234-5679", "csrf_token": token}, follow_redirects=True)
    assert ok.status_code == 200 and "บันทึกแล้วค่ะ" in ok.text
    with db() as s:
        assert s.get(Producer, world["mine"]).phone == "0812345679"
        rows = s.scalars(select(AuditEntry).where(AuditEntry.entity_id == world["mine"])).all()
        assert [(r.field, r.new_value, r.actor, r.channel) for r in rows] == [("phone", "0812345679", DIST, "web")]


def test_a_duplicate_national_id_needs_confirmation(app, db, world):
    with unit_of_work(db) as s:
        s.get(Producer, world["theirs"]).national_id = VALID_NID
        s.get(Producer, world["theirs"]).national_id_valid = True
    client = _client(app, DIST)
    token = _token(client.get(f"/console/producer/{world['mine']}").text)
    form = {"field": "national_id", "value": VALID_NID, "csrf_token": token}
    warned = client.post(f"/console/producer/{world['mine']}/edit", data=form)
    assert warned.status_code == 409 and "ยืนยันบันทึกเลขซ้ำ" in warned.text
    with db() as s:
        assert s.get(Producer, world["mine"]).national_id is None
    done = client.post(f"/console/producer/{world['mine']}/edit", data={**form, "confirm": "1"})
    assert done.status_code == 302
    with db() as s:
        assert s.get(Producer, world["mine"]).national_id == VALID_NID


def test_committee_steps_use_the_state_machine_without_self_approval(app, db, world):
    with unit_of_work(db) as s:
        outcome = wf.start_absent_closure(s, wf.Actor(DIST, Role.DISTRICT, "50", "5001"), world["mine"],
                                          "ไม่อยู่ในพื้นที่แล้ว")
        request_id, step = outcome.request.id, outcome.request.step
    own = _client(app, DIST)
    page = own.get("/console/requests")
    assert page.status_code == 200 and f"#{request_id}" in page.text and "ดูได้อย่างเดียว" in page.text
    token = _token(page.text)
    form = {"action": "record_fact_check", "step": step, "note": "ตรวจแล้ว ไม่อยู่จริง",
            "meeting_date": "2020-01-02", "csrf_token": token}
    refused = own.post(f"/console/requests/{request_id}/act", data=form, follow_redirects=True)
    assert wf.ERROR_MESSAGES["own_request"] in refused.text and "บันทึกแล้ว" not in refused.text
    other = _client(app, DIST2)
    token2 = _token(other.get("/console/requests").text)
    done = other.post(f"/console/requests/{request_id}/act", data={**form, "csrf_token": token2},
                      follow_redirects=True)
    assert "บันทึกผลตรวจสอบข้อเท็จจริงแล้วค่ะ" in done.text
    again = other.post(f"/console/requests/{request_id}/act", data={**form, "csrf_token": token2},
                       follow_redirects=True)
    assert "สถานะล่าสุด" in again.text  # the step the officer saw has moved on: no second transition
    with db() as s:
        req = s.get(Request, request_id)
        assert req.step != step
        assert [r[2] for r in f.steps_of(s, request_id)].count("record_fact_check") == 1
        assert f.steps_of(s, request_id)[-1][3] == DIST2



@pytest.mark.parametrize("tap, path", [
    ("i=officer.incomplete&district_code=5001", "/console/area?area=5001"),
    ("i=officer.list_records&district_code=5001&field=producers.phone", "/console/records?area=5001&field=producers.phone"),
    ("i=officer.pending_requests", "/console/requests"),
    ("i=officer.producer_card&producer_id={mine}", "/console/producer/{mine}"),
])
def test_chat_cards_of_long_tasks_open_the_console_page(app, db, line_client, world, tap, path):
    from tests.handlers.officer.helpers import data_of

    if "pending" in tap:
        with unit_of_work(db) as s:
            wf.start_absent_closure(s, wf.Actor(DIST2, Role.DISTRICT, "50", "5001"), world["mine"], "ไม่อยู่แล้ว")
    got = line_client.tap(DIST, tap.format(**world))
    url = data_of(got, "เปิดในหน้าเว็บ")
    assert url == "https://bot.example.org" + path.format(**world)  # names what to open, grants nothing
    client = app.test_client()
    local = url.removeprefix("https://bot.example.org")
    assert client.get(local).status_code == 401  # sign-in decides
    sign_in(client, DIST)
    assert client.get(local).status_code == 200


def test_the_area_page_shows_the_change_since_last_months_snapshot(app, db, world):
    from datetime import date, timedelta

    from registry import snapshots

    last_month = (date.today().replace(day=1) - timedelta(days=1)).replace(day=1)
    with unit_of_work(db) as s:
        snapshots.take_snapshot(s, last_month)
    with unit_of_work(db) as s:
        s.get(Producer, world["mine"]).phone = "0812345678"
        s.get(Producer, world["mine"]).phone_valid = True
    page = _client(app, DIST).get("/console/area").text
    assert f"สิ้นเดือน {last_month.month}/{last_month.year + 543}" in page
    phone_row = page.split("เบอร์โทรศัพท์</td>")[1].split("</tr>")[0]
    assert '<span class="up">+100.0</span>' in phone_row  # 0 % of one producer had a phone then, 100 % now
