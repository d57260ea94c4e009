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
from functools import cache
from typing import Any, Iterator, Sequence

import numpy as np
from rapidfuzz import fuzz, process

from registry import gazetteer as gz

from .intents import Context

_PREFIX = re.compile(
    r"(?P<p>จังหวัด|กิ่งอำเภอ|อำเภอ|ตำบล|(?<![ก-๙])จ\.|(?<![ก-๙])อ\.(?!ย\.?)|(?<![ก-๙])ต\.(?!ค\.)"
    # glued to the word before ("ขาดอะไรบ้างอ.ป่าแดด"): only with a name right after the dot
    r"|(?<=[ก-๙])จ\.(?=[ก-๙])|(?<=[ก-๙])อ\.(?=[ก-๙])(?!ย\.?)|(?<=[ก-๙])ต\.(?=[ก-๙])(?!ค\.)"
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
    for length, key in _name_keys(head):
        if key in index:
            span = head[:length]
            return span, _resolve(level, span, parent)
    if not fuzzy:
        return None
    # Fuzzy: if the user put a space after the name, the chunk is the name; otherwise try
    # each length and keep the best-scoring one.
    chunk = head.split(" ", 1)[0] if " " in head else head
    keys = _thai_keys(level, parent) if re.match(r"[ก-๙]", chunk) else _keys(level, parent)
    lengths = [len(chunk)] if " " in head else range(3, min(len(chunk), 16) + 1)
    best: tuple[float, int] | None = None
    for length, score in zip(lengths, _best_scores([chunk[:n] for n in lengths], keys, gz.MIN_SCORE)):
        if score and (best is None or score >= best[0]):
            best = (score, length)
    if best is None:
        return None
    span = chunk[: best[1]]
    res = _resolve(level, span, parent)
    return (span, res) if res.candidates else None


def _name_keys(head: str) -> Iterator[tuple[int, str]]:
    """(n, gz.normalize_name(head[:n])) for n from len(head) down to 2, `head` having no
    leading space.

    normalize_name strips the ends, a leading level prefix, then spaces and marks, and lowers
    the case. Without a prefix at the start of `head` (then none at the start of any
    beginning of it either) that is: drop the marks, character by character, and lower the
    case, so every beginning's key is a beginning of one string: no regex per length. The
    whole head's key, from normalize_name itself, confirms the case (a prefix or any other
    difference takes the general way).
    """
    kept = [c for c in head if not (c.isspace() or c in _NAME_MARKS)]
    full = "".join(kept)
    if full.lower() != gz.normalize_name(head):
        for n in range(len(head), 1, -1):
            yield n, gz.normalize_name(head[:n])
        return
    lower = full.lower() == full
    count = len(kept)  # characters of `full` inside head[:n]
    for n in range(len(head), 1, -1):
        key = full[:count]
        yield n, key if lower else key.lower()
        c = head[n - 1]
        if not (c.isspace() or c in _NAME_MARKS):
            count -= 1


# What normalize_name drops besides white space (its _MARKS).
_NAME_MARKS = frozenset(".'-\u200b\u200c\u200d\ufeff")


@cache
def _keys(level: str, parent: str | None) -> tuple[str, ...]:
    """The names of a level's index (the gazetteer is fixed data, loaded once)."""
    return tuple(gz.name_index(level, parent))  # type: ignore[arg-type]


@cache
def _thai_keys(level: str, parent: str | None) -> tuple[str, ...]:
    """The index's names written in Thai only."""
    return tuple(k for k in _keys(level, parent) if _THAI_KEY.match(k))


def _best_scores(queries: Sequence[str], keys: Sequence[str], cutoff: float) -> list[float]:
    """Per query, the best fuzz.ratio against `keys`, 0.0 when below `cutoff`: the score
    `process.extractOne` would give each query, computed for all of them in one call."""
    if not queries or not keys:
        return [0.0] * len(queries)
    scores = process.cdist(queries, keys, scorer=fuzz.ratio, processor=None, score_cutoff=cutoff,
                           dtype=np.float64)
    return scores.max(axis=1).tolist()


@cache
def _scan_table(level: str, parent: str | None) -> tuple[dict[str, tuple[gz.Place, ...]], frozenset[str], tuple[int, ...]]:
    """A level's name index, where its names may begin (a pattern finding, at C speed, every
    position whose next three letters begin a name), their lengths (longest first)."""
    index = gz.name_index(level, parent)  # type: ignore[arg-type]
    starts = sorted({k[:3] for k in index if len(k) >= 3 and "ก" <= k[0] <= "๙"})
    return (index, re.compile(f"(?=(?:{_trie(starts)}))") if starts else re.compile(r"(?!)"),
            tuple(sorted({len(k) for k in index}, reverse=True)))


def _trie(words: list[str]) -> str:
    """An alternation of `words` (sorted, equal lengths) nested by their first letters."""
    groups: dict[str, list[str]] = {}
    for w in words:
        groups.setdefault(w[0], []).append(w[1:])
    parts = [re.escape(c) + (f"(?:{_trie(rest)})" if rest[0] else "") for c, rest in groups.items()]
    return "|".join(parts)


def _first_exact(text: str, level: str, parent: str | None, taken: list[tuple[int, int]],
                 min_len: int = 3) -> tuple[int, int, str] | None:
    """The first unprefixed name found verbatim in the text (the longest at its position).

    Only positions where a name of the index begins (its first three letters) and only the
    lengths its names have are tried.
    """
    index, starts, lengths = _scan_table(level, parent)
    n = len(text)
    for at in starts.finditer(text):
        i = at.start()
        if any(a <= i < b for a, b in taken):
            continue
        for length in lengths:
            if length < min_len:
                break
            if length > _MAX_NAME or length > n - i:
                continue
            piece = text[i : i + length]
            if piece in index and piece not in _COMMON_WORDS:
                return i, i + length, piece
    return None


@cache
def _fuzzy_keys(parent: str | None) -> tuple[str, ...]:
    """The names a mistyped unprefixed name is looked for among: the provinces and, with a
    province known, its districts (not the everyday words: "ขายไม่ได้ เลยขอเลิก" names no province)."""
    return tuple(k for k in _thai_keys("province", None) + (_thai_keys("district", parent) if parent else ())
                 if k not in _COMMON_WORDS)


def _fuzzy_chunks(text: str, keys: Sequence[str]) -> tuple[str, float] | None:
    """A space-separated chunk that starts with a mistyped name ("หาดใหย่", "สกลนค")."""
    queries = [chunk[:length] for chunk in text.split(" ") if len(chunk) >= 4 and _THAI_KEY.match(chunk[:1])
               for length in range(4, min(len(chunk), 14) + 1)]
    best: tuple[str, float] | None = None
    for query, score in zip(queries, _best_scores(queries, keys, _FUZZY_UNPREFIXED)):
        if score and (best is None or score > best[1]):
            best = (query, score)
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
        hit = _first_exact(text, "province", None, taken)
        if hit:
            a, b, key = hit
            found["province"] = (key, gz.resolve_province(key))
            taken.append((a, b))
    if "district" not in found and "subdistrict" not in found:
        parent = _parent_for("district", found, ctx)
        if parent is not None:
            hit = _first_exact(text, "district", parent, taken)
            if hit:
                a, b, key = hit
                found["district"] = (key, gz.resolve_district(key, parent))
                taken.append((a, b))
                twin = _same_name_subdistricts(found["district"][1], ctx)
                if twin:
                    # A district and a sub-district of this name, written without อ./ต.: ask.
                    return {"place_level": "district", "province_code": twin[0][:2],
                            "place_candidates": [found["district"][1].place.code, *twin],  # type: ignore[union-attr]
                            "place_text": key}
    if "subdistrict" not in found and "district" not in found and ctx.district_code:
        if found.get("province") is None or found["province"][1].place is None or \
                found["province"][1].place.code == ctx.district_code[:2]:
            hit = _first_exact(text, "subdistrict", ctx.district_code, taken, 4)
            if hit:
                a, b, key = hit
                found["subdistrict"] = (key, gz.resolve_subdistrict(key, ctx.district_code))

    # No area known (a user not linked yet, a central officer): a district named without อ.
    # anywhere in the country, when its name is unique and not an everyday word.
    if not found and ctx.province_code is None:
        hit = _first_exact(text, "district", None, taken, 4)
        if hit:
            res = gz.resolve_district(hit[2], None)
            if res.place is not None:
                found["district"] = (hit[2], res)

    # Mistyped unprefixed names, only when nothing else was found.
    if not found:
        parent = ctx.province_code
        # (not the everyday words: "ขายไม่ได้ เลยขอเลิก" names no province)
        near = _fuzzy_chunks(text, _fuzzy_keys(parent))
        if near:
            span = near[0]
            pres = gz.resolve_province(span)
            if pres.candidates and pres.candidates[0].score >= _FUZZY_UNPREFIXED:
                found["province"] = (span, pres)
            elif parent:
                found["district"] = (span, gz.resolve_district(span, parent))
    return _slots(found, ctx)


def _same_name_subdistricts(res: gz.Resolution, ctx: Context) -> list[str]:
    """Sub-districts of the district's province with exactly the district's name, when one of
    them makes the name ambiguous: one in another district, or the seat of the district that
    is the user's own (for its officer the name may mean either). The seat of another
    district is part of it: the name means the district."""
    if res.place is None:
        return []
    same = gz.name_index("subdistrict", res.place.code[:2]).get(gz.normalize_name(res.place.name_th), ())
    codes = [p.code for p in same]
    if any(c[:4] != res.place.code for c in codes) or ctx.district_code == res.place.code:
        return codes
    return []


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
