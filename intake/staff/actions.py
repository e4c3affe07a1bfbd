"""Every action on a case page: its title, its form, when it is offered, what it does.

Each is a thin adapter from a form to a function in `intake.casework.workflow`, which
decides whether it is allowed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import lazy_gettext as _l

from forms.choices import language_name
from forms.fields import choice
from forms.staff import (
    AcknowledgeForm,
    CaseActionForm,
    ConvertForm,
    CorrespondenceForm,
    DateOnlyForm,
    EscalateForm,
    ExtendForm,
    HoldForm,
    InvolveForm,
    LearningForm,
    OmbudsmanForm,
    PanelForm,
    RefuseForm,
    ReopenForm,
    RerouteForm,
    RespondForm,
    TriageForm,
)
from intake.casework import workflow
from intake.casework.council import CouncilSettings, localise
from intake.casework.routing import RoutingSettings
from intake.casework.vocabulary import (
    Kind,
    Method,
    OmbudsmanDecision,
    Procedure,
    RefusalReason,
    RemedyAction,
    StageOutcome,
    Status,
)
from intake.casework.workflow import WorkflowError, current_stage
from intake.models import Case


@dataclass(frozen=True)
class Context:
    settings: CouncilSettings
    routing: RoutingSettings
    actor: str
    at: datetime
    today: date


@dataclass(frozen=True)
class Action:
    title: Any
    form: Callable[[Context, Case], CaseActionForm]
    offered: Callable[[Case], bool]
    apply: Callable[[Context, Case, Any], None]


def _extend_form(context: Context, case: Case) -> CaseActionForm:
    """The reason goes word for word into the notice the person gets in their language:
    staff are told which, so a Welsh speaker's notice is not half in English."""
    form = ExtendForm()
    if case.language != "en":
        form.reason.description = _l(
            "The complainant is sent this as you write it. Write it in %(language)s.",
            language=language_name(case.language),
        )
    return form


def _open(case: Case) -> bool:
    return case.status not in {Status.CLOSED.value, Status.ON_HOLD.value}


def _in_stage(case: Case) -> bool:
    stage = current_stage(case)
    return case.kind == Kind.COMPLAINT.value and stage is not None


def _unanswered(case: Case) -> bool:
    stage = current_stage(case)
    return _in_stage(case) and stage is not None and not stage.responded_on


def _money(text: str | None) -> Decimal | None:
    if not text:
        return None
    try:
        amount = Decimal(text.replace("£", "").replace(",", "").strip())
    except InvalidOperation:
        raise WorkflowError("Enter the amount in pounds, like 250 or 250.00") from None
    if amount < 0 or amount > Decimal("1000000"):
        raise WorkflowError("Enter an amount between 0 and 1,000,000 pounds")
    return amount.quantize(Decimal("0.01"))


def _triage_form(context: Context, case: Case) -> CaseActionForm:
    form = TriageForm()
    form.service_area.choices = [
        choice(s.key, localise(s.name, "en")) for s in context.settings.services
    ]
    form.reasons.choices = [
        choice(f"{group.key}/{sub.key}", f"{group.name}: {sub.name}")
        for group in context.settings.reasons
        for sub in group.sub
    ]
    if not form.is_submitted():
        form.kind.data = case.kind
        form.procedure.data = case.procedure or "none"
        form.service_area.data = case.service_area
        form.reasons.data = [f"{r.reason}/{r.sub_reason}" for r in case.reasons]
    return form


def _apply_triage(context: Context, case: Case, form: Any) -> None:
    procedure = None if form.procedure.data == "none" else Procedure(form.procedure.data)
    reasons = []
    for value in form.reasons.data or []:
        reason, _, sub = value.partition("/")
        reasons.append((reason, sub or None))
    workflow.triage(
        context.settings,
        case,
        kind=Kind(form.kind.data),
        procedure=procedure,
        service_area=form.service_area.data or None,
        reasons=reasons,
        on=context.today,
        actor=context.actor,
        at=context.at,
    )


def _team_form(form_class: type[CaseActionForm]) -> Callable[[Context, Case], CaseActionForm]:
    def build(context: Context, case: Case) -> CaseActionForm:
        form = form_class()
        form.team.choices = [  # type: ignore[attr-defined]
            choice(t.key, t.name) for t in context.routing.teams if t.active
        ]
        return form

    return build


def _simple(form_class: type[CaseActionForm]) -> Callable[[Context, Case], CaseActionForm]:
    def build(context: Context, case: Case) -> CaseActionForm:
        return form_class()

    return build


def _apply_respond(context: Context, case: Case, form: Any) -> None:
    amount = _money(form.amount.data)
    actions = [
        (RemedyAction(a), amount if a == RemedyAction.FINANCIAL_REMEDY.value else None)
        for a in form.actions.data or []
    ]
    outcome = StageOutcome(form.outcome.data) if form.outcome.data else None
    if case.kind == Kind.COMPLAINT.value and outcome is None:
        raise WorkflowError("Select the outcome")
    workflow.respond(
        context.settings,
        case,
        on=form.on.data,
        outcome=outcome,
        actions=actions,
        actor=context.actor,
        at=context.at,
    )


def _apply_ombudsman(context: Context, case: Case, form: Any) -> None:
    workflow.record_ombudsman(
        case,
        received_on=form.received_on.data,
        ombudsman_reference=form.ombudsman_reference.data or None,
        decided_on=form.decided_on.data,
        decision=OmbudsmanDecision(form.decision.data) if form.decision.data else None,
        remedy=form.remedy.data or None,
        remedy_amount=_money(form.remedy_amount.data),
        actor=context.actor,
        at=context.at,
    )


def _learning_done(context: Context, case: Case, form: Any) -> None:
    waiting = [la for la in case.learning_actions if la.status != "done"]
    if not waiting:
        raise WorkflowError("There is no learning action waiting to be done.")
    workflow.complete_learning(
        case, waiting[0], on=form.on.data, actor=context.actor, at=context.at
    )


ACTIONS: dict[str, Action] = {
    "acknowledge": Action(
        _l("Record the acknowledgement"),
        _simple(AcknowledgeForm),
        lambda c: c.acknowledged_on is None and c.status != Status.CLOSED.value,
        lambda x, c, f: workflow.acknowledge(
            x.settings, c, how=f.how.data, on=f.on.data, actor=x.actor, at=x.at
        ),
    ),
    "triage": Action(_l("Triage"), _triage_form, _open, _apply_triage),
    "reroute": Action(
        _l("Move to another team"),
        _team_form(RerouteForm),
        lambda c: c.status != Status.CLOSED.value,
        lambda x, c, f: workflow.reroute(
            x.routing, c, team=f.team.data, reason=f.reason.data, actor=x.actor, at=x.at
        ),
    ),
    "involve": Action(
        _l("Involve another team"),
        _team_form(InvolveForm),
        lambda c: c.status != Status.CLOSED.value,
        lambda x, c, f: workflow.involve(x.routing, c, team=f.team.data, actor=x.actor, at=x.at),
    ),
    "convert": Action(
        _l("Convert to a complaint, comment or case concern"),
        _simple(ConvertForm),
        lambda c: _open(c) and c.kind in {"complaint", "comment", "case_concern"},
        lambda x, c, f: workflow.convert(
            x.settings, c, kind=Kind(f.kind.data), actor=x.actor, at=x.at
        ),
    ),
    "refuse": Action(
        _l("Refuse"),
        _simple(RefuseForm),
        lambda c: _open(c) and _unanswered(c),
        lambda x, c, f: workflow.refuse(
            x.settings,
            c,
            reason=RefusalReason(f.reason.data),
            on=f.on.data,
            actor=x.actor,
            at=x.at,
        ),
    ),
    "hold": Action(
        _l("Put on hold"),
        _simple(HoldForm),
        _open,
        lambda x, c, f: workflow.hold(
            c, reason=f.reason.data, on=f.on.data, actor=x.actor, at=x.at
        ),
    ),
    "resume": Action(
        _l("Resume (start the clock again)"),
        _simple(DateOnlyForm),
        lambda c: c.status == Status.ON_HOLD.value,
        lambda x, c, f: workflow.resume(x.settings, c, on=f.on.data, actor=x.actor, at=x.at),
    ),
    "extend": Action(
        _l("Extend the stage"),
        _extend_form,
        lambda c: c.status != Status.CLOSED.value and _unanswered(c),
        lambda x, c, f: workflow.extend(
            x.settings,
            c,
            working_days=f.working_days.data,
            reason=f.reason.data,
            on=f.on.data,
            actor=x.actor,
            at=x.at,
        ),
    ),
    "respond": Action(
        _l("Record the response"),
        _simple(RespondForm),
        lambda c: _open(c) and (_unanswered(c) or (c.kind != "complaint" and not c.responded_on)),
        _apply_respond,
    ),
    "escalate": Action(
        _l("Escalate to the next stage"),
        _simple(EscalateForm),
        lambda c: _in_stage(c) and not _unanswered(c),
        lambda x, c, f: workflow.escalate(
            x.settings,
            c,
            requested_on=f.requested_on.data,
            late_reason=f.late_reason.data or "",
            actor=x.actor,
            at=x.at,
        ),
    ),
    "panel": Action(
        _l("Record the review panel's dates"),
        _simple(PanelForm),
        lambda c: _in_stage(c) and c.stage == 3,
        lambda x, c, f: workflow.record_panel(
            c, convened_on=f.convened_on.data, report_on=f.report_on.data, actor=x.actor, at=x.at
        ),
    ),
    "ombudsman": Action(
        _l("Record an Ombudsman enquiry or decision"),
        _simple(OmbudsmanForm),
        lambda c: c.kind == Kind.COMPLAINT.value,
        _apply_ombudsman,
    ),
    "learning": Action(
        _l("Add a learning action"),
        _simple(LearningForm),
        lambda c: True,
        lambda x, c, f: workflow.add_learning(
            c,
            issue=f.issue.data,
            action=f.action.data,
            owner=f.owner.data,
            due_on=f.due_on.data,
            actor=x.actor,
            at=x.at,
        ),
    ),
    "learning-done": Action(
        _l("Mark the oldest open learning action done"),
        _simple(DateOnlyForm),
        lambda c: any(la.status != "done" for la in c.learning_actions),
        _learning_done,
    ),
    "correspondence": Action(
        _l("Add correspondence"),
        _simple(CorrespondenceForm),
        lambda c: True,
        lambda x, c, f: workflow.add_correspondence(
            c,
            on=f.on.data,
            direction=f.direction.data,
            method=Method(f.method.data),
            summary=f.summary.data,
            actor=x.actor,
            at=x.at,
        ),
    ),
    "withdraw": Action(
        _l("Record a withdrawal"),
        _simple(DateOnlyForm),
        lambda c: c.status != Status.CLOSED.value,
        lambda x, c, f: workflow.withdraw(x.settings, c, on=f.on.data, actor=x.actor, at=x.at),
    ),
    "close": Action(
        _l("Close"),
        _simple(DateOnlyForm),
        # Offered while open; if a stage is unanswered the workflow says what to do first.
        lambda c: c.status != Status.CLOSED.value,
        lambda x, c, f: workflow.close(c, on=f.on.data, actor=x.actor, at=x.at),
    ),
    "reopen": Action(
        _l("Reopen"),
        _simple(ReopenForm),
        lambda c: c.status == Status.CLOSED.value,
        lambda x, c, f: workflow.reopen(c, reason=f.reason.data, actor=x.actor, at=x.at),
    ),
}
