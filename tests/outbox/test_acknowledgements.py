"""Every case is acknowledged, or given to staff to acknowledge by hand, with nobody
pressing a button; and a provider that is down for an hour loses nothing."""

from __future__ import annotations

import json
import re
from datetime import date

from sqlalchemy import select

from intake.extensions import db
from intake.models import OutboxMessage, StaffTask
from intake.outbox.worker import run_once
from tests.staff.helpers import (
    STATUTORY_TRIAGE,
    act,
    browser,
    from_the_form,
    received,
    staff_as,
    stored,
    upheld_with_apology,
)
from tests.support import PARENT_COMPLAINT, answers

TODAY = date(2026, 11, 23)


def outbox(**where: str) -> list[OutboxMessage]:
    db.session.expire_all()
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    for name, value in where.items():
        query = query.where(getattr(OutboxMessage, name) == value)
    return list(db.session.scalars(query))


def body_of(email) -> str:
    return email.get_body(preferencelist=("plain",)).get_content()


def test_a_form_case_is_acknowledged_by_email_at_once(app, clock, smtp):
    reference = from_the_form(app, PARENT_COMPLAINT)

    owed = outbox(recipient_kind="public")
    assert [(m.template, m.channel, m.to, m.state) for m in owed] == [
        ("acknowledgement", "email", "jo@example.org", "pending")
    ]
    assert smtp.received == []

    report = run_once()

    [email] = smtp.to("jo@example.org")
    assert reference in email["Subject"]
    text = body_of(email)
    assert f"Your reference is {reference}." in text
    assert "We will reply by Monday 7 December 2026 at the latest." in text
    assert "independent advocate" in text
    assert email["Content-Language"] == "en"
    html = email.get_body(preferencelist=("html",)).get_content()
    assert f"Your reference is {reference}." in html
    case = stored(reference)
    assert (case.acknowledged_on, case.acknowledged_how) == (TODAY, "automatic")
    # Staff have not opened it yet: it stays new in the queue.
    assert case.status == "new"
    assert report.sent >= 2


def test_the_team_is_told_with_no_personal_details(app, clock, smtp):
    reference = from_the_form(app, PARENT_COMPLAINT)
    case = stored(reference)
    inbox = app.extensions["intake.routing"].team(case.team).inbox

    run_once()

    # The team's inbox also has its daily digest (a Monday morning): one email is this case's.
    [email] = [m for m in smtp.to(inbox) if reference in m["Subject"]]
    text = body_of(email)
    assert reference in text
    assert f"/staff/cases/{reference}" in text
    for personal in ("Jo Example", "jo@example.org", "Amara", "social worker", "visit"):
        assert personal not in text
        assert personal not in email["Subject"]


def test_sending_twice_sends_nothing_twice(app, clock, smtp):
    from_the_form(app, PARENT_COMPLAINT)
    run_once()
    count = len(smtp.received)

    again = run_once()

    assert len(smtp.received) == count
    assert again.sent == 0


def test_an_hour_long_outage_loses_nothing(app, clock, smtp):
    reference = from_the_form(app, PARENT_COMPLAINT)
    smtp.refuse = True

    for _minute in range(0, 61, 5):
        run_once()
        clock.advance(minutes=5)

    [message] = outbox(template="acknowledgement")
    assert message.state == "pending"
    assert message.attempts >= 4
    assert "451" in (message.last_error or "") or "SMTP" in (message.last_error or "")
    assert stored(reference).acknowledged_on is None

    smtp.refuse = False
    clock.advance(hours=2)
    run_once()

    assert len(smtp.to("jo@example.org")) == 1
    assert outbox(template="acknowledgement")[0].state == "sent"
    assert stored(reference).acknowledged_on is not None


def test_a_message_that_keeps_failing_is_marked_failed_and_can_be_sent_again(app, clock, smtp):
    reference = from_the_form(app, PARENT_COMPLAINT)
    smtp.refuse = True
    limit = app.extensions["intake.council"].messages.max_attempts

    for _try in range(limit + 2):
        run_once()
        clock.advance(hours=7)

    [message] = outbox(template="acknowledgement")
    assert (message.state, message.attempts) == ("failed", limit)

    runner = app.test_cli_runner()
    listed = json.loads(runner.invoke(args=["intake", "outbox", "--json"]).output)
    states = [row["state"] for row in listed]
    assert states == sorted(states, key=lambda state: state != "failed"), "failed first"
    [row] = [row for row in listed if row["template"] == "acknowledgement"]
    assert (row["case"], row["state"], row["recipient"]) == (reference, "failed", "public")
    assert (row["channel"], row["language"], row["attempts"]) == ("email", "en", limit)

    smtp.refuse = False
    result = runner.invoke(args=["intake", "outbox", "retry", str(message.id)])
    assert result.exit_code == 0, result.output
    run_once()

    assert len(smtp.to("jo@example.org")) == 1
    assert outbox(template="acknowledgement")[0].state == "sent"


def test_staff_see_a_failed_message_on_the_case_and_the_outbox_page(app, clock, smtp):
    reference = from_the_form(app, PARENT_COMPLAINT)
    smtp.refuse = True
    for _try in range(10):
        run_once()
        clock.advance(hours=7)
    officer = staff_as(app, "complaints_officer")

    case_page = officer.get(f"/staff/cases/{reference}")
    assert "acknowledgement (to the person, email): failed" in case_page.text()
    page = officer.get("/staff/admin/outbox")
    rows = page.soup.select("tbody tr")
    failed = ["failed" in row.get_text(" ", strip=True) for row in rows]
    assert failed == sorted(failed, reverse=True), "failed messages come first"
    [row] = [r for r in rows if r.get_text(" ", strip=True).startswith("acknowledgement")]
    assert row.get_text(" ", strip=True).startswith(f"acknowledgement (email, en) {reference}")
    assert "failed" in row.get_text(" ", strip=True)

    smtp.refuse = False
    form = row.find("form")
    retried = officer.post(form["action"], {"csrf_token": page.csrf_token})
    assert "will be sent again" in retried.text()
    run_once()

    assert len(smtp.to("jo@example.org")) == 1


def test_someone_to_phone_becomes_a_task_in_the_complaints_team_queue(app, clock):
    reference = received(reply="phone")

    assert outbox(recipient_kind="public") == []
    [task] = db.session.scalars(select(StaffTask)).all()
    assert (task.task, task.team, task.due_on) == (
        "acknowledge_by_phone",
        "complaints",
        date(2026, 11, 25),
    )
    officer = staff_as(app, "complaints_officer")
    queue = officer.get("/staff/")
    assert f"{reference}: Phone them to acknowledge the case, due 25 Nov 2026" in queue.text()

    page = officer.get(f"/staff/cases/{reference}/acknowledge")
    officer.post(
        page.path,
        {
            "how": "phone",
            "on": ["23", "11", "2026"],
            "version": page.soup.find("input", attrs={"name": "version"})["value"],
            "csrf_token": page.csrf_token,
        },
    )

    db.session.expire_all()
    assert db.session.scalars(select(StaffTask)).one().done_on == TODAY
    assert "Phone them to acknowledge" not in officer.get("/staff/").text()


def test_a_letter_without_a_letter_service_becomes_a_task(app, clock):
    received(reply="letter")

    [task] = db.session.scalars(select(StaffTask)).all()
    assert task.task == "acknowledge_by_letter"
    assert outbox(recipient_kind="public") == []


def test_someone_who_wanted_no_reply_gets_none(app, clock, smtp):
    received(kind="compliment", reply="none", service_area=None)

    run_once()

    assert outbox(recipient_kind="public") == []
    assert db.session.scalars(select(StaffTask)).all() == []
    assert not any(m["To"] == "jo@example.org" for m in smtp.received)


def test_a_text_message_reply_is_acknowledged_by_text(app, clock):
    pages = answers(
        PARENT_COMPLAINT,
        how_to_reply={
            "name": "Jo Example",
            "reply_method": "text_message",
            "mobile": "07700 900123",
        },
    )
    reference = from_the_form(app, pages)

    [message] = outbox(recipient_kind="public")
    assert (message.channel, message.to, message.template) == (
        "sms",
        "+447700900123",
        "acknowledgement",
    )
    run_once()

    sent = outbox(recipient_kind="public")[0]
    assert (sent.state, sent.provider) == ("sent", "log")
    assert stored(reference).acknowledged_how == "automatic"


def test_the_development_provider_shows_the_message_to_staff(app, clock):
    reference = from_the_form(app, PARENT_COMPLAINT)
    run_once()
    message_id = outbox(template="acknowledgement")[0].id
    officer = staff_as(app, "complaints_officer")

    page = officer.get(f"/staff/admin/outbox/{message_id}")

    assert page.status == 200
    assert f"Your reference is {reference}." in page.text()
    assert re.search(r"Provider\s+log log-outbox-\d+", page.text())


def test_the_outbox_page_is_not_for_team_members(app, clock):
    member = staff_as(app, "team_member")

    assert member.get("/staff/admin/outbox").status == 404
    assert browser(app).get("/staff/admin/outbox").path == "/staff/sign-in"


def test_the_acknowledgement_goes_out_in_the_language_they_chose(app, clock, smtp):
    reference = from_the_form(app, answers(PARENT_COMPLAINT, language={"language": "cy"}))
    assert stored(reference).language == "cy"

    run_once()

    [email] = smtp.to("jo@example.org")
    text = body_of(email)
    assert email["Content-Language"] == "cy"
    assert reference in email["Subject"]
    assert "cwyn" in email["Subject"]
    assert "Rhagfyr" in text  # December, in Welsh dates
    assert "Thank you" not in text
    # Staff messages stay in English, whatever the case's language.
    inbox = app.extensions["intake.routing"].team(stored(reference).team).inbox
    [routed] = [m for m in smtp.to(inbox) if reference in m["Subject"]]
    assert routed["Subject"].startswith("New complaint")


def test_an_extension_and_the_response_are_sent_to_the_person(app, clock, smtp):
    reference = from_the_form(app, PARENT_COMPLAINT)
    run_once()
    officer = staff_as(app, "complaints_officer")
    on = ["25", "11", "2026"]
    act(officer, reference, "triage", STATUTORY_TRIAGE)
    reason = "The worker who can answer is away until December."
    act(officer, reference, "extend", {"working_days": "20", "reason": reason, "on": on})
    run_once()

    [_ack, extension] = smtp.to("jo@example.org")
    text = body_of(extension)
    assert reference in extension["Subject"]
    assert "We will now reply by Monday 21 December 2026." in text
    assert reason in text

    act(officer, reference, "respond", upheld_with_apology(date(2026, 12, 14)))
    run_once()
    run_once()

    *_earlier, response = smtp.to("jo@example.org")
    text = body_of(response)
    assert "We have answered your complaint" in text
    # 20 working days, skipping Christmas, Boxing Day (the 28th) and New Year's Day.
    assert "Ask us by Tuesday 19 January 2027." in text
    assert len(smtp.to("jo@example.org")) == 3


def test_every_later_message_goes_in_the_language_the_case_remembers(app, clock, smtp):
    reference = from_the_form(app, answers(PARENT_COMPLAINT, language={"language": "cy"}))
    run_once()
    officer = staff_as(app, "complaints_officer")
    on = ["25", "11", "2026"]
    act(officer, reference, "triage", STATUTORY_TRIAGE)
    # Staff are told to write the reason in Welsh: it goes into the notice as written.
    extend_page = officer.get(f"/staff/cases/{reference}/extend")
    assert "Write it in Cymraeg." in extend_page.text()
    reason = "Mae'r gweithiwr sy'n gallu ateb i ffwrdd."
    act(officer, reference, "extend", {"working_days": "20", "reason": reason, "on": on})
    act(officer, reference, "respond", upheld_with_apology(date(2026, 12, 14)))
    run_once()
    run_once()

    acknowledgement, extension, response = smtp.to("jo@example.org")
    for email in (acknowledgement, extension, response):
        text = body_of(email)
        assert email["Content-Language"] == "cy", email["Subject"]
        assert reference in email["Subject"]
        for english in ("We are sorry", "We will now reply", "We have answered", "Thank you"):
            assert english not in text, (email["Subject"], english)
    assert "Rhagfyr" in body_of(extension)  # 21 December, in Welsh
    assert "Ionawr" in body_of(response)  # the next stage's date in January, in Welsh
