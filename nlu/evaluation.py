"""Scoring the NLU against the labelled set (tests/nlu/eval_set.tsv): used by tests and bench."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable

from .intents import Context, Intent

EVAL_TODAY = date(2024, 6, 15)
PLACE_KEYS = ("province_code", "district_code", "subdistrict_code", "place_candidates")
EVAL_FILE = Path(__file__).resolve().parent.parent / "tests" / "nlu" / "eval_set.tsv"


@dataclass(frozen=True)
class Example:
    split: str
    context: Context
    text: str
    intent: str
    slots: dict[str, Any]
    line: int


def _context(ctx: str, flow: str, expecting: str) -> Context:
    role, _, code = ctx.partition("@")
    role = None if role == "-" else role
    province = code[:2] if code else None
    district = code if len(code) == 4 else None
    return Context(role=role, province_code=province, district_code=district,
                   flow=None if flow == "-" else flow, expecting=None if expecting == "-" else expecting,
                   today=EVAL_TODAY)


def _value(key: str, raw: str) -> Any:
    if key in ("place_candidates", "channels"):
        return raw.split("|")
    if key in ("stars", "year_be", "request_id"):
        return int(raw)
    if key in ("national_id_valid", "phone_valid"):
        return raw == "true"
    if key == "date":
        return date.fromisoformat(raw)
    return raw


def load(path: Path = EVAL_FILE) -> list[Example]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        split, ctx, flow, expecting, text, intent, slot_text = (line.split("\t") + [""] * 7)[:7]
        slots = {}
        for pair in filter(None, (p.strip() for p in slot_text.split(";"))):
            k, _, v = pair.partition("=")
            slots[k.strip()] = _value(k.strip(), v.strip())
        rows.append(Example(split, _context(ctx, flow, expecting), text, intent, slots, n))
    return rows


def _norm_query(s: str) -> str:
    return re.sub(r"\s+", "", str(s))


def slot_ok(key: str, expected: Any, got: Any) -> bool:
    if key == "channels":
        return got is not None and set(expected) == set(got)
    if key in ("query", "reason"):
        return got is not None and _norm_query(expected) == _norm_query(got)
    return expected == got


@dataclass
class Score:
    n: int = 0
    intent_ok: int = 0
    place_n: int = 0
    place_ok: int = 0
    slot_n: int = 0
    slot_ok: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def intent_accuracy(self) -> float:
        return self.intent_ok / self.n if self.n else 0.0

    @property
    def place_accuracy(self) -> float:
        return self.place_ok / self.place_n if self.place_n else 0.0

    @property
    def slot_accuracy(self) -> float:
        return self.slot_ok / self.slot_n if self.slot_n else 0.0


def score(examples: list[Example], parse: Callable[[str, Context], Intent]) -> Score:
    """Intent accuracy; place accuracy (all place keys equal, on examples that name a place);
    other-slot accuracy (each expected key)."""
    s = Score()
    for ex in examples:
        got = parse(ex.text, ex.context)
        s.n += 1
        if got.name == ex.intent:
            s.intent_ok += 1
        else:
            s.errors.append(f"{ex.line}: intent {got.name} != {ex.intent}: {ex.text}")
        expected_place = {k: v for k, v in ex.slots.items() if k in PLACE_KEYS}
        if expected_place:
            s.place_n += 1
            got_place = {k: v for k, v in got.slots.items() if k in PLACE_KEYS}
            if got_place == expected_place:
                s.place_ok += 1
            else:
                s.errors.append(f"{ex.line}: place {got_place} != {expected_place}: {ex.text}")
        for k, v in ex.slots.items():
            if k in PLACE_KEYS or k in ("place_level", "place_text"):
                continue
            s.slot_n += 1
            if slot_ok(k, v, got.slots.get(k)):
                s.slot_ok += 1
            else:
                s.errors.append(f"{ex.line}: slot {k}={got.slots.get(k)!r} != {v!r}: {ex.text}")
    return s


def keyword_baseline() -> Callable[[str, Context], Intent]:
    """Plain keyword matching, for comparison: the longest training phrase found verbatim in the
    normalised message wins (no rules, no model, no role); nothing found → unknown."""
    from .model import training_rows
    from .normalize import normalize

    phrases = sorted(((normalize(t), i) for i, t in training_rows()), key=lambda x: -len(x[0]))
    phrases = [(p, i) for p, i in phrases if p]

    def parse(text: str, context: Context) -> Intent:
        s = normalize(text)
        for phrase, intent in phrases:
            if phrase in s:
                return Intent(intent, {}, 1.0, [])
        return Intent("unknown", {}, 0.0, [])

    return parse


def main() -> None:
    """`python -m nlu.evaluation [-v] [project heldout dev fresh shared]`: every set (or those
    named), intent accuracy per intent, role and style, slot accuracy, and the negation/question
    lines kept from data-changing intents. `-v` lists the errors of the sets whose errors may be
    read (dev, fresh, project), never the held-out half's or the shared set's."""
    import sys

    from . import parse, warm_up
    from .eval_sets import FRESH, INDEPENDENT, SHARED_DEV, format_report, load_jsonl, score_lines

    verbose = "-v" in sys.argv
    chosen = {a for a in sys.argv[1:] if not a.startswith("-")} or {"project", "heldout", "dev", "fresh", "shared"}
    warm_up()
    if "project" in chosen:
        own = score(load(), parse)
        print(f"== project set (tests/nlu/eval_set.tsv, written with the rules): intent {100 * own.intent_accuracy:.1f} % "
              f"({own.intent_ok}/{own.n}); places {100 * own.place_accuracy:.1f} %; other slots {100 * own.slot_accuracy:.1f} %")
    sets = [(split, f"independent set, {split} ({'never tuned on' if split == 'heldout' else 'errors read'})",
             [ln for ln in load_jsonl(INDEPENDENT) if ln.split == split]) for split in ("heldout", "dev")]
    sets.append(("fresh", "fresh set (tests/nlu/fresh_set.jsonl, errors read after its first figure)", load_jsonl(FRESH)))
    if SHARED_DEV.exists():
        sets.append(("shared", "../shared/eval/nlu_dev.jsonl", load_jsonl(SHARED_DEV)))
    for key, name, lines in sets:
        if key not in chosen:
            continue
        r = score_lines(lines, parse)
        print(format_report(name, r))
        if verbose and key in ("dev", "fresh"):
            print("\n".join(r.errors))

if __name__ == "__main__":
    main()
