"""`flask --app wsgi intake show REF`: one case for a person or as JSON, audited."""

from __future__ import annotations

import json

from sqlalchemy import select

from intake.extensions import db
from intake.models import AuditEntry
from tests.support import ADVOCATE_COMPLAINT, PARENT_COMPLAINT, answers, send


def test_show_json_prints_the_stored_case(app, client):
    send(client, PARENT_COMPLAINT)

    result = app.test_cli_runner().invoke(args=["intake", "show", "CS-2026-00001", "--json"])

    assert result.exit_code == 0, result.output
    case = json.loads(result.output)
    assert {
        key: case[key]
        for key in (
            "reference",
            "kind",
            "procedure",
            "stage",
            "status",
            "method",
            "complainant_role",
            "received",
            "acknowledge_by",
            "respond_by",
            "language",
            "team",
        )
    } == {
        "reference": "CS-2026-00001",
        "kind": "complaint",
        "procedure": "statutory",
        "stage": 1,
        "status": "new",
        "method": "online_form",
        "complainant_role": "parent",
        "received": "2026-11-23",
        "acknowledge_by": "2026-11-25",
        "respond_by": "2026-12-07",
        "language": "en",
        "team": "assessment",
    }
    assert case["children"][0]["first_name"] == "Amara"
    assert case["contact"]["email"] == "jo@example.org"


def test_show_explains_each_deadline_for_a_person(app, client, clock):
    # Friday 18 December 2026: Christmas, Boxing Day (observed on Monday 28th) and the
    # council's closure days 29-31 December are not working days.
    clock.moment = clock.moment.replace(month=12, day=18)
    send(client, PARENT_COMPLAINT)

    result = app.test_cli_runner().invoke(args=["intake", "show", "cs-2026-00001"])

    assert result.exit_code == 0, result.output
    text = result.output
    assert "Acknowledge by: Tuesday 22 December 2026 (2026-12-22)" in text
    # Working days: 21, 22, 23, 24 Dec, then 4, 5, 6, 7, 8 and 11 Jan.
    assert "Respond by: Monday 11 January 2027 (2027-01-11)" in text
    assert "2026-12-25 (Fri): bank holiday (Christmas Day)" in text
    assert "2026-12-28 (Mon): bank holiday (Boxing Day (observed))" in text
    assert "2026-12-29 (Tue): council closure" in text
    assert "2027-01-01 (Fri): bank holiday (New Year's Day)" in text
    assert "statutory procedure, stage 1 response" in text


def test_show_of_an_advocates_complaint_names_the_advocacy_service(app, client):
    send(client, ADVOCATE_COMPLAINT)

    result = app.test_cli_runner().invoke(args=["intake", "show", "CS-2026-00001"])

    assert "advocate (Example Advocacy Service)" in result.output


def test_a_compliment_has_no_response_date(app, client):
    send(
        client,
        answers(
            PARENT_COMPLAINT,
            what_you_want_to_do={"kind": "compliment"},
            what_happened={"details": "Thank you to the family time team.", "worker_named": ""},
        ),
    )

    result = app.test_cli_runner().invoke(args=["intake", "show", "CS-2026-00001", "--json"])

    case = json.loads(result.output)
    assert (case["kind"], case["procedure"], case["stage"]) == ("compliment", None, None)
    assert case["acknowledge_by"] == "2026-11-25"
    assert case["respond_by"] is None


def test_every_show_is_audited(app, client):
    send(client, PARENT_COMPLAINT)
    runner = app.test_cli_runner()

    runner.invoke(args=["intake", "show", "CS-2026-00001"])
    runner.invoke(args=["intake", "show", "CS-2026-00001", "--json"])

    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.action, e.case_reference, e.detail["format"]) for e in entries] == [
        ("viewed", "CS-2026-00001", "text"),
        ("viewed", "CS-2026-00001", "json"),
    ]
    assert all(e.actor.startswith("cli:") for e in entries)


def test_an_unknown_reference_is_a_clear_error(app):
    result = app.test_cli_runner().invoke(args=["intake", "show", "CS-2026-99999"])

    assert result.exit_code == 1
    assert "No case has the reference 'CS-2026-99999'." in result.output


def test_purging_drafts_deletes_only_old_ones(app, client, clock):
    client.submit("/tell-us/what-you-want-to-do", {"kind": "complaint"})
    clock.advance(days=8)

    result = app.test_cli_runner().invoke(args=["intake", "drafts", "purge"])

    assert "Deleted 1 unsent or finished form drafts older than 7 days." in result.output
    page = client.get("/tell-us/who-you-are")
    assert page.path == "/tell-us/what-you-want-to-do"
