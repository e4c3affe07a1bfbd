"""Routing: the shipped teams and rules, table-tested; the checks on a council's own file.

`route()` is tried against the shipped `teams.toml` and `council.toml` for every rule, for
what no rule claims, and for safeguarding at every kind of hour (office hours, evenings,
nights, weekends, bank holidays and the council's own closure days).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from intake.casework.council import CouncilSettings, load_council_settings
from intake.casework.routing import (
    CaseFacts,
    RoutingConfigError,
    RoutingSettings,
    load_routing,
    route,
)
from intake.casework.vocabulary import ChildStatus, Kind
from intake.extensions import db
from intake.models import CaseEvent, CaseTeam
from tests.casework.staffside import new_case, shipped_routing_with
from tests.support import london

# Monday 23 November 2026, 10:00 in London: a working day, in office hours.
MONDAY_10AM = london(2026, 11, 23, 10)


@pytest.fixture(scope="module")
def council() -> CouncilSettings:
    return load_council_settings(environ={})


@pytest.fixture(scope="module")
def teams(council: CouncilSettings) -> RoutingSettings:
    return load_routing(None, council)


def facts(
    *,
    kind: str = "complaint",
    procedure: str | None = "statutory",
    service_area: str | None = None,
    child_statuses: tuple[str, ...] = (),
    role: str = "parent",
    method: str = "online_form",
    language: str = "en",
    text: str = "Nobody has called me back about my son's plan.",
    safeguarding: bool = False,
    incomplete: bool = False,
) -> CaseFacts:
    return CaseFacts(
        kind=kind,
        procedure=procedure,
        service_area=service_area,
        child_statuses=child_statuses,
        role=role,
        method=method,
        language=language,
        text=text,
        safeguarding=safeguarding,
        incomplete=incomplete,
    )


# --- every shipped rule ------------------------------------------------------------------

RULE_TABLE = [
    # (what the case says, team, the rule that decides)
    (
        {"kind": "advocacy_request", "procedure": None},
        "advocacy",
        "Advocacy requests go to the advocacy provider",
    ),
    ({"service_area": "send"}, "send", "Education and SEND go to the SEND team"),
    ({"service_area": "education"}, "send", "Education and SEND go to the SEND team"),
    ({"service_area": "front_door"}, "front_door", "The front door's own work"),
    ({"service_area": "out_of_hours"}, "front_door", "The front door's own work"),
    ({"service_area": "assessment"}, "assessment", "Assessment"),
    (
        {"service_area": "child_in_need"},
        "child_in_need",
        "Child in need and child protection, and conferences",
    ),
    (
        {"service_area": "conferences_reviews"},
        "child_in_need",
        "Child in need and child protection, and conferences",
    ),
    (
        {"service_area": "children_in_care"},
        "children_in_care",
        "Children in care, contact and placements",
    ),
    (
        {"service_area": "family_time"},
        "children_in_care",
        "Children in care, contact and placements",
    ),
    (
        {"service_area": "placements"},
        "children_in_care",
        "Children in care, contact and placements",
    ),
    ({"service_area": "care_leavers"}, "care_leavers", "Care leavers"),
    ({"service_area": "adoption_fostering"}, "adoption_fostering", "Adoption and fostering"),
    ({"service_area": "disabled_children"}, "disabled_children", "Disabled children"),
    ({"service_area": "early_help"}, "early_help", "Early help"),
    ({"service_area": "youth_justice"}, "youth_justice", "Youth justice"),
    (
        {"child_statuses": ("child_in_care",)},
        "children_in_care",
        "A child in care who did not name a team",
    ),
    (
        {"child_statuses": ("child_in_need", "care_leaver")},
        "care_leavers",
        "A care leaver who did not name a team",
    ),
    (
        {"text": "My foster carer will not let me keep my phone at night."},
        "children_in_care",
        "Words about foster carers or family time",
    ),
    (
        {"text": "Our Family Time with the twins keeps being cancelled."},
        "children_in_care",
        "Words about foster carers or family time",
    ),
    (
        {"text": "I just want contact with my brother more often."},
        "children_in_care",
        "Words about foster carers or family time",
    ),
    # First match wins: an advocacy request about SEND goes to the advocacy provider.
    (
        {"kind": "advocacy_request", "procedure": None, "service_area": "send"},
        "advocacy",
        "Advocacy requests go to the advocacy provider",
    ),
    # A named service beats the child's status and the words used.
    (
        {
            "service_area": "assessment",
            "child_statuses": ("child_in_care",),
            "text": "My foster carer was not asked about the assessment.",
        },
        "assessment",
        "Assessment",
    ),
    # The child's status beats the words.
    (
        {"child_statuses": ("care_leaver",), "text": "I miss family time with my sister."},
        "care_leavers",
        "A care leaver who did not name a team",
    ),
    # Any kind follows the rules, not only complaints.
    (
        {"kind": "comment", "procedure": None, "service_area": "early_help"},
        "early_help",
        "Early help",
    ),
]


@pytest.mark.parametrize(("given", "team", "rule"), RULE_TABLE)
def test_each_shipped_rule_sends_the_case_to_its_team(teams, council, given, team, rule):
    decision = route(teams, council, facts(**given), MONDAY_10AM)

    assert (decision.team, decision.rule, decision.priority) == (team, rule, "normal")
    assert "MATCHES" in decision.reasons[-1]
    assert decision.reasons[-1].startswith(f"{len(decision.reasons)}. {rule}: MATCHES")


def test_the_shipped_rules_are_the_ones_this_table_covers(teams):
    covered = {rule for _, _, rule in RULE_TABLE}
    assert {rule.name for rule in teams.rules} == covered


def test_every_shipped_service_area_has_a_rule(teams, council):
    for service in council.services:
        decision = route(teams, council, facts(service_area=service.key), MONDAY_10AM)
        assert decision.rule is not None, service.key
        assert decision.team != teams.routing.triage_team, service.key


@pytest.mark.parametrize(
    "given",
    [
        {},
        {"child_statuses": ("child_in_need", "disabled")},
        {"text": "The fostering panel was postponed twice."},  # "fostering" is not "foster"
        {"service_area": "a_service_we_do_not_have"},
        {"kind": "compliment", "procedure": None, "text": "Thank you to the duty worker."},
    ],
)
def test_what_no_rule_claims_goes_to_the_complaints_triage_queue(teams, council, given):
    decision = route(teams, council, facts(**given), MONDAY_10AM)

    assert (decision.team, decision.rule, decision.priority) == ("complaints", None, "normal")
    # Every rule is named in turn, in order, each with why it did not match.
    assert len(decision.reasons) == len(teams.rules) + 1
    for number, (reason, rule) in enumerate(zip(decision.reasons, teams.rules, strict=False), 1):
        assert reason.startswith(f"{number}. {rule.name}: no (")
    assert decision.reasons[-1] == "no rule matched: goes to the triage queue (complaints)"


def test_the_reasons_say_why_each_rule_before_the_match_failed(teams, council):
    decision = route(teams, council, facts(service_area="assessment"), MONDAY_10AM)

    assert decision.reasons == (
        "1. Advocacy requests go to the advocacy provider: no "
        "(kind is complaint, not advocacy_request)",
        "2. Education and SEND go to the SEND team: no "
        "(service_area is assessment, not send or education)",
        "3. The front door's own work: no "
        "(service_area is assessment, not front_door or out_of_hours)",
        "4. Assessment: MATCHES (every condition holds)",
    )


def test_reasons_name_a_missing_service_and_a_missing_status(teams, council):
    decision = route(teams, council, facts(), MONDAY_10AM)

    assert decision.reasons[1] == (
        "2. Education and SEND go to the SEND team: no "
        "(service_area is not known, not send or education)"
    )
    assert decision.reasons[11] == (
        "12. A child in care who did not name a team: no (child status is not child_in_care)"
    )
    assert decision.reasons[13] == (
        "14. Words about foster carers or family time: no "
        "(none of its words are in what was written)"
    )


def test_an_incomplete_case_goes_to_triage_whatever_it_says(teams, council):
    decision = route(teams, council, facts(service_area="send", incomplete=True), MONDAY_10AM)

    assert decision.team == "complaints"
    assert decision.priority == "normal"
    assert decision.rule is None
    assert decision.reasons == ("incomplete: goes to the triage queue",)


# --- safeguarding: the duty team in office hours, out of hours otherwise ------------------

SAFEGUARDING_TIMES = [
    # Monday 23 November 2026: a working day.
    (london(2026, 11, 23, 10), "front_door"),
    (london(2026, 11, 23, 9, 0), "front_door"),  # the office has just opened
    (london(2026, 11, 23, 16, 59), "front_door"),
    (london(2026, 11, 23, 8, 59), "out_of_hours"),
    (london(2026, 11, 23, 17, 0), "out_of_hours"),  # the office closes at 17:00
    (london(2026, 11, 23, 23, 30), "out_of_hours"),  # at night
    (london(2026, 11, 24, 2, 15), "out_of_hours"),  # the small hours of Tuesday
    (london(2026, 11, 28, 11), "out_of_hours"),  # Saturday
    (london(2026, 11, 29, 14), "out_of_hours"),  # Sunday
    (london(2026, 12, 25, 11), "out_of_hours"),  # Christmas Day (Friday)
    (london(2026, 12, 28, 11), "out_of_hours"),  # Boxing Day, observed on Monday
    (london(2026, 12, 30, 11), "out_of_hours"),  # a council closure day (Wednesday)
    (london(2027, 1, 1, 11), "out_of_hours"),  # New Year's Day
    (london(2027, 1, 4, 11), "front_door"),  # back at work on Monday 4 January
    (london(2027, 3, 26, 11), "out_of_hours"),  # Good Friday
    (london(2027, 3, 29, 11), "out_of_hours"),  # Easter Monday
    (london(2027, 3, 30, 11), "front_door"),
    # In British Summer Time, 08:30 UTC is 09:30 in London and 16:30 UTC is 17:30.
    (datetime(2027, 6, 14, 8, 30, tzinfo=UTC), "front_door"),
    (datetime(2027, 6, 14, 16, 30, tzinfo=UTC), "out_of_hours"),
]


@pytest.mark.parametrize(("at", "team"), SAFEGUARDING_TIMES)
def test_safeguarding_goes_to_the_duty_team_in_office_hours_and_out_of_hours_otherwise(
    teams, council, at, team
):
    decision = route(teams, council, facts(safeguarding=True, service_area="send"), at)

    assert decision.team == team
    assert decision.priority == "urgent"
    assert decision.rule is None
    assert decision.reasons == (
        f"safeguarding: goes to {team} (the duty team in office hours, out of hours "
        "otherwise), urgent",
    )


@pytest.mark.parametrize(
    "given",
    [
        {"kind": "advocacy_request", "procedure": None},
        {"incomplete": True},
        {"child_statuses": ("child_in_care",), "text": "My foster carer hit me."},
    ],
)
def test_safeguarding_comes_before_every_rule_and_before_triage(teams, council, given):
    decision = route(teams, council, facts(safeguarding=True, **given), MONDAY_10AM)

    assert (decision.team, decision.priority) == ("front_door", "urgent")


# --- inactive teams ----------------------------------------------------------------------


def test_a_rule_for_an_inactive_team_is_skipped(council):
    routing = shipped_routing_with({"send": {"active": False}})

    decision = route(routing, council, facts(service_area="send"), MONDAY_10AM)

    assert decision.team == "complaints"
    assert decision.reasons[1] == "2. Education and SEND go to the SEND team: skipped " + (
        "(team send is not active)"
    )
    assert decision.reasons[-1] == "no rule matched: goes to the triage queue (complaints)"


def test_after_an_inactive_team_the_next_rule_that_holds_decides(council):
    routing = shipped_routing_with({"send": {"active": False}})

    decision = route(
        routing,
        council,
        facts(service_area="education", child_statuses=(ChildStatus.CHILD_IN_CARE.value,)),
        MONDAY_10AM,
    )

    assert decision.team == "children_in_care"
    assert decision.rule == "A child in care who did not name a team"
    assert "skipped (team send is not active)" in decision.reasons[1]


def test_an_inactive_advocacy_provider_leaves_advocacy_requests_to_the_rules(council):
    routing = shipped_routing_with({"advocacy": {"active": False}})

    decision = route(
        routing,
        council,
        facts(kind=Kind.ADVOCACY_REQUEST.value, procedure=None, service_area="care_leavers"),
        MONDAY_10AM,
    )

    assert decision.team == "care_leavers"
    assert decision.reasons[0].endswith("skipped (team advocacy is not active)")


# --- checking a council's own teams file, naming the line --------------------------------

GOOD_TEAMS = """\
# A small council's teams (fictional).
[[teams]]
key = "complaints"
name = "Complaints team"
inbox = "complaints@example.org"
manager = "complaints.manager@example.org"

[[teams]]
key = "front_door"
name = "Front door"
inbox = "front.door@example.org"
manager = "front.door.manager@example.org"

[[teams]]
key = "out_of_hours"
name = "Emergency duty team"
inbox = "emergency.duty@example.org"
manager = "emergency.duty.manager@example.org"
every_day = true

[[teams]]
key = "assessment"
name = "Assessment"
inbox = "assessment@example.org"
manager = "assessment.manager@example.org"

[routing]
triage_team = "complaints"

[[rules]]
name = "Assessment"
service_area = ["assessment"]
team = "assessment"

[[rules]]
name = "Children in care"
child_status = ["child_in_care"]
team = "assessment"
"""


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """The number of the line holding `needle` (its `occurrence`th appearance)."""
    found = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    return found[occurrence - 1]


def problems_with(tmp_path: Path, council: CouncilSettings, text: str) -> str:
    path = tmp_path / "teams.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RoutingConfigError) as raised:
        load_routing(path, council)
    message = str(raised.value)
    assert message.startswith(f"{path} ")
    return message


def test_the_small_council_file_is_good(tmp_path, council):
    path = tmp_path / "teams.toml"
    path.write_text(GOOD_TEAMS, encoding="utf-8")

    routing = load_routing(path, council)

    assert [t.key for t in routing.teams] == [
        "complaints",
        "front_door",
        "out_of_hours",
        "assessment",
    ]
    assert [r.name for r in routing.rules] == ["Assessment", "Children in care"]


def test_a_rule_naming_an_unknown_team_names_its_line(tmp_path, council):
    text = GOOD_TEAMS.replace(
        'child_status = ["child_in_care"]\nteam = "assessment"',
        'child_status = ["child_in_care"]\nteam = "children_in_care"',
    )
    message = problems_with(tmp_path, council, text)

    line = line_of(text, 'team = "children_in_care"')
    assert line == 38
    assert f"line {line}: rules.1.team: 'children_in_care' is not a team" in message


def test_a_rule_naming_an_unknown_service_names_its_line(tmp_path, council):
    text = GOOD_TEAMS.replace('service_area = ["assessment"]', 'service_area = ["swimming"]')
    message = problems_with(tmp_path, council, text)

    line = line_of(text, 'service_area = ["swimming"]')
    assert line == 32
    assert (
        f"line {line}: rules.0.service_area: 'swimming' is not a service in council.toml" in message
    )


def test_a_rule_with_no_conditions_names_its_table(tmp_path, council):
    text = GOOD_TEAMS + '\n[[rules]]\nname = "Everything"\nteam = "assessment"\n'
    message = problems_with(tmp_path, council, text)

    line = line_of(text, "[[rules]]", occurrence=3)
    assert line == 40
    assert (
        f"line {line}: rules.2: a rule needs at least one condition, or it would take every case"
        in message
    )


def test_a_bad_team_key_names_its_line(tmp_path, council):
    text = GOOD_TEAMS.replace('key = "assessment"', 'key = "Assessment Team"')
    message = problems_with(tmp_path, council, text)

    line = line_of(text, 'key = "Assessment Team"')
    assert line == 22
    assert (
        f"line {line}: teams.3.key: must be lower-case letters, digits and _, starting with a "
        "letter" in message
    )


def test_a_bad_inbox_address_names_its_line(tmp_path, council):
    text = GOOD_TEAMS.replace(
        'inbox = "front.door@example.org"', 'inbox = "front door at example dot org"'
    )
    message = problems_with(tmp_path, council, text)

    line = line_of(text, "front door at example dot org")
    assert line == 11
    assert f"line {line}: teams.1.inbox: must be an email address, like team@example.org" in message


def test_a_bad_manager_address_names_its_line(tmp_path, council):
    text = GOOD_TEAMS.replace(
        'manager = "assessment.manager@example.org"', 'manager = "assessment.manager"'
    )
    message = problems_with(tmp_path, council, text)

    line = line_of(text, 'manager = "assessment.manager"')
    assert f"line {line}: teams.3.manager" in message


def test_an_unknown_setting_in_a_team_names_its_line(tmp_path, council):
    text = GOOD_TEAMS.replace("every_day = true", 'every_day = true\ncolour = "purple"')
    message = problems_with(tmp_path, council, text)

    assert f"line {line_of(text, 'colour = ')}: teams.2.colour" in message


def test_every_problem_is_listed_each_with_its_line(tmp_path, council):
    text = GOOD_TEAMS.replace('key = "assessment"', 'key = "Assessment Team"').replace(
        'inbox = "front.door@example.org"', 'inbox = "nowhere"'
    )
    message = problems_with(tmp_path, council, text)

    assert f"line {line_of(text, 'Assessment Team')}: teams.3.key" in message
    inbox = line_of(text, 'inbox = "nowhere"')
    assert f"line {inbox}: teams.1.inbox" in message


def test_a_broken_toml_file_names_its_line(tmp_path, council):
    text = GOOD_TEAMS.replace('name = "Front door"', 'name = "Front door')
    message = problems_with(tmp_path, council, text)

    assert "is not valid TOML" in message
    line = line_of(text, 'name = "Front door')
    assert f"line {line}" in message


# The next three are problems the service does catch, but (at the time of writing) without
# saying where: the brief for routing asks for every error to name its line.


def test_repeated_team_keys_name_the_line_of_the_repeat(tmp_path, council):
    text = GOOD_TEAMS.replace('key = "assessment"', 'key = "front_door"')
    message = problems_with(tmp_path, council, text)

    assert "'front_door' is already a team's key" in message
    line = line_of(text, 'key = "front_door"', occurrence=2)
    assert line == 22
    assert f"line {line}" in message


def test_a_triage_team_that_is_not_a_team_names_its_line(tmp_path, council):
    text = GOOD_TEAMS.replace('triage_team = "complaints"', 'triage_team = "complaints_team"')
    message = problems_with(tmp_path, council, text)

    assert "routing.triage_team: 'complaints_team' is not a team" in message
    line = line_of(text, "triage_team")
    assert line == 28
    assert f"line {line}" in message


def test_the_councils_duty_team_missing_from_the_teams_names_a_line(tmp_path, council):
    # Without a front_door team nobody would be alerted about a child at risk in office hours.
    start = GOOD_TEAMS.index('[[teams]]\nkey = "front_door"')
    end = GOOD_TEAMS.index('[[teams]]\nkey = "out_of_hours"')
    text = GOOD_TEAMS[:start] + GOOD_TEAMS[end:]
    message = problems_with(tmp_path, council, text)

    assert "council.toml's safeguarding.duty_team 'front_door' is not a team here" in message
    # Which line is for the service to choose (council.toml's `duty_team = ...`, or where
    # the teams are listed), but the person fixing it must be told where to look.
    assert re.search(r"\bline \d+", message), message


def test_the_out_of_hours_team_missing_is_reported(tmp_path, council):
    start = GOOD_TEAMS.index('[[teams]]\nkey = "out_of_hours"')
    end = GOOD_TEAMS.index('[[teams]]\nkey = "assessment"')
    message = problems_with(tmp_path, council, GOOD_TEAMS[:start] + GOOD_TEAMS[end:])

    expected = "council.toml's safeguarding.out_of_hours_team 'out_of_hours' is not a team here"
    assert expected in message


def test_a_missing_file_is_reported(tmp_path, council):
    with pytest.raises(RoutingConfigError, match="cannot be read"):
        load_routing(tmp_path / "no-such-teams.toml", council)


# --- a new case lands in its team's queue ------------------------------------------------


def test_receive_case_with_routing_puts_the_case_in_its_teams_queue(app, clock):
    case = new_case(service_area="children_in_care", statuses=(ChildStatus.CHILD_IN_CARE,))

    assert case.team == "children_in_care"
    assert case.priority == "normal"
    routed = [e for e in case.events if e.event == "routed"]
    assert len(routed) == 1
    assert routed[0].actor == "service"
    assert routed[0].detail == {
        "team": "children_in_care",
        "from": None,
        "priority": "normal",
        "rule": "Children in care, contact and placements",
    }
    rows = db.session.scalars(select(CaseTeam).where(CaseTeam.case_id == case.id)).all()
    assert [(row.team, row.lead) for row in rows] == [("children_in_care", True)]
    stored = db.session.scalars(
        select(CaseEvent.event).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
    ).all()
    assert stored == ["received", "deadlines_set", "routed"]


def test_an_advocacy_request_goes_to_the_advocacy_provider(app, clock):
    case = new_case(kind=Kind.ADVOCACY_REQUEST, service_area="send")

    assert case.team == "advocacy"
    assert case.events[-1].detail["rule"] == "Advocacy requests go to the advocacy provider"


def test_a_case_nobody_claims_goes_to_the_complaints_team(app, clock):
    case = new_case(service_area=None, what_happened="The letter had the wrong date on it.")

    assert case.team == "complaints"
    assert case.events[-1].detail["rule"] is None


def test_an_incomplete_case_goes_to_the_complaints_team(app, clock):
    case = new_case(service_area="youth_justice", incomplete=True)

    assert case.team == "complaints"


@pytest.mark.parametrize(
    ("received_at", "team"),
    [(london(2026, 11, 23, 10), "front_door"), (london(2026, 12, 30, 10), "out_of_hours")],
)
def test_a_safeguarding_case_goes_to_the_duty_team_as_urgent(app, clock, received_at, team):
    case = new_case(received_at, safeguarding=True, service_area="assessment")

    assert (case.team, case.priority) == (team, "urgent")
    assert case.events[-1].detail["priority"] == "urgent"
    rows = db.session.scalars(select(CaseTeam).where(CaseTeam.case_id == case.id)).all()
    assert [(row.team, row.lead) for row in rows] == [(team, True)]
