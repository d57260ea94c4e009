"""A form kept while another one runs. A side question that starts another form (the closure's
"ย้ายกิจการ" button, "ขอเปลี่ยนที่อยู่" typed in the middle of the phone question) does not
throw the first one away: `engine.start` parks it inside the new form's stored state (key
`_parked`: its flow, question, answers and expiry), the user is told it is kept, and when the
new form ends (done, cancelled, refused at the confirmation) it is put back as the user's
conversation, with "ทำต่อ" to resume it at the same question with what it had. One form is
parked per form; a form parked inside a parked one comes back in turn. A parked form past its
own expiry is not put back (the user is told, with what it held).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from handlers import engine as E
from handlers.context import Ctx
from handlers.replies import Choice, Reply, Text, postback
from handlers.texts import ENGINE as T
from models import ConversationState

PARKED_KEY = E.PARKED_KEY


def snapshot(state: ConversationState) -> dict[str, Any]:
    return {"flow": state.flow, "state": state.state, "slots": dict(state.slots or {}),
            "expires_at": state.expires_at.isoformat()}


def parked_from(ctx: Ctx, flow: E.Flow) -> dict[str, Any] | None:
    """The user's live form other than `flow`, to keep while `flow` runs (None: nothing to keep)."""
    state = E._stored(ctx)
    if state is None or state.flow == flow.name or state.flow not in E.FLOWS or state.expires_at <= ctx.now:
        return None
    if not E.answers_of(state) and not state.state:
        return None
    return snapshot(state)


INSTEAD = re.compile(r"(?<!ตัว)แทน|เปลี่ยนใจ")


def given_up(ctx: Ctx, current: dict[str, Any] | None) -> list[Reply]:
    """A request typed in a form that says the user changed their mind ("อ้อ ไม่ใช่ค่ะ ขอแก้ที่อยู่
    แทน", "เปลี่ยนใจค่ะ ขอส่งรูปสินค้า"): the form (`current`, from `parked_from`) is given up
    rather than parked, and the user told so (a form it had parked itself still comes back).
    [] when nothing is given up."""
    text = ctx.incoming.text if ctx.incoming.kind == "text" else ""
    if not text or not INSTEAD.search(text) or current is None:
        return []
    return [Text(T["given_up"].format(title=title(E.FLOWS[current["flow"]])))]


def title(flow: E.Flow) -> str:
    return flow.title_th or T["form"]


def parked_note(ctx: Ctx) -> Text | None:
    """Said when a side question started another form: the earlier one is kept."""
    state = ctx.conversation
    parked = (getattr(state, "slots", None) or {}).get(PARKED_KEY) if state else None
    if not parked or parked["flow"] not in E.FLOWS:
        return None
    return Text(T["parked"].format(title=title(E.FLOWS[parked["flow"]])))


def restore(ctx: Ctx, parked: dict[str, Any] | None) -> list[Reply]:
    """After a form ended: put the form it had parked back, and offer "ทำต่อ"."""
    if not parked or parked.get("flow") not in E.FLOWS or E._stored(ctx) is not None:
        return []
    flow = E.FLOWS[parked["flow"]]
    expires = datetime.fromisoformat(parked["expires_at"])
    state = ConversationState(user_id=ctx.user_id, flow=flow.name, state=parked["state"], slots=parked["slots"],
                              retries=0, expires_at=expires)
    if expires <= ctx.now:
        return [Text(E.expired_note(ctx, flow, state))]
    ctx.session.add(state)
    ctx.session.flush()
    ctx.conversation = state
    given = E.summary(ctx, flow, state)
    text = T["parked_back"].format(title=title(flow)) + (T["kept_given"].format(given=given) if given else "")
    return [Text(text, quick=[Choice(T["resume"], postback=postback("flow.resume")), Choice(T["no"], text=T["no"])])]


def parked_of(state: ConversationState | None) -> dict[str, Any] | None:
    return (state.slots or {}).get(PARKED_KEY) if state is not None else None


def end(ctx: Ctx, replies: list[Reply], parked: dict[str, Any] | None) -> list[Reply]:
    """`replies` of a form that ended, then the form it had parked, put back."""
    return [*replies, *restore(ctx, parked)]
