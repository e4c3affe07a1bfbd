"""Staff hear about what is theirs: new cases, reminders before deadlines, escalations
after them, urgent safeguarding alerts until someone acknowledges, and a daily digest.
None of it carries personal details."""

from __future__ import annotations

from datetime import date, datetime

from intake.outbox.worker import run_once
from tests.sms.helpers import WHAT_HAPPENED, Phone
from tests.staff.helpers import (
    STATUTORY_TRIAGE,
    act,
    from_the_form,
    received,
    signed_in,
    staff_as,
    stored,
    upheld_with_apology,
)
from tests.support import LONDON, PARENT_COMPLAINT, answers, make_staff

PERSONAL = ("Jo Example", "jo@example.org", "Amara", "social worker", "visit", WHAT_HAPPENED)


def subjects(mailbox, address: str) -> list[str]:
    return [m["Subject"] for m in mailbox.to(address)]


def no_personal_details(mailbox) -> None:
    for email in mailbox.received:
        if email["To"] == "jo@example.org":
            continue
        text = email.get_body(preferencelist=("plain",)).get_content() + email["Subject"]
        for personal in PERSONAL:
            assert personal not in text, f"{personal!r} in a staff email: {email['Subject']}"


def test_members_who_opted_in_hear_of_new_cases_and_others_do_not(app, clock, smtp):
    make_staff(email="keen.member@example.org", role="team_member", teams=("assessment",))
    make_staff(email="quiet.member@example.org", role="team_member", teams=("assessment",))
    keen = signed_in(app, "keen.member@example.org")
    page = keen.get("/staff/account")
    assert page.checked("new_cases") == ["no"]
    saved = keen.post(page.path, {"new_cases": "yes", "csrf_token": page.csrf_token})
    assert "Your email settings are saved." in saved.text()
    assert saved.checked("new_cases") == ["yes"]
    reference = received()

    run_once()

    assert any(reference in s for s in subjects(smtp, "keen.member@example.org"))
    assert subjects(smtp, "quiet.member@example.org") == []
    assert any(reference in s for s in subjects(smtp, "assessment@example.org"))
    no_personal_details(smtp)


def test_a_reminder_two_working_days_before_the_deadline_once(app, clock, smtp):
    reference = from_the_form(app, PARENT_COMPLAINT)
    run_once()
    # Stage 1 is due Monday 7 December; two working days before is Thursday 3 December.
    clock.moment = datetime(2026, 12, 2, 9, 0, tzinfo=LONDON)
    run_once()
    assert not [s for s in subjects(smtp, "assessment@example.org") if s.startswith("Due")]

    clock.moment = datetime(2026, 12, 3, 9, 0, tzinfo=LONDON)
    run_once()
    run_once()

    reminders = [s for s in subjects(smtp, "assessment@example.org") if s.startswith("Due")]
    assert reminders == [f"Due Monday 7 December 2026: {reference}"]
    no_personal_details(smtp)


def test_a_missed_deadline_escalates_to_the_manager_and_complaints_manager(app, clock, smtp):
    reference = from_the_form(app, PARENT_COMPLAINT)
    run_once()
    clock.moment = datetime(2026, 12, 7, 17, 0, tzinfo=LONDON)
    run_once()
    assert not any("Overdue" in m["Subject"] for m in smtp.received)

    clock.moment = datetime(2026, 12, 8, 9, 0, tzinfo=LONDON)
    run_once()
    run_once()

    routing = app.extensions["intake.routing"]
    team = routing.team(stored(reference).team)
    complaints = routing.team("complaints")
    expected = f"Overdue since Monday 7 December 2026: {reference}"
    assert subjects(smtp, team.manager).count(expected) == 1
    assert subjects(smtp, complaints.manager).count(expected) == 1
    no_personal_details(smtp)


def test_each_team_gets_one_digest_a_working_day(app, clock, smtp):
    received()
    clock.moment = datetime(2026, 11, 24, 7, 30, tzinfo=LONDON)
    run_once()
    assert not any("today's cases" in m["Subject"] for m in smtp.received)

    clock.moment = datetime(2026, 11, 24, 8, 5, tzinfo=LONDON)
    run_once()
    clock.advance(hours=3)
    run_once()

    [digest] = [m for m in smtp.to("assessment@example.org") if "today's cases" in m["Subject"]]
    text = digest.get_body(preferencelist=("plain",)).get_content()
    assert "Open cases: 1" in text
    # Saturday: no digest.
    clock.moment = datetime(2026, 11, 28, 9, 0, tzinfo=LONDON)
    run_once()
    assert len([m for m in smtp.to("assessment@example.org") if "today's" in m["Subject"]]) == 1
    no_personal_details(smtp)


def test_a_safeguarding_alert_repeats_until_someone_acknowledges_it(app, clock, smtp):
    make_staff(email="duty.worker@example.org", role="team_member", teams=("front_door",))
    phone = Phone(app)
    phone.say("Hi", "1", "1", "yes", "I want to kill myself")
    urgent = "URGENT safeguarding alert"

    run_once()
    assert len([s for s in subjects(smtp, "duty.worker@example.org") if urgent in s]) == 1
    assert len([s for s in subjects(smtp, "front.door@example.org") if urgent in s]) == 1

    clock.advance(minutes=10)
    run_once()
    assert len([s for s in subjects(smtp, "duty.worker@example.org") if urgent in s]) == 2

    officer = staff_as(app, "complaints_officer")
    from intake.extensions import db
    from intake.models import Case

    reference = db.session.query(Case.reference).scalar()
    page = officer.get(f"/staff/cases/{reference}")
    form = page.soup.find("form", action=lambda a: a and "/alerts/" in a)
    officer.post(form["action"], {"csrf_token": page.csrf_token})
    assert "Acknowledged" in officer.get(f"/staff/cases/{reference}").text()

    clock.advance(minutes=30)
    run_once()
    assert len([s for s in subjects(smtp, "duty.worker@example.org") if urgent in s]) == 2
    no_personal_details(smtp)


def test_the_person_is_told_once_in_their_language_when_our_answer_is_late(app, clock, smtp):
    reference = from_the_form(app, answers(PARENT_COMPLAINT, language={"language": "pl"}))
    run_once()
    clock.moment = datetime(2026, 12, 7, 17, 0, tzinfo=LONDON)
    run_once()
    assert len(smtp.to("jo@example.org")) == 1  # the acknowledgement only: not late yet

    clock.moment = datetime(2026, 12, 8, 9, 0, tzinfo=LONDON)
    run_once()
    run_once()

    [_acknowledgement, late] = smtp.to("jo@example.org")
    assert reference in late["Subject"]
    assert late["Content-Language"] == "pl"
    text = late.get_body(preferencelist=("plain",)).get_content()
    assert "grudnia" in text  # 7 December, in Polish
    assert "We are sorry" not in text
    # Once for each date missed: another day late owes nothing more.
    clock.moment = datetime(2026, 12, 9, 9, 0, tzinfo=LONDON)
    run_once()
    assert len(smtp.to("jo@example.org")) == 2


def test_no_late_notice_for_a_case_answered_or_on_hold(app, clock, smtp):
    answered = from_the_form(app, PARENT_COMPLAINT)
    held = from_the_form(
        app,
        answers(
            PARENT_COMPLAINT,
            **{"how-to-reply": {**PARENT_COMPLAINT["how-to-reply"], "email": "sam@example.org"}},
        ),
    )
    run_once()
    officer = staff_as(app, "complaints_officer")
    for reference in (answered, held):
        act(officer, reference, "triage", STATUTORY_TRIAGE)
    act(officer, answered, "respond", upheld_with_apology(date(2026, 12, 4)))
    waiting = "Waiting for the family to reply"
    act(officer, held, "hold", {"reason": waiting, "on": ["4", "12", "2026"]})

    clock.moment = datetime(2026, 12, 10, 9, 0, tzinfo=LONDON)
    run_once()

    late = [m for m in smtp.received if "late" in (m["Subject"] or "")]
    assert late == []
