"""The fast start (issue 18, `bot.app:serve()`): healthy and storing webhook events while the
bot loads in the background, then handling what was stored; and the national answers warmed
before the bot serves, so that the first national answer after start is a cached one."""

from __future__ import annotations

import threading

from sqlalchemy import event, select

from bot.app import create_app
from bot.demo import make_producer
from bot.starting import Starting, warm_up
from bot.testing import LineClient, texts
from models import InboundEvent, InboundStatus, LineAccount, Role, unit_of_work
from registry import cache
from tests.line_fixtures import SECRET

USER = "U" + "5" * 31 + "a"
CENTRAL = "U" + "c" * 31 + "9"


def test_healthy_and_storing_while_loading_then_the_stored_events_are_answered(db, settings, fake_line):
    gate = threading.Event()
    built: list = []

    def build():  # type: ignore[no-untyped-def]
        gate.wait(30)  # the bot is still loading
        built.append(create_app(settings))
        return built[0]

    starting = Starting(settings, build)
    http = starting.light.test_client()  # the WSGI app gunicorn serves is `starting` itself
    client = LineClient(lambda body, headers: http.post("/callback", data=body, headers=headers).status_code,
                        fake_line, SECRET, lambda timeout: True)
    try:
        assert http.get("/healthz").get_json() == {"status": "ok", "warming": True}
        page = http.get("/download/x")
        assert page.status_code == 503 and "กำลังเริ่มทำงาน" in page.get_data(as_text=True)
        assert client.post_body(b'{"events": []}', signature="wrong") == 400
        first = client.text_event(USER, "สวัสดี")
        assert client.post_event(first, wait=False) == 200
        with db() as s:
            assert s.get(InboundEvent, first["webhookEventId"]).status is InboundStatus.RECEIVED
        assert not fake_line.deliveries
        gate.set()
        assert starting.loaded.wait(60)
        runtime = built[0].extensions["otop"]
        assert runtime.wait_idle(15)
        assert fake_line.delivered_to(USER)  # the stored event was handled once loaded
        with db() as s:
            assert s.get(InboundEvent, first["webhookEventId"]).status is InboundStatus.DONE
    finally:
        gate.set()
        starting.thread.join(60)
        if built:
            built[0].extensions["otop"].close()


def test_the_first_national_answer_after_start_is_cached(db, settings, fake_line):
    with unit_of_work(db) as s:
        for i, district in enumerate(("5001", "5002", "1001")):
            make_producer(s, f"P-{i}", f"กลุ่ม {i}", district)
        s.add(LineAccount(user_id=CENTRAL, role=Role.CENTRAL, following=True))
    cache.clear()
    app = create_app(settings, warm=warm_up)
    runtime = app.extensions["otop"]
    http = app.test_client()
    client = LineClient(lambda body, headers: http.post("/callback", data=body, headers=headers).status_code,
                        fake_line, SECRET, runtime.wait_idle)
    counted: list[str] = []
    listener = lambda conn, cursor, stmt, *a: counted.append(stmt)  # noqa: E731
    event.listen(runtime.engine, "before_cursor_execute", listener)
    try:
        got = texts(client.say(CENTRAL, "รายงานทั้งประเทศ"))
    finally:
        event.remove(runtime.engine, "before_cursor_execute", listener)
        runtime.close()
    assert "เชียงใหม่" in got
    registry_reads = [s for s in counted if any(f"FROM {t}" in s for t in ("producers", "products", "chuanchim_shops"))]
    assert registry_reads == []  # counted at start, not for this message
    with db() as s:
        assert s.scalar(select(LineAccount.role).where(LineAccount.user_id == CENTRAL)) is Role.CENTRAL
