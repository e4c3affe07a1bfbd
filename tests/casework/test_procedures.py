"""Which procedure a complaint follows, and the deadlines the shipped settings give a case."""

from __future__ import annotations

from datetime import date

import pytest

from intake.casework.council import CouncilSettings, load_council_settings
from intake.casework.procedures import (
    ResponseRule,
    plan_deadlines,
    response_rule,
    suggest_procedure,
)
from intake.casework.vocabulary import Kind, Procedure, Role

STATUTORY_ROLES = [
    Role.YOUNG_PERSON,
    Role.PARENT,
    Role.ADOPTER,
    Role.FOSTER_CARER,
    Role.PROSPECTIVE_CARER,
    Role.SPECIAL_GUARDIAN,
    Role.ADVOCATE,
]
CORPORATE_ROLES = [role for role in Role if role not in STATUTORY_ROLES]
SOCIAL_CARE_SERVICES = ["children_in_care", "front_door", "adoption_fostering", "family_time"]
CORPORATE_SERVICES = ["send", "education"]

MONDAY_23_NOV = date(2026, 11, 23)


@pytest.fixture(scope="module")
def shipped() -> CouncilSettings:
    return load_council_settings(environ={})


# --- which procedure ---------------------------------------------------------------------


def test_the_shipped_statutory_roles_are_the_ones_these_tests_assume(shipped):
    assert set(shipped.procedures[Procedure.STATUTORY].eligible_roles) == set(STATUTORY_ROLES)


@pytest.mark.parametrize("role", STATUTORY_ROLES)
@pytest.mark.parametrize("service", SOCIAL_CARE_SERVICES)
def test_eligible_people_complaining_about_social_care_are_statutory(shipped, role, service):
    assert suggest_procedure(shipped, Kind.COMPLAINT, role, service) is Procedure.STATUTORY


@pytest.mark.parametrize("role", STATUTORY_ROLES)
@pytest.mark.parametrize("service", [None, "", "a_team_we_do_not_have"])
def test_an_unknown_service_counts_as_social_care(shipped, role, service):
    # Nobody loses the stronger procedure for not knowing the name of a team.
    assert suggest_procedure(shipped, Kind.COMPLAINT, role, service) is Procedure.STATUTORY


@pytest.mark.parametrize("role", CORPORATE_ROLES)
@pytest.mark.parametrize("service", [*SOCIAL_CARE_SERVICES, None])
def test_people_not_eligible_for_the_statutory_procedure_are_corporate(shipped, role, service):
    assert suggest_procedure(shipped, Kind.COMPLAINT, role, service) is Procedure.CORPORATE


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("service", CORPORATE_SERVICES)
def test_complaints_about_services_outside_social_care_are_corporate(shipped, role, service):
    assert suggest_procedure(shipped, Kind.COMPLAINT, role, service) is Procedure.CORPORATE


@pytest.mark.parametrize("kind", [kind for kind in Kind if kind is not Kind.COMPLAINT])
@pytest.mark.parametrize("role", [Role.PARENT, Role.GRANDPARENT])
def test_only_complaints_follow_a_procedure(shipped, kind, role):
    assert suggest_procedure(shipped, kind, role, "children_in_care") is None


# --- the response rule -------------------------------------------------------------------


def test_the_rule_for_a_stage_names_the_procedure_and_stage(shipped):
    assert response_rule(shipped, Kind.COMPLAINT, Procedure.STATUTORY, 2) == ResponseRule(
        25, "receipt", "statutory procedure, stage 2 response"
    )


@pytest.mark.parametrize(
    ("kind", "rule"),
    [
        (Kind.COMMENT, ResponseRule(10, "receipt", "reply to a comment")),
        (Kind.CASE_CONCERN, ResponseRule(2, "receipt", "reply to a case concern")),
        (Kind.ADVOCACY_REQUEST, ResponseRule(5, "receipt", "reply to an advocacy request")),
        (Kind.MEMBERS_ENQUIRY, ResponseRule(10, "receipt", "reply to a members' enquiry")),
        (Kind.COMPLIMENT, None),
        (Kind.PRE_COMPLAINT, None),
    ],
)
def test_the_rule_for_something_that_is_not_a_complaint(shipped, kind, rule):
    assert response_rule(shipped, kind, None, None) == rule


# --- statutory deadlines -----------------------------------------------------------------


def test_statutory_stage_1_from_a_monday(shipped):
    deadlines = plan_deadlines(
        shipped,
        kind=Kind.COMPLAINT,
        procedure=Procedure.STATUTORY,
        stage=1,
        received_on=MONDAY_23_NOV,
        wants_reply=True,
    )

    assert deadlines.acknowledge is not None
    assert deadlines.acknowledge.due == date(2026, 11, 25)
    assert deadlines.respond is not None
    assert deadlines.respond.due == date(2026, 12, 7)
    assert deadlines.respond.starts == MONDAY_23_NOV
    assert deadlines.respond_rule == ResponseRule(
        10, "receipt", "statutory procedure, stage 1 response"
    )


def test_statutory_stage_1_over_christmas_skips_bank_holidays_and_closures(shipped):
    # Received Friday 18 December 2026; 10 working days:
    #   Mon 21 (1), Tue 22 (2), Wed 23 (3), Thu 24 (4),
    #   Fri 25 Christmas Day, Sat 26, Sun 27, Mon 28 Boxing Day (observed),
    #   Tue 29, Wed 30, Thu 31 council closures, Fri 1 Jan 2027 New Year's Day, Sat 2, Sun 3,
    #   Mon 4 (5), Tue 5 (6), Wed 6 (7), Thu 7 (8), Fri 8 (9), Sat 9, Sun 10,
    #   Mon 11 January 2027 (10).
    deadlines = plan_deadlines(
        shipped,
        kind=Kind.COMPLAINT,
        procedure=Procedure.STATUTORY,
        stage=1,
        received_on=date(2026, 12, 18),
        wants_reply=True,
    )

    assert deadlines.acknowledge is not None
    assert deadlines.acknowledge.due == date(2026, 12, 22)
    assert deadlines.respond is not None
    assert deadlines.respond.due == date(2027, 1, 11)
    assert [s.day for s in deadlines.respond.skipped] == [
        date(2026, 12, 19),
        date(2026, 12, 20),
        date(2026, 12, 25),
        date(2026, 12, 26),
        date(2026, 12, 27),
        date(2026, 12, 28),
        date(2026, 12, 29),
        date(2026, 12, 30),
        date(2026, 12, 31),
        date(2027, 1, 1),
        date(2027, 1, 2),
        date(2027, 1, 3),
        date(2027, 1, 9),
        date(2027, 1, 10),
    ]
    closures = [s for s in deadlines.respond.skipped if s.reason.startswith("council closure")]
    assert [s.day for s in closures] == [date(2026, 12, 29), date(2026, 12, 30), date(2026, 12, 31)]


def test_an_acknowledgement_due_over_christmas_waits_for_the_new_year(shipped):
    # Thursday 24 December 2026: nothing is a working day until Monday 4 January 2027.
    deadlines = plan_deadlines(
        shipped,
        kind=Kind.COMPLAINT,
        procedure=Procedure.STATUTORY,
        stage=1,
        received_on=date(2026, 12, 24),
        wants_reply=True,
    )

    assert deadlines.acknowledge is not None
    assert deadlines.acknowledge.due == date(2027, 1, 5)


@pytest.mark.parametrize(
    ("stage", "due"),
    [
        # From Monday 23 November 2026 the 20th working day is Monday 21 December; then
        # Tue 22, Wed 23, Thu 24 (21-23), nothing until Mon 4 January 2027 (24).
        (2, date(2027, 1, 5)),  # 25 working days
        (3, date(2027, 1, 12)),  # 30 working days
    ],
)
def test_later_statutory_stages_run_from_the_request(shipped, stage, due):
    deadlines = plan_deadlines(
        shipped,
        kind=Kind.COMPLAINT,
        procedure=Procedure.STATUTORY,
        stage=stage,
        received_on=MONDAY_23_NOV,
        wants_reply=True,
    )

    assert deadlines.respond is not None
    assert deadlines.respond.due == due
    assert deadlines.respond.starts == MONDAY_23_NOV


# --- corporate deadlines -----------------------------------------------------------------


def test_corporate_stage_1_runs_from_the_latest_acknowledgement_date(shipped):
    # Not yet acknowledged: the clock starts on the acknowledge-by date, Wednesday 25
    # November, so the date given is one the council can keep whenever it acknowledges.
    deadlines = plan_deadlines(
        shipped,
        kind=Kind.COMPLAINT,
        procedure=Procedure.CORPORATE,
        stage=1,
        received_on=MONDAY_23_NOV,
        wants_reply=True,
    )

    assert deadlines.respond is not None
    assert deadlines.respond.starts == date(2026, 11, 25)
    assert deadlines.respond.due == date(2026, 12, 9)
    assert deadlines.respond_rule is not None
    assert deadlines.respond_rule.starts_from == "acknowledgement"


def test_corporate_stage_1_runs_from_the_day_it_was_acknowledged(shipped):
    deadlines = plan_deadlines(
        shipped,
        kind=Kind.COMPLAINT,
        procedure=Procedure.CORPORATE,
        stage=1,
        received_on=MONDAY_23_NOV,
        wants_reply=True,
        acknowledged_on=date(2026, 11, 24),
    )

    assert deadlines.respond is not None
    assert deadlines.respond.starts == date(2026, 11, 24)
    assert deadlines.respond.due == date(2026, 12, 8)


def test_the_acknowledgement_deadline_does_not_move_when_the_case_is_acknowledged(shipped):
    deadlines = plan_deadlines(
        shipped,
        kind=Kind.COMPLAINT,
        procedure=Procedure.CORPORATE,
        stage=1,
        received_on=MONDAY_23_NOV,
        wants_reply=True,
        acknowledged_on=date(2026, 11, 24),
    )

    assert deadlines.acknowledge is not None
    assert deadlines.acknowledge.due == date(2026, 11, 25)


def test_corporate_stage_1_without_a_reply_still_runs_from_the_acknowledge_by_date(shipped):
    deadlines = plan_deadlines(
        shipped,
        kind=Kind.COMPLAINT,
        procedure=Procedure.CORPORATE,
        stage=1,
        received_on=MONDAY_23_NOV,
        wants_reply=False,
    )

    assert deadlines.acknowledge is None
    assert deadlines.respond is not None
    assert deadlines.respond.starts == date(2026, 11, 25)
    assert deadlines.respond.due == date(2026, 12, 9)


def test_corporate_stage_2_runs_from_acknowledgement_for_20_working_days(shipped):
    deadlines = plan_deadlines(
        shipped,
        kind=Kind.COMPLAINT,
        procedure=Procedure.CORPORATE,
        stage=2,
        received_on=date(2026, 11, 2),
        wants_reply=True,
    )

    # Acknowledge by Wednesday 4 November; 20 working days later is Wednesday 2 December.
    assert deadlines.respond is not None
    assert deadlines.respond.starts == date(2026, 11, 4)
    assert deadlines.respond.due == date(2026, 12, 2)


# --- other kinds -------------------------------------------------------------------------


def test_a_comment_is_answered_in_10_working_days_from_receipt(shipped):
    deadlines = plan_deadlines(
        shipped,
        kind=Kind.COMMENT,
        procedure=None,
        stage=None,
        received_on=MONDAY_23_NOV,
        wants_reply=True,
    )

    assert deadlines.acknowledge is not None
    assert deadlines.acknowledge.due == date(2026, 11, 25)
    assert deadlines.respond is not None
    assert deadlines.respond.due == date(2026, 12, 7)


def test_a_comment_without_a_reply_still_has_a_date_for_the_council(shipped):
    deadlines = plan_deadlines(
        shipped,
        kind=Kind.COMMENT,
        procedure=None,
        stage=None,
        received_on=MONDAY_23_NOV,
        wants_reply=False,
    )

    assert deadlines.acknowledge is None
    assert deadlines.respond is not None
    assert deadlines.respond.due == date(2026, 12, 7)


@pytest.mark.parametrize(
    ("kind", "due"),
    [
        (Kind.CASE_CONCERN, date(2026, 11, 25)),
        (Kind.ADVOCACY_REQUEST, date(2026, 11, 30)),
        (Kind.MEMBERS_ENQUIRY, date(2026, 12, 7)),
    ],
)
def test_other_kinds_use_their_configured_reply_time(shipped, kind, due):
    deadlines = plan_deadlines(
        shipped,
        kind=kind,
        procedure=None,
        stage=None,
        received_on=MONDAY_23_NOV,
        wants_reply=True,
    )

    assert deadlines.respond is not None
    assert deadlines.respond.due == due


def test_a_compliment_has_no_respond_date(shipped):
    deadlines = plan_deadlines(
        shipped,
        kind=Kind.COMPLIMENT,
        procedure=None,
        stage=None,
        received_on=MONDAY_23_NOV,
        wants_reply=True,
    )

    assert deadlines.respond is None
    assert deadlines.respond_rule is None


def test_a_compliment_that_asked_for_a_reply_is_acknowledged(shipped):
    deadlines = plan_deadlines(
        shipped,
        kind=Kind.COMPLIMENT,
        procedure=None,
        stage=None,
        received_on=MONDAY_23_NOV,
        wants_reply=True,
    )

    assert deadlines.acknowledge is not None
    assert deadlines.acknowledge.due == date(2026, 11, 25)


@pytest.mark.parametrize(
    ("kind", "procedure", "stage"),
    [
        (Kind.COMPLAINT, Procedure.STATUTORY, 1),
        (Kind.COMMENT, None, None),
        (Kind.COMPLIMENT, None, None),
    ],
)
def test_no_acknowledgement_is_due_when_no_reply_was_wanted(shipped, kind, procedure, stage):
    deadlines = plan_deadlines(
        shipped,
        kind=kind,
        procedure=procedure,
        stage=stage,
        received_on=MONDAY_23_NOV,
        wants_reply=False,
    )

    assert deadlines.acknowledge is None


# --- overriding the timescale ------------------------------------------------------------


def test_respond_within_overrides_the_configured_timescale(shipped):
    # An extension of statutory Stage 1 to 20 working days from Monday 23 November 2026.
    deadlines = plan_deadlines(
        shipped,
        kind=Kind.COMPLAINT,
        procedure=Procedure.STATUTORY,
        stage=1,
        received_on=MONDAY_23_NOV,
        wants_reply=True,
        respond_within=20,
    )

    assert deadlines.respond is not None
    assert deadlines.respond.due == date(2026, 12, 21)
    assert deadlines.respond.working_days == 20
    assert deadlines.respond_rule == ResponseRule(
        20, "receipt", "statutory procedure, stage 1 response"
    )


def test_respond_within_keeps_the_starting_point_of_the_stage(shipped):
    deadlines = plan_deadlines(
        shipped,
        kind=Kind.COMPLAINT,
        procedure=Procedure.CORPORATE,
        stage=1,
        received_on=MONDAY_23_NOV,
        wants_reply=True,
        acknowledged_on=date(2026, 11, 24),
        respond_within=20,
    )

    # 20 working days after Tuesday 24 November 2026 is Tuesday 22 December.
    assert deadlines.respond is not None
    assert deadlines.respond.starts == date(2026, 11, 24)
    assert deadlines.respond.due == date(2026, 12, 22)


def test_respond_within_does_not_give_a_compliment_a_respond_date(shipped):
    deadlines = plan_deadlines(
        shipped,
        kind=Kind.COMPLIMENT,
        procedure=None,
        stage=None,
        received_on=MONDAY_23_NOV,
        wants_reply=True,
        respond_within=5,
    )

    assert deadlines.respond is None


def test_every_planned_deadline_can_explain_itself(shipped):
    deadlines = plan_deadlines(
        shipped,
        kind=Kind.COMPLAINT,
        procedure=Procedure.STATUTORY,
        stage=1,
        received_on=date(2026, 12, 18),
        wants_reply=True,
    )

    assert deadlines.respond is not None
    lines = deadlines.respond.explain()
    assert lines[0] == "10 working days after 2026-12-18 (Friday) is 2027-01-11 (Monday)."
    closure = "council closure (Council offices closed between Christmas and New Year)"
    assert f"  2026-12-29 (Tue): {closure}" in lines
