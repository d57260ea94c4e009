"""Accounts and records for the officer conversation tests."""

from __future__ import annotations

from sqlalchemy import select

from bot.testing import texts
from models import LineAccount, Role, unit_of_work

DIST = "U" + "d" * 31 + "1"  # district officer of Mueang Chiang Mai (5001)
DIST2 = "U" + "d" * 31 + "2"  # a second officer of the same district
PROV = "U" + "e" * 31 + "1"  # province officer of Chiang Mai (50)
OTHER = "U" + "f" * 31 + "1"  # district officer of Chom Thong (5002)
CENTRAL = "U" + "c" * 31 + "1"
PRODUCER = "U" + "a" * 31 + "1"


def officers(db) -> None:  # type: ignore[no-untyped-def]
    with unit_of_work(db) as s:
        for uid, role, prov, dist in ((DIST, Role.DISTRICT, "50", "5001"), (DIST2, Role.DISTRICT, "50", "5001"),
                                      (PROV, Role.PROVINCE, "50", None), (OTHER, Role.DISTRICT, "50", "5002"),
                                      (CENTRAL, Role.CENTRAL, None, None)):
            s.add(LineAccount(user_id=uid, role=role, province_code=prov, district_code=dist, following=True))


def link_producer(db, producer_id: int, user_id: str = PRODUCER) -> None:  # type: ignore[no-untyped-def]
    with unit_of_work(db) as s:
        s.add(LineAccount(user_id=user_id, role=Role.PRODUCER, province_code="50", district_code="5001",
                          producer_id=producer_id, following=True))


def buttons(messages) -> list[dict]:  # type: ignore[no-untyped-def]
    """Every action (buttons of Flex bubbles and quick replies) in LINE messages."""
    found: list[dict] = []

    def walk(node):  # type: ignore[no-untyped-def]
        if isinstance(node, dict):
            if node.get("type") in ("postback", "uri", "message") and "label" in node:
                found.append(node)
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(messages)
    return found


def data_of(messages, label: str) -> str:  # type: ignore[no-untyped-def]
    """The postback data (or uri) of the first action with this label."""
    for b in buttons(messages):
        if b["label"] == label:
            return b.get("data") or b.get("uri") or b.get("text")
    raise AssertionError(f"no button {label!r} in {[b['label'] for b in buttons(messages)]}: {texts(messages)}")


def pushed_to(fake, user_id: str) -> str:  # type: ignore[no-untyped-def]
    """Text of everything pushed (push or multicast) to a user."""
    return texts(fake.delivered_to(user_id))


def notices_to(db, user_id: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Purposes of the notice pushes queued for a user (delivered or held for quiet hours)."""
    from models import OutboxMessage

    with db() as s:
        rows = s.scalars(select(OutboxMessage).where(OutboxMessage.purpose.like("notice:%"))
                         .order_by(OutboxMessage.id)).all()
        return [r.purpose for r in rows if r.user_id == user_id or user_id in (r.recipients or [])]


def notice_texts(db, user_id: str) -> str:  # type: ignore[no-untyped-def]
    from models import OutboxMessage

    with db() as s:
        rows = s.scalars(select(OutboxMessage).where(OutboxMessage.purpose.like("notice:%"))).all()
        return texts([m for r in rows if r.user_id == user_id or user_id in (r.recipients or [])
                      for m in r.messages])


def two_proposals(db, producer_id: int, product_id: int) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """The producer (linked as PRODUCER) proposes a ★ change of their type and of a product's
    Quadrant: the ids of the two pending changes."""
    from registry import pending
    from tests.registry import factories as f

    link_producer(db, producer_id)
    with unit_of_work(db) as s:
        from models import Producer

        actor = f.producer_actor(s.get(Producer, producer_id), PRODUCER)
        c1 = pending.propose(s, actor, "producer", producer_id, "producer_type", "sme").change.id
        c2 = pending.propose(s, actor, "product", product_id, "quadrant", "B").change.id
    return c1, c2


def follow_download(client, path: str, timeout: float = 60.0, interval: float = 0.1):  # type: ignore[no-untyped-def]
    """Open a download link as a browser does: while the answer is the 202 "preparing" page,
    follow its refresh (sooner than its 2 or 5 s); the first other answer is returned."""
    import re
    import time

    deadline = time.monotonic() + timeout
    resp = client.get(path)
    while resp.status_code == 202:
        target = re.search(r'http-equiv="refresh" content="\d+; url=([^"]+)"', resp.get_data(as_text=True))
        assert target, resp.get_data(as_text=True)
        assert time.monotonic() < deadline, f"no file after {timeout} s"
        time.sleep(interval)
        resp = client.get(path.split("?")[0] + target.group(1))
    return resp


def signed_in(app, user_id: str = CENTRAL):  # type: ignore[no-untyped-def]
    """A test client signed in through LINE Login (the fake's) as `user_id`."""
    from bot.testing import sign_in

    client = app.test_client()
    resp = sign_in(client, user_id)
    assert resp.status_code == 302, resp.get_data(as_text=True)
    return client
