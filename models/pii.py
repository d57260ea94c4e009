"""Personal fields encrypted at rest (PDPA), and keyed hashes to find them again.

- `Sealed` / `SealedDate`: column types that encrypt on the way in and decrypt on the way
  out (AES-256-GCM from `cryptography`; the column's name is the associated data, so a value
  copied into another column does not decrypt). Domain code reads and writes plain values.
- `blind(text)`: HMAC-SHA256 under a separate key, for equality lookups and duplicate
  detection (`Producer.national_id_hash`); the ciphertext itself is random and never compared.
- Keys come from the environment (`keyring_from_env`): `PII_KEYS` (base64 32-byte keys, comma
  separated, newest first: the first encrypts, all decrypt) and `PII_HASH_KEY`. Without them
  only the development keys below are used, and only when `PII_DEV_KEYS=1` (the local chat,
  `dev.py`, the tests); anything else refuses to start (`ConfigError`).

A sealed value is `base64url(key id (4 bytes) | nonce (12) | ciphertext+tag)`; key id =
the first 4 bytes of SHA-256 of the key, so rotation (`python -m bot rotate-keys`) can tell
which values are still under an old key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator

# DEVELOPMENT ONLY, NOT SECRET: derived from public strings. Used only when PII_DEV_KEYS=1
# (dev.py, the local chat, the tests). Never set PII_DEV_KEYS in production.
DEV_KEY = hashlib.sha256(b"otop-line-bot development PII key - NOT FOR PRODUCTION").digest()
DEV_HASH_KEY = hashlib.sha256(b"otop-line-bot development PII hash key - NOT FOR PRODUCTION").digest()


class PiiKeyError(RuntimeError):
    """No usable key for personal data (the message says what to set), or a value that no
    configured key decrypts."""


def _kid(key: bytes) -> bytes:
    return hashlib.sha256(key).digest()[:4]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Keyring:
    """Encryption keys (newest first) and the hash key."""

    keys: Sequence[bytes]
    hash_key: bytes
    dev: bool = False
    _aead: dict[bytes, AESGCM] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not self.keys:
            raise PiiKeyError("no encryption key")
        for key in self.keys:
            if len(key) != 32:
                raise PiiKeyError("each PII key must be 32 bytes (base64 of 32 random bytes)")
            self._aead.setdefault(_kid(key), AESGCM(key))
        self._current = _kid(self.keys[0])

    @property
    def current_kid(self) -> bytes:
        return self._current

    def seal(self, plaintext: str, purpose: str) -> str:
        """Encrypt under the newest key; `purpose` (the column) is bound as associated data."""
        nonce = os.urandom(12)
        ct = self._aead[self._current].encrypt(nonce, plaintext.encode("utf-8"), purpose.encode())
        return _b64(self._current + nonce + ct)

    def open(self, token: str, purpose: str) -> str:
        raw = _unb64(token)
        aead = self._aead.get(raw[:4])
        if aead is None:
            raise PiiKeyError("a personal value is sealed under a key that is not in PII_KEYS")
        try:
            return aead.decrypt(raw[4:16], raw[16:], purpose.encode()).decode("utf-8")
        except InvalidTag as exc:
            raise PiiKeyError(f"a sealed {purpose} value does not decrypt (tampered, or moved)") from exc

    def kid_of(self, token: str) -> bytes:
        return _unb64(token[:8])[:4]

    def blind(self, text: str) -> str:
        """The keyed hash of a value (43 characters): equal values, equal hashes."""
        return _b64(hmac.digest(self.hash_key, text.encode("utf-8"), "sha256"))  # one C call, same HMAC


def _key(text: str, name: str) -> bytes:
    try:
        key = _unb64(text.strip().rstrip("="))  # standard or URL-safe base64, padded or not
    except ValueError as exc:
        raise PiiKeyError(f"{name}: not base64") from exc
    if len(key) != 32:
        raise PiiKeyError(f"{name}: a key is 32 bytes, base64-encoded (e.g. `python -m bot new-key`)")
    return key


def keyring_from_env(env: Mapping[str, str] | None = None) -> Keyring:
    """The keys from `PII_KEYS` / `PII_HASH_KEY`, or the development keys when `PII_DEV_KEYS=1`."""
    env = os.environ if env is None else env
    keys_text, hash_text = env.get("PII_KEYS", "").strip(), env.get("PII_HASH_KEY", "").strip()
    if keys_text and hash_text:
        return Keyring([_key(k, "PII_KEYS") for k in keys_text.split(",") if k.strip()], _key(hash_text, "PII_HASH_KEY"))
    if env.get("PII_DEV_KEYS") == "1" and not keys_text and not hash_text:
        return Keyring([DEV_KEY], DEV_HASH_KEY, dev=True)
    missing = [n for n, v in (("PII_KEYS", keys_text), ("PII_HASH_KEY", hash_text)) if not v]
    raise PiiKeyError(
        "Missing configuration: " + ", ".join(missing) + ". National IDs and other personal fields are "
        "encrypted with keys from the environment (see docs/ENCRYPTION.md; `python -m bot new-key` makes one). "
        "For a local try only, PII_DEV_KEYS=1 uses the public development keys.")


_KEYRING: Keyring | None = None


def configure(keyring: Keyring | None) -> None:
    """Use these keys in this process (None: read the environment again on next use)."""
    global _KEYRING
    _KEYRING = keyring


def current() -> Keyring:
    """This process's keys (read from the environment on first use)."""
    global _KEYRING
    if _KEYRING is None:
        _KEYRING = keyring_from_env()
    return _KEYRING


def blind(text: str | None) -> str | None:
    return None if text is None else current().blind(text)


class Sealed(TypeDecorator[str]):
    """A text column stored encrypted; `purpose` (e.g. "producers.national_id") is bound to it."""

    impl = Text
    cache_ok = True

    def __init__(self, purpose: str) -> None:
        super().__init__()
        self.purpose = purpose

    def process_bind_param(self, value, dialect):  # type: ignore[no-untyped-def]
        return None if value is None else current().seal(str(value), self.purpose)

    def process_result_value(self, value, dialect):  # type: ignore[no-untyped-def]
        return None if value is None else current().open(value, self.purpose)


class SealedDate(Sealed):
    """A date stored encrypted (ISO text inside)."""

    cache_ok = True

    def process_bind_param(self, value, dialect):  # type: ignore[no-untyped-def]
        if value is None:
            return None
        return current().seal(value.isoformat() if isinstance(value, date) else str(value), self.purpose)

    def process_result_value(self, value, dialect):  # type: ignore[no-untyped-def]
        return None if value is None else date.fromisoformat(current().open(value, self.purpose))


class Public(str):
    """A value known not to be personal: a `SealedUnlessPublic` column stores it as it is."""

    __slots__ = ()


PUBLIC_MARK = "="  # never the first character of a sealed value (unpadded base64url)


class SealedUnlessPublic(Sealed):
    """A text column whose values are sealed unless given as `Public` (the audit log: a
    changed national ID is sealed, a record's code or a product's name is not: an import's
    ~323,000 `_created` rows need no sealing). A public value is stored behind `PUBLIC_MARK`;
    anything else is a sealed value (so rows written when every value was sealed still read)."""

    cache_ok = True

    def process_bind_param(self, value, dialect):  # type: ignore[no-untyped-def]
        if value is None:
            return None
        if isinstance(value, Public):
            return PUBLIC_MARK + value
        return current().seal(str(value), self.purpose)

    def process_result_value(self, value, dialect):  # type: ignore[no-untyped-def]
        if value is None:
            return None
        if value.startswith(PUBLIC_MARK):
            return value[1:]
        return current().open(value, self.purpose)


def is_public_token(token: str | None) -> bool:
    """Whether a stored value of a `SealedUnlessPublic` column is in the clear (not sealed)."""
    return bool(token) and token.startswith(PUBLIC_MARK)  # type: ignore[union-attr]


class SealedUnlessRedacted(Sealed):
    """A JSON text column (`inbound_events.payload`) whose values are sealed unless given as
    `Public`: a webhook event waiting for the event worker is stored sealed, as received (the
    handler gets what the user typed), a handled or failed one as its redacted JSON, as it is
    (`bot.inbox`). A JSON object starts with `{`, which a sealed value never does."""

    cache_ok = True

    def process_bind_param(self, value, dialect):  # type: ignore[no-untyped-def]
        if value is None:
            return None
        if isinstance(value, Public):
            assert value.startswith("{"), "an event stored in the clear is a JSON object"
            return str(value)
        return current().seal(str(value), self.purpose)

    def process_result_value(self, value, dialect):  # type: ignore[no-untyped-def]
        if value is None or is_clear_json(value):
            return value
        return current().open(value, self.purpose)


def is_clear_json(token: str | None) -> bool:
    """Whether a stored value of a `SealedUnlessRedacted` column is in the clear (not sealed)."""
    return bool(token) and token.startswith("{")  # type: ignore[union-attr]


def blind_national_id(value: str | None) -> str | None:
    """`Producer.national_id_hash` for a stored national ID: the keyed hash of 13 digits
    (None for blank or malformed values, which are never looked up)."""
    if not value or len(value) != 13 or not value.isdigit():
        return None
    return current().blind("national_id:" + value)


class SealedJSON(Sealed):
    """A JSON value stored encrypted (conversation slots: what a user typed mid-flow)."""

    cache_ok = True

    def process_bind_param(self, value, dialect):  # type: ignore[no-untyped-def]
        if value is None:
            return None
        return current().seal(json.dumps(value, ensure_ascii=False, separators=(",", ":")), self.purpose)

    def process_result_value(self, value, dialect):  # type: ignore[no-untyped-def]
        return None if value is None else json.loads(current().open(value, self.purpose))
