"""Officers' pending lists, overdue flagging with a fixed `now`, and where a request stands."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from factories import (CM, CM_CHOMTHONG, CM_MUEANG, CR, CR_MUEANG, central_admin, district_officer,
                       producer, producer_actor, province_officer)
from models import unit_of_work
from registry import workflows as wf

NOW = datetime(2024, 3, 1, 3, 0, tzinfo=timezone.utc)
MEETING = date(2023, 12, 1)


def _scenario(db):
    """Four open requests filed at different dates, one done; returns their ids by name."""
    ids = {}
    with unit_of_work(db) as s:
        a, b, c, d = (producer(s, CM_MUEANG), producer(s, CM_MUEANG), producer(s, CM_CHOMTHONG),
                      producer(s, CM_MUEANG))
        e = producer(s, CR_MUEANG)
        ids["old_closure"] = wf.submit_closure(s, producer_actor(a), a.id, "x", date(2024, 1, 1),
                                               now=NOW - timedelta(days=40)).request.id
        ids["fresh_closure"] = wf.submit_closure(s, producer_actor(b), b.id, "x", date(2024, 3, 1),
                                                 now=NOW - timedelta(days=2)).request.id
        ids["chomthong_absent"] = wf.start_absent_closure(s, district_officer(CM_CHOMTHONG, 9), c.id, "x",
                                                          now=NOW - timedelta(days=20)).request.id
        ids["moving_to_cr"] = wf.submit_relocation(s, producer_actor(d), d.id, CR, CR_MUEANG,
                                                   now=NOW - timedelta(days=50)).request.id
        ids["done"] = wf.submit_closure(s, producer_actor(e), e.id, "x", date(2024, 1, 1),
                                        now=NOW - timedelta(days=90)).request.id
    with unit_of_work(db) as s:
        # the relocation is now waiting on Chiang Rai since 31 days
        wf.act(s, district_officer(CM_MUEANG), ids["moving_to_cr"], "cancel_in_system",
               now=NOW - timedelta(days=31))
        officer = district_officer(CR_MUEANG)
        wf.act(s, officer, ids["done"], "approve", meeting_date=MEETING, now=NOW - timedelta(days=80))
        wf.act(s, officer, ids["done"], "cancel_in_system", now=NOW - timedelta(days=80))
    return ids


def test_pending_lists_by_acting_area(db):
    ids = _scenario(db)
    with unit_of_work(db) as s:
        def listed(area):
            return [(r.request_id, r.days_at_step) for r in wf.pending_requests(s, area, now=NOW)]

        assert listed(CM_MUEANG) == [(ids["old_closure"], 40), (ids["fresh_closure"], 2)]
        assert listed(CM_CHOMTHONG) == [(ids["chomthong_absent"], 20)]
        assert listed(CM) == [(ids["old_closure"], 40), (ids["chomthong_absent"], 20),
                              (ids["fresh_closure"], 2)]
        # the relocation waits on the new district, not on the old one
        assert listed(CR_MUEANG) == [(ids["moving_to_cr"], 31)]
        assert listed(CR) == [(ids["moving_to_cr"], 31)]
        everything = wf.pending_requests(s, None, now=NOW)
        assert len(everything) == 4
        moving = [r for r in everything if r.request_id == ids["moving_to_cr"]][0]
        assert (moving.step, moving.days_open, moving.district_code) == ("new_district_register", 50, CR_MUEANG)


def test_overdue_with_fixed_now(db):
    ids = _scenario(db)
    with unit_of_work(db) as s:
        def overdue(days, area=None, now=NOW):
            return [r.request_id for r in wf.overdue_requests(s, older_than_days=days, area_code=area, now=now)]

        assert overdue(30) == [ids["old_closure"], ids["moving_to_cr"]]
        assert overdue(30, CM) == [ids["old_closure"]]
        assert overdue(30, CR_MUEANG) == [ids["moving_to_cr"]]
        assert overdue(15) == [ids["old_closure"], ids["moving_to_cr"], ids["chomthong_absent"]]
        assert overdue(45) == []
        assert overdue(30, now=NOW - timedelta(days=10)) == []  # the clock decides, not the wall time
        assert ids["done"] not in overdue(0) and len(overdue(0)) == 4


def test_pending_page_is_a_slice_of_the_list_with_its_counts(db):
    """The officer's list is paged by SQL, the size and the overdue count taken by window
    aggregates: the same as slicing and counting `pending_requests` (overdue: days_at_step >
    overdue_days, with the 40-day request exactly on the boundary of 39)."""
    _scenario(db)
    with unit_of_work(db) as s:
        for area in (CM_MUEANG, CM, CM_CHOMTHONG, CR, CR_MUEANG, "57", None):
            full = wf.pending_requests(s, area, now=NOW)
            for overdue_days in (0, 1, 19, 20, 30, 39, 40, 100):
                for offset, limit in ((0, 10), (0, 1), (1, 1), (1, 2), (len(full), 10), (10, 10)):
                    page = wf.pending_page(s, area, now=NOW, offset=offset, limit=limit, overdue_days=overdue_days)
                    assert page.total == len(full)
                    assert page.overdue == sum(1 for r in full if r.days_at_step > overdue_days)
                    assert [summary for summary, _ in page.items] == full[offset:offset + limit]
                    assert [request.id for _, request in page.items] == [r.request_id for r in full[offset:offset + limit]]
        # one second short of 40 days at the step is 39 days: not over 39
        assert wf.pending_page(s, CM_MUEANG, now=NOW - timedelta(seconds=1), offset=0, limit=10,
                               overdue_days=39).overdue == 0
        assert wf.pending_page(s, CM_MUEANG, now=NOW, offset=0, limit=10, overdue_days=39).overdue == 1


def test_request_status_history_and_visibility(db):
    ids = _scenario(db)
    rid = ids["moving_to_cr"]
    with unit_of_work(db) as s:
        view = wf.request_status(s, rid)
        assert (view.kind, view.status, view.step) == ("relocation", "open", "new_district_register")
        assert [(h.action, h.from_step, h.to_step) for h in view.history] == [
            ("submit", None, "old_district_cancel"),
            ("cancel_in_system", "old_district_cancel", "new_district_register")]
        assert view.history[1].at == NOW - timedelta(days=31)
        assert view.target == {"province_code": CR, "district_code": CR_MUEANG, "subdistrict_code": None}
        assert wf.request_status(s, rid, district_officer(CR_MUEANG)).next_actions == ["register", "reject"]
        assert wf.request_status(s, rid, district_officer(CM_MUEANG)).next_actions == []
        assert wf.request_status(s, rid, central_admin()).next_actions == []
        with pytest.raises(wf.OutOfArea):
            wf.request_status(s, rid, district_officer(CM_CHOMTHONG))
        with pytest.raises(wf.OutOfArea):
            wf.request_status(s, rid, province_officer("10"))
        with pytest.raises(wf.NotFound):
            wf.request_status(s, 999999)
        other = producer(s, CM_MUEANG)
        with pytest.raises(wf.NotAllowed):
            wf.request_status(s, rid, producer_actor(other))


def test_labels_cover_every_step_and_action():
    for machine in wf.MACHINES.values():
        for step, actions in machine.steps.items():
            assert step in wf.STEP_LABELS
            for action, transition in actions.items():
                assert action in wf.ACTION_LABELS and transition.to in wf.STEP_LABELS
                assert all(event in wf.EVENT_LABELS for _, event in transition.notify)
    for error in (wf.NotAllowed, wf.OwnRequest, wf.OutOfArea, wf.StaleStep, wf.AlreadyDone,
                  wf.InvalidTransition, wf.ValidationError, wf.NotFound):
        assert error.code in wf.ERROR_MESSAGES
