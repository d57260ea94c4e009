"""Chat views of personal data go into the access log (`registry.access_log`), in the event's
transaction: a producer's or shop's card (national ID, birth date, phone), a list of records
shown because of their personal fields, a search by national ID or phone."""

from __future__ import annotations

from collections.abc import Iterable

from handlers.context import Ctx
from registry import access_log


def area_of(record: object) -> str | None:
    """The most precise area code a record carries."""
    return getattr(record, "subdistrict_code", None) or getattr(record, "district_code", None)


def log(ctx: Ctx, action: str, what: str, ids: Iterable[int] = (), area: str | None = None) -> None:
    """One entry for the sender of this event (channel chat, or web from the console)."""
    access_log.record(ctx.session, user_id=ctx.user_id, role=ctx.account.role, channel=ctx.channel,
                      action=action, what=what, ids=ids, area=area, at=ctx.now)


def log_record(ctx: Ctx, what: str, record: object) -> None:
    """A card that shows one record's personal fields."""
    log(ctx, "record", what, [record.id], area_of(record))  # type: ignore[attr-defined]
