"""Whatever people (or anything else) send, we store plain, exact text or nothing at all.

Markup and control characters are dropped; every script people write in is kept exactly;
broken, oversized, forged or unknown requests get a polite page, never a 500, and never
leave half a case behind.
"""

from __future__ import annotations

import pytest

from tests.support import PARENT_COMPLAINT, FormClient, answers, send
from tests.web.helpers import answer, case_count, reach, saved_answers, the_case

ABOUT_AMARA = {"first_name": "Amara", "date_of_birth": ["14", "6", "2015"], "age": ""}


def _send_details(client, details: str) -> str:
    send(client, answers(PARENT_COMPLAINT, what_happened={"details": details}))
    return the_case().what_happened


def _raw_post(client, path: str, body: bytes):
    return client.client.post(path, data=body, content_type="application/x-www-form-urlencoded")


# Free text is stored safely.


def test_markup_is_stripped_from_what_happened(client):
    stored = _send_details(client, "<script>alert(1)</script>Hello <b>there</b>")

    assert stored == "alert(1)Hello there"


def test_markup_is_stripped_from_a_name(client):
    pages = answers(
        PARENT_COMPLAINT,
        how_to_reply={
            "name": "<i>Jo</i> <a href='https://example.org'>Example</a>",
            "reply_method": "email",
            "email": "jo@example.org",
        },
    )

    send(client, pages)

    assert the_case().contact.name == "Jo Example"


def test_markup_is_stripped_from_the_childs_name(client):
    pages = answers(PARENT_COMPLAINT, about_the_child={**ABOUT_AMARA, "first_name": "<b>Amara</b>"})

    send(client, pages)

    assert the_case().children[0].first_name == "Amara"


def test_comparisons_and_ampersands_are_kept_as_typed(client):
    stored = _send_details(client, "I <3 my worker & her team, visits < 2 a month")

    assert stored == "I <3 my worker & her team, visits < 2 a month"


def test_character_references_are_kept_as_typed_not_turned_into_markup(client):
    stored = _send_details(client, "She wrote &lt;b&gt; in the report")

    assert stored == "She wrote &lt;b&gt; in the report"


def test_control_characters_are_dropped(client):
    stored = _send_details(client, "Hel\x00lo\x07 the\x1bre\x7f, \x85we\x9f called")

    assert stored == "Hello there, we called"


def test_line_breaks_are_kept_as_plain_new_lines(client):
    stored = _send_details(client, "First visit missed.\r\nSecond visit missed.\rThird too.")

    assert stored == "First visit missed.\nSecond visit missed.\nThird too."


def test_a_name_is_kept_on_one_line(client):
    pages = answers(
        PARENT_COMPLAINT,
        how_to_reply={
            "name": "  Jo \t\r\n Example  ",
            "reply_method": "email",
            "email": "jo@example.org",
        },
    )

    send(client, pages)

    assert the_case().contact.name == "Jo Example"


def test_emoji_are_stored_exactly(client):
    words = "Thank you 👍🏽 our family 👨‍👩‍👧 feels heard 🙂"

    assert _send_details(client, words) == words


def test_arabic_is_stored_exactly(client):
    words = "لم يحضر الأخصائي الاجتماعي ثلاث زيارات"

    assert _send_details(client, words) == words


def test_hebrew_is_stored_exactly(client):
    words = "העובדת הסוציאלית לא הגיעה לשלושה ביקורים"

    assert _send_details(client, words) == words


def test_right_to_left_mixed_with_english_is_stored_exactly(client):
    words = "The worker said \u200fلا\u200f and left at 3pm"

    assert _send_details(client, words) == words


def test_welsh_is_stored_exactly(client):
    words = "Mae'r gweithiwr wedi colli tri ymweliad â'n tŷ ni. Gŵyl, ŵyr, ŷd."

    assert _send_details(client, words) == words


def test_welsh_names_are_stored_exactly(client):
    pages = answers(
        PARENT_COMPLAINT,
        about_the_child={**ABOUT_AMARA, "first_name": "Gwenllïan"},
        how_to_reply={
            "name": "Siôn Ŵyn Jones",
            "reply_method": "email",
            "email": "sion@example.org",
        },
    )

    send(client, pages)

    case = the_case()
    assert case.children[0].first_name == "Gwenllïan"
    assert case.contact.name == "Siôn Ŵyn Jones"


def test_accents_typed_as_two_characters_are_stored_as_one(client):
    # w + combining circumflex, as some keyboards send it, is the same word as ŵ.
    stored = _send_details(client, "Aeth y w\u0302yr adref")

    assert stored == "Aeth y ŵyr adref"


def test_a_box_ticked_twice_is_stored_once(client):
    pages = answers(
        PARENT_COMPLAINT,
        what_you_would_like={"outcomes": ["apology", "apology", "meeting"], "detail": ""},
    )

    send(client, pages)

    assert [o.outcome for o in the_case().outcomes_sought] == ["apology", "meeting"]


# Broken and unexpected requests.


def test_invalid_utf8_bytes_never_give_a_500(client):
    page = reach(client, "what-happened")
    body = b"details=Hello \xff\xfe there \xc3\x28&csrf_token=" + page.csrf_token.encode()

    response = _raw_post(client, page.path, body)

    # Refused as unreadable, not blamed on an ended session.
    assert response.status_code == 400
    assert "Sorry, there is a problem with what was sent" in response.get_data(as_text=True)


def test_invalid_utf8_bytes_save_nothing(client):
    page = reach(client, "what-happened")
    body = b"details=Hello \xff\xfe there&csrf_token=" + page.csrf_token.encode()

    _raw_post(client, page.path, body)

    assert "what-happened" not in saved_answers()
    assert case_count() == 0


def test_invalid_utf8_in_a_choice_never_gives_a_500(client):
    page = client.get("/tell-us")
    body = b"kind=compl\xffaint&csrf_token=" + page.csrf_token.encode()

    response = _raw_post(client, page.path, body)

    assert response.status_code < 500


def test_percent_encoded_invalid_utf8_never_gives_a_500(client):
    page = reach(client, "what-happened")
    body = b"details=Hello%FF%FE%C3%28there&csrf_token=" + page.csrf_token.encode()

    response = _raw_post(client, page.path, body)

    assert response.status_code < 500


def test_percent_encoded_invalid_utf8_in_a_choice_gets_the_pages_message(client):
    page = client.get("/tell-us")
    body = b"kind=compl%FFaint&csrf_token=" + page.csrf_token.encode()

    response = _raw_post(client, page.path, body)

    assert response.status_code == 200
    assert "Select what you would like to do" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "boxes",
    [[], ["14"], ["14", "6"], ["14", "6", "2015", "1"]],
    ids=["no-boxes", "one-box", "two-boxes", "four-boxes"],
)
def test_a_date_with_the_wrong_number_of_boxes_never_gives_a_500(client, boxes):
    page = reach(client, "about-the-child")

    page = answer(client, page, {"first_name": "", "date_of_birth": boxes, "age": ""})

    assert page.status == 200
    assert page.errors[0] == "Enter the child or young person's first name"


def test_a_child_page_sent_without_its_optional_boxes_never_gives_a_500(client):
    page = reach(client, "about-the-child")

    # Only the name box: a browser always sends the date and age boxes, a script may not.
    page = answer(client, page, {"first_name": ""})

    assert page.status == 200
    assert page.errors == ["Enter the child or young person's first name"]


@pytest.mark.parametrize(
    "parts",
    [["31", "12", "99999999999999999999"], ["-1", "6", "2015"], ["1e3", "6", "2015"]],
    ids=["huge-year", "negative-day", "exponent"],
)
def test_an_absurd_date_is_not_a_real_date(client, parts):
    page = reach(client, "about-the-child")

    page = answer(client, page, {"first_name": "Amara", "date_of_birth": parts, "age": ""})

    assert page.status == 200
    assert page.errors == ["Date of birth must be a real date"]


def test_a_huge_age_is_refused_politely(client):
    page = reach(client, "about-the-child")

    page = answer(
        client,
        page,
        {"first_name": "Amara", "date_of_birth": ["", "", ""], "age": "9" * 40},
    )

    assert page.status == 200
    assert page.errors == ["Age must be 25 or under"]


def test_a_body_over_a_megabyte_gets_413_with_a_polite_page(client):
    page = reach(client, "what-happened")

    page = answer(client, page, {"details": "a" * (1024 * 1024 + 1)})

    assert page.status == 413
    assert page.h1 == "What you sent is too long"
    assert "Go back, make your answer shorter and try again." in page.text()


def test_a_body_over_a_megabyte_saves_nothing(client):
    page = reach(client, "what-happened")

    answer(client, page, {"details": "a" * (1024 * 1024 + 1)})

    assert "what-happened" not in saved_answers()
    assert case_count() == 0


def test_a_post_without_a_csrf_token_gets_400_and_the_session_page(client):
    page = client.post("/tell-us/what-you-want-to-do", {"kind": "complaint"})

    assert page.status == 400
    assert page.h1 == "Sorry, your session has ended"
    assert "Go back to the start and try again." in page.text()


def test_a_post_with_a_forged_csrf_token_gets_400(client):
    reach(client, "who-you-are")

    page = client.post("/tell-us/who-you-are", {"role": "parent", "csrf_token": "forged"})

    assert page.status == 400
    assert page.h1 == "Sorry, your session has ended"
    assert "who-you-are" not in saved_answers()


def test_a_post_without_a_csrf_token_saves_nothing(client):
    client.post("/tell-us/what-you-want-to-do", {"kind": "complaint"})

    assert client.get("/tell-us").checked("kind") == []


def test_sending_without_a_csrf_token_makes_no_case(client):
    reach(client, "help-to-read-or-talk")
    answer(client, client.get("/tell-us/help-to-read-or-talk"), {"needs": ["none"]})

    page = client.post("/tell-us/check-your-answers", {})

    assert page.status == 400
    assert case_count() == 0


def test_a_csrf_token_from_another_session_is_refused(app, clock):
    other = FormClient(app.test_client())
    token = other.get("/tell-us").csrf_token
    client = FormClient(app.test_client())
    client.get("/tell-us")

    page = client.post("/tell-us/what-you-want-to-do", {"kind": "complaint", "csrf_token": token})

    assert page.status == 400
    assert page.h1 == "Sorry, your session has ended"


def test_an_unknown_page_gets_404_with_a_polite_page(client):
    page = client.get("/tell-us/what-you-had-for-breakfast")

    assert page.status == 404
    assert page.h1 == "Page not found"
    assert "If you typed the web address, check it is correct." in page.text()


def test_posting_to_an_unknown_page_gets_404(client):
    token = client.get("/tell-us").csrf_token

    page = client.post("/tell-us/nowhere", {"anything": "at all", "csrf_token": token})

    assert page.status == 404
    assert page.h1 == "Page not found"


def test_a_wrong_method_gets_a_polite_page(client):
    token = client.get("/tell-us").csrf_token

    page = client.post("/privacy", {"csrf_token": token})

    assert page.status == 405
    assert page.h1 == "Sorry, there is a problem with what was sent"


def test_after_an_error_no_case_exists(client):
    page = reach(client, "how-to-reply")
    answer(client, page, {"name": "Jo Example", "reply_method": "email", "email": "jo@"})
    client.post("/tell-us/check-your-answers", {})
    client.get("/tell-us/nowhere")

    assert case_count() == 0


# Malformed phone numbers, postcodes, emails and dates, in every field that takes one:
# each gets that field's own message, and nothing is saved.

LETTER = {
    "name": "Jo Example",
    "reply_method": "letter",
    "address_line_1": "1 Example Street",
    "address_line_2": "",
    "town": "Exampletown",
    "postcode": "AA1 1AA",
}
MOBILE_MESSAGE = "Enter a mobile number that can get text messages, like 07700 900 982"
PHONE_MESSAGE = "Enter a phone number, like 01632 960 001, 07700 900 982 or +33 6 12 34 56 78"
EMAIL_MESSAGE = "Enter an email address in the correct format, like name@example.com"
POSTCODE_MESSAGE = "Enter a real postcode, like AA1 1AA"
MALFORMED_CONTACTS = [
    ("text_message", "mobile", "07700 900 123 456 789", MOBILE_MESSAGE),
    ("text_message", "mobile", "+44+44", MOBILE_MESSAGE),
    ("text_message", "mobile", "+1-800-FLOWERS", MOBILE_MESSAGE),
    ("text_message", "mobile", "01632 960 001", MOBILE_MESSAGE),  # a landline
    ("text_message", "mobile", "'; DROP TABLE cases; --", MOBILE_MESSAGE),
    ("phone", "phone", "+44+44", PHONE_MESSAGE),
    ("phone", "phone", "123", PHONE_MESSAGE),
    ("phone", "phone", "<script>alert(1)</script>", PHONE_MESSAGE),  # "alert(1)" left
    ("phone", "phone", "<b></b>", "Enter your phone number"),  # nothing left
    ("phone", "phone", "9" * 400, "Phone number must be 30 characters or fewer"),
    ("email", "email", "jo@", EMAIL_MESSAGE),
    ("email", "email", "<script>@example.org", EMAIL_MESSAGE),
    ("email", "email", "jo@example.org'; DROP TABLE cases; --", EMAIL_MESSAGE),
    ("letter", "postcode", "'; DROP TABLE cases; --", POSTCODE_MESSAGE),
    ("letter", "postcode", "AAA 1AA", POSTCODE_MESSAGE),
    ("letter", "postcode", "ZZ99 9ZZZ", POSTCODE_MESSAGE),
]


@pytest.mark.parametrize(
    ("method", "field", "value", "message"),
    MALFORMED_CONTACTS,
    ids=[f"{field}={value[:24]}" for _m, field, value, _msg in MALFORMED_CONTACTS],
)
def test_a_malformed_contact_detail_gets_its_fields_message(client, method, field, value, message):
    page = reach(client, "how-to-reply")
    data = (
        {**LETTER, "reply_method": method}
        if method == "letter"
        else {
            "name": "Jo Example",
            "reply_method": method,
        }
    )

    page = answer(client, page, {**data, field: value})

    assert page.status == 200
    assert page.errors == [message]
    assert "how-to-reply" not in saved_answers()


def test_a_phone_link_is_read_as_the_number_it_holds(client):
    page = reach(client, "how-to-reply")

    page = answer(
        client,
        page,
        {"name": "Jo Example", "reply_method": "text_message", "mobile": "tel:+447700900123"},
    )

    assert page.status == 302
    assert saved_answers()["how-to-reply"]["mobile"] == "+447700900123"


MALFORMED_DATES = [
    (["31", "2", "2015"], "Date of birth must be a real date"),
    (["14", "13", "2015"], "Date of birth must be a real date"),
    (["14", "6", "15"], "Date of birth must be a real date"),
    (["14/6/2015", "", ""], "Date of birth must include a month and year"),
    (["1e3", "6", "2015"], "Date of birth must be a real date"),
    (["NaN", "6", "2015"], "Date of birth must be a real date"),
    (["14", "6", "2099"], "Date of birth must be in the past"),
    (["14", "6", "1900"], "The child or young person must be 25 or under"),
]


@pytest.mark.parametrize(
    ("parts", "message"), MALFORMED_DATES, ids=["-".join(p) for p, _m in MALFORMED_DATES]
)
def test_a_malformed_date_of_birth_gets_a_date_message(client, parts, message):
    page = reach(client, "about-the-child")

    page = answer(client, page, {"first_name": "Amara", "date_of_birth": parts, "age": ""})

    assert page.status == 200
    assert page.errors == [message]
    assert "about-the-child" not in saved_answers()


@pytest.mark.parametrize("age", ["-1", "1e3", "NaN", "12.5", "twelve", "inf"])
def test_an_age_that_is_not_a_whole_number_gets_the_age_message(client, age):
    page = reach(client, "about-the-child")

    page = answer(client, page, {"first_name": "Amara", "date_of_birth": ["", "", ""], "age": age})

    assert page.status == 200
    assert len(page.errors) == 1
    assert page.errors[0] in {"Age must be a number, like 12", "Age must be 25 or under"}
    assert "about-the-child" not in saved_answers()
