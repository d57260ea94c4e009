"""bot/delivery.py's decisions that the fault tests do not reach through the fake: giving up,
a connection never made, a reply refused after an attempt in doubt."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import urllib3

from bot.delivery import Attempt, decide, may_have_arrived

NOW = datetime(2026, 3, 9, 3, 0, tzinfo=timezone.utc)


def _decide(kind, attempt, **kw):
    args = {"attempts": 1, "in_doubt": False, "now": NOW, "token_deadline": NOW + timedelta(seconds=50),
            "max_attempts": 12} | kw
    return decide(kind, attempt, **args)


def test_twelve_attempts_without_an_answer_fail_with_the_reason():
    d = _decide("push", Attempt(0, "network: ReadTimeoutError"), attempts=12)
    assert d.action == "failed" and d.reason.startswith("gave up after 12 attempts") and d.in_doubt


def test_a_connection_never_made_carried_nothing():
    refused = urllib3.exceptions.NewConnectionError(None, "refused")
    assert not may_have_arrived(refused)
    assert may_have_arrived(urllib3.exceptions.ReadTimeoutError(None, "/", "read timed out"))
    d = _decide("reply", Attempt(0, "refused", may_have_arrived=False))
    assert d.action == "retry" and not d.in_doubt


def test_a_reply_in_doubt_is_never_pushed():
    d = _decide("reply", Attempt(500, "down"), in_doubt=True, now=NOW + timedelta(seconds=49))
    assert d.action == "retry" and d.in_doubt
    assert _decide("reply", Attempt(400, "Invalid reply token"), in_doubt=True).action == "presumed"
    assert _decide("reply", Attempt(400, "Invalid reply token")).action == "as_push"
