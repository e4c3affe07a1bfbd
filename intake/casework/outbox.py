"""What the service owes people and staff: messages written to the outbox, and tasks.

Each function here adds rows to the caller's transaction, beside the event that causes
them (a case saved, a stage extended, a deadline near), so a message is owed exactly when
the event is saved: never before, never lost after. The worker sends them later.

Staff messages carry no personal details: the reference, the kind, the team, a date and
a link. Messages to the public carry only what the service itself decided (the
reference and dates), never what the person wrote.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from intake.casework.calendar import COUNCIL_TIME_ZONE
from intake.casework.council import CouncilSettings
from intake.casework.routing import RoutingSettings
from intake.casework.vocabulary import Method, ReplyMethod, Role
from intake.models import Case, OutboxMessage, SafeguardingAlert, StaffTask, StaffTeam, StaffUser


class Recipient(StrEnum):
    PUBLIC = "public"
    STAFF = "staff"


class State(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    FAILED = "failed"
    CANCELLED = "cancelled"


# Messages to the person who got in touch, and to staff. Each has a template of the same
# name under intake/templates/messages/.
PUBLIC_TEMPLATES = ("acknowledgement", "extension", "stage_response", "late_reply")
STAFF_TEMPLATES = ("case_routed", "safeguarding_alert", "reminder", "escalation", "digest")

TEXT_CHANNELS = ("sms", "whatsapp")
AFTER_SCHOOL = time(15, 30)


@dataclass(frozen=True)
class Route:
    """How to reach the person: a channel and an address, or a task for staff."""

    channel: str | None
    to: str | None
    task: str | None = None


def public_route(settings: CouncilSettings, case: Case) -> Route | None:
    """How the person asked to hear back; None if they asked for no reply."""
    contact = case.contact
    if contact is None or contact.reply_method == ReplyMethod.NONE.value:
        return None
    method = contact.reply_method
    if method == ReplyMethod.EMAIL.value and contact.email:
        return Route("email", contact.email)
    if method == ReplyMethod.TEXT_MESSAGE.value and contact.phone:
        channel = "whatsapp" if case.method == Method.WHATSAPP.value else "sms"
        return Route(channel, contact.phone)
    if method == ReplyMethod.LETTER.value and settings.messages.letters == "post":
        address = postal_address(case)
        if address:
            return Route("letter", address)
    if method == ReplyMethod.LETTER.value:
        return Route(None, None, task="acknowledge_by_letter")
    # A phone call, or an address we do not have: only a person can do it.
    return Route(None, None, task="acknowledge_by_phone")


def postal_address(case: Case) -> str:
    contact = case.contact
    if contact is None or not contact.address_line_1 or not contact.postcode:
        return ""
    lines = [
        contact.name,
        contact.address_line_1,
        contact.address_line_2,
        contact.town,
        contact.postcode,
    ]
    return "\n".join(line for line in lines if line)


def owe(
    session: Session,
    *,
    key: str,
    template: str,
    recipient: Recipient,
    channel: str,
    to: str,
    at: datetime,
    case: Case | None = None,
    language: str = "en",
    params: dict[str, Any] | None = None,
    not_before: datetime | None = None,
) -> OutboxMessage | None:
    """Add a message to the outbox unless one with the same key is already owed.

    The key names the event ("acknowledgement:42"), so running a job twice, or two
    workers running it at once, owes the message once: the unique index decides.
    """
    if session.scalars(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)).first():
        return None
    message = OutboxMessage(
        case_id=case.id if case is not None else None,
        recipient_kind=recipient.value,
        channel=channel,
        to=to,
        template=template,
        language=language,
        params=params or {},
        state=State.PENDING.value,
        attempts=0,
        next_attempt_at=not_before or at,
        dedupe_key=key,
        created_at=at,
    )
    try:
        with session.begin_nested():
            session.add(message)
    except IntegrityError:
        # Another worker owed it between our look and our insert.
        return None
    return message


# To the person who got in touch --------------------------------------------------------


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def case_params(case: Case) -> dict[str, Any]:
    """The facts every public message may show: the service's own decisions only."""
    return {
        "reference": case.reference,
        "kind": case.kind,
        "procedure": case.procedure,
        "stage": case.stage,
        "received_on": _iso(case.received_on),
        "respond_by": _iso(case.respond_by),
        "young_person": case.complainant_role == Role.YOUNG_PERSON.value,
        "with_advocate": case.with_advocate,
    }


def owe_the_person(
    session: Session,
    settings: CouncilSettings,
    case: Case,
    *,
    template: str,
    key: str,
    at: datetime,
    extra: dict[str, Any] | None = None,
) -> OutboxMessage | None:
    """A message to the person, by the channel and in the language they chose."""
    route = public_route(settings, case)
    if route is None or route.channel is None or route.to is None:
        return None
    not_before = None
    if route.channel in TEXT_CHANNELS and case.complainant_role == Role.YOUNG_PERSON.value:
        contact_times = case.contact.contact_times if case.contact else None
        not_before = next_time_to_text(settings, at, contact_times)
    return owe(
        session,
        key=key,
        template=template,
        recipient=Recipient.PUBLIC,
        channel=route.channel,
        to=route.to,
        at=at,
        case=case,
        language=case.language,
        params={**case_params(case), **(extra or {})},
        not_before=not_before,
    )


def acknowledge_on_receipt(
    session: Session,
    settings: CouncilSettings,
    case: Case,
    *,
    at: datetime,
    triage_team: str | None,
) -> None:
    """Owe the acknowledgement at once, or give staff the task of making it by hand."""
    if case.acknowledged_on is not None or case.acknowledge_by is None:
        return
    route = public_route(settings, case)
    if route is None:
        return
    if needs_replies_made_by_hand(case):
        # Braille, BSL, an interpreter, another language: the automatic message still
        # goes at once, and a person makes the one they can read, by the same date.
        _give_task(case, "reply_in_their_format", triage_team, at)
    if route.task is not None:
        _give_task(case, route.task, triage_team, at)
        return
    owe_the_person(
        session,
        settings,
        case,
        template="acknowledgement",
        key=f"acknowledgement:{case.id}",
        at=at,
        extra={"acknowledge_by": _iso(case.acknowledge_by)},
    )


def needs_replies_made_by_hand(case: Case) -> bool:
    """They asked for a format or language the service cannot write by itself."""
    other_language = case.contact is not None and bool(case.contact.other_language)
    return other_language or bool(case.access_needs)


def _give_task(case: Case, task: str, triage_team: str | None, at: datetime) -> None:
    if any(t.task == task for t in case.tasks):
        return
    case.tasks.append(
        StaffTask(
            task=task,
            team=triage_team or case.team or "",
            due_on=case.acknowledge_by,
            created_at=at,
        )
    )


def next_time_to_text(
    settings: CouncilSettings, at: datetime, contact_times: str | None = None
) -> datetime:
    """The first moment from `at` a young person may be texted: outside quiet hours, and
    within the times they chose ("after_school": weekdays from 15:30; "weekends")."""
    candidate = at.astimezone(COUNCIL_TIME_ZONE)
    # Quarter-hour steps, at most two weeks ahead (a week always has a time that fits).
    for _ in range(14 * 24 * 4):
        if _may_text(settings, candidate, contact_times):
            return candidate.astimezone(at.tzinfo)
        candidate += timedelta(minutes=15)
        candidate = candidate.replace(minute=candidate.minute // 15 * 15, second=0, microsecond=0)
    return at


def _may_text(settings: CouncilSettings, local: datetime, contact_times: str | None) -> bool:
    quiet_from = settings.messages.quiet_hours_from
    quiet_until = settings.messages.quiet_hours_until
    moment = local.time()
    if quiet_from > quiet_until:  # quiet overnight, the usual case
        quiet = moment >= quiet_from or moment < quiet_until
    else:
        quiet = quiet_from <= moment < quiet_until
    if quiet:
        return False
    weekend = local.weekday() >= 5
    if contact_times == "weekends":
        return weekend
    if contact_times == "after_school" and not weekend:
        return moment >= AFTER_SCHOOL
    return True


# To staff -------------------------------------------------------------------------------


def staff_addresses(
    session: Session, routing: RoutingSettings, team: str, *, everyone: bool = False
) -> list[str]:
    """The team's shared inbox, and its members who asked for their own email (or all
    of them, for what must not wait)."""
    found = routing.team(team)
    addresses = [found.inbox] if found else []
    query = (
        select(StaffUser.email)
        .join(StaffTeam, StaffTeam.user_id == StaffUser.id)
        .where(StaffTeam.team == team, StaffUser.disabled.is_(False))
        .order_by(StaffUser.email)
    )
    if not everyone:
        query = query.where(StaffUser.notify_new_cases.is_(True))
    for email in session.scalars(query):
        if email not in addresses:
            addresses.append(email)
    return addresses


def _owe_staff(
    session: Session,
    addresses: Iterable[str],
    *,
    key: str,
    template: str,
    at: datetime,
    case: Case | None,
    params: dict[str, Any],
) -> int:
    owed = 0
    for address in addresses:
        message = owe(
            session,
            key=f"{key}:{address}",
            template=template,
            recipient=Recipient.STAFF,
            channel="email",
            to=address,
            at=at,
            case=case,
            params=params,
        )
        owed += message is not None
    return owed


def staff_params(case: Case, routing: RoutingSettings) -> dict[str, Any]:
    """Reference, kind, team and the next date due: nothing about the person."""
    return {
        "reference": case.reference,
        "kind": case.kind,
        "team": routing.team_name(case.team),
        "urgent": case.priority == "urgent" or case.safeguarding,
        "due_on": _iso(case.next_deadline),
    }


def tell_team_of_case(
    session: Session, routing: RoutingSettings, case: Case, *, at: datetime
) -> int:
    """The routed-case notification, to the lead team's inbox and members who opted in."""
    if not case.team:
        return 0
    return _owe_staff(
        session,
        staff_addresses(session, routing, case.team),
        key=f"case_routed:{case.id}:{case.team}:{at.isoformat()}",
        template="case_routed",
        at=at,
        case=case,
        params=staff_params(case, routing),
    )


def alert_duty_team(
    session: Session,
    routing: RoutingSettings,
    alert: SafeguardingAlert,
    case: Case | None,
    *,
    at: datetime,
    repeat: int = 0,
) -> int:
    """An urgent alert to every member of the duty team, and its inbox."""
    params: dict[str, Any] = {
        "reference": case.reference if case else None,
        "team": routing.team_name(alert.team),
        "raised_at": alert.raised_at.isoformat(),
        "repeat": repeat,
    }
    return _owe_staff(
        session,
        staff_addresses(session, routing, alert.team, everyone=True),
        key=f"safeguarding_alert:{alert.id}:{repeat}",
        template="safeguarding_alert",
        at=at,
        case=case,
        params=params,
    )
