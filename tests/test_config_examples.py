"""The example settings shipped for other nations load and count Welsh working days."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from intake.casework.calendar import Nation
from intake.casework.council import load_council_settings
from intake.casework.procedures import plan_deadlines
from intake.casework.vocabulary import Kind, Procedure

EXAMPLES = Path(__file__).resolve().parent.parent / "intake" / "config" / "examples"


def test_the_welsh_example_has_two_stages_for_children_and_welsh_first():
    wales = load_council_settings(EXAMPLES / "wales.toml")

    assert wales.council.nation is Nation.WALES
    assert wales.council.languages[0] == "cy"
    assert [s.stage for s in wales.procedures[Procedure.STATUTORY].stages] == [1, 2]
    deadlines = plan_deadlines(
        wales,
        kind=Kind.COMPLAINT,
        procedure=Procedure.STATUTORY,
        stage=1,
        received_on=date(2026, 11, 23),
        wants_reply=True,
    )
    assert (deadlines.acknowledge.due, deadlines.respond.due) == (
        date(2026, 11, 25),
        date(2026, 12, 7),
    )
