"""The small-number rule, learning actions and equality monitoring in the report."""

from __future__ import annotations

import random
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from intake.casework import workflow
from intake.casework.equality import QUESTIONS, record_equality_answers
from intake.extensions import db
from intake.reports.small_numbers import (
    ALSO_HIDDEN,
    HIDDEN,
    for_reader,
    hide_small_numbers,
    suppress,
)
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
        "nested": {"a": 4, "b": 12, "remedies": 150.0, "remedies_count": 1},
        "rows": [{"stage1_responded": 2, "stage1_overdue_pct": 50.0}],
        "working_days": 2,  # a setting, not people
    }

    assert hide_small_numbers(table) == {
        "responded": HIDDEN,
        "within_10": 0,
        "over_20": 5,
        "average_working_days": HIDDEN,
        "overdue_pct": HIDDEN,
        "nested": {"a": HIDDEN, "b": 12, "remedies": HIDDEN, "remedies_count": HIDDEN},
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

    # Even for the complaints team, who see every other figure in full. 8 answered, and
    # 6 women beside "<5" men would make the men 2: the 6 is hidden too.
    assert figures["equality"]["responses"] == 8
    assert figures["equality"]["gender"] == {"man": HIDDEN, "woman": ALSO_HIDDEN, "not_answered": 0}
    assert figures["equality"]["disability"] == {
        "no": ALSO_HIDDEN,
        "yes": HIDDEN,
        "not_answered": 0,
    }
    assert figures["equality"]["ethnicity"] == {"not_answered": 8}
    assert figures["change_pct"]["equality"]["gender"]["man"] is None
    # The complaints team's other figures are untouched.
    assert figures["totals"]["stage1"] == 0


def test_a_published_report_hides_a_small_team_and_the_team_it_could_be_worked_out_from(
    app, clock, tmp_path
):
    # Stage 1 total 16, team A 15, team B "<5" would make B 1.
    rows = [complaint(f"COM/{n}", "2025-04-14") for n in range(15)]
    rows.append(complaint("COM/X", "2025-04-14", team="send"))
    assert import_csv(app, write_csv(tmp_path / "old.csv", rows)).exit_code == 0

    full = report(app, "2025-04-01", "2026-03-31")
    published = report(app, "2025-04-01", "2026-03-31", "--publish")

    assert full["teams"]["send"]["complaints"] == 1
    assert full["teams"]["assessment"]["complaints"] == 15
    assert published["totals"]["stage1"] == 16
    assert published["teams"]["send"]["complaints"] == HIDDEN
    assert published["teams"]["assessment"]["complaints"] == ALSO_HIDDEN
    # The same 16 split by how they came and who made them: one group each, nothing small.
    assert published["methods"] == {"email": 16}
    assert published["complainants"] == {"parent": 16}
    # The quarterly table's total column is the same figure as the Stage 1 total.
    assert published["quarters"][-1]["formal_complaints"] == 16


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


# Secondary suppression, checked as a reader would attack it --------------------------

INFINITE = float("inf")


def _at(figures: Any, path: tuple) -> Any:
    for step in path:
        if isinstance(figures, dict):
            figures = figures.get(step)
        elif isinstance(figures, list) and isinstance(step, int) and step < len(figures):
            figures = figures[step]
        else:
            return None
    return figures


def _bounds(marker: str) -> tuple[float, float]:
    # What a reader knows of a hidden count: "<5" is 1 to 4, "[c]" is never under 5.
    return (1, 4) if marker == HIDDEN else (5, INFINITE)


def _given_away(shown: Any, total: tuple, parts: list[tuple]) -> list[tuple]:
    """The hidden parts a reader can work out from a shown total: by subtraction when one
    part is hidden, or because the bounds of several leave each one value."""
    known = _at(shown, total)
    if not isinstance(known, int):
        return []
    values = [(p, _at(shown, p)) for p in parts if _at(shown, p) is not None]
    hidden = [(p, v) for p, v in values if isinstance(v, str)]
    left = known - sum(v for _p, v in values if not isinstance(v, str))
    found = []
    for path, marker in hidden:
        low, high = _bounds(marker)
        others = [_bounds(m) for p, m in hidden if p != path]
        low = max(low, left - sum(h for _l, h in others))
        high = min(high, left - sum(lo for lo, _h in others))
        if low == high:
            found.append(path)
    return found


def _groups(figures: dict[str, Any]) -> list[tuple[tuple, list[tuple]]]:
    """The figures a reader can see add up: (total, parts), written out here on their
    own, from what the report's tables say, not from the code that hides them."""

    def keys(*path: Any) -> list[str]:
        return list(_at(figures, path) or {})

    def parts(*path: Any, then: tuple = ()) -> list[tuple]:
        return [(*path, key, *then) for key in keys(*path)]

    stage1, compliments, young = ("totals", "stage1"), ("totals", "compliments"), "young_people"
    stages = ("stage1", "stage2", "stage3")
    bands = ("within_10", "from_11_to_20", "over_20")
    found = [
        (stage1, parts("teams", then=("complaints",))),
        (stage1, parts("methods")),
        (stage1, parts("complainants")),
        (compliments, parts("compliments", "teams", then=("count",))),
        (compliments, parts("compliments", "given_by")),
        ((young, "complaints"), parts(young, "methods")),
        ((young, "complaints"), parts(young, "complainants")),
        (("stage1_timeliness", "responded"), [("stage1_timeliness", b) for b in bands]),
        (("ombudsman", "decided"), parts("ombudsman", "decisions", then=("count",))),
        (("outcomes", "overall", "refused"), parts("refusals")),
    ]
    answers = ("upheld", "partially_upheld", "not_upheld", "not_progressing", "refused")
    for stage in stages:
        found.append((("stages", stage, "responded"), [("outcomes", stage, o) for o in answers]))
    for outcome in (*answers, "withdrawn"):
        overall = ("outcomes", "overall", outcome)
        found.append((overall, [("outcomes", s, outcome) for s in stages]))
        found.append((overall, parts("teams", then=("outcomes", outcome))))
    for reason in keys("reasons"):
        found.append(
            (("reasons", reason, "count"), [("teams", t, "reasons", reason) for t in keys("teams")])
        )
    last = len(_at(figures, ("quarters",)) or []) - 1
    for measure in ("formal_complaints", "stage1_responded", "compliments", "stage1_within_10"):
        found.append((("quarters", last, measure), [("quarters", i, measure) for i in range(last)]))
    for question in keys("equality"):
        if question != "responses":
            found.append((("equality", "responses"), parts("equality", question)))
    return found


# Figures shown twice: hidden in one place, they must be hidden in the other.
COPIES = [
    (("totals", "stage1"), ("quarters", -1, "formal_complaints")),
    (("stage1_timeliness", "responded"), ("stages", "stage1", "responded")),
    (("stage1_timeliness", "within_10"), ("quarters", -1, "stage1_within_10")),
    (("escalations", "to_stage2"), ("totals", "stage2")),
    (("young_people", "advocacy_requests"), ("totals", "advocacy_requests")),
]
# A percentage and the count it is of.
PERCENTAGES = [
    (("stage1_timeliness", "within_10_pct"), ("stage1_timeliness", "within_10")),
    (("stages", "stage1", "overdue_pct"), ("stages", "stage1", "late")),
    (("acknowledged_within_2_working_days_pct",), ("acknowledgement", "on_time")),
]


def _resolve(figures: Any, path: tuple) -> tuple:
    if -1 in path:
        quarters = len(_at(figures, ("quarters",)) or [])
        path = tuple(quarters - 1 if step == -1 else step for step in path)
    return path


def _assert_nothing_can_be_worked_out(original: dict[str, Any], shown: dict[str, Any]) -> None:
    for total, parts in _groups(original):
        hidden = [p for p in parts if isinstance(_at(shown, p), str)]
        if isinstance(_at(shown, total), int):
            # Total minus the shown parts never leaves a single hidden part.
            assert len(hidden) != 1, (total, hidden, [_at(shown, p) for p in parts])
        assert _given_away(shown, total, parts) == [], (total, [_at(shown, p) for p in parts])
    for one, other in COPIES:
        one, other = _resolve(shown, one), _resolve(shown, other)
        if _at(original, one) is not None and _at(original, one) == _at(original, other):
            assert isinstance(_at(shown, one), str) == isinstance(_at(shown, other), str)
    for percentage, count in PERCENTAGES:
        if isinstance(_at(shown, count), str):
            assert isinstance(_at(shown, percentage), str) or _at(shown, percentage) is None


def test_the_groups_that_add_up_give_no_hidden_figure_away_the_audit_examples():
    figures = {
        "totals": {"stage1": 16},
        "teams": {"a": {"complaints": 15}, "b": {"complaints": 1}},
        "equality": {"responses": 8, "gender": {"woman": 6, "man": 2, "not_answered": 0}},
    }

    shown = suppress(figures)

    assert shown["teams"] == {"a": {"complaints": ALSO_HIDDEN}, "b": {"complaints": HIDDEN}}
    assert shown["equality"]["gender"] == {"woman": ALSO_HIDDEN, "man": HIDDEN, "not_answered": 0}
    _assert_nothing_can_be_worked_out(figures, shown)


def test_bounds_the_markers_give_are_protected_too():
    # "[c]" is at least 5 and "<5" at least 1: a total of 6 would pin both to 5 and 1.
    figures = {"totals": {"stage1": 6}, "teams": {"a": {"complaints": 5}, "b": {"complaints": 1}}}

    shown = suppress(figures)

    assert shown["teams"]["b"]["complaints"] == HIDDEN
    # Nothing else in the group to hide: the total goes, as "[c]".
    assert shown["totals"]["stage1"] == ALSO_HIDDEN
    _assert_nothing_can_be_worked_out(figures, shown)


def _split(draw: Any, total: int, names: list[str]) -> dict[str, int]:
    cuts = sorted(
        draw(st.lists(st.integers(0, total), min_size=len(names) - 1, max_size=len(names) - 1))
    )
    edges = [0, *cuts, total]
    return {name: b - a for name, (a, b) in zip(names, pairwise(edges), strict=True)}


@st.composite
def _reports(draw: Any) -> dict[str, Any]:
    complaints = draw(st.integers(0, 40))
    teams = _split(draw, complaints, ["a", "b", "c", "d"])
    quarters = _split(draw, complaints, ["q1", "q2", "q3", "q4"])
    people = draw(st.integers(0, 30))
    return {
        "totals": {"stage1": complaints},
        "teams": {k: {"complaints": n} for k, n in teams.items()},
        "methods": _split(draw, complaints, ["email", "letter", "telephone"]),
        "complainants": _split(draw, complaints, ["parent", "grandparent"]),
        "quarters": [
            *({"formal_complaints": n} for n in quarters.values()),
            {"formal_complaints": complaints},
        ],
        "equality": {
            "responses": people,
            "gender": _split(draw, people, ["woman", "man", "not_answered"]),
            "disability": _split(draw, people, ["yes", "no", "prefer_not_to_say", "not_answered"]),
        },
    }


@settings(max_examples=400, deadline=None)
@given(_reports())
def test_no_suppressed_table_lets_a_hidden_figure_be_worked_out(figures):
    for shown in (suppress(figures), suppress(figures, within="equality")):
        _assert_nothing_can_be_worked_out(figures, shown)
    # Only the figures' own numbers change: a shown figure is the true one.
    shown = suppress(figures)
    assert shown["teams"].keys() == figures["teams"].keys()
    for team, values in shown["teams"].items():
        assert values["complaints"] in (figures["teams"][team]["complaints"], HIDDEN, ALSO_HIDDEN)
        if values["complaints"] == HIDDEN:
            assert 1 <= figures["teams"][team]["complaints"] <= 4
        if values["complaints"] == ALSO_HIDDEN:
            assert figures["teams"][team]["complaints"] >= 5


TEAMS = ["assessment", "send", "children_in_care", "care_leavers", "early_help"]
METHODS = ["email", "letter", "telephone", "online_form"]
ROLES = ["parent", "grandparent", "young_person", "advocate"]
OUTCOMES = ["upheld", "partially_upheld", "not_upheld", "refused", "withdrawn"]
REASONS = ["communication:data_breach", "delay", "quality:poor_practice", "cost", ""]


def _random_history(seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    start = date(2025, 4, 1)
    rows: list[dict[str, Any]] = []
    for n in range(rng.randint(15, 70)):
        received = start + timedelta(days=rng.randint(0, 330))
        row = complaint(
            f"COM/{seed}/{n}",
            received.isoformat(),
            team=rng.choice(TEAMS[: rng.randint(2, 5)]),
            method=rng.choice(METHODS),
            complainant_role=rng.choice(ROLES),
            reasons=rng.choice(REASONS),
        )
        if rng.random() < 0.8:
            answered = received + timedelta(days=rng.randint(1, 40))
            outcome = rng.choice(OUTCOMES)
            row |= {"stage1_responded": answered.isoformat(), "stage1_outcome": outcome}
            if outcome in {"not_upheld", "partially_upheld"} and rng.random() < 0.3:
                row |= {
                    "stage2_requested": (answered + timedelta(days=5)).isoformat(),
                    "stage2_responded": (answered + timedelta(days=30)).isoformat(),
                    "stage2_outcome": rng.choice(["upheld", "not_upheld"]),
                }
                if rng.random() < 0.5:
                    row |= {"ombudsman_decision": "fault_with_injustice", "remedy_amount": "300"}
        rows.append(row)
    for n in range(rng.randint(0, 12)):
        received = start + timedelta(days=rng.randint(0, 330))
        rows.append(
            {"reference": f"CMP/{seed}/{n}", "kind": "compliment", "received": received.isoformat(),
             "method": "email", "complainant_role": rng.choice(ROLES), "team": rng.choice(TEAMS)}
        )  # fmt: skip
    return rows


def _random_equality(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(rng.randint(0, 25)):
        answers = {
            q: rng.choice(choices[:3]) for q, choices in QUESTIONS.items() if rng.random() < 0.8
        }
        record_equality_answers(db.session, answers, date(2025, 7, 1))
    db.session.commit()


def test_a_real_published_report_gives_no_hidden_figure_away(app, clock, tmp_path):
    # Property-style: several made-up years, through the real import and report.
    for seed in range(6):
        result = import_csv(app, write_csv(tmp_path / f"old{seed}.csv", _random_history(seed)))
        assert result.exit_code == 0, result.output
        _random_equality(seed)
        full = report(app, "2025-04-01", "2026-03-31")
        published = report(app, "2025-04-01", "2026-03-31", "--publish")
        full_figures = {k: v for k, v in full.items() if k != "equality"}
        _assert_nothing_can_be_worked_out(full_figures, published)
        _assert_nothing_can_be_worked_out(full, full)  # the complaints team's equality


def test_ombudsman_remedies_are_judged_by_the_cases_paid_not_the_kinds_of_decision(
    app, clock, tmp_path
):
    # 9 decisions of one kind, £500 each: £4,500 from 9 cases is no small number.
    rows = [
        complaint(
            f"COM/{n}", "2025-05-01", stage1_responded="2025-05-09", stage1_outcome="not_upheld",
            ombudsman_decision="fault_with_injustice", remedy_amount="500",
        )
        for n in range(9)
    ]  # fmt: skip
    assert import_csv(app, write_csv(tmp_path / "old.csv", rows)).exit_code == 0

    published = report(app, "2025-04-01", "2026-03-31", "--publish")

    ombudsman = published["ombudsman"]
    assert ombudsman["remedies_total"] == 4500.0
    assert ombudsman["remedies_total_count"] == 9
    assert ombudsman["decisions"]["fault_with_injustice"]["remedies"] == 4500.0
    assert published["spending"]["ombudsman_remedies"] == 4500.0
