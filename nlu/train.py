"""Fit the intent model from nlu/data/train.tsv: `python -m nlu.train`.

Needs scikit-learn (a build-time tool here); writes nlu/data/intent_model.npz.
"""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import numpy as np

from .model import IntentModel, char_ngrams, training_hash, training_rows
from .normalize import normalize


def fit(rows: list[tuple[str, str]], c: float = 150.0) -> IntentModel:
    """Vocabulary + smoothed idf + multinomial logistic regression, like TfidfVectorizer(char_wb)."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    docs = [Counter(char_ngrams(normalize(text))) for _, text in rows]
    vocab: dict[str, int] = {}
    for d in docs:
        for g in d:
            vocab.setdefault(g, len(vocab))
    df = np.zeros(len(vocab))
    for d in docs:
        for g in d:
            df[vocab[g]] += 1
    idf = np.log((1 + len(docs)) / (1 + df)) + 1.0
    data, indices, indptr = [], [], [0]
    for d in docs:
        w = np.array([(1.0 + math.log(n)) * idf[vocab[g]] for g, n in d.items()])
        w = w / np.sqrt((w * w).sum()) if w.size else w
        data.extend(w)
        indices.extend(vocab[g] for g in d)
        indptr.append(len(indices))
    x = csr_matrix((data, indices, indptr), shape=(len(docs), len(vocab)))
    clf = LogisticRegression(C=c, max_iter=3000)
    clf.fit(x, [intent for intent, _ in rows])
    return IntentModel(vocab, idf, clf.coef_.T.copy(), clf.intercept_.copy(),
                       [str(x) for x in clf.classes_], training_hash())


def main() -> None:
    rows = training_rows()
    m = fit(rows)
    out = Path(__file__).parent / "data" / "intent_model.npz"
    m.save(out)
    print(f"{len(rows)} phrasings, {len(m.labels)} intents, {len(m.vocab)} n-grams -> {out}")


if __name__ == "__main__":
    main()
