"""WCAG 2.2 A and AA, proven in a real browser: axe on every public page in every state, in
English and a right-to-left language; 320 px and 400 % zoom; JavaScript off."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import SCREENSHOTS, axe_violations, no_horizontal_scroll
from tests.browser.journey import fill, slug, submit, walk_form
from tests.support import ADVOCATE_COMPLAINT, PARENT_COMPLAINT

pytestmark = pytest.mark.browser

LANGUAGES = ["en", "ar"]
STATIC_PAGES = ["/", "/easy-read", "/accessibility", "/privacy", "/chat"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_axe_finds_nothing_on_the_static_pages(live, page: Page, language):
    for path in STATIC_PAGES:
        response = page.goto(f"{live}{path}?lang={language}")
        assert response is not None and response.status == 200, f"{path} in {language}"
        assert page.get_attribute("html", "lang") == language
        assert axe_violations(page) == [], f"{path} in {language}"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "journey", [PARENT_COMPLAINT, ADVOCATE_COMPLAINT], ids=["parent", "advocate"]
)
def test_axe_finds_nothing_on_any_form_page_in_any_state(live, page: Page, language, journey):
    scanned: list[str] = []

    def scan(shown: Page, state: str) -> None:
        violations = axe_violations(shown)
        assert violations == [], f"{slug(shown)} ({state}, {language}): {violations}"
        scanned.append(f"{slug(shown)}:{state}")

    walk_form(page, live, journey, each=scan, language=language)
    # The equality questions offered afterwards, empty and answered.
    page.locator("main a[href$='/tell-us/about-you']").click()
    scan(page, "equality")
    submit(page)
    scan(page, "equality-done")

    assert "check-your-answers:check" in scanned and "sent:sent" in scanned
    assert sum(state.endswith(":errors") for state in scanned) >= 5


@pytest.mark.parametrize("language", LANGUAGES)
def test_axe_finds_nothing_in_any_turn_of_the_chat(live, page: Page, language):
    page.goto(f"{live}/chat?lang={language}")
    for said in ["Hi", "1", "1", "yes", "My worker keeps missing our meetings", "last week"]:
        assert axe_violations(page) == [], f"chat before {said!r}"
        page.fill("main textarea, main input[type='text']", said)
        submit(page)
    assert axe_violations(page) == []


def test_arabic_pages_read_right_to_left_and_welsh_left_to_right(live, page: Page):
    page.goto(f"{live}/tell-us?lang=ar")
    assert page.get_attribute("html", "lang") == "ar"
    assert page.get_attribute("body", "dir") == "rtl"
    page.goto(f"{live}/tell-us?lang=cy")
    assert page.get_attribute("html", "lang") == "cy"
    assert page.get_attribute("body", "dir") == "ltr"


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


@pytest.mark.parametrize(
    "width,height", [(320, 640), (320, 256)], ids=["320px", "400-percent-zoom"]
)
def test_no_page_scrolls_sideways_at_320_pixels(browser, live, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    wide: list[str] = []

    def check(shown: Page, state: str) -> None:
        if not no_horizontal_scroll(shown):
            wide.append(f"{slug(shown)} ({state})")

    for language in ("en", "ar"):
        walk_form(page, live, PARENT_COMPLAINT, each=check, language=language)
    for path in STATIC_PAGES:
        page.goto(f"{live}{path}")
        check(page, "static")
    context.close()

    assert wide == []


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
