"""Forms for the registration's lists: sales channels (the current set), star-selection
results (one round per year, round after round), projects joined. Applied at once; each
change is one audit row on the producer (field = the list, old → new)."""

from __future__ import annotations

from typing import Any

from handlers.context import Ctx
from handlers.engine import Flow, Invalid, Slot, Valid, register_flow, start
from handlers.producer import common
from handlers.producer.texts import COMMON, LISTS as T
from handlers.registry import PRODUCERS, handler
from handlers.replies import Choice, Reply, Text, postback
from models import ProducerProject, SalesChannel, SalesChannelKind, StarRating
from registry import audit, ids
from registry.labels_th import CHANNEL_TH

FIRST_STAR_YEAR = 2545  # the first OTOP star selection round (คัดสรรสุดยอดหนึ่งตำบลหนึ่งผลิตภัณฑ์)

CHANNEL_WORDS = {
    SalesChannelKind.DOMESTIC: ("ในประเทศ", "domestic", "หน้าร้าน", "ตลาด", "ขายในไทย"),
    SalesChannelKind.EXPORT: ("ต่างประเทศ", "ส่งออก", "export"),
    SalesChannelKind.ONLINE: ("ออนไลน์", "online", "เฟส", "facebook", "line", "shopee", "lazada", "เว็บ"),
}


def _who(ctx: Ctx) -> dict[str, Any]:
    return {"actor": ctx.user_id, "channel": common.channel(ctx)}


# -- sales channels --------------------------------------------------------------------------

def check_channels(value: str, ctx: Ctx) -> Valid | Invalid:
    """One or more channels, by button value or by words (several at once)."""
    text = value.strip().lower()
    found = [k.value for k, words in CHANNEL_WORDS.items()
             if text == k.value or any(w in text for w in words) or k.value in text.split(",")]
    return Valid(found) if found else Invalid(T["bad_channels"])


def channel_choices(ctx: Ctx) -> list[Choice]:
    every = ",".join(k.value for k in SalesChannelKind)
    return [*(common.answer(CHANNEL_TH[k], k.value) for k in SalesChannelKind),
            common.answer("ทุกช่องทาง", every)]


def _channels_text(kinds: list[str]) -> str:
    return ", ".join(CHANNEL_TH[SalesChannelKind(k)] for k in kinds) or "-"


def save_channels(ctx: Ctx, v: dict[str, Any]) -> list[Reply]:
    """Make the current channels exactly the chosen ones."""
    producer = common.my_producer(ctx)
    if producer is None:
        return common.refuse_other()
    old = sorted(c.channel.value for c in producer.sales_channels)
    new = sorted(set(v["channels"]))
    if old == new:
        return [Text(COMMON["unchanged"], quick=common.after_edit())]
    producer.sales_channels[:] = [c for c in producer.sales_channels if c.channel.value in new]
    for kind in new:
        if kind not in old:
            producer.sales_channels.append(SalesChannel(channel=SalesChannelKind(kind)))
    audit.record(ctx.session, **_who(ctx), entity="producer", entity_id=producer.id, field="sales_channels",
                 old=old or None, new=new)
    return [Text(COMMON["saved"].format(field=T["channels_label"], value=_channels_text(new)),
                 quick=common.after_edit())]


CHANNELS = register_flow(Flow(
    name="producer.update_sales_channels", title_th="แก้ช่องทางจำหน่าย", roles=PRODUCERS, before_start=common.editable_guard,
    slots=[Slot("channels", T["ask_channels"], validate=check_channels, choices=channel_choices,
                label=T["channels_label"], show=_channels_text)],
    on_done=save_channels,
))


@handler("producer.update_sales_channels", roles=PRODUCERS, example_slots={"channels": ["online"]})
def update_sales_channels(ctx: Ctx, slots: dict) -> list[Reply]:
    """Set the current sales channels (the NLU may bring them along)."""
    given = slots.get("channels")
    return start(ctx, CHANNELS, channels=",".join(given) if isinstance(given, list) else given)


# -- star selection results ------------------------------------------------------------------

def check_year(value: str, ctx: Ctx) -> Valid | Invalid:
    """A BE year from the first round to this year (CE years and "ปี 66" accepted)."""
    text = ids.arabic_digits(value).strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    year = int(digits) if digits else 0
    if 2000 <= year <= 2100:
        year += ids.BE_OFFSET
    elif 0 < year < 100:
        year += 2500
    last = ctx.today.year + ids.BE_OFFSET
    if not FIRST_STAR_YEAR <= year <= last:
        return Invalid(T["bad_year"].format(first=FIRST_STAR_YEAR, last=last))
    return Valid(year)


def check_stars(value: str, ctx: Ctx) -> Valid | Invalid:
    words = {"หนึ่ง": 1, "สอง": 2, "สาม": 3, "สี่": 4, "ห้า": 5}
    text = ids.arabic_digits(value).strip()
    digits = [int(ch) for ch in text if ch.isdigit()]
    stars = digits[0] if len(digits) == 1 else next((n for w, n in words.items() if w in text), 0)
    return Valid(stars) if 1 <= stars <= 5 else Invalid(T["bad_stars"])


def year_choices(ctx: Ctx) -> list[Choice]:
    this_year = ctx.today.year + ids.BE_OFFSET
    return [common.answer(str(y), y) for y in range(this_year, this_year - 5, -1)]


def star_choices(ctx: Ctx) -> list[Choice]:
    return [common.answer("⭐" * n, n) for n in range(1, 6)]


def save_star(ctx: Ctx, v: dict[str, Any]) -> list[Reply]:
    """Add (or correct) the result of one round."""
    producer = common.my_producer(ctx)
    if producer is None:
        return common.refuse_other()
    year, stars = int(v["year_be"]), int(v["stars"])
    row = next((r for r in producer.star_ratings if r.year_be == year), None)
    old = row.stars if row else None
    if old == stars:
        return [Text(COMMON["unchanged"], quick=common.after_edit())]
    if row is None:
        producer.star_ratings.append(StarRating(year_be=year, stars=stars))
    else:
        row.stars = stars
    audit.record(ctx.session, **_who(ctx), entity="producer", entity_id=producer.id,
                 field=f"star_ratings.{year}", old=old, new=stars)
    ctx.session.flush()
    every = ", ".join(T["stars_value"].format(year=r.year_be, stars=r.stars)
                      for r in sorted(producer.star_ratings, key=lambda r: r.year_be))
    return [Text(T["star_saved"].format(year=year, stars=stars, all=every),
                 quick=[Choice(T["btn_more_star"], postback=postback("producer.add_star")), *common.after_edit()])]


STARS = register_flow(Flow(
    name="producer.add_star", title_th="เพิ่มระดับดาว", roles=PRODUCERS, before_start=common.editable_guard,
    slots=[Slot("year_be", T["ask_year"], validate=check_year, choices=year_choices, label=T["year_label"]),
           Slot("stars", T["ask_stars"], validate=check_stars, choices=star_choices, label=T["stars_label"],
                show=lambda stars: T["stars_shown"].format(stars=stars))],
    on_done=save_star,
))


@handler("producer.add_star", roles=PRODUCERS, example_slots={"stars": 4, "year_be": 2566})
def add_star(ctx: Ctx, slots: dict) -> list[Reply]:
    """Record a star-selection result (year and stars); one round at a time."""
    return start(ctx, STARS, year_be=slots.get("year_be"), stars=slots.get("stars"))


# -- projects joined -------------------------------------------------------------------------

def check_project(value: str, ctx: Ctx) -> Valid | Invalid:
    text = " ".join(value.split())
    return Valid(text[:300]) if len(text) >= 3 else Invalid(T["bad_project"])


def check_project_year(value: str, ctx: Ctx) -> Valid | Invalid:
    result = check_year(value, ctx)
    if isinstance(result, Invalid):
        return Invalid(T["bad_year"].format(first=2500, last=ctx.today.year + ids.BE_OFFSET))
    return result


def check_organiser(value: str, ctx: Ctx) -> Valid | Invalid:
    text = " ".join(value.split())
    return Valid(text[:300]) if len(text) >= 2 else Invalid(T["ask_organiser"])


def save_project(ctx: Ctx, v: dict[str, Any]) -> list[Reply]:
    producer = common.my_producer(ctx)
    if producer is None:
        return common.refuse_other()
    producer.projects.append(ProducerProject(project=v["project"], year_be=v.get("year_be"),
                                             organiser=v.get("organiser")))
    shown = v["project"] + (f" ({v['year_be']})" if v.get("year_be") else "")
    audit.record(ctx.session, **_who(ctx), entity="producer", entity_id=producer.id, field="projects",
                 old=None, new=shown)
    return [Text(T["project_saved"].format(project=v["project"]),
                 quick=[Choice(T["btn_more_project"], postback=postback("producer.update_projects")),
                        *common.after_edit()])]


PROJECTS = register_flow(Flow(
    name="producer.update_projects", title_th="เพิ่มโครงการที่เข้าร่วม", roles=PRODUCERS, before_start=common.editable_guard,
    slots=[Slot("project", T["ask_project"], validate=check_project, example="โครงการพัฒนาผลิตภัณฑ์ OTOP",
                label=T["project_label"]),
           Slot("year_be", T["ask_project_year"], validate=check_project_year, choices=year_choices, optional=True,
                label=T["project_year_label"]),
           Slot("organiser", T["ask_organiser"], validate=check_organiser, optional=True, label=T["organiser_label"])],
    on_done=save_project,
))


@handler("producer.update_projects", roles=PRODUCERS, example_slots={})
def update_projects(ctx: Ctx, slots: dict) -> list[Reply]:
    """Add a project the producer joined (name, year, organiser)."""
    return start(ctx, PROJECTS)
