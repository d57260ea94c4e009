"""Thai place names resolved against the GeoThai gazetteer (CC BY 4.0), tolerantly.

Pure: no database, no network. Used by the importer, the NLU and the chat flows, so that a
name typed by a user and a name in a spreadsheet resolve the same way.

A place is always resolved *within* a parent where one is known (every province has an
อำเภอเมือง..., tambon names repeat), and the caller is told when two candidates are close so
that it can ask back instead of guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

import geothai
from rapidfuzz import fuzz, process

Level = Literal["province", "district", "subdistrict"]

# Names as printed in the department's data and as people type them.
PROVINCE_ALIASES: dict[str, str] = {
    "พจนครศรีอยุธยา": "พระนครศรีอยุธยา",
    "อุดรพิศสัย": "อุตรดิตถ์",
    "อยุธยา": "พระนครศรีอยุธยา",
    "กรุงเทพ": "กรุงเทพมหานคร",
    "กทม": "กรุงเทพมหานคร",
    "โคราช": "นครราชสีมา",
    "สุราษฎร์": "สุราษฎร์ธานี",
    "นครศรี": "นครศรีธรรมราช",
    "ปราจีน": "ปราจีนบุรี",
    # Short forms people type in chat.
    "อุบล": "อุบลราชธานี",
    "อุดร": "อุดรธานี",
    "สุพรรณ": "สุพรรณบุรี",
    "กาญจน์": "กาญจนบุรี",
    "ประจวบ": "ประจวบคีรีขันธ์",
    "แปดริ้ว": "ฉะเชิงเทรา",
    "ปากน้ำโพ": "นครสวรรค์",
    "พิษณุ": "พิษณุโลก",
    "ศรีสะเกศ": "ศรีสะเกษ",
}

_PREFIX = re.compile(r"^(?:จังหวัด|กิ่งอำเภอ|อำเภอ|เขต|ตำบล|แขวง|จ\.|อ\.|ต\.)\s*")
_MARKS = re.compile(r"[\s.'\-\u200b\u200c\u200d\ufeff]")

# Fuzzy scores (0-100, rapidfuzz ratio): below MIN_SCORE is no match; a runner-up within
# CLOSE_MARGIN of the best makes the answer ambiguous.
MIN_SCORE = 75.0
CLOSE_MARGIN = 10.0


def normalize_name(text: str) -> str:
    """One comparable form of a place name: no level prefix, spaces, dots or hyphens."""
    s = text.strip()
    # Prefixes can stack ("จ. อ." is rare, "อำเภอ เมือง" common): strip repeatedly.
    for _ in range(3):
        stripped = _PREFIX.sub("", s)
        if stripped == s:
            break
        s = stripped.strip()
    return _MARKS.sub("", s).lower()


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry."""

    level: Level
    code: str
    name_th: str
    name_en: str
    parent_code: str | None

    @property
    def province_code(self) -> str:
        return self.code[:2]

    @property
    def district_code(self) -> str | None:
        return self.code[:4] if self.level != "province" else None


@dataclass(frozen=True, slots=True)
class Candidate:
    place: Place
    score: float


@dataclass(slots=True)
class Resolution:
    """The result of resolving one name: the best place, or the close candidates to ask about."""

    query: str
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def place(self) -> Place | None:
        """The resolved place, or None when nothing matched or the answer is ambiguous."""
        if not self.candidates or self.ambiguous:
            return None
        return self.candidates[0].place

    @property
    def ambiguous(self) -> bool:
        if len(self.candidates) < 2:
            return False
        best, second = self.candidates[0].score, self.candidates[1].score
        return best - second < CLOSE_MARGIN and not (best == 100 and second < 100)


@dataclass(frozen=True, slots=True)
class _Index:
    places: tuple[Place, ...]
    keys: tuple[str, ...]
    by_key: dict[str, tuple[Place, ...]]


def _index(places: list[Place], extra_keys: dict[str, list[Place]] | None = None) -> _Index:
    by_key: dict[str, list[Place]] = {}
    for p in places:
        for key in _keys_for(p):
            by_key.setdefault(key, []).append(p)
    for key, ps in (extra_keys or {}).items():
        by_key.setdefault(key, []).extend(ps)
    return _Index(tuple(places), tuple(by_key), {k: tuple(v) for k, v in by_key.items()})


def _keys_for(p: Place) -> set[str]:
    keys = {normalize_name(p.name_th), normalize_name(p.name_en)}
    th = normalize_name(p.name_th)
    if p.level == "district" and th.startswith("เมือง") and len(th) > len("เมือง"):
        # "อำเภอเมือง" means the province's capital district.
        keys.add("เมือง")
    keys.discard("")
    return keys


@cache
def provinces() -> tuple[Place, ...]:
    return tuple(Place("province", p.code, p.name_th, p.name_en, None) for p in geothai.provinces())


@cache
def districts(province_code: str) -> tuple[Place, ...]:
    return tuple(
        Place("district", d.code, d.name_th, d.name_en, province_code)
        for d in geothai.districts(province_code)
    )


@cache
def subdistricts(district_code: str) -> tuple[Place, ...]:
    return tuple(
        Place("subdistrict", s.code, s.name_th, s.name_en, district_code)
        for s in geothai.subdistricts(district_code)
    )


@cache
def all_districts() -> tuple[Place, ...]:
    return tuple(d for p in provinces() for d in districts(p.code))


@cache
def all_subdistricts() -> tuple[Place, ...]:
    return tuple(s for d in all_districts() for s in subdistricts(d.code))


@cache
def by_code(code: str) -> Place | None:
    """The place with this official code (2, 4 or 6 digits), or None."""
    table = {2: provinces, 4: all_districts, 6: all_subdistricts}.get(len(code))
    if table is None:
        return None
    return _codes(table).get(code)


@cache
def _codes(table) -> dict[str, Place]:  # type: ignore[no-untyped-def]
    return {p.code: p for p in table()}


@cache
def _province_index() -> _Index:
    names = {p.name_th: p for p in provinces()}
    extra = {normalize_name(alias): [names[target]] for alias, target in PROVINCE_ALIASES.items()}
    return _index(list(provinces()), extra)


@cache
def _district_index(province_code: str | None) -> _Index:
    return _index(list(districts(province_code) if province_code else all_districts()))


@cache
def _subdistrict_index(parent_code: str | None) -> _Index:
    if parent_code is None:
        places = list(all_subdistricts())
    elif len(parent_code) == 2:
        places = [s for d in districts(parent_code) for s in subdistricts(d.code)]
    else:
        places = list(subdistricts(parent_code))
    return _index(places)


def _resolve(query: str, index: _Index, limit: int) -> Resolution:
    key = normalize_name(query)
    res = Resolution(query)
    if not key:
        return res
    exact = index.by_key.get(key)
    if exact:
        res.candidates = [Candidate(p, 100.0) for p in dict.fromkeys(exact)]
        return res
    seen: dict[str, Candidate] = {}
    for match_key, score, _ in process.extract(
        key, index.keys, scorer=fuzz.ratio, processor=None, limit=limit * 3, score_cutoff=MIN_SCORE
    ):
        for p in index.by_key[match_key]:
            if p.code not in seen or seen[p.code].score < score:
                seen[p.code] = Candidate(p, float(score))
    res.candidates = sorted(seen.values(), key=lambda c: -c.score)[:limit]
    return res


def resolve_province(name: str, limit: int = 5) -> Resolution:
    """Resolve a province name (with or without จังหวัด/จ., mis-printed names, typos)."""
    return _resolve(name, _province_index(), limit)


def resolve_district(name: str, province_code: str | None = None, limit: int = 5) -> Resolution:
    """Resolve a district name, within a province when it is known."""
    return _resolve(name, _district_index(province_code), limit)


def resolve_subdistrict(name: str, parent_code: str | None = None, limit: int = 5) -> Resolution:
    """Resolve a sub-district name within a district (4-digit) or province (2-digit) code."""
    return _resolve(name, _subdistrict_index(parent_code), limit)


def name_index(level: Level, parent_code: str | None = None) -> dict[str, tuple[Place, ...]]:
    """Normalised name (see normalize_name) → places, for exact look-ups while scanning text.

    Districts are indexed within a province (2-digit parent) or nationally; sub-districts
    within a district (4-digit), a province (2-digit) or nationally.
    """
    if level == "province":
        return _province_index().by_key
    if level == "district":
        return _district_index(parent_code).by_key
    return _subdistrict_index(parent_code).by_key


def warm_up() -> None:
    """Build every index once (about a second), so no user pays for it."""
    _province_index()
    _district_index(None)
    _subdistrict_index(None)
    for p in provinces():
        _district_index(p.code)
