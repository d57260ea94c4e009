"""Places mentioned in a Thai message, resolved against the GeoThai gazetteer.

Users write "อ.แม่สาย", "อำเภอ เมือง", "ต.เกาะช้าง", "จ.อุดรพิศสัย" (a mis-print in the
department's data), a bare "พิมาย", or a typo ("หาดใหย่"), mostly without spaces around the
name. The extractor:

1. finds names after a level prefix (จังหวัด/จ. อำเภอ/อ. ตำบล/ต.) and picks the span after
   the prefix that best matches a name of that level, exactly or fuzzily;
2. scans the text for unprefixed names that match exactly (provinces anywhere; districts of
   the province in play; sub-districts of the user's own district);
3. falls back to a fuzzy match of each space-separated chunk against provinces and the
   districts of the province in play;
4. resolves each level within its parent (the province named in the text, else the user's
   own province from the Context), and reports close candidates instead of guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process

from registry import gazetteer as gz

from .intents import Context

_PREFIX = re.compile(
    r"(?P<p>จังหวัด|กิ่งอำเภอ|อำเภอ|ตำบล|(?<![ก-๙])จ\.|(?<![ก-๙])อ\.(?!ย\.?)|(?<![ก-๙])ต\.(?!ค\.)"
    r"|(?<![ก-๙])[จอต](?= [ก-๙]))\s*"
)
_LEVEL_OF_PREFIX = {"จ": "province", "อ": "district", "ก": "district", "ต": "subdistrict"}

# Place names that are also everyday words: only taken after a prefix.
_COMMON_WORDS = frozenset({"เลย", "สอง", "ลอง", "คง", "พล", "เมือง", "ในเมือง", "เวียง", "ปง", "ท่า", "นา"})
_MAX_NAME = 24
_FUZZY_UNPREFIXED = 85.0
_THAI_KEY = re.compile(r"^[ก-๙]+$")


@dataclass(frozen=True, slots=True)
class Mention:
    level: str
    text: str
    start: int
    end: int
    resolution: gz.Resolution


def _prefixed_spans(text: str) -> list[tuple[str, int, int, str]]:
    """(level, raw text after the prefix up to the next prefix, start, end) per prefix."""
    found = list(_PREFIX.finditer(text))
    spans = []
    for i, m in enumerate(found):
        level = _LEVEL_OF_PREFIX[m["p"][0]]
        end = found[i + 1].start() if i + 1 < len(found) else len(text)
        spans.append((level, text[m.end() : end], m.end(), m.start()))
    return spans


def _resolve(level: str, name: str, parent: str | None) -> gz.Resolution:
    if level == "province":
        return gz.resolve_province(name)
    if level == "district":
        return gz.resolve_district(name, parent)
    return gz.resolve_subdistrict(name, parent)


def _best_span(level: str, raw: str, parent: str | None, fuzzy: bool = True) -> tuple[str, gz.Resolution] | None:
    """The beginning of `raw` that is a place name of `level` (exact, else closest if `fuzzy`)."""
    index = gz.name_index(level, parent)  # type: ignore[arg-type]
    raw = raw.strip()
    head = raw[:_MAX_NAME]
    # Exact: the longest beginning that is a name ("แม่จันมีใคร..." → "แม่จัน").
    for length in range(len(head), 1, -1):
        if gz.normalize_name(head[:length]) in index:
            span = head[:length]
            return span, _resolve(level, span, parent)
    if not fuzzy:
        return None
    # Fuzzy: if the user put a space after the name, the chunk is the name; otherwise try
    # each length and keep the best-scoring one.
    chunk = head.split(" ", 1)[0] if " " in head else head
    keys = [k for k in index if _THAI_KEY.match(k)] if re.match(r"[ก-๙]", chunk) else list(index)
    lengths = [len(chunk)] if " " in head else range(3, min(len(chunk), 16) + 1)
    best: tuple[float, int] | None = None
    for length in lengths:
        hit = process.extractOne(chunk[:length], keys, scorer=fuzz.ratio, processor=None,
                                 score_cutoff=gz.MIN_SCORE)
        if hit and (best is None or hit[1] >= best[0]):
            best = (hit[1], length)
    if best is None:
        return None
    span = chunk[: best[1]]
    res = _resolve(level, span, parent)
    return (span, res) if res.candidates else None


def _scan_exact(text: str, index: dict[str, tuple[gz.Place, ...]], taken: list[tuple[int, int]],
                min_len: int = 3) -> list[tuple[int, int, str]]:
    """Unprefixed names found verbatim in the text, longest first at each position."""
    hits = []
    i, n = 0, len(text)
    while i < n:
        if any(a <= i < b for a, b in taken) or not ("ก" <= text[i] <= "๙"):
            i += 1
            continue
        for length in range(min(_MAX_NAME, n - i), min_len - 1, -1):
            piece = text[i : i + length]
            if piece in index and piece not in _COMMON_WORDS:
                hits.append((i, i + length, piece))
                i += length
                break
        else:
            i += 1
    return hits


def _fuzzy_chunks(text: str, keys: list[str]) -> tuple[str, float] | None:
    """A space-separated chunk that starts with a mistyped name ("หาดใหย่", "สกลนค")."""
    best: tuple[str, float] | None = None
    for chunk in text.split(" "):
        if len(chunk) < 4 or not _THAI_KEY.match(chunk[:1]):
            continue
        for length in range(4, min(len(chunk), 14) + 1):
            hit = process.extractOne(chunk[:length], keys, scorer=fuzz.ratio, processor=None,
                                     score_cutoff=_FUZZY_UNPREFIXED)
            if hit and (best is None or hit[1] > best[1]):
                best = (chunk[:length], hit[1])
    return best


def extract_places(text: str, ctx: Context, expecting: str | None = None) -> dict[str, Any]:
    """Place slots for `text` (a `normalize.clean()` string) in the user's context."""
    found: dict[str, tuple[str, gz.Resolution]] = {}
    taken: list[tuple[int, int]] = []

    if expecting in ("province", "district", "subdistrict"):
        bare = text.strip()
        parent = _parent_for(expecting, None, ctx)
        res = _resolve(expecting, bare, parent)
        if not res.candidates and parent is not None:
            res = _resolve(expecting, bare, None)
        if res.candidates:
            found[expecting] = (bare, res)
            return _slots(found, ctx)

    spans = _prefixed_spans(text)
    for level in ("province", "district", "subdistrict"):
        for lvl, raw, start, pstart in spans:
            if lvl != level or level in found:
                continue
            parent = _parent_for(level, found, ctx)
            hit = _best_span(level, raw, parent)
            if hit is None and parent is not None:
                # Outside the user's area: exact names only (a fuzzy national search is slow
                # and guesses too freely).
                hit = _best_span(level, raw, None if level == "district" else parent[:2],
                                 fuzzy=level == "subdistrict")
                if hit is None and level == "subdistrict":
                    hit = _best_span(level, raw, None, fuzzy=False)
            if hit is not None:
                found[level] = hit
                taken.append((pstart, start + len(hit[0])))

    # Unprefixed exact names.
    if "province" not in found:
        hits = _scan_exact(text, gz.name_index("province"), taken)
        if hits:
            a, b, key = hits[0]
            found["province"] = (key, gz.resolve_province(key))
            taken.append((a, b))
    if "district" not in found and "subdistrict" not in found:
        parent = _parent_for("district", found, ctx)
        if parent is not None:
            hits = _scan_exact(text, gz.name_index("district", parent), taken)
            if hits:
                a, b, key = hits[0]
                found["district"] = (key, gz.resolve_district(key, parent))
                taken.append((a, b))
    if "subdistrict" not in found and "district" not in found and ctx.district_code:
        if found.get("province") is None or found["province"][1].place is None or \
                found["province"][1].place.code == ctx.district_code[:2]:
            hits = _scan_exact(text, gz.name_index("subdistrict", ctx.district_code), taken, 4)
            if hits:
                a, b, key = hits[0]
                found["subdistrict"] = (key, gz.resolve_subdistrict(key, ctx.district_code))

    # Mistyped unprefixed names, only when nothing else was found.
    if not found:
        parent = ctx.province_code
        keys = [k for k in gz.name_index("province") if _THAI_KEY.match(k)]
        dkeys = [k for k in gz.name_index("district", parent) if _THAI_KEY.match(k)] if parent else []
        hit = _fuzzy_chunks(text, keys + dkeys)
        if hit:
            span = hit[0]
            pres = gz.resolve_province(span)
            if pres.candidates and pres.candidates[0].score >= _FUZZY_UNPREFIXED:
                found["province"] = (span, pres)
            elif parent:
                found["district"] = (span, gz.resolve_district(span, parent))
    return _slots(found, ctx)


def _parent_for(level: str, found: dict | None, ctx: Context) -> str | None:
    """The code a level is resolved within: what the text named, else the user's area."""
    found = found or {}
    if level == "province":
        return None
    prov = found.get("province")
    prov_code = prov[1].place.code if prov and prov[1].place else None
    if level == "district":
        return prov_code or ctx.province_code
    dist = found.get("district")
    if dist and dist[1].place:
        return dist[1].place.code
    if prov_code and (not ctx.district_code or ctx.district_code[:2] != prov_code):
        return prov_code
    return ctx.district_code or prov_code or ctx.province_code


def _slots(found: dict[str, tuple[str, gz.Resolution]], ctx: Context) -> dict[str, Any]:
    slots: dict[str, Any] = {}
    for level in ("province", "district", "subdistrict"):
        if level not in found:
            continue
        span, res = found[level]
        slots["place_level"] = level
        if res.place is not None:
            code = res.place.code
            slots["province_code"] = code[:2]
            if level != "province":
                slots["district_code"] = code[:4]
            if level == "subdistrict":
                slots["subdistrict_code"] = code
            slots.pop("place_candidates", None)
            slots.pop("place_text", None)
        elif res.candidates:
            codes = [c.place.code for c in res.candidates if res.candidates[0].score - c.score < gz.CLOSE_MARGIN]
            slots["place_candidates"] = codes
            slots["place_text"] = span
            parents = {c[: {"province": 0, "district": 2, "subdistrict": 4}[level]] for c in codes}
            if level != "province" and len(parents) == 1:
                parent = parents.pop()
                slots["province_code"] = parent[:2]
                if level == "subdistrict":
                    slots["district_code"] = parent
            break
    return slots
