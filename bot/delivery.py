"""What the sender does with each answer LINE gives (or does not give): the fault table of
docs/DELIVERY.md as code. Pure: an `Attempt` and the row's state in, a `Decision` out; the
sender (bot/sender.py) records it.

The hard case is a reply whose outcome is unknown (a read timeout, a sender killed while the
request was in flight). Replies have no retry key (LINE answers 400 to one), and a reply token
is usable once, for about a minute: a second try with the same token answers 200 when the
first never arrived, and 400 "Invalid reply token" both when the first did arrive and when the
token has expired; LINE does not tell the two apart. So:

- the row is marked `in_doubt` and the reply is tried again at once, with the same token,
  while the token is still valid (a 200 proves the first never arrived: exactly one copy);
- "Invalid reply token" on a row in doubt is taken as "our earlier attempt used it": the row
  is recorded SENT, presumed, with the reason; no push, so never a second copy. The price: a
  first attempt that in fact never reached LINE, retried only after the token expired (every
  sender down for a minute), is lost, recorded as presumed delivered;
- a reply that LINE answered with 5xx or 429, or that never left (connection refused), is
  taken as not delivered: it is tried again as a reply while its token is valid, then sent as
  a push with a retry key in time. LINE's own guide says a 5xx may still have delivered; a
  rare duplicate then is preferred to a certain loss while LINE's reply endpoint is down.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import urllib3

QUOTA_SPENT = "monthly limit"  # LINE's 429 body when the month's quota is spent


@dataclass(frozen=True)
class Attempt:
    """One request's result: the HTTP status (0 = no answer), the body, whether the request
    may have reached LINE, and the accepted request id LINE gives with a 409."""

    status: int
    body: str = ""
    may_have_arrived: bool = True
    accepted_id: str | None = None

    @property
    def quota_spent(self) -> bool:
        return self.status == 429 and QUOTA_SPENT in self.body.lower()

    @property
    def reason(self) -> str:
        return f"{self.status or 'no answer'}: {self.body}"[:500]


@dataclass(frozen=True)
class Decision:
    """sent | presumed (sent, resolved from doubt) | retry (at `retry_at`) | as_push | held |
    failed; `in_doubt`: the row's outcome is (or was) unknown."""

    action: str
    reason: str | None
    retry_at: datetime | None = None
    in_doubt: bool = False


def backoff(attempts: int, cap: timedelta = timedelta(minutes=10)) -> timedelta:
    """1 s, 2 s, 4 s ... up to 10 minutes."""
    return min(timedelta(seconds=2 ** max(attempts - 1, 0)), cap)


def decide(kind: str, attempt: Attempt | None, *, attempts: int, in_doubt: bool, now: datetime,
           token_deadline: datetime | None, max_attempts: int) -> Decision:
    """The outcome of one attempt of a row of `kind` ("reply" with its token, "push",
    "multicast"); `attempt` None = LINE accepted it (200). `attempts` counts this one."""
    if attempt is None:
        return Decision("sent", None, in_doubt=in_doubt)
    if kind == "reply":
        return _reply(attempt, attempts, in_doubt, now, token_deadline, max_attempts)
    if attempt.status == 409:
        return Decision("sent", f"409: retry key already accepted (request {attempt.accepted_id})", in_doubt=in_doubt)
    if attempt.quota_spent:
        return Decision("held", f"quota: {attempt.reason}", in_doubt=in_doubt)
    if attempt.status in (0, 429) or attempt.status >= 500:
        return _again(attempt.reason, attempts, now, max_attempts, in_doubt or attempt.may_have_arrived)
    return Decision("failed", attempt.reason, in_doubt=in_doubt)


def _reply(attempt: Attempt, attempts: int, in_doubt: bool, now: datetime, deadline: datetime | None,
           max_attempts: int) -> Decision:
    if attempt.status == 400 and "reply token" in attempt.body.lower():
        if in_doubt:
            return Decision("presumed", "presumed delivered: the reply token was used, by the earlier attempt "
                            f"whose outcome was unknown ({attempt.reason})", in_doubt=True)
        return Decision("as_push", f"reply token expired, sent as push ({attempt.reason})")
    if attempt.status == 0 and attempt.may_have_arrived:  # timeout: maybe delivered
        return _again(attempt.reason, attempts, now, max_attempts, True, soon=True)
    if attempt.status in (0, 429) or attempt.status >= 500:  # answered or never left: not delivered
        again = backoff(attempts)
        if in_doubt:  # an earlier attempt may have delivered: never a push copy
            return _again(attempt.reason, attempts, now, max_attempts, True)
        if deadline is not None and now + again < deadline:
            return Decision("retry", attempt.reason, now + again)
        return Decision("as_push", f"reply not accepted while its token was valid, sent as push ({attempt.reason})")
    return Decision("failed", attempt.reason, in_doubt=in_doubt)


def _again(reason: str, attempts: int, now: datetime, max_attempts: int, in_doubt: bool,
           soon: bool = False) -> Decision:
    if attempts >= max_attempts:
        return Decision("failed", f"gave up after {attempts} attempts: {reason}", in_doubt=in_doubt)
    return Decision("retry", reason, now + (timedelta(seconds=0.2) if soon else backoff(attempts)), in_doubt)


def may_have_arrived(exc: BaseException) -> bool:
    """A connection that was never made carried nothing; a read timeout or a connection
    dropped mid-request may have delivered."""
    reason = getattr(exc, "reason", None)
    if isinstance(exc, urllib3.exceptions.MaxRetryError) and isinstance(reason, BaseException):
        exc = reason
    return not isinstance(exc, (urllib3.exceptions.NewConnectionError, urllib3.exceptions.ConnectTimeoutError,
                                ConnectionRefusedError))
