"""Parse results must not change when the NLU is made faster: every case below is compared with
`parse_snapshot.tsv`, recorded from the code before the speed-ups.

Cases: the evaluation set in its own contexts, plus every evaluation and training text, and a
copy of each evaluation text with one letter dropped (a typo, to reach the fuzzy paths), seen
by a district officer, a producer and an unlinked user. Intent, slots and alternatives
must be equal; probabilities equal to 1e-9 (a different BLAS may round the last bits).

Re-record only for an intended change of behaviour (a new model, rule or eval row):
    PYTHAINLP_OFFLINE=1 PYTHAINLP_READ_ONLY=1 python -m tests.nlu.test_parse_snapshot
(give a path to write elsewhere, e.g. to `cmp` a bit-exact comparison).
"""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path
from typing import Any, Iterator

import pytest

from nlu import Context, Intent, parse, warm_up
from nlu.evaluation import EVAL_TODAY, load
from nlu.model import training_rows

SNAPSHOT = Path(__file__).with_name("parse_snapshot.tsv")
CONTEXTS: dict[str, Context] = {
    "district@5701": Context(role="district", province_code="57", district_code="5701", today=EVAL_TODAY),
    "producer@4010": Context(role="producer", province_code="40", district_code="4010", today=EVAL_TODAY),
    "unlinked": Context(today=EVAL_TODAY),
}


def _typo(text: str) -> str:
    """The text with its middle letter dropped."""
    return text[: len(text) // 2] + text[len(text) // 2 + 1 :]


def cases() -> Iterator[tuple[str, str, Context]]:
    """(label, text, context) for every recorded case, in a fixed order."""
    examples = load()
    for e in examples:
        yield f"eval:{e.line}", e.text, e.context
    texts = [e.text for e in examples]
    texts = list(dict.fromkeys(texts + [t for _, t in training_rows()] + [_typo(t) for t in texts if len(t) > 3]))
    for name, ctx in CONTEXTS.items():
        for text in texts:
            yield name, text, ctx


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def row(label: str, text: str, intent: Intent) -> str:
    """One line of the snapshot: case, text, intent, slots (JSON), confidence, alternatives."""
    slots = json.dumps({k: _plain(v) for k, v in intent.slots.items()}, ensure_ascii=False,
                       separators=(",", ":"), sort_keys=True)
    alternatives = "|".join(f"{n}={p!r}" for n, p in intent.alternatives)
    return "\t".join((label, text, intent.name, slots, repr(intent.confidence), alternatives))


def _same(expected: str, got: str) -> bool:
    """Equal lines, the probabilities to 1e-9."""
    e, g = expected.split("\t"), got.split("\t")
    if e[:4] != g[:4] or len(e) != len(g):
        return False
    ea, ga = [a.split("=") for a in e[5].split("|") if a], [a.split("=") for a in g[5].split("|") if a]
    return [n for n, _ in ea] == [n for n, _ in ga] and all(
        math.isclose(float(x), float(y), rel_tol=1e-9, abs_tol=1e-12)
        for x, y in [(e[4], g[4])] + [(p, q) for (_, p), (_, q) in zip(ea, ga)])


@pytest.fixture(scope="module")
def recorded() -> list[str]:
    warm_up()
    return SNAPSHOT.read_text(encoding="utf-8").splitlines()


def test_parse_matches_snapshot(recorded):
    now = list(cases())
    assert len(now) == len(recorded)
    changed = []
    for (label, text, ctx), expected in zip(now, recorded):
        assert expected.split("\t")[:2] == [label, text], "cases changed: re-record (see module doc)"
        got = row(label, text, parse(text, ctx))
        if not _same(expected, got):
            changed.append(f"was: {expected}\nnow: {got}")
    assert not changed, f"{len(changed)} parse results changed:\n" + "\n".join(changed[:20])


def main(path: Path = SNAPSHOT) -> None:
    warm_up()
    lines = [row(label, text, parse(text, ctx)) for label, text, ctx in cases()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    import sys

    main(Path(sys.argv[1]) if len(sys.argv) > 1 else SNAPSHOT)
