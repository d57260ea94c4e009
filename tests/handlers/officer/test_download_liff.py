"""A registry-export link opened inside LINE (LINE's in-app browser) signs in through LIFF: the
refusal page goes straight on to the LIFF sign-in page, whose ID token (the fake LIFF SDK's,
verified at the fake's verify endpoint) signs the officer in and comes back to the link.
Outside LINE the same link still leads to LINE Login."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from bot.testing import liff_sign_in
from tests.handlers.officer.helpers import DIST, PRODUCER, follow_download
from tests.handlers.officer.test_download_sign_in import _link, _log, registry  # noqa: F401

IN_LINE = {"User-Agent": "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Mobile Safari/537.36 Line/14.10.0"}


def test_inside_line_the_link_signs_in_through_liff(line_client, registry, app, fake_line):  # noqa: F811
    path = _link(line_client)
    client = app.test_client()
    first = client.get(path, headers=IN_LINE)
    assert first.status_code == 401
    target = f"/liff/signin?next={path.replace('/', '%2F')}"
    assert f'http-equiv="refresh" content="0; url={target}"' in first.text  # straight on, no click
    assert _log(registry) == [(f"link:{DIST}", "registry", "5001", "refused:not_signed_in")]
    back = liff_sign_in(client, fake_line, DIST, next_path=path)
    assert back.status_code == 200 and back.json == {"next": path}
    resp = follow_download(client, path)
    assert resp.status_code == 200 and resp.data[:2] == b"PK"
    assert _log(registry)[-1] == (DIST, "registry", "5001", "ok")


def test_a_producer_signed_in_through_liff_is_still_refused(line_client, registry, app, fake_line):  # noqa: F811
    path = _link(line_client)
    client = app.test_client()
    liff_sign_in(client, fake_line, PRODUCER, next_path=path)
    resp = client.get(path, headers=IN_LINE)
    assert resp.status_code == 403 and "เฉพาะเจ้าหน้าที่" in resp.text
    assert _log(registry)[-1] == (PRODUCER, "registry", "5001", "refused:not_officer")


def test_outside_line_the_link_still_uses_line_login(line_client, registry, app):  # noqa: F811
    path = _link(line_client)
    resp = app.test_client().get(path)
    login = urlparse(resp.text.split('href="')[1].split('"')[0].replace("&amp;", "&"))
    assert resp.status_code == 401 and login.path == "/login" and parse_qs(login.query)["next"] == [path]
    assert "http-equiv" not in resp.text
