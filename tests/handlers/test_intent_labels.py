"""Every intent the NLU can name and the bot can run has a Thai label for "did you mean"
choices (an English intent name must never reach a user), short enough for LINE."""

from __future__ import annotations

import handlers
from handlers.registry import REGISTRY
from handlers.texts import INTENT_LABELS, NOT_OFFERED
from nlu.intents import INTENTS


def test_every_registered_nlu_intent_has_a_thai_label_that_fits_a_quick_reply():
    handlers.load_all()
    offered = [name for name in INTENTS if name in REGISTRY and name not in NOT_OFFERED]
    assert offered, "no NLU intent is registered"
    missing = [name for name in offered if name not in INTENT_LABELS]
    assert not missing, f"no Thai label for {missing}"
    for name in offered:
        label = INTENT_LABELS[name]
        assert label and len(label.encode("utf-16-le")) // 2 <= 20, (name, label)
        assert not label.isascii() or label in ("Quadrant",), (name, label)


def test_did_you_mean_offers_thai_labels_only(db, settings, fake_line):
    """Alternatives without a Thai label (here a registered handler that is not an NLU
    intent, and "no", which answers nothing out of context) are left out rather than shown
    by their English name."""
    from bot.app import create_app
    from bot.testing import LineClient, quick_replies
    from handlers.router import Parsed
    from models import LineAccount, Role, unit_of_work

    def parser(text, ctx):  # type: ignore[no-untyped-def]
        return Parsed("unknown", confidence=0.2,
                      alternatives=("officer.find", "image.received", "no", "officer.province_report"))

    app = create_app(settings, parser=parser)
    try:
        client = LineClient(lambda body, headers: app.test_client().post("/callback", data=body, headers=headers).status_code,
                            fake_line, settings.line_channel_secret, app.extensions["otop"].wait_idle)
        user = "U" + "7" * 32
        with unit_of_work(db) as s:
            s.add(LineAccount(user_id=user, role=Role.PROVINCE, province_code="50", following=True))
        labels = [a["label"] for a in quick_replies(client.say(user, "ขอดูหน่อย"))]
    finally:
        app.extensions["otop"].close()
    assert labels == [INTENT_LABELS["officer.find"], INTENT_LABELS["officer.province_report"]]


def test_did_you_mean_offers_linking_only_to_unlinked_users(db, settings, fake_line):
    """"ผูกบัญชีผู้ผลิต" is offered to a user who is not linked, never to a linked producer."""
    from bot.app import create_app
    from bot.testing import LineClient, quick_replies
    from handlers.router import Parsed
    from models import LineAccount, unit_of_work
    from tests.handlers.producer_world import PRODUCER, make_world

    def parser(text, ctx):  # type: ignore[no-untyped-def]
        return Parsed("unknown", confidence=0.2, alternatives=("producer.link", "producer.missing"))

    app = create_app(settings, parser=parser)
    try:
        client = LineClient(lambda body, headers: app.test_client().post("/callback", data=body, headers=headers).status_code,
                            fake_line, settings.line_channel_secret, app.extensions["otop"].wait_idle)
        linked, unlinked = PRODUCER, "U" + "8" * 32
        make_world(db)
        with unit_of_work(db) as s:
            s.add(LineAccount(user_id=unlinked, role=None, following=True))
        offered_linked = [a["label"] for a in quick_replies(client.say(linked, "ยืนยัน"))]
        offered_unlinked = [a["label"] for a in quick_replies(client.say(unlinked, "ยืนยัน"))]
    finally:
        app.extensions["otop"].close()
    assert offered_linked == [INTENT_LABELS["producer.missing"]]
    assert INTENT_LABELS["producer.link"] in offered_unlinked
