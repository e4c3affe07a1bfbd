"""A case through its stages: every staff action, what it changes, and what it refuses.

Cases are made by `receive_case` with the shipped routing, as every channel makes them.
Dates are worked out by hand in the comments, on the shipped calendar (England's bank
holidays, and the council's closures on 29, 30 and 31 December 2026):

    December 2026                January 2027             March / April / May 2027
    Thu 17  Fri 18               Fri  1 New Year's Day    Fri 26 Mar Good Friday
    Mon 21 .. Thu 24             Mon  4 .. Fri 8          Mon 29 Mar Easter Monday
    Fri 25  Christmas Day        Mon 11 .. Fri 15         Mon  3 May May Day
    Mon 28  Boxing Day (observed)                         Mon 31 May Spring bank holiday
    Tue 29, Wed 30, Thu 31: council closed

A deadline of N working days is the Nth working day after the day it starts from.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from intake.casework.vocabulary import (
    Kind,
    Method,
    OmbudsmanDecision,
    Procedure,
    RefusalReason,
    RemedyAction,
    Role,
    StageOutcome,
    Status,
)
from intake.casework.workflow import (
    WorkflowError,
    acknowledge,
    add_correspondence,
    add_learning,
    close,
    complete_learning,
    convert,
    deadlines,
    escalate,
    escalation_window,
    extend,
    hold,
    involve,
    record_ombudsman,
    record_panel,
    refuse,
    reopen,
    reroute,
    respond,
    resume,
    triage,
    withdraw,
)
from intake.extensions import db
from intake.models import Case, CaseTeam, StageRecord
from tests.casework.staffside import (
    OFFICER,
    events,
    last_event,
    new_case,
    shipped_routing_with,
)
from tests.support import london

AT = london(2026, 11, 23, 11)
MONDAY_23_NOV = date(2026, 11, 23)


@pytest.fixture
def routing(app):
    return app.extensions["intake.routing"]


def save() -> None:
    """Commit, as the staff pages do after each action, so the database has its say too."""
    db.session.commit()


def refused(message: str):
    """Expect a WorkflowError whose message is exactly `message`."""
    return pytest.raises(WorkflowError, match=f"^{re.escape(message)}$")


def do_triage(settings, case, *, procedure=Procedure.STATUTORY, kind=Kind.COMPLAINT, on=None):
    triage(
        settings,
        case,
        kind=kind,
        procedure=procedure,
        service_area=case.service_area,
        reasons=[("communication", "not_kept_informed")],
        on=on or case.received_on,
        actor=OFFICER,
        at=AT,
    )


def do_respond(settings, case, on, outcome=StageOutcome.NOT_UPHELD, actions=()):
    respond(settings, case, on=on, outcome=outcome, actions=list(actions), actor=OFFICER, at=AT)


def stage_rows(case: Case) -> list[tuple[int, str]]:
    rows = db.session.scalars(
        select(StageRecord).where(StageRecord.case_id == case.id).order_by(StageRecord.stage)
    ).all()
    return [(row.stage, row.procedure) for row in rows]


def team_rows(case: Case) -> list[tuple[str, bool]]:
    rows = db.session.scalars(
        select(CaseTeam).where(CaseTeam.case_id == case.id).order_by(CaseTeam.team)
    ).all()
    return [(row.team, row.lead) for row in rows]


# --- a statutory complaint, from receipt to the Ombudsman --------------------------------


def test_a_statutory_complaint_through_three_stages_and_the_ombudsman(app, clock, settings):
    # Received on Thursday 17 December 2026, from a parent, about a child in care.
    case = new_case(london(2026, 12, 17, 10), service_area="children_in_care")
    assert (case.kind, case.procedure, case.stage, case.team) == (
        "complaint",
        "statutory",
        1,
        "children_in_care",
    )
    assert case.received_on == date(2026, 12, 17)
    # Acknowledge within 2 working days: Fri 18 (1), Mon 21 (2) -> Monday 21 December.
    assert case.acknowledge_by == date(2026, 12, 21)
    # Stage 1 within 10 working days: Fri 18 (1), Mon 21 .. Thu 24 (2-5); Christmas Day,
    # the weekend, Boxing Day observed, the three closure days, New Year's Day and the next
    # weekend are skipped; Mon 4 .. Fri 8 January (6-10) -> Friday 8 January 2027.
    assert case.respond_by == date(2027, 1, 8)
    assert case.stages[0].respond_by == date(2027, 1, 8)
    assert case.next_deadline == date(2026, 12, 21)
    worked = deadlines(settings, case)
    assert worked.respond.due == date(2027, 1, 8)
    assert [(s.day, s.reason) for s in worked.respond.skipped] == [
        (date(2026, 12, 19), "Saturday"),
        (date(2026, 12, 20), "Sunday"),
        (date(2026, 12, 25), "bank holiday (Christmas Day)"),
        (date(2026, 12, 26), "Saturday"),
        (date(2026, 12, 27), "Sunday"),
        (date(2026, 12, 28), "bank holiday (Boxing Day (observed))"),
        (
            date(2026, 12, 29),
            "council closure (Council offices closed between Christmas and New Year)",
        ),
        (
            date(2026, 12, 30),
            "council closure (Council offices closed between Christmas and New Year)",
        ),
        (
            date(2026, 12, 31),
            "council closure (Council offices closed between Christmas and New Year)",
        ),
        (date(2027, 1, 1), "bank holiday (New Year's Day)"),
        (date(2027, 1, 2), "Saturday"),
        (date(2027, 1, 3), "Sunday"),
    ]
    assert worked.description == "statutory procedure, stage 1 response"

    # Acknowledged by email on Friday 18 December: the next thing owed is the response.
    acknowledge(settings, case, how="email", on=date(2026, 12, 18), actor=OFFICER, at=AT)
    save()
    assert case.status == Status.OPEN.value
    assert case.next_deadline == date(2027, 1, 8)

    # No response can be recorded before triage.
    with refused("Triage the case before recording a response."):
        do_respond(settings, case, date(2026, 12, 23))

    # Triaged on Monday 21 December: the Stage 1 date does not move.
    do_triage(settings, case, on=date(2026, 12, 21))
    save()
    assert case.respond_by == date(2027, 1, 8)

    # Nobody can ask for Stage 2 before Stage 1 is answered.
    with refused("Stage 1 has not been answered yet."):
        escalate(
            settings, case, requested_on=date(2026, 12, 22), late_reason="", actor=OFFICER, at=AT
        )

    # Stage 1 answered on Wednesday 23 December, partly upheld, with an apology.
    do_respond(
        settings,
        case,
        date(2026, 12, 23),
        StageOutcome.PARTIALLY_UPHELD,
        [(RemedyAction.APOLOGY, None), (RemedyAction.EXPLANATION, None)],
    )
    save()
    assert case.stages[0].responded_on == date(2026, 12, 23)
    assert case.stages[0].outcome == "partially_upheld"
    assert [a.action for a in case.stages[0].actions] == ["apology", "explanation"]
    assert case.respond_by is None
    assert case.next_deadline is None
    assert case.status == Status.OPEN.value
    # The complainant has 20 working days to ask for Stage 2: Thu 24 Dec (1); 25 Dec to
    # 3 Jan skipped; Mon 4 .. Fri 8 Jan (2-6), 11-15 (7-11), 18-22 (12-16), Mon 25 (17),
    # Tue 26 (18), Wed 27 (19), Thu 28 (20) -> Thursday 28 January 2027 (on weekdays alone
    # it would have been 20 January).
    assert escalation_window(settings, case) == date(2027, 1, 28)

    # A request dated before the response it follows is refused.
    with refused("The request cannot be before the response it follows."):
        escalate(
            settings, case, requested_on=date(2026, 12, 22), late_reason="", actor=OFFICER, at=AT
        )

    # Stage 2 asked for on Thursday 28 January, the last day of the window: not late.
    escalate(settings, case, requested_on=date(2027, 1, 28), late_reason="", actor=OFFICER, at=AT)
    save()
    assert case.stage == 2
    assert last_event(case).event == "escalated"
    assert last_event(case).detail == {"stage": 2, "late": False}
    assert case.stages[1].late_request_reason is None
    # Stage 2 within 25 working days of the request: Fri 29 Jan (1), Feb 1-5 (2-6),
    # 8-12 (7-11), 15-19 (12-16), 22-26 (17-21), Mon 1 (22) .. Thu 4 Mar (25)
    # -> Thursday 4 March 2027.
    assert case.stages[1].requested_on == date(2027, 1, 28)
    assert case.stages[1].respond_within == 25
    assert case.respond_by == date(2027, 3, 4)
    assert case.next_deadline == date(2027, 3, 4)

    # Extended on Monday 1 March: not past 65 working days, ...
    with refused("Stage 2 can be extended to 65 working days at most."):
        extend(
            settings,
            case,
            working_days=66,
            reason="Three former workers to interview",
            on=date(2027, 3, 1),
            actor=OFFICER,
            at=AT,
        )
    # ... to 65 working days from 28 January: Fri 29 Jan (1), February (2-21), Mon 1 ..
    # Thu 25 Mar (22-40); Good Friday, the weekend and Easter Monday skipped; Tue 30 Mar ..
    # Fri 2 Apr (41-44), Apr 5-9 (45-49), 12-16 (50-54), 19-23 (55-59), 26-30 (60-64);
    # the weekend and May Day skipped; Tue 4 May (65) -> Tuesday 4 May 2027.
    extend(
        settings,
        case,
        working_days=65,
        reason="Three former workers to interview",
        on=date(2027, 3, 1),
        actor=OFFICER,
        at=AT,
    )
    save()
    assert case.stages[1].extended_to_working_days == 65
    assert case.stages[1].extended_on == date(2027, 3, 1)
    assert case.respond_by == date(2027, 5, 4)
    assert (
        deadlines(settings, case).description == "statutory procedure, stage 2 response (extended)"
    )

    # Stage 2 answered on Wednesday 24 March: upheld, with £250 and a new worker.
    do_respond(
        settings,
        case,
        date(2027, 3, 24),
        StageOutcome.UPHELD,
        [(RemedyAction.FINANCIAL_REMEDY, Decimal("250.00")), (RemedyAction.CHANGE_OF_WORKER, None)],
    )
    save()
    assert [(a.action, a.amount) for a in case.stages[1].actions] == [
        ("financial_remedy", Decimal("250.00")),
        ("change_of_worker", None),
    ]
    # 20 working days to ask for Stage 3: Thu 25 Mar (1); Good Friday, the weekend and
    # Easter Monday skipped; Tue 30 Mar (2) .. Fri 2 Apr (5), Apr 5-9 (6-10), 12-16
    # (11-15), 19-23 (16-20) -> Friday 23 April 2027.
    assert escalation_window(settings, case) == date(2027, 4, 23)

    # Asked for on Monday 26 April: late, so a reason must be recorded.
    with refused(
        "The request came after 23 April 2027, the end of the 20 working days: record why "
        "it is being accepted late."
    ):
        escalate(
            settings, case, requested_on=date(2027, 4, 26), late_reason="  ", actor=OFFICER, at=AT
        )
    escalate(
        settings,
        case,
        requested_on=date(2027, 4, 26),
        late_reason="The complainant was in hospital in April.",
        actor=OFFICER,
        at=AT,
    )
    save()
    assert case.stage == 3
    assert case.stages[2].late_request_reason == "The complainant was in hospital in April."
    assert last_event(case).detail == {"stage": 3, "late": True}
    # The panel within 30 working days: Tue 27 .. Fri 30 Apr (1-4); May Day skipped;
    # May 4-7 (5-8), 10-14 (9-13), 17-21 (14-18), 24-28 (19-23); Spring bank holiday
    # skipped; Tue 1 .. Fri 4 Jun (24-27), Mon 7 (28), Tue 8 (29), Wed 9 (30)
    # -> Wednesday 9 June 2027.
    assert case.respond_by == date(2027, 6, 9)
    with refused("Stage 3 of this procedure cannot be extended."):
        extend(
            settings,
            case,
            working_days=40,
            reason="Panel members away",
            on=date(2027, 5, 4),
            actor=OFFICER,
            at=AT,
        )

    # The panel met on Monday 7 June and reported on Friday 11 June (within 5 working days).
    with refused("The panel's report cannot come before the panel met."):
        record_panel(
            case,
            convened_on=date(2027, 6, 7),
            report_on=date(2027, 6, 4),
            actor=OFFICER,
            at=AT,
        )
    record_panel(
        case, convened_on=date(2027, 6, 7), report_on=date(2027, 6, 11), actor=OFFICER, at=AT
    )
    save()
    assert (case.stages[2].panel_convened_on, case.stages[2].panel_report_on) == (
        date(2027, 6, 7),
        date(2027, 6, 11),
    )
    assert last_event(case).detail == {"convened_on": "2027-06-07", "report_on": "2027-06-11"}
    # The Director's response within 15 working days of the report: Jun 14-18 (1-5),
    # 21-25 (6-10), Mon 28 Jun .. Fri 2 Jul (11-15) -> Friday 2 July 2027.
    do_respond(settings, case, date(2027, 7, 2), StageOutcome.NOT_UPHELD)
    save()
    assert case.stages[2].responded_on == date(2027, 7, 2)
    assert case.next_deadline is None
    assert escalation_window(settings, case) is None

    with refused(
        "The statutory procedure has 3 stages: there is no Stage 4. The complainant can go "
        "to the Ombudsman."
    ):
        escalate(
            settings, case, requested_on=date(2027, 7, 5), late_reason="", actor=OFFICER, at=AT
        )

    close(case, on=date(2027, 7, 2), actor=OFFICER, at=AT)
    save()
    assert case.status == Status.CLOSED.value
    assert case.closed_on == date(2027, 7, 2)

    # The Ombudsman's enquiry arrives on Monday 6 September 2027, and is decided on
    # Friday 3 December 2027.
    with refused("The decision cannot come before the enquiry."):
        record_ombudsman(
            case,
            received_on=date(2027, 9, 6),
            ombudsman_reference="27 004 321",
            decided_on=date(2027, 9, 3),
            decision=OmbudsmanDecision.NO_FAULT,
            remedy=None,
            remedy_amount=None,
            actor=OFFICER,
            at=AT,
        )
    with refused("Choose the Ombudsman's decision for the decision date."):
        record_ombudsman(
            case,
            received_on=date(2027, 9, 6),
            ombudsman_reference="27 004 321",
            decided_on=date(2027, 12, 3),
            decision=None,
            remedy=None,
            remedy_amount=None,
            actor=OFFICER,
            at=AT,
        )
    first = record_ombudsman(
        case,
        received_on=date(2027, 9, 6),
        ombudsman_reference="27 004 321",
        decided_on=None,
        decision=None,
        remedy=None,
        remedy_amount=None,
        actor=OFFICER,
        at=AT,
    )
    save()
    decided = record_ombudsman(
        case,
        received_on=date(2027, 9, 6),
        ombudsman_reference="27 004 321",
        decided_on=date(2027, 12, 3),
        decision=OmbudsmanDecision.FAULT_WITH_INJUSTICE,
        remedy="Apology and a payment for time and trouble",
        remedy_amount=Decimal("300.00"),
        actor=OFFICER,
        at=AT,
    )
    save()
    # The decision completes the same enquiry rather than starting another.
    assert decided is first
    assert len(case.ombudsman_enquiries) == 1
    assert (decided.decision, decided.remedy_amount, decided.decided_on) == (
        "fault_with_injustice",
        Decimal("300.00"),
        date(2027, 12, 3),
    )
    assert last_event(case).detail == {
        "received_on": "2027-09-06",
        "decision": "fault_with_injustice",
    }

    # Everything as stored, read back from the database.
    db.session.expire_all()
    stored = db.session.get(Case, case.id)
    assert [
        (s.stage, s.requested_on, s.respond_by, s.responded_on, s.outcome) for s in stored.stages
    ] == [
        (1, date(2026, 12, 17), date(2027, 1, 8), date(2026, 12, 23), "partially_upheld"),
        (2, date(2027, 1, 28), date(2027, 5, 4), date(2027, 3, 24), "upheld"),
        (3, date(2027, 4, 26), date(2027, 6, 9), date(2027, 7, 2), "not_upheld"),
    ]
    assert stored.acknowledged_on == date(2026, 12, 18)
    assert events(stored) == [
        "received",
        "deadlines_set",
        "routed",
        "acknowledged",
        "triaged",
        "responded",
        "escalated",
        "extended",
        "responded",
        "escalated",
        "panel_dates",
        "responded",
        "closed",
        "ombudsman",
        "ombudsman",
    ]
    assert {e.actor for e in stored.events[3:]} == {OFFICER}


# --- the corporate procedure -------------------------------------------------------------


@pytest.mark.parametrize(
    ("acknowledged_on", "respond_by"),
    [
        # 10 working days from the acknowledgement: Tue 24 Nov -> Tue 8 Dec.
        (date(2026, 11, 24), date(2026, 12, 8)),
        # Wed 25 Nov (the last day allowed) -> Wed 9 Dec.
        (date(2026, 11, 25), date(2026, 12, 9)),
        # Fri 27 Nov (late): Mon 30 (1), Dec 1-4 (2-5), 7-11 (6-10) -> Fri 11 Dec.
        (date(2026, 11, 27), date(2026, 12, 11)),
    ],
)
def test_corporate_stage_1_runs_from_the_acknowledgement(
    app, clock, settings, acknowledged_on, respond_by
):
    # A grandparent (no parental responsibility): the corporate procedure.
    case = new_case(role=Role.GRANDPARENT)
    assert case.procedure == "corporate"
    # Before it is acknowledged, the clock runs from the last day it may be acknowledged
    # (Wed 25 Nov): Thu 26 (1), Fri 27 (2), Mon 30 Nov .. Fri 4 Dec (3-7), Mon 7 (8),
    # Tue 8 (9), Wed 9 (10) -> Wednesday 9 December 2026.
    assert case.acknowledge_by == date(2026, 11, 25)
    assert case.respond_by == date(2026, 12, 9)

    acknowledge(settings, case, how="letter", on=acknowledged_on, actor=OFFICER, at=AT)
    save()

    assert case.respond_by == respond_by
    assert case.stages[0].respond_by == respond_by
    assert case.next_deadline == respond_by
    assert deadlines(settings, case).respond.starts == acknowledged_on


def test_a_corporate_complaint_has_no_stage_3(app, clock, settings):
    case = new_case(role=Role.GRANDPARENT)
    acknowledge(settings, case, how="email", on=date(2026, 11, 24), actor=OFFICER, at=AT)
    do_triage(settings, case, procedure=Procedure.CORPORATE)
    do_respond(settings, case, date(2026, 12, 8))
    save()
    # 20 working days to ask for Stage 2 from Tue 8 Dec: 9-11 (1-3), 14-18 (4-8), 21-24
    # (9-12); 25 Dec to 3 Jan skipped; Jan 4-8 (13-17), Mon 11 (18), Tue 12 (19),
    # Wed 13 (20) -> Wednesday 13 January 2027.
    assert escalation_window(settings, case) == date(2027, 1, 13)

    escalate(settings, case, requested_on=date(2026, 12, 14), late_reason="", actor=OFFICER, at=AT)
    save()
    # Corporate Stage 2 runs from its acknowledgement, due 2 working days after the request
    # (Mon 14 Dec -> Wed 16 Dec); then 20 working days: Thu 17 (1) .. Thu 24 Dec (6); 25 Dec
    # to 3 Jan skipped; Jan 4-8 (7-11), 11-15 (12-16), Mon 18 (17) .. Thu 21 (20)
    # -> Thursday 21 January 2027.
    assert case.stage == 2
    assert case.respond_by == date(2027, 1, 21)
    assert deadlines(settings, case).respond.starts == date(2026, 12, 16)

    with refused(
        "The corporate procedure has 2 stages: there is no Stage 3. The complainant can go "
        "to the Ombudsman."
    ):
        escalate(
            settings, case, requested_on=date(2027, 1, 4), late_reason="", actor=OFFICER, at=AT
        )
    with refused("Stage 2 can be extended to 30 working days at most."):
        extend(
            settings,
            case,
            working_days=31,
            reason="Senior manager away",
            on=date(2027, 1, 4),
            actor=OFFICER,
            at=AT,
        )

    do_respond(settings, case, date(2027, 1, 20), StageOutcome.NOT_UPHELD)
    save()
    assert escalation_window(settings, case) is None
    with refused(
        "The corporate procedure has 2 stages: there is no Stage 3. The complainant can go "
        "to the Ombudsman."
    ):
        escalate(
            settings, case, requested_on=date(2027, 1, 25), late_reason="", actor=OFFICER, at=AT
        )
    assert case.stage == 2
    assert stage_rows(case) == [(1, "corporate"), (2, "corporate")]


# --- extensions --------------------------------------------------------------------------


def test_statutory_stage_1_can_be_extended_from_10_up_to_20_working_days(app, clock, settings):
    case = new_case()  # Monday 23 November 2026
    # 10 working days: Nov 24-27 (1-4), Nov 30 .. Dec 4 (5-9), Mon 7 (10) -> Mon 7 Dec.
    assert case.respond_by == date(2026, 12, 7)

    def extend_to(days: int, reason: str = "The team manager is away until December") -> None:
        extend(
            settings,
            case,
            working_days=days,
            reason=reason,
            on=date(2026, 12, 1),
            actor=OFFICER,
            at=AT,
        )

    with refused("An extension must be longer than the 10 working days now."):
        extend_to(10)
    with refused("Stage 1 can be extended to 20 working days at most."):
        extend_to(21)
    with refused("Say why more time is needed: the complainant must be told."):
        extend_to(20, reason="   ")
    assert case.stages[0].extended_to_working_days is None

    # 15 working days: Mon 7 Dec (10), Tue 8 .. Mon 14 Dec (11-15) -> Monday 14 December.
    extend_to(15)
    save()
    assert case.respond_by == date(2026, 12, 14)
    assert last_event(case).event == "extended"
    assert last_event(case).detail == {"stage": 1, "working_days": 15}

    with refused("An extension must be longer than the 15 working days now."):
        extend_to(15)
    # 20 working days: Mon 14 Dec (15), Tue 15 .. Fri 18 (16-19), Mon 21 (20) -> Mon 21 Dec.
    extend_to(20)
    save()
    assert case.stages[0].extended_to_working_days == 20
    assert case.stages[0].extension_reason == "The team manager is away until December"
    assert case.stages[0].extended_on == date(2026, 12, 1)
    assert case.respond_by == date(2026, 12, 21)
    assert case.next_deadline == date(2026, 11, 25)  # the acknowledgement is owed first
    with refused("An extension must be longer than the 20 working days now."):
        extend_to(20)


def test_an_answered_stage_or_a_comment_cannot_be_extended(app, clock, settings):
    case = new_case()
    do_triage(settings, case)
    do_respond(settings, case, date(2026, 11, 30))
    with refused("This stage has already been answered."):
        extend(
            settings,
            case,
            working_days=20,
            reason="Late",
            on=date(2026, 12, 1),
            actor=OFFICER,
            at=AT,
        )

    comment = new_case(kind=Kind.COMMENT)
    with refused("Only a complaint in a procedure has stages. Triage it first."):
        extend(
            settings,
            comment,
            working_days=20,
            reason="Late",
            on=date(2026, 12, 1),
            actor=OFFICER,
            at=AT,
        )


# --- holds -------------------------------------------------------------------------------


def test_hold_and_resume_move_the_response_by_the_working_days_on_hold(app, clock, settings):
    case = new_case(london(2026, 12, 17, 10))  # Thursday 17 December 2026
    assert case.respond_by == date(2027, 1, 8)

    hold(
        case,
        reason="Waiting for the parent to agree the summary of the complaint",
        on=date(2026, 12, 22),
        actor=OFFICER,
        at=AT,
    )
    save()
    assert case.status == Status.ON_HOLD.value
    assert case.on_hold_since == date(2026, 12, 22)
    assert last_event(case).event == "on_hold"
    assert last_event(case).detail == {
        "on": "2026-12-22",
        "reason": "Waiting for the parent to agree the summary of the complaint",
    }
    with refused("This case is on hold. Resume it first."):
        hold(case, reason="Again", on=date(2026, 12, 23), actor=OFFICER, at=AT)
    with refused("This case is on hold. Resume it first."):
        do_triage(settings, case)
    with refused("It cannot resume before it was put on hold."):
        resume(settings, case, on=date(2026, 12, 21), actor=OFFICER, at=AT)

    # Resumed on Tuesday 5 January: the working days after 22 Dec up to and including
    # 5 Jan are Wed 23, Thu 24 Dec, Mon 4 and Tue 5 Jan (Christmas, the closures and New
    # Year are not working days): 4. The response is now due 10 + 4 = 14 working days
    # after 17 Dec: Fri 8 Jan (10), Mon 11 (11) .. Thu 14 (14) -> Thursday 14 January 2027.
    resume(settings, case, on=date(2027, 1, 5), actor=OFFICER, at=AT)
    save()
    assert case.status == Status.OPEN.value
    assert case.on_hold_since is None
    assert case.held_working_days == 4
    assert last_event(case).event == "resumed"
    assert last_event(case).detail == {"on": "2027-01-05", "held_working_days": 4}
    assert case.respond_by == date(2027, 1, 14)
    worked = deadlines(settings, case)
    assert worked.held_working_days == 4
    assert worked.respond.due == date(2027, 1, 14)

    # On hold again from Friday 8 January to Tuesday 12 January: Mon 11 and Tue 12 are
    # held (the weekend is not a working day): 2 more, 6 in all. 16 working days after
    # 17 Dec: Thu 14 Jan (14), Fri 15 (15), Mon 18 (16) -> Monday 18 January 2027.
    hold(case, reason="Court hearing on 11 January", on=date(2027, 1, 8), actor=OFFICER, at=AT)
    resume(settings, case, on=date(2027, 1, 12), actor=OFFICER, at=AT)
    save()
    assert case.held_working_days == 6
    assert case.respond_by == date(2027, 1, 18)
    assert case.next_deadline == date(2026, 12, 21)  # the acknowledgement is still owed
    worked = deadlines(settings, case)
    assert worked.held_working_days == 6
    assert worked.respond.working_days == 16
    assert worked.respond.explain()[0] == (
        "16 working days after 2026-12-17 (Thursday) is 2027-01-18 (Monday)."
    )
    with refused("This case is not on hold."):
        resume(settings, case, on=date(2027, 1, 13), actor=OFFICER, at=AT)


def test_a_hold_over_easter_counts_only_working_days(app, clock, settings):
    # Received Monday 15 March 2027: 10 working days: Mar 16-19 (1-4), 22-25 (5-8); Good
    # Friday, the weekend and Easter Monday skipped; Tue 30 (9), Wed 31 (10) -> 31 March.
    case = new_case(london(2027, 3, 15, 10))
    assert case.respond_by == date(2027, 3, 31)

    # Held from Thursday 25 March to Thursday 1 April: Tue 30, Wed 31 and Thu 1 Apr are
    # held (Good Friday and Easter Monday are not working days): 3. 13 working days after
    # 15 March: Wed 31 (10), Thu 1 Apr (11), Fri 2 (12), Mon 5 (13) -> Monday 5 April.
    hold(case, reason="Waiting for the complainant", on=date(2027, 3, 25), actor=OFFICER, at=AT)
    resume(settings, case, on=date(2027, 4, 1), actor=OFFICER, at=AT)
    save()
    assert case.held_working_days == 3
    assert case.respond_by == date(2027, 4, 5)


def test_a_hold_needs_a_reason_and_a_case_can_be_extended_while_on_hold(app, clock, settings):
    case = new_case()
    with refused("Say why the case is on hold."):
        hold(case, reason=" ", on=date(2026, 11, 24), actor=OFFICER, at=AT)
    with refused("This case is not on hold."):
        resume(settings, case, on=date(2026, 11, 24), actor=OFFICER, at=AT)

    hold(case, reason="Waiting for consent", on=date(2026, 11, 24), actor=OFFICER, at=AT)
    extend(
        settings,
        case,
        working_days=20,
        reason="Complex case",
        on=date(2026, 11, 25),
        actor=OFFICER,
        at=AT,
    )
    # Resumed the same day it was put on hold: no working days held. 20 working days
    # after Mon 23 Nov -> Monday 21 December 2026.
    resume(settings, case, on=date(2026, 11, 24), actor=OFFICER, at=AT)
    save()
    assert case.held_working_days == 0
    assert case.respond_by == date(2026, 12, 21)


def test_a_new_stage_starts_with_no_days_on_hold(app, clock, settings):
    case = new_case()  # Monday 23 November 2026
    hold(case, reason="Waiting for the parent", on=date(2026, 11, 24), actor=OFFICER, at=AT)
    resume(settings, case, on=date(2026, 11, 26), actor=OFFICER, at=AT)
    assert case.held_working_days == 2
    do_triage(settings, case)
    do_respond(settings, case, date(2026, 12, 4))
    escalate(settings, case, requested_on=date(2026, 12, 7), late_reason="", actor=OFFICER, at=AT)
    save()
    # Stage 2 from Mon 7 Dec, 25 working days: Dec 8-11 (1-4), 14-18 (5-9), 21-24 (10-13);
    # 25 Dec to 3 Jan skipped; Jan 4-8 (14-18), 11-15 (19-23), Mon 18 (24), Tue 19 (25)
    # -> Tuesday 19 January 2027, with nothing added for the Stage 1 hold.
    assert case.held_working_days == 0
    assert case.respond_by == date(2027, 1, 19)


# --- acknowledging and triage ------------------------------------------------------------


def test_acknowledge_records_how_and_when_and_refuses_nonsense(app, clock, settings):
    case = new_case()
    with refused("Choose how it was acknowledged: automatically, email, phone or letter."):
        acknowledge(settings, case, how="fax", on=date(2026, 11, 24), actor=OFFICER, at=AT)
    with refused("It cannot be acknowledged before it was received."):
        acknowledge(settings, case, how="email", on=date(2026, 11, 20), actor=OFFICER, at=AT)

    acknowledge(settings, case, how="phone", on=date(2026, 11, 24), actor=OFFICER, at=AT)
    save()
    assert (case.acknowledged_on, case.acknowledged_how) == (date(2026, 11, 24), "phone")
    assert case.status == Status.OPEN.value
    assert last_event(case).event == "acknowledged"
    assert last_event(case).detail == {"on": "2026-11-24", "how": "phone"}
    with refused("It was already acknowledged on 24 November 2026."):
        acknowledge(settings, case, how="email", on=date(2026, 11, 25), actor=OFFICER, at=AT)


def test_triage_records_what_the_case_is(app, clock, settings):
    case = new_case()
    triage(
        settings,
        case,
        kind=Kind.COMPLAINT,
        procedure=Procedure.STATUTORY,
        service_area="child_in_need",
        reasons=[("communication", "not_kept_informed"), ("quality", None)],
        on=date(2026, 11, 24),
        actor=OFFICER,
        at=AT,
    )
    save()
    assert case.service_area == "child_in_need"
    assert [(r.reason, r.sub_reason) for r in case.reasons] == [
        ("communication", "not_kept_informed"),
        ("quality", None),
    ]
    assert case.triaged_on == date(2026, 11, 24)
    assert case.status == Status.OPEN.value
    assert last_event(case).event == "triaged"
    assert last_event(case).detail == {
        "kind": "complaint",
        "procedure": "statutory",
        "service_area": "child_in_need",
        "reasons": ["communication/not_kept_informed", "quality"],
    }
    assert case.respond_by == date(2026, 12, 7)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"procedure": None}, "A complaint needs a procedure: statutory or corporate."),
        (
            {"kind": Kind.COMMENT, "procedure": Procedure.STATUTORY},
            "Only a complaint follows a procedure.",
        ),
        ({"service_area": "swimming_lessons"}, "Choose a service from the list."),
        ({"reasons": [("weather", None)]}, "Choose reasons from the council's list."),
        (
            {"reasons": [("communication", "rude_behaviour")]},
            "Choose reasons from the council's list.",
        ),
    ],
)
def test_triage_refuses_what_does_not_fit(app, clock, settings, change, message):
    case = new_case()
    given = {
        "kind": Kind.COMPLAINT,
        "procedure": Procedure.STATUTORY,
        "service_area": "assessment",
        "reasons": [("communication", None)],
        **change,
    }
    with refused(message):
        triage(settings, case, **given, on=date(2026, 11, 24), actor=OFFICER, at=AT)
    assert case.triaged_on is None


def test_triage_can_change_the_procedure_before_any_answer(app, clock, settings):
    # A parent's complaint is suggested as statutory; the complaints team decides it is
    # about an officer's conduct, not the child's care: corporate. Stage 1 starts again on
    # the corporate timescale: from the acknowledgement due Wed 25 Nov, 10 working days
    # -> Wednesday 9 December 2026.
    case = new_case()
    assert case.procedure == "statutory"

    do_triage(settings, case, procedure=Procedure.CORPORATE, on=date(2026, 11, 24))
    save()

    assert case.procedure == "corporate"
    assert stage_rows(case) == [(1, "corporate")]
    assert case.respond_by == date(2026, 12, 9)


def test_the_procedure_cannot_change_once_stage_1_has_been_answered(app, clock, settings):
    case = new_case()
    do_triage(settings, case)
    do_respond(settings, case, date(2026, 12, 4))
    with refused("A stage has been answered: what it is and its procedure can no longer change."):
        do_triage(settings, case, procedure=Procedure.CORPORATE)
    with refused("A stage has been answered: what it is and its procedure can no longer change."):
        do_triage(settings, case, kind=Kind.COMMENT, procedure=None)
    # Triage again with the same procedure (to add a reason, say) is fine.
    do_triage(settings, case)
    save()
    assert stage_rows(case) == [(1, "statutory")]


def _at_stage_2(settings) -> Case:
    """A statutory complaint answered at Stage 1 (Fri 4 Dec) and escalated (Mon 7 Dec)."""
    case = new_case()
    do_triage(settings, case)
    do_respond(settings, case, date(2026, 12, 4))
    escalate(settings, case, requested_on=date(2026, 12, 7), late_reason="", actor=OFFICER, at=AT)
    save()
    return case


def test_the_procedure_cannot_change_at_stage_2(app, clock, settings):
    # Stage 2 is not answered yet, but Stage 1 was: its answer is history and must stay.
    case = _at_stage_2(settings)

    with refused("A stage has been answered: what it is and its procedure can no longer change."):
        do_triage(settings, case, procedure=Procedure.CORPORATE)
    save()

    assert stage_rows(case) == [(1, "statutory"), (2, "statutory")]
    assert case.stages[0].outcome == "not_upheld"


def test_triage_cannot_turn_a_complaint_at_stage_2_into_a_comment(app, clock, settings):
    # `convert` refuses this once a stage is answered; triage must not do it either.
    case = _at_stage_2(settings)

    with refused("A stage has been answered: what it is and its procedure can no longer change."):
        do_triage(settings, case, kind=Kind.COMMENT, procedure=None)
    save()

    assert (case.kind, case.procedure, case.stage) == ("complaint", "statutory", 2)


# --- responses ---------------------------------------------------------------------------


def test_a_response_records_the_outcome_and_what_was_done(app, clock, settings):
    case = new_case()
    do_triage(settings, case)
    with refused("The response cannot be before the case was received."):
        do_respond(settings, case, date(2026, 11, 20))
    with refused("Choose the outcome of the response."):
        do_respond(settings, case, date(2026, 12, 1), outcome=None)
    with refused("Choose the outcome of the response."):
        do_respond(settings, case, date(2026, 12, 1), outcome=StageOutcome.REFUSED)
    with refused("Give the amount of the financial remedy."):
        do_respond(
            settings,
            case,
            date(2026, 12, 1),
            StageOutcome.UPHELD,
            [(RemedyAction.FINANCIAL_REMEDY, None)],
        )
    with refused("Give the amount of the financial remedy."):
        do_respond(
            settings,
            case,
            date(2026, 12, 1),
            StageOutcome.UPHELD,
            [(RemedyAction.FINANCIAL_REMEDY, Decimal("0"))],
        )
    assert case.stages[0].responded_on is None

    do_respond(
        settings,
        case,
        date(2026, 12, 1),
        StageOutcome.UPHELD,
        [(RemedyAction.MEETING, None), (RemedyAction.FINANCIAL_REMEDY, Decimal("75.50"))],
    )
    save()
    assert case.stages[0].outcome == "upheld"
    assert [(a.action, a.amount) for a in case.stages[0].actions] == [
        ("meeting", None),
        ("financial_remedy", Decimal("75.50")),
    ]
    assert last_event(case).event == "responded"
    assert last_event(case).detail == {"stage": 1, "outcome": "upheld"}
    assert case.status == Status.OPEN.value
    with refused("This stage has already been answered."):
        do_respond(settings, case, date(2026, 12, 2))


def test_a_response_cannot_come_before_the_stage_began(app, clock, settings):
    case = new_case()
    do_triage(settings, case)
    do_respond(settings, case, date(2026, 11, 30))
    escalate(settings, case, requested_on=date(2026, 12, 7), late_reason="", actor=OFFICER, at=AT)
    with refused("The response cannot be before the stage began."):
        do_respond(settings, case, date(2026, 12, 4))


def test_a_withdrawn_outcome_closes_the_case(app, clock, settings):
    case = new_case()
    do_triage(settings, case)
    do_respond(settings, case, date(2026, 11, 30), StageOutcome.WITHDRAWN)
    save()
    assert case.status == Status.CLOSED.value
    assert case.closed_on == date(2026, 11, 30)
    with refused("Stage 1 was withdrawn: it cannot be escalated."):
        escalate(
            settings, case, requested_on=date(2026, 12, 1), late_reason="", actor=OFFICER, at=AT
        )


def test_a_reply_to_a_comment_is_recorded_once(app, clock, settings):
    case = new_case(kind=Kind.COMMENT)
    # A comment is answered within 10 working days: Mon 7 December 2026.
    assert case.respond_by == date(2026, 12, 7)
    do_triage(settings, case, kind=Kind.COMMENT, procedure=None)
    respond(settings, case, on=date(2026, 11, 27), outcome=None, actions=[], actor=OFFICER, at=AT)
    save()
    assert case.responded_on == date(2026, 11, 27)
    assert case.respond_by is None
    assert last_event(case).detail == {"on": "2026-11-27"}
    with refused("A reply has already been recorded."):
        respond(
            settings, case, on=date(2026, 11, 30), outcome=None, actions=[], actor=OFFICER, at=AT
        )


# --- the next deadline -------------------------------------------------------------------


def test_next_deadline_follows_acknowledgement_response_and_closure(app, clock, settings):
    case = new_case()  # Monday 23 November 2026
    # Acknowledge by Wed 25 Nov; respond by Mon 7 Dec: the acknowledgement is first.
    assert (case.acknowledge_by, case.respond_by) == (date(2026, 11, 25), date(2026, 12, 7))
    assert case.next_deadline == date(2026, 11, 25)

    acknowledge(settings, case, how="email", on=date(2026, 11, 24), actor=OFFICER, at=AT)
    assert case.next_deadline == date(2026, 12, 7)

    do_triage(settings, case)
    do_respond(settings, case, date(2026, 12, 4))
    assert case.next_deadline is None

    # Stage 2 asked for on Mon 7 Dec: due Tue 19 Jan 2027 (see the hold test above).
    escalate(settings, case, requested_on=date(2026, 12, 7), late_reason="", actor=OFFICER, at=AT)
    assert case.next_deadline == date(2027, 1, 19)

    withdraw(settings, case, on=date(2026, 12, 8), actor=OFFICER, at=AT)
    save()
    assert case.next_deadline is None


def test_next_deadline_of_a_comment_answered_before_it_was_acknowledged(app, clock, settings):
    case = new_case(kind=Kind.COMMENT)
    do_triage(settings, case, kind=Kind.COMMENT, procedure=None)
    respond(settings, case, on=date(2026, 11, 24), outcome=None, actions=[], actor=OFFICER, at=AT)
    # The reply is sent, but the acknowledgement is still owed by Wed 25 Nov.
    assert case.next_deadline == date(2026, 11, 25)
    acknowledge(settings, case, how="email", on=date(2026, 11, 24), actor=OFFICER, at=AT)
    assert case.next_deadline is None
    close(case, on=date(2026, 11, 24), actor=OFFICER, at=AT)
    reopen(case, reason="The parent wrote again", actor=OFFICER, at=AT)
    save()
    assert case.next_deadline is None


# --- converting --------------------------------------------------------------------------


def test_converting_a_complaint_to_a_comment_drops_the_stage(app, clock, settings):
    case = new_case()
    assert stage_rows(case) == [(1, "statutory")]

    convert(settings, case, kind=Kind.COMMENT, actor=OFFICER, at=AT)
    save()

    assert (case.kind, case.procedure, case.stage) == ("comment", None, None)
    assert case.stages == []
    assert stage_rows(case) == []
    # A comment is answered within 10 working days of receipt: Monday 7 December 2026.
    assert case.respond_within == 10
    assert case.respond_by == date(2026, 12, 7)
    assert last_event(case).event == "converted"
    assert last_event(case).detail == {"kind": "comment", "was": "complaint"}


def test_converting_a_complaint_to_a_case_concern_gives_it_2_working_days(app, clock, settings):
    case = new_case()
    convert(settings, case, kind=Kind.CASE_CONCERN, actor=OFFICER, at=AT)
    save()
    # Mon 23 Nov + 2 working days -> Wednesday 25 November.
    assert case.respond_by == date(2026, 11, 25)
    assert case.stages == []


@pytest.mark.parametrize(
    ("role", "procedure", "respond_by"),
    [
        # A parent about assessment: statutory, 10 working days from receipt -> Mon 7 Dec.
        (Role.PARENT, "statutory", date(2026, 12, 7)),
        # A grandparent: corporate, 10 from the acknowledgement due Wed 25 Nov -> Wed 9 Dec.
        (Role.GRANDPARENT, "corporate", date(2026, 12, 9)),
    ],
)
def test_converting_a_comment_to_a_complaint_suggests_a_procedure(
    app, clock, settings, role, procedure, respond_by
):
    case = new_case(kind=Kind.COMMENT, role=role)
    assert case.procedure is None

    convert(settings, case, kind=Kind.COMPLAINT, actor=OFFICER, at=AT)
    save()

    assert (case.kind, case.procedure, case.stage) == ("complaint", procedure, 1)
    assert stage_rows(case) == [(1, procedure)]
    assert case.stages[0].requested_on == MONDAY_23_NOV
    assert case.respond_by == respond_by
    assert last_event(case).detail == {"kind": "complaint", "was": "comment"}


def test_convert_refuses_what_it_cannot_do(app, clock, settings):
    comment = new_case(kind=Kind.COMMENT)
    with refused("It is already a comment."):
        convert(settings, comment, kind=Kind.COMMENT, actor=OFFICER, at=AT)
    with refused("Only complaints, comments and case concerns can be converted."):
        convert(settings, comment, kind=Kind.COMPLIMENT, actor=OFFICER, at=AT)
    compliment = new_case(kind=Kind.COMPLIMENT)
    with refused("Only complaints, comments and case concerns can be converted."):
        convert(settings, compliment, kind=Kind.COMPLAINT, actor=OFFICER, at=AT)

    answered = new_case()
    do_triage(settings, answered)
    do_respond(settings, answered, date(2026, 11, 30))
    with refused("A stage has been answered: it can no longer be converted."):
        convert(settings, answered, kind=Kind.COMMENT, actor=OFFICER, at=AT)


# --- refusing, withdrawing, closing and reopening ----------------------------------------


def test_refuse_closes_the_case_with_the_stage_outcome_and_the_reason(app, clock, settings):
    case = new_case()
    refuse(
        settings,
        case,
        reason=RefusalReason.OUT_OF_TIME,
        on=date(2026, 11, 25),
        actor=OFFICER,
        at=AT,
    )
    save()
    stage = case.stages[0]
    assert (stage.outcome, stage.refusal_reason, stage.responded_on) == (
        "refused",
        "out_of_time",
        date(2026, 11, 25),
    )
    assert (case.status, case.closed_on, case.next_deadline) == (
        "closed",
        date(2026, 11, 25),
        None,
    )
    assert last_event(case).event == "refused"
    assert last_event(case).detail == {"reason": "out_of_time", "stage": 1}
    with refused("This case is closed. Reopen it first."):
        refuse(
            settings,
            case,
            reason=RefusalReason.OUTSIDE_REMIT,
            on=date(2026, 11, 26),
            actor=OFFICER,
            at=AT,
        )
    with refused("Stage 1 was refused: it cannot be escalated."):
        escalate(
            settings, case, requested_on=date(2026, 11, 26), late_reason="", actor=OFFICER, at=AT
        )


def test_only_an_unanswered_complaint_stage_can_be_refused(app, clock, settings):
    comment = new_case(kind=Kind.COMMENT)
    with refused("Only a complaint in a procedure has stages. Triage it first."):
        refuse(
            settings,
            comment,
            reason=RefusalReason.OUTSIDE_REMIT,
            on=date(2026, 11, 24),
            actor=OFFICER,
            at=AT,
        )
    answered = new_case()
    do_triage(settings, answered)
    do_respond(settings, answered, date(2026, 11, 30))
    with refused("This stage has already been answered."):
        refuse(
            settings,
            answered,
            reason=RefusalReason.COURT_PROCEEDINGS,
            on=date(2026, 12, 1),
            actor=OFFICER,
            at=AT,
        )


def test_withdraw_closes_the_case_even_on_hold(app, clock, settings):
    case = new_case()
    hold(case, reason="Waiting for the parent", on=date(2026, 11, 24), actor=OFFICER, at=AT)
    withdraw(settings, case, on=date(2026, 11, 26), actor=OFFICER, at=AT)
    save()
    assert case.status == Status.CLOSED.value
    assert case.closed_on == date(2026, 11, 26)
    assert case.on_hold_since is None
    assert (case.stages[0].outcome, case.stages[0].responded_on) == (
        "withdrawn",
        date(2026, 11, 26),
    )
    assert case.next_deadline is None
    assert last_event(case).event == "withdrawn"
    assert last_event(case).detail == {"on": "2026-11-26"}
    with refused("This case is closed. Reopen it first."):
        withdraw(settings, case, on=date(2026, 11, 27), actor=OFFICER, at=AT)


def test_close_refuses_an_unanswered_stage_and_reopen_needs_a_reason(app, clock, settings):
    case = new_case()
    with refused(
        "Stage 1 has not been answered: record the response, or a withdrawal or refusal, first."
    ):
        close(case, on=date(2026, 11, 24), actor=OFFICER, at=AT)
    with refused("Only a closed case can be reopened."):
        reopen(case, reason="Why not", actor=OFFICER, at=AT)

    do_triage(settings, case)
    do_respond(settings, case, date(2026, 11, 30))
    close(case, on=date(2026, 11, 30), actor=OFFICER, at=AT)
    save()
    assert (case.status, case.closed_on) == ("closed", date(2026, 11, 30))
    assert last_event(case).event == "closed"
    assert last_event(case).detail == {"on": "2026-11-30"}
    with refused("This case is already closed."):
        close(case, on=date(2026, 12, 1), actor=OFFICER, at=AT)
    with refused("This case is closed. Reopen it first."):
        do_triage(settings, case)

    with refused("Say why the case is being reopened."):
        reopen(case, reason="  ", actor=OFFICER, at=AT)
    reopen(case, reason="The response did not answer the second point", actor=OFFICER, at=AT)
    save()
    assert (case.status, case.closed_on) == ("open", None)
    assert last_event(case).event == "reopened"
    assert last_event(case).detail == {"reason": "The response did not answer the second point"}


def test_a_closed_case_can_still_be_escalated_by_the_complainant(app, clock, settings):
    case = new_case()
    do_triage(settings, case)
    do_respond(settings, case, date(2026, 11, 30))
    close(case, on=date(2026, 11, 30), actor=OFFICER, at=AT)
    escalate(settings, case, requested_on=date(2026, 12, 2), late_reason="", actor=OFFICER, at=AT)
    save()
    assert (case.status, case.closed_on, case.stage) == ("open", None, 2)


# --- teams -------------------------------------------------------------------------------


def test_reroute_records_who_from_to_and_why_and_moves_the_lead(app, clock, routing):
    case = new_case()  # about assessment: the assessment team leads
    assert team_rows(case) == [("assessment", True)]

    for team, reason, message in [
        ("child_in_need", " ", "Say why the case is moving to another team."),
        ("swimming", "It belongs there", "Choose a team from the list."),
        ("assessment", "It belongs there", "The case is already with that team."),
    ]:
        with refused(message):
            reroute(routing, case, team=team, reason=reason, actor=OFFICER, at=AT)

    reroute(
        routing,
        case,
        team="child_in_need",
        reason=" It is about the child protection plan ",
        actor=OFFICER,
        at=AT,
    )
    save()
    assert case.team == "child_in_need"
    assert team_rows(case) == [("child_in_need", True)]
    event = last_event(case)
    assert (event.event, event.actor) == ("rerouted", OFFICER)
    assert event.detail == {
        "team": "child_in_need",
        "from": "assessment",
        "reason": "It is about the child protection plan",
    }


def test_an_inactive_team_cannot_take_a_case(app, clock, settings):
    routing = shipped_routing_with({"youth_justice": {"active": False}})
    case = new_case()
    with refused("Choose a team from the list."):
        reroute(routing, case, team="youth_justice", reason="Offending", actor=OFFICER, at=AT)


def test_an_inactive_team_cannot_be_involved_either(app, clock, settings):
    # Like `reroute`: an inactive team (kept from an old system) takes no new work.
    routing = shipped_routing_with({"youth_justice": {"active": False}})
    case = new_case()
    with refused("Choose a team from the list."):
        involve(routing, case, team="youth_justice", actor=OFFICER, at=AT)


def test_involve_adds_a_team_that_is_not_the_lead(app, clock, routing):
    case = new_case()
    involve(routing, case, team="children_in_care", actor=OFFICER, at=AT)
    save()
    assert case.team == "assessment"
    assert team_rows(case) == [("assessment", True), ("children_in_care", False)]
    assert last_event(case).event == "team_involved"
    assert last_event(case).detail == {"team": "children_in_care"}

    with refused("That team already sees this case."):
        involve(routing, case, team="children_in_care", actor=OFFICER, at=AT)
    with refused("That team already sees this case."):
        involve(routing, case, team="assessment", actor=OFFICER, at=AT)
    with refused("Choose a team from the list."):
        involve(routing, case, team="swimming", actor=OFFICER, at=AT)

    # Rerouting to the involved team makes it the lead; the old lead no longer sees it.
    reroute(
        routing, case, team="children_in_care", reason="Mostly about contact", actor=OFFICER, at=AT
    )
    save()
    assert case.team == "children_in_care"
    assert team_rows(case) == [("children_in_care", True)]


# --- learning and correspondence ---------------------------------------------------------


def test_learning_actions_are_agreed_then_done(app, clock, settings):
    case = new_case()
    with refused("Give the issue, the action and who owns it."):
        add_learning(
            case,
            issue="Visits missed without notice",
            action="Text parents when a visit moves",
            owner=" ",
            due_on=None,
            actor=OFFICER,
            at=AT,
        )
    learning = add_learning(
        case,
        issue="Visits missed without notice",
        action="Text parents when a visit moves",
        owner="Assessment team manager",
        due_on=date(2027, 1, 29),
        actor=OFFICER,
        at=AT,
    )
    save()
    assert (learning.status, learning.due_on, learning.done_on) == (
        "agreed",
        date(2027, 1, 29),
        None,
    )
    assert last_event(case).event == "learning_action"
    assert last_event(case).detail == {"due_on": "2027-01-29"}

    complete_learning(case, learning, on=date(2027, 1, 20), actor=OFFICER, at=AT)
    save()
    assert (learning.status, learning.done_on) == ("done", date(2027, 1, 20))
    assert last_event(case).event == "learning_done"
    assert last_event(case).detail == {"on": "2027-01-20"}
    with refused("That learning action is already done."):
        complete_learning(case, learning, on=date(2027, 1, 21), actor=OFFICER, at=AT)


def test_correspondence_is_recorded_in_and_out(app, clock, settings):
    case = new_case()
    with refused("Say whether it was received or sent."):
        add_correspondence(
            case,
            on=date(2026, 11, 24),
            direction="sideways",
            method=Method.EMAIL,
            summary="Asked for the visit dates",
            actor=OFFICER,
            at=AT,
        )
    with refused("Summarise the correspondence."):
        add_correspondence(
            case,
            on=date(2026, 11, 24),
            direction="out",
            method=Method.EMAIL,
            summary="  ",
            actor=OFFICER,
            at=AT,
        )
    sent = add_correspondence(
        case,
        on=date(2026, 11, 24),
        direction="out",
        method=Method.EMAIL,
        summary=" Asked for the visit dates ",
        actor=OFFICER,
        at=AT,
    )
    add_correspondence(
        case,
        on=date(2026, 11, 26),
        direction="in",
        method=Method.LETTER,
        summary="Parent sent the visit dates",
        actor=OFFICER,
        at=AT,
    )
    save()
    assert (sent.summary, sent.recorded_by, sent.method) == (
        "Asked for the visit dates",
        OFFICER,
        "email",
    )
    assert [(c.direction, c.method) for c in case.correspondence] == [
        ("out", "email"),
        ("in", "letter"),
    ]
    assert [e.detail for e in case.events if e.event == "correspondence"] == [
        {"direction": "out", "method": "email"},
        {"direction": "in", "method": "letter"},
    ]
