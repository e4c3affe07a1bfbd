"""The annual report for a known year, every table worked out by hand.

The year is 1 April 2025 to 31 March 2026 in an English council. The working days below
skip weekends and England's bank holidays: Good Friday 18 April and Easter Monday
21 April, 5 and 26 May, 25 and 26 December 2025, 1 January 2026.
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from bs4 import BeautifulSoup

from intake.casework import workflow
from intake.casework.vocabulary import Kind, Procedure, StageOutcome
from intake.extensions import db
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
    assert year["ombudsman"]["decisions"]["fault_with_injustice"] == {"count": 1, "remedies": 250.0}
    assert year["ombudsman"]["remedies_total"] == 250.0
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


def test_html_json_and_csv_say_the_same(app, year):
    page = BeautifulSoup(report(app, *YEAR, output="html"), "html.parser")
    rows = list(csv.DictReader(io.StringIO(report(app, *YEAR, output="csv"))))

    def cells(caption: str, label: str) -> list[str]:
        table = next(t for t in page.find_all("table") if t.caption.get_text(strip=True) == caption)
        row = next(r for r in table.find_all("tr") if r.th.get_text(strip=True) == label)
        return [td.get_text(strip=True) for td in row.find_all("td")]

    assert cells("Representations received, by kind", "Stage 1 complaints") == [
        "7", "2", "+250.0%",
    ]  # fmt: skip
    assert cells(
        "Stage 1 responses: working days from receipt to response", "Average working days"
    ) == ["12.0", "5.0", "–"]
    stage1 = next(r for r in rows if r["row"] == "Stage 1 complaints")
    assert (stage1["this_period"], stage1["previous_period"], stage1["change_pct"]) == (
        "7", "2", "250.0",
    )  # fmt: skip
    # One tidy table: every row names its section and table, and every section is there.
    assert {r["section"] for r in rows} >= {
        "1. Totals", "2. Teams and services", "3. Reasons", "4. Outcomes", "5. Timeliness",
        "6. How received and who complained", "7. Young people",
        "8. Refusals and escalations", "9. Ombudsman enquiries", "10. Compliments",
        "11. Learning actions", "12. Equality monitoring",
        "13. Spending on investigations and remedies", "Quarterly performance",
    }  # fmt: skip
    # Charts drawn on the server, described for people who cannot see them.
    charts = page.find_all("svg")
    assert len(charts) >= 5
    assert all(c["role"] == "img" and c.title and c.desc for c in charts)
    assert "Stage 1 complaints: 7" in page.find("svg").desc.get_text()
    assert not page.find("script")


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
