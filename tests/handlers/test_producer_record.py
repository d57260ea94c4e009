"""My record, what is missing, fix buttons; and that a producer never reaches another
producer's records, whatever a postback carries."""

from __future__ import annotations

from datetime import date

from bot.testing import quick_replies, texts
from handlers.replies import decode_postback
from handlers.texts import T as CORE_T
from models import ConversationState, Product, Request, Role, unit_of_work
from registry import workflows as wf
from registry.completeness import issues_for_record
from tests.handlers.producer_world import NID, OTHER_PRODUCER, PRODUCER, World, audits, world  # noqa: F401


def bubbles(messages):
    """The Flex bubbles of the messages, in order."""
    out = []
    for m in messages:
        if m.get("type") == "flex":
            contents = m["contents"]
            out.extend(contents["contents"] if contents["type"] == "carousel" else [contents])
    return out


def test_my_record_cards_masked_issues_first_star_on_top_with_fix_buttons(line_client, db, world: World):
    got = line_client.say(PRODUCER, "ข้อมูลของฉัน")
    shown = texts(got)
    assert NID not in shown and f"{NID[0]}-{NID[1:5]}-xxxxx-xx-{NID[12]}" in shown
    cards = bubbles(got)
    titles = [b["body"]["contents"][0]["text"] for b in cards]
    # the producer misses a ★ field (type) and comes first; the silk (★ category and quadrant
    # missing) before the cotton (only non-★ fields missing)
    assert titles == ["กลุ่มทอผ้าบ้านสันกำแพง", "ผ้าไหมทอมือ", "ผ้าฝ้ายย้อมคราม"]
    producer_lines = [c["text"] for c in cards[0]["body"]["contents"][1:]]
    assert producer_lines[0].startswith("❗ ★ลักษณะผู้ประกอบการ")
    assert producer_lines.index(next(x for x in producer_lines if x.startswith("รหัส"))) > 0
    silk_lines = [c["text"] for c in cards[1]["body"]["contents"][1:]]
    with db() as s:
        expected = issues_for_record(s, "products", world.silk_id)
    assert [ln for ln in silk_lines if ln.startswith("❗")] == [
        f"❗ {'★' if i.starred else ''}{i.label_th}: {'ยังไม่มีข้อมูล' if i.kind == 'missing' else 'ไม่ถูกต้อง'}"
        for i in expected]
    assert [i.starred for i in expected] == sorted((i.starred for i in expected), reverse=True)
    # one fix button per issue, ★ first (quick replies), and fix buttons on the cards
    quick = quick_replies(got)
    fixes = [decode_postback(q["data"]) for q in quick if q["type"] == "postback" and "producer.fix" in q["data"]]
    assert fixes[0]["field"] == "producers.producer_type"
    assert {"field": "products.category", "product_id": str(world.silk_id), "i": "producer.fix"} in fixes
    assert "ขนมลับเฉพาะ" not in shown  # nothing of the other producer
    # tapping a fix button opens the right form
    silk_fix = next(q for q in quick if "products.category" in q["data"])
    assert "ประเภทใด" in texts(line_client.tap(PRODUCER, silk_fix["data"]))
    with db() as s:
        state = s.get(ConversationState, PRODUCER)
        assert state.flow == "product.category" and state.slots["product_id"] == world.silk_id


def test_missing_lists_only_what_to_fix(line_client, world: World):
    got = line_client.say(PRODUCER, "ยังขาดอะไรบ้าง")
    shown = texts(got)
    assert "ลักษณะผู้ประกอบการ" in shown and "รูปภาพผลิตภัณฑ์" in shown
    assert "ผ้าฝ้ายย้อมคราม" in shown and "ขนมลับเฉพาะ" not in shown
    labels = [q["label"] for q in quick_replies(got)]
    assert labels[0] == "★ลักษณะผู้ประกอบการ" and "★ประเภท: ผ้าไหมทอมือ" in labels


def test_postbacks_with_another_producers_ids_are_refused(line_client, db, world: World):
    with unit_of_work(db) as s:  # the other producer has an open request
        actor = wf.Actor(OTHER_PRODUCER, Role.PRODUCER, "50", "5001", world.other_id)
        other = wf.submit_closure(s, actor, world.other_id, "ย้ายไปทำงานอื่น", date.today()).request.id
    refusal = CORE_T["refuse_producer"]
    for data in (f"i=product.price&product_id={world.other_product_id}",
                 f"i=product.category&product_id={world.other_product_id}",
                 f"i=product.photo&product_id={world.other_product_id}",
                 f"i=product.edit_menu&product_id={world.other_product_id}",
                 f"i=producer.fix&field=products.standards&product_id={world.other_product_id}",
                 f"i=product.photo_attach&media_id=1&product_id={world.other_product_id}",
                 f"i=producer.withdraw_request&request_id={other}"):
        got = texts(line_client.tap(PRODUCER, data))
        assert refusal in got, data
        assert "ขนมลับเฉพาะ" not in got
    got = texts(line_client.tap(PRODUCER, f"i=request.view&request_id={other}"))
    assert wf.ERROR_MESSAGES["not_allowed"] in got and "ย้ายไปทำงานอื่น" not in got
    with db() as s:
        assert s.get(ConversationState, PRODUCER) is None
        assert s.get(Product, world.other_product_id).price is None
        assert s.get(Request, other).status.value == "open"
    assert audits(db, "product", world.other_product_id) == []


def test_a_product_id_typed_into_a_form_is_only_looked_up_among_own_products(line_client, db, world: World):
    line_client.tap(PRODUCER, "i=product.price")
    got = texts(line_client.say(PRODUCER, str(world.other_product_id)))
    assert "ไม่พบผลิตภัณฑ์นี้ในทะเบียนของท่าน" in got
    got = texts(line_client.say(PRODUCER, "ขนมลับเฉพาะสูตรเด็ด"))
    assert "ไม่พบ \"ขนมลับเฉพาะสูตรเด็ด\" ในผลิตภัณฑ์ที่ลงทะเบียนไว้ของท่าน" in got
    with db() as s:
        assert "product_id" not in s.get(ConversationState, PRODUCER).slots
