"""What is due for whom (registry.reminders), with a fixed clock: nudges listing what a
record misses, the monthly cap, opt-out and blocked users, standards about to expire, the
district digest, the province league table and overdue alerts."""

from __future__ import annotations

from registry.ids import national_id_check_digit
from datetime import date, datetime, timedelta, timezone

from factories import CM, CM_CHOMTHONG, CM_MUEANG, CR_MUEANG, link_account, producer
from models import (LineAccount, ProductPhoto, ProductStandard, ReminderLog, Request, RequestKind, Role,
                    unit_of_work)
from registry.reminders import ReminderConfig, area_recipients, due_plans
from registry.reminders.base import month_start_utc

UTC = timezone.utc
NOW = datetime(2026, 3, 9, 3, 0, tzinfo=UTC)  # Monday 10:00 in Bangkok
CONFIG = ReminderConfig(nudges_per_month=2, expiry_days=30, overdue_days=14)


def plans(db, jobs, now=NOW, config=CONFIG):
    with db() as s:
        return due_plans(s, now, config, jobs)


def _complete(p):
    """Make a factory producer complete (national id and birth date are left blank there)."""
    # One ID per record: an ID two active records hold is an issue of its own (duplicate).
    first12 = f"1101700{p.id:05d}"
    p.national_id, p.national_id_valid, p.phone_valid, p.birth_date = (
        first12 + national_id_check_digit(first12), True, True, date(1970, 1, 1))


def test_nudge_lists_what_the_record_misses_with_buttons_to_fix_it(db):
    with unit_of_work(db) as s:
        p = producer(s, products=1)
        _complete(p)
        p.phone = None
        product = p.products[0]
        s.query(ProductPhoto).filter_by(product_id=product.id).delete()
        link_account(s, p, "Uowner")
        done = producer(s, products=1)
        _complete(done)
        link_account(s, done, "Ucomplete")
    [plan] = plans(db, ("nudge",))
    assert plan.user_ids == ("Uowner",) and plan.key == f"nudge:{p.id}:2026-03"
    assert "เบอร์โทรศัพท์" in plan.text and "รูปภาพผลิตภัณฑ์" in plan.text and product.name in plan.text
    assert "ที่อยู่" not in plan.text.split("\n")[1]  # only what is missing is listed
    intents = [b.intent for b in plan.buttons]
    assert intents == ["producer.missing", "producer.update_phone", "producer.send_photo"]


def test_nudge_skips_opted_out_blocked_and_capped_accounts(db):
    with unit_of_work(db) as s:
        accounts = {}
        for name in ("ok", "optout", "blocked", "capped", "last_month"):
            accounts[name] = link_account(s, producer(s, products=0), f"U{name}")
        accounts["optout"].reminders_opt_out = True
        accounts["blocked"].following = False
        for i in range(2):  # two officer reminders this month reach the cap of 2
            s.add(ReminderLog(user_id="Ucapped", kind="area", key=f"area:x{i}|Ucapped", at=NOW - timedelta(days=1)))
            s.add(ReminderLog(user_id="Ulast_month", kind="area", key=f"area:y{i}|Ulast_month",
                              at=month_start_utc(NOW) - timedelta(minutes=1)))
    got = {u for p in plans(db, ("nudge",)) for u in p.user_ids}
    assert got == {"Uok", "Ulast_month"}
    assert {u for p in plans(db, ("nudge",), config=ReminderConfig(nudges_per_month=3)) for u in p.user_ids} == {
        "Uok", "Ulast_month", "Ucapped"}


def test_one_nudge_a_month_even_under_the_cap(db):
    with unit_of_work(db) as s:
        link_account(s, producer(s, products=0), "Uone")
        s.add(ReminderLog(user_id="Uone", kind="nudge", key="nudge:earlier|Uone", at=NOW - timedelta(days=3)))
    assert plans(db, ("nudge",)) == []
    assert len(plans(db, ("nudge",), now=NOW + timedelta(days=31))) == 1  # next month


def test_standard_expiring_within_n_days(db):
    with unit_of_work(db) as s:
        p = producer(s, products=3)
        link_account(s, p, "Uexp")
        soon, later, gone = (prod.standards[0] for prod in p.products)
        soon.expires_on = date(2026, 3, 20)
        later.expires_on = date(2026, 5, 1)
        gone.expires_on = date(2026, 3, 1)
        soon_id = soon.id
    [plan] = plans(db, ("expiry",))
    assert plan.key == f"expiry:{soon_id}:2026-03-20" and plan.user_ids == ("Uexp",)
    assert "20/3/2569" in plan.text and "อีก 11 วัน" in plan.text
    assert [b.intent for b in plan.buttons] == ["producer.add_standard"]


def _officer(s, uid, role, province, district=None, **kw):
    s.add(LineAccount(user_id=uid, role=role, province_code=province, district_code=district, following=True, **kw))


def _request(s, p, days_at_step, step="fact_check"):
    r = Request(kind=RequestKind.CLOSURE_PRESENT, producer_id=p.id, province_code=p.province_code,
                district_code=p.district_code, step=step, created_by="test",
                created_at=NOW - timedelta(days=days_at_step + 1), step_since=NOW - timedelta(days=days_at_step))
    s.add(r)
    s.flush()
    return r


def test_weekly_digest_to_the_district_officers(db):
    with unit_of_work(db) as s:
        old = producer(s, products=0)
        old.created_at = old.updated_at = NOW - timedelta(days=60)
        fresh = producer(s, products=0)  # created "now": incomplete (no national id)
        fresh.created_at = fresh.updated_at = NOW - timedelta(days=2)
        req = _request(s, old, days_at_step=5)
        _officer(s, "Udist1", Role.DISTRICT, CM, CM_MUEANG)
        _officer(s, "Udist2", Role.DISTRICT, CM, CM_MUEANG)
        _officer(s, "Udist_off", Role.DISTRICT, CM, CM_MUEANG, reminders_opt_out=True)
        _officer(s, "Uother", Role.DISTRICT, CM, CM_CHOMTHONG)
        old_code, fresh_code, req_id = old.code, fresh.code, req.id
    digests = {p.key: p for p in plans(db, ("digest",))}
    mine = digests[f"digest:weekly:{CM_MUEANG}:2026-W11"]
    assert mine.user_ids == ("Udist1", "Udist2")
    assert f"#{req_id}" in mine.text and "รอ 5 วัน" in mine.text
    assert fresh_code in mine.text and old_code not in mine.text  # newly incomplete only
    assert "ไม่มีคำขอรอดำเนินการ" in digests[f"digest:weekly:{CM_CHOMTHONG}:2026-W11"].text
    sunday_before = NOW - timedelta(days=1)
    assert plans(db, ("digest",), now=sunday_before, config=ReminderConfig(digest_weekday=0)) != []  # W10's
    assert plans(db, ("digest",), config=ReminderConfig(digest_weekday=2)) == []  # not before Wednesday


def test_monthly_league_table_ranks_the_districts(db):
    with unit_of_work(db) as s:
        for _ in range(2):
            _complete(producer(s, CM_CHOMTHONG, products=1))
        producer(s, CM_MUEANG, products=1)  # incomplete: national id missing (★)
        late = producer(s, CM_MUEANG, products=0)
        _request(s, late, days_at_step=20)
        _officer(s, "Uprov", Role.PROVINCE, CM)
        _officer(s, "Uprov57", Role.PROVINCE, CR_MUEANG[:2])
    league = {p.key: p for p in plans(db, ("league",))}
    text = league["league:monthly:50:2026-03"].text
    lines = [line for line in text.splitlines() if line[:2] in ("1.", "2.")]
    assert "จอมทอง" in lines[0] and "100.0%" in lines[0]
    assert "เมืองเชียงใหม่" in lines[1] and "(เกินกำหนด 1)" in lines[1]
    assert "league:monthly:57:2026-03" in league  # a province without records still gets its table


def test_overdue_alert_goes_to_the_acting_district_once_per_step(db):
    with unit_of_work(db) as s:
        p = producer(s, products=0)
        late = _request(s, p, days_at_step=15)
        _request(s, producer(s, products=0), days_at_step=3)
        _officer(s, "Udist", Role.DISTRICT, CM, CM_MUEANG)
        late_id = late.id
    [alert] = plans(db, ("overdue",))
    assert alert.user_ids == ("Udist",) and alert.key.startswith(f"overdue:{late_id}:fact_check:")
    assert "15 วัน" in alert.text and alert.buttons[0].slots == {"request_id": str(late_id)}


def test_area_recipients_within_the_area_and_missing_the_field(db):
    with unit_of_work(db) as s:
        a = producer(s, CM_MUEANG, products=0)
        a.phone = None
        link_account(s, a, "Ua")
        b = producer(s, CM_MUEANG, products=0)
        b.phone_valid = True  # a checked phone
        link_account(s, b, "Ub")
        c = producer(s, CR_MUEANG, products=0)
        c.phone = None
        link_account(s, c, "Uc")  # another province
    with db() as s:
        assert area_recipients(s, CM_MUEANG, "producers.phone", NOW, CONFIG) == ["Ua"]
        assert area_recipients(s, CM_MUEANG, None, NOW, CONFIG) == ["Ua", "Ub"]
        assert area_recipients(s, CM, None, NOW, CONFIG) == ["Ua", "Ub"]
        assert area_recipients(s, None, "producers.phone", NOW, CONFIG) == ["Ua", "Uc"]


def test_expiry_of_a_closed_product_is_not_reminded(db):
    with unit_of_work(db) as s:
        p = producer(s, products=1)
        link_account(s, p, "Uexp")
        p.products[0].active = False
        s.add(ProductStandard(product_id=p.products[0].id, scheme="อย.", number="1", expires_on=date(2026, 3, 15)))
    assert plans(db, ("expiry",)) == []


def test_a_shop_or_group_is_not_addressed_as_a_person():
    from registry.reminders.producers import nudge_text

    assert nudge_text("ร้านป้าสมหมาย", [], []).startswith("เรียน ร้านป้าสมหมาย ")
    assert nudge_text("กลุ่มทอผ้าบ้านสันกำแพง", [], []).startswith("เรียน กลุ่มทอผ้า")
    assert nudge_text("สมศรี ใจดี", [], []).startswith("เรียน คุณสมศรี ใจดี ")


def test_a_nudge_does_not_ask_for_what_waits_for_the_officer(db):
    from models import PendingChange, Product

    with unit_of_work(db) as s:
        p = producer(s, products=1)
        _complete(p)
        product = p.products[0]
        s.query(ProductStandard).filter_by(product_id=product.id).delete()
        link_account(s, p, "Uwaiting")
        s.add(PendingChange(entity="product", entity_id=product.id, field="standard", new_value="{}",
                            producer_id=p.id, district_code=p.district_code, requested_by="Uwaiting"))
    assert plans(db, ("nudge",)) == []  # the only gap is a standard already sent
