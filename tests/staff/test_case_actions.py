"""A case through its stages on the staff pages; refusals; locking; recording contacts;
the queue; and the routing and account commands.

Dates are worked out by hand in the comments, on the council's calendar: England's bank
holidays (Christmas Day Fri 25 Dec 2026, Boxing Day observed Mon 28 Dec, New Year's Day
Fri 1 Jan 2027, Good Friday 26 Mar 2027, Easter Monday 29 Mar 2027) and the council's
closure days (29, 30 and 31 Dec 2026) are not working days.
"""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import func, select

from intake.extensions import db
from intake.models import Case, OutboxMessage, StaffUser
from intake.outbox.render import render
from tests.staff.helpers import (
    CHANGED,
    account,
    as_page,
    browser,
    caption,
    deadline_rows,
    done,
    done_reading,
    from_the_form,
    opened,
    parts,
    queue,
    queue_rows,
    received,
    save,
    send_opened,
    signed_in,
    staff_as,
    stage_rows,
    stored,
    tag,
)
from tests.support import PARENT_COMPLAINT, answers, london, make_staff, sign_in

SEND_COMPLAINT = answers(
    PARENT_COMPLAINT,
    help_they_get={"statuses": ["send_ehcp"]},
    service_or_team={"service": "send"},
    what_happened={"details": "The EHC plan review has been late for a year."},
)
REASONS = ["communication/not_kept_informed", "non_delivery/visits_missed"]
STAGE_1 = "Respond by (statutory procedure, stage 1 response)"
ACKNOWLEDGED = "Wednesday 25 November 2026 | Acknowledged Tuesday 24 November 2026 by email"


def _on(clock, day: date, hour: int = 10) -> None:
    """Stand the service on `day` (London time)."""
    clock.moment = london(day.year, day.month, day.day, hour)


def _page(client, reference: str):
    page = client.get(f"/staff/cases/{reference}")
    assert page.status == 200, page.status
    return page


def _triage(client, reference: str, procedure: str = "statutory", service: str = "assessment"):
    done(
        save(
            client,
            reference,
            "triage",
            {
                "kind": "complaint",
                "procedure": procedure,
                "service_area": service,
                "reasons": REASONS,
            },
        ),
        reference,
    )


def _respond(client, reference: str, on: date, outcome: str = "not_upheld", **extra):
    done(
        save(
            client,
            reference,
            "respond",
            {"on": parts(on), "outcome": outcome, "actions": ["explanation"], **extra},
        ),
        reference,
    )


def _escalate(client, reference: str, on: date, late_reason: str = ""):
    done(
        save(
            client, reference, "escalate", {"requested_on": parts(on), "late_reason": late_reason}
        ),
        reference,
    )


def _refused(response, message: str) -> None:
    page = as_page(response)
    assert response.status_code == 409, page.errors or page.text()[:300]
    assert page.soup.select_one(".govuk-error-summary") is not None
    assert page.errors == [message]


# The whole journey ------------------------------------------------------------------------


def test_a_statutory_complaint_from_receipt_through_three_stages_and_the_ombudsman(
    app, clock, settings
):
    # Monday 23 November 2026, 10:00: a parent sends the form.
    reference = from_the_form(app, PARENT_COMPLAINT)
    officer = staff_as(app, "complaints_officer")

    page = _page(officer, reference)
    assert caption(page) == "Complaint, statutory procedure, stage 1"
    assert tag(page) == "Due in 2 working days"
    # Acknowledge within 2 working days: Tue 24, Wed 25 Nov. Stage 1 within 10 working
    # days of receipt: 24-27 Nov (4), 30 Nov-4 Dec (9), Mon 7 Dec (10).
    assert deadline_rows(page) == {
        "Acknowledge by": "Wednesday 25 November 2026",
        STAGE_1: "Monday 7 December 2026",
    }
    assert stored(reference).status == "new"

    # Tuesday 24 November: acknowledged by email. Stage 1 runs from receipt: unchanged.
    _on(clock, date(2026, 11, 24))
    done(
        save(officer, reference, "acknowledge", {"how": "email", "on": parts(date(2026, 11, 24))}),
        reference,
    )
    page = _page(officer, reference)
    assert deadline_rows(page) == {
        "Acknowledge by": ACKNOWLEDGED,
        STAGE_1: "Monday 7 December 2026",
    }
    # Next owed: the response on 7 Dec, more than 2 working days away.
    assert tag(page) == "Open"
    assert stored(reference).status == "open"

    # Wednesday 25 November: triaged, with two reasons from council.toml.
    _on(clock, date(2026, 11, 25))
    offered = officer.get(f"/staff/cases/{reference}/triage")
    choices = {i["value"] for i in offered.soup.find_all("input", attrs={"name": "reasons"})}
    configured = {f"{r.key}/{s.key}" for r in settings.reasons for s in r.sub}
    assert choices == configured
    assert set(REASONS) <= configured
    _triage(officer, reference)
    again = officer.get(f"/staff/cases/{reference}/triage")
    assert sorted(again.checked("reasons")) == REASONS
    assert again.checked("procedure") == ["statutory"]
    case = stored(reference)
    assert (case.triaged_on, case.procedure, case.stage) == (date(2026, 11, 25), "statutory", 1)
    assert deadline_rows(_page(officer, reference))[STAGE_1] == "Monday 7 December 2026"

    # Tuesday 1 December: Stage 1 extended to 20 working days from receipt:
    # 24 Nov-4 Dec (9), 7-11 Dec (14), 14-18 Dec (19), Mon 21 Dec (20).
    _on(clock, date(2026, 12, 1))
    done(
        save(
            officer,
            reference,
            "extend",
            {
                "working_days": "20",
                "reason": "The independent person is away until mid-December.",
                "on": parts(date(2026, 12, 1)),
            },
        ),
        reference,
    )
    page = _page(officer, reference)
    assert (
        deadline_rows(page)["Respond by (statutory procedure, stage 1 response (extended))"]
        == "Monday 21 December 2026"
    )
    assert stage_rows(page) == [
        ["1", "23 Nov 2026", "21 Dec 2026 (extended to 20 working days)", "–", "–"]
    ]

    # Friday 18 December: the Stage 1 response, partly upheld, with £250.
    _on(clock, date(2026, 12, 18))
    done(
        save(
            officer,
            reference,
            "respond",
            {
                "on": parts(date(2026, 12, 18)),
                "outcome": "partially_upheld",
                "actions": ["apology", "financial_remedy"],
                "amount": "250",
            },
        ),
        reference,
    )
    page = _page(officer, reference)
    assert stage_rows(page) == [
        [
            "1",
            "23 Nov 2026",
            "21 Dec 2026 (extended to 20 working days)",
            "18 Dec 2026",
            "partially upheld | apology | financial remedy: £250.00",
        ]
    ]
    # Stage 2 can be asked for within 20 working days of the response: 21-24 Dec (4);
    # 25 Dec, 28 Dec (bank holidays), 29-31 Dec (closed), 1 Jan (bank holiday) skipped;
    # 4-8 Jan (9), 11-15 Jan (14), 18-22 Jan (19), Mon 25 Jan (20).
    assert deadline_rows(page)["Next stage can be asked for until"] == "Monday 25 January 2027"
    assert tag(page) == "Open"
    assert stored(reference).next_deadline is None

    # Monday 11 January 2027: the complainant asks for Stage 2 (in time). 25 working
    # days from the request: 12-15 Jan (4), 18-22 (9), 25-29 (14), 1-5 Feb (19),
    # 8-12 Feb (24), Mon 15 Feb (25).
    _on(clock, date(2027, 1, 11))
    _escalate(officer, reference, date(2027, 1, 11))
    page = _page(officer, reference)
    assert caption(page) == "Complaint, statutory procedure, stage 2"
    assert deadline_rows(page) == {
        "Acknowledge by": ACKNOWLEDGED,
        "Respond by (statutory procedure, stage 2 response)": "Monday 15 February 2027",
    }
    assert stage_rows(page)[1] == ["2", "11 Jan 2027", "15 Feb 2027", "–", "–"]
    assert stored(reference).next_deadline == date(2027, 2, 15)

    # Friday 12 February: the Stage 2 response. Stage 3 can be asked for until 20
    # working days later: 15-19 Feb (5), 22-26 Feb (10), 1-5 Mar (15), Fri 12 Mar (20).
    _on(clock, date(2027, 2, 12))
    _respond(officer, reference, date(2027, 2, 12))
    page = _page(officer, reference)
    assert stage_rows(page)[1] == [
        "2",
        "11 Jan 2027",
        "15 Feb 2027",
        "12 Feb 2027",
        "not upheld | explanation",
    ]
    assert deadline_rows(page)["Next stage can be asked for until"] == "Friday 12 March 2027"

    # Monday 1 March: Stage 3, the review panel, 30 working days: 2-5 Mar (4), 8-12 (9),
    # 15-19 (14), 22-25 (18), Good Friday 26 Mar and Easter Monday 29 Mar skipped,
    # 30 Mar-2 Apr (22), 5-9 Apr (27), Wed 14 Apr (30).
    _on(clock, date(2027, 3, 1))
    _escalate(officer, reference, date(2027, 3, 1))
    page = _page(officer, reference)
    assert caption(page) == "Complaint, statutory procedure, stage 3"
    assert (
        deadline_rows(page)["Respond by (statutory procedure, stage 3 response)"]
        == "Wednesday 14 April 2027"
    )
    assert stage_rows(page)[2] == ["3", "1 Mar 2027", "14 Apr 2027", "–", "–"]

    # Friday 9 April: the panel met on Thursday 1 April and reported on Friday 9 April.
    _on(clock, date(2027, 4, 9))
    done(
        save(
            officer,
            reference,
            "panel",
            {"convened_on": parts(date(2027, 4, 1)), "report_on": parts(date(2027, 4, 9))},
        ),
        reference,
    )
    page = _page(officer, reference)
    assert stage_rows(page)[2] == [
        "3",
        "1 Mar 2027",
        "14 Apr 2027",
        "–",
        "– | Panel met 1 Apr 2027 | Panel report 9 Apr 2027",
    ]
    stage = stored(reference).stages[2]
    assert (stage.panel_convened_on, stage.panel_report_on) == (date(2027, 4, 1), date(2027, 4, 9))

    # Monday 12 April: the council's Stage 3 response, upheld. No further stage.
    _on(clock, date(2027, 4, 12))
    done(
        save(
            officer,
            reference,
            "respond",
            {
                "on": parts(date(2027, 4, 12)),
                "outcome": "upheld",
                "actions": ["apology", "service_provided"],
            },
        ),
        reference,
    )
    page = _page(officer, reference)
    assert stage_rows(page)[2] == [
        "3",
        "1 Mar 2027",
        "14 Apr 2027",
        "12 Apr 2027",
        "upheld | apology | service provided | Panel met 1 Apr 2027 | Panel report 9 Apr 2027",
    ]
    assert "Next stage can be asked for until" not in deadline_rows(page)
    beyond = save(officer, reference, "escalate", {"requested_on": parts(date(2027, 4, 12))})
    _refused(
        beyond,
        "The statutory procedure has 3 stages: there is no Stage 4. "
        "The complainant can go to the Ombudsman.",
    )

    # Wednesday 2 June: the Ombudsman's enquiry arrives.
    _on(clock, date(2027, 6, 2))
    done(
        save(
            officer,
            reference,
            "ombudsman",
            {"received_on": parts(date(2027, 6, 2)), "ombudsman_reference": "26 012 345"},
        ),
        reference,
    )
    page = _page(officer, reference)
    assert _ombudsman(page) == ["2 Jun 2027 (26 012 345): awaiting decision"]

    # Wednesday 1 September: its decision: fault with injustice, a £300 remedy.
    _on(clock, date(2027, 9, 1))
    done(
        save(
            officer,
            reference,
            "ombudsman",
            {
                "received_on": parts(date(2027, 6, 2)),
                "ombudsman_reference": "26 012 345",
                "decided_on": parts(date(2027, 9, 1)),
                "decision": "fault_with_injustice",
                "remedy": "An apology and a payment for the distress caused.",
                "remedy_amount": "300",
            },
        ),
        reference,
    )
    page = _page(officer, reference)
    assert _ombudsman(page) == [
        "2 Jun 2027 (26 012 345): fault with injustice (decided 1 Sep 2027), £300.00."
        " Remedy: An apology and a payment for the distress caused."
    ]
    enquiry = stored(reference).ombudsman_enquiries[0]
    assert (enquiry.decided_on, enquiry.decision) == (date(2027, 9, 1), "fault_with_injustice")

    # Thursday 2 September: closed.
    _on(clock, date(2027, 9, 2))
    done(save(officer, reference, "close", {"on": parts(date(2027, 9, 2))}), reference)
    page = _page(officer, reference)
    assert tag(page) == "Closed"
    case = stored(reference)
    assert (case.status, case.closed_on, case.next_deadline) == (
        "closed",
        date(2027, 9, 2),
        None,
    )
    assert [e.event for e in case.events if e.actor.startswith("staff:")] == [
        "acknowledged",
        "triaged",
        "extended",
        "responded",
        "escalated",
        "responded",
        "escalated",
        "panel_dates",
        "responded",
        "ombudsman",
        "ombudsman",
        "closed",
    ]
    db.session.remove()
    assert reference not in queue(officer)
    assert reference in queue(officer, "state=closed")


def _ombudsman(page) -> list[str]:
    heading = page.soup.find("h2", string="Ombudsman")
    if heading is None:
        return []
    return [" ".join(li.get_text().split()) for li in heading.find_next_sibling("ul").select("li")]


def _to_stage_3(client, clock, reference: str) -> None:
    """Triage, answer Stage 1 and 2 and ask for Stage 3, all in time."""
    _triage(client, reference)
    _on(clock, date(2026, 12, 4))
    _respond(client, reference, date(2026, 12, 4))
    _on(clock, date(2026, 12, 7))
    _escalate(client, reference, date(2026, 12, 7))
    _on(clock, date(2027, 1, 8))
    _respond(client, reference, date(2027, 1, 8))
    _on(clock, date(2027, 1, 11))
    _escalate(client, reference, date(2027, 1, 11))


def test_the_case_page_shows_the_panel_report_and_ombudsman_decision_dates(app, clock):
    reference = from_the_form(app, PARENT_COMPLAINT)
    officer = staff_as(app, "complaints_officer")
    _to_stage_3(officer, clock, reference)
    # Recorded on Monday 1 March, so the timeline's own dates are not mistaken for them.
    _on(clock, date(2027, 3, 1))
    done(
        save(
            officer,
            reference,
            "panel",
            {"convened_on": parts(date(2027, 2, 17)), "report_on": parts(date(2027, 2, 26))},
        ),
        reference,
    )
    done(
        save(
            officer,
            reference,
            "ombudsman",
            {
                "received_on": parts(date(2027, 2, 1)),
                "decided_on": parts(date(2027, 2, 24)),
                "decision": "premature",
            },
        ),
        reference,
    )

    text = _page(officer, reference).text()

    assert "17 Feb 2027" in text  # the panel met
    assert "26 Feb 2027" in text or "26 February 2027" in text  # the panel's report
    assert "24 Feb 2027" in text or "24 February 2027" in text  # the Ombudsman decided


def test_a_corporate_complaint_has_its_own_dates(app, clock):
    # A complaint about SEND follows the corporate procedure, whose stages run from
    # acknowledgement.
    reference = from_the_form(app, SEND_COMPLAINT)
    officer = staff_as(app, "complaints_officer")
    assert stored(reference).team == "send"
    _on(clock, date(2026, 11, 25))
    done(
        save(officer, reference, "acknowledge", {"how": "letter", "on": parts(date(2026, 11, 25))}),
        reference,
    )
    _triage(officer, reference, procedure="corporate", service="send")

    # 10 working days from acknowledgement on Wed 25 Nov: 26-27 Nov (2), 30 Nov-4 Dec
    # (7), 7-9 Dec (10): Wednesday 9 December.
    rows = deadline_rows(_page(officer, reference))
    assert rows["Respond by (corporate procedure, stage 1 response)"] == "Wednesday 9 December 2026"

    _on(clock, date(2026, 12, 4))
    _respond(officer, reference, date(2026, 12, 4))
    _on(clock, date(2026, 12, 7))
    _escalate(officer, reference, date(2026, 12, 7))
    # Stage 2 runs 20 working days from its acknowledgement, 2 working days after the
    # request (Wed 9 Dec): 10-11 Dec (2), 14-18 (7), 21-24 (11), Christmas to New Year
    # skipped, 4-8 Jan (16), 11-14 Jan (20): Thursday 14 January 2027.
    rows = deadline_rows(_page(officer, reference))
    assert rows["Respond by (corporate procedure, stage 2 response)"] == "Thursday 14 January 2027"


def test_hold_and_resume_stop_and_restart_the_clock(app, clock):
    reference = from_the_form(app, PARENT_COMPLAINT)
    officer = staff_as(app, "complaints_officer")
    _triage(officer, reference)

    _on(clock, date(2026, 11, 25))
    done(
        save(
            officer,
            reference,
            "hold",
            {
                "reason": "Waiting for the family to agree a meeting.",
                "on": parts(date(2026, 11, 25)),
            },
        ),
        reference,
    )
    page = _page(officer, reference)
    assert tag(page) == "On hold"
    assert stored(reference).status == "on_hold"
    db.session.remove()
    assert [row[3] for row in queue_rows(officer.get("/staff/"))] == ["On hold"]

    # Resumed Wed 2 Dec: the clock stood still for 26, 27, 30 Nov, 1 and 2 Dec (5
    # working days), so Stage 1 is due 15 working days after receipt: 24-27 Nov (4),
    # 30 Nov-4 Dec (9), 7-11 Dec (14), Mon 14 Dec (15).
    _on(clock, date(2026, 12, 2))
    done(save(officer, reference, "resume", {"on": parts(date(2026, 12, 2))}), reference)
    page = _page(officer, reference)
    assert deadline_rows(page)[STAGE_1] == "Monday 14 December 2026"
    assert "Includes 5 working days on hold." in page.text()
    case = stored(reference)
    assert (case.status, case.held_working_days, case.respond_by) == ("open", 5, date(2026, 12, 14))


def test_a_hold_over_christmas_counts_only_working_days(app, clock):
    # Received Monday 14 December: Stage 1 due in 10 working days: 15-18 Dec (4),
    # 21-24 Dec (8), Christmas to New Year skipped, Mon 4 Jan (9), Tue 5 Jan (10).
    _on(clock, date(2026, 12, 14))
    reference = from_the_form(app, PARENT_COMPLAINT)
    officer = staff_as(app, "complaints_officer")
    assert deadline_rows(_page(officer, reference))[STAGE_1] == "Tuesday 5 January 2027"

    # On hold from Thu 24 Dec to Mon 4 Jan: the only working day in between is 4 Jan.
    _on(clock, date(2026, 12, 24))
    done(
        save(
            officer,
            reference,
            "hold",
            {"reason": "Court hearing.", "on": parts(date(2026, 12, 24))},
        ),
        reference,
    )
    _on(clock, date(2027, 1, 4))
    done(save(officer, reference, "resume", {"on": parts(date(2027, 1, 4))}), reference)

    assert deadline_rows(_page(officer, reference))[STAGE_1] == "Wednesday 6 January 2027"
    assert stored(reference).held_working_days == 1


def test_an_advocacy_requests_reply_date_reads_properly(app, clock):
    reference = received(kind="advocacy_request")
    officer = staff_as(app, "complaints_officer")

    rows = deadline_rows(_page(officer, reference))

    # 5 working days: 24-27 Nov (4), Mon 30 Nov (5).
    assert rows == {
        "Acknowledge by": "Wednesday 25 November 2026",
        "Respond by (reply to an advocacy request)": "Monday 30 November 2026",
    }


# Refusals ------------------------------------------------------------------------------------


def test_a_response_before_triage_is_refused(app, clock):
    reference = from_the_form(app, PARENT_COMPLAINT)
    officer = staff_as(app, "complaints_officer")

    response = save(
        officer,
        reference,
        "respond",
        {"on": parts(date(2026, 11, 23)), "outcome": "upheld", "actions": ["apology"]},
    )

    _refused(response, "Triage the case before recording a response.")
    case = stored(reference)
    assert case.stages[0].responded_on is None
    assert case.version == 1


def test_stage_3_is_refused_for_a_corporate_complaint(app, clock):
    reference = from_the_form(app, SEND_COMPLAINT)
    officer = staff_as(app, "complaints_officer")
    _triage(officer, reference, procedure="corporate", service="send")
    _respond(officer, reference, date(2026, 11, 30))
    _escalate(officer, reference, date(2026, 12, 1))
    _respond(officer, reference, date(2026, 12, 18))

    response = save(officer, reference, "escalate", {"requested_on": parts(date(2027, 1, 4))})

    _refused(
        response,
        "The corporate procedure has 2 stages: there is no Stage 3. "
        "The complainant can go to the Ombudsman.",
    )
    case = stored(reference)
    assert (case.stage, len(case.stages)) == (2, 2)


def test_a_late_request_for_the_next_stage_needs_a_reason(app, clock):
    reference = from_the_form(app, PARENT_COMPLAINT)
    officer = staff_as(app, "complaints_officer")
    _triage(officer, reference)
    _on(clock, date(2026, 11, 27))
    _respond(officer, reference, date(2026, 11, 27))
    # 20 working days after Fri 27 Nov: 30 Nov-4 Dec (5), 7-11 (10), 14-18 (15),
    # 21-24 Dec (19); 25 and 28 Dec, 29-31 Dec and 1 Jan skipped; Mon 4 Jan (20).
    page = _page(officer, reference)
    assert deadline_rows(page)["Next stage can be asked for until"] == "Monday 4 January 2027"

    _on(clock, date(2027, 1, 5))
    response = save(
        officer, reference, "escalate", {"requested_on": parts(date(2027, 1, 5)), "late_reason": ""}
    )
    _refused(
        response,
        "The request came after 4 January 2027, the end of the 20 working days: "
        "record why it is being accepted late.",
    )
    assert stored(reference).stage == 1

    _escalate(
        officer,
        reference,
        date(2027, 1, 5),
        late_reason="The complainant was in hospital over Christmas.",
    )
    case = stored(reference)
    assert case.stage == 2
    assert case.stages[1].late_request_reason == "The complainant was in hospital over Christmas."
    # 25 working days from Tue 5 Jan: 6-8 Jan (3), 11-15 (8), 18-22 (13), 25-29 (18),
    # 1-5 Feb (23), Mon 8 Feb (24), Tue 9 Feb (25).
    assert case.stages[1].respond_by == date(2027, 2, 9)


def test_a_request_on_the_last_day_of_the_window_needs_no_reason(app, clock):
    reference = from_the_form(app, PARENT_COMPLAINT)
    officer = staff_as(app, "complaints_officer")
    _triage(officer, reference)
    _respond(officer, reference, date(2026, 11, 27))

    _escalate(officer, reference, date(2027, 1, 4))

    case = stored(reference)
    assert case.stage == 2
    assert case.stages[1].late_request_reason is None


def test_closing_with_an_unanswered_stage_is_refused_saying_why(app, clock):
    reference = from_the_form(app, PARENT_COMPLAINT)
    officer = staff_as(app, "complaints_officer")
    _triage(officer, reference)

    response = save(officer, reference, "close", {"on": parts(date(2026, 11, 23))})

    page = as_page(response)
    assert response.status_code == 409
    assert page.soup.select_one(".govuk-error-summary") is not None
    assert stored(reference).status == "open"
    # The message says what is wrong and what to do, as the procedure's rule does.
    assert len(page.errors) == 1
    assert "Stage 1 has not been answered" in page.errors[0], page.errors


def test_an_action_the_case_does_not_allow_is_refused_with_409(app, clock):
    reference = from_the_form(app, PARENT_COMPLAINT)
    officer = staff_as(app, "complaints_officer")

    # Resume a case that is not on hold; panel dates before Stage 3.
    for action, data in [
        ("resume", {"on": parts(date(2026, 11, 23))}),
        ("panel", {"convened_on": parts(date(2026, 11, 23))}),
        ("reopen", {"reason": "It was never closed."}),
    ]:
        response = save(officer, reference, action, data)
        assert response.status_code == 409, action
        assert as_page(response).errors == [
            "This action is not available for the case as it is now."
        ]
    assert stored(reference).version == 1


# Form errors -----------------------------------------------------------------------------------

DATE_ERRORS = [
    pytest.param(
        "acknowledge", {"how": "email"}, "on", ["24", "", ""], id="month-and-year-missing"
    ),
    pytest.param("acknowledge", {"how": "email"}, "on", ["", "11", "2026"], id="day-missing"),
    pytest.param("acknowledge", {"how": "email"}, "on", ["31", "2", "2026"], id="not-a-real-date"),
    pytest.param("acknowledge", {"how": "email"}, "on", ["24", "13", "2026"], id="month-13"),
    pytest.param("acknowledge", {"how": "email"}, "on", ["", "", ""], id="no-date"),
    pytest.param("respond", {"outcome": "upheld"}, "on", ["1", "", "2026"], id="respond-no-month"),
    pytest.param("hold", {"reason": "Waiting"}, "on", ["x", "y", "z"], id="hold-letters"),
]


@pytest.mark.parametrize(("action", "data", "field", "value"), DATE_ERRORS)
def test_a_date_with_missing_or_wrong_parts_is_a_400_with_the_error_summary(
    app, clock, action, data, field, value
):
    reference = from_the_form(app, PARENT_COMPLAINT)
    officer = staff_as(app, "complaints_officer")

    response = save(officer, reference, action, {**data, field: value})

    page = as_page(response)
    assert response.status_code == 400
    summary = page.soup.select_one(".govuk-error-summary")
    assert summary is not None
    assert "There is a problem" in summary.get_text()
    assert page.errors
    # The boxes show what was typed.
    assert [
        box.get("value") or "" for box in page.soup.find_all("input", attrs={"name": field})
    ] == value
    assert stored(reference).version == 1


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (["24", "", ""], "The date acknowledged must include a month and year"),
        (["", "11", "2026"], "The date acknowledged must include a day"),
        (["31", "2", "2026"], "The date acknowledged must be a real date"),
        (["", "", ""], "Enter the date"),
    ],
)
def test_a_date_error_says_what_is_wrong_with_the_date(app, clock, value, message):
    reference = from_the_form(app, PARENT_COMPLAINT)
    officer = staff_as(app, "complaints_officer")

    response = save(officer, reference, "acknowledge", {"how": "email", "on": value})

    assert response.status_code == 400
    assert as_page(response).errors == [message]


def test_other_form_errors_are_400_and_name_the_field(app, clock):
    reference = from_the_form(app, PARENT_COMPLAINT)
    officer = staff_as(app, "complaints_officer")

    hold = save(officer, reference, "hold", {"reason": "", "on": parts(date(2026, 11, 23))})
    assert hold.status_code == 400
    assert as_page(hold).errors == ["Say why the case is on hold"]

    extend = save(
        officer,
        reference,
        "extend",
        {"working_days": "lots", "reason": "Busy", "on": parts(date(2026, 11, 23))},
    )
    assert extend.status_code == 400
    assert as_page(extend).errors

    triage = save(officer, reference, "triage", {"kind": "parcel", "procedure": "statutory"})
    assert triage.status_code == 400
    assert as_page(triage).errors
    assert stored(reference).version == 1


# Optimistic locking ------------------------------------------------------------------------------


def test_a_form_opened_before_another_change_is_refused_and_nothing_of_it_is_saved(app, clock):
    reference = from_the_form(app, PARENT_COMPLAINT)
    officer = staff_as(app, "complaints_officer")

    page, version = opened(officer, reference, "acknowledge")
    _triage(officer, reference)

    response = send_opened(
        officer, page, version, {"how": "phone", "on": parts(date(2026, 11, 23))}
    )

    assert response.status_code == 409
    refused = as_page(response)
    assert refused.errors == [CHANGED]
    case = stored(reference)
    assert (case.acknowledged_on, case.acknowledged_how) == (None, None)
    assert "acknowledged" not in [e.event for e in case.events]
    new_version = str(case.version)
    db.session.remove()

    # The page now carries the case as it is: saving it again works.
    assert refused.soup.find("input", attrs={"name": "version"})["value"] == new_version
    again = officer.client.post(
        refused.path,
        data={
            "how": "phone",
            "on": parts(date(2026, 11, 23)),
            "version": new_version,
            "csrf_token": refused.csrf_token,
        },
    )
    done(again, reference)
    assert stored(reference).acknowledged_how == "phone"


def test_two_staff_saving_the_same_case_cannot_overwrite_each_other(app, clock):
    reference = from_the_form(app, PARENT_COMPLAINT)
    first = staff_as(app, "complaints_officer")
    make_staff(email="second.officer@example.org", role="complaints_officer")
    second = signed_in(app, "second.officer@example.org")

    hold_page, hold_version = opened(first, reference, "hold")
    ack_page, ack_version = opened(second, reference, "acknowledge")

    acknowledged = send_opened(
        second, ack_page, ack_version, {"how": "letter", "on": parts(date(2026, 11, 23))}
    )
    done(acknowledged, reference)
    held = send_opened(
        first,
        hold_page,
        hold_version,
        {"reason": "Waiting for the family's consent.", "on": parts(date(2026, 11, 23))},
    )

    assert held.status_code == 409
    assert as_page(held).errors == [CHANGED]
    case = stored(reference)
    assert (case.status, case.on_hold_since, case.acknowledged_how) == ("open", None, "letter")
    assert "on_hold" not in [e.event for e in case.events]


def test_two_staff_pressing_save_at_the_same_moment(app, clock):
    reference = from_the_form(app, PARENT_COMPLAINT)
    first = staff_as(app, "complaints_officer")
    make_staff(email="second.officer@example.org", role="complaints_officer")
    second = signed_in(app, "second.officer@example.org")
    hold_page, hold_version = opened(first, reference, "hold")
    ack_page, ack_version = opened(second, reference, "acknowledge")
    done_reading()

    start = threading.Barrier(2)
    statuses: dict[str, int] = {}

    def press(name, client, page, version, data):
        start.wait()
        statuses[name] = send_opened(client, page, version, data).status_code

    threads = [
        threading.Thread(
            target=press,
            args=(
                "hold",
                first,
                hold_page,
                hold_version,
                {"reason": "Waiting for a reply.", "on": parts(date(2026, 11, 23))},
            ),
        ),
        threading.Thread(
            target=press,
            args=(
                "acknowledge",
                second,
                ack_page,
                ack_version,
                {"how": "email", "on": parts(date(2026, 11, 23))},
            ),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(statuses.values()) == [302, 409], statuses
    case = stored(reference)
    events = [e.event for e in case.events]
    if statuses["hold"] == 302:
        assert (case.status, case.acknowledged_on) == ("on_hold", None)
        assert "acknowledged" not in events
    else:
        assert (case.status, case.acknowledged_on) == ("open", date(2026, 11, 23))
        assert "on_hold" not in events
    assert case.version == 2


def test_two_staff_recording_the_ombudsman_enquiry_cannot_overwrite_each_other(app, clock):
    reference = from_the_form(app, PARENT_COMPLAINT)
    first = staff_as(app, "complaints_officer")
    make_staff(email="second.officer@example.org", role="complaints_officer")
    second = signed_in(app, "second.officer@example.org")
    page_1, version_1 = opened(first, reference, "ombudsman")
    page_2, version_2 = opened(second, reference, "ombudsman")

    saved = send_opened(
        second,
        page_2,
        version_2,
        {"received_on": parts(date(2026, 11, 20)), "ombudsman_reference": "26 000 111"},
    )
    done(saved, reference)
    stale = send_opened(
        first,
        page_1,
        version_1,
        {"received_on": parts(date(2026, 11, 23)), "ombudsman_reference": "26 999 999"},
    )

    assert stale.status_code == 409
    assert as_page(stale).errors == [CHANGED]
    enquiries = stored(reference).ombudsman_enquiries
    assert [(e.received_on, e.ombudsman_reference) for e in enquiries] == [
        (date(2026, 11, 20), "26 000 111")
    ]


def test_two_staff_changing_the_triage_reasons_cannot_overwrite_each_other(app, clock):
    reference = from_the_form(app, PARENT_COMPLAINT)
    first = staff_as(app, "complaints_officer")
    make_staff(email="second.officer@example.org", role="complaints_officer")
    second = signed_in(app, "second.officer@example.org")
    _triage(first, reference)
    page_1, version_1 = opened(first, reference, "triage")
    page_2, version_2 = opened(second, reference, "triage")
    triage = {"kind": "complaint", "procedure": "statutory", "service_area": "assessment"}

    done(
        send_opened(second, page_2, version_2, {**triage, "reasons": ["delay/assessment_delay"]}),
        reference,
    )
    stale = send_opened(first, page_1, version_1, {**triage, "reasons": ["cost/charges"]})

    assert stale.status_code == 409
    assert as_page(stale).errors == [CHANGED]
    assert [(r.reason, r.sub_reason) for r in stored(reference).reasons] == [
        ("delay", "assessment_delay")
    ]


def test_two_staff_recording_panel_dates_cannot_overwrite_each_other(app, clock):
    reference = from_the_form(app, PARENT_COMPLAINT)
    first = staff_as(app, "complaints_officer")
    make_staff(email="second.officer@example.org", role="complaints_officer")
    second = signed_in(app, "second.officer@example.org")
    _to_stage_3(first, clock, reference)
    page_1, version_1 = opened(first, reference, "panel")
    page_2, version_2 = opened(second, reference, "panel")

    done(
        send_opened(second, page_2, version_2, {"convened_on": parts(date(2027, 2, 17))}),
        reference,
    )
    stale = send_opened(first, page_1, version_1, {"convened_on": parts(date(2027, 2, 18))})

    assert stale.status_code == 409
    assert stored(reference).stages[2].panel_convened_on == date(2027, 2, 17)


# Recording a contact ------------------------------------------------------------------------

CONTACTS = [
    pytest.param(
        "email",
        {
            "kind": "complaint",
            "role": "parent",
            "email": "pat@example.org",
            "service_area": "assessment",
        },
        "assessment",
        "statutory",
        id="email",
    ),
    pytest.param(
        "letter",
        {"kind": "complaint", "role": "grandparent", "service_area": "children_in_care"},
        "children_in_care",
        "corporate",
        id="letter",
    ),
    pytest.param(
        "telephone",
        {
            "kind": "comment",
            "role": "foster_carer",
            "phone": "07700 900456",
            "service_area": "adoption_fostering",
        },
        "adoption_fostering",
        None,
        id="telephone",
    ),
    pytest.param(
        "in_person",
        {"kind": "complaint", "role": "young_person", "service_area": "youth_justice"},
        "youth_justice",
        "statutory",
        id="in-person",
    ),
    pytest.param(
        "mp_councillor",
        {"kind": "members_enquiry", "role": "mp_councillor", "email": "mp.office@example.org"},
        "complaints",
        None,
        id="mp",
    ),
    pytest.param(
        "ombudsman",
        {"kind": "complaint", "role": "parent", "service_area": "send"},
        "send",
        "corporate",
        id="ombudsman",
    ),
]


@pytest.mark.parametrize(("method", "fields", "team", "procedure"), CONTACTS)
def test_a_recorded_contact_becomes_a_case_in_the_right_queue_at_once(
    app, clock, method, fields, team, procedure
):
    officer = staff_as(app, "complaints_officer")
    make_staff(email=f"member.{team}@example.org", role="team_member", teams=(team,))
    member = signed_in(app, f"member.{team}@example.org")

    page = officer.submit(
        "/staff/cases/new",
        {
            "method": method,
            "received_on": parts(date(2026, 11, 23)),
            "name": "Pat Example",
            "child_first_name": "Rowan",
            "what_happened": "They told us the planned visits keep being cancelled.",
            **fields,
        },
    )

    assert page.status == 200, page.errors
    reference = page.h1.split()[0]
    assert page.path == f"/staff/cases/{reference}"
    received_row = dict(
        (
            " ".join(row.select_one(".govuk-summary-list__key").get_text().split()),
            " ".join(row.select_one(".govuk-summary-list__value").get_text().split()),
        )
        for row in page.soup.select(".govuk-summary-list__row")
    )["Received"]
    assert received_row == f"Monday 23 November 2026 ({method.replace('_', ' ')})"
    case = stored(reference)
    assert (case.method, case.kind, case.team, case.procedure) == (
        method,
        fields["kind"],
        team,
        procedure,
    )
    assert case.received_on == date(2026, 11, 23)
    assert case.children[0].first_name == "Rowan"
    db.session.remove()

    assert reference in queue(member)


def test_a_team_member_recording_a_contact_for_another_team_is_not_shown_page_not_found(app, clock):
    member = staff_as(app, "team_member")  # assessment

    page = member.submit(
        "/staff/cases/new",
        {
            "method": "telephone",
            "received_on": parts(date(2026, 11, 23)),
            "kind": "complaint",
            "role": "foster_carer",
            "phone": "07700 900789",
            "service_area": "children_in_care",
            "what_happened": "A foster carer rang about the child's placement plan.",
        },
    )

    case = db.session.scalars(select(Case)).one()
    assert case.team == "children_in_care"
    # The case is made and goes to its team; the person who recorded it is told so,
    # not shown "Page not found".
    assert page.status == 200, page.title
    assert case.reference in page.text()


def test_a_contact_received_earlier_counts_its_dates_from_that_day(app, clock):
    officer = staff_as(app, "complaints_officer")

    page = officer.submit(
        "/staff/cases/new",
        {
            "method": "letter",
            "received_on": parts(date(2026, 11, 20)),
            "kind": "complaint",
            "role": "parent",
            "service_area": "assessment",
            "what_happened": "A letter dated the 18th about missed visits.",
        },
    )

    # Received Friday 20 November: acknowledge by Tue 24 Nov (23, 24); Stage 1 in 10
    # working days: 23-27 Nov (5), 30 Nov-4 Dec (10): Friday 4 December.
    assert deadline_rows(page) == {
        "Acknowledge by": "Tuesday 24 November 2026",
        STAGE_1: "Friday 4 December 2026",
    }


def test_a_contact_received_in_the_future_is_refused(app, clock):
    officer = staff_as(app, "complaints_officer")
    cases = db.session.scalar(select(func.count()).select_from(Case))
    db.session.remove()

    page = officer.submit(
        "/staff/cases/new",
        {
            "method": "email",
            "received_on": parts(date(2026, 11, 24)),
            "kind": "complaint",
            "role": "parent",
            "email": "pat@example.org",
            "what_happened": "An email about the assessment.",
        },
    )

    assert page.status == 400
    assert page.errors == ["The date received must be today or in the past"]
    assert page.soup.select_one(".govuk-error-summary") is not None
    assert db.session.scalar(select(func.count()).select_from(Case)) == cases


def test_a_contact_without_what_they_told_us_is_refused(app, clock):
    officer = staff_as(app, "complaints_officer")

    page = officer.submit(
        "/staff/cases/new",
        {
            "method": "email",
            "received_on": parts(date(2026, 11, 23)),
            "kind": "complaint",
            "role": "parent",
        },
    )

    assert page.status == 400
    assert "Enter what they told us" in page.errors
    assert db.session.scalar(select(func.count()).select_from(Case)) == 0


# The queue ------------------------------------------------------------------------------------


def test_the_queue_is_sorted_by_next_deadline_and_tagged(app, clock):
    # Received Mon 16 Nov: acknowledge by Wed 18 Nov, so overdue today.
    _on(clock, date(2026, 11, 16))
    overdue = received()
    # Received Thu 19 Nov: acknowledge by Mon 23 Nov, today.
    _on(clock, date(2026, 11, 19))
    due_today = received()
    _on(clock, date(2026, 11, 23))
    new_today = received()
    on_hold = received()
    urgent = received(safeguarding=True, method="web_chat", role="young_person")
    acknowledged = received()
    # A compliment that wants no reply owes nothing.
    compliment = received(kind="compliment", reply="none")
    officer = staff_as(app, "complaints_officer")
    done(
        save(
            officer, acknowledged, "acknowledge", {"how": "email", "on": parts(date(2026, 11, 23))}
        ),
        acknowledged,
    )
    done(
        save(
            officer,
            on_hold,
            "hold",
            {"reason": "Waiting for consent.", "on": parts(date(2026, 11, 23))},
        ),
        on_hold,
    )
    assert stored(urgent).team == "front_door"
    done_reading()

    rows = queue_rows(officer.get("/staff/"))

    assert [(ref, when, label) for ref, _team, when, label in rows] == [
        (overdue, "18 Nov 2026", "Overdue"),
        (due_today, "23 Nov 2026", "Due in 2 working days"),
        (new_today, "25 Nov 2026", "Due in 2 working days"),
        (on_hold, "25 Nov 2026", "On hold"),
        (urgent, "25 Nov 2026", "Urgent"),
        # Acknowledged: next owed is Stage 1's response, Mon 7 Dec.
        (acknowledged, "7 Dec 2026", "Open"),
        (compliment, "–", "New"),
    ]

    # Thursday 26 November: Wednesday's acknowledgements are now late.
    _on(clock, date(2026, 11, 26))
    tags = {ref: label for ref, _team, _when, label in queue_rows(officer.get("/staff/"))}
    assert tags == {
        overdue: "Overdue",
        due_today: "Overdue",
        new_today: "Overdue",
        on_hold: "On hold",
        urgent: "Urgent",
        acknowledged: "Open",
        compliment: "New",
    }
    # Friday 4 December: the response due Monday 7 December is 1 working day away.
    _on(clock, date(2026, 12, 4))
    tags = {ref: label for ref, _team, _when, label in queue_rows(officer.get("/staff/"))}
    assert tags[acknowledged] == "Due in 2 working days"


def test_the_queue_filters(app, clock):
    _on(clock, date(2026, 11, 16))
    late = received()
    _on(clock, date(2026, 11, 23))
    statutory = received()
    corporate = received(service_area="send")
    comment = received(kind="comment", service_area="children_in_care")
    advocacy = received(kind="advocacy_request")
    stage_2 = received()
    held = received()
    urgent = received(safeguarding=True, method="web_chat", role="young_person")
    closed = received()
    compliment = received(kind="compliment", reply="none")
    officer = staff_as(app, "complaints_officer")
    today = parts(date(2026, 11, 23))
    done(save(officer, stage_2, "acknowledge", {"how": "email", "on": today}), stage_2)
    _triage(officer, stage_2)
    _respond(officer, stage_2, date(2026, 11, 23))
    _escalate(officer, stage_2, date(2026, 11, 23))
    done(save(officer, held, "hold", {"reason": "Waiting for consent.", "on": today}), held)
    done(save(officer, closed, "withdraw", {"on": today}), closed)
    assert stored(corporate).procedure == "corporate"
    assert stored(stage_2).stage == 2
    done_reading()

    def listed(query: str) -> set[str]:
        return set(queue(officer, query))

    everything_open = {
        late,
        statutory,
        corporate,
        comment,
        advocacy,
        stage_2,
        held,
        urgent,
        compliment,
    }
    assert listed("") == everything_open
    # (The compliment thanks the assessment team.)
    assert listed("team=assessment") == {late, statutory, stage_2, held, compliment}
    assert listed("team=send") == {corporate}
    assert listed("team=front_door") == {urgent}
    assert listed("kind=comment") == {comment}
    assert listed("kind=advocacy_request") == {advocacy}
    assert listed("kind=compliment") == {compliment}
    assert listed("procedure=corporate") == {corporate}
    assert listed("procedure=statutory") == {late, statutory, stage_2, held, urgent}
    assert listed("stage=2") == {stage_2}
    assert listed("stage=1") == {late, statutory, corporate, held, urgent}
    assert listed("state=new") == {
        late,
        statutory,
        corporate,
        comment,
        advocacy,
        urgent,
        compliment,
    }
    assert listed("state=overdue") == {late}
    # Owed within 2 working days (today to Wed 25 Nov), whatever else they are.
    assert listed("state=due_soon") == {statutory, corporate, comment, advocacy, held, urgent}
    assert listed("state=on_hold") == {held}
    assert listed("state=urgent") == {urgent}
    assert listed("state=closed") == {closed}
    assert listed("team=assessment&stage=2") == {stage_2}
    assert listed("team=assessment&state=on_hold") == {held}
    # The filters keep what was chosen.
    page = officer.get("/staff/?team=send&kind=complaint&procedure=corporate&stage=1&state=new")
    chosen = {
        select_["name"]: select_.select_one("option[selected]")["value"]
        for select_ in page.soup.select("form.app-filters select")
    }
    assert chosen == {
        "team": "send",
        "kind": "complaint",
        "procedure": "corporate",
        "stage": "1",
        "state": "new",
    }


def test_keyset_paging_shows_every_case_once_in_order(app, clock):
    # 30 complaints over 5 days (6 share each deadline) and 30 compliments that owe nothing.
    days = [date(2026, 11, d) for d in (16, 17, 18, 19, 20)]
    references = []
    for number in range(30):
        _on(clock, days[number % 5])
        references.append(received())
    _on(clock, date(2026, 11, 23))
    for _ in range(30):
        references.append(received(kind="compliment", reply="none"))
    officer = staff_as(app, "complaints_officer")
    expected = [
        c.reference
        for c in db.session.scalars(
            select(Case).order_by(Case.next_deadline.asc().nulls_last(), Case.id)
        )
    ]
    done_reading()

    first = officer.get("/staff/")
    assert len(queue_rows(first)) == 25
    assert first.soup.select_one("a[rel=next]") is not None

    listed = queue(officer)
    assert len(listed) == len(set(listed)) == 60
    assert listed == expected

    complaints = queue(officer, "kind=complaint")
    assert complaints == [r for r in expected if r in references[:30]]
    compliments = queue(officer, "kind=compliment")
    assert compliments == [r for r in expected if r in references[30:]]
    # The filter is kept from page to page.
    following = officer.get("/staff/?kind=compliment").soup.select_one("a[rel=next]")["href"]
    assert "kind=compliment" in following


def test_a_broken_paging_cursor_starts_from_the_beginning(app, clock):
    reference = received()
    officer = staff_as(app, "complaints_officer")
    for cursor in ("nonsense", "2026-13-45~1", "~x", "2026-11-23~"):
        page = officer.get(f"/staff/?after={cursor}")
        assert page.status == 200, cursor
        assert [row[0] for row in queue_rows(page)] == [reference], cursor


# The commands ---------------------------------------------------------------------------------


def test_route_explain_prints_the_rule_that_matched(app, clock):
    reference = from_the_form(app, PARENT_COMPLAINT)

    result = app.test_cli_runner().invoke(args=["intake", "route", "explain", reference])

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"Case {reference} is in Assessment (assessment)."
    assert lines[1] == "The rules today give assessment, priority normal:"
    assert (
        "  1. Advocacy requests go to the advocacy provider: "
        "no (kind is complaint, not advocacy_request)" in lines
    )
    assert "  4. Assessment: MATCHES (every condition holds)" in lines
    assert not any(line.startswith("  5.") for line in lines)
    assert "routed to assessment by service: Assessment" in result.output


def test_route_explain_shows_a_move_by_staff(app, clock):
    reference = from_the_form(app, PARENT_COMPLAINT)
    officer = staff_as(app, "complaints_officer")
    done(
        save(
            officer,
            reference,
            "reroute",
            {"team": "children_in_care", "reason": "The child came into care last week."},
        ),
        reference,
    )

    result = app.test_cli_runner().invoke(args=["intake", "route", "explain", reference])

    assert result.exit_code == 0, result.output
    assert (
        f"Case {reference} is in Children in care and permanence (children_in_care)."
        in result.output
    )
    assert (
        "rerouted to children_in_care by staff:officer@example.org: "
        "The child came into care last week."
    ) in result.output


def test_route_explain_of_an_unknown_reference_fails(app, clock):
    result = app.test_cli_runner().invoke(args=["intake", "route", "explain", "CS-2026-99999"])
    assert result.exit_code != 0
    assert "No case has the reference 'CS-2026-99999'." in result.output


def test_route_check_passes_for_the_shipped_configuration(app):
    result = app.test_cli_runner().invoke(args=["intake", "route", "check"])

    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        "13 teams, 14 rules; what no rule claims goes to complaints. OK."
    )


def _users(app, *args: str, stdin: str):
    return app.test_cli_runner().invoke(args=["intake", "users", *args], input=stdin)


def _accounts() -> int:
    count = db.session.scalar(select(func.count()).select_from(StaffUser))
    db.session.remove()
    return count


def test_users_create_with_a_weak_password_from_stdin_fails_with_the_message(app, clock):
    result = _users(
        app,
        "create",
        "--email",
        "new.member@example.org",
        "--name",
        "Sam Fictional",
        "--role",
        "team_member",
        "--team",
        "assessment",
        "--password-stdin",
        stdin="short\n",
    )

    assert result.exit_code == 1
    assert "The password must be at least 12 characters long." in result.output
    assert _accounts() == 0


def test_users_create_with_a_good_password_from_stdin_makes_the_account(app, clock):
    result = _users(
        app,
        "create",
        "--email",
        "new.member@example.org",
        "--name",
        "Sam Fictional",
        "--role",
        "team_member",
        "--team",
        "assessment",
        "--password-stdin",
        stdin="a quieter river at dawn\n",
    )

    assert result.exit_code == 0, result.output
    assert "Created new.member@example.org (team_member, assessment)." in result.output
    page = sign_in(browser(app), "new.member@example.org", "a quieter river at dawn")
    assert page.status == 200
    assert page.path == "/staff/"


def test_users_create_with_a_weak_password_at_the_prompt_fails_with_the_message(app, clock):
    result = _users(
        app,
        "create",
        "--email",
        "new.member@example.org",
        "--name",
        "Sam Fictional",
        "--role",
        "team_member",
        "--team",
        "assessment",
        stdin="short\nshort\n",
    )

    assert result.exit_code == 1
    assert "The password must be at least 12 characters long." in result.output
    assert _accounts() == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--role", "team_member"), "A team manager or member needs at least one --team."),
        (("--role", "team_member", "--team", "bakery"), "Not a team in teams.toml: bakery."),
    ],
)
def test_users_create_refuses_an_account_without_a_real_team(app, clock, args, message):
    result = _users(
        app,
        "create",
        "--email",
        "new.member@example.org",
        "--name",
        "Sam Fictional",
        *args,
        stdin="a quieter river at dawn\na quieter river at dawn\n",
    )

    assert result.exit_code == 1
    assert message in result.output
    assert _accounts() == 0


def test_users_create_refuses_a_second_account_for_one_address(app, clock):
    account("complaints_officer")
    result = _users(
        app,
        "create",
        "--email",
        "Officer@Example.org",
        "--name",
        "Another",
        "--role",
        "complaints_officer",
        stdin="a quieter river at dawn\na quieter river at dawn\n",
    )
    assert result.exit_code == 1
    assert "There is already an account for officer@example.org." in result.output


def test_a_recorded_contact_in_welsh_with_braille_is_acknowledged_in_welsh_and_made_by_hand(
    app, clock
):
    officer = staff_as(app, "complaints_officer")

    page = officer.submit(
        "/staff/cases/new",
        {
            "method": "letter",
            "received_on": parts(date(2026, 11, 23)),
            "kind": "complaint",
            "role": "parent",
            "email": "rhiant@example.org",
            "service_area": "assessment",
            "what_happened": "Llythyr am yr asesiad.",
            "language": "cy",
            "needs": ["braille", "interpreter"],
            "need_detail": "Cymraeg",
        },
    )

    assert page.status == 200, page.errors
    reference = page.h1.split()[0]
    needs = [li.get_text(strip=True) for li in page.soup.select(".app-reply-needs li")]
    assert needs == ["Braille", "An interpreter: Cymraeg"]
    case = stored(reference)
    assert case.language == "cy"
    assert [(n.need, n.detail) for n in case.access_needs] == [
        ("braille", None),
        ("interpreter", "Cymraeg"),
    ]
    # The automatic acknowledgement goes at once, in Welsh; a person makes the Braille one.
    owed = db.session.scalars(select(OutboxMessage).where(OutboxMessage.case_id == case.id))
    acknowledgement = next(m for m in owed if m.template == "acknowledgement")
    assert acknowledgement.language == "cy"
    assert "Diolch" in render(acknowledgement).body
    assert [t.task for t in case.tasks] == ["reply_in_their_format"]
    assert case.tasks[0].due_on == case.acknowledge_by
    db.session.remove()
    assert "Send them the acknowledgement in the language or format they need" in (
        officer.get("/staff/").text()
    )


def test_a_recorded_contact_in_another_language_tells_staff_which(app, clock):
    officer = staff_as(app, "complaints_officer")

    page = officer.submit(
        "/staff/cases/new",
        {
            "method": "telephone",
            "received_on": parts(date(2026, 11, 23)),
            "kind": "complaint",
            "role": "parent",
            "phone": "07700 900321",
            "service_area": "assessment",
            "what_happened": "A call through an interpreter about the assessment.",
            "language": "other",
            "other_language": "Tigrinya",
            "needs": ["large_print"],
        },
    )

    assert page.status == 200, page.errors
    reference = page.h1.split()[0]
    assert [li.get_text(strip=True) for li in page.soup.select(".app-reply-needs li")] == [
        "In Tigrinya",
        "Large print",
    ]
    rows = {
        " ".join(row.select_one(".govuk-summary-list__key").get_text().split()): " ".join(
            row.select_one(".govuk-summary-list__value").get_text().split()
        )
        for row in page.soup.select(".govuk-summary-list__row")
    }
    # The language is said once, in its own row; the needs row lists the formats only.
    assert rows["Language"] == "English – they asked for Tigrinya"
    assert rows["Access needs"] == "Large print"
    case = stored(reference)
    assert case.language == "en"
    assert case.contact.other_language == "Tigrinya"
    assert sorted(t.task for t in case.tasks) == ["acknowledge_by_phone", "reply_in_their_format"]


def test_a_recorded_contact_without_a_language_replies_in_the_councils_own(app, clock):
    officer = staff_as(app, "complaints_officer")

    form = officer.get("/staff/cases/new")
    assert form.checked("language") == ["en"]
    page = officer.submit(
        "/staff/cases/new",
        {
            "method": "email",
            "received_on": parts(date(2026, 11, 23)),
            "kind": "complaint",
            "role": "parent",
            "email": "pat@example.org",
            "what_happened": "An email about the assessment.",
        },
    )

    case = stored(page.h1.split()[0])
    assert case.language == "en"
    assert case.tasks == []
    assert not page.soup.select(".app-reply-needs")
