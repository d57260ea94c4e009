"""Producers' pending changes: propose, confirm (with audit), reject, supersede, concurrency."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from sqlalchemy import select

from factories import (CM, CM_CHOMTHONG, CM_MUEANG, audit_of, central_admin, district_officer,
                       producer, producer_actor, province_officer)
from models import (PendingChange, PendingChangeStatus, Producer, ProducerType, Product,
                    ProductStandard, Quadrant, unit_of_work)
from registry import pending
from registry import workflows as wf

VALID_ID = "1101700207030"


def _producer(db, district=CM_MUEANG):
    with unit_of_work(db) as s:
        p = producer(s, district)
        return p.id, p.products[0].id, producer_actor(p)


def _propose(db, me, entity, entity_id, field, value):
    with unit_of_work(db) as s:
        out = pending.propose(s, me, entity, entity_id, field, value)
        return out.change.id, out.notices


def test_confirm_national_id_keeps_validity_flag(db):
    pid, _, me = _producer(db)
    cid, notices = _propose(db, me, "producer", pid, "national_id", "1-1017-00207-03-0")
    assert [(n.audience, n.event) for n in notices] == [(("district", CM_MUEANG), "change_proposed")]
    assert notices[0].data["new_value"] == VALID_ID and notices[0].data["old_value"] is None
    with unit_of_work(db) as s:
        assert s.get(Producer, pid).national_id is None  # nothing written before confirmation
        assert [c.id for c in pending.pending_for_area(s, CM_MUEANG)] == [cid]
        assert [c.id for c in pending.pending_for_area(s, CM)] == [cid]
        assert pending.pending_for_area(s, CM_CHOMTHONG) == []
    officer = district_officer()
    with unit_of_work(db) as s:
        out = pending.confirm(s, officer, cid)
        assert [(n.audience, n.event) for n in out.notices] == [(("producer", pid), "change_confirmed")]
    with unit_of_work(db) as s:
        p, change = s.get(Producer, pid), s.get(PendingChange, cid)
        assert (p.national_id, p.national_id_valid) == (VALID_ID, True)
        assert (change.status, change.decided_by) == (PendingChangeStatus.CONFIRMED, officer.actor_id)
        assert audit_of(s, "producer", pid) == [("national_id", None, VALID_ID, officer.actor_id)]
        assert pending.pending_for_area(s, CM_MUEANG) == []


def test_an_id_another_active_record_holds_is_named_and_confirmed_only_knowingly(db):
    pid, _, me = _producer(db)
    with unit_of_work(db) as s:
        other = producer(s, CM_MUEANG)
        other.national_id, other_code = VALID_ID, other.code
    with unit_of_work(db) as s:
        out = pending.propose(s, me, "producer", pid, "national_id", VALID_ID)
        cid = out.change.id
        assert [h.code for h in out.duplicates] == [other_code]
        assert out.notices[0].data["duplicates"] == [other_code]
    officer = district_officer()
    with pytest.raises(pending.DuplicateNationalId) as refused, unit_of_work(db) as s:
        pending.confirm(s, officer, cid)
    assert [h.code for h in refused.value.data["holders"]] == [other_code]
    with unit_of_work(db) as s:  # nothing written, still waiting
        assert s.get(Producer, pid).national_id is None
        assert s.get(PendingChange, cid).status is PendingChangeStatus.PENDING
        pending.confirm(s, officer, cid, accept_duplicate=True)
    with unit_of_work(db) as s:
        assert s.get(Producer, pid).national_id == VALID_ID


def test_bad_national_id_refused_at_proposal(db):
    pid, _, me = _producer(db)
    with unit_of_work(db) as s:
        for bad in ("1101700207031", "12345"):
            with pytest.raises(wf.ValidationError):
                pending.propose(s, me, "producer", pid, "national_id", bad)


@pytest.mark.parametrize("entity,field,value,expected", [
    ("producer", "producer_type", "individual", ProducerType.INDIVIDUAL),
    ("product", "category", "FOOD", "food"),
    ("product", "quadrant", "QA", Quadrant.A),
])
def test_confirm_enum_fields(db, entity, field, value, expected):
    pid, product_id, me = _producer(db)
    entity_id = pid if entity == "producer" else product_id
    cid, _ = _propose(db, me, entity, entity_id, field, value)
    officer = province_officer(CM)  # province officers of the province may confirm too
    with unit_of_work(db) as s:
        pending.confirm(s, officer, cid)
    with unit_of_work(db) as s:
        record = s.get(Producer if entity == "producer" else Product, entity_id)
        assert getattr(record, field) == expected
        old = {"producer_type": "group", "category": "textile", "quadrant": "B"}[field]
        assert audit_of(s, entity, entity_id) == [(field, old, str(getattr(record, field).value),
                                                   officer.actor_id)]


def test_confirm_standard_creates_row(db):
    _, product_id, me = _producer(db)
    value = {"scheme": "อย.", "number": "50-2-01358-2-0012", "issued_on": "1/2/2567",
             "expires_on": "2027-02-01"}
    cid, notices = _propose(db, me, "product", product_id, "standard", value)
    stored = json.loads(notices[0].data["new_value"])
    assert stored["issued_on"] == "2024-02-01"  # BE date normalised
    officer = district_officer()
    with unit_of_work(db) as s:
        pending.confirm(s, officer, cid)
    with unit_of_work(db) as s:
        rows = s.scalars(select(ProductStandard).where(ProductStandard.product_id == product_id,
                                                       ProductStandard.scheme == "อย.")).all()
        assert [(r.number, r.issued_on, r.expires_on) for r in rows] == [
            ("50-2-01358-2-0012", date(2024, 2, 1), date(2027, 2, 1))]
        [(field, old, new, actor)] = audit_of(s, "product", product_id)
        assert (field, old, actor) == ("standard", None, officer.actor_id)
        assert json.loads(new)["number"] == "50-2-01358-2-0012"


@pytest.mark.parametrize("value", [{"scheme": "มผช."}, "not json", {"scheme": "อย.", "number": "1",
                                   "issued_on": "2024-02-01", "expires_on": "2023-01-01"}])
def test_bad_standard_refused(db, value):
    _, product_id, me = _producer(db)
    with unit_of_work(db) as s, pytest.raises(wf.ValidationError):
        pending.propose(s, me, "product", product_id, "standard", value)


def test_reject_tells_producer_and_writes_nothing(db):
    pid, _, me = _producer(db)
    cid, _ = _propose(db, me, "producer", pid, "producer_type", "sme")
    with unit_of_work(db) as s:
        with pytest.raises(wf.ValidationError):
            pending.reject(s, district_officer(), cid, " ")
        out = pending.reject(s, district_officer(), cid, "ไม่มีหลักฐานจดทะเบียน SMEs")
        assert [(n.audience, n.event) for n in out.notices] == [(("producer", pid), "change_rejected")]
        assert out.notices[0].data["note"] == "ไม่มีหลักฐานจดทะเบียน SMEs"
    with unit_of_work(db) as s:
        assert s.get(Producer, pid).producer_type is ProducerType.GROUP
        assert s.get(PendingChange, cid).status is PendingChangeStatus.REJECTED
        assert audit_of(s, "producer", pid) == []
        with pytest.raises(wf.AlreadyDone):
            pending.confirm(s, district_officer(), cid)


def test_newer_proposal_supersedes_waiting_one(db):
    pid, _, me = _producer(db)
    first, _ = _propose(db, me, "producer", pid, "producer_type", "sme")
    second, _ = _propose(db, me, "producer", pid, "producer_type", "individual")
    with unit_of_work(db) as s:
        assert s.get(PendingChange, first).status is PendingChangeStatus.REJECTED
        assert s.get(PendingChange, first).note == f"superseded by #{second}"
        assert [c.id for c in pending.pending_for_area(s, CM_MUEANG)] == [second]


@pytest.mark.parametrize("who,error", [
    (district_officer(CM_CHOMTHONG), wf.OutOfArea),
    (province_officer("57"), wf.OutOfArea),
    (central_admin(), wf.NotAllowed),
])
def test_who_may_decide(db, who, error):
    pid, _, me = _producer(db)
    cid, _ = _propose(db, me, "producer", pid, "producer_type", "sme")
    with unit_of_work(db) as s:
        with pytest.raises(error):
            pending.confirm(s, who, cid)
        with pytest.raises(error):
            pending.reject(s, who, cid, "x")
        with pytest.raises(wf.OwnRequest):
            pending.confirm(s, me, cid)
        assert s.get(PendingChange, cid).status is PendingChangeStatus.PENDING


def test_only_the_producer_proposes_for_own_records(db):
    pid, product_id, _ = _producer(db)
    _, _, stranger = _producer(db)
    with unit_of_work(db) as s:
        with pytest.raises(wf.NotAllowed):
            pending.propose(s, stranger, "product", product_id, "quadrant", "A")
        with pytest.raises(wf.NotAllowed):
            pending.propose(s, district_officer(), "producer", pid, "producer_type", "sme")
        with pytest.raises(wf.ValidationError):  # not a proposable field
            pending.propose(s, producer_actor(s.get(Producer, pid)), "producer", pid, "name", "x")
        with pytest.raises(wf.ValidationError):  # no change
            pending.propose(s, producer_actor(s.get(Producer, pid)), "producer", pid, "producer_type", "group")


def test_concurrent_confirm_applies_once(db):
    pid, _, me = _producer(db)
    cid, _ = _propose(db, me, "producer", pid, "national_id", VALID_ID)
    barrier = threading.Barrier(2)

    def confirm(officer):
        barrier.wait(10)
        try:
            with unit_of_work(db) as s:
                pending.confirm(s, officer, cid)
            return "ok"
        except wf.WorkflowError as exc:
            return type(exc)

    officers = [district_officer(n=1), province_officer(CM)]
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(confirm, officers))
    assert sorted(map(str, results)) == sorted(["ok", str(wf.AlreadyDone)])
    winner = officers[results.index("ok")].actor_id
    with unit_of_work(db) as s:
        assert audit_of(s, "producer", pid) == [("national_id", None, VALID_ID, winner)]
        assert s.get(PendingChange, cid).decided_by == winner


def test_count_and_page_agree_with_the_full_list(db):
    """The officer's list pages with SQL (LIMIT, a window count, the record's name joined in):
    the same changes, order, names and total as `pending_for_area` and a lookup per record."""
    pid, product_id, me = _producer(db)
    pid2, _, me2 = _producer(db)
    other_pid, _, other = _producer(db, CM_CHOMTHONG)
    with unit_of_work(db) as s:
        s.get(Producer, pid2).name = ""  # an empty name shows the code, as `name or code` did
    ids = [_propose(db, me, "producer", pid, "producer_type", "sme")[0],
           _propose(db, me, "product", product_id, "quadrant", "QA")[0],
           _propose(db, me2, "producer", pid2, "producer_type", "sme")[0],
           _propose(db, other, "producer", other_pid, "producer_type", "sme")[0]]
    for n in range(3):  # several standards wait side by side
        ids.append(_propose(db, me, "product", product_id, "standard",
                            {"scheme": "มผช.", "number": f"10{n}/2566"})[0])
    with unit_of_work(db) as s:
        s.get(PendingChange, ids[0]).status = PendingChangeStatus.CONFIRMED  # decided: not listed
    with unit_of_work(db) as s:
        for area in (CM_MUEANG, CM, CM_CHOMTHONG, "57"):
            full = pending.pending_for_area(s, area)
            assert pending.count_for_area(s, area) == len(full)

            def name(c):
                record = s.get(Producer if c.entity == "producer" else Product, c.entity_id)
                return record.name or record.code

            expected = [(c.id, c.entity, c.entity_id, c.field, c.old_value, c.new_value, name(c)) for c in full]
            for offset, limit in ((0, 10), (0, 2), (2, 2), (4, 2), (len(full), 10), (20, 10)):
                total, page = pending.waiting_page(s, area, offset=offset, limit=limit)
                assert total == len(full)
                assert [(w.id, w.entity, w.entity_id, w.field, w.old_value, w.new_value, w.record_name)
                        for w in page] == expected[offset:offset + limit]
        assert pending.count_for_area(s, CM_MUEANG) == 5
        assert [w.record_name for w in pending.waiting_page(s, CM_MUEANG, offset=0, limit=10)[1]][1] == \
            s.get(Producer, pid2).code
