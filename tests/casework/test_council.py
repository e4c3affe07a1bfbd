"""The council's settings file: the shipped default, environment overrides, and mistakes."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from intake.casework.calendar import Nation
from intake.casework.council import (
    DEFAULT_COUNCIL_FILE,
    CouncilConfigError,
    CouncilSettings,
    load_council_settings,
    localise,
)
from intake.casework.vocabulary import Kind, Procedure

# The smallest file the service accepts; each bad file below is this with one mistake.
MINIMAL = """\
[council]
name = "Testshire Council"
service_name = "Tell Testshire"
phone = "01632 960 111"

[safeguarding]
out_of_hours_phone = "01632 960 222"

[procedures.statutory]
name = "Statutory procedure"
eligible_roles = ["parent", "young_person"]

[[procedures.statutory.stages]]
stage = 1
respond_working_days = 10
extended_working_days = 20

[[procedures.statutory.stages]]
stage = 2
respond_working_days = 25

[procedures.corporate]
name = "Corporate procedure"

[[procedures.corporate.stages]]
stage = 1
respond_working_days = 10
starts_from = "acknowledgement"

[kinds.comment]
respond_working_days = 10

[kinds.compliment]

[[services]]
key = "assessment"
name = { en = "Assessment", cy = "Asesu" }

[[services]]
key = "education"
name = "Education"
social_care = false

[[closures]]
date = 2026-12-29
reason = "Offices closed for the holidays"
"""


def _write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "council.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _minimal_with(old: str, new: str) -> str:
    assert MINIMAL.count(old) == 1, f"{old!r} must occur once in MINIMAL"
    return MINIMAL.replace(old, new)


@pytest.fixture(scope="module")
def shipped() -> CouncilSettings:
    return load_council_settings(environ={})


# --- the shipped default -----------------------------------------------------------------


def test_the_shipped_default_is_the_file_loaded_without_a_path():
    assert load_council_settings(environ={}) == load_council_settings(
        DEFAULT_COUNCIL_FILE, environ={}
    )


def test_the_shipped_default_is_an_english_council(shipped):
    assert shipped.council.nation is Nation.ENGLAND
    assert shipped.council.reference_prefix == "CS"
    # English and Welsh first, then the languages most spoken in English council areas.
    assert shipped.council.languages[:2] == ["en", "cy"]
    assert {"pl", "ar", "ur"} <= set(shipped.council.languages)
    assert shipped.acknowledge_working_days == 2


def test_the_shipped_statutory_procedure_has_three_stages_from_receipt(shipped):
    statutory = shipped.procedures[Procedure.STATUTORY]

    assert [(s.stage, s.respond_working_days) for s in statutory.stages] == [
        (1, 10),
        (2, 25),
        (3, 30),
    ]
    assert [s.extended_working_days for s in statutory.stages] == [20, 65, None]
    assert {s.starts_from for s in statutory.stages} == {"receipt"}


def test_the_shipped_corporate_procedure_has_two_stages_from_acknowledgement(shipped):
    corporate = shipped.procedures[Procedure.CORPORATE]

    assert [(s.stage, s.respond_working_days) for s in corporate.stages] == [(1, 10), (2, 20)]
    assert {s.starts_from for s in corporate.stages} == {"acknowledgement"}


def test_stage_looks_a_stage_up_by_its_number(shipped):
    assert shipped.procedures[Procedure.STATUTORY].stage(2).respond_working_days == 25


@pytest.mark.parametrize(
    ("kind", "working_days"),
    [
        (Kind.COMMENT, 10),
        (Kind.CASE_CONCERN, 2),
        (Kind.ADVOCACY_REQUEST, 5),
        (Kind.MEMBERS_ENQUIRY, 10),
        (Kind.COMPLIMENT, None),
        (Kind.PRE_COMPLAINT, None),
    ],
)
def test_the_shipped_reply_times_for_other_kinds(shipped, kind, working_days):
    assert shipped.respond_working_days_for(kind) == working_days


def test_the_shipped_non_social_care_services_are_send_and_education(shipped):
    assert [s.key for s in shipped.services if not s.social_care] == ["send", "education"]


def test_the_shipped_calendar_includes_the_council_closures(shipped):
    calendar = shipped.calendar()

    for day in (date(2026, 12, 29), date(2026, 12, 30), date(2026, 12, 31)):
        reason = calendar.non_working_reason(day)
        assert reason is not None
        assert reason.startswith("council closure (")


# --- the settings object -----------------------------------------------------------------


def test_a_minimal_file_loads_with_the_defaults(tmp_path):
    settings = load_council_settings(_write(tmp_path, MINIMAL), environ={})

    assert settings.council.name == "Testshire Council"
    assert settings.council.nation is Nation.ENGLAND
    assert settings.council.reference_prefix == "CS"
    assert settings.acknowledge_working_days == 2
    assert settings.procedures[Procedure.STATUTORY].stage(1).starts_from == "receipt"


def test_calendar_uses_the_closures_and_the_nation(tmp_path):
    text = _minimal_with('phone = "01632 960 111"', 'phone = "01632 960 111"\nnation = "scotland"')
    calendar = load_council_settings(_write(tmp_path, text), environ={}).calendar()

    assert calendar.non_working_reason(date(2026, 12, 29)) == (
        "council closure (Offices closed for the holidays)"
    )
    assert not calendar.is_working_day(date(2026, 11, 30))  # St Andrew's Day
    assert calendar.is_working_day(date(2026, 12, 30))


def test_service_finds_a_service_by_its_key(tmp_path):
    settings = load_council_settings(_write(tmp_path, MINIMAL), environ={})

    education = settings.service("education")
    assert education is not None
    assert education.name == "Education"
    assert education.social_care is False
    assert settings.service("assessment").social_care is True


def test_service_is_none_for_an_unknown_key(tmp_path):
    settings = load_council_settings(_write(tmp_path, MINIMAL), environ={})

    assert settings.service("no_such_service") is None


# --- names in several languages ----------------------------------------------------------


def test_localise_returns_a_plain_name_whatever_the_language():
    assert localise("Assessment", "cy") == "Assessment"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Assessment"),
        ("cy", "Asesu"),
        ("fr", "Assessment"),  # no French: the English fallback
    ],
)
def test_localise_picks_the_language_or_falls_back_to_english(language, expected):
    assert localise({"en": "Assessment", "cy": "Asesu"}, language) == expected


def test_localise_uses_the_fallback_it_is_given():
    assert localise({"en": "Assessment", "cy": "Asesu"}, "fr", fallback="cy") == "Asesu"


def test_localise_without_the_language_or_the_fallback_uses_the_first_name():
    assert localise({"cy": "Asesu", "pl": "Ocena"}, "en") == "Asesu"


def test_localise_skips_an_empty_translation():
    assert localise({"en": "Assessment", "cy": ""}, "cy") == "Assessment"


def test_service_names_in_the_file_can_be_per_language(tmp_path):
    settings = load_council_settings(_write(tmp_path, MINIMAL), environ={})

    assessment = settings.service("assessment")
    assert assessment is not None
    assert localise(assessment.name, "cy") == "Asesu"
    assert localise(assessment.name, "en") == "Assessment"


# --- environment overrides ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("variable", "value", "field", "expected"),
    [
        ("COUNCIL_NAME", "Otherborough Council", "name", "Otherborough Council"),
        ("SERVICE_NAME", "Talk to us", "service_name", "Talk to us"),
        ("COUNCIL_NATION", "wales", "nation", Nation.WALES),
        ("COUNCIL_PHONE", "01632 960 999", "phone", "01632 960 999"),
        ("REFERENCE_PREFIX", "OB", "reference_prefix", "OB"),
    ],
)
def test_the_environment_overrides_the_file(tmp_path, variable, value, field, expected):
    settings = load_council_settings(_write(tmp_path, MINIMAL), environ={variable: value})

    assert getattr(settings.council, field) == expected


def test_the_environment_overrides_the_shipped_default():
    settings = load_council_settings(environ={"COUNCIL_NATION": "scotland"})

    assert settings.council.nation is Nation.SCOTLAND
    assert not settings.calendar().is_working_day(date(2026, 11, 30))  # St Andrew's Day


def test_an_empty_environment_variable_leaves_the_file_alone(tmp_path):
    settings = load_council_settings(_write(tmp_path, MINIMAL), environ={"COUNCIL_NAME": ""})

    assert settings.council.name == "Testshire Council"


def test_unrelated_environment_variables_are_ignored(tmp_path):
    settings = load_council_settings(
        _write(tmp_path, MINIMAL), environ={"ACKNOWLEDGE_WORKING_DAYS": "5"}
    )

    assert settings.acknowledge_working_days == 2


def test_only_the_environment_passed_in_is_read(tmp_path, monkeypatch):
    monkeypatch.setenv("COUNCIL_NAME", "Otherborough Council")

    settings = load_council_settings(_write(tmp_path, MINIMAL))

    assert settings.council.name == "Testshire Council"


def test_an_override_fills_in_a_value_missing_from_the_file(tmp_path):
    text = _minimal_with('phone = "01632 960 111"\n', "")

    settings = load_council_settings(
        _write(tmp_path, text), environ={"COUNCIL_PHONE": "01632 960 222"}
    )

    assert settings.council.phone == "01632 960 222"


@pytest.mark.parametrize(
    ("variable", "value", "problem"),
    [
        ("REFERENCE_PREFIX", "cs", "capital letters"),
        ("COUNCIL_NATION", "england_and_wales", "england"),
    ],
)
def test_a_bad_override_names_the_environment_variable(tmp_path, variable, value, problem):
    # The file itself is fine: the message must send the reader to the variable, not
    # leave them searching the file for a value that is not in it.
    with pytest.raises(CouncilConfigError) as raised:
        load_council_settings(_write(tmp_path, MINIMAL), environ={variable: value})

    assert problem in str(raised.value)
    assert variable in str(raised.value)


# --- files the service refuses -----------------------------------------------------------


def test_a_missing_file_is_reported(tmp_path):
    path = tmp_path / "nowhere.toml"

    with pytest.raises(CouncilConfigError, match="does not exist") as raised:
        load_council_settings(path, environ={})

    assert str(path) in str(raised.value)


def test_invalid_toml_is_reported_with_its_line(tmp_path):
    path = _write(tmp_path, _minimal_with('name = "Testshire Council"', "name = Testshire Council"))

    with pytest.raises(CouncilConfigError, match="is not valid TOML") as raised:
        load_council_settings(path, environ={})

    assert str(path) in str(raised.value)
    assert "line 2" in str(raised.value)


def test_a_closure_with_an_impossible_toml_date_is_reported_as_invalid_toml(tmp_path):
    path = _write(tmp_path, _minimal_with("date = 2026-12-29", "date = 2026-02-30"))

    with pytest.raises(CouncilConfigError, match="is not valid TOML"):
        load_council_settings(path, environ={})


def test_a_file_that_is_not_utf8_is_reported(tmp_path):
    # Saved by an editor in Windows-1252: the pound sign is the single byte 0xA3.
    text = _minimal_with('name = "Testshire Council"', 'name = "Testshire Council (£)"')
    path = _write(tmp_path, text.encode("cp1252"))

    with pytest.raises(CouncilConfigError) as raised:
        load_council_settings(path, environ={})

    assert str(path) in str(raised.value)


def test_a_directory_instead_of_a_file_is_reported(tmp_path):
    with pytest.raises(CouncilConfigError) as raised:
        load_council_settings(tmp_path, environ={})

    assert str(tmp_path) in str(raised.value)


@pytest.mark.parametrize(
    ("old", "new", "where", "problem"),
    [
        pytest.param(
            "[council]\n",
            "acknowledge_days = 3\n\n[council]\n",
            "acknowledge_days",
            "Extra inputs are not permitted",
            id="unknown-top-level-key",
        ),
        pytest.param(
            'phone = "01632 960 111"',
            'phone = "01632 960 111"\nfax = "01632 960 112"',
            "council.fax",
            "Extra inputs are not permitted",
            id="unknown-council-key",
        ),
        pytest.param(
            "respond_working_days = 25",
            "respond_working_days = 25\nrespond_days = 25",
            "procedures.statutory.stages.1.respond_days",
            "Extra inputs are not permitted",
            id="unknown-stage-key",
        ),
        pytest.param(
            'phone = "01632 960 111"',
            'phone = "01632 960 111"\nreference_prefix = "cs"',
            "council.reference_prefix",
            "capital letters",
            id="lower-case-prefix",
        ),
        pytest.param(
            'phone = "01632 960 111"',
            'phone = "01632 960 111"\nreference_prefix = "TOO-LONG-PREFIX"',
            "council.reference_prefix",
            "capital letters",
            id="long-prefix-with-hyphens",
        ),
        pytest.param(
            'phone = "01632 960 111"',
            'phone = "01632 960 111"\nreference_prefix = "1CS"',
            "council.reference_prefix",
            "starting with a letter",
            id="prefix-starting-with-a-digit",
        ),
        pytest.param(
            'phone = "01632 960 111"',
            'phone = "01632 960 111"\nnation = "cornwall"',
            "council.nation",
            "'england', 'wales', 'scotland' or 'northern_ireland'",
            id="unknown-nation",
        ),
        pytest.param(
            'name = "Testshire Council"\n',
            "",
            "council.name",
            "Field required",
            id="missing-council-name",
        ),
        pytest.param(
            "stage = 2\n",
            "stage = 3\n",
            "procedures.statutory.stages",
            "stages must be numbered 1, 2, 3 in order",
            id="stage-missing",
        ),
        pytest.param(
            "stage = 1\nrespond_working_days = 10\nextended_working_days = 20",
            "stage = 2\nrespond_working_days = 10\nextended_working_days = 20",
            "procedures.statutory.stages",
            "stages must be numbered 1, 2, 3 in order",
            id="stage-repeated",
        ),
        pytest.param(
            "stage = 1\nrespond_working_days = 10\nstarts_from",
            "stage = 2\nrespond_working_days = 10\nstarts_from",
            "procedures.corporate.stages",
            "stages must be numbered 1, 2, 3 in order",
            id="stages-not-starting-at-1",
        ),
        pytest.param(
            "extended_working_days = 20",
            "extended_working_days = 5",
            "procedures.statutory.stages.0",
            "extended_working_days cannot be shorter than respond_working_days",
            id="extension-shorter-than-response",
        ),
        pytest.param(
            "respond_working_days = 25",
            "respond_working_days = 0",
            "procedures.statutory.stages.1.respond_working_days",
            "greater than or equal to 1",
            id="zero-day-response",
        ),
        pytest.param(
            'starts_from = "acknowledgement"',
            'starts_from = "the first meeting"',
            "procedures.corporate.stages.0.starts_from",
            "'receipt' or 'acknowledgement'",
            id="unknown-starting-point",
        ),
        pytest.param(
            'eligible_roles = ["parent", "young_person"]',
            'eligible_roles = ["parent", "neighbour"]',
            "procedures.statutory.eligible_roles.1",
            "Input should be",
            id="unknown-role",
        ),
        pytest.param(
            "[kinds.compliment]",
            "[kinds.compliments]",
            "kinds.compliments.[key]",
            "Input should be 'complaint'",
            id="unknown-kind",
        ),
        pytest.param(
            'key = "education"',
            'key = "assessment"',
            "(top level)",
            "service keys must be unique; repeated: assessment",
            id="duplicate-service-key",
        ),
        pytest.param(
            'key = "education"',
            'key = "Education Services"',
            "services.1.key",
            "String should match pattern",
            id="service-key-not-a-plain-word",
        ),
        pytest.param(
            "date = 2026-12-29",
            'date = "2026-02-30"',
            "closures.0.date",
            "valid date",
            id="closure-on-an-impossible-date",
        ),
        pytest.param(
            "date = 2026-12-29",
            'date = "next Tuesday"',
            "closures.0.date",
            "valid date",
            id="closure-date-in-words",
        ),
        pytest.param(
            'reason = "Offices closed for the holidays"',
            'reason = ""',
            "closures.0.reason",
            "at least 1 character",
            id="closure-without-a-reason",
        ),
    ],
)
def test_a_bad_setting_is_reported_with_where_and_why(tmp_path, old, new, where, problem):
    path = _write(tmp_path, _minimal_with(old, new))

    with pytest.raises(CouncilConfigError) as raised:
        load_council_settings(path, environ={})

    message = str(raised.value)
    assert str(path) in message
    assert f"  {where}: " in message
    assert problem in message


def test_a_council_that_is_not_a_table_is_reported_even_with_an_override(tmp_path):
    council = (
        '[council]\nname = "Testshire Council"\nservice_name = "Tell Testshire"\n'
        'phone = "01632 960 111"\n'
    )
    path = _write(tmp_path, 'council = "Testshire Council"\n' + _minimal_with(council, ""))

    with pytest.raises(CouncilConfigError, match=r"\n  council: "):
        load_council_settings(path, environ={"COUNCIL_NAME": "Otherborough Council"})


def test_a_missing_corporate_procedure_is_reported(tmp_path):
    corporate = (
        '[procedures.corporate]\nname = "Corporate procedure"\n\n'
        "[[procedures.corporate.stages]]\nstage = 1\nrespond_working_days = 10\n"
        'starts_from = "acknowledgement"\n\n'
    )
    path = _write(tmp_path, _minimal_with(corporate, ""))

    with pytest.raises(CouncilConfigError, match="procedures must include corporate") as raised:
        load_council_settings(path, environ={})

    assert str(path) in str(raised.value)


def test_an_unknown_procedure_is_reported(tmp_path):
    path = _write(tmp_path, _minimal_with("[procedures.corporate]", "[procedures.informal]"))

    with pytest.raises(CouncilConfigError, match=r"procedures\.informal"):
        load_council_settings(path, environ={})


def test_every_problem_in_a_file_is_reported_at_once(tmp_path):
    text = _minimal_with('phone = "01632 960 111"', 'phone = "01632 960 111"\nnation = "mars"')
    text = text.replace("extended_working_days = 20", "extended_working_days = 5")

    with pytest.raises(CouncilConfigError) as raised:
        load_council_settings(_write(tmp_path, text), environ={})

    assert "council.nation" in str(raised.value)
    assert "procedures.statutory.stages.0" in str(raised.value)


def test_an_empty_file_reports_every_missing_section(tmp_path):
    with pytest.raises(CouncilConfigError) as raised:
        load_council_settings(_write(tmp_path, ""), environ={})

    for section in ("council", "procedures", "services"):
        assert f"  {section}: Field required" in str(raised.value)


def test_a_file_without_services_is_reported(tmp_path):
    # A top-level key goes before the first table.
    text = "services = []\n" + MINIMAL.split("[[services]]")[0]

    with pytest.raises(CouncilConfigError, match="at least one service"):
        load_council_settings(_write(tmp_path, text), environ={})


def test_a_procedure_without_stages_is_reported(tmp_path):
    # A complaint enters Stage 1 of its procedure; with no stages it would have no deadline.
    corporate_stage = (
        "[[procedures.corporate.stages]]\nstage = 1\nrespond_working_days = 10\n"
        'starts_from = "acknowledgement"\n'
    )
    text = _minimal_with(corporate_stage, "").replace(
        'name = "Corporate procedure"', 'name = "Corporate procedure"\nstages = []'
    )

    with pytest.raises(CouncilConfigError, match=r"procedures\.corporate\.stages"):
        load_council_settings(_write(tmp_path, text), environ={})


@pytest.mark.parametrize("name", ['""', "{}"], ids=["empty-name", "empty-table-of-names"])
def test_a_service_without_a_name_is_reported(tmp_path, name):
    # The form lists services by name: a blank choice helps nobody, and localise() has
    # nothing to return for an empty table.
    text = _minimal_with('name = "Education"', f"name = {name}")

    with pytest.raises(CouncilConfigError, match=r"services\.1\.name"):
        load_council_settings(_write(tmp_path, text), environ={})


def test_safeguarding_alerts_go_to_the_duty_team_in_office_hours_only(tmp_path):
    settings = load_council_settings(_write(tmp_path, MINIMAL))
    london = ZoneInfo("Europe/London")

    assert settings.duty_team_at(datetime(2026, 11, 23, 9, 0, tzinfo=london)) == "front_door"
    assert settings.duty_team_at(datetime(2026, 11, 23, 16, 59, tzinfo=london)) == "front_door"
    assert settings.duty_team_at(datetime(2026, 11, 23, 17, 0, tzinfo=london)) == "out_of_hours"
    assert settings.duty_team_at(datetime(2026, 11, 22, 12, 0, tzinfo=london)) == "out_of_hours"
    # A bank holiday and a council closure day are out of hours all day.
    assert settings.duty_team_at(datetime(2026, 12, 25, 12, 0, tzinfo=london)) == "out_of_hours"
    assert settings.duty_team_at(datetime(2026, 12, 29, 12, 0, tzinfo=london)) == "out_of_hours"


def test_the_office_must_open_before_it_closes(tmp_path):
    bad = MINIMAL.replace(
        'out_of_hours_phone = "01632 960 222"',
        'out_of_hours_phone = "01632 960 222"\noffice_opens = 18:00:00\noffice_closes = 09:00:00',
    )
    with pytest.raises(CouncilConfigError, match="office_opens must be before office_closes"):
        load_council_settings(_write(tmp_path, bad))
