"""/chat: the young people's conversation in a browser, with JavaScript off.

Each turn is an ordinary form post (with its CSRF token) answered by a redirect back to
the page, which shows what the service said and never what the young person typed.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask, current_app
from sqlalchemy import func, select

from intake.clock import FixedClock
from intake.extensions import db
from intake.models import Case, Conversation, InboundMessage, SafeguardingAlert
from tests.support import FormClient, Page

WHAT_HAPPENED = "My social worker keeps missing our meetings and nobody tells me why"
ABOUT = "The social worker from the north team"
OUTCOME = "A worker who turns up when they say they will"
MOBILE = "07700 900456"
EMAIL = "young.person@example.org"
SAFETY = (
    "If you are in danger now, call 999. Childline is free on 0800 1111, day or night. "
    "Out of office hours, call us on 01632 960 111. You can carry on telling us here."
)
LANGUAGE_QUESTION = (
    "Hi, this is Exampleshire Council children's services. Choose a language / Dewisa iaith:"
    "\n1 English\n2 Cymraeg\n3 Polski\n4 Romana\n5 Punjabi\n6 Urdu\n7 Bangla\n8 Arabic"
    "\n9 Portugues\n10 Soomaali"
)
CONTACT_QUESTION = (
    "If you want us to reply, send your mobile number or your email address. Or send NO."
)
INTENT_QUESTION = (
    "What do you want to do? Reply with a number:\n1 Complain\n2 Say thank you"
    "\n3 Tell us something or tell us you are worried\n4 Ask for an advocate (someone on your side)"
)
# The page is in English, so the chat starts in English: no language menu.
UP_TO_CONTACT = ["Hi", "1", "yes", WHAT_HAPPENED, "last week", ABOUT, OUTCOME]


class Browser(FormClient):
    """Another browser: each of its requests in its own app context, as on a real server
    (the test's own app context would otherwise share one CSRF token between browsers)."""

    def __init__(self, app: Flask) -> None:
        super().__init__(app.test_client())
        self.app = app

    def get(self, url: str, follow: bool = True) -> Page:
        with self.app.app_context():
            return super().get(url, follow)

    def post(self, url: str, data: dict[str, Any], follow: bool = True) -> Page:
        with self.app.app_context():
            return super().post(url, data, follow)


def said(page: Page) -> list[str]:
    """The service's messages on the page, oldest first, one line per line."""
    return [
        "\n".join(line.get_text() for line in item.select(".app-answer-line"))
        for item in page.soup.select("li.app-chat__message")
    ]


def send(client: FormClient, page: Page, text: str) -> Page:
    """Type `text` into the page's chat box and press Send (following the redirect), a
    minute after the last message, as a person would."""
    clock = current_app.extensions["intake.clock"]
    if isinstance(clock, FixedClock):
        clock.advance(minutes=1)
    form = page.soup.find("form", attrs={"action": "/chat"})
    assert form is not None, "the page has no chat form"
    token = form.find("input", attrs={"name": "csrf_token"})["value"]
    return client.post("/chat", {"message": text, "csrf_token": token})


def converse(client: FormClient, *texts: str, start: str = "/chat") -> Page:
    page = client.get(start)
    for text in texts:
        page = send(client, page, text)
        assert page.status == 200, (text, page.status)
        assert not page.errors, (text, page.errors)
    return page


def shows_nothing_typed(page: Page, *typed: str) -> None:
    html = page.html
    for text in typed:
        assert text not in html, f"the page shows what was typed: {text!r}"
        assert text not in page.text()
    assert page.value_of("message") in {None, ""}


def count(model: type) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def the_case() -> Case:
    db.session.rollback()
    return db.session.scalars(select(Case)).one()


def test_the_chat_page_starts_empty_with_a_way_out(client):
    page = client.get("/chat")

    assert page.status == 200
    assert page.h1 == "Chat with us"
    assert said(page) == []
    assert "Send us a message to start." in page.text()
    exit_button = page.soup.select_one(".govuk-exit-this-page a.govuk-exit-this-page__button")
    assert exit_button is not None
    assert exit_button.get_text().strip() == "Exit this page"
    assert exit_button["href"].startswith("https://")
    assert page.soup.select_one('[data-module="govuk-exit-this-page"]') is not None
    assert page.csrf_token
    assert page.soup.find("textarea", attrs={"name": "message"}) is not None
    assert "Call 999" in page.text() and "0800 1111" in page.text()


def test_each_turn_is_a_form_post_answered_with_a_redirect(client):
    page = client.get("/chat")

    response = client.client.post("/chat", data={"message": "Hi", "csrf_token": page.csrf_token})

    assert response.status_code in {302, 303}
    assert response.headers["Location"].endswith("/chat#latest")
    assert said(client.get("/chat")) == [INTENT_QUESTION]


@pytest.mark.parametrize(
    ("contact", "reply_method", "phone", "email"),
    [
        (MOBILE, "text_message", "+447700900456", None),
        ("+44 7700 900456", "text_message", "+447700900456", None),
        (EMAIL, "email", None, EMAIL),
        ("NO", "none", None, None),
    ],
    ids=["mobile", "international mobile", "email", "no"],
)
def test_a_whole_complaint_in_the_browser(client, contact, reply_method, phone, email):
    page = client.get("/chat")
    typed: list[str] = []
    for text in UP_TO_CONTACT:
        page = send(client, page, text)
        typed.append(text)
        shows_nothing_typed(page, *[t for t in typed if t in {WHAT_HAPPENED, ABOUT, OUTCOME}])
    assert said(page)[-1] == CONTACT_QUESTION
    assert count(Case) == 0

    page = send(client, page, contact)

    shows_nothing_typed(page, WHAT_HAPPENED, ABOUT, OUTCOME, *([contact] if phone or email else []))
    case = the_case()
    messages = said(page)
    final = [m for m in messages if case.reference in m]
    assert final, messages
    assert final[0].startswith(f"Thank you. Your reference is {case.reference}.")
    assert "Wed 25 Nov" in final[0] or reply_method == "none"
    assert "Mon 7 Dec" in final[0]
    assert case.reference in page.text()
    assert case.method == "web_chat"
    assert case.kind == "complaint"
    assert case.complainant_role == "young_person"
    assert case.language == "en"
    assert case.what_happened == WHAT_HAPPENED
    assert case.worker_named == ABOUT
    assert case.outcome_sought_detail == OUTCOME
    assert case.incomplete is False
    assert case.contact.reply_method == reply_method
    assert case.contact.phone == phone
    assert case.contact.email == email
    if reply_method == "none":
        # No promise of a message we will not send: the confirmation says how to hear back.
        assert messages[-1].endswith(
            "but will not text you: to hear what happens, call 01632 960 000 and give your"
            " reference. For a free advocate, send ADVOCATE."
        )
    assert count(Conversation) == 1
    db.session.rollback()
    assert db.session.scalars(select(Conversation.channel)).one() == "web"


def test_a_contact_that_is_neither_a_number_nor_an_email_is_asked_again(client):
    page = converse(client, *UP_TO_CONTACT)

    page = send(client, page, "my nan's house")

    assert said(page)[-1] == (
        "Sorry, that does not look like a mobile number or an email address. Try again, or send NO."
    )
    assert count(Case) == 0
    page = send(client, page, EMAIL)
    assert the_case().contact.email == EMAIL


def test_a_thank_you_in_welsh_in_the_browser(client):
    page = converse(
        client,
        "Helo",
        "2",
        "ie",
        "Diolch am y trip i lan y mor",
        "sgipio",
        "NA",
        start="/chat?lang=cy",
    )

    case = the_case()
    assert case.kind == "compliment"
    assert case.language == "cy"
    assert case.method == "web_chat"
    assert said(page)[-1].startswith("Diolch! Byddwn ni'n rhannu dy neges.")
    assert case.reference in said(page)[-1]
    languages = [item["lang"] for item in page.soup.select("li.app-chat__message")]
    assert languages[-1] == "cy"
    shows_nothing_typed(page, "Diolch am y trip i lan y mor")


def test_a_danger_phrase_shows_the_safety_message_and_raises_an_alert(client):
    page = converse(client, "Hi", "1", "yes")

    page = send(client, page, "My carer hurts me when nobody is there")

    messages = said(page)
    assert SAFETY in messages
    assert messages.index(SAFETY) == len(messages) - 2, "the safety message did not come first"
    shows_nothing_typed(page, "My carer hurts me when nobody is there")
    assert count(SafeguardingAlert) == 1
    case = the_case()
    assert case.safeguarding is True
    db.session.rollback()
    assert db.session.scalars(select(SafeguardingAlert.team)).one() == "front_door"


@pytest.mark.parametrize(
    ("before", "danger"),
    [
        (["Hi"], "I am scared"),
        (["Hi", "1", "yes"], "My carer hurts me when nobody is there"),
        (["Hi", "1", "yes", WHAT_HAPPENED, "last week"], "he hit me"),
    ],
    ids=["what to do", "what happened", "who it is about"],
)
def test_after_a_danger_phrase_the_conversation_finishes_the_same_case(client, before, danger):
    page = converse(client, *before)
    page = send(client, page, danger)
    assert SAFETY in said(page)
    alerted = the_case()

    page = client.get("/chat")
    remaining = {
        "Are you the young person?": "yes",
        "In your own words": WHAT_HAPPENED,
        "When did it happen?": "last week",
        "Who or which team": ABOUT,
        "What would you like to happen now?": OUTCOME,
        "If you want us to reply": EMAIL,
        "What do you want to do?": "1",
        "Sorry, I did not get that. Reply 1 to complain": "1",
    }
    for _ in range(10):
        last = said(page)[-1]
        if alerted.reference in last:
            break
        answer = next(text for start, text in remaining.items() if last.startswith(start))
        page = send(client, page, answer)
        assert page.status == 200, (answer, page.status)

    case = the_case()
    assert case.reference in said(page)[-1]
    assert case.id == alerted.id
    assert case.safeguarding is True
    assert case.incomplete is False
    assert case.kind == "complaint"
    assert case.contact.email == EMAIL
    assert count(SafeguardingAlert) == 1


def test_a_message_over_5000_characters_gets_a_polite_error(client):
    page = converse(client, "Hi", "1", "yes")
    inbound_before = count(InboundMessage)
    messages_before = said(page)

    page = send(client, page, "a" * 5001)

    assert page.status == 200
    assert page.errors == ["Your message must be 5,000 characters or fewer. Send it in parts."]
    assert page.field_errors() == [
        "Your message must be 5,000 characters or fewer. Send it in parts."
    ]
    assert count(InboundMessage) == inbound_before
    assert said(page) == messages_before


def test_a_message_of_5000_characters_is_taken(client):
    story = ("We waited for the worker all afternoon again. " * 120)[:5000]
    page = converse(client, "Hi", "1", "yes")

    page = send(client, page, story)

    assert not page.errors
    assert said(page)[-1].startswith("When did it happen?")
    shows_nothing_typed(page, story[:60])
    converse(client, "last week", ABOUT, OUTCOME, "NO")
    assert the_case().what_happened == story.strip()


def test_an_empty_message_asks_again(client):
    page = converse(client, "Hi", "1")

    page = send(client, page, "")

    assert page.status == 200
    assert said(page)[-1] == (
        "Please reply YES if you are the young person, or NO if you are helping one."
    )


def test_leave_this_chat_forgets_the_conversation_in_this_browser(client, app, clock):
    page = converse(client, "Hi", "1", "yes", WHAT_HAPPENED)
    assert said(page)
    leave = page.soup.find("form", attrs={"action": "/chat/leave"})
    token = leave.find("input", attrs={"name": "csrf_token"})["value"]

    page = client.post("/chat/leave", {"csrf_token": token})

    assert page.status == 200
    assert page.path == "/chat"
    assert said(page) == []
    assert "Send us a message to start." in page.text()
    # A new message starts a new conversation, from the beginning.
    page = send(client, page, "Hi")
    assert said(page) == [INTENT_QUESTION]
    assert count(Conversation) == 2
    # What was said before the young person left is not lost: it becomes a case.
    clock.advance(hours=25)
    result = app.test_cli_runner().invoke(args=["intake", "chat", "expire"])
    assert result.exit_code == 0, result.output
    case = the_case()
    assert case.incomplete is True
    assert case.what_happened == WHAT_HAPPENED
    assert case.method == "web_chat"


def test_leaving_is_only_for_this_browser(client, app):
    other = Browser(app)
    converse(client, "Hi")
    page = converse(other, "Hi")

    leave = page.soup.find("form", attrs={"action": "/chat/leave"})
    other.post("/chat/leave", {"csrf_token": leave.find("input")["value"]})

    assert said(client.get("/chat"))[-1].startswith("What do you want to do?")
    assert said(other.get("/chat")) == []


def test_two_browsers_have_separate_conversations(client, app):
    other = Browser(app)

    converse(client, "Hi", "1")
    page = converse(other, "Hi")

    assert said(page) == [INTENT_QUESTION]
    assert said(client.get("/chat"))[-1].startswith("Are you the young person?")


def test_a_post_without_the_csrf_token_is_refused_and_stores_nothing(client):
    client.get("/chat")

    page = client.post("/chat", {"message": "Hi"})

    assert page.status == 400
    assert count(Conversation) == 0
    assert count(InboundMessage) == 0


def test_the_page_shows_only_the_latest_messages(client):
    page = converse(client, *(["Hi"] + ["banana"] * 10))

    messages = said(page)
    assert 0 < len(messages) <= 12
    assert messages[-1] == (
        "Please reply YES if you are the young person, or NO if you are helping one."
    )


def test_the_chat_starts_in_the_pages_language_and_can_still_change(client):
    page = converse(client, "مرحبا", start="/chat?lang=ar")

    first = said(page)[0]
    assert first != INTENT_QUESTION and "1" in first
    assert page.soup.select("li.app-chat__message")[0]["lang"] == "ar"
    # LANGUAGE, in any language, still offers the menu.
    page = send(client, page, "LANGUAGE")
    assert "1 English" in said(page)[-1] and "2 Cymraeg" in said(page)[-1]


def test_a_conversation_keeps_its_language_when_the_page_changes(client):
    converse(client, "Hi")

    page = converse(client, "1", start="/chat?lang=cy")

    assert said(page)[-1].startswith("Are you the young person?")
