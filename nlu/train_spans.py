"""Train the product-name tagger: `python -m nlu.train_spans [--folds K]`.

Data: the product-name spans marked in nlu/data/phrases.jsonl (phrase writers who never saw an
evaluation set), plus messages of intents that name no product, as all-outside examples.
`--folds K` prints a K-fold cross-validated exact-span accuracy beside the old hand-written
reader (nlu.slots._regex_product_name) on the same lines, and writes nothing.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from . import catalog
from .normalize import clean
from .product_span import MODEL_PATH, features, labels_for, span_of, words

PHRASES = Path(__file__).parent / "data" / "phrases.jsonl"
PARAMS = {"c1": 0.05, "c2": 0.01, "max_iterations": 200, "feature.possible_transitions": True}


def examples() -> tuple[list[tuple[str, str]], list[str]]:
    """(text, span) for marked lines; texts of lines whose intent reads no product."""
    marked, plain = [], []
    for line in PHRASES.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        d = json.loads(line)
        span = (d.get("slots") or {}).get("product_name")
        if span:
            marked.append((clean(d["text"]), clean(span)))
        elif d["intent"] in catalog.SPECS and "product_name" not in catalog.SPECS[d["intent"]].slots \
                and d["intent"] != "unknown":
            plain.append(clean(d["text"]))
    return marked, plain


def sequences(marked: list[tuple[str, str]], plain: list[str]) -> list[tuple[list[str], list[str]]]:
    out = []
    for text, span in marked:
        ws = words(text)
        lab = labels_for(text, span, ws)
        if lab:
            out.append((ws, lab))
    for text in plain:
        ws = words(text)
        out.append((ws, ["O"] * len(ws)))
    return out


def fit(seqs: list[tuple[list[str], list[str]]], path: Path) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for ws, lab in seqs:
        trainer.append(features(ws), lab)
    trainer.set_params(PARAMS)
    trainer.train(str(path))


def cross_validate(k: int) -> None:
    import tempfile

    import pycrfsuite

    from .eval_sets import _norm
    from .slots import _regex_product_name

    marked, plain = examples()
    rng = random.Random(7)
    rng.shuffle(marked)
    plain = rng.sample(plain, min(len(plain), 1500))
    ok = ok_regex = ok_either = 0
    for f in range(k):
        test = marked[f::k]
        train = [m for i, m in enumerate(marked) if i % k != f]
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "m.crfsuite"
            fit(sequences(train, plain), path)
            tagger = pycrfsuite.Tagger()
            tagger.open(str(path))
            for text, span in test:
                ws = words(text)
                got = span_of(ws, list(tagger.tag(features(ws))))
                rx = _regex_product_name(text)
                ok += bool(got) and _norm(got) == _norm(span)
                ok_regex += bool(rx) and _norm(rx) == _norm(span)
                both = got or rx
                ok_either += bool(both) and _norm(both) == _norm(span)
    n = len(marked)
    print(f"{n} marked lines, {k}-fold: tagger {ok / n:.1%}, hand-written reader {ok_regex / n:.1%}, "
          f"tagger then reader {ok_either / n:.1%}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--folds", type=int, default=0)
    args = ap.parse_args()
    if args.folds:
        cross_validate(args.folds)
        return
    marked, plain = examples()
    plain = random.Random(7).sample(plain, min(len(plain), 1500))
    seqs = sequences(marked, plain)
    fit(seqs, MODEL_PATH)
    print(f"{len(seqs)} sequences ({len(marked)} marked) -> {MODEL_PATH}")


if __name__ == "__main__":
    main()
