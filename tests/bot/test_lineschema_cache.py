"""The schema check remembers objects it found valid (bot/lineschema.py, for the fake's cost
in benchmarks): a changed copy of a remembered object is still checked in full."""

from __future__ import annotations

import copy

from bot import lineschema


def _push(label: str, action_type: str = "postback") -> dict:  # type: ignore[type-arg]
    action = {"type": action_type, "label": label, "data": "i=producer.missing", "displayText": label}
    return {"to": "U" + "f" * 32, "messages": [{"type": "text", "text": "เรียนผู้ประกอบการ",
                                                "quickReply": {"items": [{"type": "action", "action": action}]}}]}


def test_a_remembered_valid_action_does_not_hide_an_invalid_copy():
    valid = _push("ดูสิ่งที่ขาด")
    assert lineschema.request_errors("/v2/bot/message/push", valid) == []
    assert lineschema.request_errors("/v2/bot/message/push", copy.deepcopy(valid)) == []  # remembered
    unknown = _push("ดูสิ่งที่ขาด", action_type="postbak")
    assert any("unknown type 'postbak'" in e for e in lineschema.request_errors("/v2/bot/message/push", unknown))
    missing = copy.deepcopy(valid)
    del missing["messages"][0]["quickReply"]["items"][0]["action"]["label"]
    missing["messages"][0]["quickReply"]["items"][0]["action"]["data"] = 7  # not a string
    assert any("data" in e for e in lineschema.request_errors("/v2/bot/message/push", missing))
