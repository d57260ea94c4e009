"""Helpers of the LIFF form tests: the page's CSRF token, and posting one section."""

from __future__ import annotations

import json
import re
from typing import Any


def csrf_of(html: str) -> str:
    """The CSRF token of a LIFF page (a form's hidden field, or the sign-in page's config)."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    if found:
        return found[1]
    config = html.split('id="liff-config" type="application/json">')[1].split("</script>")[0]
    return json.loads(config)["csrf"]


def section_post(client: Any, html: str, section: str, product_id: int | None = None, **fields: Any) -> Any:
    """Submit one section of the form page as the browser would."""
    data: dict[str, Any] = {"csrf_token": csrf_of(html), "section": section, **fields}
    if product_id is not None:
        data["product_id"] = str(product_id)
    multipart = any(isinstance(v, tuple) for v in fields.values())
    return client.post("/liff/form", data=data, content_type="multipart/form-data" if multipart else None)
