"""Thai text as users type it in LINE, brought to one comparable form. Pure and fast.

Two forms are produced:
- `clean()` keeps the user's words (names, numbers, codes) but fixes encoding noise: PyThaiNLP
  `normalize` (vowel/tone order, doubled เเ, zero-width), Thai digits, text typed on the
  wrong keyboard layout, runs of a repeated letter, ๆ, spacing. Slots are read from it.
- `for_matching()` is `clean()` plus lower case, abbreviations spelled out, polite particles
  removed and number words turned into digits. Rules and the intent model read it.
"""

from __future__ import annotations

import os
import re

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")

from pythainlp import (  # noqa: E402
    thai_above_vowels,
    thai_below_vowels,
    thai_follow_vowels,
    thai_lead_vowels,
    thai_tonemarks,
)
from pythainlp.util import eng_to_thai, thai_to_eng  # noqa: E402
from pythainlp.util import normalize as th_normalize  # noqa: E402

from registry.ids import arabic_digits  # noqa: E402

_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"\s+")
# A Thai letter typed three or more times ("ครับบบบ", "นะคะะะ"): one is meant.
_REPEATED_THAI = re.compile(r"([\u0e01-\u0e4e])\1{2,}")
_MAI_YAMOK = re.compile(r"\s*ๆ+")
_THAI = re.compile(r"[\u0e01-\u0e5b]")
_LATIN = re.compile(r"[A-Za-z]")

# Latin words people really mean in English (or codes): never "fixed" into Thai.
ENGLISH_WORDS = frozenset(
    """hello hi hey help menu cancel stop ok okay yes no thank thanks you thx ty approve reject
    report national monthly province pending list search find check photo update send link
    account record my code gen start resume reminders reminder remind quadrant sme smes gmp
    otop set organic thailand lazada shopee facebook line category type status page next
    back home test admin good morning bye please notification notifications notify alert alerts
    business close closure open edit data info profile owner name birthday birth date phone number
    address standard standards product products producer producers request requests withdraw
    relocate relocation move target step committee meeting approved rejected district
    id new old change delete remove add upload picture photos star stars group
    the of for to and in on is are what how where when which who can do does not this that all
    any want need again today month year now""".split()
)
# A one-time invite code: 8 characters, optionally XXXX-XXXX (see slots.CODE).
_CODE_ONLY = re.compile(r"[A-Za-z0-9]{4}-?[A-Za-z0-9]{4}")


def fix_keyboard_layout(text: str) -> str:
    """Text typed with the English layout while meaning Thai ("pdg]bd" → "ยกเลิก"), and an
    English command word typed with the Thai layout ("ทำืี" → "menu")."""
    if _THAI.search(text) and not _LATIN.search(text):
        return _english_typed_in_thai(text)
    if _THAI.search(text) or not _LATIN.search(text):
        return text
    stripped = text.strip()
    if _CODE_ONLY.fullmatch(stripped):
        return text
    words = [w for w in re.findall(r"[A-Za-z0-9]+", stripped.lower()) if not re.search(r"\d", w)]
    # English typed on purpose: most of its words are words people use here in English.
    if words and sum(w in ENGLISH_WORDS for w in words) >= 0.5 * len(words):
        return text
    # Codes and ids (P001234, letters+digits without Thai-layout punctuation) stay as typed.
    if re.fullmatch(r"[A-Za-z0-9\- ]+", stripped) and not re.search(r"[a-z]{3,}", stripped):
        return text
    # A record code (OTOP0012345, otop-004512) is typed as it is.
    if re.fullmatch(r"[A-Za-z]{1,6}[-_]?\d{4,10}", stripped):
        return text
    converted = eng_to_thai(text)
    thai = len(_THAI.findall(converted))
    if thai < 0.6 * len(converted.replace(" ", "")):
        return text
    # English typed on purpose ("monthly report Oct please") also converts to Thai letters:
    # keep the conversion only when most of it is Thai dictionary words.
    return converted if _thai_word_share(converted) >= 0.6 else text


def _english_typed_in_thai(text: str) -> str:
    """A single English command word typed on the Thai layout, when it is not a Thai word."""
    word = text.strip()
    if not 3 <= len(word) <= 12 or " " in word:
        return text
    english = thai_to_eng(word).lower()
    if len(english) >= 3 and english in ENGLISH_WORDS and word not in _dictionary():
        return english
    return text


def _thai_word_share(text: str) -> float:
    """The share of a text's Thai letters that fall in PyThaiNLP dictionary words."""
    from pythainlp.corpus import thai_words
    from pythainlp.tokenize import word_tokenize

    words = _dictionary()
    letters = len(_THAI.findall(text)) or 1
    covered = sum(len(t) for t in word_tokenize(text, engine="newmm", keep_whitespace=False)
                  if len(t) > 1 and t in words)
    return covered / letters


_WORDS: frozenset[str] | None = None


def _dictionary() -> frozenset[str]:
    global _WORDS
    if _WORDS is None:
        from pythainlp.corpus import thai_words

        _WORDS = frozenset(thai_words())
    return _WORDS


# Everything PyThaiNLP's `normalize` (5.x) would change, as one search. Its steps are
# substitutions run one after another; when none of their patterns occurs in the text each step
# returns its input unchanged, so the next one sees the original text too and the whole call is
# the identity. Each alternative below matches wherever one step's pattern could (some more
# widely, which only costs the full call): zero-width and newlines; double, leading and
# trailing spaces; a space before or a text starting with a non-base mark; เเ; a tone mark or
# thanthakhat before an above/below vowel; nikhahit...sara aa; a follow vowel before a tone
# mark; lakkhangyao; a vowel or sign repeated (spaces between); two tone marks. Most messages
# need none of it, and the ~25 substitutions were the largest part of `clean()`.
_NON_BASE = f"{thai_above_vowels}{thai_below_vowels}{thai_tonemarks}\u0e3a\u0e4c\u0e4d\u0e4e"
_NO_REPEAT = f"{thai_follow_vowels}{thai_lead_vowels}{thai_above_vowels}{thai_below_vowels}\u0e3a\u0e4c\u0e4d\u0e4e"
_TH_NORMALIZE_WORK = re.compile(
    rf"[\u200b\u200c\n]|  |^\s|\s\Z|^[{_NON_BASE}]| [{_NON_BASE}]|\u0e40\u0e40"
    rf"|[{thai_tonemarks}\u0e4c][{thai_above_vowels}{thai_below_vowels}]|\u0e4d[{thai_tonemarks}]*\u0e32"
    rf"|[{thai_follow_vowels}][{thai_tonemarks}]|\u0e45|([{_NO_REPEAT}]) *\1|[{thai_tonemarks}]{{2}}"
)


def thai_normalize(text: str) -> str:
    """PyThaiNLP's `normalize(text)`, skipped when it could change nothing (see above)."""
    return th_normalize(text) if _TH_NORMALIZE_WORK.search(text) else text


def clean(text: str) -> str:
    """The user's text with encoding noise removed; words, names and numbers kept."""
    s = _ZERO_WIDTH.sub("", text or "")
    s = arabic_digits(s)
    s = fix_keyboard_layout(s)
    if _THAI.search(s):
        s = thai_normalize(s)
        s = _REPEATED_THAI.sub(r"\1", s)
        s = _MAI_YAMOK.sub(" ", s)
    return _SPACES.sub(" ", s).strip()


# Abbreviations officers use, spelled out for matching (place prefixes stay: the place
# extractor reads them from `clean()` text).
ABBREVIATIONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"ผปก\.?", "ผู้ประกอบการ"),
        (r"สพอ\.?", "สำนักงานพัฒนาชุมชนอำเภอ"),
        (r"สพจ\.?", "สำนักงานพัฒนาชุมชนจังหวัด"),
        (r"พช\.", "พัฒนาชุมชน"),
        (r"ข้อมูลฯ", "ข้อมูล"),
        (r"ผลิตภัณท์|ผลิตพันธ์|ผลิตภัณ(?!ฑ)", "ผลิตภัณฑ์"),
        (r"อัพเดท|อัพเดต|อัปเดท|update", "อัปเดต"),
        (r"อัพโหลด|อัพ(?=รูป|ภาพ)", "อัปโหลด"),
        (r"ควอดแรนท์|ควอดแรนต์|ควอดรันท์|quadrant|ควอแดรน[ทต]์|ควอแดรนด์|ควอดแรนด์", "ควอดแรนต์"),
        (r"เบอ(?=ร์)", "เบอ"),
        (r"(?<![ก-๙])อ\.(?=[ก-๙ ])(?!ย\.)", "อำเภอ"),
        (r"(?<![ก-๙])จ\.(?=[ก-๙ ])", "จังหวัด"),
        (r"(?<![ก-๙])ต\.(?=[ก-๙ ])(?!ค\.)", "ตำบล"),
        (r"เช็ค|เช็ก", "ตรวจ"),
    )
)

# Any of them, as one search: when none occurs, for_matching() skips the substitutions (each
# would return its input unchanged, so the next sees the original text too).
_ANY_ABBREVIATION = re.compile("|".join(f"(?:{p.pattern})" for p, _ in ABBREVIATIONS))

# Polite particles and fillers at the end of a word group ("ยกเลิกค่ะ", "ขอบคุณนะคะ").
_PARTICLES = re.compile(
    r"(?:นะ(?:คะ|ครับ|ค่ะ|จ๊ะ|จ้ะ|จ้า)?|ครับผม|ครับ|คับ|ค้าบ|ขอรับ|ค่ะ|คะ|ค่า|คร่ะ|จ้า|จ้ะ|จ๊ะ|จ๋า|ฮะ|ฮับ|"
    r"เด้อ|เน้อ|เจ้า|หน่อย|ด้วย|ที|จ้ะ)+$"
)

_NUMBER_WORDS = {
    "หนึ่ง": "1", "สอง": "2", "สาม": "3", "สี่": "4", "ห้า": "5",
    "หก": "6", "เจ็ด": "7", "แปด": "8", "เก้า": "9", "สิบ": "10",
}
_NUMBER_WORD = re.compile(r"(หนึ่ง|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า)(?=\s*ดาว)")


def strip_particles(text: str) -> str:
    """Remove polite particles ending each space-separated group."""
    out = []
    for chunk in text.split(" "):
        stripped = _PARTICLES.sub("", chunk)
        if stripped:
            out.append(stripped)
    return " ".join(out)


def number_words(text: str) -> str:
    """Thai number words before ดาว ("สี่ดาว") as digits; elsewhere they are names (สองแคว)."""
    return _NUMBER_WORD.sub(lambda m: _NUMBER_WORDS[m[1]], text)


def for_matching(cleaned: str) -> str:
    """The form rules and the model see: lower case, abbreviations out, particles off."""
    s = cleaned.lower()
    if _ANY_ABBREVIATION.search(s):
        for pattern, repl in ABBREVIATIONS:
            s = pattern.sub(repl, s)
    s = number_words(s)
    s = strip_particles(s)
    return _SPACES.sub(" ", s).strip()


def normalize(text: str) -> str:
    """Both steps at once (handy for tests and tools)."""
    return for_matching(clean(text))
