"""Relocation: the old district cancels, the new district registers; copies and links checked."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from factories import (CM, CM_CHOMTHONG, CM_MUEANG, CR, CR_MUEANG, SUB, audit_of, count_rows,
                       district_officer, events, link_account, producer, producer_actor,
                       province_officer, steps_of)
from models import (LineAccount, Producer, Product, ProductPhoto, ProductStandard,
                    RegistrationStatus, Request, RequestStatus, StarRating, StatusChange,
                    unit_of_work)
from registry import workflows as wf

NOW = datetime(2024, 3, 1, 3, 0, tzinfo=timezone.utc)
CHILDREN = ("projects", "star_ratings", "sales_channels", "funding_sources",
            "government_support", "shipping_methods")
SKIP = {"id", "producer_id"}


def _rows(items):
    """Child rows as comparable tuples of their columns, minus ids."""
    return sorted(tuple((k, v) for k, v in vars(i).items() if not k.startswith("_") and k not in SKIP)
                  for i in items)


@pytest.mark.parametrize("target_province,target_district", [(CM, CM_CHOMTHONG), (CR, CR_MUEANG)])
def test_relocation_all_the_way(db, target_province, target_district):
    with unit_of_work(db) as s:
        old = producer(s, national_id="1101700207030")
        link_account(s, old)
        pid, me, product_ids = old.id, producer_actor(old), [p.id for p in old.products]
    old_officer, new_officer = district_officer(CM_MUEANG), district_officer(target_district)
    with unit_of_work(db) as s:
        out = wf.submit_relocation(s, me, pid, target_province, target_district,
                                   SUB[target_district], "ย้ายไปอยู่กับลูก", now=NOW)
        rid = out.request.id
        assert out.request.step == "old_district_cancel"
        assert events(out.notices) == {(("district", CM_MUEANG), "submitted")}
    with unit_of_work(db) as s:
        # the new district cannot cancel the old registration
        with pytest.raises(wf.OutOfArea):
            wf.act(s, new_officer, rid, "cancel_in_system", now=NOW)
    with unit_of_work(db) as s:
        out = wf.act(s, old_officer, rid, "cancel_in_system", expected_step="old_district_cancel", now=NOW)
        assert events(out.notices) == {(("producer", pid), "cancelled_in_system"),
                                       (("district", CM_MUEANG), "cancelled_in_system"),
                                       (("district", target_district), "relocation_handover")}
        assert s.get(Producer, pid).status is RegistrationStatus.MOVED
    with unit_of_work(db) as s:
        # now only the new district (or its province) may act
        with pytest.raises(wf.OutOfArea):
            wf.act(s, old_officer, rid, "register", now=NOW)
        if target_province != CM:
            with pytest.raises(wf.OutOfArea):
                wf.act(s, province_officer(CM), rid, "register", now=NOW)
        assert wf.available_actions(s.get(Request, rid), new_officer) == ["register", "reject"]
    with unit_of_work(db) as s:
        out = wf.act(s, new_officer, rid, "register", expected_step="new_district_register", now=NOW)
        new_id = out.request.new_producer_id
        assert new_id is not None and new_id != pid
        assert events(out.notices) == {(("producer", new_id), "registered"),
                                       (("district", CM_MUEANG), "registered"),
                                       (("district", target_district), "registered")}
        assert out.notices[0].data["new_producer_id"] == new_id
    with unit_of_work(db) as s:
        req, old, new = s.get(Request, rid), s.get(Producer, pid), s.get(Producer, new_id)
        assert (req.status, req.step) == (RequestStatus.DONE, "done")
        assert [(f, t, a) for f, t, a, _ in steps_of(s, rid)] == [
            (None, "old_district_cancel", "submit"),
            ("old_district_cancel", "new_district_register", "cancel_in_system"),
            ("new_district_register", "done", "register")]
        # the new registration: new area, new code, linked, same data
        assert (new.province_code, new.district_code, new.subdistrict_code) == (
            target_province, target_district, SUB[target_district])
        assert new.previous_id == pid and new.code != old.code
        assert new.status is RegistrationStatus.ACTIVE and old.status is RegistrationStatus.MOVED
        for name in ("name", "producer_type", "owner_name", "national_id", "phone", "export_sales",
                     "local_labour"):
            assert getattr(new, name) == getattr(old, name), name
        assert new.address is None  # the old street address is wrong in the new place
        for name in CHILDREN:
            assert getattr(old, name), name  # the old registration keeps its history
            assert _rows(getattr(new, name)) == _rows(getattr(old, name)), name
        assert count_rows(s, StarRating) == 4
        # products moved, with their photos and standards, into the new area
        assert old.products == []
        assert sorted(p.id for p in new.products) == product_ids
        for product in new.products:
            assert (product.province_code, product.district_code, product.subdistrict_code) == (
                target_province, target_district, SUB[target_district])
            assert product.active and product.photos and product.standards
            moved = [("producer_id", str(pid), str(new_id)), ("province_code", CM, target_province),
                     ("district_code", CM_MUEANG, target_district),
                     ("subdistrict_code", SUB[CM_MUEANG], SUB[target_district])]
            assert audit_of(s, "product", product.id) == [
                (f, o, n, new_officer.actor_id) for f, o, n in moved if o != n]
        assert count_rows(s, ProductPhoto) == 2 and count_rows(s, ProductStandard) == 2
        # status history: old active -> moved, new (none) -> active, both tied to the request
        history = s.scalars(select(StatusChange).order_by(StatusChange.id)).all()
        assert [(h.producer_id, h.old_status, h.new_status, h.request_id) for h in history] == [
            (pid, RegistrationStatus.ACTIVE, RegistrationStatus.MOVED, rid),
            (new_id, None, RegistrationStatus.ACTIVE, rid)]
        assert audit_of(s, "producer", pid) == [("status", "active", "moved", old_officer.actor_id)]
        assert audit_of(s, "producer", new_id) == [
            ("previous_id", None, str(pid), new_officer.actor_id),
            ("line_account", None, me.actor_id, new_officer.actor_id)]
        # the producer's LINE account follows the registration
        assert s.get(LineAccount, me.actor_id).producer_id == new_id
        # ... and can still see the request
        view = wf.request_status(s, rid, producer_actor(new, me.actor_id))
        assert view.status == "done" and view.new_producer_id == new_id


def test_reject_at_new_district_reinstates_old_registration(db):
    with unit_of_work(db) as s:
        old = producer(s)
        pid, me = old.id, producer_actor(old)
    with unit_of_work(db) as s:
        rid = wf.submit_relocation(s, me, pid, CR, CR_MUEANG).request.id
    with unit_of_work(db) as s:
        wf.act(s, district_officer(CM_MUEANG), rid, "cancel_in_system", now=NOW)
    new_officer = district_officer(CR_MUEANG)
    with unit_of_work(db) as s:
        out = wf.reject(s, new_officer, rid, "ไม่พบสถานที่ผลิตใหม่", expected_step="new_district_register", now=NOW)
        assert events(out.notices) == {(("producer", pid), "rejected"), (("district", CM_MUEANG), "rejected")}
    with unit_of_work(db) as s:
        assert s.get(Request, rid).status is RequestStatus.REJECTED
        assert s.get(Producer, pid).status is RegistrationStatus.ACTIVE
        assert audit_of(s, "producer", pid) == [
            ("status", "active", "moved", district_officer(CM_MUEANG).actor_id),
            ("status", "moved", "active", new_officer.actor_id)]
        assert count_rows(s, Producer) == 1
        assert all(p.district_code == CM_MUEANG for p in s.scalars(select(Product)))


def test_reject_at_old_district(db):
    with unit_of_work(db) as s:
        old = producer(s)
        pid, me = old.id, producer_actor(old)
    with unit_of_work(db) as s:
        rid = wf.submit_relocation(s, me, pid, CM, CM_CHOMTHONG).request.id
    with unit_of_work(db) as s:
        out = wf.reject(s, province_officer(CM), rid, "ยังค้างเอกสาร", now=NOW)
        assert (("producer", pid), "rejected") in events(out.notices)
    with unit_of_work(db) as s:
        assert s.get(Request, rid).status is RequestStatus.REJECTED
        assert s.get(Producer, pid).status is RegistrationStatus.ACTIVE
        assert audit_of(s, "producer", pid) == []


@pytest.mark.parametrize("target", [
    ("57", "5001", None),  # district of another province
    ("50", "5001", None),  # the current district
    ("50", "5002", "570101"),  # sub-district outside the district
    ("99", "9999", None),  # unknown codes
])
def test_relocation_target_validated(db, target):
    with unit_of_work(db) as s:
        old = producer(s)
        with pytest.raises(wf.ValidationError):
            wf.submit_relocation(s, producer_actor(old), old.id, *target)
        assert count_rows(s, Request) == 0
