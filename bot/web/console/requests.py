"""The request queue with the committee actions: the chat's list (`registry.workflows.
pending_page`, oldest step first, overdue flagged) and its actions through the same state
machine (`registry.workflows.act` / `reject` with `expected_step`: no self-approval, one
transition when two officers act at once, the second told where the request now stands),
validated by the chat's own checks (request_actions.meeting_date_of / text_of). Notices go
out as in chat (handlers.notices.send_notices)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response, flash, redirect, request

from bot.web import auth
from bot.web.console import base
from bot.web.console.texts import T
from handlers.engine import Valid
from handlers.notices import send_notices
from handlers.officer import common
from handlers.officer.request_actions import meeting_date_of, text_of
from handlers.officer.requests import PRIMARY_ACTIONS, overdue_days
from models import Request
from registry import workflows as wf

PAGE_SIZE = 20


@auth.login_required()
def queue() -> Response:
    """GET /console/requests?page=: requests waiting on the officer's area."""
    try:
        number = max(int(request.args.get("page") or 1), 1)
    except ValueError:
        number = 1
    limit = overdue_days()
    with base.read_ctx() as ctx:
        actor = common.actor(ctx)
        listed = wf.pending_page(ctx.session, base.home_area(), now=ctx.now, offset=(number - 1) * PAGE_SIZE,
                                 limit=PAGE_SIZE, overdue_days=limit)
        items = [_item(summary, req, actor, limit) for summary, req in listed.items]
    return base.render("requests.html", items=items, total=listed.total, overdue=listed.overdue, limit=limit,
                       page=number, pages=(listed.total + PAGE_SIZE - 1) // PAGE_SIZE,
                       kinds=wf.KIND_LABELS, steps=wf.STEP_LABELS)


def _item(summary: wf.RequestSummary, req: Request, actor: wf.Actor, limit: int) -> dict[str, Any]:
    actions = wf.available_actions(req, actor)
    machine = wf.MACHINES[req.kind]
    forms = [{"action": a, "label": wf.ACTION_LABELS[a], "needs": sorted(machine.transition(req.step, a).needs)}
             for a in actions if a in PRIMARY_ACTIONS and machine.transition(req.step, a) is not None]
    return {"s": summary, "overdue": summary.days_at_step > limit, "forms": forms, "can_reject": "reject" in actions,
            "history": [(h.at, wf.ACTION_LABELS.get(h.action, h.action), h.meeting_date, h.note)
                        for h in req.steps][-3:]}


@auth.login_required()
def act(request_id: int) -> Response:
    """POST /console/requests/<id>/act: action, step (the step the officer saw), meeting_date
    (YYYY-MM-DD), note; or action=reject with reason."""
    form = request.form
    action, step = form.get("action", ""), form.get("step", "")
    with base.web_ctx() as ctx:
        message, kind = _take(ctx, request_id, action, step, form)
    flash(message, kind)
    return redirect(f"/console/requests#request-{request_id}")  # type: ignore[return-value]


def _take(ctx: Any, request_id: int, action: str, step: str, form: Any) -> tuple[str, str]:
    """Validate as the chat does, then act in a savepoint (a refusal leaves nothing written)."""
    meeting = note = None
    if form.get("meeting_date"):
        checked = meeting_date_of(form["meeting_date"], ctx, {"request_id": request_id})
        if not isinstance(checked, Valid):
            return checked.reprompt_th, "error"
        meeting = date.fromisoformat(checked.value)
    name = "reason" if action == "reject" else "note"
    if form.get(name) is not None:
        checked = text_of(form.get(name, ""), ctx)
        if not isinstance(checked, Valid):
            return checked.reprompt_th, "error"
        note = checked.value
    try:
        with ctx.session.begin_nested():
            if action == "reject":
                outcome = wf.reject(ctx.session, common.actor(ctx), request_id, note or "", expected_step=step or None,
                                    now=ctx.now)
            else:
                outcome = wf.act(ctx.session, common.actor(ctx), request_id, action, expected_step=step or None,
                                 meeting_date=meeting, note=note, now=ctx.now)
    except wf.WorkflowError as err:
        text = common.error_text(err)
        now_at = err.data.get("step") if isinstance(err, wf.StaleStep) else None
        return text + (T["now_at"].format(step=wf.STEP_LABELS.get(str(now_at), now_at)) if now_at else ""), "error"
    send_notices(ctx, outcome.notices)
    if action == "reject":
        return T["rejected"].format(id=request_id), "ok"
    label = wf.ACTION_LABELS.get(action, action)
    return T["step_done"].format(action=label.removeprefix("บันทึก"), id=request_id,
                                 step=wf.STEP_LABELS.get(outcome.request.step, outcome.request.step)), "ok"

