"""Row generation for demo data: one province at a time, as plain dicts for Core inserts.

Deterministic: everything comes from a `random.Random` seeded with (seed, province code),
and dates from the `as_of` day given, never from the clock.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any

from models import Category, ProducerType, Quadrant, RegistrationStatus, SalesChannelKind
from registry import demo_names as N
from registry import gazetteer, ids
from registry.province_table import ProvinceCounts
from models.pii import blind_national_id
from registry.values import national_id_value, phone_value

Row = dict[str, Any]
TYPE_OF_COLUMN = {"producers_group": ProducerType.GROUP, "producers_individual": ProducerType.INDIVIDUAL,
                  "producers_sme": ProducerType.SME, "producers_type_blank": None}
CATEGORY_OF_COLUMN = {"products_food": Category.FOOD, "products_beverage": Category.BEVERAGE,
                      "products_textile_apparel": Category.TEXTILE,
                      "products_household_decor_souvenir": Category.HOUSEHOLD,
                      "products_herbal_nonfood": Category.HERBAL, "products_category_blank": None}
QUADRANT_OF_COLUMN = {"quadrant_a": Quadrant.A, "quadrant_b": Quadrant.B, "quadrant_c": Quadrant.C,
                      "quadrant_d": Quadrant.D}
FIRST_DAY = date(2003, 1, 1)


@dataclass
class IdCounters:
    """Next explicit id per table, so children can point at parents without a round trip."""

    next: dict[str, int] = field(default_factory=dict)

    def take(self, table: str) -> int:
        value = self.next.get(table, 1)
        self.next[table] = value + 1
        return value


@dataclass
class ProvinceRows:
    tables: dict[str, list[Row]] = field(default_factory=dict)

    def add(self, table: str, row: Row) -> None:
        self.tables.setdefault(table, []).append(row)


def _expand(counts: dict[str, int], mapping: dict[str, Any], rng: random.Random) -> list[Any]:
    values = [value for column, value in mapping.items() for _ in range(counts[column])]
    rng.shuffle(values)
    return values


def _stamp(d: date) -> datetime:
    return datetime.combine(d, time(9, 0), tzinfo=timezone.utc)


def _registered_on(rng: random.Random, as_of: date) -> date:
    recent_start = as_of - timedelta(days=400)
    if rng.random() < 0.8:
        return FIRST_DAY + timedelta(days=rng.randrange((recent_start - FIRST_DAY).days))
    return recent_start + timedelta(days=rng.randrange(401))


def _national_id(rng: random.Random) -> str | None:
    r = rng.random()
    if r < 0.07:
        return None
    first12 = str(rng.randint(1, 8)) + "".join(str(rng.randrange(10)) for _ in range(11))
    check = ids.national_id_check_digit(first12)
    if r < 0.10:  # typed wrong: check digit fails
        check = str((int(check) + rng.randint(1, 9)) % 10)
    return first12 + check


def _phone(rng: random.Random) -> str | None:
    r = rng.random()
    if r < 0.07:
        return None
    if r < 0.10:  # malformed: too short, or not a Thai prefix
        return rng.choice(("081234", "0112345678", "08-1234-567", "123456789"))
    if r < 0.85:
        return f"0{rng.choice('689')}{rng.randrange(10)}-{rng.randrange(1000):03d}-{rng.randrange(10000):04d}"
    return f"0{rng.randint(3, 7)}{rng.randrange(10)}-{rng.randrange(1000):03d}-{rng.randrange(1000):03d}"


def _place(rng: random.Random, province_code: str) -> tuple[str, str | None]:
    district = rng.choice(gazetteer.districts(province_code))
    subs = gazetteer.subdistricts(district.code)
    return district.code, (rng.choice(subs).code if subs else None)


def _address(rng: random.Random) -> str | None:
    if rng.random() < 0.05:
        return None
    return f"{rng.randint(1, 299)} หมู่ {rng.randint(1, 15)} บ้าน{rng.choice(N.VILLAGES)}{rng.choice(N.ROADS)}"


def _producer_name(rng: random.Random, kind: ProducerType | None, first: str) -> str:
    fill = dict(activity=rng.choice(N.GROUP_ACTIVITIES), village=rng.choice(N.VILLAGES),
                moo=rng.randint(1, 15), brand=rng.choice(N.BRANDS), first=first)
    templates = {ProducerType.GROUP: N.GROUP_TEMPLATES, ProducerType.SME: N.SME_TEMPLATES}.get(
        kind, N.INDIVIDUAL_TEMPLATES)  # type: ignore[arg-type]
    return rng.choice(templates).format(**fill)


def producer_row(rng: random.Random, pid: int, code: str, province_code: str,
                 kind: ProducerType | None, as_of: date) -> Row:
    first, last = rng.choice(N.FIRST_NAMES), rng.choice(N.LAST_NAMES)
    district, sub = _place(rng, province_code)
    nid, nid_ok = national_id_value(_national_id(rng))
    phone, phone_ok = phone_value(_phone(rng))
    registered = _registered_on(rng, as_of)
    birth = None if rng.random() < 0.15 else date(rng.randint(1945, 1998), rng.randint(1, 12), rng.randint(1, 28))
    return dict(
        id=pid, code=code, producer_type=kind, name=_producer_name(rng, kind, first),
        registration_no=(f"{rng.randint(1, 9)}-{province_code}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"
                         if rng.random() < 0.6 else None),
        phone=phone, phone_valid=phone_ok, owner_name=None if rng.random() < 0.03 else f"{first} {last}",
        national_id=nid, national_id_valid=nid_ok, national_id_hash=blind_national_id(nid), birth_date=birth, address=_address(rng),
        province_code=province_code, district_code=district, subdistrict_code=sub,
        status=RegistrationStatus.ACTIVE, registered_on=registered, previous_id=None,
        created_at=_stamp(registered), updated_at=_stamp(registered),
    )


def producer_children(rng: random.Random, out: ProvinceRows, c: IdCounters, pid: int) -> None:
    if rng.random() < 0.45:
        start = rng.randrange(len(N.STAR_ROUNDS))
        for year in N.STAR_ROUNDS[start:start + rng.randint(1, 4)]:
            out.add("producer_star_ratings", dict(id=c.take("producer_star_ratings"), producer_id=pid,
                                                  year_be=year, stars=rng.choices((1, 2, 3, 4, 5), (1, 3, 4, 3, 1))[0]))
    for kind, p in ((SalesChannelKind.DOMESTIC, 0.85), (SalesChannelKind.ONLINE, 0.4), (SalesChannelKind.EXPORT, 0.05)):
        if rng.random() < p:
            out.add("producer_sales_channels", dict(id=c.take("producer_sales_channels"), producer_id=pid,
                                                    channel=kind, detail=None))


def _standards(rng: random.Random, out: ProvinceRows, c: IdCounters, product_id: int,
               category: Category | None, province_code: str, as_of: date) -> None:
    if rng.random() < 0.45:
        return
    issued = as_of - timedelta(days=rng.randrange(30, 1400))
    # มผช. certificates last 3 years: some expire within the next months.
    expires = issued + timedelta(days=3 * 365)
    out.add("product_standards", dict(id=c.take("product_standards"), product_id=product_id, scheme="มผช.",
                                      number=f"{rng.randint(1, 1500)}/{issued.year + 543}",
                                      issued_on=issued, expires_on=expires))
    if category in (Category.FOOD, Category.BEVERAGE, Category.HERBAL) and rng.random() < 0.5:
        serial = f"{province_code}-{rng.randint(1, 2)}-{rng.randrange(100000):05d}-{rng.randint(1, 6)}-{rng.randrange(10000):04d}"
        out.add("product_standards", dict(id=c.take("product_standards"), product_id=product_id, scheme="อย.",
                                          number=serial, issued_on=None, expires_on=None))


def product_rows(rng: random.Random, out: ProvinceRows, c: IdCounters, producer: Row,
                 category: Category | None, quadrant: Quadrant | None, as_of: date) -> None:
    product_id = c.take("products")
    cat = category.value if category else ""
    code = f"PD{product_id:07d}"
    out.add("products", dict(
        id=product_id, code=code, producer_id=producer["id"], province_code=producer["province_code"],
        district_code=producer["district_code"], subdistrict_code=producer["subdistrict_code"],
        name=f"{rng.choice(N.PRODUCT_NAMES[cat])} {rng.choice(N.BRANDS)}", category=category,
        subcategory=None, quadrant=quadrant, price=Decimal(rng.randrange(30, 2000, 5)), active=True,
        created_at=producer["created_at"], updated_at=producer["created_at"],
    ))
    _standards(rng, out, c, product_id, category, producer["province_code"], as_of)
    if rng.random() < 0.65:
        for k in range(1, rng.randint(1, 3) + 1):
            out.add("product_photos", dict(id=c.take("product_photos"), product_id=product_id,
                                           location=f"photos/{code}_{k}.jpg", thumbnail=None, sha256=None,
                                           created_at=producer["created_at"]))
    for word in rng.sample(N.KEYWORDS[cat], k=min(len(N.KEYWORDS[cat]), rng.randint(0, 2))):
        out.add("product_keywords", dict(id=c.take("product_keywords"), product_id=product_id, word=word))


def shop_rows(rng: random.Random, out: ProvinceRows, c: IdCounters, province_code: str, as_of: date) -> None:
    sid = c.take("chuanchim_shops")
    district, sub = _place(rng, province_code)
    phone, ok = phone_value(_phone(rng))
    created = _stamp(_registered_on(rng, as_of))
    name = rng.choice(N.CHUANCHIM_SHOPS).format(brand=rng.choice(N.BRANDS), village=rng.choice(N.VILLAGES))
    out.add("chuanchim_shops", dict(
        id=sid, code=f"CC{sid:05d}", name=name if rng.random() > 0.02 else None,
        owner_name=f"{rng.choice(N.FIRST_NAMES)} {rng.choice(N.LAST_NAMES)}", phone=phone, phone_valid=ok,
        address=_address(rng), province_code=province_code, district_code=district, subdistrict_code=sub,
        active=True, created_at=created, updated_at=created))
    lists = (("chuanchim_items", N.CHUANCHIM_ITEMS, 0.15, 4, "name"),
             ("chuanchim_awards", N.CHUANCHIM_AWARDS, 0.4, 2, "name"),
             ("chuanchim_photos", None, 0.25, 3, "location"))
    for table, words, p_missing, most, column in lists:
        if rng.random() < p_missing:
            continue
        k = rng.randint(1, most)
        values = rng.sample(words, k) if words else [f"photos/CC{sid:05d}_{i}.jpg" for i in range(1, k + 1)]
        for v in values:
            row = dict(id=c.take(table), shop_id=sid, **{column: v})
            if table == "chuanchim_photos":
                row.update(thumbnail=None, created_at=created)
            out.add(table, row)


def province_rows(pc: ProvinceCounts, seed: int, as_of: date, c: IdCounters) -> ProvinceRows:
    """Every row of one province: its active counts equal the department's table exactly,
    plus a few closed and relocated (moved) registrations of the last year."""
    rng = random.Random(f"{seed}:{pc.code}")
    out = ProvinceRows()
    kinds = _expand(pc.counts, TYPE_OF_COLUMN, rng)
    producers = []
    for kind in kinds:
        pid = c.take("producers")
        row = producer_row(rng, pid, f"OTOP{pid:07d}", pc.code, kind, as_of)
        producers.append(row)
        out.add("producers", row)
        producer_children(rng, out, c, pid)
    categories = _expand(pc.counts, CATEGORY_OF_COLUMN, rng)
    quadrants = _expand(pc.counts, QUADRANT_OF_COLUMN, rng)
    # Every producer gets one product first (when there are enough), the rest at random.
    owners = list(producers[: len(categories)])
    owners += [rng.choice(producers) for _ in range(len(categories) - len(owners))]
    owners.sort(key=lambda r: r["id"])
    for owner, category, quadrant in zip(owners, categories, quadrants, strict=True):
        product_rows(rng, out, c, owner, category, quadrant, as_of)
    for _ in range(pc.counts["chuanchim_total"]):
        shop_rows(rng, out, c, pc.code, as_of)
    _history(rng, out, c, pc.code, producers, as_of)
    return out


def _history(rng: random.Random, out: ProvinceRows, c: IdCounters, province_code: str,
             producers: list[Row], as_of: date) -> None:
    """Closed and moved registrations (not counted: not active), with their status changes."""
    n = len(producers)
    plan = [RegistrationStatus.CLOSED] * round(n * 0.004) + [RegistrationStatus.MOVED] * round(n * 0.002)
    for status in plan:
        pid = c.take("producers")
        old = producer_row(rng, pid, f"OTOP{pid:07d}", province_code, rng.choice(list(ProducerType)), as_of)
        old["registered_on"] = min(old["registered_on"], as_of - timedelta(days=500))
        when = as_of - timedelta(days=rng.randrange(0, 395))
        old.update(status=status, created_at=_stamp(old["registered_on"]), updated_at=_stamp(when))
        out.add("producers", old)
        out.add("producer_status_changes", dict(id=c.take("producer_status_changes"), producer_id=pid,
                                                old_status=RegistrationStatus.ACTIVE, new_status=status,
                                                at=_stamp(when), reason=None, request_id=None))
        if status is RegistrationStatus.MOVED and producers:
            new = rng.choice(producers)  # the registration at the new place of production
            if new["previous_id"] is None and new["district_code"] != old["district_code"]:
                new.update(previous_id=pid, registered_on=when, created_at=_stamp(when), updated_at=_stamp(when),
                           owner_name=old["owner_name"], national_id=old["national_id"],
                           national_id_valid=old["national_id_valid"], national_id_hash=old["national_id_hash"])
