"""A chat turn is the busiest path in the service: every text message, WhatsApp message
and web chat turn takes it. These count the statements it sends to the database (a
count, not a timing, so it holds on any machine) so that a change which quietly adds a
query to every message fails here, not in production."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from intake.extensions import db
from tests.sms.helpers import Phone
from tests.sms.twilio_client import new_sid

INTENT_QUESTION = "What do you want to do? Reply with a number:"


@contextmanager
def statements() -> Iterator[list[str]]:
    sent: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        if not statement.startswith("BEGIN"):  # SQLite's BEGIN IMMEDIATE, not a query
            sent.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


@pytest.fixture
def phone(app, clock) -> Phone:
    return Phone(app)


def test_a_turn_in_a_conversation_is_four_statements(phone):
    phone.text("Hi")

    with statements() as sent:
        replies = phone.text("1")

    assert replies[0].startswith(INTENT_QUESTION)
    # Lock the conversation, record the message, keep the new state, store the reply.
    assert [s.split(" ")[0] for s in sent] == ["SELECT", "INSERT", "UPDATE", "INSERT"], sent
    assert "FOR UPDATE" in sent[0] or db.engine.dialect.name == "sqlite"


def test_the_first_message_makes_the_conversation_in_one_more(phone):
    with statements() as sent:
        phone.text("Hi")

    assert [s.split(" ")[0] for s in sent] == ["SELECT", "INSERT", "INSERT", "UPDATE", "INSERT"]
    assert sent[1].startswith("INSERT INTO conversations"), sent
    assert sent[2].startswith("INSERT INTO inbound_messages"), sent


def test_a_retry_is_answered_from_what_was_stored_without_running_the_turn_again(phone):
    phone.text("Hi")
    sid = new_sid()
    first = phone.text("1", sid=sid)

    with statements() as sent:
        again = phone.text("1", sid=sid)

    assert again == first
    assert not any(s.startswith(("UPDATE", "INSERT INTO outbound")) for s in sent), sent
