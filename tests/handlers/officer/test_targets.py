"""Issue 16: a province officer sets a district's completeness target in chat; the weekly
digest (its week as a Thai date range) and the monthly league table show the progress."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from bot.testing import texts
from models import CompletenessTarget, unit_of_work
from registry import targets
from registry.reminders.officers import district_digest_text, province_league_text
from registry.reminders import ReminderConfig
from registry.snapshots import take_snapshot
from tests.handlers.officer.helpers import DIST, PROV, officers
from tests.registry import factories as f

NOW = datetime(2026, 12, 7, 3, 0, tzinfo=timezone.utc)  # Monday 7 Dec 2026, 10:00 in Bangkok


@pytest.fixture
def area(db):
    officers(db)
    with unit_of_work(db) as s:
        for i in range(3):
            f.producer(s, "5001", products=2, national_id=None if i else "1101700203451")
        f.producer(s, "5002", products=1)
    return db


def test_target_set_in_chat_is_shown_in_the_digest_and_the_league(line_client, area):
    got = texts(line_client.tap(PROV, "i=officer.set_target&district_code=5001&percent=95&date=31/3/2600"))
    assert "จะตั้งเป้าให้อำเภอเมืองเชียงใหม่" in got and "95%" in got  # confirmed first
    with area() as s:
        assert s.query(CompletenessTarget).all() == []
    text = texts(line_client.say(PROV, "ยืนยัน"))
    assert "ตั้งเป้าให้อำเภอเมืองเชียงใหม่แล้ว" in text and "95%" in text and "31 มีนาคม 2600" in text
    with area() as s:
        [target] = s.query(CompletenessTarget).all()
        assert (target.district_code, target.percent, target.due_on, target.set_by) == ("5001", 95, date(2057, 3, 31), PROV)
        take_snapshot(s, date(2026, 10, 1))
        take_snapshot(s, date(2026, 11, 1))
        s.commit()
    with area() as s:
        rate = targets.all_fields_rate(targets.area_counts(s, "5001"))
        digest = district_digest_text(s, "5001", NOW)
        league = province_league_text(s, "50", NOW, ReminderConfig())
    assert "สรุปประจำสัปดาห์ อำเภอเมืองเชียงใหม่ (7–13 ธ.ค. 2569)" in digest
    assert "W" not in digest.split("\n")[0] and "2026" not in digest
    assert f"เป้าหมาย 95% ภายใน 31 มี.ค. 2600: ตอนนี้ {rate * 100:.1f}%" in digest
    assert "แนวโน้มสิ้นเดือน: ต.ค. 2569" in digest and "→ พ.ย. 2569" in digest and "→ ตอนนี้" in digest
    assert "ความครบถ้วนทุกช่อง รวมรูปภาพและมาตรฐาน" in digest
    assert "สรุปประจำเดือนธันวาคม 2569 จังหวัดเชียงใหม่" in league
    assert "เป้าหมาย 95%" in league and "2026" not in league


def test_target_needs_a_district_a_percent_and_a_future_date(line_client, area):
    got = texts(line_client.tap(PROV, "i=officer.set_target&percent=150&date=1/1/2500"))
    assert "ขอชื่ออำเภอในจังหวัดเชียงใหม่" in got and "ระหว่าง 1 ถึง 100" in got and "ยังไม่ผ่านมา" in got
    assert "ตั้งเป้าอำเภอ" in got  # an example to copy
    with area() as s:
        assert s.query(CompletenessTarget).count() == 0


def test_only_province_and_central_officers_set_targets(line_client, area):
    got = texts(line_client.tap(DIST, "i=officer.set_target&district_code=5001&percent=90&date=31/3/2600"))
    assert "ตั้งเป้าให้" not in got
    got = texts(line_client.tap(PROV, "i=officer.set_target&district_code=5701&percent=90&date=31/3/2600"))
    assert "ตั้งเป้าให้" not in got and "จังหวัดเชียงใหม่" in got  # another province: refused, naming their own
