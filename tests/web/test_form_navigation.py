"""Moving around the form: back links, skipped pages, check answers, changing, sending."""

from __future__ import annotations

import pytest

from tests.support import ADVOCATE_COMPLAINT, PARENT_COMPLAINT, answers, fill_in, send
from tests.web.helpers import (
    answer,
    case_count,
    change_links,
    date_parts,
    reach,
    saved_answers,
    slug_of,
    the_case,
)

COMPLIMENT = answers(
    PARENT_COMPLAINT,
    what_you_want_to_do={"kind": "compliment"},
    what_happened={"details": "Our family support worker was kind and patient."},
)
NO_REPLY_COMMENT = answers(
    PARENT_COMPLAINT,
    what_you_want_to_do={"kind": "comment"},
    how_to_reply={"name": "", "reply_method": "none"},
)

PARENT_ORDER = [
    "what-you-want-to-do",
    "who-you-are",
    "about-the-child",
    "help-they-get",
    "service-or-team",
    "what-happened",
    "when-it-happened",
    "what-you-would-like",
    "how-to-reply",
    "language",
    "help-to-read-or-talk",
]

PARENT_SUMMARY = {
    "What you want to do": "Make a complaint",
    "Who you are": "Parent, or someone else with parental responsibility",
    "Child's first name": "Amara",
    "Date of birth or age": "14 June 2015",
    "Help from children's services": "Gets help as a child in need",
    "Service or team": "Assessment",
    "What you told us": "The social worker missed three planned visits and nobody told us why.",
    "When it happened": "In the last 3 months",
    "What you would like to happen": "An apology | A meeting to talk about it",
    "Your name": "Jo Example",
    "How to reply": "Email | jo@example.org",
    "Language": "English",
    "Help to read our reply or talk to us": "None",
}


def _pages_seen(client, pages) -> list[str]:
    """The slugs of the question pages the service asks, in order."""
    seen = []
    page = client.get("/tell-us")
    while page.path != "/tell-us/check-your-answers":
        slug = slug_of(page)
        seen.append(slug)
        page = answer(client, page, pages[slug], follow=True)
        assert not page.errors, f"{slug}: {page.errors}"
    return seen


# Back links.


def test_the_first_question_goes_back_to_the_start_page(client):
    page = client.get("/tell-us")

    assert page.path == "/tell-us/what-you-want-to-do"
    assert page.back_link == "/"


@pytest.mark.parametrize(
    ("slug", "before"), list(zip(PARENT_ORDER[1:], PARENT_ORDER[:-1], strict=True))
)
def test_each_later_question_goes_back_to_the_one_before(client, slug, before):
    page = reach(client, slug)

    assert page.back_link == f"/tell-us/{before}"


def test_the_advocacy_page_goes_back_to_who_you_are(client):
    page = reach(client, "your-advocacy-service", ADVOCATE_COMPLAINT)

    assert page.back_link == "/tell-us/who-you-are"


def test_the_child_page_goes_back_to_the_advocacy_page_for_an_advocate(client):
    page = reach(client, "about-the-child", ADVOCATE_COMPLAINT)

    assert page.back_link == "/tell-us/your-advocacy-service"


@pytest.mark.parametrize(
    ("slug", "before"),
    [
        ("service-or-team", "who-you-are"),
        ("what-happened", "service-or-team"),
        ("how-to-reply", "what-happened"),
    ],
)
def test_a_compliment_goes_back_past_the_pages_it_skips(client, slug, before):
    page = reach(client, slug, COMPLIMENT)

    assert page.back_link == f"/tell-us/{before}"


def test_check_answers_goes_back_to_the_last_question(client):
    page = fill_in(client, PARENT_COMPLAINT)

    assert page.back_link == "/tell-us/help-to-read-or-talk"


def test_check_answers_goes_back_to_how_to_reply_when_no_reply_is_wanted(client):
    page = fill_in(client, NO_REPLY_COMMENT)

    assert page.back_link == "/tell-us/how-to-reply"


# Going back keeps the answers.


def test_going_back_shows_the_chosen_radio(client):
    reach(client, "who-you-are")

    page = client.get("/tell-us/what-you-want-to-do")

    assert page.checked("kind") == ["complaint"]


def test_going_back_shows_the_text_and_date_typed(client):
    reach(client, "help-they-get")

    page = client.get("/tell-us/about-the-child")

    assert page.value_of("first_name") == "Amara"
    assert date_parts(page) == ["14", "06", "2015"]


def test_going_back_shows_the_age_typed(client):
    reach(client, "help-they-get", ADVOCATE_COMPLAINT)

    page = client.get("/tell-us/about-the-child")

    assert page.value_of("age") == "13"
    assert date_parts(page) == ["", "", ""]


def test_going_back_shows_the_ticked_checkboxes(client):
    reach(client, "how-to-reply")

    page = client.get("/tell-us/what-you-would-like")

    assert page.checked("outcomes") == ["apology", "meeting"]


def test_going_back_shows_what_happened(client):
    reach(client, "when-it-happened")

    page = client.get("/tell-us/what-happened")

    assert page.value_of("details") == PARENT_COMPLAINT["what-happened"]["details"]


def test_going_back_shows_the_contact_details(client):
    reach(client, "language")

    page = client.get("/tell-us/how-to-reply")

    assert page.checked("reply_method") == ["email"]
    assert page.value_of("name") == "Jo Example"
    assert page.value_of("email") == "jo@example.org"


def test_going_back_and_on_again_keeps_the_later_answers(client):
    reach(client, "service-or-team")
    page = client.get("/tell-us/what-you-want-to-do")

    page = answer(client, page, {"kind": "complaint"}, follow=True)

    assert page.path == "/tell-us/who-you-are"
    assert page.checked("role") == ["parent"]


# Pages that do not apply.


def test_a_parents_complaint_asks_every_page_but_the_advocacy_one(client):
    assert _pages_seen(client, PARENT_COMPLAINT) == PARENT_ORDER


def test_a_compliment_skips_the_child_when_and_outcome_pages(client):
    assert _pages_seen(client, COMPLIMENT) == [
        "what-you-want-to-do",
        "who-you-are",
        "service-or-team",
        "what-happened",
        "how-to-reply",
        "language",
        "help-to-read-or-talk",
    ]


def test_an_advocate_is_asked_about_their_advocacy_service(client):
    assert _pages_seen(client, ADVOCATE_COMPLAINT) == [
        "what-you-want-to-do",
        "who-you-are",
        "your-advocacy-service",
        *PARENT_ORDER[2:],
    ]


def test_no_reply_skips_language_and_access_needs(client):
    assert _pages_seen(client, NO_REPLY_COMMENT) == PARENT_ORDER[:-2]


def test_a_page_that_does_not_apply_is_not_shown(client):
    reach(client, "how-to-reply", COMPLIMENT)

    page = client.get("/tell-us/about-the-child")

    assert page.status == 200
    assert page.path != "/tell-us/about-the-child"


# Answering in order.


def test_a_later_page_first_goes_to_the_first_question(client):
    page = client.get("/tell-us/service-or-team")

    assert page.path == "/tell-us/what-you-want-to-do"


def test_a_later_page_goes_to_the_first_unanswered_one(client):
    reach(client, "about-the-child")

    page = client.get("/tell-us/what-happened")

    assert page.path == "/tell-us/about-the-child"


def test_check_answers_goes_to_the_first_unanswered_page(client):
    reach(client, "service-or-team")

    page = client.get("/tell-us/check-your-answers")

    assert page.path == "/tell-us/service-or-team"


def test_check_answers_without_any_answers_goes_to_the_start_page(client):
    page = client.get("/tell-us/check-your-answers")

    assert page.path == "/"


def test_posting_a_later_page_first_saves_nothing(client):
    reach(client, "who-you-are")
    token = client.get("/tell-us/who-you-are").csrf_token

    page = client.post("/tell-us/what-happened", {"details": "Out of turn.", "csrf_token": token})

    assert page.path == "/tell-us/who-you-are"
    assert "what-happened" not in saved_answers()


# Check answers.


def test_check_answers_shows_every_answer_in_words(client):
    page = fill_in(client, PARENT_COMPLAINT)

    assert page.summary() == PARENT_SUMMARY


def test_check_answers_shows_an_advocates_answers(client):
    page = fill_in(client, ADVOCATE_COMPLAINT)

    summary = page.summary()
    assert summary["Who you are"] == "Advocate"
    assert summary["Advocacy service"] == "Example Advocacy Service"
    assert summary["Child or young person agreed"] == "Yes"
    assert summary["Contact the child directly"] == "No"
    assert summary["Date of birth or age"] == "13 years old"
    assert summary["How to reply"] == "Text message | 07700 900123"


def test_check_answers_shows_a_letter_address_line_by_line(client):
    letter = {
        "name": "Jo Example",
        "reply_method": "letter",
        "address_line_1": "1 Example Street",
        "address_line_2": "",
        "town": "Exampletown",
        "postcode": "aa1 1aa",
    }

    page = fill_in(client, answers(PARENT_COMPLAINT, how_to_reply=letter))

    assert page.summary()["How to reply"] == "Letter | 1 Example Street | Exampletown | AA1 1AA"


def test_check_answers_shows_the_other_language_and_needs_in_words(client):
    pages = answers(
        PARENT_COMPLAINT,
        language={"language": "other", "other_language": "Polski"},
        help_to_read_or_talk={
            "needs": ["large_print", "interpreter", "other"],
            "interpreter_language": "Polski",
            "other_need": "Short sentences",
        },
    )

    summary = fill_in(client, pages).summary()

    assert summary["Language"] == "Polski"
    assert summary["Help to read our reply or talk to us"] == (
        "Large print | An interpreter: Polski | Something else: Short sentences"
    )


def test_every_answer_has_a_change_link_to_its_page(client):
    page = fill_in(client, PARENT_COMPLAINT)

    assert change_links(page) == {
        "What you want to do": "/tell-us/what-you-want-to-do?change=1#kind",
        "Who you are": "/tell-us/who-you-are?change=1#role",
        "Child's first name": "/tell-us/about-the-child?change=1#first_name",
        "Date of birth or age": "/tell-us/about-the-child?change=1#date_of_birth",
        "Help from children's services": "/tell-us/help-they-get?change=1#statuses",
        "Service or team": "/tell-us/service-or-team?change=1#service",
        "What you told us": "/tell-us/what-happened?change=1#details",
        "When it happened": "/tell-us/when-it-happened?change=1#when",
        "What you would like to happen": "/tell-us/what-you-would-like?change=1#outcomes",
        "Your name": "/tell-us/how-to-reply?change=1#name",
        "How to reply": "/tell-us/how-to-reply?change=1#reply_method",
        "Language": "/tell-us/language?change=1#language",
        "Help to read our reply or talk to us": "/tell-us/help-to-read-or-talk?change=1#needs",
    }


def test_a_change_link_goes_to_the_page_with_the_answer_shown(client):
    check = fill_in(client, PARENT_COMPLAINT)

    page = client.get(change_links(check)["When it happened"])

    assert page.path == "/tell-us/when-it-happened"
    assert page.checked("when") == ["last_3_months"]


def test_a_change_pages_back_link_returns_to_check_answers(client):
    check = fill_in(client, PARENT_COMPLAINT)

    page = client.get(change_links(check)["Service or team"])

    assert page.back_link == "/tell-us/check-your-answers"


def test_changing_an_answer_returns_straight_to_check_answers(client):
    fill_in(client, PARENT_COMPLAINT)
    page = client.get("/tell-us/when-it-happened?change=1")

    page = client.post(
        "/tell-us/when-it-happened?change=1",
        {"when": "over_12_months", "csrf_token": page.csrf_token},
    )

    assert page.path == "/tell-us/check-your-answers"
    assert page.summary()["When it happened"] == "More than 12 months ago"


def test_changing_nothing_returns_straight_to_check_answers(client):
    fill_in(client, PARENT_COMPLAINT)
    page = client.get("/tell-us/who-you-are?change=1")

    page = client.post(
        "/tell-us/who-you-are?change=1", {"role": "parent", "csrf_token": page.csrf_token}
    )

    assert page.path == "/tell-us/check-your-answers"
    assert page.summary() == PARENT_SUMMARY


def test_a_refused_change_stays_in_change_mode(client):
    fill_in(client, PARENT_COMPLAINT)
    page = client.get("/tell-us/what-happened?change=1")

    page = client.post(
        "/tell-us/what-happened?change=1", {"details": "", "csrf_token": page.csrf_token}
    )

    assert page.errors == ["Tell us what happened"]
    assert page.back_link == "/tell-us/check-your-answers"


def _change_role_to_advocate(client):
    fill_in(client, PARENT_COMPLAINT)
    page = client.get("/tell-us/who-you-are?change=1")
    return client.post(
        "/tell-us/who-you-are?change=1", {"role": "advocate", "csrf_token": page.csrf_token}
    )


def test_becoming_an_advocate_first_asks_the_advocacy_page(client):
    page = _change_role_to_advocate(client)

    assert page.path == "/tell-us/your-advocacy-service"
    assert page.back_link == "/tell-us/check-your-answers"


def test_after_the_new_advocacy_page_the_form_returns_to_check_answers(client):
    page = _change_role_to_advocate(client)

    page = client.post(
        "/tell-us/your-advocacy-service?change=1",
        {
            "organisation": "Example Advocacy Service",
            "child_consent": "yes",
            "child_wants_contact": "yes",
        }
        | {"csrf_token": page.csrf_token},
    )

    assert page.path == "/tell-us/check-your-answers"
    summary = page.summary()
    assert summary["Who you are"] == "Advocate"
    assert summary["Advocacy service"] == "Example Advocacy Service"
    assert summary["Contact the child directly"] == "Yes"


def _change_kind_to_compliment(client):
    fill_in(client, PARENT_COMPLAINT)
    page = client.get("/tell-us/what-you-want-to-do?change=1")
    return client.post(
        "/tell-us/what-you-want-to-do?change=1",
        {"kind": "compliment", "csrf_token": page.csrf_token},
    )


def test_changing_to_a_compliment_leaves_out_the_child_when_and_outcome(client):
    page = _change_kind_to_compliment(client)

    assert page.path == "/tell-us/check-your-answers"
    assert set(page.summary()) == {
        "What you want to do",
        "Who you are",
        "Service or team",
        "What you told us",
        "Who you would like to thank",
        "Your name",
        "How to reply",
        "Language",
        "Help to read our reply or talk to us",
    }
    assert page.summary()["What you want to do"] == "Say thank you"


def test_a_compliment_changed_from_a_complaint_is_sent_without_a_child(client):
    check = _change_kind_to_compliment(client)

    client.post(check.path, {"csrf_token": check.csrf_token})

    case = the_case()
    assert case.kind == "compliment"
    assert case.children == []
    assert case.when_happened is None
    assert case.outcomes_sought == []


def test_changing_back_to_a_complaint_brings_the_child_back(client):
    _change_kind_to_compliment(client)
    page = client.get("/tell-us/what-you-want-to-do?change=1")

    page = client.post(
        "/tell-us/what-you-want-to-do?change=1",
        {"kind": "complaint", "csrf_token": page.csrf_token},
    )

    assert page.path == "/tell-us/check-your-answers"
    assert page.summary() == PARENT_SUMMARY


def test_a_compliment_without_a_reply_changed_to_a_complaint_asks_how_to_reply(client):
    pages = answers(COMPLIMENT, how_to_reply={"name": "", "reply_method": "none"})
    check = fill_in(client, pages)
    page = client.get("/tell-us/what-you-want-to-do?change=1")
    page = client.post(
        "/tell-us/what-you-want-to-do?change=1",
        {"kind": "complaint", "csrf_token": page.csrf_token},
    )
    # The child, when and outcome pages are new: each is asked in turn.
    for slug in ("about-the-child", "help-they-get", "when-it-happened", "what-you-would-like"):
        assert slug_of(page) == slug
        page = client.post(
            f"/tell-us/{slug}?change=1", {**pages[slug], "csrf_token": page.csrf_token}
        )

    check = client.post("/tell-us/check-your-answers", {"csrf_token": page.csrf_token})

    # A complaint always needs a way to reply: no case is made without one.
    assert check.path == "/tell-us/how-to-reply"
    assert case_count() == 0


# Sending.


def test_sending_twice_makes_one_case(client):
    check = fill_in(client, PARENT_COMPLAINT)

    first = client.post(check.path, {"csrf_token": check.csrf_token})
    second = client.post(check.path, {"csrf_token": check.csrf_token})

    assert case_count() == 1
    assert first.path == second.path == "/tell-us/sent"


def test_sending_twice_shows_the_same_confirmation(client):
    check = fill_in(client, PARENT_COMPLAINT)

    first = client.post(check.path, {"csrf_token": check.csrf_token})
    second = client.post(check.path, {"csrf_token": check.csrf_token})

    assert second.h1 == first.h1 == "Complaint sent"
    assert the_case().reference in second.text()


def test_after_sending_the_form_starts_again_empty(client):
    send(client, PARENT_COMPLAINT)

    page = client.get("/tell-us")

    assert page.path == "/tell-us/what-you-want-to-do"
    assert page.checked("kind") == []


def test_after_sending_later_pages_are_not_filled_in(client):
    send(client, PARENT_COMPLAINT)

    page = client.get("/tell-us/how-to-reply")

    assert page.path == "/tell-us/what-you-want-to-do"


def test_after_sending_a_second_form_makes_a_second_case(client):
    send(client, PARENT_COMPLAINT)

    page = send(client, COMPLIMENT)

    assert page.h1 == "Thank you sent"
    assert case_count() == 2


def test_the_confirmation_cannot_be_reached_without_sending(client):
    page = client.get("/tell-us/sent")

    assert page.path == "/"


def test_the_confirmation_cannot_be_reached_with_a_form_half_done(client):
    reach(client, "what-happened")

    page = client.get("/tell-us/sent")

    assert page.path == "/"
