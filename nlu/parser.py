"""parse(text, context) -> Intent: rules first, the n-gram model for the rest, then slots."""

from __future__ import annotations

import re
import time
from datetime import date
from functools import cache
from operator import itemgetter
from typing import Any

from . import rules, slots as sx
from .intents import CONFIDENCE_FLOOR, INTENTS, PRODUCER_SIDE, ROLE_TWINS, UNKNOWN, Context, Intent
from .model import model
from .normalize import clean, for_matching
from .places import extract_places

RULE_CONFIDENCE = 0.95
_OFFICER_OF = ROLE_TWINS
_PRODUCER_OF = {**{v: k for k, v in ROLE_TWINS.items()}, **PRODUCER_SIDE}

_YES = re.compile(r"(?:ใช่|ครับ|ค่ะ|คะ|ค่า|จ้า|โอเค|ok|okay|ตกลง|ยืนยัน|ได้เลย|ได้|ถูกต้อง|ถูก|เอา|เอาเลย|yes|y|ชัวร์)"
                  r"(?:\s*(?:แล้ว|ๆ|เลย|ครับ|ค่ะ|ถูกต้อง|ใช่))*")
_NO = re.compile(r"(?:ไม่ใช่|ไม่เอา|ไม่|ไม่ต้อง|ยังไม่ต้อง|ยังก่อน|ผิด|no|nope|n)(?:\s*\S{0,12}){0,2}")

PLACE_INTENTS = frozenset({
    "officer.incomplete", "officer.list_records", "officer.province_report", "officer.remind_area",
    "producer.update_address", "producer.request_relocation",
})
QUERY_INTENTS = frozenset({
    "officer.find", "officer.update_photo", "officer.add_standard", "officer.set_quadrant",
    "officer.set_category", "officer.set_producer_type", "officer.start_closure", "officer.issue_link_code",
})
FIELD_INTENTS = frozenset({"officer.incomplete", "officer.list_records", "officer.remind_area"})
REQUEST_INTENTS = frozenset({"officer.approve", "officer.reject", "officer.record_step", "producer.request_status"})
REASON_INTENTS = frozenset({"officer.reject", "officer.start_closure", "producer.request_closure",
                            "producer.request_relocation"})
YEAR_INTENTS = frozenset({"producer.add_star", "officer.province_report", "officer.national_report",
                          "officer.monthly_report"})

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


def _dataset(text: str) -> str | None:
    if "ชวนชิม" in text:
        return "chuanchim"
    if re.search(r"ผลิตภัณฑ์|สินค้า", text):
        return "products"
    if re.search(r"ผู้ผลิต|ผู้ประกอบการ", text):
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
    """The slots that make sense for intent `name` (`today` None: the current date)."""
    out: dict[str, Any] = {}
    nid = sx.national_id(cleaned)
    out.update(nid)
    if not nid:
        out.update(sx.phone(cleaned))
    if name == "account.redeem_code":
        out.update(sx.code(cleaned))
    std = sx.standard(cleaned) if name.endswith("add_standard") else {}
    out.update(std)
    if name in PLACE_INTENTS or (name == "officer.find" and re.search(r"(?:จ|อ|ต)\.|อำเภอ|ตำบล|จังหวัด", cleaned)):
        out.update(extract_places(cleaned, ctx))
    if name in FIELD_INTENTS:
        out.update(field_and_dataset(matching))
    elif name == "officer.find":
        ds = _dataset(matching)
        if ds:
            out["dataset"] = ds
    if name in REQUEST_INTENTS:
        out.update(sx.request_id(matching))
    if name in REASON_INTENTS:
        out.update(sx.reason(cleaned))
    if name == "producer.add_star":
        out.update(sx.stars(matching))
    if name in YEAR_INTENTS:
        out.update(sx.year(re.sub(r"\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}", " ", cleaned)))
    if name == "officer.record_step" or ctx.expecting == "date":
        out.update(sx.when(cleaned, today or date.today()))
    if name == "officer.set_quadrant":
        out.update(sx.quadrant(re.sub(r"\bP\d+", " ", matching)))
    if name == "officer.set_category":
        out.update(sx.category(matching))
    if name == "officer.set_producer_type":
        out.update(sx.producer_type(matching))
    if name == "producer.update_sales_channels":
        out.update(sx.channels(matching))
    if name == "officer.set_national_id":
        out.update(sx.query(_national_id_target(cleaned), []))
    if name in QUERY_INTENTS and "national_id" not in out:
        strip = [std_text for std_text in _standard_spans(cleaned)] if std else []
        target = cleaned
        if name == "officer.set_quadrant":
            target = re.sub(r"(?i)(?<![A-Za-z])(?:q)?[ABCD](?![A-Za-z])|quadrant|ควอดแรน[ทต]์", " ", cleaned)
        out.update(sx.query(target, strip))
    return out


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


def parse(text: str, context: Context | None = None) -> Intent:
    """What a Thai message means, given what the caller knows (role, area, flow)."""
    ctx = context or Context()
    today = ctx.today  # date.today() only where a date is read (it costs a time-zone look-up)
    cleaned = clean(text)
    matching = for_matching(cleaned)
    officer = ctx.is_officer

    if ctx.expecting == "yes_no":
        bare = cleaned.lower().strip()
        if not matching or _YES.fullmatch(matching) or _YES.fullmatch(bare):
            if not re.match(r"ไม่", matching):
                return Intent("yes", {}, 1.0, [])
        if _NO.fullmatch(matching) and not rules.match(matching, officer) in ("cancel",):
            return Intent("no", {}, 1.0, [])

    ruled = rules.match(matching, officer) if matching else None

    if ctx.expecting and ctx.expecting != "yes_no" and ruled not in ("cancel", "help", "menu"):
        found = _expected_slot(ctx.expecting, cleaned, ctx, today)
        if found:
            name = ctx.flow if ctx.flow in INTENTS else UNKNOWN
            extra = fill_slots(name, cleaned, matching, ctx, today) if name != UNKNOWN else {}
            return Intent(name, {**extra, **found}, 0.95, [])

    code = sx.code(cleaned)
    if code and ruled != "officer.issue_link_code":
        rest = re.sub(r"[A-Za-z0-9]{4}-?[A-Za-z0-9]{4}", "", matching)
        if len(rest.strip()) <= 40:
            return Intent("account.redeem_code", code, RULE_CONFIDENCE, [])

    ranked = _project(*model().rank(matching), ctx) if matching else []
    if ruled:
        alternatives = [(n, p) for n, p in ranked if n != ruled][:3]
        return Intent(ruled, fill_slots(ruled, cleaned, matching, ctx, today), RULE_CONFIDENCE, alternatives)
    if not ranked or ranked[0][0] == UNKNOWN or ranked[0][1] < CONFIDENCE_FLOOR:
        alternatives = [(n, p) for n, p in ranked if n != UNKNOWN][:3]
        return Intent(UNKNOWN, {}, ranked[0][1] if ranked else 0.0, alternatives)
    name, p = ranked[0]
    return Intent(name, fill_slots(name, cleaned, matching, ctx, today), p,
                  [(n, q) for n, q in ranked[1:4] if n != UNKNOWN])


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
    return time.perf_counter() - start
