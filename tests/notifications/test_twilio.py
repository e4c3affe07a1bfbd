"""TwilioProvider through Twilio's real SDK, down to the HTTP request it would make."""

from __future__ import annotations

import json
import logging

import pytest
import requests

from notifications import Channel, Message, ProviderError, Receipt
from notifications.twilio import TwilioProvider
from tests.notifications.twilio_http import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    MESSAGES_URL,
    RecordingHttpClient,
    created,
    error,
)

SMS_FROM = "+447700900001"
WHATSAPP_FROM = "+447700900002"
STATUS_CALLBACK = "https://intake.example.org/sms/status"
YOUNG_PERSON = "+447700900123"
BODY = "We have your complaint. Your reference is CS-2026-00042. Reply HELP for help."
TEMPLATE = "HX" + "0123456789abcdef" * 2


def provider(http: RecordingHttpClient, *, whatsapp_from: str | None = WHATSAPP_FROM):
    return TwilioProvider(
        account_sid=ACCOUNT_SID,
        auth_token=AUTH_TOKEN,
        sms_from=SMS_FROM,
        whatsapp_from=whatsapp_from,
        status_callback=STATUS_CALLBACK,
        http_client=http,
    )


def message(channel: Channel = Channel.SMS, **fields: object) -> Message:
    values: dict[str, object] = {
        "to": YOUNG_PERSON,
        "subject": "Your complaint",
        "body": BODY,
        "reference": "outbox-42",
    }
    values.update(fields)
    return Message(channel, **values)  # type: ignore[arg-type]


def test_a_text_message_is_posted_to_the_messages_api():
    http = RecordingHttpClient()

    provider(http).send(message())

    [sent] = http.requests
    assert sent.method == "POST"
    assert sent.url == MESSAGES_URL
    assert sent.auth == (ACCOUNT_SID, AUTH_TOKEN)
    assert sent.data == {
        "To": YOUNG_PERSON,
        "From": SMS_FROM,
        "Body": BODY,
        "StatusCallback": STATUS_CALLBACK,
    }


def test_the_receipt_holds_the_sid_twilio_gave_the_message():
    sid = "SM" + "a1b2c3d4" * 4
    http = RecordingHttpClient(body=created({"To": YOUNG_PERSON, "Body": BODY}, sid=sid))

    receipt = provider(http).send(message())

    assert receipt == Receipt("twilio", sid)


def test_a_whatsapp_template_sends_the_content_sid_and_its_variables():
    http = RecordingHttpClient()
    variables = {"1": "CS-2026-00042", "2": "Friday 16 January"}

    provider(http).send(
        message(Channel.WHATSAPP, whatsapp_template=TEMPLATE, template_variables=variables)
    )

    [sent] = http.requests
    assert sent.url == MESSAGES_URL
    assert sent.data["To"] == f"whatsapp:{YOUNG_PERSON}"
    assert sent.data["From"] == f"whatsapp:{WHATSAPP_FROM}"
    assert sent.data["ContentSid"] == TEMPLATE
    assert json.loads(sent.data["ContentVariables"]) == variables
    assert sent.data["StatusCallback"] == STATUS_CALLBACK
    assert "Body" not in sent.data


def test_a_whatsapp_template_without_variables_sends_an_empty_json_object():
    http = RecordingHttpClient()

    provider(http).send(message(Channel.WHATSAPP, whatsapp_template=TEMPLATE))

    [sent] = http.requests
    assert json.loads(sent.data["ContentVariables"]) == {}


def test_a_whatsapp_message_without_a_template_sends_its_body_on_whatsapp():
    http = RecordingHttpClient()

    provider(http).send(message(Channel.WHATSAPP))

    [sent] = http.requests
    assert sent.data == {
        "To": f"whatsapp:{YOUNG_PERSON}",
        "From": f"whatsapp:{WHATSAPP_FROM}",
        "Body": BODY,
        "StatusCallback": STATUS_CALLBACK,
    }


def test_whatsapp_goes_by_text_message_when_no_whatsapp_number_is_set_up():
    http = RecordingHttpClient()

    provider(http, whatsapp_from=None).send(message(Channel.WHATSAPP, whatsapp_template=TEMPLATE))

    [sent] = http.requests
    assert sent.data == {
        "To": YOUNG_PERSON,
        "From": SMS_FROM,
        "Body": BODY,
        "StatusCallback": STATUS_CALLBACK,
    }


@pytest.mark.parametrize(
    ("status", "code", "text", "retryable"),
    [
        (500, 20500, "Internal Server Error", True),
        (503, 20503, "Service Unavailable", True),
        (429, 20429, "Too Many Requests", True),
        (400, 21211, f"The 'To' number {YOUNG_PERSON} is not a valid phone number.", False),
        (400, 21610, "Attempt to send to unsubscribed recipient", False),
    ],
)
def test_twilio_errors_say_whether_a_retry_may_work(status, code, text, retryable):
    http = RecordingHttpClient(status=status, body=error(status, code, text))

    with pytest.raises(ProviderError) as raised:
        provider(http).send(message())

    assert raised.value.retryable is retryable
    assert str(raised.value) == f"twilio {status} {code}"
    assert len(http.requests) == 1


def test_a_network_failure_is_retryable():
    http = RecordingHttpClient(failure=requests.ConnectionError("connection reset"))

    with pytest.raises(ProviderError) as raised:
        provider(http).send(message())

    assert raised.value.retryable is True


@pytest.mark.parametrize("channel", [Channel.EMAIL, Channel.LETTER])
def test_twilio_refuses_email_and_letters_without_calling_twilio(channel):
    http = RecordingHttpClient()
    to = "parent@example.org" if channel is Channel.EMAIL else "1 Example Street\nEX1 2MP"

    with pytest.raises(ProviderError) as raised:
        provider(http).send(message(channel, to=to))

    assert raised.value.retryable is False
    assert http.requests == []


def test_sending_logs_neither_the_text_nor_the_number(caplog):
    caplog.set_level(logging.DEBUG)
    http = RecordingHttpClient()

    provider(http).send(message(Channel.WHATSAPP))

    assert caplog.records, "the send was not logged at all"
    for record in caplog.records:
        logged = record.getMessage()
        assert BODY not in logged
        assert YOUNG_PERSON.removeprefix("+") not in logged
