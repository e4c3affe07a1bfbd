"""A chat turn is the busiest path in the service: every text message, WhatsApp message
and web chat turn takes it. These count the statements it sends to the database (a
count, not a timing, so it holds on any machine) so that a change which quietly adds a
query to every message fails here, not in production."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select

from intake.extensions import db
from intake.models import OutboundMessage
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


def test_a_turn_in_a_conversation_is_four_statements_or_two_on_postgresql(phone):
    phone.text("Hi")

    with statements() as sent:
        replies = phone.text("1")

    assert replies[0].startswith(INTENT_QUESTION)
    if db.engine.dialect.name == "postgresql":
        # Lock the conversation and record the message; keep the new state and store
        # the reply: each pair in one statement.
        assert [s.split(" ")[0] for s in sent] == ["WITH", "WITH"], sent
        assert "FOR UPDATE" in sent[0] and "INSERT INTO inbound_messages" in sent[0]
        assert "UPDATE conversations" in sent[1] and "INSERT INTO outbound_messages" in sent[1]
        # Only the columns the turn means to write: never a reply's, by a name clash.
        written = sent[1].split("UPDATE conversations SET ", 1)[1].split(" WHERE ", 1)[0]
        columns = [part.split("=", 1)[0] for part in written.split(", ")]
        assert columns == [
            "state",
            "stopped",
            "case_id",
            "last_message_at",
            "expires_at",
            "version",
        ], written
    else:
        # Lock the conversation, record the message, keep the new state, store the reply.
        assert [s.split(" ")[0] for s in sent] == ["SELECT", "INSERT", "UPDATE", "INSERT"], sent


def test_the_first_message_makes_the_conversation_in_one_more(phone):
    with statements() as sent:
        phone.text("Hi")

    first = "WITH" if db.engine.dialect.name == "postgresql" else "SELECT"
    last = ["WITH"] if db.engine.dialect.name == "postgresql" else ["UPDATE", "INSERT"]
    assert [s.split(" ")[0] for s in sent] == [first, "INSERT", "INSERT", *last], sent
    assert sent[1].startswith("INSERT INTO conversations"), sent
    assert sent[2].startswith("INSERT INTO inbound_messages"), sent


def test_a_turn_with_two_replies_stores_both_in_order(phone):
    phone.text("Hi")
    phone.text("1")

    # A danger word: the safety message comes first, then the question again.
    with statements() as sent:
        replies = phone.text("he hits me")

    assert len(replies) >= 2, replies
    stored = db.session.scalars(
        select(OutboundMessage.body).order_by(OutboundMessage.id.desc()).limit(len(replies))
    ).all()
    assert list(reversed(stored)) == replies
    assert any("UPDATE conversations" in s for s in sent), sent


def test_a_retry_is_answered_from_what_was_stored_without_running_the_turn_again(phone):
    phone.text("Hi")
    sid = new_sid()
    first = phone.text("1", sid=sid)

    with statements() as sent:
        again = phone.text("1", sid=sid)

    assert again == first
    assert not any(s.startswith(("UPDATE", "INSERT INTO outbound")) for s in sent), sent
