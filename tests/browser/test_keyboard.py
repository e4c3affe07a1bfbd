"""A keyboard user never gets stuck: the whole form and a chat with Tab, Space, the arrow
keys and Enter, with the focus always visible and moved to the error summary."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from tests.browser.journey import questions, slug
from tests.support import PARENT_COMPLAINT

pytestmark = pytest.mark.browser

FOCUS_SHOWN = """() => {
    const element = document.activeElement;
    if (!element || element === document.body) return false;
    const shown = (style) =>
        (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) ||
        (style.boxShadow && style.boxShadow !== "none");
    if (shown(getComputedStyle(element))) return true;
    // GOV.UK radios and checkboxes show focus on the box drawn before their label.
    const label = element.id && document.querySelector(`label[for="${element.id}"]`);
    return Boolean(label) && shown(getComputedStyle(label, "::before"));
}"""


def tab_to(page: Page, selector: str, limit: int = 80) -> None:
    """Press Tab until `selector` has the focus, checking the focus can be seen."""
    for _press in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement?.matches(s) ?? false", selector):
            assert page.evaluate(FOCUS_SHOWN), f"focus on {selector} cannot be seen"
            return
    raise AssertionError(f"{limit} presses of Tab never reached {selector} on {page.url}")


def choose_radio(page: Page, name: str, value: str) -> None:
    tab_to(page, f"main input[name='{name}']")
    page.keyboard.press("Space")
    for _press in range(30):
        if page.evaluate(
            "([n, v]) => document.querySelector(`input[name='${n}'][value='${v}']`).checked",
            [name, value],
        ):
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"the arrow keys never reached {name}={value}")


def answer(page: Page, answers: dict[str, Any]) -> None:
    for name, value, kind, inputs in questions(page, answers):
        if kind == "radio":
            choose_radio(page, name, value)
        elif kind == "checkbox":
            for item in value:
                tab_to(page, f"main input[name='{name}'][value='{item}']")
                page.keyboard.press("Space")
        elif isinstance(value, list):
            for index, part in enumerate(value):
                if part:
                    element_id = inputs.nth(index).get_attribute("id")
                    tab_to(page, f"#{element_id}")
                    page.keyboard.type(part)
        elif value:
            element_id = inputs.first.get_attribute("id")
            tab_to(page, f"#{element_id}")
            page.keyboard.type(value)


def press_the_button(page: Page) -> None:
    tab_to(page, "main form button[type='submit']")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_the_whole_form_with_only_a_keyboard(live, page: Page):
    page.goto(f"{live}/")
    tab_to(page, "main a.govuk-button--start")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # An empty answer: the error summary takes the focus, and its link leads to the box.
    press_the_button(page)
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('.govuk-error-summary a')")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.matches('main input')")

    for _step in range(25):
        current = slug(page)
        if current == "check-your-answers":
            break
        answer(page, PARENT_COMPLAINT[current])
        press_the_button(page)
        assert page.locator(".govuk-error-summary").count() == 0, page.inner_text("main")
    assert slug(page) == "check-your-answers"
    press_the_button(page)

    assert slug(page) == "sent"
    assert "CS-2026-" in page.inner_text("main")


def test_a_chat_with_only_a_keyboard(live, page: Page):
    page.goto(f"{live}/chat")
    for said in ["Hi", "1", "3", "yes", "Nobody listens to me at school meetings", "skip", "no"]:
        tab_to(page, "main textarea, main input[type='text']")
        page.keyboard.type(said)
        press_the_button(page)
    assert "CS-2026-" in page.inner_text("main")
