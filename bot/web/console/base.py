"""What every console page shares: the officer's area check (a refusal page, logged when the
page holds personal data), a handler context for the web (`web_ctx`: the same `Ctx` the chat
handlers get, channel "web", so audit, access log and workflow actor are the chat's own),
access-log entries, and rendering with the layout's values."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import Response, current_app, render_template, request
from sqlalchemy.orm import Session

from bot.web import auth
from bot.web.console.texts import T
from bot.web.pages import page
from handlers.context import Ctx
from handlers.incoming import Incoming
from handlers.officer import common
from models import LineAccount, read_only, unit_of_work, utcnow
from registry import access_log, gazetteer


def runtime() -> Any:
    return current_app.extensions["otop"]


def settings() -> Any:
    return current_app.config["OTOP_SETTINGS"]


def home_area() -> str | None:
    """The signed-in officer's own area (None: the whole country)."""
    return auth.current_scope().home_area or None


def area_arg(name: str = "area") -> str | None:
    """The area asked for in the query string ("" / missing: the officer's own area); raises
    ValueError for a code that is not a place."""
    code = (request.args.get(name) or "").strip()
    if not code:
        return home_area()
    if code == "TH":
        return None
    if len(code) not in (2, 4, 6) or not code.isdigit() or gazetteer.by_code(code) is None:
        raise ValueError(code)
    return code


def log(what: str, *, action: str = "list", ids: Iterable[int] = (), area: str | None = None,
        outcome: str = "ok", session: Session | None = None) -> None:
    """One access-log entry, channel "web", for the signed-in user (in `session` when given,
    else in a short transaction of its own)."""
    account = auth.current_account()
    fields = dict(user_id=account.user_id if account else (auth.current_user_id() or "anonymous"),
                  role=account.role if account else None, channel="web", action=action, what=what, ids=ids,
                  area=area, outcome=outcome)
    if session is not None:
        access_log.record(session, **fields)  # type: ignore[arg-type]
        return
    with unit_of_work(runtime().factory) as s:
        access_log.record(s, **fields)  # type: ignore[arg-type]


def refuse_record(what: str, record: Any, session: Session | None = None) -> Response:
    """Another area's record: the Thai refusal page, and the attempt in the access log (in
    `session` when the caller has a transaction open)."""
    log(what, action="record", ids=[record.id], area=record.subdistrict_code or record.district_code,
        outcome="refused:other_area", session=session)
    return page(T["other_record"], 403)


def asked_area() -> tuple[str | None, Response | None]:
    """The area in the query string, checked on the server against the officer's: (area, None),
    or (None, the page refusing it: not a place, or outside the officer's area)."""
    try:
        area = area_arg()
    except ValueError:
        return None, page(T["bad_area"], 404)
    if (refusal := auth.check(area=area or "")) is not None:
        return None, refusal.response
    return area, None


def record_in_area(session: Session, model: Any, record_id: int, what: str) -> tuple[Any, Response | None]:
    """The record, or the page refusing it (not found; another area's, logged)."""
    record = session.get(model, record_id)
    if record is None:
        return None, not_found()
    if not allowed(record):
        return None, refuse_record(what, record, session)
    return record, None


def not_found() -> Response:
    return page(T["not_found"], 404)


def allowed(record: Any) -> bool:
    return auth.current_scope().allows_area(record.subdistrict_code or record.district_code)


def _ctx(session: Session) -> Ctx:
    user = auth.current_account()
    assert user is not None  # pages run behind login_required
    account = session.get(LineAccount, user.user_id)
    s = settings()
    return Ctx(session=session, account=account, incoming=Incoming(user_id=user.user_id, kind="other"),
               now=utcnow(), public_base_url=s.public_base_url, media_dir=s.media_dir,
               signing_key=s.signing_key, channel="web")


@contextmanager
def web_ctx() -> Iterator[Ctx]:
    """One transaction for one console action, with the handlers' context: committed at the
    end, with the pushes the action queued (workflow notices), and the sender woken."""
    from bot.dispatch import enqueue_push

    rt = runtime()
    with unit_of_work(rt.factory) as session:
        ctx = _ctx(session)
        yield ctx
        for push in ctx.pushes:
            enqueue_push(session, push, now=ctx.now)
    if ctx.pushes:
        rt.processor.on_outbox()


@contextmanager
def read_ctx() -> Iterator[Ctx]:
    """A handlers' context in a read-only transaction (pages that write nothing)."""
    with read_only(runtime().factory) as session:
        yield _ctx(session)


def area_label(area: str | None) -> str:
    return common.area_label(area)


def render(template: str, status: int = 200, **values: Any) -> Response:
    """A console page: the layout gets the officer, their area and the link back to the chat."""
    account = auth.current_account()
    html = render_template(f"console/{template}", me=account, home=home_area(), home_label=area_label(home_area()),
                           chat_url=settings().line_oa_url, **values)
    resp = Response(html, status=status, mimetype="text/html")
    resp.headers["Cache-Control"] = "no-store"
    return resp
