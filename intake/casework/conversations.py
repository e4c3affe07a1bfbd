"""Carrying out a conversation: store it, run the engine, do what it says, render replies.

Every channel (Twilio's webhook, the web chat, the terminal) calls `take_message` with
what arrived. In the caller's transaction it locks the sender's conversation, records
the message by its provider id (a retry finds it and gets the same replies, processed
once), runs the engine, makes or fills in the case, raises safeguarding alerts,
and returns the replies to send, rendered in the young person's language. The caller
commits once, so all of that is saved together or not at all.
"""

from __future__ import annotations

import logging
import string
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, cast

import phonenumbers
from babel.dates import format_date
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import Connection, Table, bindparam, select, true, update
from sqlalchemy.orm import Session

from intake.casework.calendar import local_date
from intake.casework.cases import (
    ChildDetails,
    ContactDetails,
    Submission,
    complete_case,
    receive_case,
)
from intake.casework.council import CouncilSettings
from intake.casework.outbox import alert_duty_team
from intake.casework.routing import RoutingSettings
from intake.casework.vocabulary import Kind, Method, ReplyMethod, Role, WhenHappened
from intake.chat.engine import (
    ADVOCATE_WANTED,
    OTHER_MESSAGES,
    SAFEGUARDING_MESSAGES,
    ChatState,
    Message,
    Reply,
    Turn,
    expire,
    handle,
)
from intake.chat.flow import Flow
from intake.chat.safety import DangerWords
from intake.models import (
    Case,
    CaseEvent,
    Conversation,
    InboundMessage,
    OutboundMessage,
    SafeguardingAlert,
)
from intake.models.base import upsert_insert
from intake.models.conversation import QUEUED

log = logging.getLogger(__name__)

CHANNEL_METHODS = {
    "sms": Method.TEXT_MESSAGE,
    "whatsapp": Method.WHATSAPP,
    "web": Method.WEB_CHAT,
    "cli": Method.WEB_CHAT,
}


@dataclass(frozen=True)
class ChatSetup:
    """What every conversation needs: the council, its teams, the flow and the danger
    words."""

    settings: CouncilSettings
    flow: Flow
    danger: DangerWords
    routing: RoutingSettings | None = None


@dataclass
class Sender:
    """The sender's conversation as a turn sees it: the row, locked until the commit.

    A plain record rather than the mapped class: a turn reads four columns and writes
    five, and the ORM's bookkeeping for that cost more than the rest of the turn."""

    id: int
    channel: str
    address: str
    state: dict[str, Any]
    stopped: bool
    case_id: int | None


@dataclass(frozen=True)
class SentReply:
    """One reply as stored: its id is where the provider reports its delivery."""

    id: int
    body: str
    language: str


@dataclass
class Delivery:
    """The replies to one inbound message, and whether it had been seen before."""

    conversation: Sender
    replies: list[SentReply] = field(default_factory=list)
    duplicate: bool = False
    case: Case | None = None


def new_address() -> str:
    """A random address for a browser or terminal conversation."""
    return uuid.uuid4().hex


def take_message(
    session: Session,
    setup: ChatSetup,
    *,
    channel: str,
    address: str,
    text: str,
    at: datetime,
    provider_id: str | None = None,
    media: int = 0,
    language: str | None = None,
) -> Delivery:
    """Process one inbound message exactly once; see the module's docstring.

    `language` is one the channel already knows the person reads (the web chat's page
    language): a new conversation starts in it instead of asking which they want.
    """
    provider_id = provider_id or f"{channel}-{uuid.uuid4().hex}"
    statements = _statements(session.get_bind().dialect.name)
    # Core statements on the transaction's connection: the ORM's unit of work is for the
    # rare turn that makes a case, not for every message.
    connection = session.connection()
    # Lock the sender's conversation first: two pieces of one long text, or two copies of
    # a retry, arriving at once are then processed one after the other, whichever web
    # process has each. A chat turn is a handful of statements: this is the busiest path.
    conversation, inbound_id = _lock_and_record(
        connection,
        statements,
        {"channel": channel, "address": address},
        {"provider_id": provider_id, "received_at": at, "media_count": media},
        at,
    )
    if inbound_id is None:
        # A retry of a message already processed (its transaction has committed, or we
        # would still be waiting for the lock): answer exactly as before.
        seen = _already_seen(session, provider_id, conversation)
        if seen is None:
            raise RuntimeError(f"message {provider_id} was recorded but cannot be found")
        return seen

    state = ChatState.from_json(conversation.state)
    if language in setup.flow.languages and state.language is None and not state.in_progress:
        state.language = language
    delivery = Delivery(conversation)
    # A conversation that went quiet is kept as a case before anything else happens,
    # whether or not the expiry job has run yet.
    state = _apply(session, setup, conversation, expire(setup.flow, state, at), at, delivery)
    turn = handle(
        setup.flow,
        state,
        Message(text=text, at=at, channel=channel, media=media),
        setup.danger,
        local_date(at),
    )
    state = _apply(session, setup, conversation, turn, at, delivery)
    if delivery.case is not None:
        # The case (and its alert) must be in the database before the conversation's row
        # points at it.
        session.flush()
    values = case_values(delivery.case)
    rendered = [(reply.language, render_reply(setup, reply, values)) for reply in turn.replies]
    kept = {
        "conversation_id": conversation.id,
        "state": state.to_json(),
        "stopped": state.stopped,
        "case_id": conversation.case_id,
        "at": at,
        "expires_at": _expires_at(setup, state, at),
    }
    replies = [
        {
            "conversation_id": conversation.id,
            "inbound_id": inbound_id,
            "channel": channel,
            "language": language,
            "body": body,
            "created_at": at,
        }
        for language, body in rendered
        if body
    ]
    delivery.replies = _keep_and_reply(connection, statements, kept, replies)
    # Facts only: never what was written.
    log.info(
        "chat message %s on %s: node %s, %d replies, events %s",
        provider_id,
        channel,
        state.node,
        len(delivery.replies),
        [e.name for e in turn.events],
    )
    return delivery


def expire_conversations(session: Session, setup: ChatSetup, now: datetime) -> int:
    """Keep every conversation idle past the flow's expiry as an incomplete case."""
    count = 0
    statements = _statements(session.get_bind().dialect.name)
    due = session.scalars(
        select(Conversation.id).where(Conversation.expires_at <= now).order_by(Conversation.id)
    ).all()
    for conversation_id in due:
        connection = session.connection()
        row = connection.execute(statements.lock_by_id, {"id": conversation_id}).one_or_none()
        if row is None:
            continue  # deleted since (retention)
        conversation = Sender(*row)
        state = ChatState.from_json(conversation.state)
        turn = expire(setup.flow, state, now)
        if turn.state.expired and not state.expired:
            delivery = Delivery(conversation)
            state = _apply(session, setup, conversation, turn, now, delivery)
            session.flush()
            count += 1
        connection.execute(
            statements.keep_expired,
            {
                "conversation_id": conversation.id,
                "state": state.to_json(),
                "case_id": conversation.case_id,
                "stopped": conversation.stopped,
            },
        )
    return count


def _expires_at(setup: ChatSetup, state: ChatState, at: datetime) -> datetime | None:
    if not state.in_progress or state.expired:
        return None
    return at + timedelta(hours=setup.flow.expire_hours)


# Inside ------------------------------------------------------------------------------


def _already_seen(session: Session, provider_id: str, conversation: Sender) -> Delivery | None:
    inbound = session.scalars(
        select(InboundMessage).where(InboundMessage.provider_id == provider_id)
    ).one_or_none()
    if inbound is None:
        return None
    if inbound.conversation_id != conversation.id:
        # Twilio never gives two senders one id: this is no retry, and the first
        # sender's replies (a case reference among them) are not this sender's to see.
        log.warning("message %s came again from another sender: not answered", provider_id)
        return Delivery(conversation, [], duplicate=True)
    replies = [SentReply(r.id, r.body, r.language) for r in inbound.replies]
    return Delivery(conversation, replies, duplicate=True)


_CONVERSATIONS = cast(Table, Conversation.__table__)
_INBOUND = cast(Table, InboundMessage.__table__)
_OUTBOUND = cast(Table, OutboundMessage.__table__)
_SENDER_COLUMNS = (
    _CONVERSATIONS.c.id,
    _CONVERSATIONS.c.channel,
    _CONVERSATIONS.c.address,
    _CONVERSATIONS.c.state,
    _CONVERSATIONS.c.stopped,
    _CONVERSATIONS.c.case_id,
)


_REPLY_COLUMNS = ("conversation_id", "inbound_id", "channel", "language", "body", "created_at")


@dataclass(frozen=True)
class _Statements:
    """The statements a chat turn runs, built once: building a statement and its cache
    key costs more than PostgreSQL takes to run it."""

    lock: Any
    lock_by_id: Any
    new_conversation: Any
    inbound: Any
    keep: Any
    keep_expired: Any
    reply: Any
    # PostgreSQL does each pair above in one statement (a data-modifying WITH), saving
    # two round trips on every message; SQLite cannot, and runs them one by one.
    lock_and_record: Any | None = None
    keep_and_reply: Any | None = None


@lru_cache(maxsize=4)
def _statements(dialect: str) -> _Statements:
    insert = upsert_insert(dialect)
    conversations = _CONVERSATIONS
    # The version moves on with every write, as the mapped class's optimistic lock expects.
    next_version = conversations.c.version + 1
    statements = _Statements(
        lock=select(*_SENDER_COLUMNS)
        .where(
            conversations.c.channel == bindparam("channel"),
            conversations.c.address == bindparam("address"),
        )
        .with_for_update(),
        lock_by_id=select(*_SENDER_COLUMNS)
        .where(conversations.c.id == bindparam("id"))
        .with_for_update(),
        new_conversation=insert(conversations)
        .on_conflict_do_nothing(index_elements=["channel", "address"])
        .returning(*_SENDER_COLUMNS),
        inbound=insert(_INBOUND)
        .on_conflict_do_nothing(index_elements=["provider_id"])
        .returning(_INBOUND.c.id),
        keep=update(conversations)
        .where(conversations.c.id == bindparam("conversation_id"))
        .values(
            state=bindparam("state", type_=conversations.c.state.type),
            stopped=bindparam("stopped"),
            case_id=bindparam("case_id"),
            last_message_at=bindparam("at", type_=conversations.c.last_message_at.type),
            expires_at=bindparam("expires_at", type_=conversations.c.expires_at.type),
            version=next_version,
        ),
        keep_expired=update(conversations)
        .where(conversations.c.id == bindparam("conversation_id"))
        .values(
            state=bindparam("state", type_=conversations.c.state.type),
            stopped=bindparam("stopped"),
            case_id=bindparam("case_id"),
            expires_at=None,
            version=next_version,
        ),
        reply=insert(_OUTBOUND).returning(_OUTBOUND.c.id, sort_by_parameter_order=True),
    )
    if dialect != "postgresql":
        return statements
    # The lock is taken before the insert reads the conversation's id from it, and a
    # retry's insert meets the first copy's row (waiting for it to commit) and does
    # nothing: the same guarantees as the two statements apart.
    sender = statements.lock.cte("sender")
    recorded = (
        insert(_INBOUND)
        .from_select(
            ["provider_id", "conversation_id", "received_at", "media_count"],
            select(
                bindparam("provider_id", type_=_INBOUND.c.provider_id.type),
                sender.c.id,
                bindparam("received_at", type_=_INBOUND.c.received_at.type),
                bindparam("media_count", type_=_INBOUND.c.media_count.type),
            ),
        )
        .on_conflict_do_nothing(index_elements=["provider_id"])
        .returning(_INBOUND.c.id)
        .cte("recorded")
    )
    # PostgreSQL runs a data-modifying WITH to completion whether or not it is read.
    kept = statements.keep.cte("kept")
    return replace(
        statements,
        lock_and_record=select(*sender.c, recorded.c.id).select_from(
            sender.outerjoin(recorded, true())
        ),
        # Its parameters are named apart from both tables' columns: a parameter named
        # like a column is taken as a value for it (the UPDATE would set "channel").
        keep_and_reply=insert(_OUTBOUND)
        .add_cte(kept)
        .values({name: bindparam(f"reply_{name}") for name in _REPLY_COLUMNS})
        # A column default is not filled in inside a WITH: the model's own is given.
        .values(status=QUEUED)
        .returning(_OUTBOUND.c.id),
    )


def _lock_and_record(
    connection: Connection,
    statements: _Statements,
    sender: dict[str, str],
    message: dict[str, Any],
    at: datetime,
) -> tuple[Sender, int | None]:
    """Lock the sender's conversation and record the message by its provider's id; the
    message's id is None when it was recorded before (a retry)."""
    looked = False
    if statements.lock_and_record is not None:
        looked = True
        row = connection.execute(statements.lock_and_record, sender | message).one_or_none()
        if row is not None:
            return Sender(*row[:-1]), row[-1]
    # Their first message (or SQLite): make the conversation, then record the message.
    conversation = _lock_sender(
        connection, statements, sender["channel"], sender["address"], at, looked=looked
    )
    inbound_id = connection.execute(
        statements.inbound, message | {"conversation_id": conversation.id}
    ).scalar_one_or_none()
    return conversation, inbound_id


def _keep_and_reply(
    connection: Connection,
    statements: _Statements,
    kept: dict[str, Any],
    replies: list[dict[str, Any]],
) -> list[SentReply]:
    """Write where the conversation has got to, and store the replies to send."""
    if statements.keep_and_reply is not None and len(replies) == 1:
        reply = {f"reply_{name}": value for name, value in replies[0].items()}
        reply_id = connection.execute(statements.keep_and_reply, kept | reply).scalar_one()
        ids: list[int] = [reply_id]
    else:
        connection.execute(statements.keep, kept)
        ids = list(connection.execute(statements.reply, replies).scalars()) if replies else []
    return [
        SentReply(reply_id, reply["body"], reply["language"])
        for reply_id, reply in zip(ids, replies, strict=True)
    ]


def _lock_sender(
    connection: Connection,
    statements: _Statements,
    channel: str,
    address: str,
    at: datetime,
    *,
    looked: bool = False,
) -> Sender:
    """The sender's conversation, locked until the caller commits; made on their first
    message. One statement when it exists, as it does for every message but the first
    (none when the caller has `looked` already and found nothing)."""
    sender = {"channel": channel, "address": address}
    row = None if looked else connection.execute(statements.lock, sender).one_or_none()
    if row is None:
        # A row this transaction inserts is its own until it commits. If another process
        # is making the same conversation, the insert waits for it, then does nothing,
        # and the select waits for its lock.
        row = connection.execute(
            statements.new_conversation,
            {
                "channel": channel,
                "address": address,
                "state": {},
                "stopped": False,
                "created_at": at,
                "version": 1,
            },
        ).one_or_none()
        if row is None:
            row = connection.execute(statements.lock, sender).one()
    return Sender(*row)


def _apply(
    session: Session,
    setup: ChatSetup,
    conversation: Sender,
    turn: Turn,
    at: datetime,
    delivery: Delivery,
) -> ChatState:
    """Carry out the engine's events, in order; returns the state to keep."""
    state = turn.state
    actor = f"young person by {conversation.channel}"
    for event in turn.events:
        if event.name == "safeguarding":
            case = _case_for_alert(session, setup, conversation, state, at, actor)
            case.safeguarding = True
            team = setup.settings.duty_team_at(at)
            alert = SafeguardingAlert(
                case_id=case.id, conversation_id=conversation.id, raised_at=at, team=team
            )
            session.add(alert)
            session.flush()
            if setup.routing is not None:
                # Owed in the same transaction as the alert: sent within the minute.
                alert_duty_team(session, setup.routing, alert, case, at=at)
            case.events.append(
                CaseEvent(
                    at=at,
                    event="safeguarding_alert",
                    actor="service",
                    detail={"team": team, "channel": conversation.channel},
                )
            )
            delivery.case = case
            log.warning("safeguarding alert for %s raised to %s", case.reference, team)
        elif event.name == "submit":
            incomplete = bool(event.detail.get("incomplete"))
            submission = submission_from_answers(
                event.detail["answers"], state.language, conversation
            )
            existing = session.get(Case, conversation.case_id) if conversation.case_id else None
            if existing is None:
                case = receive_case(
                    session,
                    setup.settings,
                    submission,
                    received_at=at,
                    actor=actor,
                    incomplete=incomplete,
                    safeguarding=state.safeguarding,
                    routing=setup.routing,
                )
            else:
                case = complete_case(
                    session,
                    setup.settings,
                    existing,
                    submission,
                    at=at,
                    actor=actor,
                    incomplete=incomplete,
                    routing=setup.routing,
                )
            # An incomplete case is filled in if they carry on; a finished one closes
            # this run of the conversation, and the next message starts afresh.
            conversation.case_id = case.id if incomplete else None
            if not incomplete:
                state.safeguarding = False
            delivery.case = case
        elif event.name == "new_run":
            conversation.case_id = None
            state.safeguarding = False
        elif event.name in {"stopped", "started"}:
            conversation.stopped = event.name == "stopped"
    return state


def _case_for_alert(
    session: Session,
    setup: ChatSetup,
    conversation: Sender,
    state: ChatState,
    at: datetime,
    actor: str,
) -> Case:
    """The case the duty team acts on: this run's case, or a new one made now."""
    if conversation.case_id:
        existing = session.get(Case, conversation.case_id)
        if existing is not None:
            return existing
    case = receive_case(
        session,
        setup.settings,
        submission_from_answers(state.answers, state.language, conversation),
        received_at=at,
        actor=actor,
        incomplete=True,
        safeguarding=True,
        routing=setup.routing,
    )
    conversation.case_id = case.id
    return case


def submission_from_answers(
    answers: Mapping[str, Any], language: str | None, conversation: Sender
) -> Submission:
    """What a conversation's answers say, as the case records it."""
    intent = str(answers.get("intent"))
    kind = Kind(intent) if intent in Kind._value2member_map_ else Kind.COMMENT
    young_person = answers.get("young_person")
    role = {"yes": Role.YOUNG_PERSON, "no": Role.OTHER}.get(str(young_person), Role.UNKNOWN)
    said_when = answers.get("when")
    when = str(said_when.get("when")) if isinstance(said_when, dict) else ""
    return Submission(
        kind=kind,
        method=CHANNEL_METHODS.get(conversation.channel, Method.TEXT_MESSAGE),
        complainant_role=role,
        language=language or "en",
        contact=_contact(answers, conversation),
        what_happened=_what_happened(answers),
        children=(ChildDetails(),) if role is Role.YOUNG_PERSON else (),
        when_happened=WhenHappened(when) if when in WhenHappened._value2member_map_ else None,
        outcome_sought_detail=str(answers.get("outcome") or "") or None,
        worker_named=str(answers.get("about") or "") or None,
        advocate_requested=bool(answers.get(ADVOCATE_WANTED)) or kind is Kind.ADVOCACY_REQUEST,
    )


def _what_happened(answers: Mapping[str, Any]) -> str:
    """Their account, then the messages that raised an alert, then anything else they
    sent that answered no question, each under a marker staff can see."""
    told = str(answers.get("what_happened") or "")
    parts = [told] if told else []
    for marker, key in (
        ("[messages that raised a safeguarding alert]", SAFEGUARDING_MESSAGES),
        ("[other messages]", OTHER_MESSAGES),
    ):
        messages = [str(m) for m in answers.get(key) or [] if str(m).strip()]
        # An alert raised by the account itself is already above.
        messages = [m for m in messages if m not in told]
        if messages:
            parts += [marker, *messages]
    return "\n\n".join(parts)


def _contact(answers: Mapping[str, Any], conversation: Sender) -> ContactDetails:
    if conversation.channel in {"sms", "whatsapp"}:
        times = answers.get("text_back")
        if times in {"any_time", "after_school", "weekends"}:
            return ContactDetails(
                reply_method=ReplyMethod.TEXT_MESSAGE,
                phone=conversation.address,
                contact_times=str(times),
            )
        return ContactDetails(reply_method=ReplyMethod.NONE)
    given = answers.get("contact") or {}
    method, value = given.get("method"), str(given.get("value") or "")
    if method == "email":
        try:
            email = validate_email(value, check_deliverability=False).normalized
            return ContactDetails(reply_method=ReplyMethod.EMAIL, email=email)
        except EmailNotValidError:
            pass
    if method == "text_message":
        try:
            number = phonenumbers.parse(value, "GB")
            phone = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            return ContactDetails(reply_method=ReplyMethod.TEXT_MESSAGE, phone=phone)
        except phonenumbers.NumberParseException:
            pass
    return ContactDetails(reply_method=ReplyMethod.NONE)


class _Blanks(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def case_values(case: Case | None) -> dict[str, Any]:
    """What a reply may say about the case: its reference and its dates."""
    if case is None:
        return {}
    return {
        "reference": case.reference,
        "acknowledge_by": case.acknowledge_by,
        "respond_by": case.respond_by,
    }


def render_reply(setup: ChatSetup, reply: Reply, values: Mapping[str, Any]) -> str:
    """The words of a reply, with the council's details and the case's filled in."""
    flow = setup.flow
    language = reply.language
    kind, _, name = reply.key.partition(":")
    if kind == "text":
        template = flow.text(name, language)
    elif kind == "extra":
        node_id, _, number = name.partition(":")
        template = flow.node(node_id).extras[int(number)].text[language]
    else:
        node = flow.node(name)
        template = (node.reask if kind == "reask" else node.text).get(language, "")
    council = setup.settings.council
    filled = _Blanks(
        council=council.name,
        phone=council.phone,
        out_of_hours_phone=setup.settings.safeguarding.out_of_hours_phone,
    )
    for key, value in values.items():
        if value is None:
            continue
        filled[key] = _short_date(value, language) if isinstance(value, date) else str(value)
    return string.Formatter().vformat(template, (), filled).strip()


def _short_date(day: date, language: str) -> str:
    """ "Wed 25 Nov": a date that fits in a text message, in the young person's language."""
    return format_date(day, "EEE d MMM", locale=language)
