"""One row of an import, from text cells to typed values, or a RowError saying why not.

Only the columns present in the file are parsed (a file without a `photos` column leaves
photos alone); an empty cell in a present column means blank.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import String

from models.pii import blind_national_id
from models import Base, Category, ProducerType, Quadrant, RegistrationStatus, SalesChannelKind
from registry import gazetteer, ids
from registry.labels_th import CATEGORY_TH, CHANNEL_TH, PRODUCER_TYPE_TH, STATUS_TH
from registry.values import national_id_value, phone_value

# List columns: (sheet, column) -> (child table, foreign key, child columns).
LIST_TABLES: dict[tuple[str, str], tuple[str, str, tuple[str, ...]]] = {
    ("producers", "sales_channels"): ("producer_sales_channels", "producer_id", ("channel",)),
    ("producers", "star_ratings"): ("producer_star_ratings", "producer_id", ("year_be", "stars")),
    ("products", "standards"): ("product_standards", "product_id", ("scheme", "number")),
    ("products", "keywords"): ("product_keywords", "product_id", ("word",)),
    ("products", "photos"): ("product_photos", "product_id", ("location",)),
    ("chuanchim", "items"): ("chuanchim_items", "shop_id", ("name",)),
    ("chuanchim", "awards"): ("chuanchim_awards", "shop_id", ("name",)),
    ("chuanchim", "photos"): ("chuanchim_photos", "shop_id", ("location",)),
}
TABLE_OF = {"producers": "producers", "products": "products", "chuanchim": "chuanchim_shops"}


class RowError(Exception):
    """Why a row cannot be taken: a reason code (registry.labels_th.REJECT_REASONS) and detail."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


@dataclass
class Parsed:
    """A row ready to write: its code, scalar column values, and list values (sorted tuples)."""

    code: str
    values: dict[str, Any] = field(default_factory=dict)
    lists: dict[str, tuple[tuple[Any, ...], ...]] = field(default_factory=dict)
    producer_code: str | None = None


@lru_cache(maxsize=4096)
def _key(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


def _words(*pairs: dict[Any, str], extra: dict[str, Any] | None = None) -> dict[str, Any]:
    out = {_key(th): member for mapping in pairs for member, th in mapping.items()}
    for mapping in pairs:
        out.update({_key(m.value): m for m in mapping})
    out.update(extra or {})
    return out


TYPE_WORDS = _words(PRODUCER_TYPE_TH, extra={"smes": ProducerType.SME, "sme": ProducerType.SME})
CATEGORY_WORDS = _words(CATEGORY_TH)
STATUS_WORDS = _words(STATUS_TH)
CHANNEL_WORDS = _words(CHANNEL_TH)
QUADRANT_WORDS = {**{q.value.lower(): q for q in Quadrant}, **{f"q{q.value.lower()}": q for q in Quadrant}}


def _lookup(words: dict[str, Any], text: str, what: str) -> Any:
    if not text:
        return None
    try:
        return words[_key(text)]
    except KeyError:
        raise RowError("bad_value", f"{what}: {text!r}") from None


def _split(text: str) -> list[str]:
    return list(dict.fromkeys(p.strip() for p in text.split(";") if p.strip()))


def _text(text: str) -> str | None:
    return text or None


@lru_cache(maxsize=50_000)
def resolve_area(province: str, district: str, subdistrict: str) -> tuple[str, ...]:
    """(province, district, sub-district codes) or ("!", reason code, detail); cached."""
    prov = gazetteer.resolve_province(province).place if province else None
    if prov is None:
        return ("!", "unknown_province", province)
    dist = gazetteer.resolve_district(district, prov.code).place if district else None
    if dist is None:
        return ("!", "unknown_district", f"{district} ({prov.name_th})")
    if not subdistrict:
        return (prov.code, dist.code, "")
    sub = gazetteer.resolve_subdistrict(subdistrict, dist.code).place
    if sub is None:
        return ("!", "unknown_subdistrict", f"{subdistrict} ({dist.name_th})")
    return (prov.code, dist.code, sub.code)


def _area(rec: dict[str, str], out: Parsed) -> None:
    if not ({"province", "district", "subdistrict"} & rec.keys()):
        return
    res = resolve_area(rec.get("province", ""), rec.get("district", ""), rec.get("subdistrict", ""))
    if res[0] == "!":
        raise RowError(res[1], res[2])
    out.values.update(province_code=res[0], district_code=res[1], subdistrict_code=res[2] or None)


@lru_cache(maxsize=65_536)
def _parse_date(text: str) -> Any:
    """`ids.parse_date`, cached (dates repeat a lot); `_BAD` where it raises ValueError."""
    try:
        return ids.parse_date(text)
    except ValueError:
        return _BAD


_BAD = object()


def _date(text: str, what: str) -> Any:
    value = _parse_date(text)
    if value is _BAD:
        raise RowError("bad_date", f"{what}: {text!r}")
    return value


def _stars(text: str) -> tuple[tuple[int, int], ...]:
    ratings: dict[int, int] = {}
    for part in _split(ids.arabic_digits(text)):
        m = re.fullmatch(r"(\d{4})\s*:\s*(\d)", part)
        if not m or int(m[1]) < 2400 or not 1 <= int(m[2]) <= 5:
            raise RowError("bad_value", f"star_ratings: {part!r} (YEAR_BE:STARS 1-5)")
        ratings[int(m[1])] = int(m[2])
    return tuple(sorted(ratings.items()))


def _price(text: str) -> Decimal | None:
    if not text:
        return None
    try:
        value = Decimal(ids.arabic_digits(text).replace(",", "").replace("บาท", "").strip())
    except InvalidOperation:
        raise RowError("bad_number", f"price: {text!r}") from None
    if not value.is_finite() or value < 0 or value >= Decimal("1e10"):
        raise RowError("bad_number", f"price: {text!r}")
    return value


def _standard(part: str) -> tuple[str, str]:
    scheme, _, number = part.partition(" ")
    return scheme.strip(), number.strip()


def parse_producer(rec: dict[str, str]) -> Parsed:
    out = Parsed(rec.get("producer_id", ""))
    v = out.values
    for col in ("name", "owner_name", "registration_no", "address"):
        if col in rec:
            v[col] = _text(rec[col])
    if "producer_type" in rec:
        v["producer_type"] = _lookup(TYPE_WORDS, rec["producer_type"], "producer_type")
    if "national_id" in rec:
        v["national_id"], v["national_id_valid"] = national_id_value(rec["national_id"])
        v["national_id_hash"] = blind_national_id(v["national_id"])
    if "phone" in rec:
        v["phone"], v["phone_valid"] = phone_value(rec["phone"])
    if "birth_date" in rec:
        v["birth_date"] = _date(rec["birth_date"], "birth_date")
    if "registered_on" in rec:
        v["registered_on"] = _date(rec["registered_on"], "registered_on")
    if "status" in rec:
        v["status"] = _lookup(STATUS_WORDS, rec["status"], "status") or RegistrationStatus.ACTIVE
    _area(rec, out)
    if "sales_channels" in rec:
        channels = {_lookup(CHANNEL_WORDS, p, "sales_channels") for p in _split(rec["sales_channels"])}
        out.lists["sales_channels"] = tuple((c,) for c in sorted(channels, key=lambda c: c.value))
    if "star_ratings" in rec:
        out.lists["star_ratings"] = _stars(rec["star_ratings"])
    return out


def parse_product(rec: dict[str, str]) -> Parsed:
    out = Parsed(rec.get("product_id", ""), producer_code=rec.get("producer_id", "").strip())
    v = out.values
    for col in ("name", "subcategory"):
        if col in rec:
            v[col] = _text(rec[col])
    if "category" in rec:
        v["category"] = _lookup(CATEGORY_WORDS, rec["category"], "category")
    if "quadrant" in rec:
        v["quadrant"] = _lookup(QUADRANT_WORDS, rec["quadrant"], "quadrant")
    if "price" in rec:
        v["price"] = _price(rec["price"])
    if "standards" in rec:
        out.lists["standards"] = tuple(sorted({_standard(p) for p in _split(rec["standards"])}))
    if "keywords" in rec:
        out.lists["keywords"] = tuple(sorted({(p,) for p in _split(rec["keywords"])}))
    if "photos" in rec:
        out.lists["photos"] = tuple(sorted({(p,) for p in _split(rec["photos"])}))
    if not out.producer_code:
        raise RowError("unknown_producer", "producer_id is empty")
    return out


def parse_chuanchim(rec: dict[str, str]) -> Parsed:
    out = Parsed(rec.get("chuanchim_id", ""))
    for col in ("name", "owner_name", "address"):
        if col in rec:
            out.values[col] = _text(rec[col])
    if "phone" in rec:
        out.values["phone"], out.values["phone_valid"] = phone_value(rec["phone"])
    _area(rec, out)
    for col in ("items", "awards", "photos"):
        if col in rec:
            out.lists[col] = tuple(sorted({(p,) for p in _split(rec[col])}))
    return out


PARSERS = {"producers": parse_producer, "products": parse_product, "chuanchim": parse_chuanchim}


@cache
def _max_lengths(table_name: str) -> dict[str, int]:
    table = Base.metadata.tables[table_name]
    return {c.name: c.type.length for c in table.columns if isinstance(c.type, String) and c.type.length}


@cache
def _list_limits(sheet: str, name: str) -> tuple[tuple[int, str, int], ...]:
    """(position in the item, column, limit) of a list column's limited text columns."""
    table, _fk, cols = LIST_TABLES[(sheet, name)]
    child = _max_lengths(table)
    return tuple((i, col, child[col]) for i, col in enumerate(cols) if col in child)


def check_lengths(sheet: str, parsed: Parsed) -> None:
    """Reject values longer than their column (PostgreSQL would refuse them mid-batch)."""
    limits = _max_lengths(TABLE_OF[sheet])
    for col, value in (("code", parsed.code), *parsed.values.items()):
        if isinstance(value, str) and col in limits and len(value) > limits[col]:
            raise RowError("bad_value", f"{col}: longer than {limits[col]} characters")
    for name, values in parsed.lists.items():
        limits_here = _list_limits(sheet, name)
        for value in values if limits_here else ():
            for i, _col, limit in limits_here:
                item = value[i]
                if isinstance(item, str) and len(item) > limit:
                    raise RowError("bad_value", f"{name}: {item[:30]!r}… longer than {limit} characters")


def parse_row(sheet: str, rec: dict[str, str]) -> Parsed:
    """Parse and check one row; raises RowError."""
    code = rec.get(ID_COLUMNS[sheet], "").strip()
    if not code:
        raise RowError("missing_id", ID_COLUMNS[sheet])
    rec = {k: v.strip() for k, v in rec.items()}
    parsed = PARSERS[sheet](rec)
    parsed.code = code
    check_lengths(sheet, parsed)
    return parsed


ID_COLUMNS = {"producers": "producer_id", "products": "product_id", "chuanchim": "chuanchim_id"}
