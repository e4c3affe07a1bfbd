"""The cookies a production service really sets: Secure, HttpOnly and SameSite.

The app is made as a deployment makes it (INTAKE_ENV=production, its own SECRET_KEY, a
real database) and the Set-Cookie headers it answers with are read as a browser reads
them: the configuration saying so is not enough.
"""

from __future__ import annotations

from collections.abc import Iterator
from http.cookies import SimpleCookie

import pytest
from flask import Flask
from werkzeug.test import TestResponse

from tests.support import STAFF_PASSWORD, Page, make_staff

HTTPS = "https://complaints.example.org"
# Over HTTPS, Flask-WTF refuses a form post without a same-site Referer. Sent here so
# these tests are about the cookies; test_csrf.py is about that check (and the
# Referrer-Policy that stops browsers sending one).
SAME_SITE = {"Referer": f"{HTTPS}/"}


@pytest.fixture
def production(make_app, monkeypatch) -> Iterator[Flask]:
    # make_app first: its clean-up makes a testing app, after INTAKE_ENV is put back.
    monkeypatch.setenv("INTAKE_ENV", "production")
    app = make_app(SECRET_KEY="fictional-production-secret-for-tests-only")
    assert app.config["TESTING"] is False
    assert app.config["SESSION_COOKIE_SECURE"] is True
    yield app


def _cookies(response: TestResponse) -> dict[str, set[str]]:
    """Each cookie set: {name: its attributes, lower case, with SameSite's value}."""
    found: dict[str, set[str]] = {}
    for header in response.headers.getlist("Set-Cookie"):
        name = header.split("=", 1)[0].strip()
        attributes = set()
        for part in header.split(";")[1:]:
            key, _sep, value = part.strip().partition("=")
            attributes.add(
                f"{key.lower()}={value.lower()}" if key.lower() == "samesite" else key.lower()
            )
        found[name] = attributes
        # It parses as a cookie at all (a browser would drop a malformed one).
        assert SimpleCookie(header.split(";", 1)[0]), header
    return found


def _assert_locked_down(cookies: dict[str, set[str]]) -> None:
    for name, attributes in cookies.items():
        assert "secure" in attributes, f"{name} is sent over plain HTTP too: {attributes}"
        assert "httponly" in attributes, f"{name} can be read by script: {attributes}"
        assert "samesite=lax" in attributes or "samesite=strict" in attributes, (name, attributes)


def test_the_public_forms_session_cookie_is_secure_httponly_and_samesite(production):
    client = production.test_client()

    response = client.get("/tell-us/what-you-want-to-do", base_url=HTTPS)

    assert response.status_code == 200
    cookies = _cookies(response)
    assert "intake_session" in cookies
    _assert_locked_down(cookies)


def test_the_chats_lasting_session_cookie_is_secure_httponly_and_samesite(production):
    client = production.test_client()
    opened = Page(200, "/chat", client.get("/chat", base_url=HTTPS).get_data(as_text=True))

    response = client.post(
        "/chat",
        data={"message": "Hi", "csrf_token": opened.csrf_token},
        base_url=HTTPS,
        headers=SAME_SITE,
    )

    assert response.status_code == 302
    cookies = _cookies(response)
    assert "intake_session" in cookies
    assert "expires" in cookies["intake_session"]  # kept between visits (session.permanent)
    _assert_locked_down(cookies)


def test_signing_in_sets_only_locked_down_cookies_and_no_remember_cookie(production):
    with production.app_context():
        make_staff(email="officer@example.org", role="complaints_officer")
    client = production.test_client()
    sign_in_page = Page(
        200, "/staff/sign-in", client.get("/staff/sign-in", base_url=HTTPS).get_data(as_text=True)
    )
    assert sign_in_page.csrf_token

    response = client.post(
        "/staff/sign-in",
        data={
            "email": "officer@example.org",
            "password": STAFF_PASSWORD,
            "csrf_token": sign_in_page.csrf_token,
        },
        base_url=HTTPS,
        headers=SAME_SITE,
    )

    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    assert response.headers["Location"].endswith("/staff/")
    cookies = _cookies(response)
    assert "intake_session" in cookies
    # Flask-Login's "remember me" cookie would outlive signing out: none is set, and if
    # one ever were it must be as locked down as the session's.
    assert "remember_token" not in cookies
    _assert_locked_down(cookies)
    # Signed in: the queue opens with that cookie, over HTTPS.
    assert client.get("/staff/", base_url=HTTPS).status_code == 200
