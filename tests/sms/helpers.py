"""Helpers for the text message tests: a young person's phone, and what the database holds."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree

from flask import Flask, has_app_context
from sqlalchemy import func, select

from intake.clock import FixedClock
from intake.extensions import db
from intake.models import (
    Case,
    Conversation,
    InboundMessage,
    OutboundMessage,
    SafeguardingAlert,
)
from tests.sms.twilio_client import AUTH_TOKEN, TwilioWebhooks, replies

YOUNG_PERSON = "+447700900123"
SAFETY_START = "If you are in danger now, call 999."
SAFETY_START_CY = "Os wyt ti mewn perygl, ffonia 999."
OUT_OF_HOURS_PHONE = "01632 960 111"
CHILDLINE = "0800 1111"

# Things a young person might write: none of them is a danger word in either language,
# and each is distinctive enough that finding it in a reply or a log means it leaked.
WHAT_HAPPENED = "My social worker keeps missing our meetings and nobody tells me why"
ABOUT = "The social worker from the north team"
OUTCOME = "A worker who turns up when they say they will"
THANKS = "My foster carer took me to see my brother every weekend"
THANKED = "Jo at the leaving care team"
ADVOCATE_HELP = "Help with my pathway plan meeting next month"
WHAT_HAPPENED_CY = "Dydy fy ngweithiwr cymdeithasol ddim yn dod i'r cyfarfodydd"
ABOUT_CY = "Y tim gogledd"
OUTCOME_CY = "Gweithiwr sy'n dod pan maen nhw'n dweud"
THANKS_CY = "Fy ngofalwr maeth am fynd a fi i weld fy mrawd"
ADVOCATE_HELP_CY = "Help gyda fy nghynllun llwybr"


class Webhooks(TwilioWebhooks):
    """Twilio's signed webhooks, each request in its own app context (so its own database
    session), as each request is in a real web process."""

    def __init__(self, app: Flask, token: str = AUTH_TOKEN) -> None:
        super().__init__(app.test_client(), token)
        self.app = app

    def post(self, path: str, params: dict[str, str], **options: Any) -> Any:
        # The test's own session ends its transaction first: on SQLite every transaction
        # holds the write lock (BEGIN IMMEDIATE), as another web process would not.
        if has_app_context():
            db.session.rollback()
        with self.app.app_context():
            return super().post(path, params, **options)


@dataclass
class Phone:
    """One young person's phone texting the service through Twilio's signed webhook."""

    app: Flask
    number: str = YOUNG_PERSON
    whatsapp: bool = False
    # Seconds the young person takes over each message: the test's fixed clock moves on by
    # this much before each one, as time does between real texts (0: all at one moment,
    # like the pieces of one long text split by the phone).
    pace: float = 60
    sent: list[str] = field(default_factory=list)
    received: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.twilio = Webhooks(self.app)

    def send(self, body: str, *, sid: str | None = None, media: int = 0) -> Any:
        """Text the service; returns the raw response (status checked by the caller)."""
        clock = self.app.extensions.get("intake.clock")
        if self.pace and isinstance(clock, FixedClock):
            clock.advance(seconds=self.pace)
        self.sent.append(body)
        response = self.twilio.text(
            body, sender=self.number, sid=sid, media=media, whatsapp=self.whatsapp
        )
        if response.status_code == 200:
            self.received += replies(response)
        return response

    def text(self, body: str, *, sid: str | None = None, media: int = 0) -> list[str]:
        """Text the service and return its replies, insisting it answered 200 with TwiML."""
        response = self.send(body, sid=sid, media=media)
        assert response.status_code == 200, f"{body!r} was answered {response.status_code}"
        assert response.mimetype in {"application/xml", "text/xml"}
        return replies(response)

    def say(self, *bodies: str) -> list[str]:
        """Send several messages; the replies to the last one."""
        answer: list[str] = []
        for body in bodies:
            answer = self.text(body)
        return answer

    def never_echoed(self, minimum_words: int = 3) -> None:
        """Phones are shared: no reply ever contains what the young person wrote."""
        for body in self.sent:
            if len(body.split()) < minimum_words:
                continue
            for reply in self.received:
                assert body not in reply, f"a reply repeated {body!r}: {reply!r}"


def count(model: type) -> int:
    # Each read ends the test's own transaction first, so it sees what the requests
    # committed (and holds no snapshot or lock while the next request runs).
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def counts() -> dict[str, int]:
    """Rows in every table a message can touch."""
    return {
        model.__tablename__: count(model)
        for model in (Conversation, InboundMessage, OutboundMessage, Case, SafeguardingAlert)
    }


NOTHING_STORED = {
    "conversations": 0,
    "inbound_messages": 0,
    "outbound_messages": 0,
    "cases": 0,
    "safeguarding_alerts": 0,
}


def the_case() -> Case:
    db.session.rollback()
    return db.session.scalars(select(Case)).one()


def all_cases() -> list[Case]:
    db.session.rollback()
    return list(db.session.scalars(select(Case).order_by(Case.id)))


def the_conversation() -> Conversation:
    db.session.rollback()
    return db.session.scalars(select(Conversation)).one()


def alerts() -> list[SafeguardingAlert]:
    db.session.rollback()
    return list(db.session.scalars(select(SafeguardingAlert).order_by(SafeguardingAlert.id)))


def inbound_rows(sid: str) -> int:
    db.session.rollback()
    return (
        db.session.scalar(
            select(func.count())
            .select_from(InboundMessage)
            .where(InboundMessage.provider_id == sid)
        )
        or 0
    )


def status_actions(response: Any) -> list[tuple[str | None, str | None]]:
    """The (action, method) of every Message in a TwiML response."""
    root = ElementTree.fromstring(response.get_data(as_text=True))
    return [(m.get("action"), m.get("method")) for m in root.iter("Message")]
