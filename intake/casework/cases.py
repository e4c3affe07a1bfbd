"""Turning what someone told us, through any channel, into a case.

Every channel (the online form, text messages, web chat, staff recording a phone call)
describes what it received as a `Submission` and calls `receive_case`, which decides the
procedure and deadlines and records everything in the caller's transaction. The caller
commits, so the case, its timeline and anything else that must happen with it (the form
draft being closed, an acknowledgement queued) are saved whole or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from intake.casework.calendar import age_on, local_date
from intake.casework.council import CouncilSettings
from intake.casework.outbox import acknowledge_on_receipt, tell_team_of_case
from intake.casework.procedures import plan_deadlines, suggest_procedure
from intake.casework.references import next_reference
from intake.casework.routing import RoutingSettings, facts_of, route
from intake.casework.text import one_line, plain_text
from intake.casework.vocabulary import (
    AccessNeed,
    ChildConsent,
    ChildStatus,
    Kind,
    Method,
    OutcomeSought,
    ReplyMethod,
    Role,
    Status,
    WhenHappened,
    age_band,
)
from intake.models import (
    AccessNeedEntry,
    Case,
    CaseEvent,
    CaseTeam,
    Child,
    ChildStatusEntry,
    Contact,
    OutcomeSoughtEntry,
    StageRecord,
)


@dataclass(frozen=True)
class ChildDetails:
    first_name: str | None = None
    date_of_birth: date | None = None
    age: int | None = None
    statuses: tuple[ChildStatus, ...] = ()


@dataclass(frozen=True)
class ContactDetails:
    reply_method: ReplyMethod
    name: str | None = None
    email: str | None = None
    phone: str | None = None  # E.164
    address_line_1: str | None = None
    address_line_2: str | None = None
    town: str | None = None
    postcode: str | None = None
    other_language: str | None = None
    contact_times: str | None = None  # any_time, after_school or weekends


@dataclass(frozen=True)
class NeedDetails:
    need: AccessNeed
    detail: str | None = None


@dataclass(frozen=True)
class Submission:
    """What someone told us, in the case's own terms, whichever channel it came by."""

    kind: Kind
    method: Method
    complainant_role: Role
    language: str
    contact: ContactDetails
    what_happened: str = ""
    children: tuple[ChildDetails, ...] = ()
    service_area: str | None = None
    when_happened: WhenHappened | None = None
    outcomes_sought: tuple[OutcomeSought, ...] = ()
    outcome_sought_detail: str | None = None
    worker_named: str | None = None
    advocate_organisation: str | None = None
    child_consent: ChildConsent | None = None
    child_wants_contact: bool | None = None
    access_needs: tuple[NeedDetails, ...] = field(default_factory=tuple)
    # The young person asked for an advocate to help with this.
    advocate_requested: bool = False


def _optional(text: str | None) -> str | None:
    return plain_text(text) or None


def _optional_line(text: str | None) -> str | None:
    return one_line(text) or None


def _child(details: ChildDetails, received_on: date) -> Child:
    age = details.age
    if details.date_of_birth is not None:
        age = age_on(details.date_of_birth, received_on)
    child = Child(
        first_name=_optional_line(details.first_name),
        date_of_birth=details.date_of_birth,
        age=age,
        age_band=age_band(age).value if age is not None else None,
    )
    child.statuses = [ChildStatusEntry(status=s.value) for s in details.statuses]
    return child


def receive_case(
    session: Session,
    settings: CouncilSettings,
    submission: Submission,
    *,
    received_at: datetime,
    actor: str,
    incomplete: bool = False,
    safeguarding: bool = False,
    routing: RoutingSettings | None = None,
) -> Case:
    """Record a new case in the session's transaction and return it (flushed, not committed).

    With `routing`, the case goes straight into the right team's queue.
    """
    received_on = local_date(received_at)
    # The reference is taken first: on SQLite its write takes the database lock at the
    # start of the transaction, so two writers queue instead of deadlocking.
    reference = next_reference(session, settings.council.reference_prefix, received_on.year)
    case = Case(
        reference=reference,
        status=Status.NEW.value,
        received_at=received_at,
        received_on=received_on,
        safeguarding=safeguarding,
    )
    _fill(case, settings, submission, incomplete=incomplete)
    # The timeline records facts only: codes and dates, never what the person wrote.
    case.events = [
        CaseEvent(
            at=received_at,
            event="received",
            actor=actor,
            detail={
                "kind": case.kind,
                "method": case.method,
                "role": case.complainant_role,
                "language": case.language,
                "procedure": case.procedure,
                "incomplete": incomplete,
            },
        ),
        _deadlines_event(case, received_at),
    ]
    if case.out_of_time:
        case.events.append(_out_of_time_event(received_at))
    if routing is not None:
        _route(case, settings, routing, received_at)
    session.add(case)
    session.flush()
    _owe_on_arrival(session, settings, case, routing, received_at, routed=True)
    return case


def _owe_on_arrival(
    session: Session,
    settings: CouncilSettings,
    case: Case,
    routing: RoutingSettings | None,
    at: datetime,
    *,
    routed: bool,
) -> None:
    """In the same transaction as the case: the acknowledgement (or the task of making
    it by hand) and, when it lands in a team's queue, the team's notification."""
    triage_team = routing.routing.triage_team if routing is not None else None
    acknowledge_on_receipt(session, settings, case, at=at, triage_team=triage_team)
    if routing is not None and routed:
        tell_team_of_case(session, routing, case, at=at)
    session.flush()


def complete_case(
    session: Session,
    settings: CouncilSettings,
    case: Case,
    submission: Submission,
    *,
    at: datetime,
    actor: str,
    incomplete: bool = False,
    routing: RoutingSettings | None = None,
) -> Case:
    """Fill in a case a conversation started earlier (an alert, or one that went quiet).

    The case keeps its reference and the day it was received, so its deadlines still
    run from the first message; everything the person has now told us replaces what it
    held, because the conversation's answers include all of it.
    """
    was_out_of_time = case.out_of_time
    _fill(case, settings, submission, incomplete=incomplete)
    case.events.append(
        CaseEvent(
            at=at,
            event="details_added",
            actor=actor,
            detail={"kind": case.kind, "procedure": case.procedure, "incomplete": incomplete},
        )
    )
    case.events.append(_deadlines_event(case, at))
    if case.out_of_time and not was_out_of_time:
        case.events.append(_out_of_time_event(at))
    # A safeguarding case stays with the duty team that was alerted; any other is
    # routed again now that we know what it is about.
    routed = False
    if routing is not None and not case.safeguarding:
        routed = _route(case, settings, routing, at)
    session.flush()
    _owe_on_arrival(session, settings, case, routing, at, routed=routed)
    return case


def _route(case: Case, settings: CouncilSettings, routing: RoutingSettings, at: datetime) -> bool:
    """Route the case; True if it moved to another team."""
    decision = route(routing, settings, facts_of(case), at)
    if case.team == decision.team and case.priority == decision.priority:
        return False
    previous = case.team
    case.team = decision.team
    case.priority = decision.priority
    for membership in case.teams:
        membership.lead = membership.team == decision.team
    if not any(m.team == decision.team for m in case.teams):
        case.teams.append(CaseTeam(team=decision.team, lead=True))
    case.events.append(
        CaseEvent(
            at=at,
            event="routed",
            actor="service",
            detail={
                "team": decision.team,
                "from": previous,
                "priority": decision.priority,
                "rule": decision.rule,
            },
        )
    )
    return previous != decision.team


def _fill(
    case: Case, settings: CouncilSettings, submission: Submission, *, incomplete: bool
) -> None:
    """Everything a case records that follows from what the person told us."""
    received_on = case.received_on
    procedure = suggest_procedure(
        settings, submission.kind, submission.complainant_role, submission.service_area
    )
    stage = 1 if procedure is not None else None
    wants_reply = submission.contact.reply_method is not ReplyMethod.NONE
    deadlines = plan_deadlines(
        settings,
        kind=submission.kind,
        procedure=procedure,
        stage=stage,
        received_on=received_on,
        wants_reply=wants_reply,
    )
    case.kind = submission.kind.value
    case.procedure = procedure.value if procedure else None
    case.stage = stage
    case.method = submission.method.value
    case.complainant_role = submission.complainant_role.value
    case.with_advocate = submission.complainant_role is Role.ADVOCATE
    case.advocate_organisation = _optional_line(submission.advocate_organisation)
    case.child_consent = submission.child_consent.value if submission.child_consent else None
    case.child_wants_contact = submission.child_wants_contact
    case.language = submission.language
    case.service_area = submission.service_area
    case.what_happened = plain_text(submission.what_happened)
    case.when_happened = submission.when_happened.value if submission.when_happened else None
    # A complaint must normally be made within 12 months of the events (the regulations'
    # time limit); older ones are flagged for the complaints team to decide, never refused.
    case.out_of_time = submission.when_happened is WhenHappened.OVER_12_MONTHS
    case.outcome_sought_detail = _optional(submission.outcome_sought_detail)
    case.worker_named = _optional(submission.worker_named)
    case.incomplete = incomplete
    case.advocate_requested = submission.advocate_requested
    case.acknowledge_within = settings.acknowledge_working_days if wants_reply else None
    case.acknowledge_by = deadlines.acknowledge.due if deadlines.acknowledge else None
    case.respond_within = deadlines.respond_rule.working_days if deadlines.respond_rule else None
    case.respond_by = deadlines.respond.due if deadlines.respond else None
    owed = [d for d in (case.acknowledge_by, case.respond_by) if d is not None]
    case.next_deadline = min(owed) if owed else None

    contact = submission.contact
    # Updated in place: a case has one contact row, and replacing it would insert the
    # new row before deleting the old one.
    case.contact = case.contact or Contact()
    case.contact.name = _optional_line(contact.name)
    case.contact.reply_method = contact.reply_method.value
    case.contact.email = _optional_line(contact.email)
    case.contact.phone = _optional_line(contact.phone)
    case.contact.address_line_1 = _optional_line(contact.address_line_1)
    case.contact.address_line_2 = _optional_line(contact.address_line_2)
    case.contact.town = _optional_line(contact.town)
    case.contact.postcode = _optional_line(contact.postcode)
    case.contact.other_language = _optional_line(contact.other_language)
    case.contact.contact_times = contact.contact_times
    case.children = [_child(child, received_on) for child in submission.children]
    case.outcomes_sought = [OutcomeSoughtEntry(outcome=o.value) for o in submission.outcomes_sought]
    case.access_needs = [
        AccessNeedEntry(need=n.need.value, detail=_optional_line(n.detail))
        for n in submission.access_needs
    ]
    answered = any(s.responded_on for s in case.stages)
    if not answered:
        # Updated in place, like the contact: a new row for stage 1 would be inserted
        # before the old one was deleted, breaking the one-row-per-stage constraint.
        if procedure is not None and stage is not None and deadlines.respond is not None:
            first = case.stages[0] if case.stages else StageRecord(stage=stage)
            first.stage = stage
            first.procedure = procedure.value
            first.requested_on = received_on
            first.respond_within = deadlines.respond.working_days
            first.respond_by = deadlines.respond.due
            case.stages = [first]
        else:
            case.stages = []


def _deadlines_event(case: Case, at: datetime) -> CaseEvent:
    return CaseEvent(
        at=at,
        event="deadlines_set",
        actor="service",
        detail={"acknowledge_by": _iso(case.acknowledge_by), "respond_by": _iso(case.respond_by)},
    )


def _out_of_time_event(at: datetime) -> CaseEvent:
    return CaseEvent(
        at=at,
        event="flagged_out_of_time",
        actor="service",
        detail={"when_happened": WhenHappened.OVER_12_MONTHS.value},
    )


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def find_case(session: Session, reference: str) -> Case | None:
    """The case with this reference (typed in any case), with everything a full view shows."""
    query = select(Case).options(
        selectinload(Case.contact),
        selectinload(Case.children).selectinload(Child.statuses),
        selectinload(Case.outcomes_sought),
        selectinload(Case.access_needs),
        selectinload(Case.stages),
        selectinload(Case.events),
    )
    wanted = reference.strip()
    for candidate in dict.fromkeys((wanted, wanted.upper())):
        found = session.scalars(query.where(Case.reference == candidate)).one_or_none()
        if found is not None:
            return found
    return None


def case_summary(case: Case) -> dict[str, Any]:
    """The case as plain data: the JSON `intake show --json` prints."""
    contact = case.contact
    return {
        "reference": case.reference,
        "kind": case.kind,
        "procedure": case.procedure,
        "stage": case.stage,
        "status": case.status,
        "method": case.method,
        "complainant_role": case.complainant_role,
        "with_advocate": case.with_advocate,
        "received": case.received_on.isoformat(),
        "acknowledge_by": _iso(case.acknowledge_by),
        "respond_by": _iso(case.respond_by),
        "acknowledged_on": _iso(case.acknowledged_on),
        "language": case.language,
        "team": case.team,
        "priority": case.priority,
        "teams": [{"team": t.team, "lead": t.lead} for t in case.teams],
        "service_area": case.service_area,
        "safeguarding": case.safeguarding,
        "incomplete": case.incomplete,
        "advocate_requested": case.advocate_requested,
        "out_of_time": case.out_of_time,
        "when_happened": case.when_happened,
        "what_happened": case.what_happened,
        "outcomes_sought": [o.outcome for o in case.outcomes_sought],
        "outcome_sought_detail": case.outcome_sought_detail,
        "worker_named": case.worker_named,
        "advocate": (
            {
                "organisation": case.advocate_organisation,
                "child_consent": case.child_consent,
                "child_wants_contact": case.child_wants_contact,
            }
            if case.with_advocate
            else None
        ),
        "children": [
            {
                "first_name": child.first_name,
                "date_of_birth": _iso(child.date_of_birth),
                "age": child.age,
                "age_band": child.age_band,
                "statuses": [s.status for s in child.statuses],
            }
            for child in case.children
        ],
        "contact": (
            {
                "name": contact.name,
                "reply_method": contact.reply_method,
                "email": contact.email,
                "phone": contact.phone,
                "address": [
                    part
                    for part in (
                        contact.address_line_1,
                        contact.address_line_2,
                        contact.town,
                        contact.postcode,
                    )
                    if part
                ],
                "other_language": contact.other_language,
            }
            if contact
            else None
        ),
        "access_needs": [{"need": n.need, "detail": n.detail} for n in case.access_needs],
        "stages": [
            {
                "stage": s.stage,
                "procedure": s.procedure,
                "requested_on": s.requested_on.isoformat(),
                "respond_by": s.respond_by.isoformat(),
                "responded_on": _iso(s.responded_on),
                "outcome": s.outcome,
            }
            for s in case.stages
        ],
        "timeline": [
            {"at": e.at.isoformat(), "event": e.event, "actor": e.actor, "detail": e.detail}
            for e in case.events
        ],
    }
