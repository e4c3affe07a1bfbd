"""A parent and an advocate each fill in the whole form and leave with a reference."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from intake.extensions import db
from intake.models import Case
from tests.support import ADVOCATE_COMPLAINT, PARENT_COMPLAINT, send


def test_a_parent_gets_a_reference_and_the_statutory_dates(client):
    # Monday 23 November 2026: acknowledge in 2 working days, answer in 10.
    page = send(client, PARENT_COMPLAINT)

    assert page.status == 200
    assert page.path == "/tell-us/sent"
    assert page.h1 == "Complaint sent"
    assert "CS-2026-00001" in page.text()
    assert "by Wednesday 25 November 2026" in page.text()
    assert "our full answer by Monday 7 December 2026" in page.text()

    case = db.session.scalars(select(Case)).one()
    assert case.reference == "CS-2026-00001"
    assert case.kind == "complaint"
    assert case.procedure == "statutory"
    assert case.stage == 1
    assert case.status == "new"
    assert case.method == "online_form"
    assert case.complainant_role == "parent"
    assert case.received_on == date(2026, 11, 23)
    assert case.acknowledge_by == date(2026, 11, 25)
    assert case.respond_by == date(2026, 12, 7)
    assert case.service_area == "assessment"
    assert case.language == "en"
    assert case.what_happened.startswith("The social worker missed three planned visits")
    assert [o.outcome for o in case.outcomes_sought] == ["apology", "meeting"]
    assert case.contact.name == "Jo Example"
    assert case.contact.reply_method == "email"
    assert case.contact.email == "jo@example.org"
    child = case.children[0]
    assert (child.first_name, child.date_of_birth, child.age, child.age_band) == (
        "Amara",
        date(2015, 6, 14),
        11,
        "10_to_15",
    )
    assert [s.status for s in child.statuses] == ["child_in_need"]
    assert [s.stage for s in case.stages] == [1]
    assert [e.event for e in case.events] == ["received", "deadlines_set", "routed"]
    assert (case.team, case.priority) == ("assessment", "normal")


def test_an_advocate_records_the_childs_consent_and_wishes(client):
    page = send(client, ADVOCATE_COMPLAINT)

    assert page.h1 == "Complaint sent"
    case = db.session.scalars(select(Case)).one()
    assert case.complainant_role == "advocate"
    assert case.with_advocate is True
    assert case.advocate_organisation == "Example Advocacy Service"
    assert case.child_consent == "yes"
    assert case.child_wants_contact is False
    assert case.procedure == "statutory"
    assert case.contact.reply_method == "text_message"
    assert case.contact.phone == "+447700900123"
    assert case.children[0].age == 13
    assert case.children[0].date_of_birth is None
