"""A real SMTP server on loopback (aiosmtpd) that the service's SMTP provider sends to."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask


@dataclass
class Mailbox:
    """What the SMTP server accepted; `refuse` makes it answer 451 (try later) for now."""

    received: list[EmailMessage] = field(default_factory=list)
    refuse: bool = False

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse:
            return "451 Requested action aborted: try again later"
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        self.received.append(parsed)  # type: ignore[arg-type]
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.received if m["To"] == address]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    box.port = controller.port  # type: ignore[attr-defined]
    yield box
    controller.stop()


@pytest.fixture
def smtp(app: Flask, mailbox: Mailbox) -> Mailbox:
    """The app sends email by SMTP to `mailbox` (texts and letters stay on the log)."""
    app.config.update(
        MESSAGE_PROVIDER_EMAIL="smtp",
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=mailbox.port,  # type: ignore[attr-defined]
        SMTP_FROM="complaints@example.org",
        SMTP_STARTTLS=False,
        MESSAGE_TIMEOUT_SECONDS=5,
    )
    app.extensions.pop("intake.providers", None)
    return mailbox
