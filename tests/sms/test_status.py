"""POST /sms/status: Twilio's delivery reports for our replies, signed as Twilio signs them.

Each reply in the TwiML carries an `action` address, /sms/status?message=<id>; Twilio
posts the reply's delivery state there, signing the whole address, query included.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from intake.extensions import db
from intake.models import OutboundMessage
from tests.sms.helpers import Phone, Webhooks, count, status_actions
from tests.sms.twilio_client import AUTH_TOKEN, SERVICE_NUMBER, new_sid, replies

YOUNG_PERSON = "+447700900123"


@pytest.fixture
def phone(app, clock) -> Phone:
    return Phone(app)


def outbound() -> list[OutboundMessage]:
    db.session.rollback()
    return list(db.session.scalars(select(OutboundMessage).order_by(OutboundMessage.id)))


def snapshot() -> list[tuple[Any, ...]]:
    """What the delivery reports can change, for every reply we hold."""
    return [(m.id, m.status, m.provider_id, m.status_at, m.error_code) for m in outbound()]


def report(state: str, *, sid: str | None = None, error: str | None = None) -> dict[str, str]:
    """The form Twilio posts for one reply's delivery state."""
    sid = sid or new_sid()
    params = {
        "AccountSid": "AC" + "0" * 32,
        "ApiVersion": "2010-04-01",
        "From": SERVICE_NUMBER,
        "To": YOUNG_PERSON,
        "MessageSid": sid,
        "SmsSid": sid,
        "MessageStatus": state,
        "SmsStatus": state,
    }
    if error is not None:
        params["ErrorCode"] = error
    return params


def status_path(message_id: int | str) -> str:
    return f"/sms/status?message={message_id}"


def first_reply_id(phone: Phone) -> int:
    phone.text("Hi")
    return outbound()[0].id


def test_every_reply_carries_its_own_status_address(phone):
    response = phone.send("Hi")

    (message,) = outbound()
    assert status_actions(response) == [
        (f"http://localhost/sms/status?message={message.id}", "POST")
    ]


def test_several_replies_each_carry_their_own_address(phone):
    phone.say("Hi", "1")
    response = phone.send("I am scared")

    answer = replies(response)
    latest = outbound()[-len(answer) :]
    assert len(answer) == 2
    assert [m.body for m in latest] == answer
    assert status_actions(response) == [
        (f"http://localhost/sms/status?message={m.id}", "POST") for m in latest
    ]


def test_a_retry_is_answered_with_the_same_status_addresses(phone):
    sid = new_sid()
    first = phone.send("Hi", sid=sid)
    retry = phone.send("Hi", sid=sid)

    assert status_actions(retry) == status_actions(first)
    assert count(OutboundMessage) == 1


def test_the_status_address_uses_the_public_address(app, phone):
    app.config["PUBLIC_BASE_URL"] = "https://tell.example.org"
    params = {
        "MessageSid": new_sid(),
        "AccountSid": "AC" + "0" * 32,
        "From": YOUNG_PERSON,
        "To": SERVICE_NUMBER,
        "Body": "Hi",
        "NumMedia": "0",
    }
    validator = RequestValidator(AUTH_TOKEN)
    with app.app_context():
        response = app.test_client().post(
            "/sms/inbound",
            data=params,
            headers={
                "X-Twilio-Signature": validator.compute_signature(
                    "https://tell.example.org/sms/inbound", params
                )
            },
        )
    (message,) = outbound()
    action = f"https://tell.example.org/sms/status?message={message.id}"
    assert status_actions(response) == [(action, "POST")]

    delivered = report("delivered")
    message_id = message.id
    db.session.rollback()  # the test's read ends before another process writes
    with app.app_context():
        stored = app.test_client().post(
            status_path(message_id),
            data=delivered,
            headers={"X-Twilio-Signature": validator.compute_signature(action, delivered)},
        )

    assert stored.status_code == 204
    assert outbound()[0].status == "delivered"


def test_a_delivered_report_is_stored_against_the_reply(app, phone, clock):
    message_id = first_reply_id(phone)
    assert outbound()[0].status == "queued"
    params = report("delivered")

    response = Webhooks(app).post(status_path(message_id), params)

    assert response.status_code == 204
    (message,) = outbound()
    assert message.status == "delivered"
    assert message.provider_id == params["MessageSid"]
    assert message.error_code is None
    assert message.status_at == clock.moment


def test_reports_follow_the_reply_through_its_states(app, phone):
    message_id = first_reply_id(phone)
    sid = new_sid()
    twilio = Webhooks(app)

    for state in ("queued", "sent", "delivered", "read"):
        assert twilio.post(status_path(message_id), report(state, sid=sid)).status_code == 204
        assert outbound()[0].status == state

    assert outbound()[0].provider_id == sid


@pytest.mark.parametrize(("state", "error"), [("failed", "30003"), ("undelivered", "30005")])
def test_a_failed_report_keeps_the_error_code(app, phone, state, error):
    message_id = first_reply_id(phone)
    params = report(state, error=error)

    response = Webhooks(app).post(status_path(message_id), params)

    assert response.status_code == 204
    (message,) = outbound()
    assert message.status == state
    assert message.error_code == error
    assert message.provider_id == params["MessageSid"]


def test_a_report_only_changes_its_own_reply(app, phone):
    phone.say("Hi", "1")
    _, second = outbound()

    Webhooks(app).post(status_path(second.id), report("delivered"))

    after_first, after_second = outbound()
    assert after_first.status == "queued"
    assert after_second.status == "delivered"


def test_an_unsigned_report_is_refused(app, phone):
    message_id = first_reply_id(phone)
    before = snapshot()

    with app.app_context():
        response = app.test_client().post(status_path(message_id), data=report("delivered"))

    assert response.status_code == 403
    assert snapshot() == before


def test_a_report_signed_with_another_token_is_refused(app, phone):
    message_id = first_reply_id(phone)
    before = snapshot()

    response = Webhooks(app, token="someone-elses-token").post(
        status_path(message_id), report("failed", error="30003")
    )

    assert response.status_code == 403
    assert snapshot() == before


def test_a_report_signed_without_its_query_is_refused(app, phone):
    message_id = first_reply_id(phone)
    params = report("delivered")

    signature = RequestValidator(AUTH_TOKEN).compute_signature(
        "http://localhost/sms/status", params
    )
    before = snapshot()

    response = Webhooks(app).post(status_path(message_id), params, signature=signature)

    assert response.status_code == 403
    assert snapshot() == before


def test_a_report_signed_for_another_reply_is_refused(app, phone):
    phone.say("Hi", "1")
    first, second = outbound()
    params = report("failed", error="30003")

    signature = RequestValidator(AUTH_TOKEN).compute_signature(
        f"http://localhost{status_path(first.id)}", params
    )
    before = snapshot()

    response = Webhooks(app).post(status_path(second.id), params, signature=signature)

    assert response.status_code == 403
    assert snapshot() == before


def test_a_report_with_changed_params_is_refused(app, phone):
    message_id = first_reply_id(phone)
    params = report("delivered")

    signature = RequestValidator(AUTH_TOKEN).compute_signature(
        f"http://localhost{status_path(message_id)}", params
    )
    before = snapshot()

    response = Webhooks(app).post(
        status_path(message_id), {**params, "MessageStatus": "failed"}, signature=signature
    )

    assert response.status_code == 403
    assert snapshot() == before


def test_a_report_for_a_reply_we_do_not_have_is_acknowledged_and_changes_nothing(app, phone):
    message_id = first_reply_id(phone)
    before = snapshot()

    response = Webhooks(app).post(status_path(message_id + 1000), report("delivered"))

    assert response.status_code == 204
    assert snapshot() == before


@pytest.mark.parametrize("state", ["exploded", "", "DELIVERED!", "delivered; drop table"])
def test_an_unknown_status_is_refused_and_changes_nothing(app, phone, state):
    message_id = first_reply_id(phone)
    before = snapshot()

    response = Webhooks(app).post(status_path(message_id), report(state))

    assert response.status_code == 400
    assert snapshot() == before


def test_a_report_with_no_status_is_refused(app, phone):
    message_id = first_reply_id(phone)
    params = report("delivered")
    del params["MessageStatus"]
    before = snapshot()

    response = Webhooks(app).post(status_path(message_id), params)

    assert response.status_code == 400
    assert snapshot() == before


@pytest.mark.parametrize(
    "message",
    ["", "abc", "-1", "1.5", "\u00b2", "\u0663", "99999999999999999999999"],
    ids=["empty", "letters", "negative", "decimal", "superscript two", "arabic three", "huge"],
)
def test_a_report_for_a_malformed_reply_id_never_fails(app, phone, message):
    first_reply_id(phone)
    params = report("delivered")
    # Signed for the address as the service reads it, so the id itself is what is tested.
    signature = RequestValidator(AUTH_TOKEN).compute_signature(
        f"http://localhost/sms/status?message={message}", params
    )
    before = snapshot()

    response = Webhooks(app).post(
        f"/sms/status?message={quote(message)}", params, signature=signature
    )

    assert response.status_code in {204, 400, 404}
    assert snapshot() == before


def test_a_report_without_a_reply_id_is_refused(app, phone):
    first_reply_id(phone)
    before = snapshot()

    response = Webhooks(app).post("/sms/status", report("delivered"))

    assert response.status_code == 400
    assert snapshot() == before
