"""The annual report for a known year, every table worked out by hand.

The year is 1 April 2025 to 31 March 2026 in an English council. The working days below
skip weekends and England's bank holidays: Good Friday 18 April and Easter Monday
21 April, 5 and 26 May, 25 and 26 December 2025, 1 January 2026.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from typing import Any

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from intake.casework import workflow
from intake.casework.vocabulary import Kind, Procedure, StageOutcome
from intake.extensions import db
from intake.models import Case
from tests.casework.staffside import new_case
from tests.reports.support import complaint, import_csv, report, write_csv
from tests.support import london

YEAR = ("2025-04-01", "2026-03-31")

HISTORY = [
    # A: 7 working days (Easter in between), within 10, acknowledged next day.
    complaint(
        "COM/1", "2025-04-14", reasons="communication:not_kept_informed;delay",
        acknowledged="2025-04-15", stage1_responded="2025-04-25",
        stage1_outcome="partially_upheld",
    ),
    # B: a young person with an advocate; extended to 20, answered in 12 (on time); then
    # Stage 2 in 30 working days, 5 after its 25-day date; the Ombudsman found fault.
    complaint(
        "COM/2", "2025-05-01", method="online_form", complainant_role="young_person",
        with_advocate="yes", team="children_in_care", reasons="quality",
        acknowledged="2025-05-06", stage1_responded="2025-05-20", stage1_outcome="upheld",
        stage1_extended="20", stage2_requested="2025-06-02", stage2_responded="2025-07-14",
        stage2_outcome="not_upheld", ombudsman_decision="fault_with_injustice",
        remedy_amount="250",
    ),
    # C: corporate, acknowledged late (6 working days), answered in 31, late; £100 remedy.
    complaint(
        "COM/3", "2025-06-02", procedure="corporate", method="letter",
        complainant_role="grandparent", team="send", reasons="communication:data_breach",
        acknowledged="2025-06-10", stage1_responded="2025-07-15", stage1_outcome="not_upheld",
        remedy_amount="100.00",
    ),
    # D: received in the year before, answered in this one (9 working days).
    complaint(
        "COM/4", "2025-03-20", reasons="staff_attitude:rude_behaviour",
        acknowledged="2025-03-21", stage1_responded="2025-04-02", stage1_outcome="not_upheld",
    ),
    # E: withdrawn: counted as an outcome, never as a response.
    complaint(
        "COM/5", "2025-09-01", method="telephone", acknowledged="2025-09-02",
        stage1_responded="2025-09-10", stage1_outcome="withdrawn",
    ),
    # F: over Christmas: 11 working days, a day after its date (8 January).
    complaint(
        "COM/6", "2025-12-22", reasons="quality:changes_of_worker", acknowledged="2025-12-24",
        stage1_responded="2026-01-09", stage1_outcome="upheld",
    ),
    # G: refused within 2 working days.
    complaint(
        "COM/7", "2026-02-02", team="children_in_care", acknowledged="2026-02-02",
        stage1_responded="2026-02-04", stage1_outcome="refused",
    ),
    # K: a young person's text, still open; acknowledged in 3 working days (late).
    complaint(
        "COM/8", "2026-03-16", method="text_message", complainant_role="young_person",
        team="care_leavers", acknowledged="2026-03-19",
    ),
    # The year before: one complaint, besides D.
    complaint(
        "COM/0", "2024-06-03", acknowledged="2024-06-04", stage1_responded="2024-06-10",
        stage1_outcome="upheld",
    ),
    {"reference": "CMP/1", "kind": "compliment", "received": "2025-05-05", "method": "letter",
     "complainant_role": "foster_carer", "team": "children_in_care"},
    {"reference": "CMP/2", "kind": "compliment", "received": "2025-10-10", "method": "email",
     "complainant_role": "professional", "team": "assessment"},
    {"reference": "REP/1", "kind": "comment", "received": "2025-07-07", "method": "email",
     "team": "early_help", "stage1_responded": "2025-07-10"},
    {"reference": "REP/2", "kind": "case_concern", "received": "2025-08-01", "method": "email",
     "team": "assessment"},
    {"reference": "ADV/1", "kind": "advocacy_request", "received": "2025-11-03",
     "method": "web_chat", "complainant_role": "young_person", "team": "advocacy"},
]  # fmt: skip


@pytest.fixture
def year(app, clock, tmp_path):
    result = import_csv(app, write_csv(tmp_path / "history.csv", HISTORY))
    assert result.exit_code == 0, result.output
    return report(app, *YEAR)


def test_the_totals_by_kind_beside_the_year_before(year):
    assert year["period"] == {"from": "2025-04-01", "to": "2026-03-31"}
    assert year["previous_period"] == {"from": "2024-04-01", "to": "2025-03-31"}
    assert year["totals"] == {
        "comments": 1,
        "case_concerns": 1,
        "stage1": 7,
        "stage2": 1,
        "stage3": 0,
        "ombudsman": 1,
        "compliments": 2,
        "advocacy_requests": 1,
        "pre_complaints": 0,
        "members_enquiries": 0,
    }
    assert year["previous"]["totals"]["stage1"] == 2
    assert year["change_pct"]["totals"]["stage1"] == 250.0
    # Nothing the year before: no change can be worked out.
    assert year["change_pct"]["totals"]["compliments"] is None


def test_stage_1_timeliness_counts_working_days_from_receipt_to_response(year):
    assert year["stage1_timeliness"] == {
        "responded": 6,
        "within_10": 3,
        "from_11_to_20": 2,
        "over_20": 1,
        "average_working_days": 12.0,
        "within_10_pct": 50.0,
        "overdue_pct": 33.3,
    }
    assert year["stages"]["stage2"]["responded"] == 1
    assert year["stages"]["stage2"]["average_working_days"] == 30.0
    assert year["stages"]["stage2"]["late"] == 1
    assert year["stages"]["stage1"]["extended"] == 1
    # The year before: only COM/0 was answered in it (5 working days).
    assert year["previous"]["stage1_timeliness"]["responded"] == 1
    assert year["previous"]["stage1_timeliness"]["average_working_days"] == 5.0


def test_acknowledgements_within_2_working_days(year):
    # A, B, E, F and G in time; C (6 days) and COM/8 (3 days) late; the compliments,
    # the comment, the concern and the advocacy request never acknowledged.
    assert year["acknowledgement"]["due"] == 12
    assert year["acknowledgement"]["on_time"] == 5
    assert year["acknowledged_within_2_working_days_pct"] == 41.7


def test_outcomes_per_stage(year):
    assert year["outcomes"]["stage1"] == {
        "upheld": 2,
        "partially_upheld": 1,
        "not_upheld": 2,
        "withdrawn": 1,
        "not_progressing": 0,
        "refused": 1,
        "resolved_informally": 0,
        "responded": 6,
        "upheld_or_partially_upheld_pct": 50.0,
    }
    assert year["outcomes"]["stage2"]["not_upheld"] == 1
    assert year["outcomes"]["overall"]["not_upheld"] == 3
    assert year["outcomes"]["overall"]["upheld_or_partially_upheld_pct"] == 42.9


def test_how_received_who_complained_and_young_people(year):
    assert year["methods"] == {
        "email": 3,
        "letter": 1,
        "online_form": 1,
        "telephone": 1,
        "text_message": 1,
    }
    assert year["complainants"] == {"grandparent": 1, "parent": 4, "young_person": 2}
    assert year["young_people"] == {
        "complaints": 2,
        "with_advocate": 1,
        "advocacy_requests": 1,
        "methods": {"online_form": 1, "text_message": 1},
        # B made it with an advocate's help, K on their own.
        "complainants": {"young_person": 1, "young_person_with_advocate": 1, "advocate": 0},
    }


def test_teams_reasons_refusals_and_escalations(year):
    teams = year["teams"]
    assert teams["assessment"]["complaints"] == 3
    assert teams["assessment"]["compliments"] == 1
    assert teams["children_in_care"]["complaints"] == 2
    assert teams["children_in_care"]["outcomes"]["upheld"] == 1
    assert teams["children_in_care"]["outcomes"]["not_upheld"] == 1  # B at Stage 2
    assert teams["send"]["top_reasons"] == {"communication": {"name": "Communication", "count": 1}}
    reasons = year["reasons"]
    assert reasons["communication"]["count"] == 2
    assert reasons["communication"]["sub_reasons"]["not_kept_informed"]["count"] == 1
    assert reasons["communication"]["sub_reasons"]["data_breach"]["count"] == 1
    assert reasons["quality"]["count"] == 2
    assert reasons["quality"]["sub_reasons"]["changes_of_worker"]["count"] == 1
    assert reasons["delay"]["count"] == 1
    assert reasons["staff_attitude"]["count"] == 0  # D was received the year before
    assert year["previous"]["reasons"]["staff_attitude"]["count"] == 1
    assert year["refusals"] == {"not_recorded": 1}
    assert year["escalations"] == {"to_stage2": 1, "to_stage3": 0}


def test_ombudsman_compliments_and_spending(year):
    assert year["ombudsman"]["decided"] == 1
    assert year["ombudsman"]["upheld"] == 1
    assert year["ombudsman"]["decisions"]["fault_with_injustice"] == {
        "count": 1,
        "remedies": 250.0,
        "remedies_count": 1,
    }
    assert year["ombudsman"]["remedies_total"] == 250.0
    assert year["ombudsman"]["remedies_total_count"] == 1
    assert year["compliments"]["teams"]["children_in_care"]["count"] == 1
    assert year["compliments"]["given_by"] == {"foster_carer": 1, "professional": 1}
    assert year["spending"]["council_remedies"] == 100.0
    assert year["spending"]["ombudsman_remedies"] == 250.0
    assert year["spending"]["total"] == 350.0


def test_the_quarterly_table(year):
    quarters = {q["quarter"]: q for q in year["quarters"]}
    assert [q["quarter"] for q in year["quarters"]] == ["Q1", "Q2", "Q3", "Q4", "Total"]
    assert [quarters[q]["formal_complaints"] for q in ("Q1", "Q2", "Q3", "Q4", "Total")] == [
        3, 1, 1, 2, 7,
    ]  # fmt: skip
    assert quarters["Q2"]["informal_complaints"] == 2
    assert quarters["Q2"]["ombudsman_received"] == quarters["Q2"]["ombudsman_upheld"] == 1
    assert [quarters[q]["stage1_responded"] for q in ("Q1", "Q2", "Q3", "Q4")] == [3, 1, 0, 2]
    assert quarters["Q1"]["stage1_justified_pct"] == 66.7
    assert quarters["Q1"]["stage1_within_10_pct"] == 66.7
    assert quarters["Q2"]["stage1_overdue_pct"] == 100.0
    assert quarters["Q3"]["stage1_overdue_pct"] is None  # nothing answered
    assert quarters["Q4"]["stage1_overdue_pct"] == 50.0
    assert quarters["Total"]["stage1_overdue_pct"] == 33.3
    assert quarters["Total"]["compliments"] == 2
    assert quarters["Q1"]["from"] == "2025-04-01" and quarters["Q1"]["to"] == "2025-06-30"
    # Stage 1 by working days taken, per quarter: A and D within 10, B in 12 (Q1); C in 31
    # (Q2); G in 2 and F in 11 (Q4).
    assert [
        tuple(quarters[q][f"stage1_{band}"] for band in ("within_10", "from_11_to_20", "over_20"))
        for q in ("Q1", "Q2", "Q3", "Q4", "Total")
    ] == [(2, 1, 0), (0, 0, 1), (0, 0, 0), (1, 1, 0), (3, 2, 1)]  # fmt: skip


def test_percentages_change_in_points_and_averages_in_percent(year):
    # Within 10 working days: 50.0 % this year, 100.0 % the year before (COM/0 in 5).
    assert year["previous"]["stage1_timeliness"]["within_10_pct"] == 100.0
    assert year["change_points"]["stage1_timeliness"]["within_10_pct"] == -50.0
    assert "within_10_pct" not in year["change_pct"]["stage1_timeliness"]
    # Average working days: 12.0 against 5.0.
    assert year["change_pct"]["stage1_timeliness"]["average_working_days"] == 140.0
    # Fully or partly justified in Q1: 2 of 3 against 1 of 1.
    assert year["change_points"]["quarters"][0]["stage1_justified_pct"] == -33.3
    assert year["change_points"]["quarters"][2]["stage1_justified_pct"] is None


def _table(page: BeautifulSoup, caption: str) -> Any:
    return next(t for t in page.find_all("table") if t.caption.get_text(strip=True) == caption)


def _cells(page: BeautifulSoup, caption: str, label: str) -> list[str]:
    row = next(
        r for r in _table(page, caption).find_all("tr") if r.th.get_text(strip=True) == label
    )
    return [td.get_text(strip=True) for td in row.find_all("td")]


def _csv_dir(app, tmp_path, *options: str) -> dict[str, list[dict[str, str]]]:
    out = tmp_path / "report"
    result = app.test_cli_runner().invoke(
        args=["intake", "report", "--from", YEAR[0], "--to", YEAR[1], "--format", "csv",
              "--output", str(out), *options]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return {
        f.name: list(csv.DictReader(io.StringIO(f.read_text("utf-8"))))
        for f in sorted(out.iterdir())
    }


def test_html_json_and_csv_say_the_same(app, year, tmp_path):
    page = BeautifulSoup(report(app, *YEAR, output="html"), "html.parser")
    files = _csv_dir(app, tmp_path)

    assert _cells(page, "Representations received, by kind", "Stage 1 complaints") == [
        "7", "2", "+250.0%",
    ]  # fmt: skip
    # An average's change in %, a percentage's in percentage points.
    timeliness = "Stage 1 responses: working days from receipt to response"
    assert _cells(page, timeliness, "Average working days") == ["12.0", "5.0", "+140.0%"]
    assert _cells(page, timeliness, "Within 10 working days")[:2] == ["3", "1"]
    within = [
        r
        for r in _table(page, timeliness).find_all("tr")
        if r.th.get_text() == "Within 10 working days"
    ]
    assert [td.get_text(strip=True) for td in within[1].find_all("td")] == [
        "50.0%", "100.0%", "-50.0 pts",
    ]  # fmt: skip
    stage1 = next(r for r in files["01-totals.csv"] if r["kind"] == "Stage 1 complaints")
    assert (stage1["this_period"], stage1["previous_period"], stage1["change"]) == (
        "7", "2", "250.0",
    )  # fmt: skip
    assert stage1["change_unit"] == "%" and stage1["period_from"] == "2025-04-01"
    pct = next(
        r for r in files["05-timeliness.csv"]
        if r["table"] == "Stage 1 responses" and r["figure"] == "Within 10 working days"
        and r["unit"] == "%"
    )  # fmt: skip
    assert (pct["this_period"], pct["previous_period"], pct["change"], pct["change_unit"]) == (
        "50.0", "100.0", "-50.0", "percentage points",
    )  # fmt: skip
    # Charts drawn on the server, described for people who cannot see them.
    charts = page.find_all("svg")
    assert len(charts) >= 7
    assert all(c["role"] == "img" and c.title and c.desc for c in charts)
    kinds = next(c for c in charts if c.title.get_text() == "Received, by kind")
    assert "Stage 1 complaints: 7" in kinds.desc.get_text()
    assert not page.find("script")


def test_the_csv_is_a_tidy_table_per_section_each_with_its_own_header(app, year, tmp_path):
    files = _csv_dir(app, tmp_path)

    assert list(files) == [
        "01-totals.csv", "02-teams.csv", "03-reasons.csv", "04-outcomes.csv",
        "05-timeliness.csv", "06-who_and_how.csv", "07-young_people.csv", "08-refusals.csv",
        "09-ombudsman.csv", "10-compliments.csv", "11-learning.csv", "12-equality.csv",
        "13-spending.csv", "14-quarters.csv",
    ]  # fmt: skip
    figures = ["unit", "this_period", "previous_period", "change", "change_unit",
               "period_from", "period_to", "previous_from", "previous_to"]  # fmt: skip
    headers = {
        "01-totals.csv": ["kind"],
        "02-teams.csv": ["team", "figure", "detail"],
        "03-reasons.csv": ["reason", "sub_reason"],
        "04-outcomes.csv": ["stage", "outcome"],
        "06-who_and_how.csv": ["complaints", "breakdown", "group"],
        "12-equality.csv": ["question", "answer"],
        "14-quarters.csv": ["quarter", "from", "to", "measure"],
    }
    for name, rows in files.items():
        assert rows, name
        columns = list(rows[0])
        assert columns[-len(figures) :] == figures, name
        if name in headers:
            assert columns[: -len(figures)] == headers[name], name
        # Tidy: every row fills every column that says what it is, once.
        names = [tuple(r[c] for c in [*columns[: -len(figures)], "unit"]) for r in rows]
        assert len(names) == len(set(names)), name
    outcome = next(
        r for r in files["04-outcomes.csv"] if (r["stage"], r["outcome"]) == ("Stage 1", "Upheld")
    )
    assert (outcome["this_period"], outcome["previous_period"]) == ("2", "1")
    quarter = next(
        r for r in files["14-quarters.csv"]
        if (r["quarter"], r["measure"]) == ("Q1", "Formal complaints (Stage 1)")
    )  # fmt: skip
    assert (quarter["from"], quarter["this_period"], quarter["previous_period"]) == (
        "2025-04-01", "3", "1",
    )  # fmt: skip
    young = [
        (r["group"], r["this_period"]) for r in files["06-who_and_how.csv"]
        if r["complaints"] == "Young people's complaints" and r["breakdown"] == "Who complained"
    ]  # fmt: skip
    assert young == [
        ("The young person", "1"),
        ("The young person, helped by an advocate", "1"),
        ("An advocate, for them", "0"),
    ]


def test_the_csv_as_a_zip_and_on_the_terminal(app, year, tmp_path):
    runner = app.test_cli_runner()
    args = ["intake", "report", "--from", YEAR[0], "--to", YEAR[1], "--format", "csv"]

    zipped = runner.invoke(args=[*args, "--output", str(tmp_path / "report.zip")])
    printed = runner.invoke(args=args)
    refused = runner.invoke(args=[*args, "--output", str(tmp_path / "report.csv")])
    html_args = [*args[:-1], "html", "--output", str(tmp_path)]
    not_a_file = runner.invoke(args=html_args)

    assert zipped.exit_code == 0, zipped.output
    with zipfile.ZipFile(tmp_path / "report.zip") as archive:
        assert len(archive.namelist()) == 14
        totals = archive.read("01-totals.csv").decode("utf-8")
    assert totals.startswith("kind,unit,this_period,previous_period,change,")
    # Without --output: every section one after another, each under a line naming it.
    assert printed.exit_code == 0, printed.output
    blocks = printed.stdout.split("\n\n# ")
    assert len(blocks) == 14
    assert blocks[0].startswith("# 01-totals.csv: 1. Totals\nkind,unit,this_period,")
    assert blocks[0].strip("\n").endswith(totals.strip("\n").split("\n")[-1])
    # One file that is not a zip cannot hold 14 tables: said plainly, nothing written.
    assert refused.exit_code == 2
    assert "give a directory" in refused.output and "Traceback" not in refused.output
    assert not (tmp_path / "report.csv").exists()
    assert not_a_file.exit_code == 2 and "is a directory" in not_a_file.output


def test_the_html_shows_the_quarterly_table_beside_the_previous_period_with_its_charts(app, year):
    page = BeautifulSoup(report(app, *YEAR, output="html"), "html.parser")
    table = _table(page, "Quarterly performance table")

    def measure(label: str) -> dict[str, list[str]]:
        group = next(
            body for body in table.find_all("tbody") if body.th.get_text(strip=True) == label
        )
        return {
            row.th.get_text(strip=True): [td.get_text(strip=True) for td in row.find_all("td")]
            for row in group.find_all("tr")[1:]
        }

    assert [th.get_text(" ", strip=True).split(" ")[0] for th in table.thead.find_all("th")] == [
        "Measure", "Q1", "Q2", "Q3", "Q4", "Total",
    ]  # fmt: skip
    assert measure("Formal complaints (Stage 1)") == {
        "This period": ["3", "1", "1", "2", "7"],
        "Previous period": ["1", "0", "0", "1", "2"],
        "Change": ["+200.0%", "–", "–", "+100.0%", "+250.0%"],
    }
    assert measure("Fully or partly justified")["Change"][0] == "-33.3 pts"
    assert measure("Stage 1 answered within 10 working days")["This period"] == [
        "2", "0", "0", "1", "3",
    ]  # fmt: skip
    titles = {svg.title.get_text(): svg for svg in page.find_all("svg")}
    by_quarter = titles["Formal complaints by quarter"]
    assert "Q1: 3 (same quarter, previous period: 1)" in by_quarter.desc.get_text()
    timeliness = titles["Stage 1 responses by working days taken, per quarter"]
    assert timeliness["role"] == "img"
    assert (
        "Q1: within 10 working days 2, 11 to 20 working days 1, over 20 working days 0"
        in timeliness.desc.get_text()
    )
    # Each bar's figure is written beside it, not told by colour alone.
    assert [t.get_text() for t in timeliness.find_all("text")][-3:] == ["1", "1", "0"]


def test_top_reasons_by_team_beside_the_same_reason_the_year_before(app, clock, tmp_path):
    rows = [
        complaint("S/1", "2025-05-01", team="send", reasons="communication"),
        complaint("S/2", "2025-05-02", team="send", reasons="communication"),
        complaint("S/3", "2025-05-03", team="send", reasons="delay"),
        # The year before: delay was not one of the team's top three.
        complaint("P/1", "2024-05-01", team="send", reasons="cost;eligibility;quality"),
        complaint("P/2", "2024-05-02", team="send", reasons="cost;eligibility;quality"),
        complaint("P/3", "2024-05-03", team="send", reasons="delay"),
    ]
    assert import_csv(app, write_csv(tmp_path / "old.csv", rows)).exit_code == 0

    figures = report(app, *YEAR)
    page = BeautifulSoup(report(app, *YEAR, output="html"), "html.parser")

    assert list(figures["teams"]["send"]["top_reasons"]) == ["communication", "delay"]
    assert "delay" not in figures["previous"]["teams"]["send"]["top_reasons"]
    assert figures["previous"]["teams"]["send"]["reasons"]["delay"] == 1
    assert figures["change_pct"]["teams"]["send"]["reasons"]["delay"] == 0.0
    caption, team = "Top reasons for complaints, by team", "Special educational needs (SEND)"
    names = {k: v["name"] for k, v in figures["teams"]["send"]["top_reasons"].items()}
    assert _cells(page, caption, f"{team}: {names['delay']}") == ["1", "1", "+0.0%"]
    assert _cells(page, caption, f"{team}: {names['communication']}") == ["2", "0", "–"]


def test_a_hold_on_an_imported_case_stops_the_clock_in_the_year(app, clock, settings, tmp_path):
    assert import_csv(app, write_csv(tmp_path / "history.csv", HISTORY)).exit_code == 0
    # K (COM/8), received Monday 16 March 2026 and still open: on hold from Tuesday 17
    # to Tuesday 24 March (5 working days), answered Tuesday 31 March. 11 working days
    # from receipt, 6 without the hold: within 10, where without the hold it is 11.
    case = db.session.scalars(select(Case).where(Case.reference == "COM/8")).one()
    at = london(2026, 3, 31, 12)
    workflow.hold(
        case, reason="Waiting for the young person", on=date(2026, 3, 17), actor="o", at=at
    )
    workflow.resume(settings, case, on=date(2026, 3, 24), actor="o", at=at)
    workflow.respond(
        settings, case, on=date(2026, 3, 31), outcome=StageOutcome.UPHELD, actions=[], actor="o",
        at=at,
    )  # fmt: skip
    db.session.commit()

    figures = report(app, *YEAR)

    # The six responses before (72 working days in all), and K's 6.
    assert figures["stage1_timeliness"] == {
        "responded": 7,
        "within_10": 4,
        "from_11_to_20": 2,
        "over_20": 1,
        "average_working_days": 11.1,  # 78 / 7
        "within_10_pct": 57.1,
        "overdue_pct": 28.6,  # C and F, not K
    }
    q4 = figures["quarters"][3]
    assert (q4["stage1_responded"], q4["stage1_within_10"], q4["stage1_from_11_to_20"]) == (3, 2, 1)
    assert figures["outcomes"]["stage1"]["upheld"] == 3


def test_a_hold_stops_the_clock_and_an_extension_moves_the_date(app, clock, settings):
    # Received Monday 2 March 2026; on hold for 5 working days; answered after 14.
    case = new_case(london(2026, 3, 2, 10))
    at = london(2026, 3, 2, 11)
    workflow.triage(
        settings,
        case,
        kind=Kind.COMPLAINT,
        procedure=Procedure.STATUTORY,
        service_area="assessment",
        reasons=[("delay", None)],
        on=date(2026, 3, 2),
        actor="officer",
        at=at,
    )
    workflow.hold(
        case,
        reason="Waiting to hear from the complainant",
        on=date(2026, 3, 4),
        actor="officer",
        at=at,
    )
    workflow.resume(settings, case, on=date(2026, 3, 11), actor="officer", at=at)
    workflow.extend(
        settings,
        case,
        working_days=20,
        reason="A complex case",
        on=date(2026, 3, 12),
        actor="officer",
        at=at,
    )
    workflow.respond(
        settings,
        case,
        on=date(2026, 3, 20),
        outcome=StageOutcome.UPHELD,
        actions=[],
        actor="officer",
        at=at,
    )
    db.session.commit()

    figures = report(app, "2026-03-01", "2026-03-31")

    # 2 March to 20 March is 14 working days, 5 of them on hold: 9, within 10.
    assert figures["stage1_timeliness"]["responded"] == 1
    assert figures["stage1_timeliness"]["average_working_days"] == 9.0
    assert figures["stage1_timeliness"]["within_10"] == 1
    assert figures["stages"]["stage1"]["extended"] == 1
    assert figures["stage1_timeliness"]["overdue_pct"] == 0.0
    assert figures["reasons"]["delay"]["count"] == 1
