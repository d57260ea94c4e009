"""Validation of what the bot sends against LINE's OpenAPI spec (messaging-api.yml), plus
the documented limits the spec does not encode (text length, altText, postback data...).

The spec's polymorphic schemas (Message, FlexContainer, Action, ...) use an OpenAPI
`discriminator` on the base schema, whose subtypes extend it with `allOf`; plain JSON Schema
ignores that, so the validator below dispatches on the discriminator itself.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import ValidationError, validators
from openapi_schema_validator import OAS30Validator

SPEC_ENV = "LINE_OPENAPI_SPEC"
_CANDIDATES = [
    Path(__file__).resolve().parent / "assets" / "openapi" / "messaging-api.yml",
    Path(__file__).resolve().parents[2] / "shared" / "line" / "openapi" / "messaging-api.yml",
]
REQUEST_SCHEMAS = {
    "/v2/bot/message/reply": "ReplyMessageRequest",
    "/v2/bot/message/push": "PushMessageRequest",
    "/v2/bot/message/multicast": "MulticastRequest",
    "/v2/bot/chat/loading/start": "ShowLoadingAnimationRequest",
    "/v2/bot/richmenu": "RichMenuRequest",
    "/v2/bot/richmenu/alias": "CreateRichMenuAliasRequest",
}
# Paths with a variable part: (prefix, schema) for POST bodies sent to prefix + one segment.
REQUEST_SCHEMA_PREFIXES = (("/v2/bot/richmenu/alias/", "UpdateRichMenuAliasRequest"),)
_local = threading.local()


def spec_path() -> Path:
    if os.environ.get(SPEC_ENV):
        return Path(os.environ[SPEC_ENV])
    for path in _CANDIDATES:
        if path.exists():
            return path
    raise FileNotFoundError("messaging-api.yml not found; set LINE_OPENAPI_SPEC")


@lru_cache(maxsize=1)
def spec() -> dict[str, Any]:
    return yaml.safe_load(spec_path().read_text(encoding="utf-8"))


def _discriminator(validator, discriminator, instance, schema) -> Iterator[ValidationError]:  # type: ignore[no-untyped-def]
    """Validate `instance` against the subtype its discriminator property names."""
    if not isinstance(instance, dict) or "mapping" not in discriminator:
        return
    value = instance.get(discriminator["propertyName"])
    target = discriminator["mapping"].get(value)
    if target is None:
        yield ValidationError(f"unknown {discriminator['propertyName']} {value!r}")
        return
    active = _local.__dict__.setdefault("active", set())
    key = (id(instance), target)
    if key in active:  # we are inside the subtype's allOf -> base schema: stop here
        return
    try:
        known: tuple[str, str] | None = (target, json.dumps(instance, sort_keys=True, ensure_ascii=False))
    except (TypeError, ValueError):  # not JSON (a test's Python object): checked, never remembered
        known = None
    if known in _VALID:  # the same object was valid against the same subtype: it still is
        return
    active.add(key)
    try:
        sub = validator.evolve(schema={"$ref": target})
        errors = list(sub.iter_errors(instance))
    finally:
        active.discard(key)
    if not errors and known is not None:
        if len(_VALID) >= _VALID_MAX:
            _VALID.clear()
        _VALID.add(known)
    yield from errors


# Objects found valid against a subtype (the subtype, the object's JSON): a benchmark sends
# thousands of messages whose actions and quick replies are the same, and the spec's
# allOf/$ref resolution cost the fake ~0.7 ms a nudge. Only valid results are remembered
# (a result depends on nothing but the object and the schema); errors are found anew.
_VALID: set[tuple[str, str]] = set()
_VALID_MAX = 50_000


_Validator = validators.extend(OAS30Validator, {"discriminator": _discriminator})


@lru_cache(maxsize=None)
def _validator(schema_name: str):  # type: ignore[no-untyped-def]
    root = spec()
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": root["components"]}
    return _Validator(schema, format_checker=OAS30Validator.FORMAT_CHECKER)


def schema_errors(schema_name: str, body: Any) -> list[str]:
    """Messages of every schema violation of `body` against components/schemas/<name>."""
    found = (f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in _validator(schema_name).iter_errors(body))
    return list(dict.fromkeys(found))


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def limit_errors(body: Any) -> list[str]:
    """Documented limits that the OpenAPI file does not state."""
    errors: list[str] = []
    messages = body.get("messages", []) if isinstance(body, dict) else []
    if len(messages) > 5:
        errors.append(f"{len(messages)} messages (max 5)")
    if len(body.get("to", []) if isinstance(body.get("to"), list) else []) > 500:
        errors.append("more than 500 multicast recipients")
    for i, m in enumerate(messages):
        if m.get("type") == "text" and utf16_len(m.get("text", "")) > 5000:
            errors.append(f"messages/{i}: text longer than 5000 UTF-16 units")
        if m.get("type") == "flex":
            if len(m.get("altText", "")) > 1500:
                errors.append(f"messages/{i}: altText longer than 1500")
            contents = m.get("contents", {})
            size = len(json.dumps(contents, ensure_ascii=False).encode())
            if contents.get("type") == "carousel":
                if len(contents.get("contents", [])) > 12:
                    errors.append(f"messages/{i}: carousel with more than 12 bubbles")
                if size > 50_000:
                    errors.append(f"messages/{i}: carousel larger than 50 KB")
            elif size > 30_000:
                errors.append(f"messages/{i}: bubble larger than 30 KB")
        items = (m.get("quickReply") or {}).get("items", [])
        if len(items) > 13:
            errors.append(f"messages/{i}: more than 13 quick replies")
        for action in _actions(m):
            if action.get("type") == "postback" and len(action.get("data", "")) > 300:
                errors.append(f"messages/{i}: postback data longer than 300")
            if len(action.get("label", "")) > 20 and action in [it.get("action") for it in items]:
                errors.append(f"messages/{i}: quick reply label longer than 20")
    return errors


def _actions(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if "type" in node and node.get("type") in {"postback", "message", "uri"} and "label" in node:
            yield node
        for value in node.values():
            yield from _actions(value)
    elif isinstance(node, list):
        for value in node:
            yield from _actions(value)


def request_errors(path: str, body: Any) -> list[str]:
    """All problems of a request body sent to `path` (empty list = valid)."""
    name = REQUEST_SCHEMAS.get(path) or next(
        (schema for prefix, schema in REQUEST_SCHEMA_PREFIXES
         if path.startswith(prefix) and "/" not in path[len(prefix):] and path[len(prefix):] != "list"), None)
    if name is None:
        return []
    errors = schema_errors(name, body)
    if path.startswith("/v2/bot/message/"):
        errors += limit_errors(body)
    return errors
