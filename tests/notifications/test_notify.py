"""NotifyProvider through GOV.UK Notify's own client, against a local server that answers
as Notify's API does."""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from notifications import Channel, Message, ProviderError, Receipt
from notifications.notify import NotifyProvider
from tests.notifications.net import closed_port

SERVICE_ID = "4a1f7e2c-9b3d-4c5e-8f6a-1b2c3d4e5f60"
SECRET = "d2c8e1f4-7a6b-4e3d-9c2b-0f1e2d3c4b5a"
API_KEY = f"intake_test-{SERVICE_ID}-{SECRET}"
EMAIL_TEMPLATE = "11111111-2222-4333-8444-555555555555"
SMS_TEMPLATE = "66666666-7777-4888-9999-aaaaaaaaaaaa"
LETTER_TEMPLATE = "bbbbbbbb-cccc-4ddd-8eee-ffffffffffff"

PARENT = "parent@example.org"
PHONE = "07700 900123"
SUBJECT = "We have your complaint: CS-2026-00042"
BODY = "Thank you for telling us. We will answer by Friday 16 January 2026."
ADDRESS = "Ms A Example\n1 Example Street\n\n  \nExampletown\nEX1 2MP\n"


@dataclass
class Recorded:
    path: str
    body: dict[str, Any]
    authorization: str | None


class FakeNotify(ThreadingHTTPServer):
    """Records each request; answers 201 with a notification as Notify does, or `failure`."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), NotifyHandler)
        self.requests: list[Recorded] = []
        self.ids: list[str] = []
        self.failure: tuple[int, dict[str, Any]] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def answer(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if self.failure is not None:
            return self.failure
        notification_id = str(uuid.uuid4())
        self.ids.append(notification_id)
        template_id = body.get("template_id")
        content: dict[str, Any] = {"body": body.get("personalisation", {}).get("body", "")}
        if path.endswith("/email"):
            content |= {"subject": SUBJECT, "from_email": "intake@notifications.service.gov.uk"}
        elif path.endswith("/sms"):
            content |= {"from_number": "GOVUK"}
        else:
            content |= {"subject": SUBJECT}
        return 201, {
            "id": notification_id,
            "reference": body.get("reference"),
            "content": content,
            "uri": f"{self.base_url}/v2/notifications/{notification_id}",
            "template": {
                "id": template_id,
                "version": 1,
                "uri": f"{self.base_url}/v2/template/{template_id}",
            },
            "scheduled_for": None,
        }


class NotifyHandler(BaseHTTPRequestHandler):
    server: FakeNotify

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length) or b"{}")
        self.server.requests.append(Recorded(self.path, body, self.headers.get("Authorization")))
        status, answer = self.server.answer(self.path, body)
        encoded = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(encoded)))
        self.end_headers()
        self.wfile.write(encoded)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the tests read what was recorded."""


@pytest.fixture
def notify_api() -> Iterator[FakeNotify]:
    server = FakeNotify()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def provider(base_url: str, *, letter_template: str | None = LETTER_TEMPLATE) -> NotifyProvider:
    return NotifyProvider(
        api_key=API_KEY,
        email_template=EMAIL_TEMPLATE,
        sms_template=SMS_TEMPLATE,
        letter_template=letter_template,
        base_url=base_url,
        timeout=2,
    )


def message(channel: Channel, to: str, **fields: object) -> Message:
    values: dict[str, object] = {"subject": SUBJECT, "body": BODY, "reference": "outbox-42"}
    values.update(fields)
    return Message(channel, to, **values)  # type: ignore[arg-type]


def test_an_email_is_sent_with_the_email_template(notify_api):
    receipt = provider(notify_api.base_url).send(message(Channel.EMAIL, PARENT))

    [sent] = notify_api.requests
    assert sent.path == "/v2/notifications/email"
    assert sent.body == {
        "template_id": EMAIL_TEMPLATE,
        "email_address": PARENT,
        "personalisation": {"subject": SUBJECT, "body": BODY},
        "reference": "outbox-42",
    }
    assert receipt == Receipt("notify", notify_api.ids[0])


@pytest.mark.parametrize("channel", [Channel.SMS, Channel.WHATSAPP])
def test_a_text_message_is_sent_with_the_sms_template(notify_api, channel):
    receipt = provider(notify_api.base_url).send(message(channel, PHONE))

    [sent] = notify_api.requests
    assert sent.path == "/v2/notifications/sms"
    assert sent.body == {
        "template_id": SMS_TEMPLATE,
        "phone_number": PHONE,
        "personalisation": {"body": BODY},
        "reference": "outbox-42",
    }
    assert receipt == Receipt("notify", notify_api.ids[0])


def test_a_letter_is_addressed_line_by_line_from_the_to_lines(notify_api):
    receipt = provider(notify_api.base_url).send(message(Channel.LETTER, ADDRESS))

    [sent] = notify_api.requests
    assert sent.path == "/v2/notifications/letter"
    assert sent.body == {
        "template_id": LETTER_TEMPLATE,
        "personalisation": {
            "address_line_1": "Ms A Example",
            "address_line_2": "1 Example Street",
            "address_line_3": "Exampletown",
            "address_line_4": "EX1 2MP",
            "subject": SUBJECT,
            "body": BODY,
        },
        "reference": "outbox-42",
    }
    assert receipt == Receipt("notify", notify_api.ids[0])


def test_a_message_without_a_reference_sends_no_reference(notify_api):
    provider(notify_api.base_url).send(message(Channel.EMAIL, PARENT, reference=""))

    [sent] = notify_api.requests
    assert "reference" not in sent.body


def test_every_request_carries_a_bearer_token(notify_api):
    notify = provider(notify_api.base_url)

    notify.send(message(Channel.EMAIL, PARENT))
    notify.send(message(Channel.SMS, PHONE))

    for sent in notify_api.requests:
        assert sent.authorization is not None
        assert sent.authorization.startswith("Bearer ")
        assert len(sent.authorization) > len("Bearer ")


@pytest.mark.parametrize(
    ("status", "error", "retryable"),
    [
        (500, "Exception", True),
        (503, "Exception", True),
        (429, "RateLimitError", True),
        (400, "BadRequestError", False),
        (403, "AuthError", False),
    ],
)
def test_notify_errors_say_whether_a_retry_may_work(notify_api, status, error, retryable):
    notify_api.failure = (
        status,
        {"status_code": status, "errors": [{"error": error, "message": "from the test"}]},
    )

    with pytest.raises(ProviderError) as raised:
        provider(notify_api.base_url).send(message(Channel.EMAIL, PARENT))

    assert raised.value.retryable is retryable
    assert str(raised.value) == f"notify {status}"
    assert len(notify_api.requests) == 1


def test_notify_out_of_reach_is_retryable():
    with closed_port() as port:
        notify = provider(f"http://127.0.0.1:{port}")

        with pytest.raises(ProviderError) as raised:
            notify.send(message(Channel.SMS, PHONE))

    assert raised.value.retryable is True


def test_a_letter_without_a_letter_template_is_refused_without_calling_notify(notify_api):
    notify = provider(notify_api.base_url, letter_template=None)

    with pytest.raises(ProviderError) as raised:
        notify.send(message(Channel.LETTER, ADDRESS))

    assert raised.value.retryable is False
    assert notify_api.requests == []


def test_sending_logs_neither_the_text_nor_the_address(notify_api, caplog):
    caplog.set_level(logging.DEBUG)

    provider(notify_api.base_url).send(message(Channel.EMAIL, PARENT))

    assert caplog.records, "the send was not logged at all"
    for record in caplog.records:
        logged = record.getMessage()
        assert BODY not in logged
        assert PARENT not in logged
