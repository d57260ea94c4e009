"""Closure, case 1 (producer present) and case 2 (producer gone): every path, every step."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from factories import (CM, CM_MUEANG, audit_of, central_admin, district_officer, events, producer,
                       producer_actor, province_officer, steps_of)
from models import (Producer, Product, RegistrationStatus, Request, RequestStatus, StatusChange,
                    unit_of_work)
from registry import workflows as wf

NOW = datetime(2024, 3, 1, 3, 0, tzinfo=timezone.utc)
MEETING = date(2024, 2, 28)


def _setup(db, **kw):
    with unit_of_work(db) as s:
        p = producer(s, **kw)
        return p.id, [x.id for x in p.products], producer_actor(p)


def test_case1_approved_all_the_way(db):
    pid, product_ids, me = _setup(db)
    officer, colleague = district_officer(n=1), district_officer(n=2)
    with unit_of_work(db) as s:
        out = wf.submit_closure(s, me, pid, "เลิกผลิต", date(2024, 3, 31), now=NOW)
        rid = out.request.id
        assert out.request.step == "district_subcommittee" and out.request.created_by == me.actor_id
        assert events(out.notices) == {(("district", CM_MUEANG), "submitted")}
    with unit_of_work(db) as s:
        out = wf.act(s, officer, rid, "approve", expected_step="district_subcommittee",
                     meeting_date=MEETING, now=NOW)
        assert out.request.step == "district_cancel"
        assert events(out.notices) == {(("producer", pid), "step_approved"),
                                       (("district", CM_MUEANG), "step_approved")}
        # the producer was not touched by the approval
        assert s.get(Producer, pid).status is RegistrationStatus.ACTIVE
    with unit_of_work(db) as s:
        out = wf.act(s, colleague, rid, "cancel_in_system", expected_step="district_cancel", now=NOW)
        assert events(out.notices) == {(("producer", pid), "cancelled_in_system"),
                                       (("district", CM_MUEANG), "cancelled_in_system"),
                                       (("province", CM), "reported_to_province")}
    with unit_of_work(db) as s:
        req = s.get(Request, rid)
        assert (req.status, req.step) == (RequestStatus.DONE, "done")
        assert steps_of(s, rid) == [
            (None, "district_subcommittee", "submit", me.actor_id),
            ("district_subcommittee", "district_cancel", "approve", officer.actor_id),
            ("district_cancel", "done", "cancel_in_system", colleague.actor_id),
        ]
        assert req.steps[1].meeting_date == MEETING
        assert s.get(Producer, pid).status is RegistrationStatus.CLOSED
        changes = s.scalars(select(StatusChange).where(StatusChange.producer_id == pid)).all()
        assert [(c.old_status, c.new_status, c.request_id) for c in changes] == [
            (RegistrationStatus.ACTIVE, RegistrationStatus.CLOSED, rid)]
        assert audit_of(s, "producer", pid) == [("status", "active", "closed", colleague.actor_id)]
        for product_id in product_ids:
            assert s.get(Product, product_id).active is False
            assert audit_of(s, "product", product_id) == [("active", "True", "False", colleague.actor_id)]


# Case 1 and case 2, step by step: (step, action, arguments) as an officer plays them.
CASE1 = [("district_subcommittee", "approve", {"meeting_date": MEETING}),
         ("district_cancel", "cancel_in_system", {})]
CASE2 = [("fact_check", "record_fact_check", {"meeting_date": MEETING, "note": "ไม่พบที่ตั้ง"}),
         ("network_committee", "approve", {"meeting_date": MEETING}),
         ("district_subcommittee", "approve", {"meeting_date": MEETING}),
         ("district_cancel", "cancel_in_system", {})]


def _file(db, kind, pid, me):
    """File a case-1 request as the producer, or start case 2 as district officer no. 9."""
    with unit_of_work(db) as s:
        if kind == "case1":
            return wf.submit_closure(s, me, pid, "เลิกผลิต", date(2024, 3, 31), now=NOW).request.id
        return wf.start_absent_closure(s, district_officer(n=9), pid, "ย้ายออกนอกพื้นที่", now=NOW).request.id


def _play(db, rid, playbook, actor):
    for step, action, kw in playbook:
        with unit_of_work(db) as s:
            wf.act(s, actor, rid, action, expected_step=step, now=NOW, **kw)


def test_case2_all_steps(db):
    pid, product_ids, _ = _setup(db)
    starter, officer = district_officer(n=9), district_officer(n=1)
    with unit_of_work(db) as s:
        out = wf.start_absent_closure(s, starter, pid, "ไม่ดำเนินการแล้ว", now=NOW)
        rid = out.request.id
        assert out.request.step == "fact_check"
        assert events(out.notices) == {(("district", CM_MUEANG), "submitted"),
                                       (("producer", pid), "submitted")}
    notices = []
    for step, action, kw in CASE2:
        with unit_of_work(db) as s:
            notices.append(wf.act(s, officer, rid, action, expected_step=step, now=NOW, **kw).notices)
    assert [events(n) for n in notices[:3]] == [{(("district", CM_MUEANG), "step_approved")}] * 3
    assert (("province", CM), "reported_to_province") in events(notices[3])
    with unit_of_work(db) as s:
        assert [(f, t, a) for f, t, a, _ in steps_of(s, rid)] == [
            (None, "fact_check", "submit"),
            ("fact_check", "network_committee", "record_fact_check"),
            ("network_committee", "district_subcommittee", "approve"),
            ("district_subcommittee", "district_cancel", "approve"),
            ("district_cancel", "done", "cancel_in_system")]
        req = s.get(Request, rid)
        assert req.status is RequestStatus.DONE
        assert req.steps[1].note == "ไม่พบที่ตั้ง" and req.steps[1].meeting_date == MEETING
        assert s.get(Producer, pid).status is RegistrationStatus.CLOSED
        assert audit_of(s, "producer", pid) == [("status", "active", "closed", officer.actor_id)]
        assert all(not s.get(Product, i).active for i in product_ids)


@pytest.mark.parametrize("kind,playbook", [("case1", CASE1), ("case2", CASE2)])
def test_reject_at_each_step(db, kind, playbook):
    officer = district_officer(n=1)
    for at in range(len(playbook)):
        pid, product_ids, me = _setup(db)
        rid = _file(db, kind, pid, me)
        _play(db, rid, playbook[:at], officer)
        step = playbook[at][0]
        with unit_of_work(db) as s:
            out = wf.reject(s, officer, rid, "เอกสารไม่ครบ", expected_step=step, now=NOW)
            assert events(out.notices) == {(("producer", pid), "rejected"),
                                           (("district", CM_MUEANG), "rejected")}
            assert out.notices[0].data["reason"] == "เอกสารไม่ครบ"
        with unit_of_work(db) as s:
            req = s.get(Request, rid)
            assert (req.status, req.step) == (RequestStatus.REJECTED, "rejected")
            assert steps_of(s, rid)[-1] == (step, "rejected", "reject", officer.actor_id)
            assert len(steps_of(s, rid)) == at + 2
            assert s.get(Producer, pid).status is RegistrationStatus.ACTIVE
            assert audit_of(s, "producer", pid) == []
            assert all(s.get(Product, i).active for i in product_ids)
            with pytest.raises(wf.AlreadyDone):
                wf.act(s, officer, rid, playbook[at][1], **playbook[at][2], now=NOW)


def test_reject_needs_a_reason(db):
    pid, _, me = _setup(db)
    rid = _file(db, "case1", pid, me)
    with unit_of_work(db) as s, pytest.raises(wf.ValidationError):
        wf.reject(s, district_officer(), rid, "  ")


def test_approval_needs_a_past_meeting_date(db):
    pid, _, me = _setup(db)
    rid = _file(db, "case1", pid, me)
    with unit_of_work(db) as s:
        with pytest.raises(wf.ValidationError):
            wf.act(s, district_officer(), rid, "approve", now=NOW)
        with pytest.raises(wf.ValidationError):
            wf.act(s, district_officer(), rid, "approve", meeting_date=date(2024, 3, 2), now=NOW)
        assert s.get(Request, rid).step == "district_subcommittee"


def test_fact_check_needs_a_note(db):
    pid, _, me = _setup(db)
    rid = _file(db, "case2", pid, me)
    with unit_of_work(db) as s, pytest.raises(wf.ValidationError):
        wf.act(s, district_officer(), rid, "record_fact_check", meeting_date=MEETING, now=NOW)


def test_withdraw_before_any_approval_only(db):
    pid, _, me = _setup(db)
    rid = _file(db, "case1", pid, me)
    with unit_of_work(db) as s:
        with pytest.raises(wf.NotAllowed):  # an officer cannot withdraw the producer's request
            wf.withdraw(s, district_officer(), rid)
        out = wf.withdraw(s, me, rid, "เปลี่ยนใจ", now=NOW)
        assert events(out.notices) == {(("district", CM_MUEANG), "withdrawn")}
    with unit_of_work(db) as s:
        req = s.get(Request, rid)
        assert (req.status, req.step) == (RequestStatus.CANCELLED, "cancelled")
        assert steps_of(s, rid)[-1] == ("district_subcommittee", "cancelled", "withdraw", me.actor_id)
        assert s.get(Producer, pid).status is RegistrationStatus.ACTIVE
    # a new request can now be filed; once approved, it can no longer be withdrawn
    rid2 = _file(db, "case1", pid, me)
    _play(db, rid2, CASE1[:1], district_officer())
    with unit_of_work(db) as s, pytest.raises(wf.InvalidTransition):
        wf.withdraw(s, me, rid2)


def test_one_open_request_per_producer(db):
    pid, _, me = _setup(db)
    rid = _file(db, "case1", pid, me)
    with unit_of_work(db) as s, pytest.raises(wf.ValidationError) as err:
        wf.submit_relocation(s, me, pid, "57", "5701")
    assert err.value.data["request_id"] == rid


def test_closed_producer_cannot_file(db):
    pid, _, me = _setup(db)
    rid = _file(db, "case1", pid, me)
    _play(db, rid, CASE1, district_officer())
    with unit_of_work(db) as s, pytest.raises(wf.ValidationError):
        wf.submit_closure(s, me, pid, "อีกครั้ง", date(2024, 4, 1))


# -- who may act ------------------------------------------------------------------------------

def test_self_approval_refused(db):
    pid, _, _ = _setup(db)
    starter = district_officer(n=9)
    with unit_of_work(db) as s:
        rid = wf.start_absent_closure(s, starter, pid, "ไม่อยู่แล้ว").request.id
    with unit_of_work(db) as s:
        with pytest.raises(wf.OwnRequest):
            wf.act(s, starter, rid, "record_fact_check", meeting_date=MEETING, note="x", now=NOW)
        with pytest.raises(wf.OwnRequest):
            wf.reject(s, starter, rid, "x")
        assert wf.available_actions(s.get(Request, rid), starter) == ["withdraw"]


def test_officer_filing_for_producer_cannot_approve(db):
    pid, _, _ = _setup(db)
    clerk = province_officer(n=3)
    with unit_of_work(db) as s:
        out = wf.submit_closure(s, clerk, pid, "ผู้ประกอบการยื่นกระดาษ", date(2024, 3, 31))
        assert (("producer", pid), "submitted") in events(out.notices)
        rid = out.request.id
    with unit_of_work(db) as s, pytest.raises(wf.OwnRequest):
        wf.act(s, clerk, rid, "approve", meeting_date=MEETING, now=NOW)


@pytest.mark.parametrize("actor,error", [
    (district_officer("5002"), wf.OutOfArea),
    (province_officer("57"), wf.OutOfArea),
    (central_admin(), wf.NotAllowed),
])
def test_out_of_area_and_central_refused(db, actor, error):
    pid, _, me = _setup(db)
    rid = _file(db, "case1", pid, me)
    with unit_of_work(db) as s:
        with pytest.raises(error):
            wf.act(s, actor, rid, "approve", meeting_date=MEETING, now=NOW)
        with pytest.raises(error):
            wf.reject(s, actor, rid, "ไม่ใช่พื้นที่")
        assert wf.available_actions(s.get(Request, rid), actor) == []
        assert steps_of(s, rid) == [(None, "district_subcommittee", "submit", me.actor_id)]


def test_province_officer_of_the_province_may_act(db):
    pid, _, me = _setup(db)
    rid = _file(db, "case1", pid, me)
    with unit_of_work(db) as s:
        officer = province_officer(CM)
        assert wf.available_actions(s.get(Request, rid), officer) == ["approve", "reject"]
        out = wf.act(s, officer, rid, "approve", meeting_date=MEETING, now=NOW)
        assert out.request.step == "district_cancel"
        assert (("producer", pid), "step_approved") in events(out.notices)
    with unit_of_work(db) as s:
        wf.act(s, officer, rid, "cancel_in_system", now=NOW)
    with unit_of_work(db) as s:
        assert [a for _, _, a, who in steps_of(s, rid) if who == officer.actor_id] == [
            "approve", "cancel_in_system"]
        assert audit_of(s, "producer", pid) == [("status", "active", "closed", officer.actor_id)]


def test_producer_cannot_act_on_committee_steps(db):
    pid, _, me = _setup(db)
    rid = _file(db, "case1", pid, me)
    with unit_of_work(db) as s:
        with pytest.raises(wf.NotAllowed) as err:
            wf.act(s, me, rid, "approve", meeting_date=MEETING, now=NOW)
        assert type(err.value) is wf.NotAllowed
        with pytest.raises(wf.NotAllowed):
            wf.reject(s, me, rid, "ไม่เอาแล้ว")
        assert wf.available_actions(s.get(Request, rid), me) == ["withdraw"]


def test_producer_cannot_file_for_another_producer(db):
    pid, _, _ = _setup(db)
    other_pid, _, other = _setup(db)
    with unit_of_work(db) as s, pytest.raises(wf.NotAllowed):
        wf.submit_closure(s, other, pid, "x", date(2024, 3, 31))
    with unit_of_work(db) as s, pytest.raises(wf.NotAllowed):
        wf.start_absent_closure(s, other, pid, "x")  # case 2 is for officers only


def test_stale_expected_step_refused(db):
    pid, _, me = _setup(db)
    rid = _file(db, "case1", pid, me)
    _play(db, rid, CASE1[:1], district_officer())
    with unit_of_work(db) as s:
        with pytest.raises(wf.StaleStep) as err:
            wf.act(s, district_officer(n=2), rid, "cancel_in_system",
                   expected_step="district_subcommittee", now=NOW)
        assert err.value.data["step"] == "district_cancel"
        with pytest.raises(wf.StaleStep):
            wf.reject(s, district_officer(n=2), rid, "x", expected_step="district_subcommittee")
        with pytest.raises(wf.InvalidTransition):  # approve is not an action of district_cancel
            wf.act(s, district_officer(n=2), rid, "approve", meeting_date=MEETING, now=NOW)
        assert len(steps_of(s, rid)) == 2


def test_starter_of_absent_closure_may_withdraw_it(db):
    pid, _, _ = _setup(db)
    starter = district_officer(n=9)
    with unit_of_work(db) as s:
        rid = wf.start_absent_closure(s, starter, pid, "ไม่อยู่แล้ว").request.id
    with unit_of_work(db) as s:
        out = wf.withdraw(s, starter, rid, "พบผู้ประกอบการแล้ว", now=NOW)
        assert events(out.notices) == {(("district", CM_MUEANG), "withdrawn"), (("producer", pid), "withdrawn")}
    with unit_of_work(db) as s:
        assert s.get(Request, rid).status is RequestStatus.CANCELLED
        assert steps_of(s, rid)[-1] == ("fact_check", "cancelled", "withdraw", starter.actor_id)
        assert audit_of(s, "producer", pid) == []
        with pytest.raises(wf.AlreadyDone):
            wf.withdraw(s, starter, rid)
