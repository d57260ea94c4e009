"""Small Thai HTML pages (refusals, waiting pages, sign-in prompts): one template, texts
given by the caller as (title, body). Values are escaped; `head` and the link are markup the
caller builds."""

from __future__ import annotations

from html import escape

from flask import Response

PAGE = """<!doctype html><html lang="th"><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>{head}
<body style="font-family:sans-serif;max-width:36em;margin:3em auto;padding:0 1em"><h1>{title}</h1><p>{body}</p>{link}</body></html>"""
BUTTON = ('<p><a href="{href}" style="display:inline-block;padding:.7em 1.4em;background:#06c755;color:#fff;'
          'border-radius:.4em;text-decoration:none">{label}</a></p>')


def page(text: tuple[str, str], status: int, *, head: str = "", link: tuple[str, str] | None = None,
         **values: str) -> Response:
    """A page with `text` = (title, body); `values` fill {placeholders} of the body (escaped)."""
    title, body = text
    body = escape(body).format(**{k: escape(v) for k, v in values.items()}) if values else escape(body)
    button = BUTTON.format(href=escape(link[1]), label=escape(link[0])) if link else ""
    resp = Response(PAGE.format(title=escape(title), body=body, head=head, link=button), status=status,
                    mimetype="text/html")
    resp.headers["Cache-Control"] = "no-store"
    return resp
