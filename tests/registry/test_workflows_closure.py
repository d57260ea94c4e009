"""Closure, case 1 (producer present) and case 2 (producer gone): every path, every step."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from factories import (CM, CM_MUEANG, audit_of, district_officer, events, producer,
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
