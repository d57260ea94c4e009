"""Accuracy on the independent set (written apart from the rules, tests/nlu/INDEPENDENT_SET.md)
and on ../shared/eval/nlu_dev.jsonl: regression gates at the level reached, not the issue's
target (95 %), which is not met yet (docs/NLU.md)."""

import pytest

from nlu import parse, warm_up
from nlu.eval_sets import FRESH, INDEPENDENT, SHARED_DEV, load_jsonl, score_lines

GATES = {"heldout": 0.92, "dev": 0.95, "fresh": 0.94, "shared": 0.92}
SIDE_GATE = 0.90
SAFETY_GATE = 0.95  # negation / question lines kept from data-changing intents


@pytest.fixture(scope="module")
def sets():
    warm_up()
    lines = load_jsonl(INDEPENDENT)
    out = {split: [ln for ln in lines if ln.split == split] for split in ("heldout", "dev")}
    out["fresh"] = load_jsonl(FRESH)
    if SHARED_DEV.exists():
        out["shared"] = load_jsonl(SHARED_DEV)
    return out


@pytest.mark.parametrize("name", ["heldout", "dev", "fresh", "shared"])
def test_independent_accuracy(sets, name):
    if name not in sets:
        pytest.skip("../shared/eval is not beside this checkout")
    r = score_lines(sets[name], parse)
    report = "\n".join(r.errors[:80])
    assert r.intent.rate >= GATES[name], report
    assert all(t.rate >= SIDE_GATE for t in r.by_side.values()), r.side_rates()
    assert r.must_not_change.rate >= SAFETY_GATE, report


def test_set_shape(sets):
    assert len(sets["heldout"]) >= 300 and len(sets["dev"]) >= 300 and len(sets["fresh"]) >= 600
    negq = [ln for part in ("heldout", "dev") for ln in sets[part] if ln.must_not_change]
    assert len(negq) >= 60
