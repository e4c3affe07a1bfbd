"""Keeping cases no longer than the council's retention period, and what it holds on one person.

Retention: a case closed more than RETENTION_YEARS ago (6 by default, the usual period
for complaint records) is anonymised: everything that could name or describe a person
(their words, contact details, the children, correspondence, notes, chat messages) is
removed, while the facts the statutory reports count (kind, dates, team, reasons,
stages, outcomes) stay, so past years' reports still add up. `--delete` removes the
whole case instead, for councils whose policy says so.

Subject access: everything held about a person, found by their email address or phone
number, as data (the export turns it into JSON and a readable page).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from intake.casework.cases import case_summary
from intake.models import (
    AccessNeedEntry,
    Case,
    CaseEvent,
    Child,
    ChildStatusEntry,
    Contact,
    Conversation,
    Correspondence,
    InboundMessage,
    LearningAction,
    OmbudsmanEnquiry,
    OutboundMessage,
    OutboxMessage,
    StageAction,
    StageRecord,
)

REMOVED = "[removed: retention period ended]"
# Cases are changed in groups, so one long run never holds a lock on everything.
BATCH = 500


def retention_cutoff(today: date, years: int) -> date:
    """Cases closed before this day have been kept long enough."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def due_for_retention(session: Session, cutoff: date) -> list[tuple[int, str]]:
    """(id, reference) of closed cases past the period and not yet anonymised."""
    rows = session.execute(
        select(Case.id, Case.reference)
        .where(Case.closed_on.is_not(None), Case.closed_on < cutoff, Case.anonymised_on.is_(None))
        .order_by(Case.closed_on, Case.id)
    )
    return [(row.id, row.reference) for row in rows]


def _in_batches(ids: Sequence[int]) -> list[Sequence[int]]:
    return [ids[i : i + BATCH] for i in range(0, len(ids), BATCH)]


def _remove_conversations(session: Session, ids: Sequence[int]) -> None:
    chats = select(Conversation.id).where(Conversation.case_id.in_(ids))
    session.execute(delete(OutboundMessage).where(OutboundMessage.conversation_id.in_(chats)))
    session.execute(delete(InboundMessage).where(InboundMessage.conversation_id.in_(chats)))
    session.execute(delete(Conversation).where(Conversation.case_id.in_(ids)))


def _remove_personal_rows(session: Session, ids: Sequence[int]) -> None:
    children = select(Child.id).where(Child.case_id.in_(ids))
    session.execute(delete(ChildStatusEntry).where(ChildStatusEntry.child_id.in_(children)))
    session.execute(delete(Child).where(Child.case_id.in_(ids)))
    session.execute(delete(Contact).where(Contact.case_id.in_(ids)))
    session.execute(delete(Correspondence).where(Correspondence.case_id.in_(ids)))
    _remove_conversations(session, ids)
    # A sent message's address and its words' parameters go; that it was sent stays.
    session.execute(
        update(OutboxMessage).where(OutboxMessage.case_id.in_(ids)).values(to=REMOVED, params={})
    )


def anonymise(session: Session, ids: Sequence[int], on: date) -> int:
    """Remove what could identify or describe a person from these cases; keep the facts."""
    for batch in _in_batches(ids):
        _remove_personal_rows(session, batch)
        session.execute(
            update(AccessNeedEntry).where(AccessNeedEntry.case_id.in_(batch)).values(detail=None)
        )
        session.execute(update(CaseEvent).where(CaseEvent.case_id.in_(batch)).values(detail={}))
        stages = select(StageRecord.id).where(StageRecord.case_id.in_(batch))
        session.execute(
            update(StageAction).where(StageAction.stage_id.in_(stages)).values(note=None)
        )
        session.execute(
            update(StageRecord)
            .where(StageRecord.case_id.in_(batch))
            .values(late_request_reason=None, extension_reason=None)
        )
        session.execute(
            update(OmbudsmanEnquiry).where(OmbudsmanEnquiry.case_id.in_(batch)).values(remedy=None)
        )
        # What was learned is counted in reports and kept; its words may name the family.
        session.execute(
            update(LearningAction)
            .where(LearningAction.case_id.in_(batch))
            .values(issue=REMOVED, action=REMOVED)
        )
        session.execute(
            update(Case)
            .where(Case.id.in_(batch))
            .values(
                what_happened=REMOVED,
                outcome_sought_detail=None,
                worker_named=None,
                advocate_organisation=None,
                anonymised_on=on,
            )
        )
    return len(ids)


def delete_cases(session: Session, ids: Sequence[int]) -> int:
    """Remove these cases and everything recorded with them."""
    for batch in _in_batches(ids):
        _remove_conversations(session, batch)
        for case in session.scalars(select(Case).where(Case.id.in_(batch))):
            session.delete(case)  # the relationships cascade to stages, events, ...
        session.flush()
    return len(ids)


def old_conversations(session: Session, cutoff: date) -> list[int]:
    """Chats nobody has written in since before the cut-off. A finished chat is no longer
    tied to its case (the next message starts afresh), so it is aged on its own."""
    last = datetime.combine(cutoff, time(), tzinfo=UTC)
    return list(
        session.scalars(
            select(Conversation.id).where(
                func.coalesce(Conversation.last_message_at, Conversation.created_at) < last
            )
        )
    )


def forget_conversations(session: Session, ids: Sequence[int]) -> int:
    for batch in _in_batches(ids):
        session.execute(delete(OutboundMessage).where(OutboundMessage.conversation_id.in_(batch)))
        session.execute(delete(InboundMessage).where(InboundMessage.conversation_id.in_(batch)))
        session.execute(delete(Conversation).where(Conversation.id.in_(batch)))
    return len(ids)


@dataclass(frozen=True)
class Person:
    email: str | None = None
    phone: str | None = None  # E.164


def cases_of(session: Session, person: Person) -> list[Case]:
    """Every case whose contact details are this person's."""
    wanted = []
    if person.email:
        wanted.append(func.lower(Contact.email) == person.email.strip().lower())
    if person.phone:
        wanted.append(Contact.phone == person.phone)
    if not wanted:
        return []
    return list(
        session.scalars(
            select(Case).join(Contact).where(or_(*wanted)).order_by(Case.received_at, Case.id)
        )
    )


def conversations_of(session: Session, person: Person) -> list[Conversation]:
    if not person.phone:
        return []
    return list(
        session.scalars(
            select(Conversation)
            .where(Conversation.address == person.phone)
            .order_by(Conversation.created_at, Conversation.id)
        )
    )


def _conversation(session: Session, chat: Conversation) -> dict[str, Any]:
    sent = session.scalars(
        select(OutboundMessage)
        .where(OutboundMessage.conversation_id == chat.id)
        .order_by(OutboundMessage.created_at, OutboundMessage.id)
    )
    answers = (chat.state or {}).get("answers", {})
    return {
        "channel": chat.channel,
        "address": chat.address,
        "started": chat.created_at.isoformat(),
        "last_message": chat.last_message_at.isoformat() if chat.last_message_at else None,
        "stopped": chat.stopped,
        "answers": answers,
        "replies_sent": [
            {"at": m.created_at.isoformat(), "language": m.language, "text": m.body} for m in sent
        ],
    }


def everything_held(session: Session, person: Person) -> dict[str, Any]:
    """All the service holds about a person: their cases in full and their chats."""
    cases = cases_of(session, person)
    summaries = []
    for case in cases:
        summary = case_summary(case)
        summary["correspondence"] = [
            {
                "on": c.on.isoformat(),
                "direction": c.direction,
                "method": c.method,
                "summary": c.summary,
            }
            for c in case.correspondence
        ]
        summaries.append(summary)
    return {
        "person": {"email": person.email, "phone": person.phone},
        "cases": summaries,
        "conversations": [_conversation(session, c) for c in conversations_of(session, person)],
        "messages_sent": _messages_sent(session, person),
    }


def _messages_sent(session: Session, person: Person) -> list[dict[str, Any]]:
    """Every message the service sent or owes them: what it was, by which channel, when,
    and the facts it carried (a reference, dates)."""
    addresses = [a for a in (person.email, person.phone) if a]
    if not addresses:
        return []
    sent = session.scalars(
        select(OutboxMessage)
        .where(
            OutboxMessage.recipient_kind == "public",
            or_(*(func.lower(OutboxMessage.to) == a.lower() for a in addresses)),
        )
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
    )
    return [
        {
            "message": m.template,
            "channel": m.channel,
            "to": m.to,
            "language": m.language,
            "state": m.state,
            "owed_at": m.created_at.isoformat(),
            "sent_at": m.sent_at.isoformat() if m.sent_at else None,
            "facts": m.params,
        }
        for m in sent
    ]
