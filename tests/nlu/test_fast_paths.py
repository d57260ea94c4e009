"""The NLU's short cuts give what the plain computation gives (the whole-parse check is
test_parse_snapshot.py; these reach inputs the evaluation set does not)."""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest
from rapidfuzz import fuzz, process

from nlu import places
from nlu.evaluation import load
from nlu.model import NGRAM_MAX, NGRAM_MIN, char_ngrams, training_rows
from nlu.normalize import ABBREVIATIONS, for_matching, number_words, strip_particles, th_normalize, thai_normalize
from registry import gazetteer as gz

RNG_SEED = 20240615
MARKS = [chr(c) for c in range(0x0E30, 0x0E4F)]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return [e.text for e in load()] + [t for _, t in training_rows()]


def _mutations(texts: list[str], n: int) -> list[str]:
    """Real messages with vowels, tone marks, spaces or dots dropped in at random places."""
    rng = random.Random(RNG_SEED)
    out = []
    for _ in range(n):
        chars = list(rng.choice(texts))
        for _ in range(rng.randint(1, 3)):
            chars.insert(rng.randint(0, len(chars)), rng.choice(MARKS + [" ", "  ", ".", "\n", "-"]))
        out.append("".join(chars))
    return out


def test_thai_normalize_is_pythainlp_normalize(texts):
    rng = random.Random(RNG_SEED)
    alphabet = [chr(c) for c in range(0x0E01, 0x0E5C)] + [" ", "  ", "\n", "\t", "\u200b", "\u200c", "a", "1", "เเ"]
    noise = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10))) for _ in range(20000)]
    for s in texts + _mutations(texts, 20000) + noise:
        assert thai_normalize(s) == th_normalize(s), repr(s)


def test_for_matching_abbreviation_skip(texts):
    def reference(cleaned: str) -> str:
        s = cleaned.lower()
        for pattern, repl in ABBREVIATIONS:
            s = pattern.sub(repl, s)
        return re.sub(r"\s+", " ", strip_particles(number_words(s))).strip()

    extra = ["ผปก.ที่ อ.เมือง จ.เลย ต.นาอาน", "อัพเดทรูป", "ควอดแรนท์ A", "เช็คข้อมูล", "พช.จังหวัด", "ผลิตภัณท์"]
    for s in texts + extra + _mutations(texts, 3000):
        assert for_matching(s) == reference(s), repr(s)


def _reference_ngrams(text: str) -> list[str]:
    grams: list[str] = []
    for word in text.split():
        w = f" {word} "
        for n in range(NGRAM_MIN, NGRAM_MAX + 1):
            if len(w) < n:
                grams.append(w)
                break
            grams.extend(w[i : i + n] for i in range(len(w) - n + 1))
    return grams


def test_char_ngrams(texts):
    long_word = "ก" * 70 + " x " + "อำเภอ" * 30
    for s in texts + ["", " ", "a", "ab c", long_word]:
        assert char_ngrams(s) == _reference_ngrams(s)


def test_name_keys_are_normalize_name():
    rng = random.Random(RNG_SEED)
    pieces = ["เมือง", "เชียงใหม่", "แม่", "จัน", " ", ".", "-", "'", "อำเภอ", "จ.", "ต.", "เขต", "Mueang", "ÄB",
              "\u200b", "กิ่งอำเภอ", "ΣΑΣ", "İ", "มีใคร", "ขาด"]
    heads = ["", "เมืองเชียงใหม่ มีใคร", "อำเภอ เมือง", "Mae Sai", "จ.เลย"]
    heads += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 6))).lstrip()[:24] for _ in range(3000)]
    for head in heads:
        expected = [(n, gz.normalize_name(head[:n])) for n in range(len(head), 1, -1)]
        assert list(places._name_keys(head)) == expected, repr(head)


def _reference_first_exact(text, index, taken, min_len=3):
    i, n = 0, len(text)
    while i < n:
        if any(a <= i < b for a, b in taken) or not ("ก" <= text[i] <= "๙"):
            i += 1
            continue
        for length in range(min(places._MAX_NAME, n - i), min_len - 1, -1):
            piece = text[i : i + length]
            if piece in index and piece not in places._COMMON_WORDS:
                return i, i + length, piece
        i += 1
    return None


def test_first_exact(texts):
    gz.warm_up()
    cases = [("province", None, 3), ("district", "57", 3), ("district", None, 3), ("subdistrict", "5701", 4),
             ("subdistrict", "3015", 4)]
    rng = random.Random(RNG_SEED)
    for text in texts + ["เชียงรายแม่สายเวียงพางคำ", "อำเภอเมืองเลย", "นาเลยสองลอง"]:
        taken = [] if rng.random() < 0.5 else [(0, rng.randint(1, 8))]
        for level, parent, min_len in cases:
            expected = _reference_first_exact(text, gz.name_index(level, parent), taken, min_len)
            assert places._first_exact(text, level, parent, taken, min_len) == expected, (text, level, parent)


def test_best_scores_are_extract_one(texts):
    gz.warm_up()
    rng = random.Random(RNG_SEED)
    keysets = [places._thai_keys("province", None) + places._thai_keys("district", "57"),
               places._keys("district", "30"), places._thai_keys("subdistrict", "57")]
    names = [k for keys in keysets for k in keys]
    queries = [t[:rng.randint(1, 16)] for t in texts[:300]]
    for _ in range(600):
        name = rng.choice(names)
        typo = "".join(c for c in name if rng.random() > 0.15) + "".join(rng.choice(name) for _ in range(rng.randint(0, 2)))
        queries += [typo, typo[: rng.randint(0, len(typo))]]
    for keys in keysets:
        for cutoff in (gz.MIN_SCORE, places._FUZZY_UNPREFIXED):
            got = places._best_scores(queries, keys, cutoff)
            for q, score in zip(queries, got):
                hit = process.extractOne(q, keys, scorer=fuzz.ratio, processor=None, score_cutoff=cutoff)
                assert score == (hit[1] if hit else 0.0), (q, cutoff)
    assert places._best_scores([], keysets[0], 85.0) == []
    assert places._best_scores(["เลย"], (), 85.0) == [0.0]


def test_ngram_counts_keep_first_occurrence_order():
    from nlu.model import model

    m = model()
    text = "ขาดรูป ขาดรูป อำเภอเมือง ขาด"
    counts = Counter(g for g in char_ngrams(text) if g in m.vocab)
    idx, _ = m.features(text)
    assert idx.tolist() == [m.vocab[g] for g in counts]
