"""Retention ends with the personal details gone and the statistics kept; a subject
access export gives a person everything held about them."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import sqlalchemy as sa
from bs4 import BeautifulSoup

from intake.casework.retention import REMOVED, retention_cutoff
from intake.extensions import db
from intake.models import (
    AuditEntry,
    Case,
    Child,
    Contact,
    Conversation,
    LearningAction,
    OutboundMessage,
)
from tests.sms.helpers import Phone
from tests.support import ADVOCATE_COMPLAINT, PARENT_COMPLAINT, FormClient, send

WHAT_HAPPENED = PARENT_COMPLAINT["what-happened"]["details"]


def _sent(app, pages) -> str:
    client = FormClient(app.test_client())
    page = send(client, pages)
    assert page.status == 200
    db.session.rollback()
    return db.session.scalars(sa.select(Case.reference).order_by(Case.id.desc())).first()


def _close(reference: str, on: date) -> None:
    db.session.execute(
        sa.update(Case).where(Case.reference == reference).values(status="closed", closed_on=on)
    )
    db.session.commit()


def learning(reference: str) -> list[LearningAction]:
    return list(
        db.session.scalars(sa.select(LearningAction).join(Case).where(Case.reference == reference))
    )


def _run(app, *args: str):
    result = app.test_cli_runner().invoke(args=["intake", *args])
    db.session.rollback()
    return result


def test_the_cutoff_is_the_same_day_the_given_years_before():
    assert retention_cutoff(date(2026, 12, 4), 6) == date(2020, 12, 4)
    assert retention_cutoff(date(2028, 2, 29), 6) == date(2022, 2, 28)


def test_a_dry_run_lists_the_cases_and_changes_nothing(app, clock):
    old = _sent(app, PARENT_COMPLAINT)
    recent = _sent(app, ADVOCATE_COMPLAINT)
    _close(old, date(2019, 3, 1))
    _close(recent, date(2024, 3, 1))

    result = _run(app, "retention", "--dry-run")

    assert result.exit_code == 0, result.output
    assert "1 closed case closed before 2020-11-23 (6 years ago) to anonymise." in result.output
    assert old in result.output and recent not in result.output
    assert "Nothing was changed" in result.output
    assert db.session.scalar(sa.select(Case.what_happened).where(Case.reference == old)) == (
        WHAT_HAPPENED
    )


def test_applying_removes_every_personal_detail_and_keeps_the_facts(app, clock):
    old = _sent(app, PARENT_COMPLAINT)
    keep = _sent(app, ADVOCATE_COMPLAINT)
    _close(old, date(2019, 3, 1))
    before = db.session.scalars(sa.select(Case).where(Case.reference == old)).one()
    # Learning agreed on the case, in words that name the family.
    db.session.add(
        LearningAction(
            case_id=before.id,
            issue="Jo Example was not told about Amara's visits",
            action="Tell parents when a visit is cancelled",
            owner="Assessment team manager",
            agreed_on=date(2019, 2, 1),
            status="agreed",
        )
    )
    db.session.commit()
    before = db.session.scalars(sa.select(Case).where(Case.reference == old)).one()
    facts = (before.kind, before.received_on, before.team, before.method, before.respond_by)
    db.session.rollback()

    result = _run(app, "retention", "--apply")

    assert result.exit_code == 0, result.output
    assert "Done: 1 case anonymised, 0 chats deleted." in result.output
    case = db.session.scalars(sa.select(Case).where(Case.reference == old)).one()
    assert case.what_happened == REMOVED
    assert case.anonymised_on == date(2026, 11, 23)
    assert (case.kind, case.received_on, case.team, case.method, case.respond_by) == facts
    assert case.contact is None and case.children == []
    assert all(event.detail == {} for event in case.events)
    assert [(a.issue, a.action, a.status) for a in learning(old)] == [(REMOVED, REMOVED, "agreed")]
    # Nothing else was touched, and nothing is left that names the parent or child.
    other = db.session.scalars(sa.select(Case).where(Case.reference == keep)).one()
    assert other.contact is not None and other.anonymised_on is None
    names = db.session.scalars(sa.select(Contact.name)).all()
    assert names == ["Sam Advocate"]
    assert db.session.scalars(sa.select(Child.first_name)).all() == ["Kai"]
    everything = json.dumps(
        [list(row) for row in db.session.execute(sa.text("SELECT * FROM outbox_messages"))],
        default=str,
    )
    assert "jo@example.org" not in everything
    # One audit entry says what was done, without naming anyone.
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "retention")).one()
    assert entry.detail["cases"] == 1 and entry.detail["action"] == "anonymise"
    # A second run finds nothing more to do.
    assert "0 closed cases" in _run(app, "retention", "--apply").output


def test_delete_removes_the_case_and_its_chat(app, clock):
    phone = Phone(app, number="+447700900444")
    phone.say("Hi", "1", "1", "yes", "Sam took my phone", "last week", "Sam", "Sorry", "2")
    reference = db.session.scalars(sa.select(Case.reference)).one()
    _close(reference, date(2018, 1, 5))
    # As if the chat had happened then too.
    long_ago = datetime(2018, 1, 2, 10, tzinfo=UTC)
    db.session.execute(
        sa.update(Conversation).values(last_message_at=long_ago, created_at=long_ago)
    )
    db.session.commit()

    result = _run(app, "retention", "--apply", "--delete")

    assert result.exit_code == 0, result.output
    assert "1 chat with no message since then to delete." in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Conversation)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboundMessage)) == 0


def test_export_person_gives_every_case_and_chat_as_json(app, clock):
    reference = _sent(app, PARENT_COMPLAINT)
    _sent(app, ADVOCATE_COMPLAINT)  # someone else's

    result = _run(app, "export-person", "--email", "JO@example.org")

    assert result.exit_code == 0, result.output
    held = json.loads(result.stdout)
    assert [c["reference"] for c in held["cases"]] == [reference]
    assert held["cases"][0]["what_happened"] == WHAT_HAPPENED
    assert held["cases"][0]["contact"]["email"] == "jo@example.org"
    assert held["conversations"] == []
    # The acknowledgement we owe (or sent) them is part of what we hold about them.
    [acknowledgement] = held["messages_sent"]
    assert acknowledgement["message"] == "acknowledgement"
    assert acknowledgement["to"] == "jo@example.org"
    assert acknowledgement["facts"]["reference"] == reference
    audit = db.session.scalars(
        sa.select(AuditEntry.action).where(AuditEntry.case_reference == reference)
    ).all()
    assert "exported" in audit


def test_export_person_by_phone_includes_the_chat_and_reads_as_a_page(app, clock, tmp_path):
    phone = Phone(app, number="+447700900555")
    phone.say(
        "Hi",
        "1",
        "1",
        "yes",
        "<script>alert(1)</script> took my phone",
        "last week",
        "Sam",
        "Sorry",
        "1",
    )
    out = tmp_path / "held.html"

    result = _run(
        app, "export-person", "--phone", "07700 900555", "--format", "html", "--output", str(out)
    )

    assert result.exit_code == 0, result.output
    page = BeautifulSoup(out.read_text("utf-8"), "html.parser")
    assert page.find("h1").get_text().startswith("What ")
    assert page.find("script") is None  # what they wrote is shown, never run
    assert "took my phone" in page.get_text()
    assert "Conversation by sms" in page.get_text()


def test_export_person_needs_someone_to_look_for(app):
    result = _run(app, "export-person")
    assert result.exit_code == 2
    assert "Give --email or --phone" in result.output
    assert "not a phone number" in _run(app, "export-person", "--phone", "call me").output
