"""The optional questions about the person, kept apart from what they told us."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, inspect, select

from intake.extensions import db
from intake.models import EqualityResponse, FormDraft
from tests.support import PARENT_COMPLAINT, send
from tests.web.helpers import answer, radio_values

QUESTIONS = ("age_band", "gender", "disability", "ethnicity", "religion", "sexuality")
EVERY_ANSWER = {
    "age_band": "35_to_44",
    "gender": "woman",
    "disability": "no",
    "ethnicity": "mixed",
    "religion": "no_religion",
    "sexuality": "prefer_not_to_say",
}


def _responses() -> list[EqualityResponse]:
    db.session.expire_all()
    return list(db.session.scalars(select(EqualityResponse)))


def _response_count() -> int:
    return db.session.scalar(select(func.count()).select_from(EqualityResponse)) or 0


def _answer_questions(client, data):
    send(client, PARENT_COMPLAINT)
    page = client.get("/tell-us/about-you")
    return answer(client, page, data, follow=True)


def test_the_confirmation_offers_the_questions(client):
    page = send(client, PARENT_COMPLAINT)

    link = page.soup.find("a", href="/tell-us/about-you")
    assert link is not None
    assert " ".join(link.get_text().split()) == "Answer the questions about you"
    assert "Help us treat everyone fairly (optional)" in page.text()


def test_the_questions_go_back_to_the_confirmation(client):
    send(client, PARENT_COMPLAINT)

    page = client.get("/tell-us/about-you")

    assert page.h1 == "Questions about you"
    assert page.back_link == "/tell-us/sent"


def test_every_question_offers_prefer_not_to_say(client):
    send(client, PARENT_COMPLAINT)

    page = client.get("/tell-us/about-you")

    for question in QUESTIONS:
        assert "prefer_not_to_say" in radio_values(page, question), question
        box = page.soup.find("input", attrs={"name": question, "value": "prefer_not_to_say"})
        label = page.soup.find("label", attrs={"for": box["id"]})
        assert " ".join(label.get_text().split()) == "Prefer not to say", question


def test_no_question_is_chosen_for_the_person(client):
    send(client, PARENT_COMPLAINT)

    page = client.get("/tell-us/about-you")

    assert all(page.checked(question) == [] for question in QUESTIONS)


def test_answering_finishes_with_thanks(client):
    page = _answer_questions(client, EVERY_ANSWER)

    assert page.path == "/tell-us/about-you/done"
    assert page.h1 == "Thank you"


def test_answering_stores_one_response_with_the_answers(client):
    _answer_questions(client, EVERY_ANSWER)

    [response] = _responses()
    assert {question: getattr(response, question) for question in QUESTIONS} == EVERY_ANSWER


def test_the_response_is_dated_by_the_clock(client):
    _answer_questions(client, EVERY_ANSWER)

    [response] = _responses()
    assert response.given_on == date(2026, 11, 23)


def test_the_response_has_no_link_to_the_case(client):
    _answer_questions(client, EVERY_ANSWER)

    columns = {c["name"] for c in inspect(db.engine).get_columns("equality_responses")}
    assert columns == {"id", "given_on", *QUESTIONS}
    assert inspect(db.engine).get_foreign_keys("equality_responses") == []


def test_the_responses_id_is_not_the_cases(client):
    _answer_questions(client, EVERY_ANSWER)

    [response] = _responses()
    assert len(response.id) == 36
    assert not response.id.isdigit()


def test_the_answers_are_not_kept_with_the_form(client):
    _answer_questions(client, EVERY_ANSWER)

    db.session.expire_all()
    draft = db.session.scalars(select(FormDraft)).one()
    assert draft.answers == {}
    assert draft.equality_answered is True


def test_some_answers_store_only_those(client):
    _answer_questions(client, {"gender": "non_binary", "religion": "sikh"})

    [response] = _responses()
    assert {question: getattr(response, question) for question in QUESTIONS} == {
        "age_band": None,
        "gender": "non_binary",
        "disability": None,
        "ethnicity": None,
        "religion": "sikh",
        "sexuality": None,
    }


def test_an_empty_submission_stores_nothing(client):
    _answer_questions(client, {})

    assert _response_count() == 0


def test_an_empty_submission_still_finishes(client):
    page = _answer_questions(client, {})

    assert page.path == "/tell-us/about-you/done"
    assert page.h1 == "Thank you"


def test_answering_twice_is_refused(client):
    _answer_questions(client, EVERY_ANSWER)

    page = client.get("/tell-us/about-you")

    assert page.path == "/tell-us/about-you/done"


def test_posting_the_answers_twice_keeps_one_response(client):
    send(client, PARENT_COMPLAINT)
    page = client.get("/tell-us/about-you")
    answer(client, page, EVERY_ANSWER)

    again = answer(client, page, {**EVERY_ANSWER, "gender": "man"}, follow=True)

    assert again.path == "/tell-us/about-you/done"
    [response] = _responses()
    assert response.gender == "woman"


def test_after_an_empty_submission_the_questions_are_not_asked_again(client):
    _answer_questions(client, {})

    page = client.get("/tell-us/about-you")

    assert page.path == "/tell-us/about-you/done"


def test_the_confirmation_stops_offering_the_questions_once_answered(client):
    _answer_questions(client, EVERY_ANSWER)

    page = client.get("/tell-us/sent")

    assert page.h1 == "Complaint sent"
    assert page.soup.find("a", href="/tell-us/about-you") is None
    assert "Help us treat everyone fairly" not in page.text()


@pytest.mark.parametrize(
    ("question", "value"),
    [("age_band", "120"), ("gender", "hack"), ("ethnicity", "<script>"), ("religion", "none")],
)
def test_a_tampered_answer_gets_a_polite_error(client, question, value):
    send(client, PARENT_COMPLAINT)
    page = client.get("/tell-us/about-you")

    page = answer(client, page, {**EVERY_ANSWER, question: value})

    assert page.status == 200
    assert page.title.startswith("Error: ")
    assert page.errors == ["Select one of the answers, or leave the question empty"]
    assert page.error_links == [f"#{question}"]
    assert "Not a valid choice" not in page.text()


def test_a_tampered_answer_stores_nothing(client):
    send(client, PARENT_COMPLAINT)
    page = client.get("/tell-us/about-you")

    answer(client, page, {**EVERY_ANSWER, "gender": "hack"})

    assert _response_count() == 0


def test_a_tampered_answer_keeps_the_other_answers_chosen(client):
    send(client, PARENT_COMPLAINT)
    page = client.get("/tell-us/about-you")

    page = answer(client, page, {**EVERY_ANSWER, "gender": "hack"})

    assert page.checked("age_band") == ["35_to_44"]
    assert page.checked("religion") == ["no_religion"]


def test_the_questions_cannot_be_reached_without_sending(client):
    page = client.get("/tell-us/about-you")

    assert page.path == "/"


def test_the_questions_cannot_be_answered_without_sending(client):
    token = client.get("/tell-us").csrf_token

    page = client.post("/tell-us/about-you", {**EVERY_ANSWER, "csrf_token": token})

    assert page.path == "/"
    assert _response_count() == 0
