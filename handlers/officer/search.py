"""Find producers, products and ชวนชิม shops within the officer's area: by national ID, phone,
record code, or (fuzzy, Thai) name. Names are compared with rapidfuzz on our own normalised
text (lower case, no spaces): rapidfuzz's default_process would strip Thai vowel and tone
marks, so it is never used. Within a province or district the names of the area's records
are scored directly; for the whole country a SQL LIKE prefilter narrows them first."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from handlers.context import Ctx
from models import ChuanchimShop, Producer, Product, RegistrationStatus
from registry import ids

KINDS = ("producers", "products", "chuanchim")
MODELS = {"producers": Producer, "products": Product, "chuanchim": ChuanchimShop}
MIN_SCORE = 70
PREFILTER_LIMIT = 400
_SPACES = re.compile(r"\s+")
_CODE = re.compile(r"^[A-Za-z]{1,6}[-A-Za-z0-9]*\d[-A-Za-z0-9]*$")


@dataclass(frozen=True)
class Hit:
    kind: str  # producers | products | chuanchim
    id: int
    code: str
    name: str | None
    district_code: str
    score: float


def norm(text: str | None) -> str:
    """Lower case without spaces: Thai is written without spaces between words anyway."""
    return _SPACES.sub("", (text or "").lower())


def _base(ctx: Ctx, kind: str) -> Select:  # type: ignore[type-arg]
    model = MODELS[kind]
    stmt = select(model.id, model.code, model.name, model.district_code)
    if kind == "producers":
        stmt = stmt.where(Producer.status == RegistrationStatus.ACTIVE)
    else:
        stmt = stmt.where(model.active.is_(True))
    return ctx.scope.filter(stmt, model)


def _exact(session: Session, stmt: Select, kind: str, score: float = 100.0) -> list[Hit]:  # type: ignore[type-arg]
    return [Hit(kind, r.id, r.code, r.name, r.district_code, score) for r in session.execute(stmt.limit(50))]


def search(ctx: Ctx, query: str, kinds: tuple[str, ...] = KINDS, limit: int = 30) -> list[Hit]:
    """Records in scope matching `query`, best first."""
    q = (query or "").strip()
    if not q:
        return []
    session = ctx.session
    digits = ids.national_id_digits(q)
    if digits and "producers" in kinds:
        return _exact(session, _base(ctx, "producers").where(Producer.national_id == digits), "producers")
    phone = ids.normalize_phone(q)
    if phone and ids.phone_valid(phone):
        hits = []
        if "producers" in kinds:
            hits += _exact(session, _base(ctx, "producers").where(Producer.phone == phone), "producers")
        if "chuanchim" in kinds:
            hits += _exact(session, _base(ctx, "chuanchim").where(ChuanchimShop.phone == phone), "chuanchim")
        return hits
    if _CODE.match(q):
        hits = [h for kind in kinds for h in _exact(session, _base(ctx, kind).where(
            MODELS[kind].code.ilike(q)), kind)]
        if hits:
            return hits
    return _by_name(ctx, q, kinds, limit)


def _by_name(ctx: Ctx, q: str, kinds: tuple[str, ...], limit: int) -> list[Hit]:
    wanted = norm(q)
    hits: list[Hit] = []
    national = ctx.scope.home_area == ""
    for kind in kinds:
        model = MODELS[kind]
        stmt = _base(ctx, kind)
        if national:  # too many names to score: prefilter on the words typed
            words = [w for w in q.split() if len(w) >= 2] or [q]
            stmt = stmt.where(or_(*(model.name.like(f"%{w}%") for w in words))).limit(PREFILTER_LIMIT)
        for r in ctx.session.execute(stmt):
            name = norm(r.name)
            if not name:
                continue
            score = max(fuzz.ratio(wanted, name), fuzz.partial_ratio(wanted, name) * (0.95 if len(wanted) >= 3 else 0.8))
            if score >= MIN_SCORE:
                hits.append(Hit(kind, r.id, r.code, r.name, r.district_code, score))
    hits.sort(key=lambda h: (-h.score, len(h.name or ""), h.code))
    return hits[:limit]


def best(hits: list[Hit]) -> Hit | None:
    """The one clear match, if any: a single hit, or one clearly ahead of the next."""
    if len(hits) == 1:
        return hits[0]
    if hits and hits[0].score >= 95 and hits[1].score < hits[0].score - 10:
        return hits[0]
    return None
