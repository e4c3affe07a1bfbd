"""LogProvider, and what `Provider.send` writes to the log: never the text or the address."""

from __future__ import annotations

import logging
import re

import pytest

from notifications import Channel, Message, Receipt
from notifications.log import LogProvider

BODY = "My daughter's social worker has not visited for six weeks."
SUBJECT = "Your complaint CS-2026-00042"

ADDRESSES = {
    Channel.EMAIL: "parent@example.org",
    Channel.SMS: "07700 900123",
    Channel.WHATSAPP: "+447700900124",
    Channel.LETTER: "Ms A Example\n1 Example Street\nExampletown\nEX1 2MP",
}


@pytest.mark.parametrize("channel", list(Channel))
def test_every_message_is_accepted_with_a_log_receipt(channel):
    receipt = LogProvider().send(Message(channel, ADDRESSES[channel], SUBJECT, BODY, reference="7"))

    assert receipt == Receipt("log", "log-7")


def test_a_message_without_a_reference_still_gets_a_receipt():
    receipt = LogProvider().send(Message(Channel.EMAIL, ADDRESSES[Channel.EMAIL], SUBJECT, BODY))

    assert receipt == Receipt("log", "log-message")


@pytest.mark.parametrize("channel", list(Channel))
def test_sending_logs_the_channel_and_id_but_never_the_text_or_address(channel, caplog):
    caplog.set_level(logging.DEBUG)
    address = ADDRESSES[channel]

    receipt = LogProvider().send(
        Message(channel, address, SUBJECT, BODY, language="cy", reference="outbox-42")
    )

    logged = [record.getMessage() for record in caplog.records]
    assert any(channel.value in line and receipt.provider_id in line for line in logged), logged
    secrets = {BODY, SUBJECT, *pieces(BODY), *address.split("\n"), *pieces(address)}
    for record in caplog.records:
        for text in (record.getMessage(), repr(record.args)):
            leaked = [secret for secret in secrets if secret in text]
            assert leaked == [], text


def pieces(text: str) -> set[str]:
    """The parts of a text that would give it away: its longer words, its digit runs and
    their last six digits (a phone number's own part)."""
    digits = re.findall(r"\d{6,}", text)
    return {*re.findall(r"[A-Za-z']{5,}", text), *digits, *(run[-6:] for run in digits)}
