"""References: CS-YYYY-NNNNN, in order, never the same number twice, even under load."""

from __future__ import annotations

import multiprocessing
import os

from sqlalchemy import select

from intake.casework.cases import ContactDetails, Submission, receive_case
from intake.casework.references import format_reference, next_reference
from intake.casework.vocabulary import Kind, Method, ReplyMethod, Role
from intake.extensions import db
from intake.models import Case
from tests.support import london

PROCESSES = 4
CASES_EACH = 15


def _submission() -> Submission:
    return Submission(
        kind=Kind.COMPLAINT,
        method=Method.ONLINE_FORM,
        complainant_role=Role.PARENT,
        language="en",
        contact=ContactDetails(reply_method=ReplyMethod.EMAIL, name="Jo", email="jo@example.org"),
        what_happened="Fictional test case.",
    )


def test_references_count_up_within_a_year_and_restart_in_the_next(app, settings):
    first = receive_case(
        db.session, settings, _submission(), received_at=london(2026, 12, 30), actor="test"
    )
    second = receive_case(
        db.session, settings, _submission(), received_at=london(2026, 12, 31), actor="test"
    )
    next_year = receive_case(
        db.session, settings, _submission(), received_at=london(2027, 1, 4), actor="test"
    )
    db.session.commit()

    assert [first.reference, second.reference, next_year.reference] == [
        "CS-2026-00001",
        "CS-2026-00002",
        "CS-2027-00001",
    ]


def test_numbers_have_five_digits_and_grow_past_them():
    assert format_reference("CS", 2027, 7) == "CS-2027-00007"
    assert format_reference("COM", 2026, 123456) == "COM-2026-123456"


def test_a_rolled_back_case_gives_its_number_back(app, settings):
    receive_case(
        db.session, settings, _submission(), received_at=london(2026, 11, 23), actor="test"
    )
    db.session.rollback()
    case = receive_case(
        db.session, settings, _submission(), received_at=london(2026, 11, 23), actor="test"
    )
    db.session.commit()

    assert case.reference == "CS-2026-00001"


def _write_cases(database_url: str, count: int, barrier) -> None:
    os.environ["INTAKE_ENV"] = "testing"
    from intake import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        settings = app.extensions["intake.council"]
        barrier.wait(timeout=60)
        for _ in range(count):
            receive_case(
                db.session, settings, _submission(), received_at=london(2026, 11, 23), actor="test"
            )
            db.session.commit()
        db.engine.dispose()


def test_several_processes_writing_at_once_never_share_a_reference(app, database_url):
    db.engine.dispose()
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(PROCESSES)
    workers = [
        context.Process(target=_write_cases, args=(database_url, CASES_EACH, barrier))
        for _ in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [worker.exitcode for worker in workers] == [0] * PROCESSES

    references = db.session.scalars(select(Case.reference)).all()
    expected = [format_reference("CS", 2026, n) for n in range(1, PROCESSES * CASES_EACH + 1)]
    assert sorted(references) == expected


def test_next_reference_uses_the_prefix_it_is_given(app):
    assert next_reference(db.session, "ABC", 2026) == "ABC-2026-00001"
    assert next_reference(db.session, "CS", 2026) == "CS-2026-00001"
    assert next_reference(db.session, "ABC", 2026) == "ABC-2026-00002"
    db.session.rollback()
