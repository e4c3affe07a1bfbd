"""Real rows for the IDs staff pages take in their addresses: a message that failed to
send, and a safeguarding alert. Each is made the way it really comes about: the worker
sending to a mail server that refuses the address, and a young person texting a danger
word through Twilio's signed webhook."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import select

from intake.extensions import db
from intake.models import Case, OutboxMessage, SafeguardingAlert
from intake.outbox.worker import run_once
from tests.sms.helpers import Phone


class _RefusingServer:
    """A mail server that knows nobody: every address is refused for good (550)."""

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        return "550 5.1.1 No such mailbox here"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def refusing_mail_server(app: Flask) -> Iterator[None]:
    """The app sends email by SMTP to a real server on loopback that refuses every
    address; afterwards it goes back to the development provider (the log)."""
    controller = Controller(_RefusingServer(), hostname="127.0.0.1", port=_free_port())
    controller.start()
    before = {key: app.config.get(key) for key in ("MESSAGE_PROVIDER_EMAIL", "SMTP_HOST")}
    app.config.update(
        MESSAGE_PROVIDER_EMAIL="smtp",
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=controller.port,
        SMTP_FROM="complaints@example.org",
        SMTP_STARTTLS=False,
        MESSAGE_TIMEOUT_SECONDS=5,
    )
    app.extensions.pop("intake.providers", None)
    try:
        yield
    finally:
        controller.stop()
        app.config.update(before)
        app.extensions.pop("intake.providers", None)


def fail_every_email(app: Flask) -> None:
    """Run the worker once against a mail server that refuses every address: each email
    owed now (acknowledgements, the teams' new case emails) is marked failed."""
    with refusing_mail_server(app):
        run_once()
    db.session.remove()


def failed_messages(reference: str) -> list[int]:
    """The ids of the case's failed messages, its acknowledgement first."""
    db.session.expire_all()
    messages = db.session.scalars(
        select(OutboxMessage)
        .join(Case, Case.id == OutboxMessage.case_id)
        .where(Case.reference == reference, OutboxMessage.state == "failed")
        .order_by(OutboxMessage.template != "acknowledgement", OutboxMessage.id)
    ).all()
    ids = [m.id for m in messages]
    assert messages and messages[0].template == "acknowledgement", ids
    db.session.remove()
    return ids


def message_state(message_id: int) -> str:
    db.session.expire_all()
    state = db.session.get(OutboxMessage, message_id).state
    db.session.remove()
    return state


def alert_acknowledged(alert_id: int) -> bool:
    db.session.expire_all()
    acknowledged = db.session.get(SafeguardingAlert, alert_id).acknowledged_at is not None
    db.session.remove()
    return acknowledged


def safeguarding_alert(app: Flask, number: str = "+447700900777") -> tuple[str, int]:
    """A young person texts a danger word: (the case's reference, the alert's id)."""
    Phone(app, number=number).say("Hi", "1", "1", "yes", "I want to kill myself")
    db.session.expire_all()
    alert, reference = db.session.execute(
        select(SafeguardingAlert, Case.reference)
        .join(Case, Case.id == SafeguardingAlert.case_id)
        .order_by(SafeguardingAlert.id.desc())
    ).first()
    alert_id = alert.id
    assert alert.acknowledged_at is None
    db.session.remove()
    return reference, alert_id
