"""Access: every registered handler x role (None, producer, district, province, central) x
own / other area. Iterates the handler table, so handlers added later are covered too."""

from __future__ import annotations

import pytest

from bot.demo import make_producer
from handlers import load_all
from handlers.context import Ctx
from handlers.incoming import Incoming
from handlers.registry import REGISTRY
from handlers.replies import Transcript
from handlers.router import run_intent
from handlers.texts import T
from models import LineAccount, Role, utcnow

load_all()
ROLES = [None, Role.PRODUCER, Role.DISTRICT, Role.PROVINCE, Role.CENTRAL]
REFUSALS = [T[k] for k in ("refuse_unlinked", "refuse_role_officer", "refuse_role_producer", "refuse_role",
                           "refuse_area", "refuse_producer")]
AREAS = {  # own area: Chiang Mai / Mueang; other: Bangkok / Bangkok Noi
    "own": {"$province": "50", "$district": "5001", "$subdistrict": "500101", "$area": "5001"},
    "other": {"$province": "10", "$district": "1020", "$subdistrict": "102001", "$area": "1020"},
}


def expected_allowed(role: Role | None, where: str, slots: dict, entry) -> bool:  # type: ignore[no-untyped-def]
    """The rule, written independently of `Scope`."""
    if role not in entry.roles:
        return False
    target = entry.area(slots)
    if target.empty:
        return True
    if role is Role.CENTRAL:
        return True
    if role in (Role.DISTRICT, Role.PROVINCE):
        return where == "own"
    if role is Role.PRODUCER:
        return where == "own" and target.area_code is None
    return False


def substitute(example: dict, where: str, producer_ids: dict) -> dict:
    values = dict(AREAS[where], **{"$producer": str(producer_ids[where])})
    return {k: values.get(v, v) if isinstance(v, str) else v for k, v in example.items()}


@pytest.mark.parametrize("where", ["own", "other"])
@pytest.mark.parametrize("role", ROLES, ids=lambda r: getattr(r, "value", "unlinked"))
@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_access(db, name, role, where):
    entry = REGISTRY[name]
    with db() as session:
        own = make_producer(session, "A-1", "ผู้ผลิตในพื้นที่", "5001", phone="0811111111")
        other = make_producer(session, "B-1", "ผู้ผลิตนอกพื้นที่ลับเฉพาะ", "1020", phone="0822222222")
        account = LineAccount(user_id="U" + "a" * 32, role=role, following=True)
        if role in (Role.DISTRICT, Role.PROVINCE, Role.PRODUCER):
            account.province_code = "50"
        if role in (Role.DISTRICT, Role.PRODUCER):
            account.district_code = "5001"
        if role is Role.PRODUCER:
            account.producer_id = own.id
        session.add(account)
        session.flush()
        slots = substitute(entry.example_slots, where, {"own": own.id, "other": other.id})
        ctx = Ctx(session=session, account=account, now=utcnow(),
                  incoming=Incoming(user_id=account.user_id, kind="text", text=""))
        replies = run_intent(ctx, name, slots)
        text = Transcript(replies).text()
        session.rollback()
    refused = (text in REFUSALS or any(text.startswith(r) for r in REFUSALS)
               or "อยู่นอกพื้นที่ของท่าน ท่านดูได้เฉพาะข้อมูลในพื้นที่ของท่าน คือ" in text)
    assert refused is not expected_allowed(role, where, slots, entry), (name, role, where, text)
    if refused:
        assert "ลับเฉพาะ" not in text and "B-1" not in text


def test_every_handler_declares_a_usable_example():
    for name, entry in REGISTRY.items():
        assert entry.roles, name
        assert entry.doc, f"{name}: give the handler a one-line docstring"
