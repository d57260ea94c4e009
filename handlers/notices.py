"""Workflow notices (registry.workflows.Notice) turned into pushes to the right LINE accounts.

The domain says *who* should hear *what* (a producer, a district's officers, a province's
officers); this module finds their accounts and phrases the message, with a button to the
request. Used by every handler that moves a request or a pending change.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.context import Ctx
from handlers.replies import Choice, Text, postback
from models import LineAccount, Role
from registry.workflows.labels import EVENT_LABELS, KIND_LABELS, STEP_LABELS

# Who hears a notice, by audience kind.
TEXTS = {
    "request_line": "คำขอเลขที่ {request_id}",
    "step_line": "สถานะ: {step}",
    "reason_line": "เหตุผล: {reason}",
    "producer_line": "ผู้ประกอบการ: {producer}",
    "open_request": "ดูคำขอ",
    "change_line": "{field}: {old} → {new}",
    "note_line": "หมายเหตุ: {note}",
}


def audience_user_ids(session: Session, audience: tuple[str, Any]) -> list[str]:
    """LINE user ids of everyone a notice audience means (blocked users are dropped later)."""
    kind, key = audience
    stmt = select(LineAccount.user_id)
    if kind == "producer":
        stmt = stmt.where(LineAccount.role == Role.PRODUCER, LineAccount.producer_id == int(key))
    elif kind == "district":
        stmt = stmt.where(LineAccount.role == Role.DISTRICT, LineAccount.district_code == str(key))
    elif kind == "province":
        stmt = stmt.where(LineAccount.role == Role.PROVINCE, LineAccount.province_code == str(key))
    else:
        raise ValueError(f"unknown audience {audience!r}")
    return list(session.scalars(stmt.order_by(LineAccount.user_id)))


def notice_text(notice: Any) -> str:
    """The Thai text of one notice: the event, the request, its step, reason or change."""
    data = dict(notice.data or {})
    lines = [EVENT_LABELS.get(notice.event, notice.event)]
    if data.get("kind"):
        lines[0] += f": {KIND_LABELS.get(data['kind'], data['kind'])}"
    if notice.request_id is not None:
        lines.append(TEXTS["request_line"].format(request_id=notice.request_id))
    name, code = data.get("producer_name"), data.get("producer_code")
    if name or code:
        producer = f"{name} ({code})" if name and code else name or code
        lines.append(TEXTS["producer_line"].format(producer=producer))
    if data.get("step"):
        lines.append(TEXTS["step_line"].format(step=STEP_LABELS.get(data["step"], data["step"])))
    if data.get("field") and "new" in data:
        lines.append(TEXTS["change_line"].format(field=data["field"], old=data.get("old") or "-", new=data["new"] or "-"))
    if data.get("reason"):
        lines.append(TEXTS["reason_line"].format(reason=data["reason"]))
    if data.get("note"):
        lines.append(TEXTS["note_line"].format(note=data["note"]))
    return "\n".join(lines)


def send_notices(ctx: Ctx, notices: Iterable[Any], *, exclude_self: bool = True) -> int:
    """Queue a push per notice to its audience (not to the acting user). Returns pushes queued."""
    queued = 0
    for notice in notices:
        ids = [u for u in audience_user_ids(ctx.session, notice.audience) if not (exclude_self and u == ctx.user_id)]
        if not ids:
            continue
        quick = []
        if notice.request_id is not None:
            quick = [Choice(TEXTS["open_request"], postback=postback("request.view", request_id=notice.request_id))]
        ctx.push(ids, [Text(notice_text(notice), quick=quick)], purpose=f"notice:{notice.event}")
        queued += 1
    return queued
