"""Every answer carries the security headers; no page has an inline script or style."""

from __future__ import annotations

import re

import pytest

from intake.config import config_for
from tests.support import PUBLIC_PAGES

PAGES = [
    *PUBLIC_PAGES,
    "/staff/sign-in",
    "/healthz",
    "/no-such-page",
    "/static/app.css",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_answer_has_the_security_headers(app, clock, path):
    response = app.test_client().get(path)
    headers = response.headers
    policy = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "default-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "script-src 'self';" in policy and "nonce" not in policy
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"


def test_a_refused_webhook_has_them_too(app):
    response = app.test_client().post("/sms/inbound", data={"Body": "hi"})
    assert response.status_code == 403
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("path", [*PUBLIC_PAGES, "/staff/sign-in", "/no-such-page"])
def test_no_page_has_an_inline_script_or_style(app, clock, path):
    html = app.test_client().get(path).get_data(as_text=True)
    scripts = re.findall(r"<script\b([^>]*)>", html)
    assert scripts, "every page loads GOV.UK Frontend's scripts"
    assert all("src=" in attributes for attributes in scripts), scripts
    assert " style=" not in html and "<style" not in html  # style-src 'self' only
    assert re.search(r"<body[^>]*>\s*<script src=\"/static/js-enabled.js\"></script>", html)


def test_the_session_cookie_is_httponly_samesite_and_secure_in_production(app, clock):
    response = app.test_client().get("/tell-us/what-you-want-to-do")
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if "intake_session" in c)
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    production = config_for("production")
    assert production.SESSION_COOKIE_SECURE is True
    assert production.REMEMBER_COOKIE_SECURE is True
    assert production.SESSION_COOKIE_HTTPONLY is True


def test_a_form_posted_without_its_csrf_token_is_refused_politely(app, clock):
    client = app.test_client()
    client.get("/tell-us/what-you-want-to-do")
    response = client.post("/tell-us/what-you-want-to-do", data={"kind": "complaint"})
    assert response.status_code == 400
    assert "your session has ended" in response.get_data(as_text=True)
