"""The time-driven work the worker runs every half minute or so.

Each job owes messages under a key naming the event (the case and the deadline, the
alert and its repeat, the team and the day), so running a job twice, two workers running
it at once, or a worker dying halfway never owes the same message twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import case as when
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, contains_eager

from intake.casework.calendar import COUNCIL_TIME_ZONE, local_date
from intake.casework.conversations import ChatSetup, expire_conversations
from intake.casework.council import CouncilSettings
from intake.casework.outbox import (
    Recipient,
    alert_duty_team,
    owe,
    owe_the_person,
    staff_addresses,
    staff_params,
)
from intake.casework.routing import RoutingSettings
from intake.casework.vocabulary import ReplyMethod
from intake.casework.workflow import deadlines
from intake.models import Case, Contact, FormDraft, SafeguardingAlert

OPEN = ("new", "open", "on_hold")


def repeat_safeguarding_alerts(
    session: Session, routing: RoutingSettings, settings: CouncilSettings, now: datetime
) -> int:
    """Alert the duty team again, every few minutes, until someone acknowledges."""
    every = timedelta(minutes=settings.messages.safeguarding_repeat_minutes)
    owed = 0
    waiting = session.scalars(
        select(SafeguardingAlert).where(SafeguardingAlert.acknowledged_at.is_(None))
    ).all()
    for alert in waiting:
        repeat = int((now - alert.raised_at) / every)
        case = session.get(Case, alert.case_id) if alert.case_id else None
        # Repeat 0 is owed with the alert itself; owing it here too covers an alert
        # raised before the service could route (it is keyed, so never sent twice).
        owed += alert_duty_team(session, routing, alert, case, at=now, repeat=repeat)
    return owed


def _what_is_due(settings: CouncilSettings, case: Case) -> str:
    if case.acknowledged_on is None and case.acknowledge_by == case.next_deadline:
        return "acknowledgement"
    return deadlines(settings, case).description


def remind_before_deadlines(
    session: Session, routing: RoutingSettings, settings: CouncilSettings, now: datetime
) -> int:
    """A reminder to the lead team when a deadline is a few working days away."""
    today = local_date(now)
    horizon = settings.calendar().add_working_days(today, settings.messages.reminder_working_days)
    owed = 0
    cases = session.scalars(
        select(Case).where(
            Case.status.in_(OPEN),
            Case.next_deadline >= today,
            Case.next_deadline <= horizon.due,
            # A case that arrived today has just been announced to the team.
            Case.received_on < today,
        )
    ).all()
    for case in cases:
        if not case.team:
            continue
        params = {**staff_params(case, routing), "what": _what_is_due(settings, case)}
        for address in staff_addresses(session, routing, case.team):
            owed += (
                owe(
                    session,
                    key=f"reminder:{case.id}:{case.next_deadline}:{address}",
                    template="reminder",
                    recipient=Recipient.STAFF,
                    channel="email",
                    to=address,
                    at=now,
                    case=case,
                    params=params,
                )
                is not None
            )
    return owed


def escalate_missed_deadlines(
    session: Session, routing: RoutingSettings, settings: CouncilSettings, now: datetime
) -> int:
    """When a deadline passes: the team's manager and the complaints manager are told."""
    today = local_date(now)
    complaints = routing.team(routing.routing.triage_team)
    owed = 0
    cases = session.scalars(
        select(Case).where(Case.status.in_(OPEN), Case.next_deadline < today)
    ).all()
    for case in cases:
        team = routing.team(case.team)
        managers = [
            m
            for m in (team.manager if team else None, complaints.manager if complaints else None)
            if m
        ]
        params = {**staff_params(case, routing), "what": _what_is_due(settings, case)}
        for address in dict.fromkeys(managers):
            owed += (
                owe(
                    session,
                    key=f"escalation:{case.id}:{case.next_deadline}:{address}",
                    template="escalation",
                    recipient=Recipient.STAFF,
                    channel="email",
                    to=address,
                    at=now,
                    case=case,
                    params=params,
                )
                is not None
            )
    return owed


def tell_people_their_reply_is_late(
    session: Session, settings: CouncilSettings, now: datetime
) -> int:
    """When we miss the date we gave someone for our answer, we say sorry and say so,
    in their language and by their channel, once for each date missed. Late answers are
    the Ombudsman's commonest finding; silence makes them worse."""
    today = local_date(now)
    owed = 0
    late = session.scalars(
        select(Case)
        # Only cases with someone to tell: an imported history of open cases, with no
        # contact, is not looked at again every time the jobs run.
        .join(Contact, Contact.case_id == Case.id)
        .where(
            # On hold, the clock is stopped and they have been told why.
            Case.status.in_(("new", "open")),
            Case.respond_by < today,
            Contact.reply_method != ReplyMethod.NONE.value,
        )
        .options(contains_eager(Case.contact))
    ).all()
    for case in late:
        owed += (
            owe_the_person(
                session,
                settings,
                case,
                template="late_reply",
                key=f"late_reply:{case.id}:{case.respond_by}",
                at=now,
            )
            is not None
        )
    return owed


def send_daily_digests(
    session: Session, routing: RoutingSettings, settings: CouncilSettings, now: datetime
) -> int:
    """Each team's counts, once a working day, from the digest time on."""
    local = now.astimezone(COUNCIL_TIME_ZONE)
    today = local.date()
    if not settings.calendar().is_working_day(today) or local.time() < settings.messages.digest_at:
        return 0
    soon = settings.calendar().add_working_days(today, 2).due
    yesterday = now - timedelta(days=1)
    counts = {
        row.team: row
        for row in session.execute(
            select(
                Case.team,
                func.count().label("open"),
                func.sum(when((Case.created_at >= yesterday, 1), else_=0)).label("new"),
                func.sum(
                    when(((Case.next_deadline >= today) & (Case.next_deadline <= soon), 1), else_=0)
                ).label("due_soon"),
                func.sum(when((Case.next_deadline < today, 1), else_=0)).label("overdue"),
                func.sum(
                    when(((Case.priority == "urgent") | Case.safeguarding.is_(True), 1), else_=0)
                ).label("urgent"),
            )
            .where(Case.status.in_(OPEN))
            .group_by(Case.team)
        )
    }
    owed = 0
    for team in routing.teams:
        if not team.active:
            continue
        row = counts.get(team.key)
        params = {
            "team": team.name,
            "day": today.isoformat(),
            "open": int(row.open) if row else 0,
            "new": int(row.new or 0) if row else 0,
            "due_soon": int(row.due_soon or 0) if row else 0,
            "overdue": int(row.overdue or 0) if row else 0,
            "urgent": int(row.urgent or 0) if row else 0,
        }
        owed += (
            owe(
                session,
                key=f"digest:{team.key}:{today.isoformat()}",
                template="digest",
                recipient=Recipient.STAFF,
                channel="email",
                to=team.inbox,
                at=now,
                params=params,
            )
            is not None
        )
    return owed


def purge_drafts(session: Session, now: datetime, lifetime: timedelta) -> int:
    """Form answers nobody has touched for longer than a session lasts."""
    result = session.execute(delete(FormDraft).where(FormDraft.updated_at < now - lifetime))
    return int(getattr(result, "rowcount", 0) or 0)


def run_all(
    session: Session,
    settings: CouncilSettings,
    routing: RoutingSettings,
    chat: ChatSetup,
    now: datetime,
    *,
    draft_lifetime: timedelta,
) -> dict[str, int]:
    """Every job, in the caller's transaction; what each owed or did."""
    return {
        "safeguarding_alerts": repeat_safeguarding_alerts(session, routing, settings, now),
        "reminders": remind_before_deadlines(session, routing, settings, now),
        "escalations": escalate_missed_deadlines(session, routing, settings, now),
        "late_replies": tell_people_their_reply_is_late(session, settings, now),
        "digests": send_daily_digests(session, routing, settings, now),
        "chats_expired": expire_conversations(session, chat, now),
        "drafts_purged": purge_drafts(session, now, draft_lifetime),
    }
