"""The intent model: character 2–4-grams (TF-IDF, sublinear tf, l2) + logistic regression.

`python -m nlu.train` fits it with scikit-learn from `nlu/data/train.tsv` and writes plain
arrays to `nlu/data/intent_model.npz` together with the hash of the training file (a test
checks that the shipped model matches the file). At run time only numpy is needed: the
n-grams are counted here and scored with one small matrix product, which keeps `parse`
well under a millisecond and the app's import free of scikit-learn.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from functools import cache
from importlib import resources

import numpy as np

NGRAM_MIN, NGRAM_MAX = 2, 4
MODEL_FILE = "data/intent_model.npz"
# Sublinear tf, 1 + log(count), for the counts a chat message has (computed the same way).
_TF = tuple(1.0 + math.log(c) if c else 0.0 for c in range(64))


def char_ngrams(text: str) -> list[str]:
    """Character n-grams inside word boundaries (scikit-learn's `char_wb` analyser)."""
    grams: list[str] = []
    for word in text.split():
        w = f" {word} "
        grams += map(w.__getitem__, _gram_slices(len(w)))
    return grams


def _gram_slices(size: int) -> tuple[slice, ...]:
    """Where a padded word of `size` characters has its n-grams, in char_wb order: all 2-grams,
    all 3-grams, ... (a word shorter than n is one gram, and the longer n are skipped).
    Slicing with these is done by `map` in C, without a Python loop per n-gram."""
    return _SLICES[size] if size < len(_SLICES) else _slices(size)


def _slices(size: int) -> tuple[slice, ...]:
    out: list[slice] = []
    for n in range(NGRAM_MIN, NGRAM_MAX + 1):
        if size < n:
            out.append(slice(0, size))
            break
        out += [slice(i, i + n) for i in range(size - n + 1)]
    return tuple(out)


_SLICES = tuple(_slices(size) for size in range(64))


TRAINING_FILES = ("data/train.tsv", "data/phrases.jsonl")


def training_text() -> str:
    return "".join(resources.files("nlu").joinpath(f).read_text(encoding="utf-8") for f in TRAINING_FILES)


def training_rows() -> list[tuple[str, str]]:
    """(intent, text) pairs: nlu/data/train.tsv, nlu/data/phrases.jsonl (phrasings written
    from the feature descriptions by writers who never saw an evaluation set) and the
    examples declared with each intent (nlu/catalog/)."""
    import json

    from . import catalog

    rows = []
    for line in resources.files("nlu").joinpath(TRAINING_FILES[0]).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        intent, phrase = line.split("\t", 1)
        rows.append((intent.strip(), phrase.strip()))
    for line in resources.files("nlu").joinpath(TRAINING_FILES[1]).read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            rows.append((d["intent"], d["text"]))
    for spec in catalog.SPECS.values():
        rows += [(spec.name, e) for e in spec.examples]
    return rows


def training_hash() -> str:
    """Identifies the training data the shipped model was built from."""
    rows = "\n".join(f"{i}\t{t}" for i, t in training_rows())
    return hashlib.sha256(rows.encode("utf-8")).hexdigest()


class IntentModel:
    """Vocabulary, idf weights and classifier coefficients; `predict()` ranks intents."""

    def __init__(self, vocab: dict[str, int], idf: np.ndarray, coef: np.ndarray,
                 intercept: np.ndarray, labels: list[str], source_hash: str) -> None:
        self.vocab = vocab
        self.idf = idf
        self.coef = coef  # (n_features, n_labels)
        self.intercept = intercept
        self.labels = labels
        self.source_hash = source_hash

    def features(self, matching_text: str) -> tuple[np.ndarray, np.ndarray]:
        # The same arrays, in the same order, as counting the in-vocabulary n-grams with a
        # Counter: first occurrence order, tf = 1 + log(count), tf-idf, l2 normalised with
        # numpy's own sum (its pairwise summation decides the last bits).
        counts = Counter(map(self.vocab.get, char_ngrams(matching_text)))
        counts.pop(None, None)  # n-grams the model does not know
        if not counts:
            return np.empty(0, dtype=np.int64), np.empty(0)
        idx = np.array(list(counts), dtype=np.int64)
        tf = np.array([_TF[c] if c < len(_TF) else 1.0 + math.log(c) for c in counts.values()], dtype=np.float64)
        w = tf * self.idf[idx]
        return idx, w / np.sqrt(np.add.reduce(w * w))

    def predict(self, matching_text: str) -> list[tuple[str, float]]:
        """(intent, probability) for every intent, best first; [] when nothing is known."""
        order, probs = self.rank(matching_text)
        labels = self.labels
        return [(labels[i], probs[i]) for i in order]

    def rank(self, matching_text: str) -> tuple[list[int], list[float]]:
        """`predict()` as label indices, best first, and every label's probability by index."""
        idx, w = self.features(matching_text)
        if idx.size == 0:
            return [], []
        scores = w @ self.coef[idx] + self.intercept
        scores -= scores.max()
        p = np.exp(scores)
        p /= p.sum()
        return (-p).argsort().tolist(), p.tolist()

    def save(self, path) -> None:  # type: ignore[no-untyped-def]
        grams = sorted(self.vocab, key=self.vocab.__getitem__)
        np.savez_compressed(path, grams=np.array(grams), idf=self.idf, coef=self.coef.astype(np.float32),
                            intercept=self.intercept, labels=np.array(self.labels),
                            source_hash=np.array(self.source_hash))

    @classmethod
    def load(cls) -> "IntentModel":
        with resources.files("nlu").joinpath(MODEL_FILE).open("rb") as f:
            data = np.load(f, allow_pickle=False)
            grams = [str(g) for g in data["grams"]]
            return cls({g: i for i, g in enumerate(grams)}, data["idf"].astype(np.float64),
                       data["coef"].astype(np.float64), data["intercept"].astype(np.float64),
                       [str(x) for x in data["labels"]], str(data["source_hash"]))


@cache
def model() -> IntentModel:
    """The shipped model, loaded once per process (warm_up() pays for it at app start)."""
    return IntentModel.load()
