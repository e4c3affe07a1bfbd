"""Every question page refuses a wrong answer the GOV.UK way.

The page is shown again (not a redirect) with "Error: " before its title, an error
summary whose links go to the field to fix (the first wrong box of a date), the same
message beside the field, and what the person typed still there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import select

from intake.extensions import db
from intake.models import FormDraft
from tests.support import ADVOCATE_COMPLAINT, PARENT_COMPLAINT, Page, answers, send
from tests.web.helpers import (
    answer,
    case_count,
    date_parts,
    marked_wrong,
    radio_values,
    reach,
    saved_answers,
    the_case,
)

COMPLIMENT = answers(PARENT_COMPLAINT, what_you_want_to_do={"kind": "compliment"})
COMMENT = answers(PARENT_COMPLAINT, what_you_want_to_do={"kind": "comment"})
ADVOCACY_REQUEST = answers(PARENT_COMPLAINT, what_you_want_to_do={"kind": "advocacy_request"})
YOUNG_PERSON = answers(PARENT_COMPLAINT, who_you_are={"role": "young_person"})

ADVOCACY = {
    "organisation": "Example Advocacy Service",
    "child_consent": "yes",
    "child_wants_contact": "no",
}
CHILD = {"first_name": "Amara", "date_of_birth": ["", "", ""], "age": ""}
LETTER = {
    "name": "Jo Example",
    "reply_method": "letter",
    "address_line_1": "1 Example Street",
    "address_line_2": "",
    "town": "Exampletown",
    "postcode": "AA1 1AA",
}


@dataclass(frozen=True)
class Refusal:
    slug: str
    data: dict[str, Any]
    message: str
    target: str
    # What the page must still show: a string for a text box, a list for the ticked
    # options of radios or checkboxes, or for the boxes of a date.
    kept: dict[str, Any] = field(default_factory=dict)
    journey: dict[str, dict[str, Any]] = field(default_factory=lambda: PARENT_COMPLAINT)


REFUSALS = [
    # What you want to do, who you are.
    pytest.param(
        Refusal("what-you-want-to-do", {}, "Select what you would like to do", "kind"),
        id="kind-nothing",
    ),
    pytest.param(Refusal("who-you-are", {}, "Select who you are", "role"), id="role-nothing"),
    # The advocate's page: each of its three questions.
    pytest.param(
        Refusal(
            "your-advocacy-service",
            {**ADVOCACY, "organisation": ""},
            "Enter the name of your advocacy service",
            "organisation",
            kept={"child_consent": ["yes"], "child_wants_contact": ["no"]},
            journey=ADVOCATE_COMPLAINT,
        ),
        id="advocate-organisation-missing",
    ),
    pytest.param(
        Refusal(
            "your-advocacy-service",
            {**ADVOCACY, "organisation": "A" * 201},
            "The name of your advocacy service must be 200 characters or fewer",
            "organisation",
            kept={"organisation": "A" * 201},
            journey=ADVOCATE_COMPLAINT,
        ),
        id="advocate-organisation-too-long",
    ),
    pytest.param(
        Refusal(
            "your-advocacy-service",
            {**ADVOCACY, "child_consent": ""},
            "Select whether the child or young person has agreed",
            "child_consent",
            kept={"organisation": "Example Advocacy Service", "child_wants_contact": ["no"]},
            journey=ADVOCATE_COMPLAINT,
        ),
        id="advocate-consent-missing",
    ),
    pytest.param(
        Refusal(
            "your-advocacy-service",
            {"organisation": "Example Advocacy Service", "child_consent": "unable"},
            "Select yes if the child or young person wants us to contact them",
            "child_wants_contact",
            kept={"organisation": "Example Advocacy Service", "child_consent": ["unable"]},
            journey=ADVOCATE_COMPLAINT,
        ),
        id="advocate-wants-contact-missing",
    ),
    # About the child.
    pytest.param(
        Refusal(
            "about-the-child",
            {**CHILD, "first_name": "", "date_of_birth": ["14", "6", "2015"]},
            "Enter the child or young person's first name",
            "first_name",
            kept={"date_of_birth": ["14", "6", "2015"]},
        ),
        id="child-first-name-missing",
    ),
    pytest.param(
        Refusal(
            "about-the-child",
            {**CHILD, "first_name": "", "age": "15"},
            "Enter your first name",
            "first_name",
            kept={"age": "15"},
            journey=YOUNG_PERSON,
        ),
        id="young-person-first-name-missing",
    ),
    pytest.param(
        Refusal(
            "about-the-child",
            {**CHILD, "first_name": "A" * 101},
            "First name must be 100 characters or fewer",
            "first_name",
            kept={"first_name": "A" * 101},
        ),
        id="child-first-name-too-long",
    ),
    pytest.param(
        Refusal(
            "about-the-child",
            {**CHILD, "date_of_birth": ["14", "", "2015"]},
            "Date of birth must include a month",
            "date_of_birth-month",
            kept={"first_name": "Amara", "date_of_birth": ["14", "", "2015"]},
        ),
        id="birth-month-missing",
    ),
    pytest.param(
        Refusal(
            "about-the-child",
            {**CHILD, "date_of_birth": ["", "6", ""]},
            "Date of birth must include a day and year",
            "date_of_birth-day",
            kept={"date_of_birth": ["", "6", ""]},
        ),
        id="birth-day-and-year-missing",
    ),
    pytest.param(
        Refusal(
            "about-the-child",
            {**CHILD, "date_of_birth": ["14", "6", ""]},
            "Date of birth must include a year",
            "date_of_birth-year",
            kept={"date_of_birth": ["14", "6", ""]},
        ),
        id="birth-year-missing",
    ),
    pytest.param(
        Refusal(
            "about-the-child",
            {**CHILD, "date_of_birth": ["", "", "2015"]},
            "Date of birth must include a day and month",
            "date_of_birth-day",
            kept={"date_of_birth": ["", "", "2015"]},
        ),
        id="birth-day-and-month-missing",
    ),
    pytest.param(
        Refusal(
            "about-the-child",
            {**CHILD, "date_of_birth": ["14", "", ""]},
            "Date of birth must include a month and year",
            "date_of_birth-month",
            kept={"date_of_birth": ["14", "", ""]},
        ),
        id="birth-month-and-year-missing",
    ),
    pytest.param(
        Refusal(
            "about-the-child",
            {**CHILD, "date_of_birth": ["31", "2", "2015"]},
            "Date of birth must be a real date",
            "date_of_birth-day",
            kept={"date_of_birth": ["31", "2", "2015"]},
        ),
        id="birth-not-a-real-date",
    ),
    pytest.param(
        Refusal(
            "about-the-child",
            {**CHILD, "date_of_birth": ["ten", "6", "2015"]},
            "Date of birth must be a real date",
            "date_of_birth-day",
            kept={"date_of_birth": ["ten", "6", "2015"]},
        ),
        id="birth-day-in-words",
    ),
    pytest.param(
        Refusal(
            "about-the-child",
            {**CHILD, "date_of_birth": ["14", "6", "15"]},
            "Date of birth must be a real date",
            "date_of_birth-day",
            kept={"date_of_birth": ["14", "6", "15"]},
        ),
        id="birth-year-two-digits",
    ),
    pytest.param(
        Refusal(
            "about-the-child",
            # The clock says Monday 23 November 2026: tomorrow is in the future.
            {**CHILD, "date_of_birth": ["24", "11", "2026"]},
            "Date of birth must be in the past",
            "date_of_birth-day",
            kept={"date_of_birth": ["24", "11", "2026"]},
        ),
        id="birth-in-the-future",
    ),
    pytest.param(
        Refusal(
            "about-the-child",
            # 26 on 22 November 2026.
            {**CHILD, "date_of_birth": ["22", "11", "2000"]},
            "The child or young person must be 25 or under",
            "date_of_birth-year",
            kept={"date_of_birth": ["22", "11", "2000"]},
        ),
        id="birth-over-25",
    ),
    pytest.param(
        Refusal(
            "about-the-child",
            {**CHILD, "age": "twelve"},
            "Age must be a number, like 12",
            "age",
            kept={"age": "twelve", "first_name": "Amara"},
        ),
        id="age-not-a-number",
    ),
    pytest.param(
        Refusal(
            "about-the-child",
            {**CHILD, "age": "12.5"},
            "Age must be a number, like 12",
            "age",
            kept={"age": "12.5"},
        ),
        id="age-not-whole",
    ),
    pytest.param(
        Refusal(
            "about-the-child",
            {**CHILD, "age": "30"},
            "Age must be 25 or under",
            "age",
            kept={"age": "30"},
        ),
        id="age-30",
    ),
    pytest.param(
        Refusal(
            "about-the-child",
            # Born 14 June 2015: 11 on 23 November 2026, not 9.
            {**CHILD, "date_of_birth": ["14", "6", "2015"], "age": "9"},
            "Age does not match the date of birth. Check both, or leave age empty",
            "age",
            kept={"date_of_birth": ["14", "6", "2015"], "age": "9"},
        ),
        id="age-disagrees-with-birth",
    ),
    # Help the child gets.
    pytest.param(
        Refusal(
            "help-they-get", {}, "Select the help they get, or select ‘I do not know’", "statuses"
        ),
        id="help-nothing",
    ),
    pytest.param(
        Refusal(
            "help-they-get",
            {"statuses": ["child_in_care", "dont_know"]},
            "Select the help they get, or ‘I do not know’, not both",
            "statuses",
            kept={"statuses": ["child_in_care", "dont_know"]},
        ),
        id="help-dont-know-with-another",
    ),
    pytest.param(
        Refusal(
            "help-they-get",
            {},
            "Select the help you get, or select ‘I do not know’",
            "statuses",
            journey=YOUNG_PERSON,
        ),
        id="young-person-help-nothing",
    ),
    # Service or team.
    pytest.param(
        Refusal(
            "service-or-team",
            {},
            "Select the service or team, or select ‘I do not know’",
            "service",
        ),
        id="service-nothing",
    ),
    pytest.param(
        Refusal(
            "service-or-team",
            {"service": "head_office"},
            "Select the service or team, or select ‘I do not know’",
            "service",
        ),
        id="service-not-in-the-list",
    ),
    # What happened.
    pytest.param(
        Refusal("what-happened", {"details": ""}, "Tell us what happened", "details"),
        id="details-empty",
    ),
    pytest.param(
        Refusal(
            "what-happened",
            {"details": "a" * 5001},
            "What happened must be 5,000 characters or fewer",
            "details",
            kept={"details": "a" * 5001},
        ),
        id="details-too-long",
    ),
    pytest.param(
        Refusal(
            "what-happened",
            {"details": "<p>" + "a" * 5001 + "</p>"},
            "What happened must be 5,000 characters or fewer",
            "details",
            kept={"details": "a" * 5001},
        ),
        id="details-too-long-without-markup",
    ),
    pytest.param(
        Refusal(
            "what-happened",
            {"details": ""},
            "Tell us what you would like us to know",
            "details",
            journey=COMMENT,
        ),
        id="comment-details-empty",
    ),
    pytest.param(
        Refusal(
            "what-happened",
            {"details": ""},
            "Tell us what you would like to say",
            "details",
            journey=COMPLIMENT,
        ),
        id="compliment-details-empty",
    ),
    pytest.param(
        Refusal(
            "what-happened",
            {"details": "b" * 5001},
            "Your message must be 5,000 characters or fewer",
            "details",
            kept={"details": "b" * 5001},
            journey=COMPLIMENT,
        ),
        id="compliment-details-too-long",
    ),
    pytest.param(
        Refusal(
            "what-happened",
            {"details": "Thank you for listening.", "worker_named": "W" * 201},
            "Who you would like to thank must be 200 characters or fewer",
            "worker_named",
            kept={"details": "Thank you for listening.", "worker_named": "W" * 201},
            journey=COMPLIMENT,
        ),
        id="compliment-worker-too-long",
    ),
    pytest.param(
        Refusal(
            "what-happened",
            {"details": ""},
            "Tell us what the child or young person would like help with",
            "details",
            journey=ADVOCACY_REQUEST,
        ),
        id="advocacy-request-details-empty",
    ),
    # When it happened.
    pytest.param(
        Refusal("when-it-happened", {}, "Select when it happened", "when"), id="when-nothing"
    ),
    # What they would like to happen.
    pytest.param(
        Refusal(
            "what-you-would-like",
            {"detail": ""},
            "Select what you would like to happen, or select ‘I am not sure’",
            "outcomes",
        ),
        id="outcome-nothing",
    ),
    pytest.param(
        Refusal(
            "what-you-would-like",
            {"outcomes": ["apology", "other"], "detail": ""},
            "Tell us what else you would like to happen",
            "detail",
            kept={"outcomes": ["apology", "other"]},
        ),
        id="outcome-other-without-detail",
    ),
    pytest.param(
        Refusal(
            "what-you-would-like",
            {"outcomes": ["apology", "not_specified"], "detail": "A new worker"},
            "Select what you would like to happen, or ‘I am not sure’, not both",
            "outcomes",
            kept={"outcomes": ["apology", "not_specified"], "detail": "A new worker"},
        ),
        id="outcome-not-sure-with-another",
    ),
    pytest.param(
        Refusal(
            "what-you-would-like",
            {"outcomes": ["other"], "detail": "c" * 1001},
            "What you would like to happen must be 1,000 characters or fewer",
            "detail",
            kept={"outcomes": ["other"], "detail": "c" * 1001},
        ),
        id="outcome-detail-too-long",
    ),
    # How to reply.
    pytest.param(
        Refusal(
            "how-to-reply",
            {"name": "Jo Example"},
            "Select how you would like us to reply",
            "reply_method",
            kept={"name": "Jo Example"},
        ),
        id="contact-no-method",
    ),
    pytest.param(
        Refusal(
            "how-to-reply",
            {"name": "Jo Example", "reply_method": "email", "email": ""},
            "Enter your email address",
            "email",
            kept={"name": "Jo Example", "reply_method": ["email"]},
        ),
        id="contact-email-missing",
    ),
    pytest.param(
        Refusal(
            "how-to-reply",
            {"name": "Jo Example", "reply_method": "email", "email": "jo.example.org"},
            "Enter an email address in the correct format, like name@example.com",
            "email",
            kept={"email": "jo.example.org", "reply_method": ["email"]},
        ),
        id="contact-email-bad",
    ),
    pytest.param(
        Refusal(
            "how-to-reply",
            {"name": "Jo Example", "reply_method": "text_message", "mobile": ""},
            "Enter your mobile phone number",
            "mobile",
            kept={"reply_method": ["text_message"]},
        ),
        id="contact-mobile-missing",
    ),
    pytest.param(
        Refusal(
            "how-to-reply",
            {"name": "Jo Example", "reply_method": "text_message", "mobile": "01632 960 001"},
            "Enter a mobile number that can get text messages, like 07700 900 982",
            "mobile",
            kept={"mobile": "01632 960 001", "reply_method": ["text_message"]},
        ),
        id="contact-mobile-landline",
    ),
    pytest.param(
        Refusal(
            "how-to-reply",
            {"name": "Jo Example", "reply_method": "text_message", "mobile": "call me"},
            "Enter a mobile number that can get text messages, like 07700 900 982",
            "mobile",
            kept={"mobile": "call me"},
        ),
        id="contact-mobile-letters",
    ),
    pytest.param(
        Refusal(
            "how-to-reply",
            {"name": "Jo Example", "reply_method": "phone", "phone": ""},
            "Enter your phone number",
            "phone",
            kept={"reply_method": ["phone"]},
        ),
        id="contact-phone-missing",
    ),
    pytest.param(
        Refusal(
            "how-to-reply",
            {"name": "Jo Example", "reply_method": "phone", "phone": "12345"},
            "Enter a phone number, like 01632 960 001, 07700 900 982 or +33 6 12 34 56 78",
            "phone",
            kept={"phone": "12345", "reply_method": ["phone"]},
        ),
        id="contact-phone-garbage",
    ),
    pytest.param(
        Refusal(
            "how-to-reply",
            {**LETTER, "address_line_1": ""},
            "Enter the first line of your address",
            "address_line_1",
            kept={"town": "Exampletown", "postcode": "AA1 1AA"},
        ),
        id="contact-letter-no-address-line",
    ),
    pytest.param(
        Refusal(
            "how-to-reply",
            {**LETTER, "town": ""},
            "Enter your town or city",
            "town",
            kept={"address_line_1": "1 Example Street", "postcode": "AA1 1AA"},
        ),
        id="contact-letter-no-town",
    ),
    pytest.param(
        Refusal(
            "how-to-reply",
            {**LETTER, "postcode": ""},
            "Enter your postcode",
            "postcode",
            kept={"address_line_1": "1 Example Street", "town": "Exampletown"},
        ),
        id="contact-letter-no-postcode",
    ),
    pytest.param(
        Refusal(
            "how-to-reply",
            {**LETTER, "postcode": "XX1 1XX"},
            "Enter a real postcode, like AA1 1AA",
            "postcode",
            kept={"postcode": "XX1 1XX", "address_line_1": "1 Example Street"},
        ),
        id="contact-letter-bad-postcode",
    ),
    pytest.param(
        Refusal(
            "how-to-reply",
            {"name": "", "reply_method": "email", "email": "jo@example.org"},
            "Enter your full name",
            "name",
            kept={"email": "jo@example.org", "reply_method": ["email"]},
        ),
        id="contact-name-missing",
    ),
    pytest.param(
        Refusal(
            "how-to-reply",
            {"name": "", "reply_method": "none"},
            "Select how you would like us to reply",
            "reply_method",
        ),
        id="complaint-cannot-choose-no-reply",
    ),
    # Language.
    pytest.param(
        Refusal("language", {}, "Select the language you would like us to use", "language"),
        id="language-nothing",
    ),
    pytest.param(
        Refusal(
            "language",
            {"language": "other", "other_language": ""},
            "Enter the language you would like us to use",
            "other_language",
            kept={"language": ["other"]},
        ),
        id="language-other-not-named",
    ),
    # Help to read or talk.
    pytest.param(
        Refusal(
            "help-to-read-or-talk",
            {},
            "Select what you need, or select ‘No, I do not need any of these’",
            "needs",
        ),
        id="needs-nothing",
    ),
    pytest.param(
        Refusal(
            "help-to-read-or-talk",
            {"needs": ["interpreter"], "interpreter_language": ""},
            "Enter the language the interpreter should speak",
            "interpreter_language",
            kept={"needs": ["interpreter"]},
        ),
        id="needs-interpreter-without-language",
    ),
    pytest.param(
        Refusal(
            "help-to-read-or-talk",
            {"needs": ["large_print", "other"], "other_need": ""},
            "Tell us what you need",
            "other_need",
            kept={"needs": ["large_print", "other"]},
        ),
        id="needs-other-without-detail",
    ),
    pytest.param(
        Refusal(
            "help-to-read-or-talk",
            {"needs": ["large_print", "none"]},
            "Select what you need, or ‘No, I do not need any of these’, not both",
            "needs",
            kept={"needs": ["large_print", "none"]},
        ),
        id="needs-none-with-another",
    ),
]


def _draft_answers() -> dict[str, Any]:
    db.session.expire_all()
    draft = db.session.scalars(select(FormDraft)).one_or_none()
    return draft.answers if draft else {}


def _refuse(client, refusal: Refusal) -> Page:
    page = reach(client, refusal.slug, refusal.journey)
    return answer(client, page, refusal.data)


@pytest.mark.parametrize("refusal", REFUSALS)
def test_the_page_is_shown_again_with_error_in_its_title(client, refusal):
    page = _refuse(client, refusal)

    assert page.status == 200
    assert page.path == f"/tell-us/{refusal.slug}"
    assert page.title.startswith("Error: ")


@pytest.mark.parametrize("refusal", REFUSALS)
def test_the_error_summary_says_what_to_do_and_links_to_the_field(client, refusal):
    page = _refuse(client, refusal)

    assert page.errors == [refusal.message]
    assert page.error_links == [f"#{refusal.target}"]
    assert page.soup.find(id=refusal.target) is not None, "the link goes nowhere"


@pytest.mark.parametrize("refusal", REFUSALS)
def test_the_message_is_shown_beside_the_field(client, refusal):
    page = _refuse(client, refusal)

    assert page.field_errors() == [refusal.message]


@pytest.mark.parametrize("refusal", REFUSALS)
def test_what_was_typed_is_still_there(client, refusal):
    page = _refuse(client, refusal)

    for name, expected in refusal.kept.items():
        if name == "date_of_birth":
            assert date_parts(page) == expected
        elif isinstance(expected, list):
            assert page.checked(name) == expected, name
        else:
            assert page.value_of(name) == expected, name


@pytest.mark.parametrize("refusal", REFUSALS)
def test_a_refused_page_saves_nothing(client, refusal):
    _refuse(client, refusal)

    assert refusal.slug not in _draft_answers()
    assert case_count() == 0


def test_a_letter_without_any_address_names_each_missing_part(client):
    page = reach(client, "how-to-reply")

    page = answer(client, page, {**LETTER, "address_line_1": "", "town": "", "postcode": ""})

    assert page.errors == [
        "Enter the first line of your address",
        "Enter your town or city",
        "Enter your postcode",
    ]
    assert page.error_links == ["#address_line_1", "#town", "#postcode"]


def test_only_the_missing_part_of_a_date_is_marked(client):
    page = reach(client, "about-the-child")

    page = answer(client, page, {**CHILD, "date_of_birth": ["14", "", "2015"]})

    assert marked_wrong(page) == ["date_of_birth-month"]


def test_every_part_of_a_date_that_is_not_real_is_marked(client):
    page = reach(client, "about-the-child")

    page = answer(client, page, {**CHILD, "date_of_birth": ["31", "2", "2015"]})

    assert marked_wrong(page) == ["date_of_birth-day", "date_of_birth-month", "date_of_birth-year"]


def test_a_young_person_of_exactly_25_is_accepted(client):
    page = reach(client, "about-the-child")

    # 25 on 23 November 2026; 26 only tomorrow.
    page = answer(client, page, {**CHILD, "date_of_birth": ["24", "11", "2000"]}, follow=True)

    assert page.path == "/tell-us/help-they-get"


def test_an_age_that_matches_the_date_of_birth_is_accepted(client):
    page = reach(client, "about-the-child")

    page = answer(
        client, page, {**CHILD, "date_of_birth": ["14", "6", "2015"], "age": "11"}, follow=True
    )

    assert page.path == "/tell-us/help-they-get"


@pytest.mark.parametrize(
    ("slug", "data", "message"),
    [
        ("what-you-want-to-do", {"kind": "hack"}, "Select what you would like to do"),
        ("who-you-are", {"role": "unknown"}, "Select who you are"),
        ("when-it-happened", {"when": "yesterday"}, "Select when it happened"),
        (
            "help-they-get",
            {"statuses": ["child_in_care", "royalty"]},
            "Select the help they get, or select ‘I do not know’",
        ),
        (
            "what-you-would-like",
            {"outcomes": ["revenge"], "detail": ""},
            "Select what you would like to happen, or select ‘I am not sure’",
        ),
        (
            "how-to-reply",
            {"name": "Jo Example", "reply_method": "pigeon"},
            "Select how you would like us to reply",
        ),
        ("language", {"language": "tlh"}, "Select the language you would like us to use"),
        (
            "help-to-read-or-talk",
            {"needs": ["telepathy"]},
            "Select what you need, or select ‘No, I do not need any of these’",
        ),
    ],
    ids=["kind", "role", "when", "help", "outcome", "reply", "language", "needs"],
)
def test_a_tampered_choice_gets_the_pages_own_message(client, slug, data, message):
    page = reach(client, slug)

    page = answer(client, page, data)

    assert page.status == 200
    assert page.errors == [message]
    assert "Not a valid choice" not in page.text()


def test_a_compliment_may_leave_out_the_name_when_no_reply_is_wanted(client):
    page = reach(client, "how-to-reply", COMPLIMENT)

    page = answer(client, page, {"name": "", "reply_method": "none"}, follow=True)

    assert page.errors == []
    assert page.path == "/tell-us/check-your-answers"


def test_a_comment_may_leave_out_the_name_when_no_reply_is_wanted(client):
    page = reach(client, "how-to-reply", COMMENT)

    page = answer(client, page, {"name": "", "reply_method": "none"}, follow=True)

    assert page.errors == []
    assert page.path == "/tell-us/check-your-answers"


def test_a_compliment_is_offered_no_reply(client):
    page = reach(client, "how-to-reply", COMPLIMENT)

    assert "none" in radio_values(page, "reply_method")


def test_a_complaint_is_not_offered_no_reply(client):
    page = reach(client, "how-to-reply")

    assert radio_values(page, "reply_method") == ["email", "text_message", "phone", "letter"]


def test_an_email_typed_before_choosing_letter_is_not_checked(client):
    page = reach(client, "how-to-reply")

    page = answer(client, page, {**LETTER, "email": "not an email"}, follow=True)

    assert page.errors == []
    assert page.path == "/tell-us/language"


def test_an_email_typed_before_choosing_letter_is_not_kept(client):
    page = reach(client, "how-to-reply")

    answer(client, page, {**LETTER, "email": "not an email"})

    assert saved_answers()["how-to-reply"]["email"] is None


def test_an_email_typed_before_choosing_letter_is_not_sent(client):
    send(client, answers(PARENT_COMPLAINT, how_to_reply={**LETTER, "email": "jo@example.org"}))

    contact = the_case().contact
    assert (contact.reply_method, contact.email) == ("letter", None)
    assert (contact.address_line_1, contact.town, contact.postcode) == (
        "1 Example Street",
        "Exampletown",
        "AA1 1AA",
    )


def test_a_language_typed_before_choosing_english_is_not_kept(client):
    page = reach(client, "language")

    answer(client, page, {"language": "en", "other_language": "Klingon"})

    assert saved_answers()["language"] == {"language": "en", "other_language": None}


def test_details_of_only_spaces_are_refused(client):
    page = reach(client, "what-happened")

    page = answer(client, page, {"details": "   \r\n\t  "})

    assert page.status == 200
    assert page.errors == ["Tell us what happened"]


def test_details_of_only_markup_are_refused(client):
    page = reach(client, "what-happened")

    page = answer(client, page, {"details": "<p></p><br>"})

    assert page.status == 200
    assert page.errors == ["Tell us what happened"]


def test_a_first_name_of_only_spaces_is_refused(client):
    page = reach(client, "about-the-child")

    page = answer(client, page, {**CHILD, "first_name": "   "})

    assert page.status == 200
    assert page.errors == ["Enter the child or young person's first name"]


def test_details_of_5000_characters_inside_markup_are_accepted(client):
    page = reach(client, "what-happened")

    page = answer(client, page, {"details": "<b>" + "a" * 5000 + "</b>"}, follow=True)

    assert page.errors == []
    assert page.path == "/tell-us/when-it-happened"
    assert saved_answers()["what-happened"]["details"] == "a" * 5000


def test_line_breaks_count_once_towards_the_limit(client):
    page = reach(client, "what-happened")

    # Browsers send each line break as two characters (CR LF); we keep one.
    page = answer(client, page, {"details": "abcd\r\n" * 1000}, follow=True)

    assert page.errors == []
    assert len(saved_answers()["what-happened"]["details"]) == 4999


def test_an_advocacy_service_of_only_spaces_is_refused(client):
    page = reach(client, "your-advocacy-service", ADVOCATE_COMPLAINT)

    page = answer(client, page, {**ADVOCACY, "organisation": "   "})

    assert page.status == 200
    assert page.errors == ["Enter the name of your advocacy service"]
