"""WCAG 2.2 A and AA, proven in a real browser: every public page in every state (empty,
each kind of error, check answers, confirmation, the questions about you, every turn of
the chat, the error pages) in English and a right-to-left language, each checked by
`Audit`: axe finds nothing, and nothing scrolls sideways at 320 px or at 400 % zoom.
Then the language switching, the screenshots for people to look at, and JavaScript off."""

from __future__ import annotations

import pytest
from flask import Flask
from flask_babel import force_locale, gettext
from playwright.sync_api import Page

from tests.browser.conftest import SCREENSHOTS, Audit
from tests.browser.focus import Keyboard
from tests.browser.journey import (
    CHAT_ANSWERS,
    CHAT_GREETING,
    Mistake,
    Together,
    converse,
    error_links,
    fill,
    latest_message,
    slug,
    submit,
    walk_form,
)
from tests.support import ADVOCATE_COMPLAINT, PARENT_COMPLAINT

pytestmark = pytest.mark.browser

LANGUAGES = ["en", "ar"]
STATIC_PAGES = ["/", "/easy-read", "/accessibility", "/privacy", "/chat"]
TOO_LONG = ("They did not come again. " * 201)[:5001]  # the limit is 5,000 characters

# Each kind of error the form can show, beyond an empty page; spread over the two
# journeys so each is seen once per language.
PARENT_MISTAKES: dict[str, list[Mistake]] = {
    "about-the-child": [
        Mistake("31 February", {"date_of_birth": ["31", "2", "2015"]}, "date_of_birth"),
    ],
    "help-they-get": [
        Mistake(
            "'I do not know' and a kind of help",
            {"statuses": Together(["child_in_need", "dont_know"])},
            "statuses",
        ),
    ],
    "what-happened": [Mistake("5,001 characters", {"details": TOO_LONG}, "details")],
    "what-you-would-like": [
        Mistake("'something else' unexplained", {"outcomes": ["other"], "detail": ""}, "detail"),
    ],
    "how-to-reply": [
        Mistake(
            "the revealed email box empty",
            {"name": "Jo Example", "reply_method": "email", "email": ""},
            "email",
        ),
        Mistake(
            "an email address with no full stop after the @",
            {"name": "Jo Example", "reply_method": "email", "email": "jo@example"},
            "email",
        ),
        Mistake(
            "a phone number too short",
            {"name": "Jo Example", "reply_method": "phone", "phone": "12345"},
            "phone",
        ),
    ],
    "language": [
        Mistake(
            "another language, not named",
            {"language": "other", "other_language": ""},
            "other_language",
        ),
    ],
    "help-to-read-or-talk": [
        Mistake("'none' and Braille", {"needs": Together(["braille", "none"])}, "needs"),
        Mistake(
            "an interpreter, no language",
            {"needs": ["interpreter"], "interpreter_language": ""},
            "interpreter_language",
        ),
    ],
}
ADVOCATE_MISTAKES: dict[str, list[Mistake]] = {
    "your-advocacy-service": [
        Mistake(
            "a 201-character name",
            {"organisation": ("Advocacy " * 23)[:201]},
            "organisation",
        ),
    ],
    "about-the-child": [
        Mistake(
            "a birthday in the future",
            {"first_name": "Kai", "date_of_birth": ["1", "1", "2030"], "age": ""},
            "date_of_birth",
        ),
        Mistake(
            "an age in words",
            {"date_of_birth": ["", "", ""], "age": "thirteen"},
            "age",
        ),
    ],
    "how-to-reply": [
        Mistake(
            "a landline for text messages",
            {"name": "Sam Advocate", "reply_method": "text_message", "mobile": "01632 960 001"},
            "mobile",
        ),
        Mistake(
            "a postcode that cannot be",
            {
                "name": "Sam Advocate",
                "reply_method": "letter",
                "address_line_1": "1 High Street",
                "town": "Exampleton",
                "postcode": "NOT A CODE",
            },
            "postcode",
        ),
    ],
}


def in_language(app: Flask, language: str, message: str) -> str:
    with app.test_request_context(), force_locale(language):
        return gettext(message)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_other_page_and_every_error_page_passes(
    app, live, limited_live, page: Page, language
):
    audit = Audit(language)
    for path in STATIC_PAGES:
        response = page.goto(f"{live}{path}?lang={language}")
        assert response is not None and response.status == 200, f"{path} in {language}"
        audit(page, "as first shown")

    for path in ("/no-such-page", "/tell-us/no-such-question"):
        response = page.goto(f"{live}{path}?lang={language}")
        assert response is not None and response.status == 404, path
        assert page.inner_text("h1") == in_language(app, language, "Page not found")
        audit(page, "not found")

    # The session ended (the page's CSRF token no longer matches): said politely.
    page.goto(f"{live}/tell-us?lang={language}")
    page.locator("main input[name='csrf_token']").evaluate("token => { token.value = 'gone' }")
    with page.expect_navigation() as sent:
        page.locator("main form button[type='submit']").click()
    assert sent.value is not None and sent.value.status == 400
    assert page.inner_text("h1") == in_language(app, language, "Sorry, your session has ended")
    audit(page, "session ended")

    # Too many pages sent from one address: the rate limit's page (429).
    page.goto(f"{limited_live}/tell-us?lang={language}")
    statuses = []
    for _try in range(3):
        with page.expect_navigation() as sent:
            page.locator("main form button[type='submit']").click()
        assert sent.value is not None
        statuses.append(sent.value.status)
        if statuses[-1] == 429:
            break
    assert statuses[-1] == 429, statuses
    title = "Sorry, there have been too many attempts"
    assert page.inner_text("h1") == in_language(app, language, title)
    audit(page, "too many attempts")

    assert len(audit.seen) == len(STATIC_PAGES) + 4
    audit.assert_clean()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "journey,mistakes",
    [(PARENT_COMPLAINT, PARENT_MISTAKES), (ADVOCATE_COMPLAINT, ADVOCATE_MISTAKES)],
    ids=["parent", "advocate"],
)
def test_every_form_page_in_every_state_passes(live, page: Page, language, journey, mistakes):
    audit = Audit(language)
    walk_form(page, live, journey, each=audit, language=language, mistakes=mistakes)
    # The questions about you, offered afterwards: empty, refused and answered.
    page.locator("main a[href$='/tell-us/about-you']").click()
    audit(page, "empty")
    if journey is PARENT_COMPLAINT:
        # Only a changed page can send an answer not offered; it is refused politely.
        page.locator("main input[name='age_band']").first.evaluate(
            "radio => { radio.value = 'not-offered'; radio.checked = true }"
        )
        submit(page)
        assert error_links(page) == ["#age_band"]
        audit(page, "an answer not offered")
    submit(page)
    assert slug(page) == "done"
    audit(page, "answered")

    states = [state for _page, state in audit.seen]
    assert "check" in states and "sent" in states
    assert states.count("errors") >= 8
    for pages in mistakes.values():
        assert all(mistake.what in states for mistake in pages)
    audit.assert_clean()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_turn_of_the_chat_passes_to_the_reference(app, live, page: Page, language):
    flow = app.extensions["intake.chat"].flow
    answers = CHAT_ANSWERS[language]
    audit = Audit(language)
    tried: list[str] = []

    def send(shown: Page, text: str) -> None:
        if text == answers["what_happened"] and not tried:
            # An empty message: the chat says how it works and asks again.
            asked = latest_message(shown)
            shown.fill("main textarea", "")
            submit(shown)
            assert latest_message(shown) == asked
            audit(shown, "an empty message")
            # Too long: refused, with an error that leads to the box.
            shown.fill("main textarea", TOO_LONG)
            submit(shown)
            assert error_links(shown) == ["#message"]
            audit(shown, "a message too long")
            tried.append(text)
        shown.fill("main textarea", text)
        submit(shown)

    page.goto(f"{live}/chat?lang={language}")
    last = converse(
        page, flow, language, answers, send=send, each=audit, first=CHAT_GREETING[language]
    )

    assert "CS-2026-" in last
    assert latest_message(page)[1] == language  # the reference, in the chat's language
    assert tried, "the chat never asked what happened"
    assert len(audit.seen) >= 9
    audit.assert_clean()


def test_the_checks_fail_on_a_page_that_breaks_them(live, page: Page):
    """Each check can fail: a page made too wide, with an image with no text and its
    focus styles removed, fails all three."""
    page.goto(f"{live}/accessibility?lang=en")
    # Constructed style sheets are not inline styles: the page's policy allows them.
    page.evaluate(
        """() => {
            const sheet = new CSSStyleSheet();
            sheet.replaceSync(`main { min-width: 700px }
                *:focus { outline: none !important; box-shadow: none !important;
                          background-color: transparent !important }`);
            document.adoptedStyleSheets = [sheet];
            document.querySelector("h1").append(document.createElement("img"));
        }"""
    )
    audit = Audit("en")
    audit(page, "broken")
    keys = Keyboard(page)
    keys.tab_to("footer a")

    assert any("scrolls sideways at 320px" in problem for problem in audit.problems)
    assert any("'image-alt'" in problem for problem in audit.problems)
    assert keys.problems and "changes nothing visible" in keys.problems[-1]


def test_arabic_pages_read_right_to_left_and_welsh_left_to_right(live, page: Page):
    # Where `dir` is declared (on <html> or <body>) matters less than what it does.
    direction = "getComputedStyle(document.querySelector('main')).direction"
    page.goto(f"{live}/tell-us?lang=ar")
    assert page.get_attribute("html", "lang") == "ar"
    assert "rtl" in (page.get_attribute("html", "dir"), page.get_attribute("body", "dir"))
    assert page.evaluate(direction) == "rtl"
    page.goto(f"{live}/tell-us?lang=cy")
    assert page.get_attribute("html", "lang") == "cy"
    assert page.evaluate(direction) == "ltr"


def test_the_language_chosen_is_remembered_from_page_to_page(live, page: Page):
    page.goto(f"{live}/")
    page.get_by_role("link", name="العربية").click()
    assert page.get_attribute("html", "lang") == "ar"
    page.goto(f"{live}/accessibility")
    assert page.get_attribute("html", "lang") == "ar"


def test_the_first_visit_offers_the_browsers_language(browser, live):
    context = browser.new_context(locale="pl-PL", extra_http_headers={"Accept-Language": "pl"})
    page = context.new_page()
    page.goto(f"{live}/")
    assert page.get_attribute("html", "lang") == "pl"
    context.close()


@pytest.mark.parametrize("language", ["en", "cy", "ar"])
def test_screenshots_of_the_form_for_people_to_look_at(browser, live, language):
    context = browser.new_context(viewport={"width": 1024, "height": 900})
    page = context.new_page()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{live}/tell-us?lang={language}")
    page.screenshot(path=str(SCREENSHOTS / f"form-first-question-{language}.png"), full_page=True)
    submit(page)
    page.screenshot(path=str(SCREENSHOTS / f"form-error-{language}.png"), full_page=True)
    context.close()

    for name in ("form-first-question", "form-error"):
        assert (SCREENSHOTS / f"{name}-{language}.png").stat().st_size > 10_000


def test_the_whole_form_works_with_javascript_off(live, no_script_page: Page):
    text = walk_form(no_script_page, live, PARENT_COMPLAINT)

    assert "CS-2026-" in text


def test_the_chat_works_with_javascript_off(live, no_script_page: Page):
    page = no_script_page
    page.goto(f"{live}/chat")
    for said in [
        "Hi",
        "1",
        "1",
        "yes",
        "My worker keeps missing our meetings",
        "last week",
        "My social worker",
        "Someone who turns up",
        "no",
    ]:
        page.fill("main textarea, main input[type='text']", said)
        submit(page)
    assert "CS-2026-" in page.inner_text("main")


def test_a_revealed_question_is_answered_without_javascript(live, no_script_page: Page):
    page = no_script_page
    walk_to = PARENT_COMPLAINT
    page.goto(f"{live}/tell-us")
    while slug(page) != "how-to-reply":
        fill(page, walk_to[slug(page)])
        submit(page)
    # Without JavaScript every revealed box is shown; choosing email and leaving it
    # empty must say exactly what to do.
    page.check("main input[name='reply_method'][value='email']")
    submit(page)
    assert "Enter your email address" in page.inner_text(".govuk-error-summary")
