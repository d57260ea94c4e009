"""One-time codes: officers join with them, producers link with them, and throttling of
failed link attempts. Used by the chat flows and by `python -m bot invite`."""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import InviteCode, LinkAttempt, Producer, Role

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: easy to read aloud
CODE_LEN = 8
OFFICER_TTL = timedelta(days=14)
PRODUCER_TTL = timedelta(days=7)
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=30)


def normalize_code(text: str | None) -> str | None:
    """`abcd-efgh` / `ABCD EFGH` -> `ABCDEFGH`; None when it is not a well-formed code."""
    if not text:
        return None
    code = re.sub(r"[\s\-]", "", text).upper()
    return code if len(code) == CODE_LEN and all(c in ALPHABET for c in code) else None


def format_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def issue(
    session: Session,
    *,
    role: Role,
    created_by: str,
    now: datetime,
    province_code: str | None = None,
    district_code: str | None = None,
    producer: Producer | None = None,
) -> InviteCode:
    """A new unused code (officer: role + area; producer: the producer to link)."""
    if role is Role.PRODUCER:
        if producer is None:
            raise ValueError("a producer code needs the producer")
        province_code, district_code = producer.province_code, producer.district_code
    elif role is Role.DISTRICT and not (province_code and district_code):
        raise ValueError("a district officer code needs --province and --district")
    elif role is Role.PROVINCE and not province_code:
        raise ValueError("a province officer code needs --province")
    if district_code and province_code and not district_code.startswith(province_code):
        raise ValueError(f"district {district_code} is not in province {province_code}")
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LEN))
        if session.get(InviteCode, code) is None:
            break
    invite = InviteCode(
        code=code, role=role, province_code=province_code,
        district_code=district_code if role in (Role.DISTRICT, Role.PRODUCER) else None,
        producer_id=producer.id if producer else None, created_by=created_by, created_at=now,
        expires_at=now + (PRODUCER_TTL if role is Role.PRODUCER else OFFICER_TTL),
    )
    session.add(invite)
    session.flush()
    return invite


def usable(session: Session, code: str, now: datetime) -> InviteCode | None:
    """The code's row when it exists, is unused and has not expired."""
    invite = session.get(InviteCode, code, with_for_update=True)
    if invite is None or invite.used_at is not None or invite.expires_at <= now:
        return None
    return invite


def throttled(session: Session, user_id: str, now: datetime) -> int | None:
    """Minutes to wait when the user failed too often recently, else None."""
    since = now - FAILURE_WINDOW
    rows = session.scalars(
        select(LinkAttempt.at).where(LinkAttempt.user_id == user_id, LinkAttempt.at > since)
        .order_by(LinkAttempt.at)
    ).all()
    if len(rows) < MAX_FAILURES:
        return None
    wait = rows[-MAX_FAILURES] + FAILURE_WINDOW - now
    return max(1, int(wait.total_seconds() // 60) + 1)


def record_failure(session: Session, user_id: str, kind: str, now: datetime) -> None:
    session.add(LinkAttempt(user_id=user_id, kind=kind, at=now))


def failures(session: Session, user_id: str) -> int:
    return session.scalar(select(func.count()).select_from(LinkAttempt).where(LinkAttempt.user_id == user_id)) or 0
