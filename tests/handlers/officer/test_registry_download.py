"""The registry export behind a download link is built in a separate process and served from
disk: 202 and a self-refreshing Thai page first, then the file; keyed on the registry's
version; one build at a time; expired links start nothing; a failed build says so."""

from __future__ import annotations

import io
import threading
import time
from urllib.parse import urlparse

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select, text, update
from sqlalchemy.engine import Engine

from bot import export_files
from bot.downloads import MIME
from handlers.officer import links
from models import ChuanchimShop, Producer, Product, unit_of_work
from registry.completeness import area_filter
from tests.handlers.officer.helpers import CENTRAL, data_of, follow_download, officers, signed_in
from tests.registry import factories as f

PREPARING = "กำลังเตรียมไฟล์"
FAILED = "เตรียมไฟล์ไม่สำเร็จ"


@pytest.fixture
def registry(db):
    """Chiang Mai (two districts, a ชวนชิม shop, an inactive product) and Chiang Rai."""
    officers(db)
    with unit_of_work(db) as s:
        f.producer(s, "5001", products=2)
        p = f.producer(s, "5002", products=2)
        f.producer(s, "5701", products=1)
        s.add(ChuanchimShop(code="CC-1", name="ร้านข้าวซอยทดสอบ", province_code="50", district_code="5001",
                            subdistrict_code="500101"))
        s.flush()
        s.execute(update(Product).where(Product.producer_id == p.id, Product.code.endswith("-1"))
                  .values(active=False))
    return db


def _token(settings, area: str | None) -> str:  # type: ignore[no-untyped-def]
    return f"/download/{links.make_token(settings.signing_key, 'registry', area, 'xlsx')}"


def _counts(db, area: str | None) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Rows the export must hold: every producer, active products, active shops."""
    with db() as s:
        def n(model, *where):  # type: ignore[no-untyped-def]
            t = model.__table__
            return s.scalar(select(func.count()).select_from(t).where(area_filter(t, area), *where))

        return {"producers": n(Producer), "products": n(Product, Product.active.is_(True)),
                "chuanchim": n(ChuanchimShop, ChuanchimShop.active.is_(True))}


def _rows(resp) -> dict[str, int]:  # type: ignore[no-untyped-def]
    assert resp.status_code == 200, resp.get_data(as_text=True)
    wb = load_workbook(io.BytesIO(resp.data), read_only=True)
    return {ws.title: sum(1 for _ in ws.iter_rows()) - 1 for ws in wb.worksheets}  # no dimensions stored


def _files(settings) -> list[str]:  # type: ignore[no-untyped-def]
    folder = export_files.exports_dir(settings.media_dir)
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def _wait_idle(settings, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    """Until no build holds a lock (a test leaves no process behind)."""
    deadline = time.monotonic() + timeout
    while any(n.endswith(".lock") for n in _files(settings)):
        assert time.monotonic() < deadline, _files(settings)
        time.sleep(0.1)


def test_the_national_export_is_built_in_the_background_then_served(line_client, registry, app, settings):
    got = line_client.say(CENTRAL, "รายงานทั้งประเทศ")
    path = urlparse(data_of(got, "ข้อมูลทะเบียน Excel")).path
    client = signed_in(app)
    first = client.get(path)
    page = first.get_data(as_text=True)
    assert first.status_code == 202 and first.headers["X-Export-Build"] == "started"
    assert f"<title>{PREPARING}</title>" in page and "ทั้งประเทศ" in page and "ค่ะ" in page
    assert '<meta http-equiv="refresh" content="5; url=?since=' in page
    assert first.headers["Cache-Control"] == "no-store"
    resp = follow_download(client, path)
    assert resp.mimetype == MIME["xlsx"]
    assert resp.headers["Content-Disposition"].startswith("attachment; filename=otop-registry-TH-")
    assert _rows(resp) == _counts(registry, None) == {"producers": 3, "products": 4, "chuanchim": 1}
    _wait_idle(settings)
    files = _files(settings)
    assert len(files) == 1 and files[0].startswith("registry-TH-v") and files[0].endswith(".xlsx"), files
    # the next click is served at once from the file, without a build
    again = client.get(path)
    assert again.status_code == 200 and again.data == resp.data
    assert _files(settings) == files


def test_a_change_in_the_area_is_never_served_the_old_file(registry, app, settings):
    client, path = signed_in(app), _token(settings, "50")
    first = client.get(path)  # a province's file takes seconds: the page looks again sooner
    assert first.status_code == 202 and '<meta http-equiv="refresh" content="2; url=?since=' in first.text
    before = _rows(follow_download(client, path))
    assert before == _counts(registry, "50") == {"producers": 2, "products": 3, "chuanchim": 1}
    _wait_idle(settings)
    old = _files(settings)
    # a new producer in another province (no list rows: those would bump the whole registry)
    # does not touch Chiang Mai's versions: the file is still current
    with unit_of_work(registry) as s:
        f.producer(s, "5701", products=0, children=False)
    assert client.get(path).status_code == 200
    # an edit in Chom Thong, as the app makes it (the ORM flush bumps the district's version)
    with unit_of_work(registry) as s:
        f.producer(s, "5002", products=2)
    resp = client.get(path)
    assert resp.status_code == 202 and resp.headers["X-Export-Build"] == "started"
    after = _rows(follow_download(client, path))
    assert after == _counts(registry, "50") == {"producers": 3, "products": 5, "chuanchim": 1}
    _wait_idle(settings)
    new = _files(settings)
    assert len(new) == 1 and new != old  # the old version was removed by the new build


def test_the_waiting_page_gets_a_file_built_after_it_asked(registry, app, settings):
    """At national scale the registry may change before a build finishes: the page that asked
    before the build started gets that file all the same; a new click does not."""
    client, path = signed_in(app), _token(settings, "5001")
    first = client.get(path)
    assert first.status_code == 202
    assert _rows(follow_download(client, path)) == _counts(registry, "5001")
    _wait_idle(settings)
    since = first.get_data(as_text=True).split("url=?since=")[1].split('"')[0]
    with unit_of_work(registry) as s:
        f.producer(s, "5001", products=1)
    assert client.get(f"{path}?since={since}").status_code == 200
    fresh = client.get(path)
    assert fresh.status_code == 202 and fresh.headers["X-Export-Build"] == "started"
    assert _rows(follow_download(client, path)) == _counts(registry, "5001")
    _wait_idle(settings)


def test_two_requests_at_once_start_one_build(registry, app, settings):
    path = _token(settings, None)
    barrier = threading.Barrier(2)
    answers: list = []

    def ask() -> None:
        client = signed_in(app)
        barrier.wait()
        answers.append(client.get(path))

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [a.status_code for a in answers] == [202, 202]
    assert sorted(a.headers["X-Export-Build"] for a in answers) == ["running", "started"]
    later = signed_in(app).get(path)
    assert later.status_code == 202 and later.headers["X-Export-Build"] == "running"
    assert sum(n.endswith(".lock") for n in _files(settings)) == 1
    assert _rows(follow_download(signed_in(app), path)) == _counts(registry, None)
    _wait_idle(settings)
    assert [n for n in _files(settings) if n.endswith(".xlsx")] == _files(settings)


def test_expired_or_tampered_links_start_nothing(registry, app, settings, monkeypatch):
    from itsdangerous.timed import TimestampSigner

    real = time.time
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(real()) - 2 * 86400)
    expired = _token(settings, None)
    monkeypatch.undo()
    resp = app.test_client().get(expired)
    assert resp.status_code == 403 and "หมดอายุ" in resp.get_data(as_text=True)
    good = _token(settings, "50")
    forged = good[:-3] + ("BBB" if good.endswith("AAA") else "AAA")
    resp = app.test_client().get(forged)
    assert resp.status_code == 403 and "ไม่ถูกต้อง" in resp.get_data(as_text=True)
    other_key = f"/download/{links.make_token('not-the-key', 'registry', None, 'xlsx')}"
    assert app.test_client().get(other_key).status_code == 403
    time.sleep(0.5)
    assert not export_files.exports_dir(settings.media_dir).exists()


def _failure_page(resp) -> None:  # type: ignore[no-untyped-def]
    page = resp.get_data(as_text=True)
    assert resp.status_code == 503 and f"<title>{FAILED}</title>" in page and "ผู้ดูแลระบบ" in page
    assert "refresh" not in page


def test_a_failing_build_says_so_and_leaves_no_file(registry, app, settings, engine: Engine):
    """The export fails part-way (a table it reads is gone): the waiting page stops on a
    failure page, no file, lock or temporary folder is left; the next click builds again."""
    client, path = signed_in(app), _token(settings, "50")
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE chuanchim_shops RENAME TO chuanchim_shops_away"))
    try:
        assert client.get(path).status_code == 202
        _failure_page(follow_download(client, path))
        _wait_idle(settings)
        assert _files(settings) == ["registry-50.failed"]
    finally:
        with engine.begin() as conn:
            conn.execute(text("ALTER TABLE chuanchim_shops_away RENAME TO chuanchim_shops"))
    retry = client.get(path)
    assert retry.status_code == 202 and retry.headers["X-Export-Build"] == "started"
    assert _rows(follow_download(client, path)) == _counts(registry, "50")
    _wait_idle(settings)
    assert [n for n in _files(settings) if not n.endswith(".xlsx")] == []


def test_a_build_process_that_cannot_start_is_reported(registry, app, settings, engine: Engine):
    """The build process refuses to run (the database is not at this code's schema) and never
    records anything itself: the web process notices its exit and records the failure."""
    client, path = signed_in(app), _token(settings, "5001")
    with engine.begin() as conn:
        real = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        conn.execute(text("UPDATE alembic_version SET version_num = 'not_this_code'"))
    try:
        assert client.get(path).status_code == 202
        _failure_page(follow_download(client, path))
    finally:
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": real})
    assert _files(settings) == ["registry-5001.failed"]


def test_a_lock_whose_build_process_is_gone_does_not_keep_the_area_waiting(registry, app, settings):
    """A build that died together with the web process that started it leaves its lock (no one
    records the failure): the next request sees that the process the lock names is gone and
    builds again at once, instead of waiting for the lock to be 15 minutes old."""
    import json
    import socket
    import subprocess
    import sys

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    folder = export_files.exports_dir(settings.media_dir)
    folder.mkdir(parents=True, exist_ok=True)
    lock = folder / "registry-50.lock"
    lock.write_text(json.dumps({"token": "dead", "pid": int(gone.stdout), "host": socket.gethostname(),
                                "at": export_files.now_ms()}))
    path = _token(settings, "50")
    first = signed_in(app).get(path)
    assert first.status_code == 202 and first.headers["X-Export-Build"] == "started"
    # while the build it started runs, its lock names that live process: others wait for it
    again = signed_in(app).get(path)
    assert again.status_code in (200, 202)
    if again.status_code == 202:
        assert again.headers["X-Export-Build"] == "running"
    assert _rows(follow_download(signed_in(app), path)) == _counts(registry, "50")
    _wait_idle(settings)
