"""Scoring the NLU on JSON Lines evaluation sets written apart from the rules.

Each line: {"text", "role", "intent", "slots", "tags"[, "split"]}, slots named as in
`../shared/eval/README.md` (place *names*, ISO dates, "yyyy-mm" months, English field names).
Used by `python -m nlu.evaluation` and by the tests; the sets themselves are never read by
the rules or the training script.
"""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable

from .intents import Context, Intent, changes_data

# The day the independent sets resolve relative dates against (their README).
SET_TODAY = date(2026, 12, 4)
ROOT = Path(__file__).resolve().parent.parent
SHARED_DEV = Path(os.environ.get("NLU_SHARED_DEV") or ROOT.parent / "shared" / "eval" / "nlu_dev.jsonl")
INDEPENDENT = ROOT / "tests" / "nlu" / "independent_set.jsonl"
# Two more writers, from the feature catalogue only; scored before any change made for it.
FRESH = ROOT / "tests" / "nlu" / "fresh_set.jsonl"
PLACE_LEVELS = ("province", "district", "subdistrict")
_FIELD_NAMES = {
    "photos": "photo", "national_id": "national_id", "standards": "standard", "phone": "phone",
    "category": "category", "quadrant": "quadrant", "producer_type": "producer_type",
    "star": "star", "stars": "star",
}


@dataclass(frozen=True)
class Line:
    text: str
    role: str
    intent: str
    slots: dict[str, Any]
    tags: tuple[str, ...]
    split: str
    number: int

    @property
    def context(self) -> Context:
        return Context(role=None if self.role == "unlinked" else self.role, today=SET_TODAY)

    @property
    def must_not_change(self) -> bool:
        """A negation or question line whose meaning changes no data."""
        return bool({"negation", "question"} & set(self.tags)) and not changes_data(self.intent)


def load_jsonl(path: Path) -> list[Line]:
    rows = []
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip():
            continue
        d = json.loads(raw)
        rows.append(Line(d["text"], d["role"], d["intent"], d.get("slots") or {},
                         tuple(d.get("tags") or ()), d.get("split", "all"), n))
    return rows


def _norm(s: Any) -> str:
    return re.sub(r"[\s.\-]", "", str(s)).lower()


def _place_name(code: str | None) -> str | None:
    from registry import gazetteer as gz

    place = gz.by_code(code) if code else None
    return place.name_th if place else None


def got_slot(key: str, slots: dict[str, Any]) -> Any:
    """The parser's value for an evaluation slot name, in the set's form."""
    if key in PLACE_LEVELS:
        return _place_name(slots.get(f"{key}_code"))
    if key == "date":
        d = slots.get("date")
        return d.isoformat() if isinstance(d, date) else d
    if key == "field":
        f = slots.get("field")
        return _FIELD_NAMES.get(str(f).split(".")[-1], str(f).split(".")[-1]) if f else None
    if key == "code":
        return slots.get("code") or slots.get("registry_code")
    return slots.get(key)


def slot_matches(key: str, expected: Any, got: Any) -> bool:
    if got is None:
        return False
    if key in PLACE_LEVELS:
        from registry.gazetteer import normalize_name

        return normalize_name(str(expected)) == normalize_name(str(got))
    if key in ("standard_number", "code", "product_name", "national_id", "phone"):
        return _norm(expected) == _norm(got)
    return str(expected) == str(got)


@dataclass
class Tally:
    n: int = 0
    ok: int = 0

    def add(self, good: bool) -> None:
        self.n += 1
        self.ok += good

    @property
    def rate(self) -> float:
        return self.ok / self.n if self.n else 0.0

    def __str__(self) -> str:
        return f"{100 * self.rate:5.1f} % ({self.ok}/{self.n})"


@dataclass
class Report:
    intent: Tally = field(default_factory=Tally)
    by_role: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_side: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_intent: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_tag: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_slot: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    must_not_change: Tally = field(default_factory=Tally)
    errors: list[str] = field(default_factory=list)

    def side_rates(self) -> dict[str, float]:
        return {k: v.rate for k, v in self.by_side.items()}


def side_of(role: str) -> str:
    return "officer" if role in ("district", "province", "central") else "producer"


def score_lines(lines: list[Line], parse: Callable[[str, Context], Intent]) -> Report:
    r = Report()
    for ln in lines:
        got = parse(ln.text, ln.context)
        good = got.name == ln.intent
        for t in (r.intent, r.by_role[ln.role], r.by_side[side_of(ln.role)], r.by_intent[ln.intent]):
            t.add(good)
        for tag in ln.tags or ("plain",):
            r.by_tag[tag].add(good)
        if not good:
            r.errors.append(f"{ln.number}: {got.name} ({got.confidence:.2f}) != {ln.intent} [{ln.role}]: {ln.text}")
        if ln.must_not_change:
            safe = not changes_data(got.name)
            r.must_not_change.add(safe)
            if not safe:
                r.errors.append(f"{ln.number}: DATA-CHANGING {got.name} on: {ln.text}")
        for key, value in ln.slots.items():
            v = got_slot(key, got.slots)
            ok = slot_matches(key, value, v)
            r.by_slot[key].add(ok)
            if not ok:
                r.errors.append(f"{ln.number}: slot {key}={v!r} != {value!r}: {ln.text}")
    return r


def format_report(name: str, r: Report, detail: bool = True) -> str:
    out = [f"== {name}: intent {r.intent}; "
           + "; ".join(f"{k} {v}" for k, v in sorted(r.by_side.items()))
           + f"; negation/question lines kept from data changes {r.must_not_change}"]
    if detail:
        out.append("  roles: " + "; ".join(f"{k} {v}" for k, v in sorted(r.by_role.items())))
        out.append("  styles: " + "; ".join(f"{k} {v}" for k, v in sorted(r.by_tag.items())))
        out.append("  slots: " + "; ".join(f"{k} {v}" for k, v in sorted(r.by_slot.items())))
        worst = sorted(r.by_intent.items(), key=lambda kv: kv[1].rate)
        out.append("  intents: " + "; ".join(f"{k} {v}" for k, v in worst))
    return "\n".join(out)
