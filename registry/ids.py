"""Identifiers and values as Thai users write them: national IDs, phones, dates, digits.

Pure functions, shared by the importer, the NLU and the chat flows.
"""

from __future__ import annotations

import json
import re
from datetime import date

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
BE_OFFSET = 543


def arabic_digits(text: str) -> str:
    """Thai digits (๐–๙) replaced by Arabic ones."""
    return text.translate(THAI_DIGITS)


def national_id_digits(text: str | None) -> str | None:
    """The 13 digits of a national ID written with any spacing, dashes or Thai digits, else None."""
    if not text:
        return None
    digits = re.sub(r"[\s\-–.]", "", arabic_digits(text))
    return digits if re.fullmatch(r"\d{13}", digits) else None


def national_id_check_ok(digits: str) -> bool:
    """True when the 13th digit is the check digit of the first 12 (mod-11 rule)."""
    if not re.fullmatch(r"\d{13}", digits):
        return False
    total = sum(int(d) * (13 - i) for i, d in enumerate(digits[:12]))
    return (11 - total % 11) % 10 == int(digits[12])


def national_id_check_digit(first12: str) -> str:
    """The check digit that completes 12 digits into a valid national ID."""
    total = sum(int(d) * (13 - i) for i, d in enumerate(first12))
    return str((11 - total % 11) % 10)


def mask_national_id(digits: str | None) -> str:
    """A national ID as shown in chat (PDPA): 1-2345-xxxxx-xx-1."""
    if not digits or len(digits) != 13:
        return "-"
    return f"{digits[0]}-{digits[1:5]}-xxxxx-xx-{digits[12]}"


def normalize_phone(text: str | None) -> str | None:
    """Digits of a phone number with +66 turned into a leading 0; None when there are none."""
    if not text:
        return None
    digits = re.sub(r"\D", "", arabic_digits(text))
    if not digits:
        return None
    if digits.startswith("66") and len(digits) in (10, 11):
        digits = "0" + digits[2:]
    return digits


def phone_valid(digits: str | None) -> bool:
    """A Thai mobile (06/08/09 + 8 digits) or landline (02 + 7, 03-07 + 7 digits)."""
    if not digits:
        return False
    return bool(re.fullmatch(r"0[689]\d{8}|0[2-7]\d{7}", digits))


def format_phone(digits: str) -> str:
    if len(digits) == 10:
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    if len(digits) == 9 and digits.startswith("02"):
        return f"{digits[:2]}-{digits[2:5]}-{digits[5:]}"
    if len(digits) == 9:
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    return digits


def parse_date(text: str | None) -> date | None:
    """`YYYY-MM-DD` (CE, or BE when the year is > 2400) or `D/M/YYYY` (BE or CE). Raises ValueError."""
    if text is None or not str(text).strip():
        return None
    s = arabic_digits(str(text).strip())
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?", s):
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    elif m := re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", s):
        d, mo, y = int(m[1]), int(m[2]), int(m[3])
    else:
        raise ValueError(f"unrecognised date: {text!r}")
    if y > 2400:
        y -= BE_OFFSET
    return date(y, mo, d)  # raises ValueError for 31/2 etc.


def format_date_th(d: date | None) -> str:
    """D/M/BBBB, as Thai users write dates."""
    if d is None:
        return "-"
    return f"{d.day}/{d.month}/{d.year + BE_OFFSET}"


_D = "[0-9๐-๙]"
# 13 digits with optional single separators (space, dash, dot) between them: a national ID.
_NATIONAL_ID_RUN = re.compile(rf"(?<!{_D}){_D}(?:[ \-–.]?{_D}){{12}}(?!{_D})")
# 9 to 12 digits so written, or +66 and 8-9 digits: a phone number (or another long number).
_PHONE_RUN = re.compile(rf"(?:\+66[ \-]?|(?<!{_D})){_D}(?:[ \-–.]?{_D}){{7,11}}(?!{_D})")
REDACTED_ID = "[เลขบัตร]"
REDACTED_PHONE = "[เบอร์โทร]"


def redact(text: str) -> str:
    """`text` with national IDs and phone numbers (any spacing, dashes, Thai digits) replaced
    by placeholders: what may be kept of a message a person typed (inbound_events.payload)."""
    return _PHONE_RUN.sub(REDACTED_PHONE, _NATIONAL_ID_RUN.sub(REDACTED_ID, text))


TEXT_LIMIT = 5000  # LINE's own limit for a text message, in characters


def redact_event(event: dict) -> dict:
    """A webhook event as it may be stored: its message text redacted (`redact`) and cut to
    TEXT_LIMIT characters; anything else (ids, postback data) unchanged. Not copied when
    there is no text."""
    message = event.get("message")
    if isinstance(message, dict) and isinstance(message.get("text"), str):
        return {**event, "message": {**message, "text": redact(message["text"][: TEXT_LIMIT * 2])[:TEXT_LIMIT]}}
    return event


def redact_payload(payload: str) -> str:
    """`redact_event` of a stored event's JSON (what is not JSON is dropped)."""
    try:
        event = json.loads(payload)
    except ValueError:
        return "{}"
    if not isinstance(event, dict) or (new := redact_event(event)) is event:
        return payload
    return json.dumps(new, ensure_ascii=False)
