"""parse(text, context) -> Intent: rules first, the n-gram model for the rest, then slots."""

from __future__ import annotations

import re
import time
from datetime import date
from functools import cache
from itertools import islice
from operator import itemgetter
from typing import Any

from . import catalog, product_span, slots as sx
from .decide import RULE_CONFIDENCE, decide
from .intents import CONFIDENCE_FLOOR, INTENTS, PRODUCER_SIDE, ROLE_TWINS, UNKNOWN, Context, Intent
from .model import model
from .normalize import clean, for_matching
from .places import extract_places

_OFFICER_OF = ROLE_TWINS
_PRODUCER_OF = {**{v: k for k, v in ROLE_TWINS.items()}, **PRODUCER_SIDE}

QUERY_INTENTS = frozenset({
    "officer.find", "officer.update_photo", "officer.add_standard", "officer.set_quadrant",
    "officer.set_category", "officer.set_producer_type", "officer.start_closure", "officer.issue_link_code",
})
REQUEST_INTENTS = frozenset({"officer.approve", "officer.reject", "officer.record_step", "producer.request_status",
                             "producer.withdraw_request"})
REASON_INTENTS = frozenset({"officer.reject", "officer.start_closure", "producer.request_closure",
                            "producer.request_relocation", "officer.record_step"})

_FIELDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (f, re.compile(p)) for f, p in (
        ("national_id", r"เลขบัตร|บัตรประชาชน|เลขประจำตัว"),
        ("birth_date", r"วันเกิด|วันเดือนปีเกิด"),
        ("owner_name", r"ชื่อเจ้าของ|ชื่อผู้ประกอบการ|ชื่อ-สกุล|ชื่อสกุล"),
        ("name", r"(?<!ราย)ชื่อร้าน"),
        ("items", r"รายการอาหาร|เมนูอาหาร|รายการที่ขาย"),
        ("awards", r"รางวัล"),
        ("photos", r"รูป|ภาพ|photo"),
        ("phone", r"เบอร์|โทร"),
        ("address", r"ที่อยู่"),
        ("quadrant", r"ควอดแรนต์|quadrant|จัดกลุ่ม"),
        ("standards", r"มาตรฐาน|มผช|(?<![ก-๙])อย\.?(?![ก-๙])"),
        ("category", r"หมวด|ประเภทผลิตภัณฑ์|ประเภทสินค้า"),
        ("producer_type", r"ลักษณะ|ประเภทผู้|(?:ผู้ประกอบการ|ผู้ผลิต)\S*\s*\S*ประเภท"),
    )
)
_FIELD_DATASET = {
    "national_id": "producers", "birth_date": "producers", "owner_name": "producers",
    "producer_type": "producers", "name": "chuanchim", "items": "chuanchim", "awards": "chuanchim",
    "quadrant": "products", "standards": "products", "category": "products",
}


_PRODUCTS = re.compile(r"ผลิตภัณฑ์|สินค้า")
_PRODUCERS = re.compile(r"ผู้ผลิต|ผู้ประกอบการ")


def _dataset(text: str) -> str | None:
    if "ชวนชิม" in text:
        return "chuanchim"
    if _PRODUCTS.search(text):
        return "products"
    if _PRODUCERS.search(text):
        return "producers"
    return None


def field_and_dataset(text: str) -> dict[str, Any]:
    """The completeness field and dataset a question is about ("ขาดรูป" → products.photos)."""
    out: dict[str, Any] = {}
    dataset = _dataset(text)
    if dataset:
        out["dataset"] = dataset
    for name, pattern in _FIELDS:
        if pattern.search(text):
            ds = _FIELD_DATASET.get(name) or ("chuanchim" if dataset == "chuanchim" else
                                              "products" if name == "photos" else "producers")
            out["field"] = f"{ds}.{name}"
            break
    return out


def _project(order: list[int], probs: list[float], ctx: Context) -> list[tuple[str, float]]:
    """Model scores (`IntentModel.rank()`) seen from the user's side: twins merged, the other
    side's intents dropped."""
    views = _views("officer" if ctx.is_officer else "producer" if ctx.role == "producer" else "unlinked")
    merged: dict[str, float] = {}
    for i in order:
        name, damped = views[i]
        if name:
            p = probs[i]
            if damped:
                p *= 0.3  # unlinked: could be an officer, but producers and account come first
            merged[name] = merged.get(name, 0.0) + p
    total = sum(merged.values()) or 1.0
    # Stable, like sorting on -p: equal scores keep the model's order.
    return sorted([(n, p / total) for n, p in merged.items()], key=itemgetter(1), reverse=True)


@cache
def _allowed(role: str | None) -> frozenset[str]:
    """The intents a user of `role` may use, but `unknown` (did-you-mean alternatives)."""
    return frozenset(n for n, s in catalog.SPECS.items() if n != UNKNOWN and s.allows(role))


@cache
def _views(side: str) -> tuple[tuple[str, bool], ...]:
    """Per model label (by index): the intent it counts for on `side` ("" when dropped) and
    whether its score is damped. Sides: officer, producer, unlinked."""
    return tuple(_seen_as(name, side) for name in model().labels)


def _seen_as(name: str, side: str) -> tuple[str, bool]:
    if side == "officer":
        return (_OFFICER_OF.get(name, ""), False) if name.startswith("producer.") else (name, False)
    if name.startswith("officer."):
        twin = _PRODUCER_OF.get(name)
        if twin:
            return twin, False
        return ("", False) if side == "producer" else (name, True)
    return name, False


def _expected_slot(kind: str, cleaned: str, ctx: Context, today: date | None) -> dict[str, Any]:
    if kind in ("province", "district", "subdistrict"):
        from .normalize import strip_particles
        return extract_places(strip_particles(cleaned), ctx, expecting=kind)
    if kind == "national_id":
        return sx.national_id(cleaned)
    if kind == "phone":
        return sx.phone(cleaned)
    if kind == "date":
        return sx.when(cleaned, today or date.today())
    if kind == "code":
        return sx.code(cleaned)
    if kind == "stars":
        return sx.stars(for_matching(cleaned))
    if kind == "quadrant":
        return sx.quadrant(for_matching(cleaned))
    return {}


def fill_slots(name: str, cleaned: str, matching: str, ctx: Context, today: date | None) -> dict[str, Any]:
    """Every slot the message names, whatever the intent (`today` None: the current date).

    Only the free-text readings (the name to search, a reason) depend on the intent: what is
    left of the message after its command words."""
    out = extract(cleaned, matching, ctx, today)
    if "product_name" in catalog.SPECS[name].slots:
        # The tagger (~0.3 ms) only where a product is read, and it has the last word there:
        # the hand-written reader's guesses ("สินค้าต้องทำยังไง") would be asked about.
        out.pop("product_name", None)
        tagged = product_span.product_name(cleaned)
        if tagged:
            out["product_name"] = tagged
    if name in REQUEST_INTENTS:
        out.update(sx.request_id(matching))
    if name in REASON_INTENTS:
        out.update(sx.reason(cleaned))
    if name == "officer.set_national_id":
        out.update(sx.query(_national_id_target(cleaned), []))
    elif name in QUERY_INTENTS and "national_id" not in out:
        strip = _standard_spans(cleaned) if "standard_scheme" in out else []
        target = cleaned
        if name == "officer.set_quadrant":
            target = re.sub(r"(?i)(?<![A-Za-z])(?:q)?[ABCD](?![A-Za-z])|quadrant|ควอดแรน[ทต]์", " ", cleaned)
        out.update(sx.query(target, strip))
    if "registry_code" in out and name in QUERY_INTENTS | {"officer.set_national_id"}:
        out["query"] = out["registry_code"]
    return out


def extract(cleaned: str, matching: str, ctx: Context, today: date | None) -> dict[str, Any]:
    """The slots of a message, read the same way for every intent (an `unknown` keeps them)."""
    day = today or date.today()
    out: dict[str, Any] = {}
    out.update(sx.national_id(cleaned))
    out.update(sx.phone(cleaned))
    out.update(sx.code(cleaned))
    out.update(sx.registry_code(cleaned))
    std = sx.standard(cleaned)
    out.update(std)
    if std:
        out.update(sx.expiry(cleaned, day))
        if re.sub(r"\D", "", str(std.get("standard_number") or "")) == out.get("national_id"):
            # an อย. number has 13 digits too: it is the standard's number, not an ID
            out.pop("national_id", None)
            out.pop("national_id_valid", None)
    out.update(extract_places(_without_names(cleaned), ctx))
    out.update(field_and_dataset(matching))
    if "field" not in out:
        ds = _dataset(matching)
        if ds:
            out["dataset"] = ds
    out.update(sx.stars(matching))
    out.update(sx.year(re.sub(r"\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}", " ", cleaned), day))
    dated = sx.when(cleaned, day) or sx.relative_date(cleaned, day)
    out.update(dated)
    out.update(sx.month(cleaned, day))
    out.update(sx.quadrant_mentioned(matching))
    out.update(sx.category_mentioned(matching))
    out.update(sx.producer_type_mentioned(matching))
    out.update(sx.channels(matching))
    out.update(sx.percent(matching))
    out.update(sx.product_name(cleaned))
    return out


def _without_names(cleaned: str) -> str:
    """The text without a product's or group's name, whose words may be place names
    ("ผ้าทอบ้านนาข่า"): only what follows a level prefix or stands alone is a place."""
    return cleaned


_NID_WORDS = re.compile(r"เลขบัตร(?:ประชาชน)?(?:\s*ปชช\.?)?|เลขประจำตัว(?:ประชาชน)?|บัตรประชาชน|บัตร\s*ปชช\.?|ปชช\.?"
                        r"|เลข\s*13\s*หลัก|เลขสิบสามหลัก|national\s*id|(?:ราย|คน)นี้", re.I)
_NID_COMPLAINT = re.compile(r"\s*(?:ผิด|ไม่ถูก|คือ|[=:]|\s(?:ขอ(?![งบ])|ช่วย|ต้อง)).*$")


def _national_id_target(cleaned: str) -> str:
    """The producer named in a national-ID correction: without the number, the words for
    the ID, "wrong" and what follows ("เลขบัตรของนางคำปุ่น ผิด ขอแก้เป็น ..." → นางคำปุ่น)."""
    s = sx.NATIONAL_ID.sub(" ", cleaned)
    if sx.RECORD_ID.search(s):
        return s
    s = _NID_WORDS.sub(" ", s)
    return _NID_COMPLAINT.sub("", s)


def _standard_spans(cleaned: str) -> list[str]:
    spans = re.findall(r"(?:มผช\.?|อย\.?|gmp|ฮาลาล|halal|organic thailand|organic|มกอช\.?)\s*[\d/\-\s]*", cleaned, re.I)
    return [s.strip() for s in spans]


# What is read of a message: a request is said in its first lines, and LINE allows 5,000
# characters (reading them all took over a second).
MAX_CHARS = 1000


def parse(text: str, context: Context | None = None) -> Intent:
    """What a Thai message means, given what the caller knows (role, area, flow)."""
    ctx = context or Context()
    today = ctx.today  # date.today() only where a date is read (it costs a time-zone look-up)
    cleaned = clean(text[:MAX_CHARS])
    matching = for_matching(cleaned)

    if ctx.expecting:
        answered = _answer(cleaned, matching, ctx, today)
        if answered is not None:
            return answered
    if not matching:
        # Only particles ("ครับ", "ค่ะ"): an acknowledgement.
        return Intent("yes" if re.search(r"[ก-๙]", cleaned) else UNKNOWN, {}, 0.9 if cleaned else 0.0, [])
    ranked = _project(*model().rank(matching), ctx)
    bare = _bare_identifier(cleaned, matching, ctx)
    if bare:
        # Below the router's "leave the form" confidence: an ID typed into a form is an answer.
        return Intent(bare, fill_slots(bare, cleaned, matching, ctx, today), BARE_CONFIDENCE,
                      [(n, p) for n, p in ranked if n != bare][:3])
    decided = decide(matching, ctx, ranked)
    name, confidence = decided.name, decided.confidence
    allowed = _allowed(ctx.role)
    alternatives = list(islice(((n, p) for n, p in ranked if n in allowed and n != name), 3))
    slots = fill_slots(name, cleaned, matching, ctx, today)
    slots.update(decided.notes)  # unknown: why (negated, out of scope, ...); help: its topic
    return Intent(name, slots, confidence, alternatives)


def _answer(cleaned: str, matching: str, ctx: Context, today: date | None) -> Intent | None:
    """A bare answer to what the conversation asked (yes/no, a slot); None: not an answer."""
    ruled = decide(matching, ctx, []).name if matching else None
    if ctx.expecting == "yes_no":
        if ruled in ("yes", "no", "cancel"):
            return Intent(ruled, {}, 1.0, [])
        return None
    if ruled in ("cancel", "help", "menu"):
        return None
    found = _expected_slot(ctx.expecting or "", cleaned, ctx, today)
    if not found:
        return None
    name = ctx.flow if ctx.flow in catalog.SPECS else UNKNOWN
    extra = fill_slots(name, cleaned, matching, ctx, today) if name != UNKNOWN else {}
    return Intent(name, {**extra, **found}, 0.95, [])


BARE_CONFIDENCE = 0.85
_EDIT_WORD = re.compile(r"แก้|เปลี่ยน|อัปเดต|อัพเดท|อัพเดต|edit|update|change", re.I)
_FILLER = re.compile(r"[\s.,:;!?()\-]|ครับ|ค่ะ|คะ|นะ|จ้า|เลข(?:บัตร|ที่)?|เบอร์(?:โทร)?|โทร|รหัส|โค้ด|code|ผู้ผลิต|ขอ|ดู|หน่อย|ด้วย|นี้|คือ|ของ|ใคร|ครับผม|#")


def _bare_identifier(cleaned: str, matching: str, ctx: Context) -> str | None:
    """A national ID, phone, registry or invite code typed (almost) alone."""
    ids = sx.code(cleaned) or sx.national_id(cleaned) or sx.phone(cleaned) or sx.registry_code(cleaned)
    if not ids or sx.standard(cleaned):
        return None
    rest = cleaned
    for m in (sx.NATIONAL_ID, sx._PHONE, sx.REGISTRY_CODE, sx._CODE):
        rest = m.sub(" ", rest)
    rest = _FILLER.sub("", rest)
    if _EDIT_WORD.search(rest):
        return None  # "แก้เลขบัตร 1103700987657": the edit, with its value
    name_like = len(re.findall(r"[ก-๙A-Za-z]", rest))
    invite = "code" in ids
    if invite and (name_like <= 40 or not ctx.is_officer) and not re.search(r"ออก|สร้าง|gen|issue", matching):
        return "account.redeem_code"
    if name_like > 5:
        return None
    if ctx.is_officer:
        return "officer.find"
    if "national_id" in ids or "registry_code" in ids or ctx.role is None:
        return "producer.link"  # (a phone alone from a user not linked yet: linking asks for it)
    return None


def warm_up() -> float:
    """Load everything a first message would (model, gazetteer indexes); returns seconds."""
    from registry import gazetteer

    start = time.perf_counter()
    model()
    gazetteer.warm_up()
    for level in ("district", "subdistrict"):
        for p in gazetteer.provinces():
            gazetteer.name_index(level, p.code)  # type: ignore[arg-type]
    for d in gazetteer.all_districts():
        gazetteer.name_index("subdistrict", d.code)
    parse("สวัสดีครับ อ.เมือง ต.ในเมือง ขาดรูป 15/6/2567", Context(role="district", province_code="57",
                                                                 district_code="5701"))
    product_span.product_name("รูปน้ำพริกเผาค่ะ")  # the tagger and the word dictionary
    return time.perf_counter() - start
