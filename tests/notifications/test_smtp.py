"""SmtpProvider against a real SMTP server (aiosmtpd) on loopback."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from notifications import Channel, Message, ProviderError
from notifications.smtp import SmtpProvider
from tests.notifications.net import closed_port, free_port

SENDER = "complaints@intake.example.org"
PARENT = "parent@example.org"
SUBJECT = "We have your complaint: CS-2026-00042"
BODY = "Thank you for telling us. We will answer by Friday 16 January 2026."
HTML = "<p>Thank you for telling us. We will answer by <strong>Friday 16 January 2026</strong>.</p>"


class RecordingHandler:
    """Keeps every envelope the server accepts; `refuse` is its answer to RCPT TO."""

    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []
        self.refuse: str | None = None

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list
    ) -> str:
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def received(self) -> EmailMessage:
        [envelope] = self.envelopes
        assert isinstance(envelope.content, bytes)
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@pytest.fixture
def server() -> Iterator[tuple[RecordingHandler, int]]:
    handler = RecordingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, ready_timeout=5)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


@pytest.fixture
def handler(server: tuple[RecordingHandler, int]) -> RecordingHandler:
    return server[0]


@pytest.fixture
def smtp(server: tuple[RecordingHandler, int]) -> SmtpProvider:
    return SmtpProvider(host="127.0.0.1", port=server[1], sender=SENDER, starttls=False, timeout=2)


def message(**fields: object) -> Message:
    values: dict[str, object] = {
        "channel": Channel.EMAIL,
        "to": PARENT,
        "subject": SUBJECT,
        "body": BODY,
        "reference": "outbox-42",
    }
    values.update(fields)
    return Message(**values)  # type: ignore[arg-type]


def test_the_email_arrives_from_the_sender_to_the_address(smtp, handler):
    smtp.send(message())

    [envelope] = handler.envelopes
    assert envelope.mail_from == SENDER
    assert envelope.rcpt_tos == [PARENT]
    received = handler.received()
    assert received["From"] == SENDER
    assert received["To"] == PARENT
    assert received["Subject"] == SUBJECT


def test_an_email_without_html_is_plain_text_only(smtp, handler):
    smtp.send(message())

    received = handler.received()
    assert not received.is_multipart()
    assert received.get_content_type() == "text/plain"
    assert received.get_content().strip() == BODY


def test_an_email_with_html_carries_it_as_an_alternative_to_the_text(smtp, handler):
    smtp.send(message(html=HTML))

    received = handler.received()
    assert received.get_content_type() == "multipart/alternative"
    parts = [part.get_content_type() for part in received.iter_parts()]
    assert parts == ["text/plain", "text/html"]
    plain = received.get_body(preferencelist=("plain",))
    html = received.get_body(preferencelist=("html",))
    assert plain is not None and plain.get_content().strip() == BODY
    assert html is not None and html.get_content().strip() == HTML


def test_a_welsh_email_keeps_its_letters(smtp, handler):
    subject = "Rydym wedi cael eich cwyn – CS-2026-00042"
    body = "Diolch am ddweud wrthym. Bydd y tîm yn ateb erbyn dydd Gwener."

    smtp.send(message(language="cy", subject=subject, body=body))

    received = handler.received()
    assert received["Subject"] == subject
    assert received.get_content().strip() == body


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("html", [None, HTML], ids=["plain", "html"])
def test_the_email_says_which_language_it_is_in(smtp, handler, language, html):
    smtp.send(message(language=language, html=html))

    assert handler.received()["Content-Language"] == language


def test_the_receipt_holds_the_message_id_without_angle_brackets(smtp, handler):
    receipt = smtp.send(message())

    received = handler.received()
    assert receipt.provider == "smtp"
    assert received["Message-ID"] == f"<{receipt.provider_id}>"
    assert "<" not in receipt.provider_id and ">" not in receipt.provider_id
    assert "outbox-42" in receipt.provider_id


def test_each_email_gets_its_own_message_id(smtp, handler):
    first = smtp.send(message())
    second = smtp.send(message())

    assert first.provider_id != second.provider_id
    assert len(handler.envelopes) == 2


def test_a_refused_address_is_not_retryable(smtp, handler):
    handler.refuse = "550 5.1.1 No such mailbox here"

    with pytest.raises(ProviderError) as raised:
        smtp.send(message())

    assert raised.value.retryable is False
    assert handler.envelopes == []


def test_a_temporary_refusal_of_the_address_is_retryable(smtp, handler):
    handler.refuse = "451 4.7.1 Greylisted, please try again later"

    with pytest.raises(ProviderError) as raised:
        smtp.send(message())

    assert raised.value.retryable is True


def test_a_server_that_is_not_there_is_retryable():
    with closed_port() as port:
        smtp = SmtpProvider(host="127.0.0.1", port=port, sender=SENDER, starttls=False, timeout=2)

        with pytest.raises(ProviderError) as raised:
            smtp.send(message())

    assert raised.value.retryable is True


@pytest.mark.parametrize(
    ("channel", "to"),
    [
        (Channel.SMS, "07700 900123"),
        (Channel.WHATSAPP, "+447700900123"),
        (Channel.LETTER, "1 Example Street\nExampletown\nEX1 2MP"),
    ],
)
def test_smtp_refuses_anything_but_email_without_sending(smtp, handler, channel, to):
    with pytest.raises(ProviderError) as raised:
        smtp.send(message(channel=channel, to=to))

    assert raised.value.retryable is False
    assert handler.envelopes == []
