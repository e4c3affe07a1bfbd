"""A case through its stages: the actions staff take, and which are allowed when.

Every action checks it is allowed now (a clear `WorkflowError` says why not: no Stage 3
for a corporate complaint, no response before triage), changes the case, records a line
on the timeline and recomputes the deadlines from the one working-days calendar and the
procedure's configured timescales. Nothing here commits: the caller saves the change
and its audit entry together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session, object_session

from intake.casework.calendar import Deadline, local_date
from intake.casework.council import CouncilSettings
from intake.casework.outbox import owe_the_person, tell_team_of_case
from intake.casework.procedures import suggest_procedure, with_article
from intake.casework.routing import RoutingSettings
from intake.casework.vocabulary import (
    Kind,
    LearningStatus,
    Method,
    OmbudsmanDecision,
    Procedure,
    RefusalReason,
    RemedyAction,
    Role,
    StageOutcome,
    Status,
)
from intake.models import (
    Case,
    CaseEvent,
    CaseReason,
    CaseTeam,
    Correspondence,
    LearningAction,
    OmbudsmanEnquiry,
    StageAction,
    StageRecord,
)

ACKNOWLEDGE_HOW = ("automatic", "email", "phone", "letter")
CONVERTIBLE = (Kind.COMPLAINT, Kind.COMMENT, Kind.CASE_CONCERN)
RESPONSE_OUTCOMES = (
    StageOutcome.UPHELD,
    StageOutcome.PARTIALLY_UPHELD,
    StageOutcome.NOT_UPHELD,
    StageOutcome.WITHDRAWN,
    StageOutcome.NOT_PROGRESSING,
)


class WorkflowError(Exception):
    """The action is not allowed for this case now; the message says why, for staff."""


@dataclass(frozen=True)
class Deadlines:
    """The case's deadlines as they stand, each with its working."""

    acknowledge: Deadline | None
    respond: Deadline | None
    description: str
    held_working_days: int = 0


def _event(case: Case, event: str, actor: str, at: datetime, **detail: Any) -> None:
    case.events.append(CaseEvent(at=at, event=event, actor=actor, detail=detail))


def _session(case: Case) -> Session:
    """The session the case belongs to: messages it causes join the same transaction."""
    session = object_session(case)
    if session is None:
        raise RuntimeError("the case must belong to a session")
    return session


def current_stage(case: Case) -> StageRecord | None:
    return case.stages[-1] if case.stages else None


def deadlines(settings: CouncilSettings, case: Case) -> Deadlines:
    """Work the case's deadlines out from what it records, with every day accounted for."""
    calendar = settings.calendar()
    acknowledge = (
        calendar.add_working_days(case.received_on, case.acknowledge_within)
        if case.acknowledge_within is not None
        else None
    )
    held = case.held_working_days or 0
    stage = current_stage(case)
    if case.procedure and stage is not None:
        procedure = settings.procedures[Procedure(case.procedure)]
        timescale = procedure.stage(stage.stage) if stage.stage <= len(procedure.stages) else None
        days = (stage.extended_to_working_days or stage.respond_within) + held
        starts = stage.requested_on
        if timescale is not None and timescale.starts_from == "acknowledgement":
            if stage.stage == 1:
                if case.acknowledged_on is not None:
                    starts = case.acknowledged_on
                elif acknowledge is not None:
                    starts = acknowledge.due
                else:
                    starts = calendar.add_working_days(
                        case.received_on, settings.acknowledge_working_days
                    ).due
            else:
                starts = calendar.add_working_days(
                    stage.requested_on, settings.acknowledge_working_days
                ).due
        extended = " (extended)" if stage.extended_to_working_days else ""
        description = f"{case.procedure} procedure, stage {stage.stage} response{extended}"
        return Deadlines(acknowledge, calendar.add_working_days(starts, days), description, held)
    if case.respond_within is not None:
        respond = calendar.add_working_days(case.received_on, case.respond_within + held)
        return Deadlines(acknowledge, respond, f"reply to {with_article(Kind(case.kind))}", held)
    return Deadlines(acknowledge, None, "no reply due", held)


def recompute(settings: CouncilSettings, case: Case) -> None:
    """Set the case's stored deadlines from `deadlines()`, and the next one due."""
    worked = deadlines(settings, case)
    case.acknowledge_by = worked.acknowledge.due if worked.acknowledge else None
    stage = current_stage(case)
    if case.procedure and stage is not None and worked.respond is not None:
        stage.respond_by = worked.respond.due
        case.respond_by = None if stage.responded_on else stage.respond_by
    else:
        case.respond_by = (
            None if case.responded_on or worked.respond is None else worked.respond.due
        )
    set_next_deadline(case)


def set_next_deadline(case: Case) -> None:
    """The date the case's queue position and tag come from: the earliest thing owed."""
    owed = [case.respond_by]
    if case.acknowledged_on is None:
        owed.append(case.acknowledge_by)
    dates = [d for d in owed if d is not None]
    case.next_deadline = None if case.status == Status.CLOSED.value or not dates else min(dates)


def _open(case: Case, *, allow_on_hold: bool = False) -> None:
    if case.status == Status.CLOSED.value:
        raise WorkflowError("This case is closed. Reopen it first.")
    if case.status == Status.ON_HOLD.value and not allow_on_hold:
        raise WorkflowError("This case is on hold. Resume it first.")


def _complaint_stage(case: Case) -> StageRecord:
    stage = current_stage(case)
    if case.kind != Kind.COMPLAINT.value or not case.procedure or stage is None:
        raise WorkflowError("Only a complaint in a procedure has stages. Triage it first.")
    return stage


# Actions --------------------------------------------------------------------------------


def acknowledge(
    settings: CouncilSettings, case: Case, *, how: str, on: date, actor: str, at: datetime
) -> None:
    if how not in ACKNOWLEDGE_HOW:
        raise WorkflowError(
            "Choose how it was acknowledged: automatically, email, phone or letter."
        )
    if case.acknowledged_on is not None:
        raise WorkflowError(f"It was already acknowledged on {case.acknowledged_on:%-d %B %Y}.")
    if on < case.received_on:
        raise WorkflowError("It cannot be acknowledged before it was received.")
    case.acknowledged_on = on
    case.acknowledged_how = how
    # The service acknowledging by itself is not staff opening the case.
    if case.status == Status.NEW.value and how != "automatic":
        case.status = Status.OPEN.value
    for task in case.tasks:
        if task.task.startswith("acknowledge") and task.done_on is None:
            task.done_on = on
    _event(case, "acknowledged", actor, at, on=on.isoformat(), how=how)
    recompute(settings, case)


def triage(
    settings: CouncilSettings,
    case: Case,
    *,
    kind: Kind,
    procedure: Procedure | None,
    service_area: str | None,
    reasons: list[tuple[str, str | None]],
    on: date,
    actor: str,
    at: datetime,
) -> None:
    """Decide what the case is: its kind, procedure, service and reasons."""
    _open(case)
    if kind is Kind.COMPLAINT and procedure is None:
        raise WorkflowError("A complaint needs a procedure: statutory or corporate.")
    if kind is not Kind.COMPLAINT and procedure is not None:
        raise WorkflowError("Only a complaint follows a procedure.")
    if service_area and settings.service(service_area) is None:
        raise WorkflowError("Choose a service from the list.")
    for reason, sub in reasons:
        if not settings.reason(reason, sub):
            raise WorkflowError("Choose reasons from the council's list.")
    if any(s.responded_on for s in case.stages) and (
        procedure is None or procedure.value != case.procedure or kind.value != case.kind
    ):
        raise WorkflowError(
            "A stage has been answered: what it is and its procedure can no longer change."
        )
    _set_kind(settings, case, kind, procedure)
    case.service_area = service_area
    case.reasons = [CaseReason(reason=r, sub_reason=s) for r, s in reasons]
    case.triaged_on = on
    if case.status == Status.NEW.value:
        case.status = Status.OPEN.value
    _event(
        case,
        "triaged",
        actor,
        at,
        kind=kind.value,
        procedure=procedure.value if procedure else None,
        service_area=service_area,
        reasons=[f"{r}/{s}" if s else r for r, s in reasons],
    )
    recompute(settings, case)


def _set_kind(
    settings: CouncilSettings, case: Case, kind: Kind, procedure: Procedure | None
) -> None:
    case.kind = kind.value
    if procedure is None:
        case.procedure = None
        case.stage = None
        if not any(s.responded_on for s in case.stages):
            case.stages = []
        case.respond_within = settings.respond_working_days_for(kind)
        return
    changed = case.procedure != procedure.value or not case.stages
    case.procedure = procedure.value
    if changed:
        timescale = settings.procedures[procedure].stage(1)
        case.stage = 1
        # Stage 1 is updated in place: a new row would be inserted before the old one was
        # deleted, against the one-row-per-stage constraint.
        first = case.stages[0] if case.stages else StageRecord(stage=1)
        first.stage = 1
        first.procedure = procedure.value
        first.requested_on = case.received_on
        first.respond_within = timescale.respond_working_days
        first.respond_by = case.received_on
        first.extended_to_working_days = None
        first.extension_reason = None
        first.extended_on = None
        case.stages = [first]
        case.respond_within = timescale.respond_working_days


def convert(settings: CouncilSettings, case: Case, *, kind: Kind, actor: str, at: datetime) -> None:
    """Make a complaint a comment or a case concern, or the other way round."""
    _open(case)
    if kind not in CONVERTIBLE or case.kind not in {k.value for k in CONVERTIBLE}:
        raise WorkflowError("Only complaints, comments and case concerns can be converted.")
    if kind.value == case.kind:
        raise WorkflowError(f"It is already a {kind.value.replace('_', ' ')}.")
    if any(s.responded_on for s in case.stages):
        raise WorkflowError("A stage has been answered: it can no longer be converted.")
    procedure = (
        suggest_procedure(settings, kind, Role(case.complainant_role), case.service_area)
        if kind is Kind.COMPLAINT
        else None
    )
    before = case.kind
    _set_kind(settings, case, kind, procedure)
    _event(case, "converted", actor, at, kind=kind.value, was=before)
    recompute(settings, case)


def reroute(
    routing: RoutingSettings, case: Case, *, team: str, reason: str, actor: str, at: datetime
) -> None:
    """Move the case to another lead team, saying why."""
    target = routing.team(team)
    if target is None or not target.active:
        raise WorkflowError("Choose a team from the list.")
    if not reason.strip():
        raise WorkflowError("Say why the case is moving to another team.")
    if case.team == team:
        raise WorkflowError("The case is already with that team.")
    previous = case.team
    case.team = team
    case.teams = [m for m in case.teams if m.team != previous or not m.lead]
    for membership in case.teams:
        membership.lead = membership.team == team
    if not any(m.team == team for m in case.teams):
        case.teams.append(CaseTeam(team=team, lead=True))
    _event(case, "rerouted", actor, at, team=team, **{"from": previous}, reason=reason.strip())
    tell_team_of_case(_session(case), routing, case, at=at)


def involve(routing: RoutingSettings, case: Case, *, team: str, actor: str, at: datetime) -> None:
    """Another team contributes (the lead team still answers)."""
    target = routing.team(team)
    if target is None or not target.active:
        raise WorkflowError("Choose a team from the list.")
    if any(m.team == team for m in case.teams) or case.team == team:
        raise WorkflowError("That team already sees this case.")
    case.teams.append(CaseTeam(team=team, lead=False))
    _event(case, "team_involved", actor, at, team=team)


def refuse(
    settings: CouncilSettings,
    case: Case,
    *,
    reason: RefusalReason,
    on: date,
    actor: str,
    at: datetime,
) -> None:
    _open(case)
    stage = _complaint_stage(case)
    if stage.responded_on:
        raise WorkflowError("This stage has already been answered.")
    stage.outcome = StageOutcome.REFUSED.value
    stage.refusal_reason = reason.value
    stage.responded_on = on
    case.status = Status.CLOSED.value
    case.closed_on = on
    _event(case, "refused", actor, at, reason=reason.value, stage=stage.stage)
    recompute(settings, case)


def hold(case: Case, *, reason: str, on: date, actor: str, at: datetime) -> None:
    """Stop the clock (waiting for the complainant, or court proceedings, say)."""
    _open(case)
    if not reason.strip():
        raise WorkflowError("Say why the case is on hold.")
    case.status = Status.ON_HOLD.value
    case.on_hold_since = on
    _event(case, "on_hold", actor, at, on=on.isoformat(), reason=reason.strip())


def resume(settings: CouncilSettings, case: Case, *, on: date, actor: str, at: datetime) -> None:
    """Start the clock again: the deadlines move by the working days it stood still."""
    if case.status != Status.ON_HOLD.value or case.on_hold_since is None:
        raise WorkflowError("This case is not on hold.")
    if on < case.on_hold_since:
        raise WorkflowError("It cannot resume before it was put on hold.")
    held = settings.calendar().working_days_between(case.on_hold_since, on)
    case.held_working_days = (case.held_working_days or 0) + held
    stage = current_stage(case)
    if stage is not None:
        # Kept per stage too: the case's count starts again at each escalation.
        stage.held_working_days = (stage.held_working_days or 0) + held
    case.on_hold_since = None
    case.status = Status.OPEN.value
    _event(case, "resumed", actor, at, on=on.isoformat(), held_working_days=held)
    recompute(settings, case)


def extend(
    settings: CouncilSettings,
    case: Case,
    *,
    working_days: int,
    reason: str,
    on: date,
    actor: str,
    at: datetime,
) -> None:
    """Give the current stage longer, up to the procedure's limit, with a reason."""
    _open(case, allow_on_hold=True)
    stage = _complaint_stage(case)
    if stage.responded_on:
        raise WorkflowError("This stage has already been answered.")
    timescale = settings.procedures[Procedure(case.procedure or "")].stage(stage.stage)
    if timescale.extended_working_days is None:
        raise WorkflowError(f"Stage {stage.stage} of this procedure cannot be extended.")
    current = stage.extended_to_working_days or stage.respond_within
    if working_days <= current:
        raise WorkflowError(f"An extension must be longer than the {current} working days now.")
    if working_days > timescale.extended_working_days:
        raise WorkflowError(
            f"Stage {stage.stage} can be extended to {timescale.extended_working_days} "
            "working days at most."
        )
    if not reason.strip():
        raise WorkflowError("Say why more time is needed: the complainant must be told.")
    stage.extended_to_working_days = working_days
    stage.extension_reason = reason.strip()
    stage.extended_on = on
    _event(case, "extended", actor, at, stage=stage.stage, working_days=working_days)
    recompute(settings, case)
    # The complainant must be told the new date and why.
    owe_the_person(
        _session(case),
        settings,
        case,
        template="extension",
        key=f"extension:{case.id}:{stage.stage}:{working_days}",
        at=at,
        extra={"reason": stage.extension_reason},
    )


def respond(
    settings: CouncilSettings,
    case: Case,
    *,
    on: date,
    outcome: StageOutcome | None,
    actions: list[tuple[RemedyAction, Decimal | None]],
    actor: str,
    at: datetime,
) -> None:
    """Record the response: for a complaint, the stage's outcome and what was done."""
    _open(case)
    if case.triaged_on is None:
        raise WorkflowError("Triage the case before recording a response.")
    if on < case.received_on:
        raise WorkflowError("The response cannot be before the case was received.")
    if case.kind != Kind.COMPLAINT.value:
        if case.responded_on:
            raise WorkflowError("A reply has already been recorded.")
        case.responded_on = on
        _event(case, "responded", actor, at, on=on.isoformat())
        recompute(settings, case)
        return
    stage = _complaint_stage(case)
    if stage.responded_on:
        raise WorkflowError("This stage has already been answered.")
    if outcome not in RESPONSE_OUTCOMES:
        raise WorkflowError("Choose the outcome of the response.")
    if on < stage.requested_on:
        raise WorkflowError("The response cannot be before the stage began.")
    for action, amount in actions:
        if action is RemedyAction.FINANCIAL_REMEDY and (amount is None or amount <= 0):
            raise WorkflowError("Give the amount of the financial remedy.")
    stage.responded_on = on
    stage.outcome = outcome.value
    stage.actions = [StageAction(action=a.value, amount=amount) for a, amount in actions]
    _event(case, "responded", actor, at, stage=stage.stage, outcome=outcome.value)
    if outcome is StageOutcome.WITHDRAWN:
        case.status = Status.CLOSED.value
        case.closed_on = on
    recompute(settings, case)
    if outcome is not StageOutcome.WITHDRAWN:
        window = escalation_window(settings, case)
        owe_the_person(
            _session(case),
            settings,
            case,
            template="stage_response",
            key=f"stage_response:{case.id}:{stage.stage}",
            at=at,
            extra={
                "stage": stage.stage,
                "outcome": outcome.value,
                "next_stage_until": window.isoformat() if window else None,
            },
        )


def escalation_window(settings: CouncilSettings, case: Case) -> date | None:
    """The last day the complainant can ask for the next stage without a late reason."""
    stage = current_stage(case)
    if stage is None or stage.responded_on is None or not case.procedure:
        return None
    timescale = settings.procedures[Procedure(case.procedure)].stage(stage.stage)
    if timescale.request_next_within_working_days is None:
        return None
    return (
        settings.calendar()
        .add_working_days(stage.responded_on, timescale.request_next_within_working_days)
        .due
    )


def escalate(
    settings: CouncilSettings,
    case: Case,
    *,
    requested_on: date,
    late_reason: str,
    actor: str,
    at: datetime,
) -> None:
    """The complainant asks for the next stage."""
    stage = _complaint_stage(case)
    procedure = settings.procedures[Procedure(case.procedure or "")]
    following = stage.stage + 1
    if following > len(procedure.stages):
        raise WorkflowError(
            f"The {case.procedure} procedure has {len(procedure.stages)} stages: there is no "
            f"Stage {following}. The complainant can go to the Ombudsman."
        )
    if stage.responded_on is None:
        raise WorkflowError(f"Stage {stage.stage} has not been answered yet.")
    if stage.outcome in {StageOutcome.REFUSED.value, StageOutcome.WITHDRAWN.value}:
        raise WorkflowError(f"Stage {stage.stage} was {stage.outcome}: it cannot be escalated.")
    if requested_on < stage.responded_on:
        raise WorkflowError("The request cannot be before the response it follows.")
    window = escalation_window(settings, case)
    late = window is not None and requested_on > window
    if late and not late_reason.strip():
        raise WorkflowError(
            f"The request came after {window:%-d %B %Y}, the end of the 20 working days: "
            "record why it is being accepted late."
        )
    timescale = procedure.stage(following)
    case.stages.append(
        StageRecord(
            stage=following,
            procedure=case.procedure or "",
            requested_on=requested_on,
            late_request_reason=late_reason.strip() or None,
            respond_within=timescale.respond_working_days,
            respond_by=requested_on,
        )
    )
    case.stage = following
    case.status = Status.OPEN.value
    case.closed_on = None
    case.on_hold_since = None
    case.held_working_days = 0
    _event(case, "escalated", actor, at, stage=following, late=late)
    recompute(settings, case)


def record_panel(
    case: Case, *, convened_on: date | None, report_on: date | None, actor: str, at: datetime
) -> None:
    stage = _complaint_stage(case)
    if stage.stage != 3:
        raise WorkflowError("Panel dates belong to Stage 3, the review panel.")
    if convened_on and report_on and report_on < convened_on:
        raise WorkflowError("The panel's report cannot come before the panel met.")
    stage.panel_convened_on = convened_on
    stage.panel_report_on = report_on
    _event(
        case,
        "panel_dates",
        actor,
        at,
        convened_on=convened_on.isoformat() if convened_on else None,
        report_on=report_on.isoformat() if report_on else None,
    )


def record_ombudsman(
    case: Case,
    *,
    received_on: date,
    ombudsman_reference: str | None,
    decided_on: date | None,
    decision: OmbudsmanDecision | None,
    remedy: str | None,
    remedy_amount: Decimal | None,
    actor: str,
    at: datetime,
) -> OmbudsmanEnquiry:
    if decided_on and decided_on < received_on:
        raise WorkflowError("The decision cannot come before the enquiry.")
    if decision is None and decided_on is not None:
        raise WorkflowError("Choose the Ombudsman's decision for the decision date.")
    enquiry = case.ombudsman_enquiries[-1] if case.ombudsman_enquiries else None
    if enquiry is None or enquiry.decision is not None:
        enquiry = OmbudsmanEnquiry(received_on=received_on)
        case.ombudsman_enquiries.append(enquiry)
    enquiry.received_on = received_on
    enquiry.ombudsman_reference = ombudsman_reference
    enquiry.decided_on = decided_on
    enquiry.decision = decision.value if decision else None
    enquiry.remedy = remedy
    enquiry.remedy_amount = remedy_amount
    _event(
        case,
        "ombudsman",
        actor,
        at,
        received_on=received_on.isoformat(),
        decision=decision.value if decision else None,
    )
    return enquiry


def add_learning(
    case: Case,
    *,
    issue: str,
    action: str,
    owner: str,
    due_on: date | None,
    actor: str,
    at: datetime,
) -> LearningAction:
    if not issue.strip() or not action.strip() or not owner.strip():
        raise WorkflowError("Give the issue, the action and who owns it.")
    learning = LearningAction(
        issue=issue.strip(),
        action=action.strip(),
        owner=owner.strip(),
        agreed_on=local_date(at),
        due_on=due_on,
        status=LearningStatus.AGREED.value,
    )
    case.learning_actions.append(learning)
    _event(case, "learning_action", actor, at, due_on=due_on.isoformat() if due_on else None)
    return learning


def complete_learning(
    case: Case, learning: LearningAction, *, on: date, actor: str, at: datetime
) -> None:
    if learning.status == LearningStatus.DONE.value:
        raise WorkflowError("That learning action is already done.")
    learning.status = LearningStatus.DONE.value
    learning.done_on = on
    _event(case, "learning_done", actor, at, on=on.isoformat())


def add_correspondence(
    case: Case,
    *,
    on: date,
    direction: str,
    method: Method,
    summary: str,
    actor: str,
    at: datetime,
) -> Correspondence:
    if direction not in {"in", "out"}:
        raise WorkflowError("Say whether it was received or sent.")
    if not summary.strip():
        raise WorkflowError("Summarise the correspondence.")
    entry = Correspondence(
        on=on, direction=direction, method=method.value, summary=summary.strip(), recorded_by=actor
    )
    case.correspondence.append(entry)
    _event(case, "correspondence", actor, at, direction=direction, method=method.value)
    return entry


def withdraw(settings: CouncilSettings, case: Case, *, on: date, actor: str, at: datetime) -> None:
    """The complainant withdraws: the current stage's outcome, and the case closes."""
    _open(case, allow_on_hold=True)
    stage = current_stage(case)
    if stage is not None and not stage.responded_on:
        stage.responded_on = on
        stage.outcome = StageOutcome.WITHDRAWN.value
    case.status = Status.CLOSED.value
    case.closed_on = on
    case.on_hold_since = None
    _event(case, "withdrawn", actor, at, on=on.isoformat())
    recompute(settings, case)


def close(case: Case, *, on: date, actor: str, at: datetime) -> None:
    if case.status == Status.CLOSED.value:
        raise WorkflowError("This case is already closed.")
    stage = current_stage(case)
    if case.kind == Kind.COMPLAINT.value and stage is not None and not stage.responded_on:
        raise WorkflowError(
            f"Stage {stage.stage} has not been answered: record the response, or a "
            "withdrawal or refusal, first."
        )
    case.status = Status.CLOSED.value
    case.closed_on = on
    case.on_hold_since = None
    set_next_deadline(case)
    _event(case, "closed", actor, at, on=on.isoformat())


def reopen(case: Case, *, reason: str, actor: str, at: datetime) -> None:
    if case.status != Status.CLOSED.value:
        raise WorkflowError("Only a closed case can be reopened.")
    if not reason.strip():
        raise WorkflowError("Say why the case is being reopened.")
    case.status = Status.OPEN.value
    case.closed_on = None
    set_next_deadline(case)
    _event(case, "reopened", actor, at, reason=reason.strip())
