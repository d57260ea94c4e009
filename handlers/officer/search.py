"""Find producers, products and ชวนชิม shops within the officer's area: by national ID, phone,
record code, or (fuzzy, Thai) name. Names are compared with rapidfuzz on our own normalised
text (lower case, no spaces): rapidfuzz's default_process would strip Thai vowel and tone
marks, so it is never used. Within a province or district the names of the area's records
are scored directly (the area's name list is cached until the registry changes, scoring is
vectorised with rapidfuzz.process.cdist); for the whole country a SQL LIKE prefilter narrows
them first."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from models.pii import blind_national_id
from handlers.context import Ctx
from models import ChuanchimShop, Producer, Product, RegistrationStatus, Role
from registry import cache, ids

KINDS = ("producers", "products", "chuanchim")
MODELS = {"producers": Producer, "products": Product, "chuanchim": ChuanchimShop}
MIN_SCORE = 70
PREFILTER_LIMIT = 400
_SPACES = re.compile(r"\s+")
# A registry code: letters then digits (P004512, OTOP-50-0101), or digits alone (codes are
# free text in the registry, so a number typed as "ผู้ผลิต 12345" is looked up as a code).
_CODE = re.compile(r"^(?:[A-Za-z]{1,6}[-A-Za-z0-9]*\d[-A-Za-z0-9]*|\d{3,12})$")


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
        return _exact(session, _base(ctx, "producers").where(
            Producer.national_id_hash == blind_national_id(digits)), "producers")
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


Names = tuple[tuple[Hit, ...], tuple[str, ...]]


def _names(ctx: Ctx, kinds: tuple[str, ...]) -> dict[str, Names]:
    """Per kind, the named records in the officer's province or district (as score-0 hits)
    and their normalised names; cached per area until the registry changes. One entry holds
    all the kinds searched together, so their registry versions are read once, not per kind."""
    def load_kind(kind: str) -> Names:
        rows = [(r, norm(r.name)) for r in ctx.session.execute(_base(ctx, kind))]
        rows = [(r, n) for r, n in rows if n]
        return (tuple(Hit(kind, r.id, r.code, r.name, r.district_code, 0.0) for r, _ in rows),
                tuple(n for _, n in rows))

    def load() -> dict[str, Names]:
        return {kind: load_kind(kind) for kind in kinds}

    if ctx.scope.role not in (Role.DISTRICT, Role.PROVINCE):
        return load()
    area = ctx.scope.home_area
    return cache.get_or_compute(ctx.session, ("search.names", tuple(kinds), area), load, area, copy=False)


def _scores(wanted: str, names: Sequence[str]) -> Any:
    """max(ratio, partial_ratio × 0.95 (0.8 for 1–2 letters)) of every name, vectorised."""
    if not names:
        return np.zeros(0)
    ratio = process.cdist([wanted], names, scorer=fuzz.ratio, dtype=np.float64)[0]
    partial = process.cdist([wanted], names, scorer=fuzz.partial_ratio, dtype=np.float64)[0]
    return np.maximum(ratio, partial * (0.95 if len(wanted) >= 3 else 0.8))


def _by_name(ctx: Ctx, q: str, kinds: tuple[str, ...], limit: int) -> list[Hit]:
    """The named records best matching `q`. In a province or district, the answer is cached
    with the names it was scored against (same area, same registry versions): asking again
    scores nothing (the versions are read once per transaction, so no statement either)."""
    if ctx.scope.role in (Role.DISTRICT, Role.PROVINCE) and ctx.scope.home_area:
        area = ctx.scope.home_area
        return list(cache.get_or_compute(ctx.session, ("search.hits", tuple(kinds), area, norm(q), q, limit),
                                         lambda: tuple(_scored(ctx, q, kinds, limit)), area, copy=False))
    return _scored(ctx, q, kinds, limit)


def _scored(ctx: Ctx, q: str, kinds: tuple[str, ...], limit: int) -> list[Hit]:
    wanted = norm(q)
    hits: list[Hit] = []
    national = ctx.scope.home_area == ""
    named = None if national else _names(ctx, kinds)
    for kind in kinds:
        if national:  # too many names to score: prefilter on the words typed
            model = MODELS[kind]
            words = [w for w in q.split() if len(w) >= 2] or [q]
            stmt = _base(ctx, kind).where(or_(*(model.name.like(f"%{w}%") for w in words))).limit(PREFILTER_LIMIT)
            found = [(Hit(kind, r.id, r.code, r.name, r.district_code, 0.0), norm(r.name))
                     for r in ctx.session.execute(stmt)]
            found = [(h, n) for h, n in found if n]
            records, names = tuple(h for h, _ in found), tuple(n for _, n in found)
        else:
            records, names = named[kind]  # type: ignore[index]
        scores = _scores(wanted, names)
        for i in np.flatnonzero(scores >= MIN_SCORE):
            hits.append(replace(records[i], score=float(scores[i])))
    hits.sort(key=lambda h: (-h.score, len(h.name or ""), h.code))
    return hits[:limit]


def best(hits: list[Hit]) -> Hit | None:
    """The one clear match, if any: a single hit, or one clearly ahead of the next."""
    if len(hits) == 1:
        return hits[0]
    if hits and hits[0].score >= 95 and hits[1].score < hits[0].score - 10:
        return hits[0]
    return None
