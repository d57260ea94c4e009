"""The place of a shared LINE location, read from the address LINE gives with it (pure).

LINE sends a location message with the address of the point, reverse-geocoded in the user's
language: "99 หมู่ 3 ตำบลสุเทพ อำเภอเมืองเชียงใหม่ เชียงใหม่ 50200 ประเทศไทย" or "99 Moo 3,
Suthep, Mueang Chiang Mai District, Chiang Mai 50200, Thailand". The gazetteer has no
coordinates, so the nearest known place is the most specific one this address names: the
sub-district (its name among those of the postal code, or after ต./ตำบล/แขวง), else the district
all its candidates share, else the province. The street part is what comes before the
sub-district. None when the address names no known place: the caller asks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import geothai

from registry import gazetteer

POSTAL = re.compile(r"(?<!\d)(\d{5})(?!\d)")
THAI_SUB = re.compile(r"(?:ตำบล|ต\.|แขวง)\s*([^\s\d,]+)")
THAI_DISTRICT = re.compile(r"(?:อำเภอ|อ\.|เขต)\s*([^\s\d,]+)")
THAI_PROVINCE = re.compile(r"(?:จังหวัด|จ\.)\s*([^\s\d,]+)")


@dataclass(frozen=True)
class Located:
    place: gazetteer.Place  # the most specific known place (sub-district, district or province)
    street: str  # house number, moo, road: the part before the sub-district ("" when none)

    def code(self, level: str) -> str | None:
        """The place's code at `level` ("province" | "district" | "subdistrict"), if that specific."""
        size = {"province": 2, "district": 4, "subdistrict": 6}[level]
        return self.place.code[:size] if len(self.place.code) >= size else None


def _named(sub: geothai.Subdistrict, text: str) -> int:
    """Where the sub-district's Thai or English name stands in the text (-1: absent)."""
    low = text.lower()
    for name in (sub.name_th, sub.name_en.lower()):
        if name and (at := low.find(name.lower())) >= 0:
            return at
    return -1


def locate(address: str) -> Located | None:
    text = " ".join((address or "").split())
    if not text:
        return None
    postal = POSTAL.search(text)
    candidates = list(geothai.by_postal_code(postal[1])) if postal else []
    named = [(at, s) for s in candidates if (at := _named(s, text)) >= 0]
    if len(named) > 1:  # "ศรีภูมิ" inside a longer name: keep the longest name found
        longest = max(len(s.name_th) for _, s in named)
        named = [(at, s) for at, s in named if len(s.name_th) == longest]
    if len(named) == 1:
        at, sub = named[0]
        street = text[:at]
        marker = THAI_SUB.search(text)
        if marker is not None and marker.start() < at:
            street = text[:marker.start()]
        return _found(sub.code, street)
    marked = THAI_SUB.search(text)
    if marked is not None:
        district, province = THAI_DISTRICT.search(text), THAI_PROVINCE.search(text)
        fits = geothai.match(marked[1], district=district[1] if district else "",
                             province=province[1] if province else "",
                             postal_code=postal[1] if postal else "") or []
        if len(fits) == 1:
            return _found(fits[0].subdistrict.code, text[:marked.start()])
    shared = {s.district_code for s in candidates}
    if len(shared) == 1:
        return _found(shared.pop(), "")
    provinces = {s.province_code for s in candidates}
    if len(provinces) == 1:
        return _found(provinces.pop(), "")
    return None


def _found(code: str, street: str) -> Located | None:
    place = gazetteer.by_code(code)
    return Located(place, street.strip(" ,")) if place is not None else None
