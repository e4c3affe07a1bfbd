"""Texts to young people through Twilio's own SDK: quiet hours, STOP, WhatsApp's window,
and delivery reports."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from intake.extensions import db
from intake.models import Case, OutboxMessage
from intake.outbox.worker import run_once
from tests.notifications.twilio_http import ACCOUNT_SID, MESSAGES_URL, RecordingHttpClient
from tests.sms.helpers import ABOUT, OUTCOME, WHAT_HAPPENED, YOUNG_PERSON, Phone
from tests.sms.twilio_client import TwilioWebhooks
from tests.support import LONDON


@pytest.fixture
def twilio(app) -> RecordingHttpClient:
    """Texts go through Twilio's SDK to a recording HTTP client (email stays on the log)."""
    recorder = RecordingHttpClient()
    app.config.update(
        MESSAGE_PROVIDER_TEXT="twilio",
        TWILIO_ACCOUNT_SID=ACCOUNT_SID,
        TWILIO_SMS_FROM="+447700900001",
        TWILIO_WHATSAPP_FROM="+447700900002",
        PUBLIC_BASE_URL="http://localhost",  # where the test client reaches the app
        TWILIO_HTTP_CLIENT=recorder,
    )
    app.extensions.pop("intake.providers", None)
    return recorder


def complain_by_text(app, *, times: str, whatsapp: bool = False) -> Phone:
    phone = Phone(app, whatsapp=whatsapp)
    phone.say("Hi", "1", "1", "yes", WHAT_HAPPENED, "last week", ABOUT, OUTCOME, times)
    return phone


def acknowledgement() -> OutboxMessage:
    db.session.expire_all()
    return db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.template == "acknowledgement")
    ).one()


def texts_sent(twilio: RecordingHttpClient) -> list[dict[str, str]]:
    return [r.data for r in twilio.requests if r.url == MESSAGES_URL]


def test_a_young_persons_text_acknowledgement_goes_through_twilio(app, clock, twilio):
    complain_by_text(app, times="1")

    run_once()

    [sent] = texts_sent(twilio)
    case = db.session.scalars(select(Case)).one()
    assert (sent["To"], sent["From"]) == (YOUNG_PERSON, "+447700900001")
    assert case.reference in sent["Body"]
    assert sent["StatusCallback"] == "http://localhost/sms/status?outbox=1"
    assert WHAT_HAPPENED not in sent["Body"]
    message = acknowledgement()
    assert (message.state, message.provider) == ("sent", "twilio")
    assert message.provider_id.startswith("SM")


def test_no_texts_in_quiet_hours_until_the_morning(app, clock, twilio):
    clock.moment = datetime(2026, 11, 23, 21, 30, tzinfo=LONDON)
    complain_by_text(app, times="1")

    run_once()
    assert texts_sent(twilio) == []
    assert acknowledgement().next_attempt_at == datetime(2026, 11, 24, 8, 0, tzinfo=LONDON)

    clock.moment = datetime(2026, 11, 24, 7, 59, tzinfo=LONDON)
    run_once()
    assert texts_sent(twilio) == []

    clock.moment = datetime(2026, 11, 24, 8, 0, tzinfo=LONDON)
    run_once()
    assert len(texts_sent(twilio)) == 1


def test_after_school_means_after_school(app, clock, twilio):
    # Monday 10:00: "after school" waits until 15:30.
    complain_by_text(app, times="2")

    run_once()

    assert texts_sent(twilio) == []
    assert acknowledgement().next_attempt_at == datetime(2026, 11, 23, 15, 30, tzinfo=LONDON)


def test_after_stop_nothing_is_sent(app, clock, twilio):
    phone = complain_by_text(app, times="1")
    phone.text("STOP")

    run_once()

    assert texts_sent(twilio) == []
    message = acknowledgement()
    assert (message.state, message.last_error) == ("cancelled", "the number texted STOP")


def test_a_delivery_report_marks_the_message_delivered(app, clock, twilio):
    complain_by_text(app, times="1")
    run_once()
    sid = acknowledgement().provider_id
    db.session.rollback()

    response = TwilioWebhooks(app.test_client()).post(
        "/sms/status?outbox=1",
        {"MessageSid": sid, "MessageStatus": "delivered", "AccountSid": ACCOUNT_SID},
    )

    assert response.status_code == 204
    assert acknowledgement().state == "delivered"


def test_an_undelivered_report_shows_failed_for_staff_to_retry(app, clock, twilio):
    complain_by_text(app, times="1")
    run_once()
    sid = acknowledgement().provider_id
    db.session.rollback()

    TwilioWebhooks(app.test_client()).post(
        "/sms/status?outbox=1",
        {
            "MessageSid": sid,
            "MessageStatus": "undelivered",
            "ErrorCode": "30003",
            "AccountSid": ACCOUNT_SID,
        },
    )

    message = acknowledgement()
    assert (message.state, message.last_error) == ("failed", "twilio undelivered 30003")


def test_an_unsigned_delivery_report_changes_nothing(app, clock, twilio):
    complain_by_text(app, times="1")
    run_once()
    sid = acknowledgement().provider_id
    db.session.rollback()

    response = app.test_client().post(
        "/sms/status?outbox=1", data={"MessageSid": sid, "MessageStatus": "failed"}
    )

    assert response.status_code == 403
    assert acknowledgement().state == "sent"


def test_whatsapp_inside_its_window_is_answered_on_whatsapp(app, clock, twilio):
    complain_by_text(app, times="1", whatsapp=True)

    run_once()

    [sent] = texts_sent(twilio)
    assert (sent["To"], sent["From"]) == (f"whatsapp:{YOUNG_PERSON}", "whatsapp:+447700900002")
    assert "Body" in sent


def test_whatsapp_outside_its_window_uses_an_approved_template(app, clock, twilio):
    app.config["TWILIO_WHATSAPP_TEMPLATES"] = '{"acknowledgement": "HX' + "1" * 32 + '"}'
    clock.moment = datetime(2026, 11, 23, 21, 30, tzinfo=LONDON)
    complain_by_text(app, times="1", whatsapp=True)
    # Quiet hours hold it until 08:00; a day later the window has closed.
    clock.moment = datetime(2026, 11, 25, 9, 0, tzinfo=LONDON)

    run_once()

    [sent] = texts_sent(twilio)
    assert sent["ContentSid"] == "HX" + "1" * 32
    assert sent["To"] == f"whatsapp:{YOUNG_PERSON}"
    assert "Body" not in sent


def test_whatsapp_outside_its_window_without_a_template_goes_by_text(app, clock, twilio):
    clock.moment = datetime(2026, 11, 23, 21, 30, tzinfo=LONDON)
    complain_by_text(app, times="1", whatsapp=True)
    clock.moment = datetime(2026, 11, 25, 9, 0, tzinfo=LONDON)

    run_once()

    [sent] = texts_sent(twilio)
    assert (sent["To"], sent["From"]) == (YOUNG_PERSON, "+447700900001")
    assert acknowledgement().channel == "sms"


def test_a_twilio_outage_is_retried_and_delivered_once(app, clock, twilio):
    complain_by_text(app, times="1")
    twilio.status, twilio.body = 503, '{"code": 20500, "message": "Service unavailable"}'

    run_once()
    assert acknowledgement().state == "pending"

    twilio.status, twilio.body = 201, None
    clock.advance(minutes=5)
    run_once()

    assert acknowledgement().state == "sent"
    assert len([r for r in twilio.requests if r.url == MESSAGES_URL]) == 2
