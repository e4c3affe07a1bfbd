"""The small-number rule, learning actions and equality monitoring in the report."""

from __future__ import annotations

from datetime import date

from intake.casework import workflow
from intake.casework.equality import record_equality_answers
from intake.extensions import db
from intake.reports.small_numbers import HIDDEN, for_reader, hide_small_numbers
from tests.casework.staffside import new_case
from tests.reports.support import complaint, import_csv, report, write_csv
from tests.support import london


def test_counts_from_1_to_4_are_hidden_and_so_is_what_is_worked_out_from_them():
    table = {
        "responded": 3,
        "within_10": 0,
        "over_20": 5,
        "average_working_days": 7.5,
        "overdue_pct": 33.3,
        "nested": {"a": 4, "b": 12, "remedies": 150.0, "count": 1},
        "rows": [{"stage1_responded": 2, "stage1_overdue_pct": 50.0}],
        "working_days": 2,  # a setting, not people
    }

    assert hide_small_numbers(table) == {
        "responded": HIDDEN,
        "within_10": 0,
        "over_20": 5,
        "average_working_days": HIDDEN,
        "overdue_pct": HIDDEN,
        "nested": {"a": HIDDEN, "b": 12, "remedies": HIDDEN, "count": HIDDEN},
        "rows": [{"stage1_responded": HIDDEN, "stage1_overdue_pct": HIDDEN}],
        "working_days": 2,
    }


def _answers(n: int, **given: str) -> None:
    for _ in range(n):
        record_equality_answers(db.session, given, date(2025, 6, 1))
    db.session.commit()


def test_equality_monitoring_is_totals_only_and_hides_groups_under_5(app, clock):
    _answers(6, gender="woman", disability="no")
    _answers(2, gender="man", disability="yes")

    figures = report(app, "2025-04-01", "2026-03-31")

    # Even for the complaints team, who see every other figure in full.
    assert figures["equality"]["responses"] == 8
    assert figures["equality"]["gender"] == {"man": HIDDEN, "woman": 6}
    assert figures["equality"]["disability"] == {"no": 6, "yes": HIDDEN}
    assert figures["change_pct"]["equality"]["gender"]["man"] is None


def test_a_published_report_hides_every_small_number(app, clock, tmp_path):
    rows = [complaint(f"COM/{n}", "2025-04-14") for n in range(7)]
    rows.append(complaint("COM/X", "2025-04-14", team="send"))
    assert import_csv(app, write_csv(tmp_path / "old.csv", rows)).exit_code == 0

    full = report(app, "2025-04-01", "2026-03-31")
    published = report(app, "2025-04-01", "2026-03-31", "--publish")

    assert full["teams"]["send"]["complaints"] == 1
    assert published["teams"]["send"]["complaints"] == HIDDEN
    assert published["teams"]["assessment"]["complaints"] == 7
    assert published["totals"]["stage1"] == 8


def test_for_reader_keeps_the_complaints_teams_figures_but_not_the_changes_it_hides():
    figures = {
        "totals": {"stage1": 3},
        "equality": {"responses": 2},
        "previous": {"totals": {"stage1": 6}, "equality": {"responses": 9}},
        "change_pct": {"totals": {"stage1": -50.0}, "equality": {"responses": -77.8}},
    }

    officer = for_reader(figures, sees_cases=True)
    viewer = for_reader(figures, sees_cases=False)

    assert officer["totals"]["stage1"] == 3 and officer["change_pct"]["totals"]["stage1"] == -50.0
    assert officer["equality"]["responses"] == HIDDEN
    assert officer["change_pct"]["equality"]["responses"] is None
    assert viewer["totals"]["stage1"] == HIDDEN
    assert viewer["change_pct"]["totals"]["stage1"] is None


def test_learning_actions_agreed_done_and_overdue_when_the_period_ended(app, clock, settings):
    case = new_case(london(2025, 5, 1))
    at = london(2025, 5, 6)
    late = workflow.add_learning(
        case,
        issue="Letters in small print",
        action="Use 14pt",
        owner="Team manager",
        due_on=date(2025, 6, 30),
        actor="o",
        at=at,
    )
    workflow.add_learning(
        case,
        issue="No interpreter",
        action="Book one every time",
        owner="Head of service",
        due_on=date(2026, 9, 30),
        actor="o",
        at=at,
    )
    done = workflow.add_learning(
        case,
        issue="Minutes wrong",
        action="Check minutes",
        owner="Chair",
        due_on=date(2025, 7, 31),
        actor="o",
        at=at,
    )
    workflow.complete_learning(case, done, on=date(2025, 7, 20), actor="o", at=at)
    # Done, but only after the year ended: it was overdue at the end of the year.
    workflow.complete_learning(case, late, on=date(2026, 5, 1), actor="o", at=at)
    db.session.commit()

    figures = report(app, "2025-04-01", "2026-03-31")

    assert figures["learning_actions"] == {"agreed": 3, "done": 1, "overdue": 1}
    assert figures["quarters"][0]["learning_actions"] == 3
