"""Which procedure a case follows, and the deadlines its configuration gives it.

The timescales themselves are the council's configuration (`CouncilSettings`); this
module only decides which of them applies and counts them on the one working-day
calendar.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from intake.casework.calendar import Deadline
from intake.casework.council import CouncilSettings
from intake.casework.vocabulary import Kind, Procedure, Role


def suggest_procedure(
    settings: CouncilSettings, kind: Kind, role: Role, service_area: str | None
) -> Procedure | None:
    """The procedure a new complaint most likely follows; triage can change it.

    Statutory when the person may complain under the children's regulations about a
    social care service (an unknown service is treated as social care, so nobody loses
    the stronger procedure for not knowing a team's name); corporate otherwise. Only
    complaints follow a procedure.
    """
    if kind is not Kind.COMPLAINT:
        return None
    statutory = settings.procedures[Procedure.STATUTORY]
    service = settings.service(service_area) if service_area else None
    about_social_care = service is None or service.social_care
    if role in statutory.eligible_roles and about_social_care:
        return Procedure.STATUTORY
    return Procedure.CORPORATE


@dataclass(frozen=True)
class ResponseRule:
    working_days: int
    starts_from: str  # "receipt" or "acknowledgement"
    description: str


def response_rule(
    settings: CouncilSettings, kind: Kind, procedure: Procedure | None, stage: int | None
) -> ResponseRule | None:
    """How long the council has to answer, or None when no answer is due (a compliment)."""
    if procedure is not None and stage is not None:
        timescale = settings.procedures[procedure].stage(stage)
        return ResponseRule(
            timescale.respond_working_days,
            timescale.starts_from,
            f"{procedure.value} procedure, stage {stage} response",
        )
    days = settings.respond_working_days_for(kind)
    if days is None:
        return None
    return ResponseRule(days, "receipt", f"reply to {with_article(kind)}")


_WITH_ARTICLE = {
    Kind.COMMENT: "a comment",
    Kind.CASE_CONCERN: "a case concern",
    Kind.ADVOCACY_REQUEST: "an advocacy request",
    Kind.PRE_COMPLAINT: "a pre-complaint",
    Kind.MEMBERS_ENQUIRY: "a members' enquiry",
    Kind.COMPLIMENT: "a compliment",
    Kind.COMPLAINT: "a complaint",
}


def with_article(kind: Kind) -> str:
    """The kind in a sentence: "an advocacy request", "a comment"."""
    return _WITH_ARTICLE.get(kind, kind.value.replace("_", " "))


@dataclass(frozen=True)
class CaseDeadlines:
    acknowledge: Deadline | None
    respond: Deadline | None
    respond_rule: ResponseRule | None


def plan_deadlines(
    settings: CouncilSettings,
    *,
    kind: Kind,
    procedure: Procedure | None,
    stage: int | None,
    received_on: date,
    wants_reply: bool,
    acknowledged_on: date | None = None,
    respond_within: int | None = None,
) -> CaseDeadlines:
    """Work out when a case must be acknowledged and answered.

    A person who asked for no reply gets no acknowledgement, but the council still owes
    itself an answer date for a comment. When the response runs from acknowledgement and
    the case is not yet acknowledged, the latest allowed acknowledgement date is used, so
    the date given is one the council can always keep. `respond_within` overrides the
    configured timescale (an extension, or a timescale fixed when the case arrived).
    """
    calendar = settings.calendar()
    acknowledge = (
        calendar.add_working_days(received_on, settings.acknowledge_working_days)
        if wants_reply
        else None
    )
    rule = response_rule(settings, kind, procedure, stage)
    if rule is None:
        return CaseDeadlines(acknowledge, None, None)
    if respond_within is not None:
        rule = ResponseRule(respond_within, rule.starts_from, rule.description)
    starts = received_on
    if rule.starts_from == "acknowledgement":
        if acknowledged_on is not None:
            starts = acknowledged_on
        elif acknowledge is not None:
            starts = acknowledge.due
        else:
            starts = calendar.add_working_days(received_on, settings.acknowledge_working_days).due
    return CaseDeadlines(acknowledge, calendar.add_working_days(starts, rule.working_days), rule)
