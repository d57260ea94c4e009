"""Built-in handlers: greeting, help, menu, cancel, thanks, unknown, images, follow/unfollow."""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from handlers import engine
from handlers.context import Ctx
from handlers.registry import ANYONE, REGISTRY, handler
from handlers.replies import Choice, Reply, Text, postback
from handlers.texts import MENU, ROLE_TH, T
from models import OFFICER_ROLES, District, Province, Role, StoredMedia


def menu_choices(ctx: Ctx) -> list[Choice]:
    """The caller's menu as quick replies: registered intents they may use."""
    role = ctx.scope.role
    key = "officer" if role in OFFICER_ROLES else role
    return [
        Choice(label, postback=postback(name))
        for label, name in MENU[key]
        if name in REGISTRY and role in REGISTRY[name].roles
    ][:13]


def area_name(ctx: Ctx) -> str:
    """The officer's area in Thai (อำเภอ/จังหวัด), for help texts."""
    acc = ctx.account
    return role_area_name(ctx, acc.role, acc.province_code, acc.district_code)


def role_area_name(ctx: Ctx, role: Role | None, province_code: str | None, district_code: str | None) -> str:
    """The area of a role in Thai: ทั่วประเทศ, อำเภอX or จังหวัดY (an account's or an invite's)."""
    if role is Role.CENTRAL:
        return "ทั่วประเทศ"
    if role is Role.DISTRICT and district_code:
        d = ctx.session.get(District, district_code)
        return f"อำเภอ{d.name_th}" if d else district_code
    if province_code:
        p = ctx.session.get(Province, province_code)
        return f"จังหวัด{p.name_th}" if p else province_code
    return "-"


@handler("greeting", roles=ANYONE)
def greeting(ctx: Ctx, slots: dict) -> list[Reply]:
    """Say hello; explain how to start when the account is not linked yet."""
    if ctx.scope.role is None:
        return [Text(T["greeting"]), Text(T["how_to_start"], quick=menu_choices(ctx))]
    name = ctx.account.display_name or ""
    return [Text(T["welcome_back"].format(name=name).replace("คุณ ", ""), quick=menu_choices(ctx))]


@handler("help", roles=ANYONE)
def help_(ctx: Ctx, slots: dict) -> list[Reply]:
    """What the caller can do, by role; with a `topic` (a request that did not work for them),
    help with that request."""
    if slots.get("topic"):
        return topic_help(ctx, str(slots["topic"]), trouble=True) or help_(ctx, {})
    role = ctx.scope.role
    if role is None:
        text = T["help_unlinked"]
    elif role is Role.PRODUCER:
        text = T["help_producer"]
    else:
        text = T["help_officer"].format(area=f"{ROLE_TH[role]} {area_name(ctx)}")
    if slots.get("trouble"):  # "บอทไม่ตอบ", with no request named
        then = _trouble_then(ctx)
        text = T["trouble_general"].format(then=then) + "\n\n" + text
    return [Text(text, quick=menu_choices(ctx))]


def _trouble_then(ctx: Ctx) -> str:
    """Where to turn when trying again does not help."""
    return T["trouble_then_officer" if ctx.account.role in OFFICER_ROLES else "trouble_then_producer"]


def topic_help(ctx: Ctx, name: str, trouble: bool = False) -> list[Reply] | None:
    """How the request `name` is done here, with a button to start it; None when the caller
    may not make it (the plain help or fallback answers then)."""
    from handlers.router import _offerable
    from handlers.texts import HOWTO, INTENT_LABELS, INTENT_SPECS

    spec = INTENT_SPECS.get(name)
    if spec is None or not spec.allows(ctx.account.role.value if ctx.account.role else None):
        return None
    then = _trouble_then(ctx)
    if not _offerable(ctx, name):  # started from a card or a request number, not a button
        if not trouble:
            return None
        return [Text(T["trouble_card"].format(label=spec.label, then=then), quick=menu_choices(ctx))]
    label = INTENT_LABELS[name]
    kind = "howto" if not trouble else "trouble" if spec.changes_data else "trouble_read"
    text = T[kind].format(label=label, steps=HOWTO.get(name, ""), then=then)
    start = Choice(label, postback=postback(name))
    return [Text(text, quick=[start] + [c for c in menu_choices(ctx) if c.postback != start.postback][:12])]


@handler("menu", roles=ANYONE)
def menu(ctx: Ctx, slots: dict) -> list[Reply]:
    """The caller's menu as quick replies."""
    return [Text(T["menu"], quick=menu_choices(ctx))]


@handler("cancel", roles=ANYONE)
def cancel(ctx: Ctx, slots: dict) -> list[Reply]:
    """Stop whatever conversation is going on."""
    had = engine.drop(ctx)
    return [Text(T["cancelled"] if had else T["nothing_to_cancel"], quick=menu_choices(ctx))]


@handler("contact_officer", roles=ANYONE)
def contact_officer(ctx: Ctx, slots: dict) -> list[Reply]:
    """"ขอคุยกับเจ้าหน้าที่": where to reach the district office; a producer's district officers
    are asked to call back (once a day per producer)."""
    from handlers.notices import audience_user_ids
    from handlers.texts import ENGINE
    from models import Producer

    acc = ctx.account
    district = ctx.session.get(District, acc.district_code) if acc.district_code else None
    if district is None:
        return [Text(ENGINE["officer_contact_plain"])]
    producer = ctx.session.get(Producer, acc.producer_id) if acc.producer_id else None
    if producer is not None:
        officers = audience_user_ids(ctx.session, ("district", district.code))
        ctx.push(officers, [Text(ENGINE["officer_push"].format(name=producer.name or "-", code=producer.code,
                                                               phone=producer.phone or "-"))],
                 purpose="notice:call_back", dedupe_key=f"call_back:{producer.id}:{ctx.today.isoformat()}")
    return [Text(ENGINE["officer_contact"].format(district=district.name_th))]


@handler("thanks", roles=ANYONE)
def thanks(ctx: Ctx, slots: dict) -> list[Reply]:
    """You are welcome."""
    return [Text(T["thanks"])]


@handler("unknown", roles=ANYONE)
def unknown(ctx: Ctx, slots: dict) -> list[Reply]:
    """Not understood: offer the menu."""
    return [Text(T["unknown"], quick=menu_choices(ctx))]


@handler("yes", roles=ANYONE)
def yes(ctx: Ctx, slots: dict) -> list[Reply]:
    """A yes with nothing to confirm."""
    return [Text(T["menu"], quick=menu_choices(ctx))]


@handler("no", roles=ANYONE)
def no(ctx: Ctx, slots: dict) -> list[Reply]:
    """A no with nothing to refuse."""
    return [Text(T["menu"], quick=menu_choices(ctx))]


@handler("image.received", roles=ANYONE)
def image_received(ctx: Ctx, slots: dict) -> list[Reply]:
    """Keep a picture the user sent, waiting to be attached to a product (issue 5)."""
    inc = ctx.incoming
    if inc.image is None or inc.image_path is None:
        return [Text(T["image_failed"])]
    if ctx.scope.role is None:
        return [Text(T["image_unlinked"], quick=menu_choices(ctx))]
    if ctx.scope.is_officer:  # an officer's picture is a product photo: handlers/officer/photo.py
        from handlers.officer.photo import officer_image

        return officer_image(ctx)
    exists = ctx.session.scalar(select(StoredMedia.id).where(StoredMedia.message_id == (inc.message_id or "")))
    if exists is None:
        ctx.session.add(StoredMedia(
            user_id=ctx.user_id, message_id=inc.message_id or inc.image_path,
            location=inc.image_path, sha256=hashlib.sha256(inc.image).hexdigest(),
        ))
    return [Text(T["image_received"], quick=menu_choices(ctx))]


def on_follow(ctx: Ctx) -> list[Reply]:
    """A user added the bot (or unblocked it): greet and say how to start."""
    ctx.account.following = True
    return greeting(ctx, {})


def on_unfollow(ctx: Ctx) -> list[Reply]:
    """A user blocked the bot: no more pushes, nothing to reply (no reply token anyway)."""
    ctx.account.following = False
    engine.drop(ctx)
    return []


@handler("richmenu.switched", roles=ANYONE, example_slots={})
def richmenu_switched(ctx: Ctx, slots: dict) -> list[Reply]:
    """A rich-menu page switch (LINE also sends its postback): nothing to answer."""
    return []
