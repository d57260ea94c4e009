"""The console's edits of a producer and its products: the chat's own validation and writes
(handlers/officer/updates.py `EDITS`, the producer's phone check, standards.save_standard),
with the audit channel "web". Each POST (CSRF-checked) is one transaction; the answer is the
producer's page again, with the result on top (or the error, nothing written)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response, flash, redirect, request

from bot.web import auth
from bot.web.console import base
from bot.web.console.records import producer_page
from bot.web.console.texts import T
from handlers.officer import standards, updates
from handlers.officer.updates import EDITS
from handlers.producer.profile import check_phone
from handlers.engine import Valid
from models import Category, Producer, ProducerType, Product, Quadrant
from registry import duplicates, values
from registry.ids import format_phone, mask_national_id

# form field -> (the chat's edit, how the web form's value is read; None = refused)
PRODUCER_FIELDS = {
    "producer_type": ("officer.set_producer_type", lambda v: ProducerType(v).value),
    "national_id": ("officer.set_national_id", updates.national_id_of),
}
PRODUCT_FIELDS = {
    "category": ("officer.set_category", lambda v: Category(v).value),
    "quadrant": ("officer.set_quadrant", lambda v: Quadrant(v).value),
}


def _read(parse: Any, raw: str) -> Any | None:
    try:
        return parse(raw.strip())
    except ValueError:
        return None


def _done(changed: bool, field_th: str, name: str, shown: str) -> None:
    flash(T["saved" if changed else "same"].format(field=field_th, name=name, new=shown), "ok")


def _chat_edit(fields: dict[str, tuple[str, Any]], field: str, raw: str) -> tuple[Any, Any]:
    """The chat's edit (`updates.EDITS`) a form field names, and the form's value read for it;
    `Refused` (nothing written) for a field the page does not offer or a value it cannot read."""
    if field not in fields:
        raise Refused(T["unknown_field"])
    intent, parse = fields[field]
    edit = EDITS[intent]
    value = _read(parse, raw)
    if value is None:
        raise Refused(edit.invalid if field == "national_id" else T["bad_choice"])
    return edit, value


def _write(ctx: Any, edit: Any, record: Producer | Product, value: Any, name: str) -> None:
    """Write through the chat's edit (audited, channel web) and say what was saved."""
    _done(edit.write(ctx, record, value), edit.field_th, name, edit.show(value))


class Refused(Exception):
    """An edit not made: the page is shown again with `error` or `warning` (rolled back)."""

    def __init__(self, error: str | None = None, warning: dict | None = None, status: int = 400) -> None:
        super().__init__(error or "warning")
        self.error, self.warning, self.status = error, warning, status


def _again(producer_id: int, refused: Refused) -> Response:
    return producer_page(producer_id, status=refused.status, error=refused.error, warning=refused.warning)


@auth.login_required()
def edit_producer(producer_id: int) -> Response:
    """POST /console/producer/<id>/edit: field = phone | producer_type | national_id, value."""
    field, raw = request.form.get("field", ""), request.form.get("value", "")
    try:
        with base.web_ctx() as ctx:
            p, refused = base.record_in_area(ctx.session, Producer, producer_id, "producer")
            if refused is not None:
                return refused
            _edit_producer(ctx, p, field, raw)
    except Refused as refused:
        return _again(producer_id, refused)
    return redirect(f"/console/producer/{producer_id}")  # type: ignore[return-value]


def _edit_producer(ctx: Any, p: Producer, field: str, raw: str) -> None:
    name = p.name or p.code
    if field == "phone":
        checked = check_phone(raw, ctx)
        if not isinstance(checked, Valid):
            raise Refused(f"{checked.reprompt_th} {T['not_saved']}")  # the chat's own wording
        changed = values.set_phone(ctx.session, p, checked.value, actor=ctx.user_id, channel="web")
        _done(changed, "เบอร์โทร", name, format_phone(checked.value))
        return
    edit, value = _chat_edit(PRODUCER_FIELDS, field, raw)
    if field == "national_id" and request.form.get("confirm") != "1":
        found = duplicates.holders(ctx.session, value, except_id=p.id)
        if found:  # the chat asks for a confirmation too (updates._nid_duplicates)
            raise Refused(warning={"text": updates.T["nid_duplicate"].format(
                nid=mask_national_id(value), others=", ".join(h.code for h in found[:5])),
                "note": T["nid_confirm"], "field": field, "value": raw}, status=409)
    _write(ctx, edit, p, value, name)


@auth.login_required()
def edit_product(product_id: int) -> Response:
    """POST /console/product/<id>/edit: field = category | quadrant, value; or field =
    standard with scheme, number, expires_on (YYYY-MM-DD, optional)."""
    field, raw = request.form.get("field", ""), request.form.get("value", "")
    back = None
    try:
        with base.web_ctx() as ctx:
            x, refused = base.record_in_area(ctx.session, Product, product_id, "product")
            if refused is not None:
                return refused
            back = x.producer_id
            if field == "standard":
                _standard(ctx, x)
            else:
                _edit_product(ctx, x, field, raw)
    except Refused as refused:
        assert back is not None
        return _again(back, refused)
    return redirect(f"/console/producer/{back}#product-{product_id}")  # type: ignore[return-value]


def _edit_product(ctx: Any, x: Product, field: str, raw: str) -> None:
    edit, value = _chat_edit(PRODUCT_FIELDS, field, raw)
    _write(ctx, edit, x, value, x.name or x.code)


def _standard(ctx: Any, product: Product) -> None:
    """Add or renew a standard with the chat's checks (standards.scheme_of / number_of)."""
    scheme = standards.scheme_of(request.form.get("scheme", ""), ctx)
    number = standards.number_of(request.form.get("number", ""), ctx)
    if not isinstance(scheme, Valid) or not isinstance(number, Valid):
        raise Refused(updates.T["bad_text"])
    raw = (request.form.get("expires_on") or "").strip()
    try:
        expires = date.fromisoformat(raw) if raw else None
    except ValueError:
        raise Refused(T["bad_date"]) from None
    key = standards.save_standard(ctx, product, scheme.value, number.value, expires)
    flash(T[key].format(scheme=scheme.value, number=number.value, name=product.name or product.code), "ok")
