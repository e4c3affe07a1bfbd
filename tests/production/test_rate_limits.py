"""Rate limits: per address on the form, the chat and signing in; per phone on texts.

Over the limit a person gets the polite "too many attempts" page (429); a phone gets no
reply. A message with a danger word in it is never held back.
"""

from __future__ import annotations

import logging
import uuid

import pytest
import redis
from flask import Flask

from intake.extensions import db
from intake.models import Conversation, InboundMessage
from tests.sms.helpers import YOUNG_PERSON, Webhooks
from tests.sms.twilio_client import replies
from tests.support import FormClient

OTHER_ADDRESS = {"REMOTE_ADDR": "192.0.2.77"}  # TEST-NET-1: a different visitor


def _chat(client: FormClient, text: str, environ: dict[str, str] | None = None):
    page = client.get("/chat")
    return client.client.post(
        "/chat",
        data={"message": text, "csrf_token": page.csrf_token},
        environ_base=environ or {},
    )


def test_the_limits_are_on_by_default_outside_the_test_suite():
    from intake.config import config_for

    assert config_for("production").RATELIMIT_ENABLED is True
    assert config_for("development").RATELIMIT_ENABLED is True


def _sign_in(client: FormClient, environ: dict[str, str] | None = None):
    token = client.get("/staff/sign-in").csrf_token
    data = {"email": "nobody@example.org", "password": "wrong", "csrf_token": token}
    return client.client.post("/staff/sign-in", data=data, environ_base=environ or {})


def test_signing_in_too_often_from_one_address_gets_the_polite_page(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATE_LIMIT_SIGN_IN="3 per minute")
    client = FormClient(app.test_client())
    answers = [_sign_in(client) for _ in range(4)]
    assert [a.status_code for a in answers[:3]] == [200, 200, 200]  # "wrong password"
    assert answers[3].status_code == 429
    page = answers[3].get_data(as_text=True)
    assert "Sorry, there have been too many attempts" in page
    assert "Wait a few minutes and try again." in page
    assert answers[3].headers.get("Retry-After")
    # Another visitor is not held back by the first one's attempts.
    assert _sign_in(client, OTHER_ADDRESS).status_code == 200
    # Looking at the page is not limited: only sending it.
    assert client.get("/staff/sign-in").status == 200


def test_the_chat_is_limited_per_address_but_danger_always_gets_through(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATE_LIMIT_CHAT="3 per minute")
    client = FormClient(app.test_client())
    statuses = [_chat(client, "Hi").status_code for _ in range(3)]
    assert 429 not in statuses
    assert _chat(client, "Hi").status_code == 429
    danger = _chat(client, "my stepdad hits me")
    assert danger.status_code == 302  # taken, and answered with the safety reply
    assert "999" in client.get("/chat").text()
    assert _chat(client, "Hi", OTHER_ADDRESS).status_code == 302


def _inbound_count(app: Flask) -> int:
    with app.app_context():
        return db.session.query(InboundMessage).count()


def test_texts_are_limited_per_phone_number_with_no_reply_and_nothing_half_done(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATE_LIMIT_TEXTS="2 per minute")
    twilio = Webhooks(app)
    for _ in range(2):
        assert replies(twilio.text("Hi", sender="+447700900111"))
    over = twilio.text("Hi", sender="+447700900111")
    assert over.status_code == 200  # Twilio must not retry: an empty answer
    assert replies(over) == []
    assert _inbound_count(app) == 2
    # A danger message from the same phone is answered at once.
    safety = replies(twilio.text("I want to kill myself", sender="+447700900111"))
    assert any("999" in reply for reply in safety)
    # Another phone is not held back.
    assert replies(twilio.text("Hi", sender="+447700900222"))
    with app.app_context():
        assert db.session.query(Conversation).count() == 2


def test_forged_webhooks_do_not_use_up_a_phones_allowance(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATE_LIMIT_TEXTS="2 per minute")
    twilio = Webhooks(app)
    params = {
        "MessageSid": "SM" + "f" * 32,
        "From": "+447700900333",
        "To": "+447700900001",
        "Body": "Hi",
        "NumMedia": "0",
    }
    for _ in range(5):
        assert twilio.post("/sms/inbound", params, signature="forged").status_code == 403
    assert replies(twilio.text("Hi", sender="+447700900333"))


def _redis_url() -> str:
    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    return url


def test_with_redis_every_web_process_shares_the_counts(make_app):
    """Two apps stand for two gunicorn processes (or two machines) behind one address."""
    settings = {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": _redis_url(),
        "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        "RATE_LIMIT_SIGN_IN": "3 per minute",
    }
    one, two = make_app(**settings), make_app(**settings)
    for app in (one, two, one):
        assert _sign_in(FormClient(app.test_client())).status_code == 200
    assert _sign_in(FormClient(two.test_client())).status_code == 429


def test_hitting_a_limit_logs_neither_the_phone_number_nor_the_address(make_app, caplog):
    app = make_app(
        RATELIMIT_ENABLED=True, RATE_LIMIT_TEXTS="2 per minute", RATE_LIMIT_CHAT="1 per minute"
    )
    phone = Webhooks(app)
    caplog.set_level(logging.INFO)
    for text in ("Hi", "1", "1"):
        phone.text(text)
    client = FormClient(app.test_client())
    for _ in range(2):
        _chat(client, "Hi", {"REMOTE_ADDR": "192.0.2.99"})

    lines = [r.getMessage() for r in caplog.records]
    limited = [line for line in lines if line.startswith("ratelimit ")]
    assert len(limited) >= 2, lines  # both limits were hit, and said so
    assert all("withheld" in line for line in limited)
    assert not any(YOUNG_PERSON in line or "192.0.2.99" in line for line in lines), lines


def test_behind_nginx_each_visitor_is_counted_by_their_own_address(make_app):
    # nginx is the one proxy: it appends the visitor's address to X-Forwarded-For.
    app = make_app(RATELIMIT_ENABLED=True, RATE_LIMIT_CHAT="1 per minute", TRUSTED_PROXY_COUNT=1)
    client = FormClient(app.test_client())
    via_nginx = {"REMOTE_ADDR": "127.0.0.1"}

    def chat_from(visitor: str):
        return _chat(client, "Hi", {**via_nginx, "HTTP_X_FORWARDED_FOR": visitor})

    assert chat_from("198.51.100.1").status_code == 302
    assert chat_from("198.51.100.1").status_code == 429
    # Another visitor through the same nginx is not held back by the first.
    assert chat_from("198.51.100.2").status_code == 302
